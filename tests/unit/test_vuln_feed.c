/*
 * tests/unit/test_vuln_feed.c - each feed parser fed a small in-memory feed
 * through a recording dd__vuln_sink (no SQLite): the exact advisories and
 * affected entries it emits, in order; truncated and crafted inputs give
 * one clear malformed line and never a crash; the dispatcher (db_feed.c)
 * names feeds and prefixes messages with the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "lib/vuln/db_int.h"
#include "../fuzz/fuzz_feed_sink.h"

/* ---- a sink that writes one line per call ---------------------------- */

typedef struct rec {
    dd__buf log;
    fuzz_feed_count count; /* the contract checks of the fuzz sink */
    dd__vuln_sink check;
} rec;

static const char *o(const char *s)
{
    return s ? s : "-";
}

static int r_begin(void *c, const char *name, const char *kind, const char *src)
{
    rec *r = c;
    dd__buf_printf(&r->log, "feed %s|%s|%s\n", name, kind, src);
    return r->check.feed_begin(r->check.ctx, name, kind, src);
}

static int r_advisory(void *c, const dd__advisory *a)
{
    rec *r = c;
    dd__buf_printf(&r->log, "adv %s|%s|%s|%s|", o(a->id), o(a->summary),
                   o(a->severity), o(a->cvss_vector));
    if (a->cvss_score >= 0) {
        dd__buf_printf(&r->log, "%.1f", a->cvss_score);
    } else {
        dd__buf_addstr(&r->log, "-");
    }
    dd__buf_printf(&r->log, "|%s|%s|", o(a->published), o(a->modified));
    for (size_t i = 0; i < a->n_aliases; i++) {
        dd__buf_printf(&r->log, "%s%s", i ? "," : "", a->aliases[i]);
    }
    dd__buf_addstr(&r->log, "\n");
    return r->check.advisory(r->check.ctx, a);
}

static int r_affected(void *c, const dd__affected *a)
{
    rec *r = c;
    dd__buf_printf(&r->log, "aff %s|%s|%s|%s|%s|%s|%s\n", o(a->ns),
                   o(a->package), o(a->scheme), o(a->status), o(a->fixed),
                   o(a->ranges), o(a->severity));
    return r->check.affected(r->check.ctx, a);
}

static void r_malformed(void *c, const char *msg)
{
    rec *r = c;
    dd__buf_printf(&r->log, "bad %s\n", msg);
    r->check.malformed(r->check.ctx, msg);
}

static int r_end(void *c)
{
    rec *r = c;
    dd__buf_addstr(&r->log, "end\n");
    return r->check.feed_end(r->check.ctx);
}

static dd__vuln_sink rec_sink(rec *r)
{
    memset(r, 0, sizeof *r);
    dd__buf_init(&r->log, 1u << 24);
    r->check = fuzz_feed_sink(&r->count);
    dd__vuln_sink s = {r, r_begin, r_advisory, r_affected, r_malformed, r_end};
    return s;
}

/* Run one parser (kind: osv, alpine-json, alpine-yaml, deb-json,
 * deb-list) over s[0..n) and return its log (caller frees); the feed
 * around the non-Alpine parsers is begun and ended here, as db_feed.c
 * does. *violations: sink contract breaks (must be 0). */
static char *
run(const char *kind, const char *s, size_t n, int *rc, size_t *violations)
{
    rec r;
    dd__vuln_sink sk = rec_sink(&r);
    int alpine = !strncmp(kind, "alpine", 6);
    if (!alpine) {
        sk.feed_begin(sk.ctx, "t", kind, "t");
    }
    if (!strcmp(kind, "osv")) {
        *rc = dd__feed_osv_json(&sk, "t.json", s, n);
    } else if (alpine) {
        *rc = dd__feed_alpine(&sk, "t", s, n, !strcmp(kind, "alpine-yaml"));
    } else if (!strcmp(kind, "deb-json")) {
        *rc = dd__feed_debian_json(&sk, "t", s, n);
    } else {
        *rc = dd__feed_debian_list(&sk, "t", s, n);
    }
    if (!alpine) {
        sk.feed_end(sk.ctx);
    }
    *violations = r.count.violations;
    char *log = dd__buf_detach(&r.log);
    dd__buf_free(&r.log);
    return log;
}

