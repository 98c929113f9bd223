/*
 * tests/unit/test_license.c - license normalisation against the table of
 * real strings tests/data/license/normalize.tsv (expression and built-in
 * category per line, and that normalising the result gives it back), the
 * parser on crafted, oversized and deeply nested input, the policy
 * (overrides, JSON file, OR/AND rules) and the Debian copyright reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock/license.h"
#include "drydock/packages.h"
#include "harness.h"
#include "lib/lang/lang.h"
#include "lib/license/license_int.h"
#include "util/util.h"

static char *norm(const char *s, int *rc)
{
    char *out = NULL;
    dd_error e;
    *rc = dd_license_normalize(s, strlen(s), &out, &e);
    return out;
}

static void table(void)
{
    FILE *fp = fopen(DD_SRCDIR "/tests/data/license/normalize.tsv", "r");
    CHECK(fp);
    char line[8192];
    size_t rows = 0, bad = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#') {
            continue;
        }
        line[strcspn(line, "\n")] = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t1 || !t2) {
            continue;
        }
        *t1 = *t2 = '\0';
        const char *in = line, *want = t1 + 1, *cat = t2 + 1;
        int rc;
        char *got = norm(in, &rc);
        rows++;
        const char *g = got ? got : "";
        if (strcmp(g, want)) {
            fprintf(stderr, "  '%s': got '%s', want '%s'\n", in, g, want);
            bad++;
        } else if (got) {
            int rc2;
            char *again = norm(got, &rc2); /* stable */
            if (!again || strcmp(again, got)) {
                fprintf(stderr, "  '%s' not stable: '%s'\n", got,
                        again ? again : "(null)");
                bad++;
            }
            dd_string_free(again);
        }
        const char *c = dd_license_category_name(dd_license_classify(NULL, in));
        if (strcmp(c, cat)) {
            fprintf(stderr, "  '%s': category %s, want %s\n", in, c, cat);
            bad++;
        }
        dd_string_free(got);
    }
    fclose(fp);
    printf("  license table: %zu rows, %zu wrong\n", rows, bad);
    CHECK(rows >= 150);
    CHECK(bad == 0);
}

static void crafted(void)
{
    int rc;
    char *o;
    /* unbalanced, dangling operators: EINVALID, still a LicenseRef */
    const char *bad[] = {"MIT (",  "(MIT",       "MIT)",     "MIT AND", "AND",
                         "OR MIT", "MIT AND ()", "MIT WITH", "a\x01b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o = norm(bad[i], &rc);
        CHECK(rc == DD_EINVALID);
        CHECK(o && !strncmp(o, "LicenseRef-", 11));
        dd_string_free(o);
    }
    o = norm("  ", &rc);
    CHECK(rc == DD_ENOTFOUND && !o);
    /* precedence kept: OR under AND gets parentheses */
    o = norm("(mit or apache-2.0) and bsd-3-clause", &rc);
    CHECK(rc == 0);
    CHECK_STR(o, "(MIT OR Apache-2.0) AND BSD-3-Clause");
    dd_string_free(o);
    o = norm("GPL-1+ or Artistic, and Unicode", &rc);
    CHECK_STR(o, "(GPL-1.0-or-later OR Artistic-1.0-Perl) AND "
                 "Unicode-DFS-2016");
    dd_string_free(o);
    /* repeats dropped, per chain; a one-operand OR needs no parentheses */
    o = norm("MIT and MIT and (BSD or MIT) and (MIT or BSD-2-clause or MIT)",
             &rc);
    CHECK_STR(o, "MIT AND (BSD-3-Clause OR MIT) AND (MIT OR BSD-2-Clause)");
    dd_string_free(o);
    o = norm("(Expat or MIT) and GPL-2", &rc);
    CHECK_STR(o, "MIT AND GPL-2.0-only");
    dd_string_free(o);
    /* LicenseRef names are sanitised */
    o = norm("My \"Special\" <License>", &rc);
    CHECK_STR(o, "LicenseRef-My-Special-License");
    dd_string_free(o);
    /* deep parentheses: at the limit fine, past it EINVALID */
    char deep[200];
    size_t n = 0;
    for (int i = 0; i < DD_LICENSE_MAX_DEPTH; i++) {
        deep[n++] = '(';
    }
    memcpy(deep + n, "MIT", 3);
    n += 3;
    for (int i = 0; i < DD_LICENSE_MAX_DEPTH; i++) {
        deep[n++] = ')';
    }
    deep[n] = '\0';
    o = norm(deep, &rc);
    CHECK(rc == 0);
    CHECK_STR(o, "MIT");
    dd_string_free(o);
    char deeper[220];
    snprintf(deeper, sizeof deeper, "(%s)", deep);
    o = norm(deeper, &rc);
    CHECK(rc == DD_EINVALID && o);
    dd_string_free(o);
    /* oversized: too long, too many names */
    char *big = malloc(DD_LICENSE_MAX_TEXT + 100);
    CHECK(big);
    memset(big, 'a', DD_LICENSE_MAX_TEXT + 99);
    big[DD_LICENSE_MAX_TEXT + 99] = '\0';
    o = norm(big, &rc);
    CHECK(rc == DD_EINVALID && o && strlen(o) <= 11 + 64);
    dd_string_free(o);
    n = 0;
    for (int i = 0; i < DD_LICENSE_MAX_TERMS + 10; i++) {
        memcpy(big + n, "A OR ", 5);
        n += 5;
    }
    memcpy(big + n, "B", 2);
    o = norm(big, &rc);
    CHECK(rc == DD_EINVALID && o);
    dd_string_free(o);
    free(big);
}

