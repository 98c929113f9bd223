/*
 * lib/vuln/db.c - the read side of the SQLite vulnerability database:
 * read-only open (schema version checked), the lookup statement match.c
 * steps, feed information and age. Writing is db_import.c, the schema
 * db_schema.c (db_int.h has the map).
 *
 * A dd_vulndb is one read-only connection with its prepared lookup; it
 * serves one thread at a time (the engine keeps one per scanning thread,
 * lib/scan_engine.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db_int.h"

struct dd_vulndb {
    sqlite3 *db;
    sqlite3_stmt *lookup;
};

int dd_vulndb_default_path(char *buf, size_t n)
{
    const char *x = getenv("XDG_CACHE_HOME");
    const char *h = getenv("HOME");
    int k = x && *x ? snprintf(buf, n, "%s/drydock/db/drydock.db", x)
                    : snprintf(buf, n, "%s/.cache/drydock/db/drydock.db",
                               h && *h ? h : "/tmp");
    return k < 0 || (size_t)k >= n ? DD_ELIMIT : 0;
}

int dd_vulndb_open(dd_vulndb **out, const char *path, dd_error *err)
{
    dd__error_clear(err);
    struct stat st;
    if (stat(path, &st) != 0) {
        return dd__error_set(err, DD_ENOTFOUND,
                             "no vulnerability database at %s (run `drydock "
                             "db update`, or `drydock db import FEED...`)",
                             path);
    }
    dd_vulndb *v = dd__calloc(1, sizeof *v);
    if (!v) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    char *uri = dd__asprintf("file:%s?mode=ro", path);
    int ok = uri && sqlite3_open_v2(uri, &v->db,
                                    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                        SQLITE_OPEN_NOMUTEX,
                                    NULL) == SQLITE_OK;
    dd__free(uri);
    if (ok) {
        ok = dd__vulndb_schema_current(v->db);
    }
    if (ok) {
        /* read through the page cache without copying: the lookups jump
         * between the affected index and the vulns table */
        sqlite3_exec(v->db,
                     "PRAGMA mmap_size=1073741824; PRAGMA "
                     "cache_size=-32768;",
                     NULL, NULL, NULL);
        ok = sqlite3_prepare_v2(
                 v->db,
                 "SELECT scheme, status, fixed, ranges, severity, vuln_id, "
                 "summary, vuln_severity, cvss_score, cvss_vector, aliases "
                 "FROM affected WHERE ns = ? AND package = ?",
                 -1, &v->lookup, NULL) == SQLITE_OK;
    }
    if (!ok) {
        char sv[32];
        dd__vulndb_file_schema(path, sv, sizeof sv);
        int rc = sv[0] && strcmp(sv, DD__VULNDB_SCHEMA_VERSION)
                     ? dd__error_set(err, DD_ECORRUPT,
                                     "%s: built by another drydock (database "
                                     "schema %s, this one reads %s): run "
                                     "`drydock db update` or `db import` "
                                     "again",
                                     path, sv, DD__VULNDB_SCHEMA_VERSION)
                     : dd__error_set(err, DD_ECORRUPT,
                                     "%s: not a drydock vulnerability "
                                     "database",
                                     path);
        dd_vulndb_close(v);
        return rc;
    }
    *out = v;
    return 0;
}

void dd_vulndb_close(dd_vulndb *db)
{
    if (!db) {
        return;
    }
    sqlite3_finalize(db->lookup);
    sqlite3_close(db->db);
    dd__free(db);
}

sqlite3_stmt *dd__vulndb_lookup(dd_vulndb *db)
{
    return db->lookup;
}

sqlite3 *dd__vulndb_handle(dd_vulndb *db)
{
    return db->db;
}

static char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return dd__strdup(t ? (const char *)t : "");
}

int dd_vulndb_feeds(dd_vulndb *db, dd_feed_info **out, size_t *n, dd_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT name, kind, source, imported_at, newest, records, "
            "affected, malformed, (SELECT group_concat(ns) FROM (SELECT "
            "DISTINCT ns FROM affected WHERE feed = f.id ORDER BY ns)) FROM "
            "feeds f ORDER BY name",
            -1, &st, NULL) != SQLITE_OK) {
        return dd__error_set(err, DD_EIO, "%s", sqlite3_errmsg(db->db));
    }
    dd__vec v;
    dd__vec_init(&v, sizeof(dd_feed_info));
    while (sqlite3_step(st) == SQLITE_ROW) {
        dd_feed_info *f = dd__vec_push(&v);
        if (!f) {
            break;
        }
        f->name = col(st, 0);
        f->kind = col(st, 1);
        f->source = col(st, 2);
        f->imported_at = sqlite3_column_int64(st, 3);
        f->newest = col(st, 4);
        f->records = (uint64_t)sqlite3_column_int64(st, 5);
        f->affected = (uint64_t)sqlite3_column_int64(st, 6);
        f->malformed = (uint64_t)sqlite3_column_int64(st, 7);
        f->namespaces = col(st, 8);
    }
    sqlite3_finalize(st);
    *out = v.items;
    *n = v.len;
    return 0;
}

void dd_feed_info_free(dd_feed_info *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        dd__free(f[i].name);
        dd__free(f[i].kind);
        dd__free(f[i].source);
        dd__free(f[i].newest);
        dd__free(f[i].namespaces);
    }
    dd__free(f);
}

int64_t dd_vulndb_age(dd_vulndb *db)
{
    sqlite3_stmt *st = NULL;
    int64_t t = -1;
    if (sqlite3_prepare_v2(db->db, "SELECT max(imported_at) FROM feeds", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        t = (int64_t)time(NULL) - sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return t;
}