static char *run_str(const char *kind, const char *s)
{
    int rc = -1;
    size_t v = 1;
    char *log = run(kind, s, strlen(s), &rc, &v);
    if (rc || v) {
        dd__free(log);
        return dd__strdup("(rc or contract violation)");
    }
    return log;
}

static size_t count_lines(const char *log, const char *prefix)
{
    size_t n = 0, pl = strlen(prefix);
    for (const char *p = log; p && *p;) {
        if (!strncmp(p, prefix, pl)) {
            n++;
        }
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
    }
    return n;
}

#define CHECK_LOG(kind, input, expect)         \
    do {                                       \
        char *log_ = run_str(kind, input);     \
        int same_ = !strcmp(log_, expect);     \
        if (!same_) {                          \
            fprintf(stderr, "got:\n%s", log_); \
        }                                      \
        dd__free(log_);                        \
        CHECK(same_);                          \
    } while (0)

/* ---- inputs ------------------------------------------------------------ */

static const char OSV[] =
    "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"aliases\":[\"CVE-2024-1\"],"
    "\"upstream\":[\"CVE-2024-2\"],"
    "\"summary\":\"Prototype pollution\\nsecond line\","
    "\"modified\":\"2024-05-01T00:00:00Z\","
    "\"published\":\"2024-04-01T00:00:00Z\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
    "\"database_specific\":{\"severity\":\"moderate\"},"
    "\"affected\":["
    /* simple: introduced 0, fixed -> no JSON kept */
    "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},"
    "{\"fixed\":\"1.3.0\"}]}]},"
    /* two ranges and a GIT one (dropped): JSON kept, open-ended */
    "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar\"},"
    "\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{"
    "\"introduced\":\"abc\"}]},{\"type\":\"ECOSYSTEM\",\"events\":[{"
    "\"introduced\":\"1.0\"},{\"fixed\":\"1.5\"},{\"introduced\":\"2.0\"}]}]},"
    /* GIT only: nothing to compare a version with, skipped */
    "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"g\"},"
    "\"ranges\":[{\"type\":\"GIT\",\"events\":[{\"introduced\":\"0\"}]}]},"
    /* distro, versions list, urgency */
    "{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"bash\"},"
    "\"versions\":[\"5.2-1\"],"
    "\"ecosystem_specific\":{\"urgency\":\"low\"}},"
    /* no package: one malformed line, the rest kept */
    "{\"ranges\":[]}]}";

static const char OSV_LOG[] =
    "feed t|osv|t\n"
    "adv GHSA-aaaa-bbbb-cccc|Prototype pollution|MEDIUM|"
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H|9.8|"
    "2024-04-01T00:00:00Z|2024-05-01T00:00:00Z|CVE-2024-1,CVE-2024-2\n"
    "aff npm|left-pad|semver|fixed|1.3.0|-|-\n"
    "aff pypi|foo-bar|pep440|affected|1.5|{\"ranges\":[{\"type\":"
    "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"fixed\":\"1.5\"},"
    "{\"introduced\":\"2.0\"}]}]}|-\n"
    "aff debian:12|bash|dpkg|affected|-|{\"ranges\":[],\"versions\":"
    "[\"5.2-1\"]}|LOW\n"
    "bad t.json: affected[4] has no package\n"
    "end\n";

static const char ALPINE_JSON[] =
    "{\"distroversion\":\"v3.20\",\"reponame\":\"main\",\"urlprefix\":\"u\","
    "\"packages\":[{\"pkg\":{\"name\":\"openssl\",\"secfixes\":{"
    "\"3.1.4-r1\":[\"CVE-2023-5678 (fixed upstream)\",\"CVE-2023-6129\"],"
    "\"0\":[\"CVE-2022-0001\"],"
    "\"3.1.5-r0\":[\"not an id\",\"XSA-295\"]}}},"
    "{\"pkg\":{\"secfixes\":{}}},"
    "{\"pkg\":{\"name\":\"musl\",\"secfixes\":[\"CVE-1\"]}},"
    "{\"pkg\":{\"name\":\"zlib\"}}]}";