static const char *cat(const dd_license_policy *p, const char *s)
{
    return dd_license_category_name(dd_license_classify(p, s));
}

static void policy(void)
{
    CHECK_STR(cat(NULL, "AGPL-3.0-only"), "forbidden");
    CHECK_STR(cat(NULL, "GPL-2.0-only OR MIT"), "notice");      /* least */
    CHECK_STR(cat(NULL, "GPL-2.0-only AND MIT"), "restricted"); /* most */
    CHECK_STR(cat(NULL, "MIT AND (AGPL-3.0-only OR CC0-1.0)"), "notice");
    CHECK_STR(cat(NULL, "GPL-2.0-or-later WITH Classpath-exception-2.0"),
              "restricted");
    CHECK_STR(cat(NULL, "MPL-1.1+"), "reciprocal");
    CHECK_STR(cat(NULL, "LicenseRef-foo"), "unknown");
    CHECK_STR(cat(NULL, "Public Domain"), "unencumbered");
    dd_license_policy *p = NULL;
    dd_error e;
    CHECK(dd_license_policy_new(&p, &e) == 0);
    CHECK(dd_license_policy_set(p, "GPL-*", DD_LICENSE_FORBIDDEN, &e) == 0);
    CHECK(dd_license_policy_set(p, "gpl-2.0-only", DD_LICENSE_NOTICE, &e) == 0);
    CHECK(dd_license_policy_set(p, "bad pattern", DD_LICENSE_NOTICE, &e) ==
          DD_EINVALID);
    CHECK_STR(cat(p, "GPL-3.0-only"), "forbidden");
    CHECK_STR(cat(p, "GPL-2.0"), "notice"); /* later rule wins */
    CHECK_STR(cat(p, "LGPL-2.1-only"), "restricted");
    char path[] = "/tmp/dd-license-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"unencumbered\": [\"LicenseRef-foo\"], \"forbidden\": "
          "[\"LGPL-*\"]}",
          f);
    fclose(f);
    CHECK(dd_license_policy_load(p, path, &e) == 0);
    CHECK_STR(cat(p, "LicenseRef-foo"), "unencumbered");
    CHECK_STR(cat(p, "LGPL-2.1+"), "forbidden");
    f = fopen(path, "w");
    fputs("{\"allowed\": [\"MIT\"]}", f);
    fclose(f);
    CHECK(dd_license_policy_load(p, path, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "allowed"));
    f = fopen(path, "w");
    fputs("{\"notice\": [1]}", f);
    fclose(f);
    CHECK(dd_license_policy_load(p, path, &e) == DD_EINVALID);
    unlink(path);
    CHECK(dd_license_policy_load(p, path, &e) != 0);
    CHECK(dd_license_policy_set_list(p, " MIT, GPL-3.0-*\tLicenseRef-x ",
                                     DD_LICENSE_FORBIDDEN, &e) == 0);
    CHECK_STR(cat(p, "MIT"), "forbidden");
    CHECK_STR(cat(p, "GPL-3.0-or-later"), "forbidden");
    CHECK_STR(cat(p, "LicenseRef-x"), "forbidden");
    CHECK(dd_license_policy_set_list(p, "ok,no!way", DD_LICENSE_NOTICE, &e) ==
          DD_EINVALID);
    CHECK(strstr(e.message, "no!way"));
    dd_license_policy_free(p);
    CHECK(dd_license_category_parse("Restricted") == DD_LICENSE_RESTRICTED);
    CHECK(dd_license_category_parse("x") == -1);
}

