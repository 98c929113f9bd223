/*
 * lib/vuln/db_import.c - the import sink that writes the SQLite database,
 * and dd_vulndb_import, which runs it over the inputs atomically.
 *
 * The sink (a dd__vuln_sink over dd__importer): feed_begin finds or
 * creates the feed's row and deletes what an earlier import of the same
 * feed wrote (re-importing replaces); advisory inserts into `vulns`;
 * affected inserts into `affected` with the advisory's fields copied in;
 * feed_end writes the feed's counts and newest date; malformed counts the
 * record and keeps the first MAX_MESSAGES lines for the report. The two
 * inserts are prepared once per import.
 *
 * Atomicity: the import works on a copy (<db>.tmp.<pid>) with the
 * journal off, inside one transaction, then fsyncs and rename()s it over
 * the database; readers that have the old file open keep reading it. Any
 * failure removes the copy and leaves the old database as it was. A
 * database of another schema version is rebuilt from these inputs only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_int.h"

#define MAX_MESSAGES 20

typedef struct dd__importer {
    sqlite3 *db;
    sqlite3_stmt *ins_vuln, *ins_aff;
    int64_t feed;
    /* the advisory being added: its row and the fields copied into each
     * of its affected rows */
    int have_vuln;
    int64_t cur_vuln, seq;
    char cur_id[256], cur_sev[16];
    double cur_score;
    dd__buf cur_summary, cur_vector, cur_aliases;
    char newest[40];
    size_t f_records, f_affected, f_malformed; /* this feed */
    size_t records, affected, malformed, feeds;
    size_t n_messages;
    dd__buf messages;
} dd__importer;

/* ---- the sink --------------------------------------------------------- */

static void imp_malformed(void *ctx, const char *msg)
{
    dd__importer *im = ctx;
    im->f_malformed++;
    im->malformed++;
    if (im->n_messages >= MAX_MESSAGES) {
        return;
    }
    im->n_messages++;
    dd__buf_printf(&im->messages, "%s\n", msg);
}

static int sql_err(dd__importer *im)
{
    char msg[600];
    snprintf(msg, sizeof msg, "database: %s", sqlite3_errmsg(im->db));
    imp_malformed(im, msg);
    return DD_EIO;
}

static int
imp_feed_begin(void *ctx, const char *name, const char *kind, const char *src)
{
    dd__importer *im = ctx;
    im->f_records = im->f_affected = im->f_malformed = 0;
    im->newest[0] = '\0';
    im->have_vuln = 0;
    im->feeds++;
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
    sqlite3_bind_text(st, 2, src, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sql_err(im);
}

static int imp_feed_end(void *ctx)
{
    dd__importer *im = ctx;
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

static int imp_advisory(void *ctx, const dd__advisory *r)
{
    dd__importer *im = ctx;
    im->f_records++;
    im->records++;
    im->have_vuln = 0;
    const char *date = r->modified ? r->modified : r->published;
    if (date && strcmp(date, im->newest) > 0) {
        snprintf(im->newest, sizeof im->newest, "%s", date);
    }
    dd__buf *al = &im->cur_aliases;
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
    if (sqlite3_step(st) != SQLITE_DONE) {
        return sql_err(im);
    }
    im->cur_vuln = sqlite3_last_insert_rowid(im->db);
    im->have_vuln = 1;
    im->seq = 0;
    snprintf(im->cur_id, sizeof im->cur_id, "%s", r->id ? r->id : "");
    snprintf(im->cur_sev, sizeof im->cur_sev, "%s",
             r->severity ? r->severity : "");
    im->cur_score = r->cvss_score;
    return 0;
}

static int imp_affected(void *ctx, const dd__affected *a)
{
    dd__importer *im = ctx;
    im->f_affected++;
    im->affected++;
    if (!im->have_vuln) {
        imp_malformed(im, "affected entry before any advisory (parser bug)");
        return DD_EINVALID;
    }
    sqlite3_stmt *st = im->ins_aff;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    bind_opt(st, 1, a->ns);
    bind_opt(st, 2, a->package);
    sqlite3_bind_int64(st, 3, im->cur_vuln);
    sqlite3_bind_int64(st, 4, im->seq++);
    sqlite3_bind_int64(st, 5, im->feed);
    bind_opt(st, 6, a->scheme);
    bind_opt(st, 7, a->status);
    bind_opt(st, 8, a->fixed);
    bind_opt(st, 9, a->ranges);
    bind_opt(st, 10, a->severity);
    bind_opt(st, 11, im->cur_id);
    bind_opt(st, 12, im->cur_sev[0] ? im->cur_sev : NULL);
    if (im->cur_score >= 0) {
        sqlite3_bind_double(st, 13, im->cur_score);
    }
    bind_opt(st, 14, im->cur_summary.len ? im->cur_summary.ptr : NULL);
    bind_opt(st, 15, im->cur_vector.len ? im->cur_vector.ptr : NULL);
    bind_opt(st, 16, im->cur_aliases.len ? im->cur_aliases.ptr : NULL);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : sql_err(im);
}

/* Open `path` (created when missing) for a bulk import: schema, the two
 * prepared inserts, BEGIN. */
static int importer_open(dd__importer *im, const char *path, dd_error *err)
{
    if (sqlite3_open_v2(path, &im->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(im->db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                     "PRAGMA cache_size=-65536;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        dd__vulndb_schema_create(im->db) != SQLITE_OK) {
        return dd__error_set(err, DD_EIO, "%s: %s", path,
                             im->db ? sqlite3_errmsg(im->db) : "cannot open");
    }
    if (sqlite3_prepare_v2(im->db,
                           "INSERT INTO vulns(feed, vuln_id, summary, "
                           "severity, cvss_score, cvss_vector, published, "
                           "modified, aliases) VALUES(?,?,?,?,?,?,?,?,?)",
                           -1, &im->ins_vuln, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(im->db,
                           "INSERT INTO affected(ns, package, vuln, seq, "
                           "feed, scheme, status, fixed, ranges, severity, "
                           "vuln_id, vuln_severity, cvss_score, summary, "
                           "cvss_vector, aliases) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &im->ins_aff, NULL) != SQLITE_OK ||
        sqlite3_exec(im->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        return dd__error_set(err, DD_EIO, "%s: %s", path,
                             sqlite3_errmsg(im->db));
    }
    return 0;
}

/* ---- the atomic copy ---------------------------------------------------- */

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
        dd__vulndb_file_schema(db_path, old_schema, sizeof old_schema);
    }
    int fresh = exists && strcmp(old_schema, DD__VULNDB_SCHEMA_VERSION) != 0;
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
    if (fresh) {
        unlink(tmp);
        dd__buf_printf(&im.messages,
                       "%s: built by another drydock (schema '%s', this one "
                       "writes %s): rebuilt from these inputs only\n",
                       db_path, old_schema, DD__VULNDB_SCHEMA_VERSION);
    }
    int rc = importer_open(&im, tmp, err);
    const dd__vuln_sink sink = {&im,          imp_feed_begin, imp_advisory,
                                imp_affected, imp_malformed,  imp_feed_end};
    for (size_t i = 0; i < n_inputs && !rc; i++) {
        rc = dd__feed_import(&sink, inputs[i], err);
    }
    if (!rc && sqlite3_exec(im.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = dd__error_set(err, DD_EIO, "%s: %s", tmp, sqlite3_errmsg(im.db));
    }
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
