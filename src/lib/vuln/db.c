/*
 * lib/vuln/db.c - the SQLite vulnerability database: schema, atomic
 * import, read-only open, feed information.
 *
 * Schema (version 2):
 *   feeds(id, name UNIQUE, kind, source, imported_at, newest, records,
 *         affected, malformed)
 *   vulns(id, feed, vuln_id, summary, severity, cvss_score, cvss_vector,
 *         published, modified, aliases)       -- aliases comma-separated
 *   affected(ns, package, vuln, seq, feed, scheme, status, fixed,
 *            ranges, severity, vuln_id, vuln_severity, cvss_score,
 *            summary, cvss_vector, aliases)
 *            WITHOUT ROWID, clustered by (ns, package); the advisory's
 *            fields are copied in so a lookup is one range scan
 * Re-importing a feed (same name) replaces its rows.
 *
 * Atomicity: the import works on a copy (<db>.tmp.<pid>) with the
 * journal off, then fsyncs and rename()s it over the database; readers
 * that have the old file open keep reading it. Any failure removes the
 * copy and leaves the old database as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "vuln_int.h"

#define SCHEMA_VERSION "2"
#define MAX_FEED_FILE  (1024ull << 20)
#define MAX_ZIP_ENTRY  (64u << 20)
#define MAX_MESSAGES   20

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS feeds(id INTEGER PRIMARY KEY, name TEXT "
    "UNIQUE NOT NULL, kind TEXT, source TEXT, imported_at INTEGER, newest "
    "TEXT, records INTEGER, affected INTEGER, malformed INTEGER);"
    "CREATE TABLE IF NOT EXISTS vulns(id INTEGER PRIMARY KEY, feed INTEGER "
    "NOT NULL, vuln_id TEXT NOT NULL, summary TEXT, severity TEXT, "
    "cvss_score REAL, cvss_vector TEXT, published TEXT, modified TEXT, "
    "aliases TEXT);"
    "CREATE INDEX IF NOT EXISTS vulns_feed ON vulns(feed);"
    /* clustered by (ns, package): a lookup is one range scan; the
     * advisory's id, severity and score are copied in so that rows that
     * do not match never touch `vulns` */
    "CREATE TABLE IF NOT EXISTS affected(ns TEXT NOT NULL, package TEXT NOT "
    "NULL, vuln INTEGER NOT NULL, seq INTEGER NOT NULL, feed INTEGER NOT "
    "NULL, scheme TEXT, status TEXT NOT NULL, fixed TEXT, ranges TEXT, "
    "severity TEXT, vuln_id TEXT, vuln_severity TEXT, cvss_score REAL, "
    "summary TEXT, cvss_vector TEXT, aliases TEXT, "
    "PRIMARY KEY(ns, package, vuln, seq)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS affected_feed ON affected(feed);"
    "INSERT OR REPLACE INTO meta VALUES('schema_version', '" SCHEMA_VERSION
    "');";

struct dd__importer {
    sqlite3 *db; /* NULL: dry run (parsers only) */
    sqlite3_stmt *ins_vuln, *ins_aff;
    int64_t feed;
    int64_t cur_vuln, seq; /* rowid of the record being added */
    char cur_id[256], cur_sev[16];
    double cur_score;
    dd_buf cur_summary, cur_vector, cur_aliases;
    char newest[40];
    size_t f_records, f_affected, f_malformed;
    size_t records, affected, malformed, feeds;
    size_t n_messages;
    dd_buf messages;
    const char *where;  /* current input */
    char osv_feed[800]; /* directory feed currently open, "" none */
};

/* ---- importer API for parsers ----------------------------------------- */

static int sql_err(dd__importer *im)
{
    dd__imp_malformed(im, "database: %s", sqlite3_errmsg(im->db));
    return DD_EIO;
}

