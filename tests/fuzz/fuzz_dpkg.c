/*
 * tests/fuzz/fuzz_dpkg.c - libFuzzer target for the dpkg status parser (first
 * byte: 0 status, else a status.d file).
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    if (size < 1) {
        dd__pkgdb_free(db);
        return 0;
    }
    (void)dd__dpkg_parse(db, data + 1, size - 1, data[0] != 0);
    fuzz_pkg_check(db);
    return 0;
}
