/*
 * tests/unit/test_sbom_input.c - sbom:FILE documents (src/lib/source/
 * sbom_input.h): package URLs from a table, and data-driven documents:
 * each tests/data/sbom_input/NAME.json comes with NAME.expect, whose lines
 * are
 *   pkg TYPE NAME VERSION ARCH SRCNAME SRCVERSION LICENSE   (tab-separated,
 *                                   "-" for none; the exact set, any order)
 *   os FAMILY VERSION CODENAME      the OS the document names
 *   warn TEXT                       a warning containing TEXT
 *   incomplete 0|1                  the list was cut or a package skipped
 *   error TEXT                      refused, the message containing TEXT
 * Every prefix of every document is read or refused (never a crash, never
 * past the end: ASan), and allocation failures are DD_ENOMEM without
 * leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/source/sbom_input.h"
#include "../../src/util/util.h"

#define DATA DD_SRCDIR "/tests/data/sbom_input"

static int is_json(const char *n)
{
    size_t k = strlen(n);
    return k > 5 && !strcmp(n + k - 5, ".json");
}

static const char *nz(const char *s)
{
    return s && *s ? s : "-";
}

/* the document's packages as sorted "pkg ..." lines, then os line */
static char *dump(const dd__sbom_doc *d)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    size_t n = d->pkgs.len;
    char **lines = calloc(n + 1, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        const dd_package *p = DD_VEC_AT(&d->pkgs, dd_package, i);
        lines[i] = dd__asprintf("pkg\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
                                dd_pkg_type_name(p->type), p->name, p->version,
                                nz(p->arch), nz(p->source_name),
                                nz(p->source_version), nz(p->license));
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: few lines */
        for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
            char *t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    }
    for (size_t i = 0; i < n; i++) {
        dd__buf_printf(&b, "%s\n", lines[i]);
        dd__free(lines[i]);
    }
    free(lines);
    if (d->os_family) {
        dd__buf_printf(&b, "os\t%s\t%s\t%s\n", d->os_family, nz(d->os_version),
                       nz(d->os_codename));
    }
    return dd__buf_detach(&b);
}

static char *read_file(const char *p, size_t *n)
{
    char *buf = NULL;
    size_t len = 0;
    if (dd__file_read(p, 16u << 20, &buf, &len)) {
        return NULL;
    }
    if (n) {
        *n = len;
    }
    return buf;
}

/* one fixture: 0 or a reason (static buffer) */
static const char *run_fixture(const char *path)
{
    static char why[1200];
    size_t len = 0;
    char *doc = read_file(path, &len);
    char ep[1024];
    snprintf(ep, sizeof ep, "%.*s.expect", (int)(strlen(path) - 5), path);
    char *exp = read_file(ep, NULL);
    if (!doc || !exp) {
        dd__free(doc);
        dd__free(exp);
        snprintf(why, sizeof why, "%s: cannot read it or its .expect", path);
        return why;
    }
    const char *name = strrchr(path, '/') + 1;
    dd__sbom_doc *d = NULL;
    dd_error e;
    int rc = dd__sbom_parse(&d, doc, len, "sbom:t.json", NULL, &e);
    dd__buf want;
    dd__buf_init(&want, 0);
    const char *bad = NULL;
    int want_incomplete = -1, want_error = 0;
    for (char *l = exp; *l && !bad;) {
        char *nl = strchr(l, '\n');
        if (nl) {
            *nl = '\0';
        }
        if (!strncmp(l, "pkg\t", 4) || !strncmp(l, "os\t", 3)) {
            dd__buf_printf(&want, "%s\n", l);
        } else if (!strncmp(l, "warn\t", 5)) {
            int found = 0;
            for (size_t i = 0; d && i < d->warnings.len; i++) {
                found |= strstr(*DD_VEC_AT(&d->warnings, const char *, i),
                                l + 5) != NULL;
            }
            if (!found) {
                snprintf(why, sizeof why, "%s: no warning with '%s' (%zu)",
                         name, l + 5, d ? d->warnings.len : 0);
                bad = why;
            }
        } else if (!strncmp(l, "incomplete\t", 11)) {
            want_incomplete = l[11] == '1';
        } else if (!strncmp(l, "error\t", 6)) {
            want_error = 1;
            if (rc != DD_EINVALID && rc != DD_ELIMIT) {
                snprintf(why, sizeof why, "%s: rc %d, want a refusal", name,
                         rc);
                bad = why;
            } else if (!strstr(e.message, l + 6) ||
                       !strstr(e.message, "sbom:t.json")) {
                snprintf(why, sizeof why, "%s: message '%s' lacks '%s'", name,
                         e.message, l + 6);
                bad = why;
            }
        }
        l = nl ? nl + 1 : l + strlen(l);
    }
    if (!bad && !want_error && rc) {
        snprintf(why, sizeof why, "%s: rc %d: %s", name, rc, e.message);
        bad = why;
    }
    if (!bad && !want_error) {
        char *got = dump(d);
        /* the expected lines sorted like dump(): pkg lines first */
        if (strcmp(got, want.ptr ? want.ptr : "")) {
            snprintf(why, sizeof why, "%s: got\n%.500s\nwant\n%.500s", name,
                     got, want.ptr ? want.ptr : "");
            bad = why;
        }
        dd__free(got);
        if (!bad && want_incomplete >= 0 && d->incomplete != want_incomplete) {
            snprintf(why, sizeof why, "%s: incomplete %d, want %d", name,
                     d->incomplete, want_incomplete);
            bad = why;
        }
        if (!bad && want_incomplete < 0 && d->incomplete) {
            snprintf(why, sizeof why, "%s: incomplete, not expected", name);
            bad = why;
        }
    }
    dd__sbom_doc_free(d);
    dd__buf_free(&want);
    dd__free(exp);
    dd__free(doc);
    return bad;
}

