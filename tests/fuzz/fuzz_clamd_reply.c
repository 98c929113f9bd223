/*
 * tests/fuzz/fuzz_clamd_reply.c - libFuzzer target for the clamd reply
 * parser (what a daemon - or whatever listens on the socket - answers).
 */
#include <string.h>

#include "lib/malware/malware.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[64];
    int r = dd__clamd_parse_reply((const char *)data, size, out, sizeof out);
    if (r < -1 || r > 1 || strlen(out) >= sizeof out) {
        __builtin_trap();
    }
    return 0;
}
