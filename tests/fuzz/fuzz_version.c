/*
 * tests/fuzz/fuzz_version.c - libFuzzer target for every version parser
 * and comparator. Input: a selector byte, then two strings separated by
 * a NUL. Checks that comparison is reflexive and antisymmetric in every
 * scheme, and exercises semver ranges and apk operators on the same
 * strings.
 */
#include <stdlib.h>
#include <string.h>

#include "drydock/errors.h"
#include "drydock/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4096) {
        return 0;
    }
    char *buf = malloc(size + 1);
    if (!buf) {
        return 0;
    }
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    const char *a = buf;
    const char *b =
        buf + strlen(buf) + 1 <= buf + size - 1 ? buf + strlen(buf) + 1 : "";
    if (b > buf + size - 1) {
        b = "";
    }
    unsigned flags = data[0] & 3;
    for (int s = DD_VER_DPKG; s <= DD_VER_GO; s++) {
        int ab = 0, ba = 0, aa = 1;
        int r1 = dd_version_compare((dd_version_scheme)s, a, b, &ab);
        int r2 = dd_version_compare((dd_version_scheme)s, b, a, &ba);
        if ((r1 == 0) != (r2 == 0)) {
            abort();
        }
        if (r1 == 0 && (ab != -ba || ab < -1 || ab > 1)) {
            abort();
        }
        if (dd_version_compare((dd_version_scheme)s, a, a, &aa) == 0 &&
            aa != 0) {
            abort();
        }
    }
    int ab = 0, ba = 0;
    if (dd_semver_compare(a, b, flags, &ab) == 0 &&
        (dd_semver_compare(b, a, flags, &ba) != 0 || ab != -ba)) {
        abort();
    }
    int r = dd_semver_satisfies(a, b, flags);
    if (r != 0 && r != 1 && r != DD_EINVALID) {
        abort();
    }
    static const char *const ops[] = {"<", "<=", "=", ">=", ">", "~", "!~"};
    r = dd_apk_version_match(a, ops[data[0] % 7], b);
    if (r != 0 && r != 1) {
        abort();
    }
    (void)dd_apk_version_valid(a);
    free(buf);
    return 0;
}
