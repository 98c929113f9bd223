/*
 * tests/unit/test_report_table.c - the people-facing reports (table and
 * JUnit, lib/report/report_table.c, report_junit.c) on a synthetic scan
 * with every kind and every severity, long ids and hostile names: section
 * order, sort order, aligned columns, colour only when asked, every
 * control byte escaped, INFO counted as INFO, what was not checked.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "drydock/drydock.h"
#include "lib/findings_int.h"
#include "lib/report/report_int.h"

#define LONG_ID                                                             \
    "CVE-2024-99999-THIS-IDENTIFIER-IS-MUCH-LONGER-THAN-ANY-COLUMN-SHOULD-" \
    "BE"
#define HOSTILE_PATH "etc/\x1b]0;pwned\x07/\xff\xfe/key"
#define HOSTILE_PKG  "evil\x1b[2Jpkg"

static dd_findings *fl;
static dd_image_info info;
static dd_os_info os;
static dd_scan_summary sum;
static size_t n_info, n_unknown, n_not_info;

static void add(dd_finding_kind k,
                dd_severity s,
                const char *id,
                const char *path,
                int layer,
                const char *title)
{
    dd__finding_spec sp = {0};
    sp.kind = k;
    sp.severity = s;
    sp.rule_id = id;
    sp.path = path;
    sp.layer = layer;
    sp.history = -1;
    sp.engine = k == DD_KIND_MALWARE ? "yara" : NULL;
    sp.evidence = k == DD_KIND_SECRET ? "AKIA****M2VN (20 chars)" : NULL;
    if (dd__findings_add_text(fl, &sp, title)) {
        abort();
    }
    n_info += s == DD_SEV_INFO;
    n_unknown += s == DD_SEV_UNKNOWN;
    n_not_info += s != DD_SEV_INFO;
}

static void vuln(dd_severity s,
                 const char *id,
                 const char *pkg,
                 const char *ver,
                 const char *fixed)
{
    add(DD_KIND_VULN, s, id, NULL, 1, "a vulnerability <b>&</b>");
    dd_vuln_info v = {0};
    v.package = pkg;
    v.source_package = pkg;
    v.installed_version = ver;
    v.fixed_version = fixed;
    v.status = fixed ? DD_VULN_FIXED : DD_VULN_AFFECTED;
    v.namespace_ = "debian:12";
    v.cvss_score = -1;
    if (dd__findings_set_vuln(fl, &v)) {
        abort();
    }
}

/* Added out of report order on purpose. */
static void build(void)
{
    dd_findings_free(fl);
    fl = dd__findings_new();
    n_info = n_unknown = n_not_info = 0;
    add(DD_KIND_CONFIG, DD_SEV_INFO, "config.setuid", "usr/bin/su", 1,
        "setuid file");
    add(DD_KIND_CONFIG, DD_SEV_LOW, "config.no-healthcheck", NULL, -1,
        "no HEALTHCHECK");
    add(DD_KIND_CONFIG, DD_SEV_MEDIUM, "config.user-root", NULL, -1, "no USER");
    add(DD_KIND_CONFIG, DD_SEV_INFO, "config.debug-tools", "usr/bin/gdb", 2,
        "debug tool");
    add(DD_KIND_CONFIG, DD_SEV_MEDIUM, "config.port-risky", NULL, -1,
        "port 22 exposed");
    add(DD_KIND_SECRET, DD_SEV_MEDIUM, "generic-password", "app/.env", 1,
        "password");
    add(DD_KIND_SECRET, DD_SEV_CRITICAL, "aws-access-key-id", HOSTILE_PATH, 1,
        "AWS key \x1b[31mred\x1b[0m");
    add(DD_KIND_MALWARE, DD_SEV_LOW, "malware.heuristic.temp-executable",
        "tmp/x", 3, "executable in /tmp");
    add(DD_KIND_MALWARE, DD_SEV_CRITICAL, "malware.yara.Miner", "usr/bin/k", 1,
        "miner");
    add(DD_KIND_ARCHIVE, DD_SEV_HIGH, "archive.path-traversal", "../../x", 2,
        "path escapes the root");
    add(DD_KIND_INTEGRITY, DD_SEV_CRITICAL, "integrity.diff-id", NULL, 0,
        "diff_id does not match");
    add(DD_KIND_TRUST, DD_SEV_UNKNOWN, "trust.lookalike", NULL, -1,
        "name looks like another");
    add(DD_KIND_TRUST, DD_SEV_INFO, "trust.note", NULL, -1, "a note");
    vuln(DD_SEV_LOW, "CVE-2022-0001", "libc6", "2.36-9", NULL);
    vuln(DD_SEV_HIGH, "CVE-2023-4911", "libc6", "2.36-9", "2.36-9+deb12u3");
    vuln(DD_SEV_MEDIUM, LONG_ID, "libc6", "2.36-9", "2.36-9+deb12u4");
    vuln(DD_SEV_CRITICAL, "CVE-2023-45853", "zlib1g", "1:1.2.13", NULL);
    vuln(DD_SEV_INFO, "CVE-2000-0001", HOSTILE_PKG, "1.0", NULL);
    vuln(DD_SEV_UNKNOWN, "CVE-2000-0002", "aaa", "1.0", "1.1");
    memset(&info, 0, sizeof info);
    info.path = "/tmp/image.tar";
    info.name = "localhost/demo:1";
    memset(&os, 0, sizeof os);
    os.family = "debian";
    os.version = "12";
    memset(&sum, 0, sizeof sum);
    sum.total = dd_findings_count(fl);
    for (size_t i = 0; i < sum.total; i++) {
        sum.by_severity[dd_findings_get(fl, i)->severity]++;
    }
    sum.scanners = DD_SCANNERS_DEFAULT;
    sum.complete = 1;
    sum.packages_checked = 4;
    sum.db_namespace = "debian:12";
    sum.db_age = 3 * 86400;
}

