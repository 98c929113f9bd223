/*
 * tests/fuzz/fuzz_rpmdb_ndb.c - libFuzzer target for the NDB rpmdb reader.
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    (void)dd__rpmdb_ndb(db, data, size);
    fuzz_pkg_check(db);
    return 0;
}
