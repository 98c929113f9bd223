/*
 * tests/unit/test_vuln.c - CVSS scoring, ecosystem namespaces, the feed
 * parsers on crafted and truncated input (counting sink), and the
 * database: import, re-import replacing a feed, failed import leaving
 * the old file, read-only open, feed info.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "drydock/drydock.h"
#include "lib/vuln/vuln_int.h"
#include "../fuzz/fuzz_feed_sink.h"

static void test_vuln__cvss3_scores(void)
{
    static const struct {
        const char *v;
        double s;
    } t[] = {
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
        {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N", 3.7},
        {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", 3.3},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 6.5},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
        {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        double s = dd__cvss3_score(t[i].v);
        CHECK(s > t[i].s - 0.001 && s < t[i].s + 0.001);
    }
    CHECK(dd__cvss3_score("CVSS:2.0/AV:N") < 0);
    CHECK(dd__cvss3_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") < 0);
    CHECK(dd__cvss3_score("CVSS:3.1/AV:N") < 0);
    CHECK_STR(dd__cvss_severity(9.8), "CRITICAL");
    CHECK_STR(dd__cvss_severity(7.0), "HIGH");
    CHECK_STR(dd__cvss_severity(3.9), "LOW");
}

static void test_vuln__namespaces(void)
{
    char ns[64];
    const char *sch = NULL;
    CHECK(dd__osv_namespace("Debian:12", ns, sizeof ns, &sch) == 0);
    CHECK_STR(ns, "debian:12");
    CHECK_STR(sch, "dpkg");
    CHECK(dd__osv_namespace("Alpine:v3.20", ns, sizeof ns, &sch) == 0);
    CHECK_STR(ns, "alpine:3.20");
    CHECK(dd__osv_namespace("Ubuntu:22.04:LTS", ns, sizeof ns, &sch) == 0);
    CHECK_STR(ns, "ubuntu:22.04");
    CHECK(dd__osv_namespace("PyPI", ns, sizeof ns, &sch) == 0);
    CHECK_STR(sch, "pep440");
    CHECK(dd__osv_namespace("NoSuchEco", ns, sizeof ns, &sch) < 0);
    CHECK_STR(dd__debian_release("bookworm"), "12");
    CHECK(dd__debian_release("nope") == NULL);
}

static void dry(const char *kind, const char *s, size_t *rec, size_t *bad)
{
    fuzz_feed_count c;
    dd__vuln_sink sink = fuzz_feed_sink(&c);
    size_t n = strlen(s);
    int alpine = !strncmp(kind, "alpine", 6);
    if (!alpine) {
        sink.feed_begin(sink.ctx, "t", "t", "t");
    }
    if (!strcmp(kind, "osv")) {
        dd__feed_osv_json(&sink, "t", s, n);
    } else if (!strcmp(kind, "alpine-json")) {
        dd__feed_alpine(&sink, "t", s, n, 0);
    } else if (!strcmp(kind, "alpine-yaml")) {
        dd__feed_alpine(&sink, "t", s, n, 1);
    } else if (!strcmp(kind, "deb-json")) {
        dd__feed_debian_json(&sink, "t", s, n);
    } else {
        dd__feed_debian_list(&sink, "t", s, n);
    }
    if (!alpine) {
        sink.feed_end(sink.ctx);
    }
    *rec = c.advisories;
    /* a contract violation fails every count check below */
    *bad = c.violations ? (size_t)-1 : c.malformed;
}

static void test_vuln__parsers_count_and_survive(void)
{
    size_t r, b;
    static const char osv[] =
        "{\"id\":\"GHSA-1\",\"aliases\":[\"CVE-1\"],\"affected\":[{\"package\":"
        "{\"ecosystem\":\"npm\",\"name\":\"x\"},\"ranges\":[{\"type\":"
        "\"SEMVER\","
        "\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.2.3\"}]}]},"
        "{\"package\":{}}]}";
    dry("osv", osv, &r, &b);
    CHECK(r == 1 && b == 1);
    /* every truncation: malformed, never a crash */
    char buf[sizeof osv];
    for (size_t n = 0; n + 1 < sizeof osv; n++) {
        memcpy(buf, osv, n);
        buf[n] = '\0';
        dry("osv", buf, &r, &b);
        CHECK(r == 0 && b == 1);
    }
    dry("alpine-yaml",
        "distroversion: v3.11\nreponame: main\npackages:\n  - pkg:\n"
        "      name: a\n      secfixes:\n        1.0-r1:\n          - CVE-1\n"
        "          - bogus id\n        0:\n          - CVE-2\n",
        &r, &b);
    CHECK(r == 2 && b == 1);
    dry("alpine-yaml", "distroversion: [unterminated", &r, &b);
    CHECK(r == 0 && b == 1);
    dry("alpine-json", "{\"distroversion\":\"v3.20\",\"packages\":7}", &r, &b);
    CHECK(r == 0 && b == 1);
    dry("deb-json",
        "{\"p\":{\"CVE-1\":{\"releases\":{\"bookworm\":{\"status\":\"open\"},"
        "\"nosuch\":{\"status\":\"open\"}}},\"CVE-2\":7}}",
        &r, &b);
    CHECK(r == 1 && b == 1);
    dry("deb-list",
        "[01 Jan 2020] DSA-1-1 p - x\n\t{CVE-1 CVE-2}\n\t[bookworm] - p 1.0\n"
        "[99 Foo 2020] DSA-2-1 q - y\n\t[bookworm] - q 1.0\n"
        "[02 Jan 2020] DSA-3-1 r - z\n\t{unterminated\n"
        "\t[bookworm] - r <weird>\n",
        &r, &b);
    CHECK(r == 2 && b == 3);
}

