/*
 * tests/unit/test_lookalike.c - look-alike image names: the distance, the
 * canonical form, each signal, the scan hook, and the labelled table
 * tests/data/lookalike.tsv with its measured false-positive and
 * false-negative rates.
 */
#include <stdio.h>
#include <string.h>

#include "drydock/lookalike.h"
#include "harness.h"
#include "lib/findings_int.h"
#include "lib/lookalike/lookalike_int.h"

static void distance(void)
{
    CHECK(dd_lookalike_distance("nginx", "nginx", 5) == 0);
    CHECK(dd_lookalike_distance("ngnix", "nginx", 5) == 1); /* transposed */
    CHECK(dd_lookalike_distance("ngix", "nginx", 5) == 1);
    CHECK(dd_lookalike_distance("postgres", "mysql", 3) == 3); /* capped */
    CHECK(dd_lookalike_distance("", "abc", 9) == 3);
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(dd_lookalike_distance(big, big, 4) == 4); /* too long: cap */
}

static void canonical(void)
{
    char c[600];
    dd_error e;
    CHECK(dd_lookalike_canonical("nginx", c, sizeof c, &e) == 0);
    CHECK_STR(c, "docker.io/library/nginx");
    CHECK(dd_lookalike_canonical("index.docker.io/library/redis:7", c, sizeof c,
                                 &e) == 0);
    CHECK_STR(c, "docker.io/library/redis");
    CHECK(dd_lookalike_canonical("ghcr.io/a/b@sha256:"
                                 "0000000000000000000000000000000000000000000"
                                 "000000000000000000000",
                                 c, sizeof c, &e) == 0);
    CHECK_STR(c, "ghcr.io/a/b");
    CHECK(dd_lookalike_canonical("Bad Name", c, sizeof c, &e) == DD_EINVALID);
    CHECK(dd_lookalike_canonical("", c, sizeof c, &e) == DD_EINVALID);
}

static const char *sig_of(const char *ref)
{
    static dd_lookalike_result r;
    dd_error e;
    if (dd_lookalike_check(ref, NULL, 0, &r, &e) || !r.lookalike) {
        return "none";
    }
    return r.signal;
}

static void signals(void)
{
    CHECK_STR(sig_of("ngnix"), "typo");
    CHECK_STR(sig_of("ng1nx"), "confusable");
    CHECK_STR(sig_of("rnysql"), "confusable");
    CHECK_STR(sig_of("vvordpress"), "confusable");
    CHECK_STR(sig_of("hello_world"), "separator");
    CHECK_STR(sig_of("nginx-official"), "affix");
    CHECK_STR(sig_of("alpine2"), "affix");
    CHECK_STR(sig_of("nginxs"), "plural");
    CHECK_STR(sig_of("docker.io/libary/nginx"), "namespace-library");
    CHECK_STR(sig_of("bitnarni/nginx"), "publisher-namespace");
    CHECK_STR(sig_of("someone/redis"), "unknown-namespace");
    CHECK_STR(sig_of("ghrc.io/o/a"), "host-typo");
    CHECK_STR(sig_of("ghcr.io.evil.example/o/a"), "host-affix");
    CHECK_STR(sig_of("xn--dcker-fua.io/library/nginx"), "punycode-host");
    /* short names need an exact confusion, not an edit */
    CHECK_STR(sig_of("nodes"), "plural");
    CHECK_STR(sig_of("nide"), "none");
    CHECK_STR(sig_of("nginx"), "none");
    CHECK_STR(sig_of("bitnami/nginx"), "none");
    CHECK_STR(sig_of("ubuntu/nginx"), "none");
    dd_lookalike_result r;
    dd_error e;
    CHECK(dd_lookalike_check("docker.io/libary/nginx:1.25", NULL, 0, &r, &e) ==
          0);
    CHECK(r.lookalike && r.severity == DD_SEV_HIGH);
    CHECK_STR(r.target, "docker.io/library/nginx");
    CHECK(strstr(r.detail, "docker.io/library/nginx") != NULL);
    CHECK(dd_lookalike_check("someone/redis", NULL, 0, &r, &e) == 0);
    CHECK(r.severity == DD_SEV_MEDIUM);
    /* the trusted list is quiet, as a prefix on a path boundary */
    const char *tr[] = {"someone", "ghrc.io/myorg"};
    CHECK(dd_lookalike_check("someone/redis", tr, 2, &r, &e) == 0);
    CHECK(!r.lookalike);
    CHECK(dd_lookalike_check("ghrc.io/myorg/app", tr, 2, &r, &e) == 0);
    CHECK(!r.lookalike);
    CHECK(dd_lookalike_check("ghrc.io/myorgx/app", tr, 2, &r, &e) == 0);
    CHECK(r.lookalike);
    CHECK(dd_lookalike_check("a b", NULL, 0, &r, &e) == DD_EINVALID);
    int dep = 0, ndep = 0;
    size_t n = 0;
    for (const char *s; (s = dd_lookalike_official(n, &dep)); n++) {
        ndep += dep;
    }
    CHECK(n > 150 && ndep > 10);
}

