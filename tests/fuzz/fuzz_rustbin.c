/*
 * tests/fuzz/fuzz_rustbin.c - libFuzzer target for cargo-auditable
 * dependency lists (src/lib/lang/rustbin.c): the input is a whole file
 * for dd__rustbin. Success means every crate has a name and a version
 * without blanks or control bytes and no more crates from other sources
 * than crates; a refusal has a reason and pushes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lang/lang.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void listable(const char *s)
{
    if (!s || !*s) {
        abort();
    }
    for (; *s; s++) {
        if ((unsigned char)*s <= 0x20 || *s == 0x7f) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__vec out;
    dd__vec_init(&out, sizeof(dd__lang_pkg));
    size_t other = 0;
    char why[256];
    int rc = dd__rustbin(&a, data, size, &out, &other, why, sizeof why);
    if (rc == 0) {
        for (size_t i = 0; i < out.len; i++) {
            const dd__lang_pkg *p = DD_VEC_AT(&out, dd__lang_pkg, i);
            listable(p->name);
            listable(p->version);
        }
        if (other > out.len) {
            abort();
        }
    } else if (out.len || (rc == DD_EINVALID && !why[0])) {
        abort();
    }
    dd__vec_free(&out);
    dd__arena_free(&a);
    return 0;
}
