/*
 * tests/fuzz/fuzz_rpm_header.c - libFuzzer target for the rpm header blob
 * parser.
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    (void)dd__rpm_header_parse(db, data, size, "fuzz");
    fuzz_pkg_check(db);
    return 0;
}
