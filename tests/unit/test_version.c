/*
 * tests/unit/test_version.c - the RubyGems, Composer, NuGet and Go
 * comparators against our vector files tests/data/{rubygems,composer,
 * nuget,go}-versions.tsv (written from reading each upstream test suite):
 * pairs in both directions (antisymmetry), ascending chains (every pair),
 * invalid versions, and Composer's normalised forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/version/version_int.h"

#define MAXF 32

static char fail_line[700];

/* split a line at tabs into f (modifies line) */
static size_t fields(char *line, char **f)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *t = strchr(p, '\t');
        if (n < MAXF) {
            f[n++] = p;
        }
        if (!t) {
            break;
        }
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static int cmp_ok(dd_version_scheme s, const char *a, const char *b, int want)
{
    int c = 9, d = 9;
    if (dd_version_compare(s, a, b, &c) || dd_version_compare(s, b, a, &d) ||
        c != want || d != -want) {
        snprintf(fail_line, sizeof fail_line,
                 "%s: '%s' vs '%s': want %d, got %d (reverse %d)",
                 dd_version_scheme_name(s), a, b, want, c, d);
        return 0;
    }
    return 1;
}

static int want_of(const char *s)
{
    return !strcmp(s, "-1") ? -1 : !strcmp(s, "1") ? 1 : 0;
}

/* the " == "-joined versions of a chain field */
static size_t group(char *f, char **out, size_t max)
{
    size_t n = 0;
    for (;;) {
        char *e = strstr(f, " == ");
        if (n < max) {
            out[n++] = f;
        }
        if (!e) {
            return n;
        }
        *e = '\0';
        f = e + 4;
    }
}

/* runs the file; returns the number of checked cases, -1 on a failure */
static long run(dd_version_scheme s, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, DD_SRCDIR "/tests/data/%s", file);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(fail_line, sizeof fail_line, "cannot open %s", path);
        return -1;
    }
    char line[2048];
    long n = 0;
    int bad = 0;
    while (!bad && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !line[0]) {
            continue;
        }
        char *f[MAXF];
        size_t nf = fields(line, f);
        if (nf == 2 && !strcmp(f[1], "invalid")) {
            int c;
            if (dd_version_compare(s, f[0], "1", &c) != DD_EINVALID ||
                dd_version_compare(s, "1", f[0], &c) != DD_EINVALID) {
                snprintf(fail_line, sizeof fail_line, "%s: '%s' is valid",
                         dd_version_scheme_name(s), f[0]);
                bad = 1;
            }
            n++;
        } else if (nf == 3 && !strcmp(f[0], "norm")) {
            char out[600];
            if (dd__composer_normalize(f[1], out, sizeof out) ||
                strcmp(out, f[2])) {
                snprintf(fail_line, sizeof fail_line,
                         "normalize '%s': want '%s', got '%s'", f[1], f[2],
                         out);
                bad = 1;
            }
            n++;
        } else if (nf >= 3 && !strcmp(f[0], "order")) {
            char *g[MAXF][8];
            size_t gn[MAXF];
            for (size_t i = 1; i < nf; i++) {
                gn[i] = group(f[i], g[i], 8);
            }
            for (size_t i = 1; !bad && i < nf; i++) {
                for (size_t j = 1; !bad && j < nf; j++) {
                    for (size_t x = 0; !bad && x < gn[i]; x++) {
                        for (size_t y = 0; !bad && y < gn[j]; y++) {
                            int want = i < j ? -1 : i > j ? 1 : 0;
                            bad = !cmp_ok(s, g[i][x], g[j][y], want);
                            n++;
                        }
                    }
                }
            }
        } else if (nf == 3) {
            bad = !cmp_ok(s, f[0], f[1], want_of(f[2]));
            n++;
        } else {
            snprintf(fail_line, sizeof fail_line, "bad row in %s", file);
            bad = 1;
        }
    }
    fclose(fp);
    return bad ? -1 : n;
}

#define SUITE(fn, scheme, file, min)                     \
    static void fn(void)                                 \
    {                                                    \
        long n = run(scheme, file);                      \
        if (n < 0) {                                     \
            dd_test_fail(__FILE__, __LINE__, fail_line); \
            return;                                      \
        }                                                \
        CHECK(n >= (min));                               \
    }

SUITE(test_version__rubygems, DD_VER_RUBYGEMS, "rubygems-versions.tsv", 200)
SUITE(test_version__composer, DD_VER_COMPOSER, "composer-versions.tsv", 400)
SUITE(test_version__nuget, DD_VER_NUGET, "nuget-versions.tsv", 150)
SUITE(test_version__go, DD_VER_GO, "go-versions.tsv", 400)

static void test_version__scheme_names(void)
{
    static const char *const names[] = {"rubygems", "composer", "nuget", "go"};
    static const dd_version_scheme want[] = {DD_VER_RUBYGEMS, DD_VER_COMPOSER,
                                             DD_VER_NUGET, DD_VER_GO};
    for (size_t i = 0; i < 4; i++) {
        dd_version_scheme s;
        CHECK(dd_version_scheme_parse(names[i], &s) == 0);
        CHECK(s == want[i]);
        CHECK_STR(dd_version_scheme_name(s), names[i]);
    }
    /* the older schemes keep their numbers and names */
    CHECK_STR(dd_version_scheme_name(DD_VER_MAVEN), "maven");
    CHECK_STR(dd_version_scheme_name(DD_VER_SEMVER), "semver");
    int c;
    CHECK(dd_version_compare((dd_version_scheme)99, "1", "2", &c) ==
          DD_EINVALID);
}

static void test_version__long_and_hostile(void)
{
    /* long inputs: no overflow, a verdict either way */
    size_t n = 100000;
    char *big = malloc(n + 1); /* test code: libc allocation */
    CHECK(big != NULL);
    for (size_t i = 0; i < n; i++) {
        big[i] = i % 2 ? '.' : '1';
    }
    big[n - 1] = '1';
    big[n] = '\0';
    int c;
    static const dd_version_scheme all[] = {DD_VER_RUBYGEMS, DD_VER_COMPOSER,
                                            DD_VER_NUGET, DD_VER_GO};
    for (size_t i = 0; i < 4; i++) {
        int r = dd_version_compare(all[i], big, "1.0", &c);
        CHECK(r == 0 || r == DD_EINVALID);
    }
    CHECK(dd_version_compare(DD_VER_RUBYGEMS, big, "1", &c) == 0 && c == 1);
    memset(big, '-', n);
    CHECK(dd_version_compare(DD_VER_RUBYGEMS, big, "1", &c) == DD_EINVALID);
    big[0] = '1';
    CHECK(dd_version_compare(DD_VER_RUBYGEMS, big, "1", &c) == 0);
    free(big);
    /* numbers far beyond 64 bits compare by value */
    CHECK(dd_version_compare(DD_VER_RUBYGEMS, "1.100000000000000000000001",
                             "1.99999999999999999999999", &c) == 0 &&
          c == 1);
    CHECK(dd_version_compare(DD_VER_GO, "v1.100000000000000000000001.0",
                             "v1.99999999999999999999999.0", &c) == 0 &&
          c == 1);
    CHECK(dd_version_compare(DD_VER_COMPOSER, "1.100000000000000000000001",
                             "1.99999999999999999999999", &c) == 0 &&
          c == 1);
}

TEST_LIST(T(test_version__rubygems),
          T(test_version__composer),
          T(test_version__nuget),
          T(test_version__go),
          T(test_version__scheme_names),
          T(test_version__long_and_hostile))
