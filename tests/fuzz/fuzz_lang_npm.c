/*
 * tests/fuzz/fuzz_lang_npm.c - libFuzzer target for the npm parsers
 * (first byte: 0 an installed package.json, 1 a package-lock.json, else
 * the rest is a path for the manifest-path matcher).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lang/lang.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    dd__arena a;
    dd__arena_init(&a);
    char why[256];
    if (data[0] == 0) {
        dd__lang_pkg p;
        if (dd__npm_package(&a, data + 1, size - 1, &p, why, sizeof why) == 0 &&
            (!p.name || !p.version || !*p.name || !*p.version)) {
            abort(); /* success means a name and a version */
        }
    } else if (data[0] == 1) {
        dd__map m;
        if (!dd__map_init(&m)) {
            (void)dd__npm_lock(&a, data + 1, size - 1, &m, why, sizeof why);
            dd__map_free(&m);
        }
    } else {
        char *s = dd__malloc(size);
        if (s) {
            memcpy(s, data + 1, size - 1);
            s[size - 1] = '\0';
            long r = dd__npm_manifest_root(s);
            if (r >= 0 && ((size_t)r >= strlen(s) ||
                           strncmp(s + r, "node_modules/", 13))) {
                abort(); /* the root ends where node_modules/ starts */
            }
            dd__free(s);
        }
    }
    dd__arena_free(&a);
    return 0;
}