int dd__imp_feed(dd__importer *im,
                 const char *name,
                 const char *kind,
                 const char *source)
{
    im->f_records = im->f_affected = im->f_malformed = 0;
    im->newest[0] = '\0';
    im->feeds++;
    if (!im->db) {
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(im->db, "SELECT id FROM feeds WHERE name = ?",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return sql_err(im);
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int64_t id = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    char sql[256];
    if (id >= 0) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM affected WHERE feed = %lld; DELETE FROM vulns "
                 "WHERE feed = %lld;",
                 (long long)id, (long long)id);
        if (sqlite3_exec(im->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            return sql_err(im);
        }
    } else {
        if (sqlite3_prepare_v2(im->db, "INSERT INTO feeds(name) VALUES(?)", -1,
                               &st, NULL) != SQLITE_OK) {
            return sql_err(im);
        }
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            return sql_err(im);
        }
        id = sqlite3_last_insert_rowid(im->db);
    }
    im->feed = id;
    if (sqlite3_prepare_v2(im->db,
                           "UPDATE feeds SET kind = ?, source = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        return sql_err(im);
    }
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sql_err(im);
}

int dd__imp_end_feed(dd__importer *im)
{
    if (!im->db) {
        return 0;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(im->db,
                           "UPDATE feeds SET imported_at = ?, newest = ?, "
                           "records = ?, affected = ?, malformed = ? WHERE "
                           "id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        return sql_err(im);
    }
    sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
    if (im->newest[0]) {
        sqlite3_bind_text(st, 2, im->newest, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, 3, (int64_t)im->f_records);
    sqlite3_bind_int64(st, 4, (int64_t)im->f_affected);
    sqlite3_bind_int64(st, 5, (int64_t)im->f_malformed);
    sqlite3_bind_int64(st, 6, im->feed);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sql_err(im);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s) {
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, i);
    }
}

int dd__imp_vuln(dd__importer *im, const dd__vrec *r, int64_t *rowid)
{
    im->f_records++;
    im->records++;
    const char *date = r->modified ? r->modified : r->published;
    if (date && strcmp(date, im->newest) > 0) {
        snprintf(im->newest, sizeof im->newest, "%s", date);
    }
    if (!im->db) {
        *rowid = (int64_t)im->records;
        return 0;
    }
    dd_buf *al = &im->cur_aliases;
    dd__buf_reset(al);
    dd__buf_reset(&im->cur_summary);
    dd__buf_reset(&im->cur_vector);
    for (size_t i = 0; i < r->n_aliases; i++) {
        if ((i && dd__buf_add(al, ",", 1)) ||
            dd__buf_addstr(al, r->aliases[i])) {
            break;
        }
    }
    if ((r->summary && dd__buf_addstr(&im->cur_summary, r->summary)) ||
        (r->cvss_vector && dd__buf_addstr(&im->cur_vector, r->cvss_vector))) {
        return DD_ENOMEM;
    }
    sqlite3_stmt *st = im->ins_vuln;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, im->feed);
    bind_opt(st, 2, r->id);
    bind_opt(st, 3, r->summary);
    bind_opt(st, 4, r->severity);
    if (r->cvss_score >= 0) {
        sqlite3_bind_double(st, 5, r->cvss_score);
    }
    bind_opt(st, 6, r->cvss_vector);
    bind_opt(st, 7, r->published);
    bind_opt(st, 8, r->modified);
    bind_opt(st, 9, al->len ? al->ptr : NULL);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        return sql_err(im);
    }
    *rowid = sqlite3_last_insert_rowid(im->db);
    im->cur_vuln = *rowid;
    im->seq = 0;
    snprintf(im->cur_id, sizeof im->cur_id, "%s", r->id ? r->id : "");
    snprintf(im->cur_sev, sizeof im->cur_sev, "%s",
             r->severity ? r->severity : "");
    im->cur_score = r->cvss_score;
    return 0;
}