static void test_vuln__db_import_replace_and_atomic(void)
{
    char *dir = fx_tempdir();
    char db[512], f1[512], f2[512], bad[512];
    snprintf(db, sizeof db, "%s/sub/dir/v.db", dir);
    snprintf(f1, sizeof f1, "%s/a.json", dir);
    snprintf(f2, sizeof f2, "%s/b.list", dir);
    snprintf(bad, sizeof bad, "%s/bad.txt", dir);
    static const char a[] =
        "{\"id\":\"OSV-1\",\"affected\":[{\"package\":{\"ecosystem\":"
        "\"Debian:12\",\"name\":\"p\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
        "\"events\":[{\"introduced\":\"0\"}]}]}]}";
    static const char l[] =
        "[01 Jan 2020] DSA-1-1 p - x\n\t[bookworm] - p 1.0\n";
    fx_write_file(dir, "a.json", a, sizeof a - 1);
    fx_write_file(dir, "b.list", l, sizeof l - 1);
    fx_write_file(dir, "bad.txt", "hello", 5);
    const char *in[3] = {f1, f2, bad};
    dd_import_report rep;
    dd_error err;
    CHECK(dd_vulndb_import(db, in, 2, &rep, &err) == 0);
    CHECK(rep.records == 2 && rep.feeds == 2 && rep.malformed == 0);
    dd_import_report_free(&rep);
    /* the same feeds again: replaced, not doubled */
    CHECK(dd_vulndb_import(db, in, 2, &rep, &err) == 0);
    dd_import_report_free(&rep);
    dd_vulndb *v = NULL;
    CHECK(dd_vulndb_open(&v, db, &err) == 0);
    dd_feed_info *fi = NULL;
    size_t n = 0;
    CHECK(dd_vulndb_feeds(v, &fi, &n, &err) == 0);
    CHECK(n == 2 && fi[0].records == 1 && fi[1].records == 1);
    CHECK(dd_vulndb_age(v) >= 0 && dd_vulndb_age(v) < 60);
    dd_feed_info_free(fi, n);
    dd_vulndb_close(v);
    /* a failing input: error, old file unchanged */
    struct stat before, after;
    CHECK(stat(db, &before) == 0);
    CHECK(dd_vulndb_import(db, in, 3, &rep, &err) == DD_EUNSUPPORTED);
    CHECK(strstr(err.message, "bad.txt") != NULL);
    dd_import_report_free(&rep);
    CHECK(stat(db, &after) == 0 && after.st_ino == before.st_ino &&
          after.st_size == before.st_size);
    /* not a database */
    CHECK(dd_vulndb_open(&v, f1, &err) == DD_ECORRUPT);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.db", dir);
    CHECK(dd_vulndb_open(&v, missing, &err) == DD_ENOTFOUND);
    CHECK(strstr(err.message, "db update") != NULL);
    fx_rmtree(dir);
}

/* dd_vulndb_update without the network: argument errors are DD_EINVALID
 * before anything is touched; an unreachable mirror is DD_ENET naming the
 * URL, nothing is imported and the database is not created; a cancel
 * callback stops at the first transfer. */
static int line_count;
static void count_line(void *ud, const char *line)
{
    (void)ud;
    (void)line;
    line_count++;
}
static int cancel_now(void *ud)
{
    (void)ud;
    return 1;
}
static void test_vuln__db_update_errors(void)
{
    char *dir = fx_tempdir();
    char db[600];
    snprintf(db, sizeof db, "%s/sub/drydock.db", dir);
    dd_import_report rep;
    dd_error err;
    dd_vulndb_update_opts o = DD_VULNDB_UPDATE_OPTS_INIT;
    o.feeds = "debian,nosuch";
    CHECK(dd_vulndb_update(db, &o, &rep, &err) == DD_EINVALID);
    CHECK(strstr(err.message, "unknown feed 'nosuch'") != NULL);
    CHECK(strstr(dd_vulndb_feed_names(), "alpine") != NULL);
    o.feeds = NULL;
    o.mirror = "http://127.0.0.1:1/";
    CHECK(dd_vulndb_update(db, &o, &rep, &err) == DD_EINVALID);
    CHECK(strstr(err.message, "https://") != NULL);
    o.mirror = "https://127.0.0.1:1/";
    o.line = count_line;
    line_count = 0;
    CHECK(dd_vulndb_update(db, &o, &rep, &err) == DD_ENET);
    CHECK(strstr(err.message, "https://127.0.0.1:1/Debian/all.zip") != NULL);
    CHECK(line_count == 0); /* the first error is in err, not a line */
    CHECK(rep.records == 0 && rep.messages == NULL);
    struct stat st;
    CHECK(stat(db, &st) != 0);
    o.cancel = cancel_now;
    CHECK(dd_vulndb_update(db, &o, &rep, &err) == DD_ECANCELED);
    CHECK(dd_vulndb_update(NULL, &o, &rep, &err) == DD_EINVALID);
    fx_rmtree(dir);
}

TEST_LIST(T(test_vuln__cvss3_scores),
          T(test_vuln__db_update_errors),
          T(test_vuln__namespaces),
          T(test_vuln__parsers_count_and_survive),
          T(test_vuln__db_import_replace_and_atomic))
