/*
 * tests/fuzz/fuzz_gobin.c - libFuzzer target for the Go build-info reader
 * (lib/lang/gobin.c): the input is a whole executable. Success means
 * every package has a printable, non-empty name and version, no module
 * is "(devel)", and stdlib's version starts with a digit; a refusal
 * (DD_EINVALID) always says why; nothing else is returned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/errors.h"
#include "lib/lang/lang.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *s)
{
    if (!s || !*s) {
        abort();
    }
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__lang_pkg));
    char why[256] = "";
    int rc = dd__gobin(&a, data, size, &v, why, sizeof why);
    if (rc != 0 && rc != DD_ENOTFOUND && rc != DD_EINVALID && rc != DD_ENOMEM) {
        abort();
    }
    if (rc == DD_EINVALID && !why[0]) {
        abort();
    }
    if ((rc == DD_EINVALID || rc == DD_ENOTFOUND) && v.len) {
        abort(); /* all or nothing */
    }
    for (size_t i = 0; i < v.len; i++) {
        const dd__lang_pkg *p = DD_VEC_AT(&v, dd__lang_pkg, i);
        printable(p->name);
        printable(p->version);
        if (!strcmp(p->version, "(devel)")) {
            abort();
        }
        if (!strcmp(p->name, "stdlib") &&
            (p->version[0] < '0' || p->version[0] > '9')) {
            abort();
        }
    }
    if (!dd__gobin_magic(data, size) && rc != DD_ENOTFOUND) {
        abort(); /* no executable magic: never a Go binary */
    }
    dd__vec_free(&v);
    dd__arena_free(&a);
    return 0;
}
