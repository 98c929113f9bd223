/*
 * tests/fuzz/fuzz_license.c - libFuzzer target for license text (first
 * byte even: the SPDX normaliser and the classifier on the rest; odd: the
 * Debian copyright reader, then its result through the normaliser).
 * Invariants: the normaliser always gives an expression (or nothing for
 * empty text), without control bytes, stable when normalised again when
 * it succeeded; the copyright reader's output fits DD_LICENSE_MAX_TEXT.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/license.h"
#include "drydock/packages.h"
#include "lib/license/license_int.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, size_t n)
{
    char *out = NULL;
    dd_error e;
    int rc = dd_license_normalize(s, n, &out, &e);
    if (rc == DD_ENOMEM) {
        return;
    }
    if ((rc == 0 || rc == DD_EINVALID) != (out != NULL)) {
        abort();
    }
    for (const char *p = out; p && *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            abort();
        }
    }
    if (rc == 0 && out) {
        char *again = NULL;
        if (dd_license_normalize(out, strlen(out), &again, &e) == 0 &&
            strcmp(again, out)) {
            abort();
        }
        dd_string_free(again);
        (void)dd_license_classify(NULL, out);
    }
    dd_string_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    if (!(data[0] & 1)) {
        check(s, n);
        char *z = dd__strndup(s, n); /* the classifier takes a C string */
        if (z) {
            (void)dd_license_classify(NULL, z);
            dd__free(z);
        }
        return 0;
    }
    char *lic = NULL;
    dd_error e;
    if (dd__license_copyright(data + 1, n, &lic, &e) == 0 && lic) {
        if (strlen(lic) > DD_LICENSE_MAX_TEXT) {
            abort();
        }
        check(lic, strlen(lic));
        dd__free(lic);
    }
    return 0;
}