static char *cr(const char *text, int *rc)
{
    char *out = NULL;
    dd_error e;
    *rc = dd__license_copyright((const uint8_t *)text, strlen(text), &out, &e);
    return out;
}

static void copyright(void)
{
    int rc;
    char *o = cr("Format: https://www.debian.org/doc/packaging-manuals/"
                 "copyright-format/1.0/\nUpstream-Name: x\n\n"
                 "Files: *\nCopyright: me\nLicense: GPL-2+\n\n"
                 "Files: lib/*\nLicense: LGPL-2.1+\n text\n .\n more\n\n"
                 "Files: a/*\nLicense: GPL-2+\n\n"
                 "Files: b/*\nLicense: GPL-2+ or Artistic\n\n"
                 "License: GPL-2+\n On Debian ... GPL-2\n\n"
                 "License: Standalone-only\n text\n",
                 &rc);
    CHECK(rc == 0);
    CHECK_STR(o, "GPL-2+ AND LGPL-2.1+ AND (GPL-2+ or Artistic)");
    dd__free(o);
    /* header License counts; CRLF; no Files paragraphs */
    o = cr("Format: http://dep.debian.net/deps/dep5\r\nLicense: MIT\r\n", &rc);
    CHECK_STR(o, "MIT");
    dd__free(o);
    /* free text: the common-licenses references only */
    o = cr("This is foo.\n\nyou can redistribute it under the GPL, either "
           "version 2, or (at your option) any later version.\nOn Debian "
           "systems see /usr/share/common-licenses/GPL-2.\nAlso "
           "/usr/share/common-licenses/BSD and /usr/share/common-licenses/"
           "Nope.\n",
           &rc);
    CHECK(rc == 0);
    CHECK_STR(o, "GPL-2+ AND BSD");
    dd__free(o);
    o = cr("no license said here\n", &rc);
    CHECK(rc == 0 && !o);
    char nul[] = "Format: copyright-format\n\0License: MIT\n";
    o = NULL;
    dd_error e;
    rc = dd__license_copyright((const uint8_t *)nul, sizeof nul - 1, &o, &e);
    CHECK(rc == DD_EINVALID && !o);
    /* many names: at most DD_COPYRIGHT_MAX_NAMES, output bounded */
    char *big = malloc(200000);
    CHECK(big);
    size_t n = (size_t)snprintf(big, 200000, "Format: copyright-format\n\n");
    for (int i = 0; i < 5000; i++) {
        n += (size_t)snprintf(big + n, 200000 - n,
                              "Files: f%d\nLicense: Lic-%d\n\n", i, i);
    }
    o = cr(big, &rc);
    CHECK(rc == 0 && o && strlen(o) <= DD_LICENSE_MAX_TEXT);
    int ands = 0;
    for (const char *q = o; (q = strstr(q, " AND ")); q++) {
        ands++;
    }
    CHECK(ands < DD_COPYRIGHT_MAX_NAMES);
    int rc2;
    char *x = norm(o, &rc2);
    CHECK(rc2 == 0 && x);
    dd_string_free(x);
    dd__free(o);
    free(big);
}

