/*
 * tests/fuzz/fuzz_registry_audit.c - libFuzzer target for the registry
 * audit's response parser (a catalog or tags list from a server we are
 * judging, so untrusted). The first byte picks the key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/registry/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20)) {
        return 0;
    }
    /* an exact-size copy, not NUL-terminated: reads past it are caught */
    size_t n = size - 1;
    char *s = malloc(n ? n : 1);
    if (!s) {
        return 0;
    }
    memcpy(s, data + 1, n);
    char first[256];
    int c = dd__audit_parse_list(s, n, data[0] & 1 ? "tags" : "repositories",
                                 first, sizeof first);
    if (c < -1 || c > 100000 || strlen(first) >= sizeof first) {
        abort();
    }
    /* the copied name holds only the name grammar's bytes */
    if (strspn(first, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._-/") != strlen(first)) {
        abort();
    }
    free(s);
    return 0;
}
