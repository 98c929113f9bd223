/*
 * tests/fuzz/fuzz_lang_ruby.c - libFuzzer target for the gem
 * specification reader (first byte: 0 the file with a NAME-VERSION file
 * name, 1 without one; else the rest is a path for the specification-path
 * matcher). Success means a printable name and version.
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
    if (data[0] <= 1) {
        dd__arena a;
        dd__arena_init(&a);
        char why[256];
        dd__lang_pkg p;
        int rc = dd__gemspec(
            &a, data + 1, size - 1,
            data[0] == 0 ? "x/specifications/fuzz-gem-1.2.3-java.gemspec"
                         : NULL,
            &p, why, sizeof why);
        if (rc == 0) {
            printable(p.name);
            printable(p.version);
            if (p.license) {
                printable(p.license);
            }
        } else if (rc != DD_EINVALID && rc != DD_ENOMEM) {
            abort();
        } else if (rc == DD_EINVALID && !why[0]) {
            abort(); /* bad input always says why */
        }
        dd__arena_free(&a);
        return 0;
    }
    char *s = dd__malloc(size);
    if (s) {
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        if (dd__gemspec_path(s) &&
            (!strstr(s, "specifications/") || !strstr(s, ".gemspec"))) {
            abort();
        }
        dd__free(s);
    }
    return 0;
}