int dd__imp_affected(dd__importer *im, int64_t vuln, const dd__vaff *a)
{
    im->f_affected++;
    im->affected++;
    if (!im->db) {
        return 0;
    }
    sqlite3_stmt *st = im->ins_aff;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    int same = vuln == im->cur_vuln;
    bind_opt(st, 1, a->ns);
    bind_opt(st, 2, a->package);
    sqlite3_bind_int64(st, 3, vuln);
    sqlite3_bind_int64(st, 4, im->seq++);
    sqlite3_bind_int64(st, 5, im->feed);
    bind_opt(st, 6, a->scheme);
    bind_opt(st, 7, a->status);
    bind_opt(st, 8, a->fixed);
    bind_opt(st, 9, a->ranges);
    bind_opt(st, 10, a->severity);
    bind_opt(st, 11, same ? im->cur_id : NULL);
    bind_opt(st, 12, same && im->cur_sev[0] ? im->cur_sev : NULL);
    if (same && im->cur_score >= 0) {
        sqlite3_bind_double(st, 13, im->cur_score);
    }
    bind_opt(st, 14, same && im->cur_summary.len ? im->cur_summary.ptr : NULL);
    bind_opt(st, 15, same && im->cur_vector.len ? im->cur_vector.ptr : NULL);
    bind_opt(st, 16, same && im->cur_aliases.len ? im->cur_aliases.ptr : NULL);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : sql_err(im);
}

void dd__imp_malformed(dd__importer *im, const char *fmt, ...)
{
    im->f_malformed++;
    im->malformed++;
    if (im->n_messages >= MAX_MESSAGES) {
        return;
    }
    im->n_messages++;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++) {
        if ((unsigned char)*p < 0x20) {
            *p = ' ';
        }
    }
    dd__buf_printf(&im->messages, "%s: %s\n", im->where ? im->where : "?", msg);
}

dd__importer *dd__importer_dry(void)
{
    dd__importer *im = dd__calloc(1, sizeof *im);
    if (im) {
        dd__buf_init(&im->messages, 1u << 20);
    }
    return im;
}

void dd__importer_dry_free(dd__importer *im, size_t *records, size_t *malformed)
{
    if (!im) {
        return;
    }
    if (records) {
        *records = im->records;
    }
    if (malformed) {
        *malformed = im->malformed;
    }
    dd__buf_free(&im->messages);
    dd__free(im);
}

/* ---- reading inputs ----------------------------------------------------- */

static int read_file(const char *path, char **out, size_t *len, dd_error *err)
{
    int saved = 0;
    int rc = dd__file_read(path, MAX_FEED_FILE, out, len);
    saved = errno;
    switch (rc) {
    case 0:
        return 0;
    case DD_ENOTFOUND:
        return dd__error_set(err, rc, "%s: %s", path, strerror(saved));
    case DD_ELIMIT:
        return dd__error_set(err, rc, "%s: over the 1 GiB feed limit", path);
    case DD_EIO:
        return dd__error_set(err, rc, "%s: short read", path);
    default:
        return dd__error_set(err, rc, "out of memory");
    }
}

enum fkind {
    F_UNKNOWN,
    F_OSV,
    F_ALPINE_JSON,
    F_ALPINE_YAML,
    F_DEB_JSON,
    F_DEB_LIST,
    F_ZIP
};

