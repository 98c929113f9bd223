/*
 * tests/fuzz/fuzz_lang_dotnet.c - libFuzzer target for the .NET
 * *.deps.json reader (first byte 0; else the rest is a path for the
 * deps.json path matcher). Success means every package has a printable
 * name and version (the two halves of a "Name/Version" key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    if (size < 1) {
        return 0;
    }
    if (data[0] == 0) {
        dd__arena a;
        dd__arena_init(&a);
        char why[256] = "";
        dd__vec v;
        dd__vec_init(&v, sizeof(dd__lang_pkg));
        int rc = dd__dotnet_deps(&a, data + 1, size - 1, &v, why, sizeof why);
        for (size_t i = 0; rc == 0 && i < v.len; i++) {
            const dd__lang_pkg *p = DD_VEC_AT(&v, dd__lang_pkg, i);
            printable(p->name);
            printable(p->version);
            if (strchr(p->version, '/')) {
                abort(); /* split at the last '/' */
            }
        }
        if (rc == DD_EINVALID && !why[0]) {
            abort();
        }
        dd__vec_free(&v);
        dd__arena_free(&a);
        return 0;
    }
    char *s = dd__malloc(size);
    if (s) {
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        size_t n = strlen(s);
        if (dd__dotnet_path(s) &&
            (n < 10 || strcmp(s + n - 10, ".deps.json"))) {
            abort();
        }
        dd__free(s);
    }
    return 0;
}