static const char ALPINE_YAML[] = "---\n"
                                  "distroversion: v3.20\n"
                                  "reponame: main\n"
                                  "urlprefix: u\n"
                                  "packages:\n"
                                  "  - pkg:\n"
                                  "      name: openssl\n"
                                  "      secfixes:\n"
                                  "        3.1.4-r1:\n"
                                  "          - CVE-2023-5678 (fixed upstream)\n"
                                  "          - CVE-2023-6129\n"
                                  "        0:\n"
                                  "          - CVE-2022-0001\n"
                                  "        3.1.5-r0:\n"
                                  "          - not an id\n"
                                  "          - XSA-295\n"
                                  "  - pkg:\n"
                                  "      secfixes: {}\n"
                                  "  - pkg:\n"
                                  "      name: musl\n"
                                  "      secfixes: [CVE-1]\n"
                                  "  - pkg:\n"
                                  "      name: zlib\n";

/* the same records from both forms; %s: json or yaml */
#define ALPINE_LOG(form)                                        \
    "feed alpine-secdb:v3.20/main|alpine-secdb-" form "|t\n"    \
    "adv CVE-2023-5678|-|-|-|-|-|-|\n"                          \
    "aff alpine:3.20|openssl|apk|fixed|3.1.4-r1|-|-\n"          \
    "adv CVE-2023-6129|-|-|-|-|-|-|\n"                          \
    "aff alpine:3.20|openssl|apk|fixed|3.1.4-r1|-|-\n"          \
    "adv CVE-2022-0001|-|-|-|-|-|-|\n"                          \
    "aff alpine:3.20|openssl|apk|not-affected|-|-|-\n"          \
    "bad openssl 3.1.5-r0: 'not an id' is not an advisory id\n" \
    "adv XSA-295|-|-|-|-|-|-|\n"                                \
    "aff alpine:3.20|openssl|apk|fixed|3.1.5-r0|-|-\n"          \
    "bad packages[1]: no pkg.name\n"                            \
    "bad musl: secfixes is not a mapping\n"                     \
    "end\n"

static const char DEB_JSON[] =
    "{\"bash\":{"
    "\"CVE-2022-3715\":{\"description\":\"heap overflow\\nmore\","
    "\"releases\":{"
    "\"bookworm\":{\"status\":\"resolved\",\"fixed_version\":\"5.2.15-2\","
    "\"urgency\":\"low\"},"
    "\"bullseye\":{\"status\":\"open\",\"urgency\":\"unimportant\","
    "\"nodsa_reason\":\"ignored\"},"
    "\"buster\":{\"status\":\"open\",\"nodsa_reason\":\"postponed\","
    "\"urgency\":\"medium**\"},"
    "\"stretch\":{\"status\":\"open\",\"urgency\":\"end-of-life\"},"
    "\"sid\":{\"status\":\"resolved\",\"fixed_version\":\"0\"},"
    "\"trixie\":{\"status\":\"undetermined\",\"urgency\":\"high\"},"
    "\"nosuch\":{\"status\":\"open\"},"
    "\"forky\":{\"fixed_version\":\"1\"}}},"
    "\"CVE-2022-9\":{\"releases\":7},"
    "\"\":{\"releases\":{}}},"
    "\"zz\":[1]}";

static const char DEB_JSON_LOG[] =
    "feed t|deb-json|t\n"
    "adv CVE-2022-3715|heap overflow|-|-|-|-|-|\n"
    "aff debian:12|bash|dpkg|fixed|5.2.15-2|-|LOW\n"
    "aff debian:11|bash|dpkg|will-not-fix|-|-|LOW\n"
    "aff debian:10|bash|dpkg|deferred|-|-|MEDIUM\n"
    "aff debian:9|bash|dpkg|end-of-life|-|-|-\n"
    "aff debian:unstable|bash|dpkg|not-affected|-|-|-\n"
    "aff debian:13|bash|dpkg|affected|-|-|HIGH\n"
    "bad bash CVE-2022-9: no releases\n"
    "bad bash: an empty issue id\n"
    "bad zz: not a mapping of issues\n"
    "end\n";

