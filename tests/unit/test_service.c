/*
 * tests/unit/test_service.c - the scanning service's store and queue
 * (drydock/service.h): open and migrate, refusing a newer schema, submit
 * and de-duplication, the queue limit, claims with leases and the attempt
 * limit, reports and counts, the images list, tokens, the request
 * validator and the local-path rules.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "drydock/drydock.h"
#include "fixture.h"
#include "harness.h"

static char dir[64];

static const char *tmpdir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/dd-service-XXXXXX");
        if (!mkdtemp(dir)) {
            return NULL;
        }
    }
    return dir;
}

static void store_name(char *out, size_t n, const char *name)
{
    snprintf(out, n, "sqlite:%s/%s", tmpdir(), name);
}

static void open_migrate(void)
{
    char st[128];
    store_name(st, sizeof st, "migrate.db");
    dd_service *s = NULL;
    dd_error e;
    CHECK(dd_service_open(&s, st, NULL, &e) == 0);
    CHECK(dd_service_schema_version(s) == DD_SERVICE_SCHEMA_VERSION);
    dd_service_close(s);
    /* opening again keeps the version and the data */
    CHECK(dd_service_open(&s, st, NULL, &e) == 0);
    CHECK(dd_service_schema_version(s) == DD_SERVICE_SCHEMA_VERSION);
    dd_service_close(s);
    /* WAL mode and one schema_version row */
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(st + 7, &db) == SQLITE_OK);
    sqlite3_stmt *q = NULL;
    CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT count(*), max(version) FROM "
                             "schema_version",
                             -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW);
    CHECK(sqlite3_column_int(q, 0) == 1);
    CHECK(sqlite3_column_int(q, 1) == DD_SERVICE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    /* a store from a newer drydock is refused, not damaged */
    CHECK(sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK(dd_service_open(&s, st, NULL, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "newer") != NULL);
    CHECK(s == NULL);
    /* other schemes */
    CHECK(dd_service_open(&s, "postgres://x", NULL, &e) == DD_EINVALID);
    CHECK(dd_service_open(&s, "sqlite:", NULL, &e) == DD_EINVALID);
    char bad[128];
    snprintf(bad, sizeof bad, "sqlite:%s/no/such/dir/x.db", tmpdir());
    CHECK(dd_service_open(&s, bad, NULL, &e) == DD_EIO);
}

static dd_service *fresh(const char *name, dd_service_opts *o)
{
    char st[128];
    store_name(st, sizeof st, name);
    unlink(st + 7);
    dd_service *s = NULL;
    dd_error e;
    if (dd_service_open(&s, st, o, &e)) {
        fprintf(stderr, "%s\n", e.message);
        return NULL;
    }
    return s;
}

static void submit_dedupe(void)
{
    dd_service_opts o = DD_SERVICE_OPTS_INIT;
    o.dedupe_seconds = 60;
    o.max_queue = 3;
    dd_service *s = fresh("dedupe.db", &o);
    CHECK(s);
    dd_error e;
    int64_t a = 0, b = 0, c = 0;
    int reused = -1;
    const char *opt = "{\"scanners\":[]}";
    CHECK(dd_service_submit(s, "alpine:3.20", opt, 1000, &a, &reused, &e) == 0);
    CHECK(a > 0 && reused == 0);
    /* same image and options while queued: the same job */
    CHECK(dd_service_submit(s, "alpine:3.20", opt, 1001, &b, &reused, &e) == 0);
    CHECK(b == a && reused == 1);
    /* other options: another job */
    CHECK(dd_service_submit(s, "alpine:3.20", "{\"scanners\":[\"vuln\"]}", 1001,
                            &c, &reused, &e) == 0);
    CHECK(c != a && reused == 0);
    /* running, then done: still the same job within the window */
    dd_service_job *j = NULL;
    CHECK(dd_service_claim(s, 1002, &j, &e) == 0);
    CHECK(j->id == a && j->state == DD_JOB_RUNNING && j->attempts == 1);
    CHECK(dd_service_submit(s, "alpine:3.20", opt, 1003, &b, &reused, &e) == 0);
    CHECK(b == a && reused == 1);
    CHECK(dd_service_finish(s, a, 1, "{\"r\":1}", "{\"s\":1}", "sha256:aa",
                            "{\"total\":2,\"HIGH\":2,\"worst\":\"HIGH\"}", 1010,
                            &e) == 0);
    dd_service_job_free(j);
    CHECK(dd_service_submit(s, "alpine:3.20", opt, 1060, &b, &reused, &e) == 0);
    CHECK(b == a && reused == 1);
    /* past the window: a new job */
    CHECK(dd_service_submit(s, "alpine:3.20", opt, 1071, &b, &reused, &e) == 0);
    CHECK(b != a && reused == 0);
    /* the queue limit (3): c and b queued, one more fits, then full */
    int64_t d = 0;
    CHECK(dd_service_submit(s, "busybox", opt, 1072, &d, NULL, &e) == 0);
    CHECK(dd_service_submit(s, "debian", opt, 1072, &d, NULL, &e) == DD_ELIMIT);
    CHECK(strstr(e.message, "queue is full") != NULL);
    /* a repeat is still answered when the queue is full */
    CHECK(dd_service_submit(s, "busybox", opt, 1072, &d, &reused, &e) == 0);
    CHECK(reused == 1);
    uint64_t cnt[4];
    CHECK(dd_service_counts(s, cnt, &e) == 0);
    CHECK(cnt[DD_JOB_QUEUED] == 3 && cnt[DD_JOB_DONE] == 1 &&
          cnt[DD_JOB_RUNNING] == 0 && cnt[DD_JOB_FAILED] == 0);
    /* reports */
    char *r = NULL;
    size_t n = 0;
    CHECK(dd_service_report(s, a, "json", &r, &n, &e) == 0);
    CHECK_STR(r, "{\"r\":1}");
    CHECK(n == 7);
    dd_string_free(r);
    CHECK(dd_service_report(s, a, "sarif", &r, NULL, &e) == 0);
    CHECK_STR(r, "{\"s\":1}");
    dd_string_free(r);
    CHECK(dd_service_report(s, a, "html", &r, NULL, &e) == DD_EINVALID);
    CHECK(dd_service_report(s, c, "json", &r, NULL, &e) == DD_EINVALID);
    CHECK(dd_service_report(s, 9999, "json", &r, NULL, &e) == DD_ENOTFOUND);
    CHECK(dd_service_job_get(s, 9999, &j, &e) == DD_ENOTFOUND);
    CHECK(dd_service_job_get(s, a, &j, &e) == 0);
    CHECK(j->state == DD_JOB_DONE && j->finished == 1010);
    CHECK_STR(j->digest, "sha256:aa");
    CHECK_STR(j->image, "alpine:3.20");
    dd_service_job_free(j);
    /* images: the latest done job per digest */
    CHECK(dd_service_images(s, 0, 0, &r, &e) == 0);
    json_t *doc = json_loads(r, 0, NULL);
    dd_string_free(r);
    CHECK(doc);
    json_t *imgs = json_object_get(doc, "images");
    CHECK(json_array_size(imgs) == 1);
    json_t *row = json_array_get(imgs, 0);
    CHECK_STR(json_string_value(json_object_get(row, "digest")), "sha256:aa");
    CHECK_STR(json_string_value(json_object_get(row, "worst")), "HIGH");
    CHECK(json_integer_value(
              json_object_get(json_object_get(row, "counts"), "HIGH")) == 2);
    CHECK(json_integer_value(json_object_get(doc, "limit")) == 50);
    json_decref(doc);
    CHECK(dd_service_images(s, 10, 1, &r, &e) == 0);
    doc = json_loads(r, 0, NULL);
    dd_string_free(r);
    CHECK(json_array_size(json_object_get(doc, "images")) == 0);
    json_decref(doc);
    dd_service_close(s);
}

static void claim_lease_attempts(void)
{
    dd_service_opts o = DD_SERVICE_OPTS_INIT;
    o.lease_seconds = 30;
    o.max_attempts = 3;
    dd_service *s = fresh("claim.db", &o);
    CHECK(s);
    dd_error e;
    dd_service_job *j = NULL;
    CHECK(dd_service_claim(s, 100, &j, &e) == DD_ENOTFOUND);
    CHECK(j == NULL);
    int64_t a, b;
    CHECK(dd_service_submit(s, "a", "{}", 100, &a, NULL, &e) == 0);
    CHECK(dd_service_submit(s, "b", "{}", 101, &b, NULL, &e) == 0);
    /* oldest first */
    CHECK(dd_service_claim(s, 102, &j, &e) == 0);
    CHECK(j->id == a && j->lease_expiry == 132);
    dd_service_job_free(j);
    CHECK(dd_service_claim(s, 103, &j, &e) == 0);
    CHECK(j->id == b);
    dd_service_job_free(j);
    /* both leased: nothing to claim */
    CHECK(dd_service_claim(s, 110, &j, &e) == DD_ENOTFOUND);
    /* a's worker died: after the lease it is claimed again */
    CHECK(dd_service_claim(s, 133, &j, &e) == 0);
    CHECK(j->id == a && j->attempts == 2);
    dd_service_job_free(j);
    /* the first worker's claim is stale: it can neither finish nor renew */
    CHECK(dd_service_finish(s, a, 1, "{}", "{}", NULL, NULL, 134, &e) ==
          DD_ENOTFOUND);
    CHECK(dd_service_heartbeat(s, a, 1, 134, &e) == DD_ENOTFOUND);
    /* the current claim renews its lease */
    CHECK(dd_service_heartbeat(s, a, 2, 150, &e) == 0);
    CHECK(dd_service_job_get(s, a, &j, &e) == 0);
    CHECK(j->lease_expiry == 180 && j->state == DD_JOB_RUNNING);
    dd_service_job_free(j);
    /* b fails with a retryable error: queued again, error kept */
    CHECK(dd_service_fail(s, b, 1, "registry: connection refused", 0, 134,
                          &e) == 0);
    CHECK(dd_service_job_get(s, b, &j, &e) == 0);
    CHECK(j->state == DD_JOB_QUEUED);
    CHECK_STR(j->error, "registry: connection refused");
    dd_service_job_free(j);
    /* a expires again: attempt 3 */
    CHECK(dd_service_claim(s, 200, &j, &e) == 0);
    CHECK(j->id == a && j->attempts == 3);
    dd_service_job_free(j);
    /* b is next */
    CHECK(dd_service_claim(s, 201, &j, &e) == 0);
    CHECK(j->id == b && j->attempts == 2);
    dd_service_job_free(j);
    /* a expired a third time: failed with why, never claimed again */
    CHECK(dd_service_claim(s, 300, &j, &e) == 0);
    CHECK(j->id == b && j->attempts == 3);
    dd_service_job_free(j);
    CHECK(dd_service_job_get(s, a, &j, &e) == 0);
    CHECK(j->state == DD_JOB_FAILED);
    CHECK(strstr(j->error, "gave up after 3 attempts") != NULL);
    CHECK(strstr(j->error, "lease expired") != NULL);
    dd_service_job_free(j);
    /* b's third attempt fails: at the limit it is failed */
    CHECK(dd_service_fail(s, b, 3, "registry: timeout", 0, 301, &e) == 0);
    CHECK(dd_service_job_get(s, b, &j, &e) == 0);
    CHECK(j->state == DD_JOB_FAILED && j->finished == 301);
    CHECK_STR(j->error, "registry: timeout");
    dd_service_job_free(j);
    /* finishing or failing a job that is not running */
    CHECK(dd_service_finish(s, a, 3, "{}", "{}", NULL, NULL, 302, &e) ==
          DD_ENOTFOUND);
    CHECK(dd_service_fail(s, b, 3, "x", 1, 302, &e) == DD_ENOTFOUND);
    /* a final error fails at once */
    int64_t c;
    CHECK(dd_service_submit(s, "c", "{}", 400, &c, NULL, &e) == 0);
    CHECK(dd_service_claim(s, 401, &j, &e) == 0);
    dd_service_job_free(j);
    CHECK(dd_service_fail(s, c, 1, "no such image", 1, 402, &e) == 0);
    CHECK(dd_service_job_get(s, c, &j, &e) == 0);
    CHECK(j->state == DD_JOB_FAILED && j->attempts == 1);
    dd_service_job_free(j);
    uint64_t cnt[4];
    CHECK(dd_service_counts(s, cnt, &e) == 0);
    CHECK(cnt[DD_JOB_FAILED] == 3 && cnt[DD_JOB_QUEUED] == 0);
    dd_service_close(s);
}

static void tokens(void)
{
    dd_service *s = fresh("tokens.db", NULL);
    CHECK(s);
    dd_error e;
    char t1[DD_TOKEN_MAX], t2[DD_TOKEN_MAX];
    CHECK(dd_service_token_create(s, "ci", DD_ROLE_SCAN, 5, t1, &e) == 0);
    CHECK(strncmp(t1, "ddt_", 4) == 0 && strlen(t1) == 47);
    CHECK(dd_service_token_create(s, "ops", DD_ROLE_ADMIN, 5, t2, &e) == 0);
    CHECK(strcmp(t1, t2) != 0);
    int role = -1;
    CHECK(dd_service_token_check(s, t1, &role, &e) == 0);
    CHECK(role == DD_ROLE_SCAN);
    CHECK(dd_service_token_check(s, t2, &role, &e) == 0);
    CHECK(role == DD_ROLE_ADMIN);
    CHECK(dd_service_token_check(s, "ddt_wrong", &role, &e) == DD_ENOTFOUND);
    CHECK(role == -1);
    CHECK(dd_service_token_check(s, "", &role, &e) == DD_ENOTFOUND);
    /* recreating a name replaces its token */
    char t3[DD_TOKEN_MAX];
    CHECK(dd_service_token_create(s, "ci", DD_ROLE_READ, 6, t3, &e) == 0);
    CHECK(dd_service_token_check(s, t1, &role, &e) == DD_ENOTFOUND);
    CHECK(dd_service_token_check(s, t3, &role, &e) == 0);
    CHECK(role == DD_ROLE_READ);
    CHECK(dd_service_token_create(s, "", DD_ROLE_READ, 6, t3, &e) ==
          DD_EINVALID);
    CHECK(dd_service_token_create(s, "x", 7, 6, t3, &e) == DD_EINVALID);
    CHECK(dd_token_role_parse("admin") == DD_ROLE_ADMIN);
    CHECK(dd_token_role_parse("root") == -1);
    dd_service_close(s);
    /* only the hash is stored */
    char st[128];
    store_name(st, sizeof st, "tokens.db");
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(st + 7, &db) == SQLITE_OK);
    sqlite3_stmt *q = NULL;
    CHECK(sqlite3_prepare_v2(db, "SELECT name, role, sha256 FROM tokens", -1,
                             &q, NULL) == SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(q, 2);
        CHECK(strstr(h, t2 + 4) == NULL && strstr(h, t3 + 4) == NULL);
        CHECK(strlen(h) >= 64);
        rows++;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(rows == 2);
}

static int parse(const char *body, dd_service_request *r, dd_error *e)
{
    return dd_service_parse_submit(body, strlen(body), r, e);
}

static void request_parse(void)
{
    dd_service_request r;
    dd_error e;
    CHECK(parse("{\"image\":\"alpine:3.20\"}", &r, &e) == 0);
    CHECK_STR(r.image, "alpine:3.20");
    CHECK_STR(r.options, "{\"scanners\":[]}");
    CHECK(r.local == 0 && r.scanners == 0);
    dd_service_request_clear(&r);
    /* scanners in table order, repeats folded: same options text */
    CHECK(parse("{\"scanners\":[\"secret\",\"vuln\",\"secret\"],"
                "\"image\":\"oci:/x\"}",
                &r, &e) == 0);
    CHECK_STR(r.options, "{\"scanners\":[\"vuln\",\"secret\"]}");
    CHECK(r.local == 1);
    CHECK(r.scanners == (DD_SCANNER_VULN | DD_SCANNER_SECRET));
    dd_service_request_clear(&r);
    static const struct {
        const char *body, *why;
    } bad[] = {
        {"", "request"},
        {"{\"image\":", "request"},
        {"[1]", "not a JSON object"},
        {"{}", "\"image\" must be a string"},
        {"{\"image\":7}", "\"image\" must be a string"},
        {"{\"image\":\"\"}", "1 to 4096"},
        {"{\"image\":\"a\\u0000b\"}", "u0000"},
        {"{\"image\":\"a\\nb\"}", "control character at offset 1"},
        {"{\"image\":\"a\",\"x\":1}", "unknown field 'x'"},
        {"{\"image\":\"a\",\"scanners\":\"vuln\"}", "must be an array"},
        {"{\"image\":\"a\",\"scanners\":[\"nope\"]}",
         "scanners[0]: unknown scanner 'nope'"},
        {"{\"image\":\"a\",\"scanners\":[1]}", "(not a string)"},
        {"{\"image\":\"a\",\"image\":\"b\"}", "request"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e.message[0] = 0;
        if (parse(bad[i].body, &r, &e) != DD_EINVALID ||
            !strstr(e.message, bad[i].why) || strchr(e.message, '\n')) {
            char m[300];
            snprintf(m, sizeof m, "body %zu: %s", i, e.message);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
        CHECK(r.image == NULL);
    }
    /* over the cap, and bytes after a NUL are not read */
    char *big = calloc(1, DD_SERVICE_BODY_MAX + 2);
    CHECK(big);
    memset(big, ' ', DD_SERVICE_BODY_MAX + 1);
    CHECK(dd_service_parse_submit(big, DD_SERVICE_BODY_MAX + 1, &r, &e) ==
          DD_EINVALID);
    free(big);
    const char two[] = "{\"image\":\"a\"}XXXX";
    CHECK(dd_service_parse_submit(two, 13, &r, &e) == 0);
    dd_service_request_clear(&r);
    CHECK(dd_service_parse_submit(two, 12, &r, &e) == DD_EINVALID);
}

static void local_paths(void)
{
    CHECK(dd_service_ref_is_local("/srv/x.tar"));
    CHECK(dd_service_ref_is_local("oci:/srv/x"));
    CHECK(dd_service_ref_is_local("docker-archive:/srv/x.tar"));
    CHECK(dd_service_ref_is_local("docker:alpine"));
    CHECK(dd_service_ref_is_local("./x"));
    CHECK(!dd_service_ref_is_local("alpine:3.20"));
    CHECK(!dd_service_ref_is_local("ghcr.io/a/b@sha256:00"));
    char allow[96], outside[96], img[160], link[160], cmd[1024];
    snprintf(allow, sizeof allow, "%s/allow", tmpdir());
    snprintf(outside, sizeof outside, "%s/outside", tmpdir());
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/img %s && touch %s/secret && "
             "ln -sfn %s %s/escape",
             allow, outside, outside, outside, allow);
    CHECK(system(cmd) == 0);
    const char *dirs[] = {allow};
    char *res = NULL;
    dd_error e;
    snprintf(img, sizeof img, "oci:%s/img", allow);
    CHECK(dd_service_local_allowed(img, dirs, 1, &res, &e) == 0);
    CHECK_STR(res, img);
    dd_string_free(res);
    /* a tag after the path */
    snprintf(link, sizeof link, "oci:%s/img:v1", allow);
    CHECK(dd_service_local_allowed(link, dirs, 1, &res, &e) == 0);
    CHECK_STR(res, link);
    dd_string_free(res);
    /* .. and symlinks that leave the directory */
    snprintf(link, sizeof link, "%s/img/../../outside/secret", allow);
    CHECK(dd_service_local_allowed(link, dirs, 1, &res, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "--allow-dir") != NULL && res == NULL);
    snprintf(link, sizeof link, "%s/escape/secret", allow);
    CHECK(dd_service_local_allowed(link, dirs, 1, &res, &e) == DD_EINVALID);
    /* a sibling whose name starts like the allowed one */
    snprintf(cmd, sizeof cmd, "mkdir -p %s/allowed2", tmpdir());
    CHECK(system(cmd) == 0);
    snprintf(link, sizeof link, "%s/allowed2", tmpdir());
    CHECK(dd_service_local_allowed(link, dirs, 1, &res, &e) == DD_EINVALID);
    /* missing, relative, no allowed dirs, the daemon */
    snprintf(link, sizeof link, "%s/nope", allow);
    CHECK(dd_service_local_allowed(link, dirs, 1, &res, &e) == DD_ENOTFOUND);
    CHECK(dd_service_local_allowed("./x", dirs, 1, &res, &e) == DD_EINVALID);
    snprintf(img, sizeof img, "%s/img", allow);
    CHECK(dd_service_local_allowed(img, NULL, 0, &res, &e) == DD_EINVALID);
    CHECK(dd_service_local_allowed("docker:alpine", dirs, 1, &res, &e) ==
          DD_EINVALID);
}

static const char CREDS[] =
    "[default]\naws_access_key_id = AKIAZ7Q3K2LMN5PRT8WX\n"
    "aws_secret_access_key = 9dKq3Lm7Pz2Xv8Rt5Wn1Yb4Hc6Jf0Gs3Ae7Ui2Ok\n";

/* a worker runs a job end to end: open, scan, both reports, summary */
static void worker_run(void)
{
    fx_buf t = {0}, g = {0};
    fx_tar_entry(&t, "root/.aws/credentials", '0', NULL, CREDS,
                 sizeof CREDS - 1);
    fx_tar_end(&t);
    fx_gzip(&t, &g);
    char *img = fx_tempdir();
    fx_oci_layout(img, "t:1", "amd64", &g, &t, 1, "");
    fx_buf_free(&t);
    fx_buf_free(&g);
    dd_engine_opts eo = DD_ENGINE_OPTS_INIT;
    eo.no_malware = 1;
    dd_engine *eng = NULL;
    dd_error e;
    CHECK(dd_engine_new(&eng, &eo, &e) == 0);
    dd_service *s = fresh("worker.db", NULL);
    CHECK(s);
    CHECK(dd_service_run_one(s, eng, NULL, 10, &e) == DD_ENOTFOUND);
    int64_t a, b;
    char ref[256];
    snprintf(ref, sizeof ref, "oci:%s", img);
    CHECK(dd_service_submit(s, ref, "{\"scanners\":[\"secret\"]}", 10, &a, NULL,
                            &e) == 0);
    CHECK(dd_service_submit(s, "/no/such/image", "{\"scanners\":[]}", 11, &b,
                            NULL, &e) == 0);
    CHECK(dd_service_run_one(s, eng, NULL, 12, &e) == 0);
    CHECK(dd_service_run_one(s, eng, NULL, 13, &e) == 0);
    CHECK(dd_service_run_one(s, eng, NULL, 14, &e) == DD_ENOTFOUND);
    dd_service_job *j = NULL;
    CHECK(dd_service_job_get(s, a, &j, &e) == 0);
    CHECK(j->state == DD_JOB_DONE && j->attempts == 1);
    CHECK(j->digest && strncmp(j->digest, "sha256:", 7) == 0);
    json_t *sum = json_loads(j->summary, 0, NULL);
    dd_service_job_free(j);
    CHECK(sum);
    CHECK(json_integer_value(json_object_get(sum, "total")) >= 1);
    CHECK(json_is_string(json_object_get(sum, "worst")));
    json_decref(sum);
    char *r = NULL;
    CHECK(dd_service_report(s, a, "json", &r, NULL, &e) == 0);
    json_t *doc = json_loads(r, 0, NULL);
    dd_string_free(r);
    CHECK(doc);
    CHECK_STR(json_string_value(json_object_get(doc, "schema")),
              "drydock-scan/1");
    int aws = 0;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "findings"), i, f)
    {
        const char *id = json_string_value(json_object_get(f, "id"));
        aws |= id && strstr(id, "aws") != NULL;
    }
    json_decref(doc);
    CHECK(aws);
    CHECK(dd_service_report(s, a, "sarif", &r, NULL, &e) == 0);
    CHECK(strstr(r, "\"2.1.0\"") != NULL);
    dd_string_free(r);
    /* a missing image is a final error: failed at the first attempt */
    CHECK(dd_service_job_get(s, b, &j, &e) == 0);
    CHECK(j->state == DD_JOB_FAILED && j->attempts == 1 && j->error);
    dd_service_job_free(j);
    /* threads: three more jobs, two workers */
    dd_service_workers *w = NULL;
    for (int k = 0; k < 3; k++) {
        char o[64];
        snprintf(o, sizeof o, "{\"scanners\":[\"secret\"],\"k\":%d}", k);
        CHECK(dd_service_submit(s, ref, o, 20, &a, NULL, &e) == 0);
    }
    CHECK(dd_service_workers_start(s, eng, NULL, 2, &w, &e) == 0);
    uint64_t cnt[4] = {0};
    for (int k = 0; k < 6000 && cnt[DD_JOB_DONE] < 4; k++) {
        CHECK(dd_service_counts(s, cnt, &e) == 0);
        if (cnt[DD_JOB_DONE] < 4) {
            usleep(10000);
        }
    }
    dd_service_workers_stop(w);
    CHECK(cnt[DD_JOB_DONE] == 4 && cnt[DD_JOB_QUEUED] == 0 &&
          cnt[DD_JOB_RUNNING] == 0 && cnt[DD_JOB_FAILED] == 1);
    dd_service_close(s);
    dd_engine_free(eng);
    fx_rmtree(img);
}

