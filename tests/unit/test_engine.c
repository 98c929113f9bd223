/*
 * tests/unit/test_engine.c - one engine shared by concurrent scans
 * (drydock/engine.h, scan.h, report.h): results equal to the same scan
 * run alone, cancel, deadline, scanner names, the ignore file, engine
 * references and every report format. Also built with ThreadSanitizer
 * (make build-tsan) by tests/run-all.sh.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "fixture.h"
#include "harness.h"

#define N_IMAGES 4

static const char EICAR[] =
    "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
static const char OSR[] = "ID=debian\nVERSION_ID=\"12\"\n";
static const char STATUS[] = "Package: a\nStatus: install ok installed\n"
                             "Version: 1.0\nArchitecture: amd64\n\n"
                             "Package: b\nStatus: install ok installed\n"
                             "Version: 2.0\nArchitecture: all\n";
static const char CREDS[] =
    "[default]\naws_access_key_id = AKIAZ7Q3K2LMN5PRT8WX\n"
    "aws_secret_access_key = 9dKq3Lm7Pz2Xv8Rt5Wn1Yb4Hc6Jf0Gs3Ae7Ui2Ok\n";
static const char MINER[] =
    "#!/bin/sh\n./xmrig -o stratum+tcp://pool.minexmr.com:4444 -u "
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uN"
    "br2VBBEt7f2wfn3RVGQBEP3A --donate-level 1\n";

typedef struct image_fx {
    char *dir;
    dd_image *img;
} image_fx;

static void layout(image_fx *x, fx_buf *t, size_t n, const char *cfg)
{
    fx_buf g[4] = {{0}};
    for (size_t i = 0; i < n; i++) {
        fx_tar_end(&t[i]);
        fx_gzip(&t[i], &g[i]);
    }
    x->dir = fx_tempdir();
    fx_oci_layout(x->dir, "t:1", "amd64", g, t, n, cfg);
    for (size_t i = 0; i < n; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
    dd_error err;
    x->img = NULL;
    if (dd_image_open(&x->img, x->dir, NULL, &err)) {
        fprintf(stderr, "open %s: %s\n", x->dir, err.message);
    }
}

static void make_images(image_fx *x)
{
    char big[4096];
    /* 0: debian packages, credentials, EICAR deleted later, root user */
    fx_buf t[4] = {{0}};
    fx_tar_entry(&t[0], "etc/os-release", '0', NULL, OSR, sizeof OSR - 1);
    fx_tar_entry(&t[0], "var/lib/dpkg/status", '0', NULL, STATUS,
                 sizeof STATUS - 1);
    fx_tar_entry(&t[1], "root/.aws/credentials", '0', NULL, CREDS,
                 sizeof CREDS - 1);
    fx_tar_entry(&t[1], "tmp/eicar.com", '0', NULL, EICAR, sizeof EICAR - 1);
    fx_tar_entry(&t[2], "tmp/.wh.eicar.com", '0', NULL, "", 0);
    layout(&x[0], t, 3,
           "\"config\":{\"Env\":[\"DB_PASSWORD=Pr0d-S3cret-2024!\"],"
           "\"ExposedPorts\":{\"22/tcp\":{}}}");
    /* 1: a miner with cron persistence */
    fx_tar_entry(&t[0], "etc/os-release", '0', NULL, OSR, sizeof OSR - 1);
    fx_tar_entry(&t[0], "usr/local/bin/kworkerd", '0', NULL, MINER,
                 sizeof MINER - 1);
    fx_tar_entry(&t[1], "etc/crontabs/root", '0', NULL,
                 "* * * * * /usr/local/bin/kworkerd\n", 34);
    layout(&x[1], t, 2, "");
    /* 2: hostile archive structure */
    fx_tar_entry(&t[0], "../../etc/evil", '0', NULL, "x", 1);
    fx_tar_entry(&t[0], "escape", '2', "/../../..", NULL, 0);
    fx_tar_entry(&t[1], "escape/etc/passwd", '0', NULL, "root::0:0\n", 10);
    fx_tar_entry(&t[1], "shadowlink", '1', "etc/shadow", NULL, 0);
    layout(&x[2], t, 2, "");
    /* 3: many files, secrets here and there */
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "srv/app/f%03d.txt", i);
        int n;
        if (i % 50) {
            n = snprintf(big, sizeof big, "line %d\nnothing here\n", i);
        } else {
            /* a token-shaped value, different per file */
            static const char al[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNP"
                                     "QRSTUVWXYZ23456789";
            char tok[37];
            unsigned v = 2166136261u ^ (unsigned)i;
            for (int k = 0; k < 36; k++) {
                v = v * 1103515245u + 12345u;
                tok[k] = al[(v >> 16) % (sizeof al - 1)];
            }
            tok[36] = '\0';
            n = snprintf(big, sizeof big, "GITHUB_TOKEN=ghp_%s\n", tok);
        }
        fx_tar_entry(&t[i % 3], name, '0', NULL, big, (size_t)n);
    }
    layout(&x[3], t, 3, "\"config\":{\"User\":\"app\"}");
}

