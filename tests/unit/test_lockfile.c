/*
 * tests/unit/test_lockfile.c - the lockfile parsers (src/lib/lang/
 * lockfile.h), data-driven: each directory of tests/data/lockfiles holds
 * one lockfile under its real name and expect.tsv with the packages it
 * lists ("name<TAB>version<TAB>dev", any order), "#skipped<TAB>N", or
 * "#error<TAB>TEXT" for input that must be refused with TEXT in the
 * reason. Every prefix of every fixture is read or refused (never a
 * crash, never past the end: ASan), and allocation failures are reported
 * as DD_ENOMEM without leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/lang/lockfile.h"
#include "../../src/util/util.h"

#define DATA DD_SRCDIR "/tests/data/lockfiles"

static int any(const char *n)
{
    (void)n;
    return 1;
}

typedef struct fixture {
    char *dir, *lock, *expect;
    size_t lock_len;
    dd__lock_fmt fmt;
} fixture;

/* the fixture in directory `dir`: 0 or why not */
static const char *load(const char *dir, fixture *f)
{
    memset(f, 0, sizeof *f);
    dd__vec files;
    dd_error e;
    if (dd__dir_list(dir, any, 16, &files, &e)) {
        return "cannot list the fixture directory";
    }
    const char *bad = NULL;
    for (size_t i = 0; i < files.len; i++) {
        const char *p = *DD_VEC_AT(&files, char *, i);
        size_t n;
        char *buf = NULL;
        if (dd__file_read(p, 64u << 20, &buf, &n)) {
            bad = "cannot read a fixture file";
            break;
        }
        const char *b = strrchr(p, '/') + 1;
        if (!strcmp(b, "expect.tsv")) {
            f->expect = buf;
        } else if (!f->lock && dd__lock_classify(p) != DD__LOCK_NONE) {
            f->lock = buf;
            f->lock_len = n;
            f->fmt = dd__lock_classify(p);
        } else {
            dd__free(buf);
            bad = "a file that is neither expect.tsv nor one lockfile";
            break;
        }
    }
    dd__dir_list_free(&files);
    if (!bad && (!f->lock || !f->expect)) {
        bad = "no lockfile or no expect.tsv";
    }
    f->dir = dd__strdup(dir);
    return bad;
}

static void fixture_free(fixture *f)
{
    dd__free(f->dir);
    dd__free(f->lock);
    dd__free(f->expect);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the parse as sorted "name\tversion\tdev\n" lines + "#skipped\tN\n" */
static char *render(const dd__vec *out, size_t skipped)
{
    char **l = calloc(out->len + 1, sizeof *l);
    for (size_t i = 0; i < out->len; i++) {
        const dd__lang_pkg *p = DD_VEC_AT(out, dd__lang_pkg, i);
        l[i] = dd__asprintf("%s\t%s\t%d\n", p->name, p->version, p->dev);
    }
    qsort(l, out->len, sizeof *l, cmp_line);
    dd__buf b;
    dd__buf_init(&b, 0);
    for (size_t i = 0; i < out->len; i++) {
        dd__buf_addstr(&b, l[i]);
        dd__free(l[i]);
    }
    free(l);
    if (skipped) {
        dd__buf_printf(&b, "#skipped\t%zu\n", skipped);
    }
    return dd__buf_detach(&b);
}

/* sort the expected package lines the same way */
static char *normal(const char *exp)
{
    dd__vec out;
    dd__vec_init(&out, sizeof(dd__lang_pkg));
    dd__arena a;
    dd__arena_init(&a);
    size_t skipped = 0;
    for (const char *s = exp; *s;) {
        size_t n = strcspn(s, "\n");
        if (!strncmp(s, "#skipped\t", 9)) {
            skipped = strtoul(s + 9, NULL, 10);
        } else if (n) {
            const char *t1 = memchr(s, '\t', n);
            const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (t1 + 1 - s)) : 0;
            dd__lang_pkg *p = dd__vec_push(&out);
            p->name = dd__arena_strndup(&a, s, t1 ? (size_t)(t1 - s) : n);
            p->version = t2 ? dd__arena_strndup(&a, t1 + 1, t2 - t1 - 1) : "";
            p->dev = t2 && t2[1] == '1';
        }
        s += n + (s[n] == '\n');
    }
    char *r = render(&out, skipped);
    dd__vec_free(&out);
    dd__arena_free(&a);
    return r;
}

static size_t n_fixtures;