/* two handles on one file (two processes' worth of connections) claim
 * from four threads: every job is claimed exactly once */
typedef struct claimer {
    dd_service *s;
    int64_t got[64];
    size_t n;
    int bad;
} claimer;

static void *claim_all(void *p)
{
    claimer *c = p;
    for (;;) {
        dd_service_job *j = NULL;
        dd_error e;
        int rc = dd_service_claim(c->s, 1000, &j, &e);
        if (rc == DD_ENOTFOUND) {
            break;
        }
        if (rc || c->n == 64) {
            c->bad = 1;
            break;
        }
        c->got[c->n++] = j->id;
        c->bad |= dd_service_finish(c->s, j->id, j->attempts, "{}", "{}", NULL,
                                    NULL, 1001, &e) != 0;
        dd_service_job_free(j);
    }
    return NULL;
}

static void claim_shared(void)
{
    dd_service *a = fresh("shared.db", NULL);
    CHECK(a);
    char st[128];
    store_name(st, sizeof st, "shared.db");
    dd_service *b = NULL;
    dd_error e;
    CHECK(dd_service_open(&b, st, NULL, &e) == 0);
    enum { N = 40 };
    for (int i = 0; i < N; i++) {
        char img[32];
        snprintf(img, sizeof img, "img-%d", i);
        int64_t id;
        CHECK(dd_service_submit(i % 2 ? a : b, img, "{}", 999, &id, NULL, &e) ==
              0);
    }
    claimer c[4];
    pthread_t th[4];
    memset(c, 0, sizeof c);
    for (int i = 0; i < 4; i++) {
        c[i].s = i % 2 ? a : b;
        CHECK(pthread_create(&th[i], NULL, claim_all, &c[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
    }
    int seen[N + 1];
    memset(seen, 0, sizeof seen);
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        CHECK(!c[i].bad);
        for (size_t k = 0; k < c[i].n; k++) {
            CHECK(c[i].got[k] >= 1 && c[i].got[k] <= N);
            seen[c[i].got[k]]++;
        }
        total += c[i].n;
    }
    CHECK(total == N);
    for (int i = 1; i <= N; i++) {
        CHECK(seen[i] == 1);
    }
    uint64_t cnt[4];
    CHECK(dd_service_counts(b, cnt, &e) == 0);
    CHECK(cnt[DD_JOB_DONE] == N);
    /* every one took 1001 - 1000 = 1 s */
    static const int64_t bounds[] = {0, 1, 5};
    uint64_t le[3], count = 0;
    int64_t sum = 0;
    CHECK(dd_service_scan_seconds(a, bounds, 3, le, &count, &sum, &e) == 0);
    CHECK(count == N && sum == N && le[0] == 0 && le[1] == N && le[2] == N);
    dd_service_close(b);
    dd_service_close(a);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir());
    CHECK(system(cmd) == 0);
}

TEST_LIST(T(open_migrate),
          T(submit_dedupe),
          T(claim_lease_attempts),
          T(tokens),
          T(request_parse),
          T(local_paths),
          T(worker_run),
          T(claim_shared),
          T(cleanup))