static void free_images(image_fx *x)
{
    for (int i = 0; i < N_IMAGES; i++) {
        dd_image_free(x[i].img);
        fx_rmtree(x[i].dir);
    }
}

/* an OSV feed that makes package "a" 1.0 vulnerable, imported */
static char *make_db(const char *dir)
{
    static const char osv[] =
        "{\"id\":\"DEBIAN-CVE-2099-0001\",\"modified\":\"2024-01-01T00:00:"
        "00Z\","
        "\"aliases\":[\"CVE-2099-0001\"],\"summary\":\"a: test flaw\","
        "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":"
        "\"a\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{"
        "\"introduced\":\"0\"},{\"fixed\":\"1.2\"}]}]}],"
        "\"database_specific\":{\"severity\":\"high\"}}";
    fx_write_file(dir, "feed/DEBIAN-CVE-2099-0001.json", osv, sizeof osv - 1);
    char feed[4096], *db = malloc(4096);
    snprintf(feed, sizeof feed, "%s/feed", dir);
    snprintf(db, 4096, "%s/v.db", dir);
    const char *in[] = {feed};
    dd_import_report rep;
    dd_error err;
    if (dd_vulndb_import(db, in, 1, &rep, &err)) {
        fprintf(stderr, "import: %s\n", err.message);
    }
    dd_import_report_free(&rep);
    return db;
}

/* an engine with the database of make_db() under `dir`, or NULL */
static dd_engine *engine_with_db(const char *dir)
{
    char *db = make_db(dir);
    dd_engine_opts eo = DD_ENGINE_OPTS_INIT;
    eo.db_path = db;
    dd_engine *eng = NULL;
    dd_error err;
    if (dd_engine_new(&eng, &eo, &err)) {
        fprintf(stderr, "engine: %s\n", err.message);
    }
    free(db);
    return eng;
}

/* the JSON report without the database's age (it ticks) */
static char *report(dd_scan *s, const char *fmt)
{
    char *t = NULL;
    size_t len;
    dd_error err;
    if (dd_report_render(&t, &len, s, fmt, &err)) {
        return NULL;
    }
    char *age = strstr(t, "\"age_seconds\"");
    if (age) {
        char *end = strchr(age, '\n');
        memmove(age, end, strlen(end) + 1);
    }
    return t;
}

static char *scan_json(dd_engine *eng, dd_image *img, unsigned threads)
{
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.walk.threads = threads;
    dd_scan *s = NULL;
    dd_error err;
    if (dd_scan_run(&s, eng, img, &so, &err)) {
        fprintf(stderr, "scan: %s\n", err.message);
        return NULL;
    }
    char *t = report(s, "json");
    dd_scan_free(s);
    return t;
}

typedef struct job {
    dd_engine *eng;
    dd_image *img;
    char *out;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    j->out = scan_json(j->eng, j->img, 2);
    return NULL;
}

static void test_engine__concurrent_scans_equal_alone(void)
{
    image_fx x[N_IMAGES];
    make_images(x);
    char *dir = fx_tempdir();
    dd_engine *eng = engine_with_db(dir);
    CHECK(eng);
    CHECK(dd_engine_scanners(eng) & DD_SCANNER_VULN);
    char *alone[N_IMAGES];
    for (int i = 0; i < N_IMAGES; i++) {
        CHECK(x[i].img);
        alone[i] = scan_json(eng, x[i].img, 1);
        CHECK(alone[i]);
    }
    /* what each image must show, so that equality means something */
    CHECK(strstr(alone[0], "CVE-2099-0001") || strstr(alone[0], "DEBIAN-CVE"));
    CHECK(strstr(alone[0], "\"kind\": \"secret\""));
    CHECK(strstr(alone[0], "EICAR"));
    CHECK(strstr(alone[1], "\"kind\": \"malware\""));
    CHECK(strstr(alone[2], "archive."));
    CHECK(strstr(alone[3], "ghp_"));
    job jobs[2 * N_IMAGES];
    pthread_t tid[2 * N_IMAGES];
    for (int round = 0; round < 2; round++) {
        /* 8 scans, 4 threads at a time */
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 4; i++) {
                int n = k * 4 + i;
                jobs[n] = (job){eng, x[(n + round) % N_IMAGES].img, NULL};
                CHECK(pthread_create(&tid[n], NULL, worker, &jobs[n]) == 0);
            }
            for (int i = 0; i < 4; i++) {
                pthread_join(tid[k * 4 + i], NULL);
            }
        }
        for (int n = 0; n < 2 * N_IMAGES; n++) {
            CHECK(jobs[n].out);
            CHECK_STR(jobs[n].out, alone[(n + round) % N_IMAGES]);
            free(jobs[n].out);
        }
    }
    for (int i = 0; i < N_IMAGES; i++) {
        free(alone[i]);
    }
    dd_engine_free(eng);
    free_images(x);
    fx_rmtree(dir);
}