__attribute__((noinline)) static char *render(int colour,
                                              const dd__report_view *pv)
{
    dd__report_view v = {&info, &os, &sum, fl, "yara, heuristics", 0, 0, 0, 0};
    dd_report_opts o = DD_REPORT_OPTS_INIT;
    o.color = colour;
    char *out = NULL;
    size_t len = 0;
    if (dd__report_table(pv ? pv : &v, &o, &out, &len) || !out ||
        strlen(out) != len) {
        abort();
    }
    return out;
}

/* The lines of one section: from its heading to the next blank line. */
static char **section_lines(const char *out, const char *heading, size_t *n)
{
    const char *p = strstr(out, heading);
    char **v = calloc(256, sizeof *v);
    *n = 0;
    if (!p || !v) {
        return v;
    }
    p = strchr(p + 1, '\n') + 1;
    while (*p && *p != '\n' && *n < 256) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        v[(*n)++] = strndup(p, l);
        p += l + (e != NULL);
    }
    return v;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static int sev_rank(const char *line)
{
    static const char *const names[] = {"UNKNOWN", "INFO", "LOW",
                                        "MEDIUM",  "HIGH", "CRITICAL"};
    for (int s = 5; s >= 0; s--) {
        if (!strncmp(line + 2, names[s], strlen(names[s]))) {
            return s;
        }
    }
    return -1;
}

static void t_section_order(void)
{
    build();
    char *out = render(0, NULL);
    const char *heads[] = {"\nSummary\n",
                           "\nVulnerabilities (6)\n",
                           "\nSecrets (2)\n",
                           "\nMalware (2)\n",
                           "\nMisconfigurations (5)\n",
                           "\nArchive/integrity (2)\n",
                           "\nTrust/other (2)\n"};
    const char *prev = out;
    CHECK(!strncmp(out, "localhost/demo:1 (debian 12)\n", 29));
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        const char *p = strstr(out, heads[i]);
        CHECK(p != NULL);
        CHECK(p > prev);
        prev = p;
    }
    dd_string_free(out);
}