static void fixtures(void)
{
    dd__vec files;
    dd_error e;
    CHECK(dd__dir_list(DATA, is_json, 256, &files, &e) == 0);
    CHECK(files.len >= 12);
    const char *bad = NULL;
    for (size_t i = 0; i < files.len && !bad; i++) {
        bad = run_fixture(*DD_VEC_AT(&files, char *, i));
    }
    dd__dir_list_free(&files);
    if (bad) {
        dd_test_fail(__FILE__, __LINE__, bad);
    }
}

/* every prefix is parsed or refused, within bounds */
static void prefixes(void)
{
    dd__vec files;
    dd_error e;
    CHECK(dd__dir_list(DATA, is_json, 256, &files, &e) == 0);
    size_t runs = 0;
    int ok = 1;
    for (size_t i = 0; i < files.len && ok; i++) {
        size_t len = 0;
        char *doc = read_file(*DD_VEC_AT(&files, char *, i), &len);
        ok = doc != NULL;
        for (size_t n = 0; ok && n <= len; n++) {
            char *cut = dd__malloc(n ? n : 1); /* exact size: ASan bounds */
            memcpy(cut, doc, n);
            dd__sbom_doc *d = NULL;
            int rc = dd__sbom_parse(&d, cut, n, "t", NULL, &e);
            ok = rc == 0 ? d != NULL : (rc == DD_EINVALID && !d);
            dd__sbom_doc_free(d);
            dd__free(cut);
            runs++;
        }
        dd__free(doc);
    }
    dd__dir_list_free(&files);
    CHECK(ok);
    CHECK(runs > 1000);
}

static void alloc_failures(void)
{
    size_t len = 0;
    char *doc = read_file(DATA "/cdx16_mixed.json", &len);
    CHECK(doc);
    int saw_enomem = 0, done = 0;
    for (long k = 1; k < 5000 && !done; k++) {
        dd__alloc_fail_after(k);
        dd__sbom_doc *d = NULL;
        dd_error e;
        int rc = dd__sbom_parse(&d, doc, len, "t", NULL, &e);
        dd__alloc_fail_after(0);
        if (rc == DD_ENOMEM) {
            saw_enomem = 1;
            CHECK(d == NULL);
        } else {
            CHECK(rc == 0 && d);
            done = 1;
        }
        dd__sbom_doc_free(d);
    }
    dd__free(doc);
    CHECK(saw_enomem && done);
}

/* a small component budget: the rest is not read, and it is said */
static void budget(void)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    dd__buf_addstr(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
                       "\"components\":[");
    for (int i = 0; i < 50; i++) {
        dd__buf_printf(
            &b, "%s{\"type\":\"library\",\"purl\":\"pkg:npm/p%d@1.0.%d\"}",
            i ? "," : "", i, i);
    }
    dd__buf_addstr(&b, "]}");
    dd__sbom_limits lim = {0, 20, 0};
    dd__sbom_doc *d = NULL;
    dd_error e;
    int rc = dd__sbom_parse(&d, b.ptr, b.len, "t", &lim, &e);
    dd__buf_free(&b);
    CHECK(rc == 0);
    CHECK(d->budget_hit && d->incomplete);
    CHECK(d->pkgs.len == 20);
    dd__sbom_doc_free(d);
    /* the size cap is checked before parsing */
    lim.max_bytes = 10;
    rc = dd__sbom_parse(&d, "{\"bomFormat\":\"CycloneDX\"}", 25, "t", &lim, &e);
    CHECK(rc == DD_ELIMIT && !d);
    CHECK(strstr(e.message, "limit"));
}