static int cancel_now(void *p)
{
    int *calls = p;
    (*calls)++;
    return 1;
}

static void test_engine__cancel_and_deadline(void)
{
    image_fx x[N_IMAGES];
    make_images(x);
    dd_engine *eng = NULL;
    dd_error err;
    CHECK(dd_engine_new(&eng, NULL, &err) == 0);
    int calls = 0;
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.cancel = cancel_now;
    so.cancel_payload = &calls;
    so.walk.threads = 1;
    dd_scan *s = NULL;
    CHECK(dd_scan_run(&s, eng, x[3].img, &so, &err) == DD_ECANCELED);
    CHECK(!s && calls >= 1);
    CHECK(strstr(err.message, "cancel"));
    /* a deadline already past: every layer stopped and reported */
    dd_scan_opts so2 = DD_SCAN_OPTS_INIT;
    so2.walk.deadline_ns = 1;
    CHECK(dd_scan_run(&s, eng, x[3].img, &so2, &err) == 0);
    const dd_scan_summary *sum = dd_scan_summary_get(s);
    CHECK(!sum->complete);
    size_t timeouts = 0;
    const dd_findings *fl = dd_scan_findings(s);
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        if (!strcmp(f->rule_id, "scan.timeout")) {
            CHECK(f->severity == DD_SEV_HIGH);
            timeouts++;
        }
    }
    CHECK(timeouts == 3);
    dd_scan_free(s);
    dd_engine_free(eng);
    free_images(x);
}

static void test_engine__scanners_and_refs(void)
{
    unsigned bits = 0;
    dd_error err;
    CHECK(dd_scanners_parse("vuln,secret", &bits, &err) == 0);
    CHECK(bits == (DD_SCANNER_VULN | DD_SCANNER_SECRET));
    CHECK(dd_scanners_parse("vuln,misconfig", &bits, &err) == DD_EINVALID);
    CHECK(strstr(err.message, "'misconfig'") &&
          strstr(err.message, "vuln, secret, malware, config"));
    CHECK(dd_scanner_count() == 6);
    CHECK_STR(dd_scanner_name(4), "packages");
    CHECK_STR(dd_scanner_name(5), "license"); /* not a default scanner */
    CHECK(dd_scanners_parse("license", &bits, &err) == 0);
    CHECK(bits == DD_SCANNER_LICENSE && !(bits & DD_SCANNERS_DEFAULT));
    image_fx x[N_IMAGES];
    make_images(x);
    dd_engine *eng = NULL;
    CHECK(dd_engine_new(&eng, NULL, &err) == 0);
    CHECK(!(dd_engine_scanners(eng) & DD_SCANNER_VULN));
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.scanners = DD_SCANNER_VULN;
    dd_scan *s = NULL;
    CHECK(dd_scan_run(&s, eng, x[0].img, &so, &err) == DD_EINVALID);
    CHECK(strstr(err.message, "vulnerability database"));
    /* the default set without a database: said in the warnings */
    so.scanners = 0;
    CHECK(dd_scan_run(&s, eng, x[0].img, &so, &err) == 0);
    int warned = 0;
    for (size_t i = 0; i < dd_scan_warning_count(s); i++) {
        warned |= strstr(dd_scan_warning(s, i), "not checked") != NULL;
    }
    CHECK(warned);
    CHECK(!(dd_scan_summary_get(s)->scanners & DD_SCANNER_VULN));
    /* the scan keeps the engine alive */
    dd_engine_free(eng);
    char *t = report(s, "sarif");
    CHECK(t && strstr(t, "\"version\": \"2.1.0\""));
    free(t);
    dd_scan_free(s);
    dd_engine_opts bad = DD_ENGINE_OPTS_INIT;
    bad.db_path = "/nonexistent/drydock.db";
    CHECK(dd_engine_new(&eng, &bad, &err) == DD_ENOTFOUND);
    CHECK(strstr(err.message, "db update"));
    free_images(x);
}

