/*
 * lib/pkg/pkgdb.c - the container every package-database parser fills.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pkgdb.h"

dd__pkgdb *dd__pkgdb_new(const char *path)
{
    dd__pkgdb *db = dd__calloc(1, sizeof *db);
    if (!db) {
        return NULL;
    }
    dd__arena_init(&db->strings);
    dd__vec_init(&db->pkgs, sizeof(dd_package));
    dd__vec_init(&db->warnings, sizeof(const char *));
    db->complete = 1;
    atomic_init(&db->refs, 1);
    db->path = dd__arena_strdup(&db->strings, path ? path : "?");
    if (!db->path) {
        dd__pkgdb_free(db);
        return NULL;
    }
    return db;
}

dd__pkgdb *dd__pkgdb_ref(dd__pkgdb *db)
{
    atomic_fetch_add(&db->refs, 1);
    return db;
}

void dd__pkgdb_free(dd__pkgdb *db)
{
    if (!db || atomic_fetch_sub(&db->refs, 1) > 1) {
        return;
    }
    dd__arena_free(&db->strings);
    dd__vec_free(&db->pkgs);
    dd__vec_free(&db->warnings);
    dd__free(db);
}

void dd__pkgdb_warn(dd__pkgdb *db, const char *fmt, ...)
{
    if (db->warnings.len >= DD_PKG_MAX_WARNINGS) {
        db->warnings_dropped++;
        return;
    }
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s: ", db->path);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof msg) {
        vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    }
    va_end(ap);
    for (char *p = msg; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *p = '?';
        }
    }
    const char **slot = dd__vec_push(&db->warnings);
    char *copy = dd__arena_strdup(&db->strings, msg);
    if (!slot || !copy) {
        if (slot) {
            db->warnings.len--;
        }
        db->oom = 1;
        return;
    }
    *slot = copy;
}

dd_package *dd__pkgdb_add(dd__pkgdb *db, dd_pkg_type type)
{
    dd_package *p = dd__vec_push(&db->pkgs);
    if (!p) {
        db->oom = 1;
        return NULL;
    }
    p->type = type;
    p->layer = -1;
    p->history = -1;
    p->db_path = db->path;
    return p;
}

char *dd__pkgdb_strndup(dd__pkgdb *db, const char *s, size_t n)
{
    char *r = dd__arena_strndup(&db->strings, s, n);
    if (!r) {
        db->oom = 1;
    }
    return r;
}

int dd__pkgdb_full_version(dd__pkgdb *db, dd_package *p)
{
    const char *e = p->epoch, *u = p->upstream ? p->upstream : "",
               *r = p->release;
    size_t n = strlen(u) + (e ? strlen(e) + 1 : 0) + (r ? strlen(r) + 1 : 0);
    char *v = dd__arena_alloc(&db->strings, n + 1);
    if (!v) {
        db->oom = 1;
        return DD_ENOMEM;
    }
    snprintf(v, n + 1, "%s%s%s%s%s", e ? e : "", e ? ":" : "", u, r ? "-" : "",
             r ? r : "");
    p->version = v;
    return 0;
}