static const char DEB_LIST[] =
    "[21 Apr 2023] DSA-5393-1 chromium - security update\n"
    "\t{CVE-2023-2133 CVE-2023-2134}\n"
    "\t[bullseye] - chromium 112.0.5615.138-1~deb11u1\n"
    "\t[buster] - chromium <end-of-life>\n"
    "\tNOTE: a note [bookworm] - ignored\n"
    "\t[hamm] - chromium <not-affected> (too old)\n"
    "\t[nosuch] - chromium 1.0\n"
    "[02 Mar 2023] DLA-3355-1 xapian-core - security update\n"
    "\t[buster] - xapian-core <unfixed>\n"
    "\t[buster] - xapian-core <whatever>\n"
    "garbage line\n"
    "[31 Foo 2023] DSA-1-1 x - y\n"
    "\t[bookworm] - x 1.0\n";

static const char DEB_LIST_LOG[] =
    "feed t|deb-list|t\n"
    "adv DSA-5393-1|security update|-|-|-|2023-04-21|-|"
    "CVE-2023-2133,CVE-2023-2134\n"
    "aff debian:11|chromium|dpkg|fixed|112.0.5615.138-1~deb11u1|-|-\n"
    "aff debian:10|chromium|dpkg|end-of-life|-|-|-\n"
    "aff debian:2.0|chromium|dpkg|not-affected|-|-|-\n"
    /* control characters in a message become spaces */
    "bad line 10: ' [buster] - xapian-core <whatever>' is not a DSA/DLA "
    "list line\n"
    "bad line 11: 'garbage line' is not a DSA/DLA list line\n"
    /* an entry is emitted when the next header starts */
    "adv DLA-3355-1|security update|-|-|-|2023-03-02|-|\n"
    "aff debian:10|xapian-core|dpkg|affected|-|-|-\n"
    "bad line 12: '[31 Foo 2023] DSA-1-1 x - y' is not a DSA/DLA list line\n"
    "end\n";

static void test_vuln_feed__osv_exact(void)
{
    CHECK(count_lines(OSV_LOG, "aff ") == 3);
    CHECK_LOG("osv", OSV, OSV_LOG);
}

static void test_vuln_feed__alpine_exact(void)
{
    CHECK_LOG("alpine-json", ALPINE_JSON, ALPINE_LOG("json"));
    CHECK_LOG("alpine-yaml", ALPINE_YAML, ALPINE_LOG("yaml"));
}

static void test_vuln_feed__debian_exact(void)
{
    CHECK_LOG("deb-json", DEB_JSON, DEB_JSON_LOG);
    CHECK_LOG("deb-list", DEB_LIST, DEB_LIST_LOG);
}

/* Every prefix of each feed: no crash, no contract break, rc 0; a JSON
 * document cut short is one malformed line (where it broke) and no
 * record; YAML and list prefixes are partial documents that may still
 * hold records, never more than the whole. */
static void test_vuln_feed__truncated(void)
{
    static const struct {
        const char *kind, *data;
        int json;
    } in[] = {{"osv", OSV, 1},
              {"alpine-json", ALPINE_JSON, 1},
              {"deb-json", DEB_JSON, 1},
              {"alpine-yaml", ALPINE_YAML, 0},
              {"deb-list", DEB_LIST, 0}};
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
        int rc = -1;
        size_t v = 1, len = strlen(in[k].data);
        char *full = run(in[k].kind, in[k].data, len, &rc, &v);
        size_t full_adv = count_lines(full, "adv ");
        dd__free(full);
        CHECK(rc == 0 && v == 0 && full_adv > 0);
        for (size_t n = 0; n < len; n++) {
            /* a copy of exactly n bytes: ASan catches a read past it */
            char *cut = dd__malloc(n ? n : 1);
            CHECK(cut != NULL);
            memcpy(cut, in[k].data, n);
            char *log = run(in[k].kind, cut, n, &rc, &v);
            dd__free(cut);
            size_t adv = count_lines(log, "adv "),
                   bad = count_lines(log, "bad ");
            int ok = rc == 0 && v == 0 && log &&
                     (in[k].json ? adv == 0 && bad == 1 &&
                                       (strstr(log, "invalid JSON at column") ||
                                        strstr(log, "not an Alpine secdb"))
                                 : adv <= full_adv);
            if (!ok) {
                fprintf(stderr, "%s cut at %zu:\n%s", in[k].kind, n, log);
            }
            dd__free(log);
            CHECK(ok);
        }
    }
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    dd__buf b;
    dd__buf_init(&b, 1u << 26);
    dd__buf_addstr(&b, head);
    for (size_t i = 0; i < n; i++) {
        dd__buf_addstr(&b, unit);
    }
    dd__buf_addstr(&b, tail);
    char *s = dd__buf_detach(&b);
    dd__buf_free(&b);
    return s;
}