static enum fkind sniff(const char *d, size_t n)
{
    if (n >= 4 && !memcmp(d, "PK\3\4", 4)) {
        return F_ZIP;
    }
    size_t i = 0;
    while (i < n &&
           (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t')) {
        i++;
    }
    size_t head = n - i < 65536 ? n - i : 65536;
    char *h = dd__strndup(d + i, head);
    if (!h) {
        return F_UNKNOWN;
    }
    enum fkind k = F_UNKNOWN;
    if (i < n && d[i] == '{') {
        if (strstr(h, "\"distroversion\"")) {
            k = F_ALPINE_JSON;
        } else if (strstr(h, "\"releases\"") && !strstr(h, "\"affected\"")) {
            k = F_DEB_JSON;
        } else if (strstr(h, "\"id\"")) {
            k = F_OSV;
        }
    } else if (strstr(h, "distroversion:")) {
        k = F_ALPINE_YAML;
    } else if (strstr(h, "] DSA-") || strstr(h, "] DLA-") ||
               strstr(h, "] DTSA-")) {
        k = F_DEB_LIST;
    }
    dd__free(h);
    return k;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int import_zip(dd__importer *im, const char *path, dd_error *err)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: not a readable zip "
                             "archive (libzip error %d)",
                             path, zerr);
    }
    char name[600];
    snprintf(name, sizeof name, "osv:%s", base_name(path));
    int rc = dd__imp_feed(im, name, "osv-zip", path);
    zip_int64_t n = zip_get_num_entries(z, 0);
    char *buf = NULL;
    for (zip_int64_t i = 0; i < n && !rc; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
            dd__imp_malformed(im, "entry %lld: unreadable", (long long)i);
            continue;
        }
        size_t nl = st.name ? strlen(st.name) : 0;
        if (nl < 5 || strcmp(st.name + nl - 5, ".json")) {
            continue;
        }
        if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_ZIP_ENTRY) {
            dd__imp_malformed(im, "%s: entry too large", st.name);
            continue;
        }
        dd__free(buf);
        buf = dd__malloc((size_t)st.size + 1);
        zip_file_t *f = buf ? zip_fopen_index(z, (zip_uint64_t)i, 0) : NULL;
        if (!buf) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            break;
        }
        zip_int64_t got = f ? zip_fread(f, buf, st.size) : -1;
        if (f) {
            zip_fclose(f);
        }
        if (got < 0 || (zip_uint64_t)got != st.size) {
            dd__imp_malformed(im, "%s: cannot be decompressed", st.name);
            continue;
        }
        buf[got] = '\0';
        rc = dd__feed_osv_json(im, st.name, buf, (size_t)got);
    }
    dd__free(buf);
    zip_discard(z);
    if (!rc) {
        rc = dd__imp_end_feed(im);
    }
    return rc;
}

static int
import_file(dd__importer *im, const char *path, const char *dir, dd_error *err)
{
    char *d = NULL;
    size_t n = 0;
    int rc = read_file(path, &d, &n, err);
    if (rc) {
        return rc;
    }
    enum fkind k = sniff(d, n);
    char name[700];
    im->where = path;
    switch (k) {
    case F_ZIP:
        dd__free(d);
        return import_zip(im, path, err);
    case F_OSV:
        if (dir) {
            /* OSV records of one directory make one feed */
            snprintf(name, sizeof name, "osv:%s", base_name(dir));
            if (strcmp(im->osv_feed, name)) {
                if (im->osv_feed[0] && (rc = dd__imp_end_feed(im))) {
                    break;
                }
                snprintf(im->osv_feed, sizeof im->osv_feed, "%s", name);
                rc = dd__imp_feed(im, name, "osv", dir);
            }
            if (!rc) {
                rc = dd__feed_osv_json(im, base_name(path), d, n);
            }
        } else {
            snprintf(name, sizeof name, "osv:%s", base_name(path));
            rc = dd__imp_feed(im, name, "osv", path);
            if (!rc) {
                rc = dd__feed_osv_json(im, base_name(path), d, n);
            }
            if (!rc) {
                rc = dd__imp_end_feed(im);
            }
        }
        break;
    case F_ALPINE_JSON:
    case F_ALPINE_YAML:
        rc = dd__feed_alpine(im, path, d, n, k == F_ALPINE_YAML);
        break;
    case F_DEB_JSON:
        rc = dd__imp_feed(im, "debian-tracker", "debian-tracker-json", path);
        if (!rc) {
            rc = dd__feed_debian_json(im, path, d, n);
        }
        if (!rc) {
            rc = dd__imp_end_feed(im);
        }
        break;
    case F_DEB_LIST: {
        const char *b = base_name(path);
        const char *kind = strstr(d, "] DLA-") ? "dla" : "dsa";
        snprintf(name, sizeof name, "debian-%s:%s", kind, b);
        rc = dd__imp_feed(im, name, "debian-list", path);
        if (!rc) {
            rc = dd__feed_debian_list(im, path, d, n);
        }
        if (!rc) {
            rc = dd__imp_end_feed(im);
        }
        break;
    }
    default:
        if (dir) {
            /* other files in a feed directory are skipped, but a .json one
             * is a record that did not parse: say so, never drop it
             * silently */
            size_t pl = strlen(path);
            if (pl > 5 && !strcmp(path + pl - 5, ".json")) {
                dd__imp_malformed(im, "not a feed record drydock knows "
                                      "(broken or truncated JSON?): skipped");
            }
            break;
        }
        rc = dd__error_set(err, DD_EUNSUPPORTED,
                           "%s: not a feed drydock knows (OSV JSON or "
                           "zip, Alpine secdb JSON/YAML, Debian tracker "
                           "JSON or DSA/DLA list)",
                           path);
    }
    dd__free(d);
    if (rc && err && !err->code) {
        dd__error_set(err, rc, "%s: import failed", path);
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_path(dd__importer *im,
                       const char *path,
                       const char *dir,
                       int depth,
                       dd_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return dd__error_set(err, DD_ENOTFOUND, "%s: %s", path,
                             strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return import_file(im, path, dir, err);
    }
    if (depth > 8) {
        return 0;
    }
    DIR *dp = opendir(path);
    if (!dp) {
        return dd__error_set(err, DD_EIO, "%s: %s", path, strerror(errno));
    }
    dd_vec names;
    dd__vec_init(&names, sizeof(char *));
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dp)) && !rc) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char **slot = dd__vec_push(&names);
        if (!slot || !(*slot = dd__asprintf("%s/%s", path, de->d_name))) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    closedir(dp);
    if (names.len) { /* qsort(NULL, 0) is undefined */
        qsort(names.items, names.len, sizeof(char *), cmp_str);
    }
    for (size_t i = 0; i < names.len && !rc; i++) {
        rc = import_path(im, *DD_VEC_AT(&names, char *, i), path, depth + 1,
                         err);
    }
    if (!rc && im->osv_feed[0] &&
        !strncmp(im->osv_feed + 4, base_name(path),
                 strlen(base_name(path)) + 1)) {
        rc = dd__imp_end_feed(im);
        im->osv_feed[0] = '\0';
    }
    for (size_t i = 0; i < names.len; i++) {
        dd__free(*DD_VEC_AT(&names, char *, i));
    }
    dd__vec_free(&names);
    return rc;
}

