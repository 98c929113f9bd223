/*
 * lib/server/store.c - the SQLite job store and queue (drydock/service.h):
 * schema and migrations, submit with de-duplication, claim with leases
 * and an attempt limit, results, counts, the images list and API tokens.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <jansson.h>

#include "drydock/packages.h"
#include "lib/server/service_int.h"
#include "util/sha256.h"
#include "util/util.h"

static const char *const state_names[] = {"queued", "running", "done",
                                          "failed"};
static const char *const role_names[] = {"read", "scan", "admin"};

const char *dd_job_state_name(int state)
{
    return state >= 0 && state < 4 ? state_names[state] : "?";
}

const char *dd_token_role_name(int role)
{
    return role >= 0 && role < 3 ? role_names[role] : "?";
}

int dd_token_role_parse(const char *s)
{
    for (int i = 0; s && i < 3; i++) {
        if (!strcmp(s, role_names[i])) {
            return i;
        }
    }
    return -1;
}

static int state_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++) {
        if (!strcmp(s, state_names[i])) {
            return i;
        }
    }
    return -1;
}

/* migrations[i] takes the schema from version i to i + 1 */
static const char *const migrations[] = {
    "CREATE TABLE jobs("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " image TEXT NOT NULL, options TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN"
    "  ('queued','running','done','failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0, error TEXT,"
    " created INTEGER NOT NULL, started INTEGER, finished INTEGER,"
    " lease_expiry INTEGER, digest TEXT, summary TEXT,"
    " result TEXT, result_sarif TEXT);"
    "CREATE INDEX jobs_state ON jobs(state, id);"
    "CREATE INDEX jobs_ref ON jobs(image, options, id);"
    "CREATE INDEX jobs_digest ON jobs(digest, id);"
    "CREATE TABLE tokens("
    " name TEXT PRIMARY KEY,"
    " role TEXT NOT NULL CHECK (role IN ('read','scan','admin')),"
    " sha256 TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);",
};
#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)
_Static_assert(N_MIGRATIONS == DD_SERVICE_SCHEMA_VERSION,
               "a migration per schema version");

static int db_err(dd_service *s, dd_error *err, const char *what)
{
    return dd__error_set(err, DD_EIO, "store: %s: %s", what,
                         sqlite3_errmsg(s->db));
}