/* crafted input: one clear malformed line each, nothing silently dropped
 * or truncated into a bogus record */
static void test_vuln_feed__crafted(void)
{
    /* YAML alias bomb: 501 bytes naming 10^9 nodes */
    dd__buf y;
    dd__buf_init(&y, 1u << 20);
    dd__buf_addstr(&y, "distroversion: v3.1\nreponame: main\n"
                       "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
    for (int i = 1; i < 9; i++) {
        dd__buf_printf(&y, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++) {
            dd__buf_printf(&y, "%s*a%d", k ? "," : "", i - 1);
        }
        dd__buf_addstr(&y, "]\n");
    }
    dd__buf_addstr(&y, "packages: [*a8]\n");
    char *bomb = dd__buf_detach(&y);
    dd__buf_free(&y);
    CHECK_LOG("alpine-yaml", bomb,
              "feed alpine-secdb:?/?|alpine-secdb-yaml|t\n"
              "bad not an Alpine secdb document: YAML aliases expand past "
              "1094 nodes (an alias bomb?)\n"
              "end\n");
    dd__free(bomb);
    /* nesting past the converter's depth: the document is refused, not
     * cut silently */
    char *open100 = repeat("distroversion: v3.1\npackages: ", "[", 100, "");
    char *deep = repeat(open100, "]", 100, "\n");
    dd__free(open100);
    CHECK_LOG("alpine-yaml", deep,
              "feed alpine-secdb:?/?|alpine-secdb-yaml|t\n"
              "bad not an Alpine secdb document: YAML nested deeper than 64 "
              "levels\n"
              "end\n");
    dd__free(deep);
    /* JSON nested 100000 deep */
    char *dj = repeat("", "[", 100000, "");
    char *log = run_str("osv", dj);
    CHECK(count_lines(log, "bad t.json: line 1: invalid JSON") == 1 &&
          count_lines(log, "adv ") == 0);
    dd__free(log);
    dd__free(dj);
    /* OSV: an id of 300 characters, affected that is no list, an empty
     * ecosystem, a duplicate key */
    char *longid = repeat("{\"id\":\"", "x", 300, "\"}");
    CHECK_LOG("osv", longid,
              "feed t|osv|t\n"
              "bad t.json: OSV record without a usable id/affected\n"
              "end\n");
    dd__free(longid);
    CHECK_LOG("osv", "{\"id\":\"X-1\",\"affected\":\"all\"}",
              "feed t|osv|t\n"
              "bad t.json: OSV record without a usable id/affected\n"
              "end\n");
    CHECK_LOG("osv",
              "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"\","
              "\"name\":\"p\"},\"versions\":[\"1\"]}]}",
              "feed t|osv|t\n"
              "adv X-1|-|-|-|-|-|-|\n"
              "bad t.json: affected[0] has no package\n"
              "end\n");
    CHECK_LOG("osv", "{\"id\":\"X-1\",\"id\":\"X-2\"}",
              "feed t|osv|t\n"
              "bad t.json: line 1: invalid JSON at column 16 (byte offset 16): "
              "duplicate object key\n"
              "end\n");
    /* OSV: 1000 aliases keep the first 64 */
    char *al =
        repeat("{\"id\":\"X-1\",\"aliases\":[", "\"A-1\",", 1000, "\"A-2\"]}");
    log = run_str("osv", al);
    CHECK(count_lines(log, "adv X-1|") == 1 && strstr(log, "A-2") == NULL);
    dd__free(log);
    dd__free(al);
    /* DSA list: a 2 MiB line is one malformed line quoting 80 bytes */
    char *big = repeat("[01 Jan 2020] DSA-1-1 p - x\n", "y", 2u << 20, "\n");
    log = run_str("deb-list", big);
    CHECK(count_lines(log, "bad line 2: 'yyyy") == 1 &&
          count_lines(log, "adv DSA-1-1|") == 1 && strlen(log) < 400);
    dd__free(log);
    dd__free(big);
    /* DSA list: 40 releases of one entry keep the first 32 */
    char *many =
        repeat("[01 Jan 2020] DSA-1-1 p - x\n", "\t[bookworm] - p 1\n", 40, "");
    log = run_str("deb-list", many);
    CHECK(count_lines(log, "aff debian:12|p|") == 32 &&
          count_lines(log, "bad ") == 0);
    dd__free(log);
    dd__free(many);
    /* Debian JSON: not an object, an empty package name */
    CHECK_LOG("deb-json", "[1,2]",
              "feed t|deb-json|t\n"
              "bad not the tracker's JSON export (wrong type)\n"
              "end\n");
    CHECK_LOG("deb-json", "{\"\":{\"CVE-1\":{\"releases\":{}}}}",
              "feed t|deb-json|t\n"
              "bad an empty source package name\n"
              "end\n");
}

/* The dispatcher over a directory: one feed for the OSV records of a
 * directory, a broken .json named (prefixed with its path), other files
 * skipped, a list file its own feed; a lone file that is no feed is an
 * error naming it. */
static void test_vuln_feed__dispatch(void)
{
    char *dir = fx_tempdir();
    static const char a[] =
        "{\"id\":\"OSV-1\",\"affected\":[{\"package\":{\"ecosystem\":"
        "\"npm\",\"name\":\"p\"},\"ranges\":[{\"type\":\"SEMVER\","
        "\"events\":[{\"introduced\":\"0\"}]}]}]}";
    static const char l[] =
        "[01 Jan 2020] DSA-1-1 p - x\n\t[bookworm] - p 1.0\n";
    fx_write_file(dir, "feeds/osv/a.json", a, sizeof a - 1);
    fx_write_file(dir, "feeds/osv/b.json", "{\"id\":", 6);
    fx_write_file(dir, "feeds/osv/c.json", "{\"x\":", 5);
    fx_write_file(dir, "feeds/osv/notes.txt", "hello", 5);
    fx_write_file(dir, "feeds/DSA.list", l, sizeof l - 1);
    fx_write_file(dir, "junk.txt", "hello", 5);
    char path[600], want[4096];
    snprintf(path, sizeof path, "%s/feeds", dir);
    rec r;
    dd__vuln_sink sk = rec_sink(&r);
    dd_error err;
    memset(&err, 0, sizeof err);
    CHECK(dd__feed_import(&sk, path, &err) == 0);
    snprintf(want, sizeof want,
             "feed debian-dsa:DSA.list|debian-list|%s/DSA.list\n"
             "adv DSA-1-1|x|-|-|-|2020-01-01|-|\n"
             "aff debian:12|p|dpkg|fixed|1.0|-|-\n"
             "end\n"
             "feed osv:osv|osv|%s/osv\n"
             "adv OSV-1|-|-|-|-|-|-|\n"
             "aff npm|p|semver|affected|-|-|-\n"
             "bad %s/osv/b.json: b.json: line 1: invalid JSON at column 6 "
             "(byte offset 6): unexpected token near end of file\n"
             "bad %s/osv/c.json: not a feed record drydock knows (broken or "
             "truncated JSON?): skipped\n"
             "end\n",
             path, path, path, path);
    int same = r.log.ptr && !strcmp(r.log.ptr, want);
    if (!same) {
        fprintf(stderr, "got:\n%s", r.log.ptr ? r.log.ptr : "(nothing)");
    }
    CHECK(same && r.count.violations == 0);
    dd__buf_free(&r.log);
    snprintf(path, sizeof path, "%s/junk.txt", dir);
    sk = rec_sink(&r);
    CHECK(dd__feed_import(&sk, path, &err) == DD_EUNSUPPORTED);
    CHECK(strstr(err.message, "junk.txt: not a feed drydock knows") != NULL);
    CHECK(r.log.len == 0);
    dd__buf_free(&r.log);
    snprintf(path, sizeof path, "%s/absent", dir);
    CHECK(dd__feed_import(&sk, path, &err) == DD_ENOTFOUND);
    fx_rmtree(dir);
}

TEST_LIST(T(test_vuln_feed__osv_exact),
          T(test_vuln_feed__alpine_exact),
          T(test_vuln_feed__debian_exact),
          T(test_vuln_feed__truncated),
          T(test_vuln_feed__crafted),
          T(test_vuln_feed__dispatch))