static void t_sort_order(void)
{
    build();
    char *out = render(0, NULL);
    const char *secs[] = {"\nSecrets (", "\nMalware (", "\nMisconfigurations (",
                          "\nArchive/integrity (", "\nTrust/other ("};
    for (size_t s = 0; s < sizeof secs / sizeof *secs; s++) {
        size_t n;
        char **l = section_lines(out, secs[s], &n);
        CHECK(n >= 3); /* header + 2 rows at least */
        for (size_t i = 2; i < n; i++) {
            CHECK(sev_rank(l[i]) >= 0);
            CHECK(sev_rank(l[i]) <= sev_rank(l[i - 1]));
        }
        free_lines(l, n);
    }
    /* same severity: by id (config.port-risky before config.user-root) */
    const char *a = strstr(out, "config.port-risky");
    const char *b = strstr(out, "config.user-root");
    CHECK(a && b && a < b);
    /* vulnerabilities: the CRITICAL package first, then libc6 (HIGH) with
     * its rows by severity, the UNKNOWN-only package last */
    size_t n;
    char **l = section_lines(out, "\nVulnerabilities (", &n);
    CHECK(n == 7);
    CHECK(!strncmp(l[0], "  PACKAGE ", 10));
    CHECK(!strncmp(l[1], "  zlib1g ", 9));
    CHECK(!strncmp(l[2], "  libc6 ", 8) && strstr(l[2], "CVE-2023-4911"));
    CHECK(l[3][2] == ' ' && strstr(l[3], "MEDIUM")); /* same package */
    CHECK(l[4][2] == ' ' && strstr(l[4], "CVE-2022-0001"));
    CHECK(strstr(l[5], "INFO") && strstr(l[5], "evil\\x1b[2Jpkg"));
    CHECK(!strncmp(l[6], "  aaa ", 6) && strstr(l[6], "UNKNOWN"));
    free_lines(l, n);
    dd_string_free(out);
}

/* Every row's columns start where the header's do. */
static void check_aligned(const char *out,
                          const char *heading,
                          const char *const *cols,
                          size_t ncol)
{
    size_t n;
    char **l = section_lines(out, heading, &n);
    /* one byte per display column: a multi-byte character (the ellipsis)
     * becomes '~' */
    for (size_t r = 0; r < n; r++) {
        char *d = l[r];
        for (const char *s = l[r]; *s; s++) {
            if (((unsigned char)*s & 0xc0) != 0x80) {
                *d++ = (unsigned char)*s < 0x80 ? *s : '~';
            }
        }
        *d = '\0';
    }
    CHECK(n >= 2);
    size_t start[16];
    for (size_t c = 0; c < ncol; c++) {
        const char *p = strstr(l[0], cols[c]);
        CHECK(p != NULL);
        start[c] = (size_t)(p - l[0]);
    }
    for (size_t r = 1; r < n; r++) {
        size_t len = strlen(l[r]);
        for (size_t c = 1; c < ncol; c++) {
            CHECK(len > start[c]);
            CHECK(l[r][start[c] - 1] == ' ' && l[r][start[c] - 2] == ' ');
            CHECK(l[r][start[c]] != ' ');
        }
    }
    free_lines(l, n);
}

static void t_alignment(void)
{
    build();
    char *out = render(0, NULL);
    /* PACKAGE/INSTALLED are blank on a package's later rows */
    static const char *const vc[] = {"FIXED",  "ID",    "SEVERITY",
                                     "STATUS", "LAYER", "TITLE"};
    check_aligned(out, "\nVulnerabilities (", vc, 6);
    static const char *const oc[] = {"SEVERITY", "ID", "LAYER", "PATH",
                                     "DETAIL"};
    check_aligned(out, "\nSecrets (", oc, 5);
    check_aligned(out, "\nMisconfigurations (", oc, 5);
    check_aligned(out, "\nArchive/integrity (", oc, 5);
    check_aligned(out, "\nTrust/other (", oc, 5);
    static const char *const mc[] = {"SEVERITY", "ID",   "ENGINE",
                                     "LAYER",    "PATH", "DETAIL"};
    check_aligned(out, "\nMalware (", mc, 6);
    dd_string_free(out);
}

