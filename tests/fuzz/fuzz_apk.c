/*
 * tests/fuzz/fuzz_apk.c - libFuzzer target for the apk installed-database
 * parser.
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    (void)dd__apk_parse(db, data, size);
    fuzz_pkg_check(db);
    return 0;
}