static void test_engine__ignore_file_and_filters(void)
{
    image_fx x[N_IMAGES];
    make_images(x);
    char *dir = fx_tempdir();
    static const char ign[] =
        "# accepted\n"
        "secret.github-pat exp:2999-01-01 # rotated weekly\n"
        "archive.path-traversal exp:2001-01-01\n";
    fx_write_file(dir, "ignore", ign, sizeof ign - 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/ignore", dir);
    dd_engine *eng = NULL;
    dd_error err;
    CHECK(dd_engine_new(&eng, NULL, &err) == 0);
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.ignore_file = path;
    dd_scan *s = NULL;
    CHECK(dd_scan_run(&s, eng, x[2].img, &so, &err) == 0);
    int expired = 0;
    for (size_t i = 0; i < dd_scan_warning_count(s); i++) {
        expired |= strstr(dd_scan_warning(s, i), ":3: ignore of "
                                                 "archive.path-traversal "
                                                 "expired") != NULL;
    }
    CHECK(expired);
    dd_scan_free(s);
    /* only HIGH and above */
    so.ignore_file = NULL;
    so.severities = (1u << DD_SEV_HIGH) | (1u << DD_SEV_CRITICAL);
    CHECK(dd_scan_run(&s, eng, x[1].img, &so, &err) == 0);
    const dd_findings *fl = dd_scan_findings(s);
    CHECK(dd_findings_count(fl) > 0);
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        CHECK(dd_findings_get(fl, i)->severity >= DD_SEV_HIGH);
    }
    dd_scan_free(s);
    static const char badign[] = "CVE-1 exp:tomorrow\n";
    fx_write_file(dir, "bad", badign, sizeof badign - 1);
    snprintf(path, sizeof path, "%s/bad", dir);
    so.ignore_file = path;
    CHECK(dd_scan_run(&s, eng, x[1].img, &so, &err) == DD_ECORRUPT);
    CHECK(strstr(err.message, "bad:1: 'exp:tomorrow' is not exp:YYYY-MM-DD"));
    snprintf(path, sizeof path, "%s/none", dir);
    CHECK(dd_scan_run(&s, eng, x[1].img, &so, &err) == DD_ENOTFOUND);
    dd_engine_free(eng);
    free_images(x);
    fx_rmtree(dir);
}

static void test_engine__report_formats(void)
{
    image_fx x[N_IMAGES];
    make_images(x);
    char *dir = fx_tempdir();
    dd_engine *eng = engine_with_db(dir);
    dd_error err;
    CHECK(eng);
    dd_scan *s = NULL;
    CHECK(dd_scan_run(&s, eng, x[0].img, NULL, &err) == 0);
    for (size_t i = 0; dd_report_format_name(i); i++) {
        char *t = NULL;
        size_t len = 0;
        CHECK(dd_report_render(&t, &len, s, dd_report_format_name(i), &err) ==
              0);
        CHECK(t && len == strlen(t) && len > 100);
        if (!strcmp(dd_report_format_name(i), "cyclonedx")) {
            CHECK(strstr(t, "\"vulnerabilities\"") &&
                  strstr(t, "CVE-2099-0001"));
        }
        if (!strcmp(dd_report_format_name(i), "table")) {
            CHECK(strstr(t, "\nSummary\n") &&
                  strstr(t, "\nVulnerabilities (") &&
                  strstr(t, "CVE-2099-0001"));
        }
        if (!strcmp(dd_report_format_name(i), "junit")) {
            CHECK(strstr(t, "<testsuites ") && strstr(t, "CVE-2099-0001"));
        }
        dd_string_free(t);
    }
    char *t = NULL;
    CHECK(dd_report_render(&t, NULL, s, "yaml", &err) == DD_EINVALID);
    CHECK(strstr(err.message, "unknown format 'yaml'"));
    CHECK(dd_findings_render(&t, NULL, dd_scan_findings(s), dd_scan_image(s),
                             "json", &err) == 0);
    CHECK(t[0] == '[');
    dd_string_free(t);
    dd_scan_free(s);
    dd_engine_free(eng);
    free_images(x);
    fx_rmtree(dir);
}

TEST_LIST(T(test_engine__concurrent_scans_equal_alone),
          T(test_engine__cancel_and_deadline),
          T(test_engine__scanners_and_refs),
          T(test_engine__ignore_file_and_filters),
          T(test_engine__report_formats))
