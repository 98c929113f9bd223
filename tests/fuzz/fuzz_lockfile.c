/*
 * tests/fuzz/fuzz_lockfile.c - libFuzzer target for the lockfile parsers
 * (src/lib/lang/lockfile.h). The first byte picks the format (its value
 * modulo DD__LOCK_COUNT: 1 package-lock.json ... 14 gradle.lockfile, the
 * order of dd__lock_fmt); 0 makes the rest a path for dd__lock_classify.
 * Success means every package has a name and version without blanks or
 * control bytes, none is listed twice, and a refusal has a reason and
 * leaves nothing behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lang/lockfile.h"
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
    if (size < 1) {
        return 0;
    }
    dd__lock_fmt f = (dd__lock_fmt)(data[0] % DD__LOCK_COUNT);
    if (f == DD__LOCK_NONE) {
        char *s = dd__malloc(size);
        if (s) {
            memcpy(s, data + 1, size - 1);
            s[size - 1] = '\0';
            dd__lock_fmt g = dd__lock_classify(s);
            if (g != DD__LOCK_NONE && g != DD__LOCK_REQUIREMENTS &&
                !strstr(s, dd__lock_fmt_name(g))) {
                abort();
            }
            dd__free(s);
        }
        return 0;
    }
    /* an exact-size copy: a read past the end is an ASan report */
    uint8_t *in = dd__malloc(size - 1 ? size - 1 : 1);
    if (!in) {
        return 0;
    }
    memcpy(in, data + 1, size - 1);
    dd__arena a;
    dd__arena_init(&a);
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__lang_pkg));
    size_t skipped = 0;
    char why[256] = "";
    int rc = dd__lock_parse(f, &a, in, size - 1, &v, &skipped, why, sizeof why);
    if (rc == 0) {
        for (size_t i = 0; i < v.len; i++) {
            const dd__lang_pkg *p = DD_VEC_AT(&v, dd__lang_pkg, i);
            listable(p->name);
            listable(p->version);
            if (strchr(p->version, '/') || strchr(p->version, ':') ||
                (p->dev != 0 && p->dev != 1)) {
                abort();
            }
            for (size_t j = 0; j < i && v.len < 512; j++) {
                const dd__lang_pkg *q = DD_VEC_AT(&v, dd__lang_pkg, j);
                if (!strcmp(p->name, q->name) &&
                    !strcmp(p->version, q->version)) {
                    abort(); /* merged */
                }
            }
        }
    } else if ((rc == DD_EINVALID && !why[0]) || v.len ||
               (rc != DD_EINVALID && rc != DD_ENOMEM)) {
        abort();
    }
    dd__vec_free(&v);
    dd__arena_free(&a);
    dd__free(in);
    return 0;
}