static const struct {
    const char *in;
    const char *want; /* "type|ns|name|version|subpath|k=v&k=v" or "!why" */
} PURLS[] = {
    {"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
     "deb|debian|zlib1g|1:1.2.13.dfsg-1||arch=amd64&distro=debian-12"},
    {"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64",
     "deb|debian|libc6|2.36-9+deb12u4||arch=amd64"},
    {"pkg:npm/%40angular/core@16.2.0", "npm|@angular|core|16.2.0||"},
    {"pkg:npm/@angular/core@16.2.0", "npm|@angular|core|16.2.0||"},
    {"pkg:npm/@angular/core", "npm|@angular|core|||"},
    {"pkg:golang/github.com/gorilla/mux@v1.8.0#sub/dir",
     "golang|github.com/gorilla|mux|v1.8.0|sub/dir|"},
    {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
     "maven|org.apache.logging.log4j|log4j-core|2.14.1||type=jar"},
    {"PKG:PyPI/Django@4.2", "pypi||Django|4.2||"},
    {"pkg://npm//left-pad@1.3.0", "npm||left-pad|1.3.0||"},
    {"pkg:rpm/redhat/bash@5.1.8-6.el9?Arch=x86_64&epoch=1&empty=",
     "rpm|redhat|bash|5.1.8-6.el9||arch=x86_64&epoch=1"},
    {"pkg:apk/alpine/musl@1.2.5-r0?distro=3.20.3",
     "apk|alpine|musl|1.2.5-r0||distro=3.20.3"},
    {"pkg:generic/openssl@1.1.10g?download_url=https%3A%2F%2Fx%2Fy.tgz",
     "generic||openssl|1.1.10g||download_url=https://x/y.tgz"},
    {"npm/left-pad@1", "!does not start"},
    {"pkg:npm", "!no '/' between"},
    {"pkg:/npm/", "!no '/' between"},
    {"pkg:/left-pad", "!no '/' between"},
    {"pkg:npm/left%2pad@1", "!two hex digits"},
    {"pkg:npm/left%00pad@1", "!NUL"},
    {"pkg:npm/a%2Fb/c@1", "!encoded '/'"},
    {"pkg:np$m/a@1", "!a type with"},
    {"pkg:npm/@1.0", "!no name"},
    {"pkg:npm/left-pad@1.0/?a=b", "npm||left-pad|1.0||a=b"},
    {"pkg:cargo/serde/", "cargo||serde|||"},
};

static void purls(void)
{
    for (size_t i = 0; i < sizeof PURLS / sizeof *PURLS; i++) {
        dd__arena a;
        dd__arena_init(&a);
        dd__purl u;
        const char *why = NULL;
        int rc = dd__purl_parse(&u, PURLS[i].in, &a, &why);
        char got[1024];
        if (rc) {
            snprintf(got, sizeof got, "!%s", why ? why : "?");
        } else {
            int n = snprintf(
                got, sizeof got, "%s|%s|%s|%s|%s|", u.type, u.ns ? u.ns : "",
                u.name, u.version ? u.version : "", u.subpath ? u.subpath : "");
            for (size_t k = 0; k < u.n_q; k++) {
                n += snprintf(got + n, sizeof got - (size_t)n, "%s%s=%s",
                              k ? "&" : "", u.qkey[k], u.qval[k]);
            }
        }
        dd__arena_free(&a);
        int ok = PURLS[i].want[0] == '!'
                     ? got[0] == '!' && strstr(got, PURLS[i].want + 1)
                     : !strcmp(got, PURLS[i].want);
        if (!ok) {
            char m[1200];
            snprintf(m, sizeof m, "purl %s: got '%s' want '%s'", PURLS[i].in,
                     got, PURLS[i].want);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
    }
}

TEST_LIST(T(purls), T(fixtures), T(prefixes), T(alloc_failures), T(budget))
