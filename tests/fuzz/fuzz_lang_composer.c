/*
 * tests/fuzz/fuzz_lang_composer.c - libFuzzer target for Composer's
 * installed.json reader (first byte 0) and conda's conda-meta reader
 * (first byte 1); else the rest is a path for both path matchers.
 * Success means every package has a printable name and version.
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
    dd__arena a;
    dd__arena_init(&a);
    char why[256] = "";
    if (data[0] == 0) {
        dd__vec v;
        dd__vec_init(&v, sizeof(dd__lang_pkg));
        size_t skipped = 0;
        int rc = dd__composer_installed(&a, data + 1, size - 1, &v, &skipped,
                                        why, sizeof why);
        for (size_t i = 0; rc == 0 && i < v.len; i++) {
            const dd__lang_pkg *p = DD_VEC_AT(&v, dd__lang_pkg, i);
            printable(p->name);
            printable(p->version);
            if (p->version[0] == 'v' && p->version[1] >= '0' &&
                p->version[1] <= '9') {
                abort(); /* the v prefix is dropped */
            }
        }
        if (rc == DD_EINVALID && !why[0]) {
            abort();
        }
        dd__vec_free(&v);
    } else if (data[0] == 1) {
        dd__lang_pkg p;
        int rc = dd__conda_meta(&a, data + 1, size - 1, &p, why, sizeof why);
        if (rc == 0) {
            printable(p.name);
            printable(p.version);
        } else if (rc == DD_EINVALID && !why[0]) {
            abort();
        }
    } else {
        char *s = dd__malloc(size);
        if (s) {
            memcpy(s, data + 1, size - 1);
            s[size - 1] = '\0';
            if (dd__composer_path(s) && !strstr(s, "composer/installed.json")) {
                abort();
            }
            if (dd__conda_path(s) && !strstr(s, "conda-meta/")) {
                abort();
            }
            dd__free(s);
        }
    }
    dd__arena_free(&a);
    return 0;
}