static void scan_hook(void)
{
    dd_image_info info = {0};
    info.source = DD_SOURCE_REGISTRY;
    info.path = "docker.io/libary/nginx:latest";
    dd_findings *f = dd__findings_new();
    CHECK(f);
    CHECK(dd__lookalike_finding(f, &info) == 0);
    CHECK(dd_findings_count(f) == 1);
    const dd_finding *x = dd_findings_get(f, 0);
    CHECK_STR(x->rule_id, "trust.lookalike-name");
    CHECK(x->kind == DD_KIND_TRUST && x->severity == DD_SEV_HIGH);
    CHECK(strstr(x->title, "docker.io/library/nginx") != NULL);
    info.path = "docker.io/library/nginx:latest";
    CHECK(dd__lookalike_finding(f, &info) == 0);
    info.source = DD_SOURCE_DOCKER_ARCHIVE; /* file names are not refs */
    info.path = "ngnix";
    CHECK(dd__lookalike_finding(f, &info) == 0);
    CHECK(dd_findings_count(f) == 1);
    dd_findings_free(f);
}

static void table(void)
{
    FILE *fp = fopen(DD_SRCDIR "/tests/data/lookalike.tsv", "r");
    CHECK(fp);
    char line[1024];
    size_t pos = 0, neg = 0, fp_n = 0, fn_n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) {
            continue;
        }
        *tab = 0;
        const char *want = tab + 1;
        dd_lookalike_result r;
        dd_error e;
        int rc = dd_lookalike_check(line, NULL, 0, &r, &e);
        if (!strcmp(want, "-")) {
            neg++;
            if (rc || r.lookalike) {
                fp_n++;
                printf("  false positive: %s -> %s (%s)\n", line,
                       rc ? "error" : r.target, rc ? e.message : r.signal);
            }
        } else {
            pos++;
            int hit = !rc && r.lookalike &&
                      (!strcmp(want, "*") || !strcmp(want, r.target));
            if (!hit) {
                fn_n++;
                printf("  false negative: %s (want %s, got %s %s)\n", line,
                       want,
                       rc            ? "error"
                       : r.lookalike ? r.target
                                     : "quiet",
                       rc         ? e.message
                       : r.signal ? r.signal
                                  : "");
            }
        }
    }
    fclose(fp);
    printf("lookalike table: %zu names (%zu lookalikes, %zu legitimate); "
           "false positives %zu (%.1f%%), false negatives %zu (%.1f%%)\n",
           pos + neg, pos, neg, fp_n, neg ? 100.0 * fp_n / neg : 0.0, fn_n,
           pos ? 100.0 * fn_n / pos : 0.0);
    CHECK(pos + neg >= 200);
    CHECK(fp_n * 100 <= neg * 2); /* at most 2% */
    CHECK(fn_n * 100 <= pos * 5); /* at most 5% */
}

TEST_LIST(T(distance), T(canonical), T(signals), T(scan_hook), T(table))
