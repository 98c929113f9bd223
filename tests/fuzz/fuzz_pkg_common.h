/*
 * tests/fuzz/fuzz_pkg_common.h - invariants every package-database fuzz
 * target checks after parsing: each package has a name and a version,
 * every file name is a string, warnings are single printable lines.
 */
#ifndef FUZZ_PKG_COMMON_H
#define FUZZ_PKG_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "lib/pkg/pkgdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_pkg_check(dd__pkgdb *db)
{
    for (size_t i = 0; i < db->pkgs.len; i++) {
        const dd_package *p = DD_VEC_AT(&db->pkgs, dd_package, i);
        if (!p->name || !p->version || !p->db_path) {
            abort();
        }
        for (size_t k = 0; k < p->n_files; k++) {
            if (!p->files[k] || strlen(p->files[k]) > (64u << 20)) {
                abort();
            }
        }
    }
    for (size_t i = 0; i < db->warnings.len; i++) {
        const char *w = *DD_VEC_AT(&db->warnings, const char *, i);
        for (const char *c = w; *c; c++) {
            if ((unsigned char)*c < 0x20) {
                abort();
            }
        }
    }
    dd__pkgdb_free(db);
}

#endif