static void test_lockfile__fixtures(void)
{
    dd__vec dirs;
    dd_error e;
    CHECK(dd__dir_list(DATA, any, 256, &dirs, &e) == 0);
    CHECK(dirs.len >= 20);
    n_fixtures = 0;
    int seen[DD__LOCK_COUNT] = {0};
    for (size_t i = 0; i < dirs.len; i++) {
        fixture f;
        const char *bad = load(*DD_VEC_AT(&dirs, char *, i), &f);
        if (bad) {
            char m[600];
            snprintf(m, sizeof m, "%s: %s", f.dir, bad);
            fixture_free(&f);
            dd__dir_list_free(&dirs);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
        dd__arena a;
        dd__arena_init(&a);
        dd__vec out;
        dd__vec_init(&out, sizeof(dd__lang_pkg));
        size_t skipped = 99;
        char why[256];
        int rc = dd__lock_parse(f.fmt, &a, (const uint8_t *)f.lock, f.lock_len,
                                &out, &skipped, why, sizeof why);
        char m[4096] = "";
        if (!strncmp(f.expect, "#error\t", 7)) {
            char want[200];
            snprintf(want, sizeof want, "%.*s",
                     (int)strcspn(f.expect + 7, "\n"), f.expect + 7);
            if (rc != DD_EINVALID || !strstr(why, want) || out.len) {
                snprintf(m, sizeof m, "%s: rc %d, why '%s', want '%s'", f.dir,
                         rc, rc ? why : "", want);
            }
        } else if (rc) {
            snprintf(m, sizeof m, "%s: rc %d: %s", f.dir, rc, why);
        } else {
            char *got = render(&out, skipped), *want = normal(f.expect);
            if (strcmp(got, want)) {
                snprintf(m, sizeof m, "%s:\n--- got\n%s--- want\n%s", f.dir,
                         got, want);
            }
            dd__free(got);
            dd__free(want);
            seen[f.fmt] = 1;
        }
        dd__vec_free(&out);
        dd__arena_free(&a);
        fixture_free(&f);
        if (m[0]) {
            dd__dir_list_free(&dirs);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
        n_fixtures++;
    }
    dd__dir_list_free(&dirs);
    for (int k = DD__LOCK_NONE + 1; k < DD__LOCK_COUNT; k++) {
        if (!seen[k]) {
            char m[128];
            snprintf(m, sizeof m, "no valid fixture for %s",
                     dd__lock_fmt_name((dd__lock_fmt)k));
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
    }
    printf("# %zu lockfile fixtures\n", n_fixtures);
}

/* every prefix (and every byte flipped to NUL / newline in small
 * files) is read or refused with a reason */
static void test_lockfile__prefixes(void)
{
    dd__vec dirs;
    dd_error e;
    CHECK(dd__dir_list(DATA, any, 256, &dirs, &e) == 0);
    size_t runs = 0;
    for (size_t i = 0; i < dirs.len; i++) {
        fixture f;
        if (load(*DD_VEC_AT(&dirs, char *, i), &f)) {
            fixture_free(&f);
            continue;
        }
        for (size_t n = 0; n <= f.lock_len; n++) {
            /* an exact-size copy so ASan sees a read past the end */
            uint8_t *cp = dd__malloc(n ? n : 1);
            memcpy(cp, f.lock, n);
            for (int var = 0; var < 2; var++) {
                if (var && n) {
                    cp[n / 2] = (uint8_t)(n & 1 ? '\0' : '\n');
                }
                dd__arena a;
                dd__arena_init(&a);
                dd__vec out;
                dd__vec_init(&out, sizeof(dd__lang_pkg));
                size_t sk;
                char why[256] = "";
                int rc = dd__lock_parse(f.fmt, &a, cp, n, &out, &sk, why,
                                        sizeof why);
                int ok = rc == 0 || (rc == DD_EINVALID && why[0]);
                dd__vec_free(&out);
                dd__arena_free(&a);
                runs++;
                if (!ok) {
                    char m[512];
                    snprintf(m, sizeof m, "%s: prefix %zu: rc %d why '%s'",
                             f.dir, n, rc, why);
                    dd__free(cp);
                    fixture_free(&f);
                    dd__dir_list_free(&dirs);
                    dd_test_fail(__FILE__, __LINE__, m);
                    return;
                }
            }
            dd__free(cp);
        }
        fixture_free(&f);
    }
    dd__dir_list_free(&dirs);
    CHECK(runs > 10000);
}

/* out of memory at every allocation of a parse: DD_ENOMEM, nothing
 * pushed, no leak */
static void test_lockfile__enomem(void)
{
    dd__vec dirs;
    dd_error e;
    CHECK(dd__dir_list(DATA, any, 256, &dirs, &e) == 0);
    for (size_t i = 0; i < dirs.len; i++) {
        fixture f;
        if (load(*DD_VEC_AT(&dirs, char *, i), &f) ||
            !strncmp(f.expect, "#error", 6)) {
            fixture_free(&f);
            continue;
        }
        int done = 0;
        for (long k = 1; k < 5000 && !done; k++) {
            dd__arena a;
            dd__arena_init(&a);
            dd__vec out;
            dd__vec_init(&out, sizeof(dd__lang_pkg));
            size_t sk;
            char why[256] = "";
            dd__alloc_fail_after(k);
            int rc = dd__lock_parse(f.fmt, &a, (const uint8_t *)f.lock,
                                    f.lock_len, &out, &sk, why, sizeof why);
            dd__alloc_fail_after(0);
            size_t got = out.len;
            dd__vec_free(&out);
            dd__arena_free(&a);
            if (rc == 0) {
                done = 1;
            } else if ((rc != DD_ENOMEM && rc != DD_EINVALID) || got) {
                /* jansson reports its own allocation failures as JSON
                 * errors: EINVALID is allowed, a partial list is not */
                char m[300];
                snprintf(m, sizeof m,
                         "%s: failing allocation %ld: rc %d, "
                         "%zu packages",
                         f.dir, k, rc, got);
                fixture_free(&f);
                dd__dir_list_free(&dirs);
                dd_test_fail(__FILE__, __LINE__, m);
                return;
            }
        }
        fixture_free(&f);
        if (!done) {
            dd__dir_list_free(&dirs);
            CHECK(!"a parse never succeeded");
        }
    }
    dd__dir_list_free(&dirs);
}

static void test_lockfile__classify(void)
{
    CHECK(dd__lock_classify("app/package-lock.json") == DD__LOCK_NPM);
    CHECK(dd__lock_classify("yarn.lock") == DD__LOCK_YARN);
    CHECK(dd__lock_classify("a/b/pnpm-lock.yaml") == DD__LOCK_PNPM);
    CHECK(dd__lock_classify("srv/poetry.lock") == DD__LOCK_POETRY);
    CHECK(dd__lock_classify("Pipfile.lock") == DD__LOCK_PIPFILE);
    CHECK(dd__lock_classify("requirements.txt") == DD__LOCK_REQUIREMENTS);
    CHECK(dd__lock_classify("x/requirements-dev.txt") == DD__LOCK_REQUIREMENTS);
    CHECK(dd__lock_classify("x/requirements_prod.txt") ==
          DD__LOCK_REQUIREMENTS);
    CHECK(dd__lock_classify("x/requirementsX.txt") == DD__LOCK_NONE);
    CHECK(dd__lock_classify("x/requirements.in") == DD__LOCK_NONE);
    CHECK(dd__lock_classify("uv.lock") == DD__LOCK_UV);
    CHECK(dd__lock_classify("go/src/app/go.mod") == DD__LOCK_GOMOD);
    CHECK(dd__lock_classify("go.sum") == DD__LOCK_NONE);
    CHECK(dd__lock_classify("usr/src/app/Cargo.lock") == DD__LOCK_CARGO);
    CHECK(dd__lock_classify("Gemfile.lock") == DD__LOCK_GEMFILE);
    CHECK(dd__lock_classify("composer.lock") == DD__LOCK_COMPOSER);
    CHECK(dd__lock_classify("packages.lock.json") == DD__LOCK_NUGET);
    CHECK(dd__lock_classify("pom.xml") == DD__LOCK_POM);
    CHECK(dd__lock_classify("gradle.lockfile") == DD__LOCK_GRADLE);
    CHECK(dd__lock_classify("Cargo.lock.bak") == DD__LOCK_NONE);
    CHECK(dd__lock_pkg_type(DD__LOCK_CARGO) == DD_PKG_CARGO);
    CHECK(dd__lock_pkg_type(DD__LOCK_POM) == DD_PKG_MAVEN);
    CHECK(dd__lock_pkg_type(DD__LOCK_UV) == DD_PKG_PYPI);
    CHECK_STR(dd_pkg_type_name(DD_PKG_CARGO), "cargo");
    CHECK_STR(dd_pkg_type_name(DD_PKG_MAVEN), "maven");
    /* purls of the new types */
    dd_package p;
    memset(&p, 0, sizeof p);
    p.type = DD_PKG_CARGO;
    p.name = "serde";
    p.version = "1.0.188";
    char *u = dd_package_purl(&p, NULL);
    CHECK_STR(u, "pkg:cargo/serde@1.0.188");
    dd_string_free(u);
    p.type = DD_PKG_MAVEN;
    p.name = "org.apache.logging.log4j:log4j-core";
    p.version = "2.14.1";
    u = dd_package_purl(&p, NULL);
    CHECK_STR(u, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    dd_string_free(u);
}

/* a package listed twice is listed once, dev only if all copies are */
static void test_lockfile__merge(void)
{
    static const char req[] = "a==1.0\nb==2.0\na==1.0\nA==1.0\n";
    dd__arena a;
    dd__arena_init(&a);
    dd__vec out;
    dd__vec_init(&out, sizeof(dd__lang_pkg));
    size_t sk;
    char why[256];
    CHECK(dd__lock_parse(DD__LOCK_REQUIREMENTS, &a, (const uint8_t *)req,
                         strlen(req), &out, &sk, why, sizeof why) == 0);
    CHECK(out.len == 3); /* a, b, A (names kept as written) */
    CHECK(sk == 0);
    dd__vec_free(&out);
    dd__arena_free(&a);
}

TEST_LIST(T(test_lockfile__fixtures),
          T(test_lockfile__classify),
          T(test_lockfile__merge),
          T(test_lockfile__prefixes),
          T(test_lockfile__enomem))