static void t_long_id_cut(void)
{
    build();
    char *out = render(0, NULL);
    CHECK(strstr(out, LONG_ID) == NULL);
    /* cut at 40 columns: 39 characters and the ellipsis */
    char want[64];
    snprintf(want, sizeof want, "%.39s\xe2\x80\xa6 ", LONG_ID);
    CHECK(strstr(out, want) != NULL);
    dd_string_free(out);
}

static void t_colour(void)
{
    build();
    char *plain = render(0, NULL);
    CHECK(memchr(plain, 0x1b, strlen(plain)) == NULL);
    char *col = render(1, NULL);
    CHECK(strstr(col, "\x1b[1;31mCRITICAL\x1b[0m") != NULL);
    CHECK(strstr(col, "\x1b[36mINFO\x1b[0m") != NULL);
    /* only the colour codes differ: removing them gives the plain table */
    char *s = col, *d = col;
    while (*s) {
        if (*s == 0x1b) {
            s += strcspn(s, "m") + 1;
        } else {
            *d++ = *s++;
        }
    }
    *d = '\0';
    CHECK_STR(col, plain);
    dd_string_free(plain);
    dd_string_free(col);
}

static void t_escaped(void)
{
    build();
    char *out = render(1, NULL);
    /* only our own ESC bytes: each starts a colour code "ESC[...m" */
    for (const char *p = out; (p = strchr(p, 0x1b)); p++) {
        CHECK(p[1] == '[');
        size_t k = strspn(p + 2, "0123456789;");
        CHECK(p[2 + k] == 'm');
    }
    dd_string_free(out);
    out = render(0, NULL);
    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        CHECK(*p >= 0x20 || *p == '\n');
        CHECK(*p != 0x7f);
    }
    CHECK(dd_text_is_utf8(out, strlen(out)));
    CHECK(strstr(out, "/etc/\\x1b]0;pwned\\x07/\\xff\\xfe/key") != NULL);
    CHECK(strstr(out, "evil\\x1b[2Jpkg") != NULL);
    CHECK(strstr(out, "AWS key \\x1b[31mred\\x1b[0m") != NULL);
    dd_string_free(out);
}

static void t_info_counts(void)
{
    build();
    char *out = render(0, NULL);
    size_t n;
    char **l = section_lines(out, "\nSummary\n", &n);
    CHECK(n == 8);
    CHECK(!strncmp(l[0], "  KIND ", 7));
    /* the total row: CRITICAL HIGH MEDIUM LOW INFO UNKNOWN TOTAL */
    unsigned long v[7];
    char *p = l[7] + strlen("  total");
    for (int i = 0; i < 7; i++) {
        v[i] = strtoul(p, &p, 10);
    }
    CHECK(v[4] == n_info);
    CHECK(v[5] == n_unknown);
    CHECK(v[6] == dd_findings_count(fl));
    CHECK(n_info == 4 && n_unknown == 2);
    free_lines(l, n);
    dd_string_free(out);
}

static void t_not_checked(void)
{
    build();
    sum.scanners = DD_SCANNER_SECRET | DD_SCANNER_CONFIG;
    sum.packages_checked = 0;
    sum.db_namespace = NULL;
    dd__report_view v = {&info, &os, &sum, fl, "", 1, 0, 0, 0};
    char *out = render(0, &v);
    CHECK(strstr(out, "  vulnerabilities     not checked (no database: run "
                      "`drydock db update`)\n") != NULL);
    CHECK(strstr(out, "  malware             not checked (not selected)\n") !=
          NULL);
    CHECK(strstr(out, "packages checked against") == NULL);
    CHECK(strstr(out, "no namespace") == NULL);
    CHECK(strstr(out, "\n  vulnerabilities (not checked)  ") != NULL);
    dd_string_free(out);
    sum.scanners = DD_SCANNERS_DEFAULT;
    sum.packages_checked = 4;
    sum.db_namespace = "debian:12";
    out = render(0, NULL);
    CHECK(strstr(out, "  vulnerabilities     4 packages checked against "
                      "debian:12; database 3 days old\n") != NULL);
    CHECK(strstr(out, "  malware             checked (yara, heuristics)\n") !=
          NULL);
    dd_string_free(out);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what)) {
        n++;
    }
    return n;
}

