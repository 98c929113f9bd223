/*
 * tests/fuzz/fuzz_sbom_input.c - libFuzzer target for sbom:FILE documents
 * (src/lib/source/sbom_input.h). The first byte picks the mode: even, the
 * rest is a CycloneDX/SPDX document for dd__sbom_parse with small limits
 * (64 components, depth 6); odd, the rest is one package URL for
 * dd__purl_parse. Success means every package has a type, a name and a
 * version, at most 64 were examined, a purl has a type and a name without
 * NUL bytes, and a refusal has a reason and leaves nothing behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/source/sbom_input.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    if (data[0] & 1) {
        char *s = dd__malloc(size);
        if (!s) {
            return 0;
        }
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        dd__arena a;
        dd__arena_init(&a);
        dd__purl u;
        const char *why = NULL;
        int rc = dd__purl_parse(&u, s, &a, &why);
        if (rc == 0 && (!u.type || !*u.type || !u.name || !*u.name ||
                        u.n_q > DD__PURL_MAX_QUALIFIERS)) {
            abort();
        }
        if (rc == DD_EINVALID && !why) {
            abort();
        }
        dd__arena_free(&a);
        dd__free(s);
        return 0;
    }
    dd__sbom_limits lim = {1u << 20, 64, 6};
    dd__sbom_doc *d = NULL;
    dd_error e;
    int rc =
        dd__sbom_parse(&d, (const char *)data + 1, size - 1, "fuzz", &lim, &e);
    if (rc) {
        if (d || !e.message[0]) {
            abort();
        }
        return 0;
    }
    if (!d || d->n_components > 65 || d->warnings.len > DD__SBOM_MAX_WARNINGS) {
        abort();
    }
    for (size_t i = 0; i < d->pkgs.len; i++) {
        const dd_package *p = DD_VEC_AT(&d->pkgs, dd_package, i);
        if (!p->type || !p->name || !*p->name || !p->version || !*p->version) {
            abort();
        }
    }
    dd__sbom_doc_free(d);
    return 0;
}