static const char *py(dd__arena *a, const char *md)
{
    dd__lang_pkg p;
    char why[200];
    if (dd__py_metadata(a, (const uint8_t *)md, strlen(md), 0, &p, why,
                        sizeof why)) {
        return "(error)";
    }
    return p.license ? p.license : "(none)";
}

/* PyPI: License-Expression > a License: we know > classifiers > text */
static void pypi(void)
{
    dd__arena a;
    dd__arena_init(&a);
    CHECK_STR(py(&a, "Name: x\nVersion: 1\nClassifier: License :: OSI "
                     "Approved :: MIT License\n\n"),
              "MIT License");
    CHECK_STR(py(&a, "Name: x\nVersion: 1\nLicense: Copyright (c) 2020 "
                     "Somebody, all rights\nClassifier: License :: OSI "
                     "Approved :: BSD License\nClassifier: License :: OSI "
                     "Approved :: Apache Software License\n\n"),
              "BSD License OR Apache Software License");
    CHECK_STR(py(&a, "Name: x\nVersion: 1\nLicense: Apache 2.0\n"
                     "Classifier: License :: OSI Approved :: MIT License\n\n"),
              "Apache 2.0");
    CHECK_STR(py(&a, "Name: x\nVersion: 1\nLicense-Expression: MIT\n"
                     "Classifier: License :: OSI Approved :: BSD License\n\n"),
              "MIT");
    CHECK_STR(py(&a, "Name: x\nVersion: 1\nClassifier: License :: OSI "
                     "Approved\nClassifier: Programming Language :: C\n\n"),
              "(none)");
    char *e = NULL;
    CHECK(dd_license_normalize("BSD License OR Apache Software License", 38, &e,
                               NULL) == 0);
    CHECK_STR(e, "BSD-3-Clause OR Apache-2.0");
    dd_string_free(e);
    dd__arena_free(&a);
}

static const char *npm(dd__arena *a, const char *pj)
{
    dd__lang_pkg p;
    char why[200];
    if (dd__npm_package(a, (const uint8_t *)pj, strlen(pj), &p, why,
                        sizeof why)) {
        return "(error)";
    }
    return p.license ? p.license : "(none)";
}

/* npm: string, {type}, the old licenses array (a choice: OR) */
static void npm_licenses(void)
{
    dd__arena a;
    dd__arena_init(&a);
    CHECK_STR(npm(&a, "{\"name\":\"x\",\"version\":\"1\",\"license\":"
                      "\"(MIT OR Apache-2.0)\"}"),
              "(MIT OR Apache-2.0)");
    CHECK_STR(npm(&a, "{\"name\":\"x\",\"version\":\"1\",\"license\":"
                      "{\"type\":\"ISC\",\"url\":\"u\"}}"),
              "ISC");
    CHECK_STR(npm(&a, "{\"name\":\"x\",\"version\":\"1\",\"licenses\":"
                      "[{\"type\":\"MIT\"},{\"type\":\"GPL-2.0\"},7]}"),
              "MIT OR GPL-2.0");
    CHECK_STR(npm(&a, "{\"name\":\"x\",\"version\":\"1\",\"licenses\":"
                      "[\"BSD\"]}"),
              "BSD");
    CHECK_STR(npm(&a, "{\"name\":\"x\",\"version\":\"1\",\"licenses\":"
                      "[]}"),
              "(none)");
    CHECK_STR(
        dd_license_category_name(dd_license_classify(NULL, "MIT OR GPL-2.0")),
        "notice");
    dd__arena_free(&a);
}

TEST_LIST(
    T(table), T(crafted), T(policy), T(copyright), T(pypi), T(npm_licenses))