static void t_junit(void)
{
    build();
    dd__report_view v = {&info, &os, &sum, fl, "yara", 0, 0, 0, 0};
    dd_report_opts o = DD_REPORT_OPTS_INIT;
    char *out = NULL;
    size_t len = 0;
    CHECK(dd__report_junit(&v, &o, &out, &len) == 0);
    CHECK(!strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39));
    CHECK(count(out, "<testsuite ") == 6);
    CHECK(count(out, "<testcase ") == dd_findings_count(fl));
    CHECK(count(out, "<failure ") == n_not_info);
    CHECK(strstr(out, "&lt;b&gt;&amp;&lt;/b&gt;") != NULL);
    CHECK(strstr(out, "<b>") == NULL);
    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        CHECK(*p >= 0x20 || *p == '\n');
    }
    CHECK(dd_text_is_utf8(out, len));
    dd_string_free(out);
    o.fail_on = DD_SEV_HIGH;
    CHECK(dd__report_junit(&v, &o, &out, &len) == 0);
    size_t high = 0;
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        high += dd_findings_get(fl, i)->severity >= DD_SEV_HIGH;
    }
    CHECK(count(out, "<failure ") == high);
    dd_string_free(out);
    o.fail_on = DD_SEV_INFO; /* INFO is never a failure */
    CHECK(dd__report_junit(&v, &o, &out, &len) == 0);
    CHECK(count(out, "<failure ") == n_not_info - n_unknown);
    dd_string_free(out);
    o.fail_on = DD_REPORT_FAIL_NONE;
    CHECK(dd__report_junit(&v, &o, &out, &len) == 0);
    CHECK(count(out, "<failure ") == 0);
    dd_string_free(out);
    /* a kind not checked is one skipped testcase */
    sum.scanners = DD_SCANNER_SECRET;
    dd_findings_free(fl);
    fl = dd__findings_new();
    v.findings = fl;
    v.no_db = 1;
    o.fail_on = -1;
    CHECK(dd__report_junit(&v, &o, &out, &len) == 0);
    CHECK(count(out, "<skipped ") == 3); /* vuln, malware, config */
    CHECK(strstr(out, "message=\"not checked (no database") != NULL);
    dd_string_free(out);
}

static void t_cell_cut_whole_escapes(void)
{
    /* a path of escapes cut at the PATH column's 60: never half an
     * escape before the ellipsis */
    build();
    static char path[200];
    memset(path, 0x01, 150);
    path[150] = '\0';
    add(DD_KIND_SECRET, DD_SEV_LOW, "x", path, 1, "t");
    char *out = render(0, NULL);
    const char *p = strstr(out, "/\\x01");
    CHECK(p != NULL);
    const char *e = strstr(p, "\xe2\x80\xa6");
    CHECK(e != NULL);
    /* "/" + whole "\x01" escapes (4 columns each) + ellipsis */
    CHECK((size_t)(e - p - 1) % 4 == 0);
    CHECK((size_t)(e - p) + 1 <= 60);
    dd_string_free(out);
}

TEST_LIST(T(t_section_order),
          T(t_sort_order),
          T(t_alignment),
          T(t_long_id_cut),
          T(t_colour),
          T(t_escaped),
          T(t_info_counts),
          T(t_not_checked),
          T(t_junit),
          T(t_cell_cut_whole_escapes))
