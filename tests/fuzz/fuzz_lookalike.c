/*
 * tests/fuzz/fuzz_lookalike.c - libFuzzer target for the reference
 * canonicaliser and the look-alike name matcher. The input is one
 * reference; a second line, if any, is a trusted name.
 */
#include <stdlib.h>
#include <string.h>

#include "drydock/lookalike.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) {
        return 0;
    }
    char *s = malloc(size + 1);
    if (!s) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = 0;
    const char *trusted[1] = {NULL};
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = 0;
        trusted[0] = nl + 1;
    }
    char c[600];
    dd_error err;
    dd_lookalike_result r;
    if (dd_lookalike_canonical(s, c, sizeof c, &err) == 0) {
        if (dd_lookalike_check(s, trusted, nl ? 1 : 0, &r, &err) != 0) {
            abort(); /* canonicalised, so it must be judged */
        }
        if (r.lookalike && (!r.signal || !r.target[0])) {
            abort();
        }
    } else if (dd_lookalike_check(s, NULL, 0, &r, &err) != DD_EINVALID) {
        abort();
    }
    (void)dd_lookalike_distance(s, trusted[0] ? trusted[0] : "", 8);
    free(s);
    return 0;
}
