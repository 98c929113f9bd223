/*
 * tests/fuzz/fuzz_simplesign.c - libFuzzer target for cosign's
 * simple-signing payload parser (dd__trust_simplesign_parse): fields or
 * one error line, never a crash; the accepted digest and type are
 * NUL-terminated within their buffers, the reference is printable.
 */
#include <string.h>

#include "lib/trust/trust_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__simplesign s;
    dd_error err;
    err.message[0] = 0;
    int rc = dd__trust_simplesign_parse((const char *)data, size, &s, &err);
    if (rc == 0) {
        if (memchr(s.digest, 0, sizeof s.digest) == NULL ||
            memchr(s.type, 0, sizeof s.type) == NULL || s.digest[0] == 0 ||
            memchr(s.reference, 0, sizeof s.reference) == NULL) {
            __builtin_trap();
        }
        for (const char *p = s.reference; *p; p++) {
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                __builtin_trap();
            }
        }
    } else if (err.message[0] == 0) {
        __builtin_trap();
    }
    return 0;
}
