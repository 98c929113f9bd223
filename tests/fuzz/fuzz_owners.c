/*
 * tests/fuzz/fuzz_owners.c - libFuzzer target for the package file-list
 * parsers (dpkg .list, status.d .md5sums, diversions, apk installed) and
 * the owner map built from them. The first byte picks the parser.
 */
#include <string.h>

#include "lib/pkg/owners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {
        "var/lib/dpkg/info/pkg:amd64.list", "var/lib/dpkg/status.d/p.md5sums",
        "var/lib/dpkg/diversions", "lib/apk/db/installed"};
    if (size < 1) {
        return 0;
    }
    dd__owned *o = NULL;
    if (dd__owners_parse(&o, paths[data[0] & 3], data + 1, size - 1) != 0) {
        return 0;
    }
    dd__owner_map m;
    if (dd__owner_map_init(&m) == 0 && dd__owner_map_add(&m, o) == 0) {
        for (size_t i = 0; i < o->files.len && i < 64; i++) {
            const dd__owned_file *f = DD_VEC_AT(&o->files, dd__owned_file, i);
            if (f->path[0] == '/' || !f->path[0] ||
                !dd__owner_map_get(&m, f->path)) {
                __builtin_trap(); /* normalised and findable */
            }
        }
        (void)dd__owner_map_get(&m, "usr/bin/x");
    }
    dd__owner_map_free(&m);
    dd__owned_free(o);
    return 0;
}
