/*
 * tests/fuzz/fuzz_rpmdb_bdb.c - libFuzzer target for the Berkeley DB hash rpmdb
 * reader.
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    (void)dd__rpmdb_bdb(db, data, size);
    fuzz_pkg_check(db);
    return 0;
}