/* ---- import: the atomic copy ------------------------------------------- */

/* schema_version of an existing database file into out ("" when none). */
static void file_schema(const char *path, char *out, size_t n)
{
    out[0] = '\0';
    char *uri = dd__asprintf("file:%s?mode=ro", path);
    sqlite3 *d = NULL;
    sqlite3_stmt *q = NULL;
    if (uri &&
        sqlite3_open_v2(uri, &d, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                        NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d,
                           "SELECT value FROM meta WHERE key = "
                           "'schema_version'",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(d);
    dd__free(uri);
}

static int mkdirs(const char *path)
{
    char *p = dd__strdup(path);
    if (!p) {
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    dd__free(p);
    return 0;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        return errno == ENOENT ? 1 : -1;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[1 << 16];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    }
    if (n < 0) {
        rc = -1;
    }
    close(in);
    if (close(out) != 0) {
        rc = -1;
    }
    return rc;
}

void dd_import_report_free(dd_import_report *r)
{
    if (r) {
        dd__free(r->messages);
        r->messages = NULL;
    }
}

int dd_vulndb_import(const char *db_path,
                     const char *const *inputs,
                     size_t n_inputs,
                     dd_import_report *rep,
                     dd_error *err)
{
    dd__error_clear(err);
    if (rep) {
        memset(rep, 0, sizeof *rep);
    }
    mkdirs(db_path);
    char *tmp = dd__asprintf("%s.tmp.%ld", db_path, (long)getpid());
    if (!tmp) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    char old_schema[32] = "";
    struct stat dbst;
    int exists = stat(db_path, &dbst) == 0;
    if (exists) {
        file_schema(db_path, old_schema, sizeof old_schema);
    }
    int fresh = exists && strcmp(old_schema, SCHEMA_VERSION) != 0;
    if (!fresh && copy_file(db_path, tmp) < 0) {
        int rc = dd__error_set(err, DD_EIO, "%s: cannot copy to %s: %s",
                               db_path, tmp, strerror(errno));
        unlink(tmp);
        dd__free(tmp);
        return rc;
    }
    dd__importer im;
    memset(&im, 0, sizeof im);
    dd__buf_init(&im.messages, 1u << 20);
    dd__buf_init(&im.cur_summary, 1u << 20);
    dd__buf_init(&im.cur_vector, 1u << 16);
    dd__buf_init(&im.cur_aliases, 1u << 20);
    int rc = 0;
    if (fresh) {
        unlink(tmp);
        dd__buf_printf(&im.messages,
                       "%s: built by another drydock (schema '%s', this one "
                       "writes %s): rebuilt from these inputs only\n",
                       db_path, old_schema, SCHEMA_VERSION);
    }
    if (sqlite3_open_v2(tmp, &im.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(im.db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                     "PRAGMA cache_size=-65536;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(im.db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
        rc = dd__error_set(err, DD_EIO, "%s: %s", tmp,
                           im.db ? sqlite3_errmsg(im.db) : "cannot open");
        goto out;
    }
    if (sqlite3_prepare_v2(im.db,
                           "INSERT INTO vulns(feed, vuln_id, summary, "
                           "severity, cvss_score, cvss_vector, published, "
                           "modified, aliases) VALUES(?,?,?,?,?,?,?,?,?)",
                           -1, &im.ins_vuln, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(im.db,
                           "INSERT INTO affected(ns, package, vuln, seq, "
                           "feed, scheme, status, fixed, ranges, severity, "
                           "vuln_id, vuln_severity, cvss_score, summary, "
                           "cvss_vector, aliases) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &im.ins_aff, NULL) != SQLITE_OK ||
        sqlite3_exec(im.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        rc = dd__error_set(err, DD_EIO, "%s: %s", tmp, sqlite3_errmsg(im.db));
        goto out;
    }
    for (size_t i = 0; i < n_inputs && !rc; i++) {
        im.osv_feed[0] = '\0';
        rc = import_path(&im, inputs[i], NULL, 0, err);
        if (!rc && im.osv_feed[0]) {
            rc = dd__imp_end_feed(&im);
        }
    }
    if (!rc && sqlite3_exec(im.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = dd__error_set(err, DD_EIO, "%s: %s", tmp, sqlite3_errmsg(im.db));
    }
out:
    sqlite3_finalize(im.ins_vuln);
    sqlite3_finalize(im.ins_aff);
    if (im.db && sqlite3_close(im.db) != SQLITE_OK && !rc) {
        rc = dd__error_set(err, DD_EIO, "%s: cannot close", tmp);
    }
    if (!rc) {
        int fd = open(tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0 || rename(tmp, db_path) != 0) {
            rc = dd__error_set(err, DD_EIO, "%s: %s", db_path, strerror(errno));
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    if (rc) {
        unlink(tmp);
    }
    if (rep) {
        rep->feeds = im.feeds;
        rep->records = im.records;
        rep->affected = im.affected;
        rep->malformed = im.malformed;
        rep->messages = im.messages.len ? dd__buf_detach(&im.messages) : NULL;
    }
    dd__buf_free(&im.messages);
    dd__buf_free(&im.cur_summary);
    dd__buf_free(&im.cur_vector);
    dd__buf_free(&im.cur_aliases);
    dd__free(tmp);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

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
    sqlite3_stmt *q = NULL;
    if (ok) {
        ok = sqlite3_prepare_v2(v->db,
                                "SELECT value FROM meta WHERE key = "
                                "'schema_version'",
                                -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
             !strcmp((const char *)sqlite3_column_text(q, 0), SCHEMA_VERSION);
        sqlite3_finalize(q);
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
        file_schema(path, sv, sizeof sv);
        int rc = sv[0] && strcmp(sv, SCHEMA_VERSION)
                     ? dd__error_set(err, DD_ECORRUPT,
                                     "%s: built by another drydock (database "
                                     "schema %s, this one reads %s): run "
                                     "`drydock db update` or `db import` "
                                     "again",
                                     path, sv, SCHEMA_VERSION)
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

sqlite3_stmt *dd__vulndb_lookup(dd_vulndb *db);
sqlite3_stmt *dd__vulndb_lookup(dd_vulndb *db)
{
    return db->lookup;
}

sqlite3 *dd__vulndb_handle(dd_vulndb *db);
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
    dd_vec v;
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
