/*
 * tests/fuzz/fuzz_rpmdb_sqlite.c - libFuzzer target for the SQLite rpmdb reader
 * (sqlite3_deserialize, defensive mode).
 */
#include "fuzz_pkg_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__pkgdb *db = dd__pkgdb_new("fuzz");
    if (!db) {
        return 0;
    }
    (void)dd__rpmdb_sqlite(db, data, size);
    fuzz_pkg_check(db);
    return 0;
}
