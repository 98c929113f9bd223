/*
 * tests/fuzz/fuzz_hashdb.c - libFuzzer target for the hash block-list
 * parser (ClamAV .hdb/.hsb and plain lists). The first byte picks the
 * format; every parsed list is sorted and probed.
 */
#include <string.h>

#include "lib/malware/malware.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"f.hdb", "f.hsb", "f.hsu", "f.txt"};
    if (size < 1) {
        return 0;
    }
    dd__hashdb *db = dd__hashdb_new();
    if (!db) {
        return 0;
    }
    dd_error err;
    const char *name = names[data[0] & 3];
    if (dd__hashdb_parse(db, name, data + 1, size - 1, &err) != 0 &&
        (!err.message[0] || strlen(err.message) >= sizeof err.message)) {
        __builtin_trap(); /* a failure always says why */
    }
    dd__hashdb_finish(db);
    uint8_t probe[32];
    memset(probe, 0, sizeof probe);
    memcpy(probe, data + 1, size - 1 < 32 ? size - 1 : 32);
    for (unsigned t = 1; t <= 4; t <<= 1) {
        (void)dd__hashdb_lookup(db, t, probe, size);
    }
    dd__hashdb_free(db);
    return 0;
}