static int exec(dd_service *s, const char *sql, dd_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = dd__error_set(err, DD_EIO, "store: %s",
                               msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int migrate(dd_service *s, dd_error *err)
{
    int rc = exec(s, "BEGIN IMMEDIATE", err);
    if (rc) {
        return rc;
    }
    rc = exec(s,
              "CREATE TABLE IF NOT EXISTS schema_version("
              "version INTEGER NOT NULL)",
              err);
    sqlite3_stmt *st = NULL;
    int have = 0, found = 0;
    if (!rc) {
        if (sqlite3_prepare_v2(s->db, "SELECT version FROM schema_version", -1,
                               &st, NULL) != SQLITE_OK) {
            rc = db_err(s, err, "schema_version");
        } else if (sqlite3_step(st) == SQLITE_ROW) {
            have = sqlite3_column_int(st, 0);
            found = 1;
        }
        sqlite3_finalize(st);
    }
    if (!rc && (have < 0 || have > (int)N_MIGRATIONS)) {
        rc = dd__error_set(err, DD_EINVALID,
                           "store: schema version %d is newer than this "
                           "drydock knows (%d)",
                           have, (int)N_MIGRATIONS);
    }
    for (int v = have; !rc && v < (int)N_MIGRATIONS; v++) {
        rc = exec(s, migrations[v], err);
    }
    if (!rc && have != (int)N_MIGRATIONS) {
        char sql[96];
        snprintf(sql, sizeof sql,
                 found ? "UPDATE schema_version SET version = %d"
                       : "INSERT INTO schema_version VALUES (%d)",
                 (int)N_MIGRATIONS);
        rc = exec(s, sql, err);
    }
    if (rc) {
        (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    s->schema = (int)N_MIGRATIONS;
    return exec(s, "COMMIT", err);
}

int dd_service_open(dd_service **out,
                    const char *store,
                    const dd_service_opts *opts,
                    dd_error *err)
{
    if (!out) {
        return dd__error_set(err, DD_EINVALID, "store: no output");
    }
    *out = NULL;
    if (opts && opts->version != DD_SERVICE_OPTS_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "store: unknown options version %u",
                             opts->version);
    }
    if (!store || strncmp(store, "sqlite:", 7) != 0 || !store[7]) {
        return dd__error_set(err, DD_EINVALID,
                             "store: '%s' is not sqlite:PATH (the only "
                             "store this build has)",
                             store ? store : "");
    }
    dd_service *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (opts) {
        s->opts = *opts;
    }
    s->opts.version = DD_SERVICE_OPTS_VERSION;
    if (s->opts.lease_seconds <= 0) {
        s->opts.lease_seconds = 600;
    }
    if (!s->opts.max_attempts) {
        s->opts.max_attempts = 3;
    }
    if (s->opts.dedupe_seconds <= 0) {
        s->opts.dedupe_seconds = 600;
    }
    if (!s->opts.max_queue) {
        s->opts.max_queue = 1000;
    }
    pthread_mutex_init(&s->mu, NULL);
    int rc = 0;
    if (sqlite3_open_v2(store + 7, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        rc = dd__error_set(err, DD_EIO, "store: %s: %s", store + 7,
                           s->db ? sqlite3_errmsg(s->db) : "out of memory");
    }
    if (!rc) {
        sqlite3_busy_timeout(s->db, 10000);
        rc = exec(s,
                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                  "PRAGMA foreign_keys=ON",
                  err);
    }
    if (!rc) {
        rc = migrate(s, err);
    }
    if (rc) {
        dd_service_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void dd_service_close(dd_service *s)
{
    if (!s) {
        return;
    }
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    dd__free(s);
}

int dd_service_schema_version(dd_service *s)
{
    return s ? s->schema : -1;
}

void dd_service_job_free(dd_service_job *j)
{
    if (!j) {
        return;
    }
    dd__free(j->image);
    dd__free(j->options);
    dd__free(j->error);
    dd__free(j->digest);
    dd__free(j->summary);
    dd__free(j);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? dd__strdup((const char *)t) : NULL;
}

#define JOB_COLS                                                     \
    "id, image, options, state, attempts, error, created, started, " \
    "finished, lease_expiry, digest, summary"

static dd_service_job *job_row(sqlite3_stmt *st)
{
    dd_service_job *j = dd__calloc(1, sizeof *j);
    if (!j) {
        return NULL;
    }
    j->id = sqlite3_column_int64(st, 0);
    j->image = col_dup(st, 1);
    j->options = col_dup(st, 2);
    j->state = state_parse((const char *)sqlite3_column_text(st, 3));
    j->attempts = (unsigned)sqlite3_column_int(st, 4);
    j->error = col_dup(st, 5);
    j->created = sqlite3_column_int64(st, 6);
    j->started = sqlite3_column_int64(st, 7);
    j->finished = sqlite3_column_int64(st, 8);
    j->lease_expiry = sqlite3_column_int64(st, 9);
    j->digest = col_dup(st, 10);
    j->summary = col_dup(st, 11);
    if (!j->image || !j->options) {
        dd_service_job_free(j);
        return NULL;
    }
    return j;
}

static int
prep(dd_service *s, const char *sql, sqlite3_stmt **st, dd_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_err(s, err, "prepare");
    }
    return 0;
}

int dd_service_submit(dd_service *s,
                      const char *image,
                      const char *options,
                      int64_t now,
                      int64_t *id,
                      int *reused,
                      dd_error *err)
{
    if (!s || !image || !*image || !options || !id) {
        return dd__error_set(err, DD_EINVALID, "submit: missing argument");
    }
    if (reused) {
        *reused = 0;
    }
    pthread_mutex_lock(&s->mu);
    int rc = exec(s, "BEGIN IMMEDIATE", err);
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (!rc && !(rc = prep(s,
                           "SELECT id FROM jobs WHERE image = ?1 AND "
                           "options = ?2 AND (state IN ('queued','running') "
                           "OR (state = 'done' AND finished >= ?3)) "
                           "ORDER BY id DESC LIMIT 1",
                           &st, err))) {
        sqlite3_bind_text(st, 1, image, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, options, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now - s->opts.dedupe_seconds);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            found = 1;
        }
        sqlite3_finalize(st);
    }
    if (!rc && !found &&
        !(rc = prep(s, "SELECT count(*) FROM jobs WHERE state = 'queued'", &st,
                    err))) {
        if (sqlite3_step(st) == SQLITE_ROW &&
            (uint64_t)sqlite3_column_int64(st, 0) >= s->opts.max_queue) {
            rc = dd__error_set(err, DD_ELIMIT,
                               "the queue is full (%llu jobs queued)",
                               (unsigned long long)s->opts.max_queue);
        }
        sqlite3_finalize(st);
    }
    if (!rc && !found &&
        !(rc = prep(s,
                    "INSERT INTO jobs(image, options, state, created) "
                    "VALUES (?1, ?2, 'queued', ?3)",
                    &st, err))) {
        sqlite3_bind_text(st, 1, image, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, options, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = db_err(s, err, "insert job");
        } else {
            *id = sqlite3_last_insert_rowid(s->db);
        }
        sqlite3_finalize(st);
    }
    if (rc) {
        (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        rc = exec(s, "COMMIT", err);
        if (reused) {
            *reused = found;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int step_done(dd_service *s, sqlite3_stmt *st, dd_error *err)
{
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? 0 : db_err(s, err, "update");
}

int dd_service_claim(dd_service *s,
                     int64_t now,
                     dd_service_job **job,
                     dd_error *err)
{
    if (!s || !job) {
        return dd__error_set(err, DD_EINVALID, "claim: missing argument");
    }
    *job = NULL;
    pthread_mutex_lock(&s->mu);
    int rc = exec(s, "BEGIN IMMEDIATE", err);
    while (!rc && !*job) {
        sqlite3_stmt *st = NULL;
        if ((rc = prep(s,
                       "SELECT " JOB_COLS " FROM jobs WHERE state = 'queued' "
                       "OR (state = 'running' AND lease_expiry < ?1) "
                       "ORDER BY id LIMIT 1",
                       &st, err))) {
            break;
        }
        sqlite3_bind_int64(st, 1, now);
        int r = sqlite3_step(st);
        if (r != SQLITE_ROW) {
            rc = r == SQLITE_DONE
                     ? dd__error_set(err, DD_ENOTFOUND, "no job to claim")
                     : db_err(s, err, "claim");
            sqlite3_finalize(st);
            break;
        }
        dd_service_job *j = job_row(st);
        sqlite3_finalize(st);
        if (!j) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            break;
        }
        if (j->attempts >= s->opts.max_attempts) {
            char *why = dd__asprintf(
                "gave up after %u attempts: %s", j->attempts,
                j->error ? j->error
                         : "the worker's lease expired (it stopped or died)");
            if (!why || (rc = prep(s,
                                   "UPDATE jobs SET state = 'failed', "
                                   "error = ?2, finished = ?3, "
                                   "lease_expiry = NULL WHERE id = ?1",
                                   &st, err))) {
                rc = rc ? rc : dd__error_set(err, DD_ENOMEM, "out of memory");
            } else {
                sqlite3_bind_int64(st, 1, j->id);
                sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 3, now);
                rc = step_done(s, st, err);
            }
            dd__free(why);
            dd_service_job_free(j);
            continue;
        }
        if (!(rc = prep(s,
                        "UPDATE jobs SET state = 'running', attempts = "
                        "attempts + 1, started = ?2, lease_expiry = ?3 "
                        "WHERE id = ?1",
                        &st, err))) {
            sqlite3_bind_int64(st, 1, j->id);
            sqlite3_bind_int64(st, 2, now);
            sqlite3_bind_int64(st, 3, now + s->opts.lease_seconds);
            rc = step_done(s, st, err);
        }
        if (rc) {
            dd_service_job_free(j);
            break;
        }
        j->state = DD_JOB_RUNNING;
        j->attempts++;
        j->started = now;
        j->lease_expiry = now + s->opts.lease_seconds;
        *job = j;
    }
    if (rc == 0 || rc == DD_ENOTFOUND) {
        dd_error e2;
        int c = exec(s, "COMMIT", &e2);
        if (c) {
            rc = c;
            if (err) {
                *err = e2;
            }
            dd_service_job_free(*job);
            *job = NULL;
        }
    } else {
        (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_finish(dd_service *s,
                      int64_t id,
                      unsigned attempt,
                      const char *report_json,
                      const char *report_sarif,
                      const char *digest,
                      const char *summary,
                      int64_t now,
                      dd_error *err)
{
    if (!s || !report_json) {
        return dd__error_set(err, DD_EINVALID, "finish: missing argument");
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  "UPDATE jobs SET state = 'done', error = NULL, "
                  "result = ?2, result_sarif = ?3, digest = ?4, summary = ?5,"
                  " finished = ?6, lease_expiry = NULL "
                  "WHERE id = ?1 AND state = 'running' AND attempts = ?7",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 7, (int)attempt);
        sqlite3_bind_text(st, 2, report_json, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, report_sarif, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, digest, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, summary, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, now);
        rc = step_done(s, st, err);
        if (!rc && sqlite3_changes(s->db) == 0) {
            rc = dd__error_set(err, DD_ENOTFOUND, "job %lld is not running",
                               (long long)id);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_fail(dd_service *s,
                    int64_t id,
                    unsigned attempt,
                    const char *why,
                    int final,
                    int64_t now,
                    dd_error *err)
{
    if (!s || !why) {
        return dd__error_set(err, DD_EINVALID, "fail: missing argument");
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  "UPDATE jobs SET error = ?2, lease_expiry = NULL, "
                  "state = CASE WHEN ?3 OR attempts >= ?4 THEN 'failed' "
                  "ELSE 'queued' END, "
                  "finished = CASE WHEN ?3 OR attempts >= ?4 THEN ?5 "
                  "ELSE NULL END "
                  "WHERE id = ?1 AND state = 'running' AND attempts = ?6",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 6, (int)attempt);
        sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, final != 0);
        sqlite3_bind_int(st, 4, (int)s->opts.max_attempts);
        sqlite3_bind_int64(st, 5, now);
        rc = step_done(s, st, err);
        if (!rc && sqlite3_changes(s->db) == 0) {
            rc = dd__error_set(err, DD_ENOTFOUND, "job %lld is not running",
                               (long long)id);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_heartbeat(
    dd_service *s, int64_t id, unsigned attempt, int64_t now, dd_error *err)
{
    if (!s) {
        return dd__error_set(err, DD_EINVALID, "heartbeat: no store");
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  "UPDATE jobs SET lease_expiry = ?3 WHERE id = ?1 AND "
                  "state = 'running' AND attempts = ?2",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, (int)attempt);
        sqlite3_bind_int64(st, 3, now + s->opts.lease_seconds);
        rc = step_done(s, st, err);
        if (!rc && sqlite3_changes(s->db) == 0) {
            rc = dd__error_set(err, DD_ENOTFOUND,
                               "job %lld is not running under attempt %u",
                               (long long)id, attempt);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_job_get(dd_service *s,
                       int64_t id,
                       dd_service_job **job,
                       dd_error *err)
{
    if (!s || !job) {
        return dd__error_set(err, DD_EINVALID, "job: missing argument");
    }
    *job = NULL;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s, "SELECT " JOB_COLS " FROM jobs WHERE id = ?1", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            *job = job_row(st);
            if (!*job) {
                rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            }
        } else {
            rc = r == SQLITE_DONE ? dd__error_set(err, DD_ENOTFOUND,
                                                  "no job %lld", (long long)id)
                                  : db_err(s, err, "job");
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_report(dd_service *s,
                      int64_t id,
                      const char *format,
                      char **out,
                      size_t *len,
                      dd_error *err)
{
    if (!s || !out || !format) {
        return dd__error_set(err, DD_EINVALID, "report: missing argument");
    }
    *out = NULL;
    int sarif = !strcmp(format, "sarif");
    if (!sarif && strcmp(format, "json")) {
        return dd__error_set(err, DD_EINVALID,
                             "unknown report format '%.32s' (json, sarif)",
                             format);
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  sarif ? "SELECT state, result_sarif FROM jobs WHERE id = ?1"
                        : "SELECT state, result FROM jobs WHERE id = ?1",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = dd__error_set(err, DD_ENOTFOUND, "no job %lld", (long long)id);
        } else if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            rc = dd__error_set(err, DD_EINVALID, "job %lld is %s: no report",
                               (long long)id,
                               (const char *)sqlite3_column_text(st, 0));
        } else {
            size_t n = (size_t)sqlite3_column_bytes(st, 1);
            *out = dd__strndup((const char *)sqlite3_column_text(st, 1), n);
            if (!*out) {
                rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            } else if (len) {
                *len = n;
            }
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_counts(dd_service *s, uint64_t by_state[4], dd_error *err)
{
    if (!s || !by_state) {
        return dd__error_set(err, DD_EINVALID, "counts: missing argument");
    }
    memset(by_state, 0, 4 * sizeof *by_state);
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc =
        prep(s, "SELECT state, count(*) FROM jobs GROUP BY state", &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        int k = state_parse((const char *)sqlite3_column_text(st, 0));
        if (k >= 0) {
            by_state[k] = (uint64_t)sqlite3_column_int64(st, 1);
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int dd_service_scan_seconds(dd_service *s,
                            const int64_t *bounds,
                            size_t n,
                            uint64_t *le,
                            uint64_t *count,
                            int64_t *sum,
                            dd_error *err)
{
    if (!s || n > 16 || (n && (!bounds || !le)) || !count || !sum) {
        return dd__error_set(err, DD_EINVALID, "seconds: bad arguments");
    }
    dd__buf q;
    dd__buf_init(&q, 4096);
    int rc = dd__buf_addstr(&q, "SELECT count(*), coalesce(sum(d), 0)");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = dd__buf_printf(&q, ", coalesce(sum(d <= %lld), 0)",
                            (long long)bounds[i]);
    }
    if (!rc) {
        rc = dd__buf_addstr(&q, " FROM (SELECT finished - started AS d FROM "
                                "jobs WHERE state = 'done')");
    }
    if (rc) {
        dd__buf_free(&q);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    rc = prep(s, q.ptr, &st, err);
    if (!rc && sqlite3_step(st) == SQLITE_ROW) {
        *count = (uint64_t)sqlite3_column_int64(st, 0);
        *sum = sqlite3_column_int64(st, 1);
        for (size_t i = 0; i < n; i++) {
            le[i] = (uint64_t)sqlite3_column_int64(st, (int)i + 2);
        }
    } else if (!rc) {
        rc = db_err(s, err, "seconds");
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    dd__buf_free(&q);
    return rc;
}

int dd_service_images(
    dd_service *s, uint64_t limit, uint64_t offset, char **out, dd_error *err)
{
    if (!s || !out) {
        return dd__error_set(err, DD_EINVALID, "images: missing argument");
    }
    *out = NULL;
    if (!limit) {
        limit = 50;
    }
    if (limit > 500) {
        limit = 500;
    }
    if (offset > (uint64_t)INT64_MAX) {
        offset = (uint64_t)INT64_MAX;
    }
    json_t *arr = json_array();
    json_t *doc = json_object();
    if (!arr || !doc) {
        json_decref(arr);
        json_decref(doc);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  "SELECT digest, image, id, finished, summary FROM jobs "
                  "WHERE id IN (SELECT max(id) FROM jobs WHERE state = "
                  "'done' AND digest IS NOT NULL GROUP BY digest) "
                  "ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                  &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, (int64_t)limit);
        sqlite3_bind_int64(st, 2, (int64_t)offset);
    }
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        json_t *sum = NULL;
        const char *stext = (const char *)sqlite3_column_text(st, 4);
        if (stext) {
            sum = json_loads(stext, 0, NULL);
        }
        json_t *worst = sum ? json_object_get(sum, "worst") : NULL;
        json_t *row = json_pack(
            "{s:s, s:s, s:I, s:I, s:O, s:O}", "digest",
            (const char *)sqlite3_column_text(st, 0), "image",
            (const char *)sqlite3_column_text(st, 1), "job",
            (json_int_t)sqlite3_column_int64(st, 2), "finished",
            (json_int_t)sqlite3_column_int64(st, 3), "worst",
            worst ? worst : json_null(), "counts", sum ? sum : json_object());
        json_decref(sum);
        if (!row || json_array_append_new(arr, row)) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    if (!rc) {
        json_object_set_new(doc, "images", arr);
        arr = NULL;
        json_object_set_new(doc, "limit", json_integer((json_int_t)limit));
        json_object_set_new(doc, "offset", json_integer((json_int_t)offset));
        char *t = json_dumps(doc, JSON_COMPACT);
        *out = t ? dd__strdup(t) : NULL;
        free(t); /* jansson's allocation */
        if (!*out) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    json_decref(arr);
    json_decref(doc);
    return rc;
}

static void token_hash(const char *token, char hex[72])
{
    dd__sha256_digest(token, strlen(token), hex);
}

int dd_service_token_create(dd_service *s,
                            const char *name,
                            int role,
                            int64_t now,
                            char out[DD_TOKEN_MAX],
                            dd_error *err)
{
    if (!s || !out || !name || !*name || strlen(name) > 64 || role < 0 ||
        role > 2) {
        return dd__error_set(err, DD_EINVALID,
                             "token: a name of 1 to 64 characters and a "
                             "role (read, scan, admin) are needed");
    }
    for (const char *p = name; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return dd__error_set(err, DD_EINVALID,
                                 "token: control character in the name");
        }
    }
    uint8_t raw[32];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t k = getrandom(raw + got, sizeof raw - got, 0);
        if (k <= 0) {
            return dd__error_set(err, DD_EIO, "token: no random bytes");
        }
        got += (size_t)k;
    }
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t at = 0;
    memcpy(out, "ddt_", 4);
    at = 4;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < sizeof raw; i++) {
        acc = (acc << 8) | raw[i];
        bits += 8;
        while (bits >= 6) {
            out[at++] = b64[(acc >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits) {
        out[at++] = b64[(acc << (6 - bits)) & 63];
    }
    out[at] = 0;
    char hex[72];
    token_hash(out, hex);
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s,
                  "INSERT OR REPLACE INTO tokens(name, role, sha256, created)"
                  " VALUES (?1, ?2, ?3, ?4)",
                  &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, role_names[role], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        rc = step_done(s, st, err);
    }
    pthread_mutex_unlock(&s->mu);
    if (rc) {
        memset(out, 0, DD_TOKEN_MAX);
    }
    return rc;
}

int dd_service_token_check(dd_service *s,
                           const char *token,
                           int *role,
                           dd_error *err)
{
    if (!s || !token || !role) {
        return dd__error_set(err, DD_EINVALID, "token: missing argument");
    }
    *role = -1;
    if (strlen(token) >= DD_TOKEN_MAX) {
        return dd__error_set(err, DD_ENOTFOUND, "unknown token");
    }
    char hex[72];
    token_hash(token, hex);
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = NULL;
    int rc = prep(s, "SELECT role FROM tokens WHERE sha256 = ?1", &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *role =
                dd_token_role_parse((const char *)sqlite3_column_text(st, 0));
        }
        if (*role < 0) {
            rc = dd__error_set(err, DD_ENOTFOUND, "unknown token");
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}
