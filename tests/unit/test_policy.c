/*
 * tests/unit/test_policy.c - admission policies (drydock/policy.h),
 * data-driven: tests/data/policy/cases.tsv lists images x policies x
 * synthetic inputs (findings, which signers verify, attestations, the
 * time) and the expected verdict with every reason code and its effect;
 * tests/data/policy/errors.tsv lists documents that must be refused and
 * a piece of the one-line message. Plus the glob matcher, the default
 * policy, the verdict JSON, and allocation failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "lib/findings_int.h"
#include "lib/policy/policy_int.h"

#define DATA DD_SRCDIR "/tests/data/policy"

static char *slurp(const char *path, size_t *len)
{
    char *b = NULL;
    if (dd__file_read(path, 1u << 22, &b, len)) {
        return NULL;
    }
    return b;
}

static void globs(void)
{
    CHECK(dd__policy_glob_match("registry.example.com/team/**",
                                "registry.example.com/team/app"));
    CHECK(dd__policy_glob_match("registry.example.com/team/**",
                                "registry.example.com/team/a/b/c"));
    CHECK(!dd__policy_glob_match("registry.example.com/team/**",
                                 "registry.example.com/other/app"));
    /* ** is zero or more whole segments (util/glob.c) */
    CHECK(dd__policy_glob_match("registry.example.com/team/**",
                                "registry.example.com/team"));
    CHECK(!dd__policy_glob_match("registry.example.com/team/**",
                                 "registry.example.com/teamx"));
    CHECK(dd__policy_glob_match("docker.io/library/*",
                                "docker.io/library/nginx"));
    CHECK(
        !dd__policy_glob_match("docker.io/library/*", "docker.io/library/a/b"));
    CHECK(dd__policy_glob_match("**", "anything/at/all"));
    CHECK(dd__policy_glob_match("**/nginx", "docker.io/library/nginx"));
    CHECK(!dd__policy_glob_match("**/nginx", "docker.io/library/nginx2"));
    CHECK(dd__policy_glob_match("ghcr.io/*/app-*", "ghcr.io/org/app-web"));
    CHECK(!dd__policy_glob_match("ghcr.io/*/app-*", "ghcr.io/org/x/app-web"));
    CHECK(dd__policy_glob_match("CVE-2026-*", "CVE-2026-1234"));
    CHECK(dd__policy_glob_match("a*b*c", "aXXbYYc"));
    CHECK(!dd__policy_glob_match("a*b*c", "aXXbYY"));
    /* no backtracking blow-up */
    char s[4001];
    memset(s, 'a', 4000);
    s[4000] = 0;
    CHECK(!dd__policy_glob_match("*a*a*a*a*a*a*a*a*a*a*b", s));
    const char *why;
    CHECK(dd__policy_glob_check("a/**", &why) == 0);
    CHECK(dd__policy_glob_check("**/b", &why) == 0);
    CHECK(dd__policy_glob_check("a**", &why) != 0);
    CHECK(dd__policy_glob_check("a/***", &why) != 0);
    CHECK(dd__policy_glob_check("a/[ab]", &why) != 0);
    CHECK(dd__policy_glob_check("", &why) != 0);
    CHECK(dd__policy_glob_literal("registry.example.com/team/**") == 26);
}

/* ---------------------------------------------------------- the table */

static int64_t day(const char *s)
{
    /* YYYY-MM-DD[THH] -> Unix seconds (UTC) */
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (int)strtol(s, NULL, 10) - 1900;
    tm.tm_mon = (int)strtol(s + 5, NULL, 10) - 1;
    tm.tm_mday = (int)strtol(s + 8, NULL, 10);
    if (s[10] == 'T') {
        tm.tm_hour = (int)strtol(s + 11, NULL, 10);
    }
    return (int64_t)timegm(&tm);
}

typedef struct mock {
    const char *sigs; /* comma list: tokens a key or identity must hold */
    int64_t now;
    int calls;
} mock;

static int has_token(const char *list, const char *s)
{
    char tok[200];
    for (const char *p = list; s && *p;) {
        size_t k = strcspn(p, ",");
        snprintf(tok, sizeof tok, "%.*s", (int)k, p);
        char *at = strchr(tok, '+');
        if (at) {
            *at = 0; /* KEYA+att=TYPE@H */
        }
        if (tok[0] && strstr(s, tok)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

static int mock_verify(void *payload,
                       const dd_trust_policy *signer,
                       dd_policy_check *out,
                       dd_error *err)
{
    mock *m = payload;
    m->calls++;
    memset(out, 0, sizeof *out);
    if (!strcmp(m->sigs, "err")) {
        return dd__error_set(err, DD_ENET, "registry unreachable");
    }
    const char *who = signer->key_pem ? signer->key_pem : signer->identity;
    out->verified = strcmp(m->sigs, "-") && has_token(m->sigs, who);
    snprintf(out->message, sizeof out->message, "%s",
             out->verified ? "verified" : "no signature by this signer");
    /* attestations of a verifying signer: KEYA+att=TYPE@HOURS */
    for (const char *p = m->sigs; out->verified && *p;) {
        size_t k = strcspn(p, ",");
        char tok[300];
        snprintf(tok, sizeof tok, "%.*s", (int)k, p);
        char *att = strstr(tok, "+att=");
        if (att) {
            *att = 0;
            if (strstr(who, tok)) {
                char *h = strrchr(att + 5, '@');
                dd_policy_attestation *a =
                    &out->attestations[out->n_attestations++];
                if (h) {
                    *h = 0;
                }
                snprintf(a->predicate_type, sizeof a->predicate_type, "%.200s",
                         att + 5);
                a->time = h ? m->now - 3600 * strtoll(h + 1, NULL, 10) : -1;
            }
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

/* findings spec: "-", "noscan", or comma tokens
 *   kind:SEV:id[:fix][:cvss=X][:deleted]   a finding
 *   scanners=a+b   the scanners that ran   incomplete   a partial scan */
static int make_findings(const char *spec,
                         dd_findings **out,
                         dd_scan_summary *sum,
                         int *noscan)
{
    *out = dd__findings_new();
    memset(sum, 0, sizeof *sum);
    sum->scanners = DD_SCANNERS_DEFAULT;
    sum->complete = 1;
    *noscan = !strcmp(spec, "noscan");
    if (*noscan || !strcmp(spec, "-")) {
        return 0;
    }
    for (const char *p = spec; *p;) {
        size_t k = strcspn(p, ",");
        char tok[300];
        snprintf(tok, sizeof tok, "%.*s", (int)k, p);
        p += k + (p[k] == ',');
        if (!strncmp(tok, "scanners=", 9)) {
            for (char *c = tok; *c; c++) {
                *c = *c == '+' ? ',' : *c;
            }
            dd_error e;
            if (dd_scanners_parse(tok + 9, &sum->scanners, &e)) {
                return -1;
            }
            continue;
        }
        if (!strcmp(tok, "incomplete")) {
            sum->complete = 0;
            continue;
        }
        char *f[8] = {0};
        int nf = 0;
        for (char *s = tok; s && nf < 8;) {
            f[nf++] = s;
            s = strchr(s, ':');
            if (s) {
                *s++ = 0;
            }
        }
        if (nf < 3) {
            return -1;
        }
        dd__finding_spec fs;
        memset(&fs, 0, sizeof fs);
        fs.kind = DD_KIND_CONFIG;
        for (int j = DD_KIND_INTEGRITY; j <= DD_KIND_TRUST; j++) {
            if (!strcmp(f[0], dd_kind_name((dd_finding_kind)j))) {
                fs.kind = (dd_finding_kind)j;
            }
        }
        fs.severity = (dd_severity)dd_severity_parse(f[1]);
        fs.rule_id = f[2];
        fs.layer = 1;
        fs.history = -1;
        fs.path = fs.kind == DD_KIND_VULN ? NULL : "/etc/thing";
        int fix = 0, deleted = 0;
        double cvss = -1;
        for (int j = 3; j < nf; j++) {
            if (!strncmp(f[j], "cat=", 4)) {
                fs.category = f[j] + 4;
            }
            fix |= !strcmp(f[j], "fix");
            deleted |= !strcmp(f[j], "deleted");
            if (!strncmp(f[j], "cvss=", 5)) {
                cvss = strtod(f[j] + 5, NULL);
            }
        }
        if (dd__findings_add(*out, &fs, "title of %s", f[2])) {
            return -1;
        }
        dd__findings_at(*out, dd_findings_count(*out) - 1)->deleted_in =
            deleted ? 2 : -1;
        if (fs.kind == DD_KIND_VULN) {
            dd_vuln_info v;
            memset(&v, 0, sizeof v);
            v.package = "libfoo";
            v.installed_version = "1.0";
            v.fixed_version = fix ? "1.1" : NULL;
            v.cvss_score = cvss;
            if (dd__findings_set_vuln(*out, &v)) {
                return -1;
            }
        }
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "code:effect" of each reason, sorted, unique, comma-joined */
static void reason_codes(const dd_policy_verdict *v, char *out, size_t n)
{
    char *items[256];
    size_t k = 0;
    for (size_t i = 0; i < v->n_reasons && k < 256; i++) {
        items[k++] = dd__asprintf("%s:%s", v->reasons[i].code,
                                  dd_policy_effect_name(v->reasons[i].effect));
    }
    qsort(items, k, sizeof *items, cmp_str);
    size_t at = 0;
    out[0] = 0;
    for (size_t i = 0; i < k; i++) {
        if ((!i || strcmp(items[i], items[i - 1])) && at < n) {
            at += (size_t)snprintf(out + at, n - at, "%s%s", at ? "," : "",
                                   items[i]);
        }
    }
    for (size_t i = 0; i < k; i++) {
        dd__free(items[i]);
    }
    if (!out[0]) {
        snprintf(out, n, "-");
    }
}

static dd_policy *load_policy(const char *name, char *why, size_t wn)
{
    dd_policy *p = NULL;
    dd_error e;
    char path[512];
    snprintf(path, sizeof path, DATA "/%s", name);
    int rc = !strcmp(name, "default") ? dd_policy_default(&p, &e)
                                      : dd_policy_load(&p, path, &e);
    if (rc) {
        snprintf(why, wn, "%s", e.message);
    }
    return p;
}

static void cases(void)
{
    FILE *fp = fopen(DATA "/cases.tsv", "r");
    CHECK(fp != NULL);
    char line[2048];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') {
            continue;
        }
        char *col[9] = {0};
        int nc = 0;
        for (char *s = line; s && nc < 9;) {
            col[nc++] = s;
            s = strchr(s, '\t');
            if (s) {
                *s++ = 0;
            }
        }
        if (nc != 9) {
            printf("  bad row (%d columns): %s\n", nc, col[0]);
            bad++;
            continue;
        }
        /* name policy image findings sigs atts now decision codes */
        const char *name = col[0], *image = col[2], *want = col[7],
                   *codes = col[8];
        char why[1100] = "";
        dd_policy *p = load_policy(col[1], why, sizeof why);
        if (!p) {
            printf("  %s: policy %s: %s\n", name, col[1], why);
            bad++;
            continue;
        }
        dd_findings *fl = NULL;
        dd_scan_summary sum;
        int noscan;
        if (make_findings(col[3], &fl, &sum, &noscan)) {
            printf("  %s: bad findings column\n", name);
            bad++;
            dd_policy_free(p);
            dd_findings_free(fl);
            continue;
        }
        char canon[600];
        dd_error e;
        int is_ref =
            image[0] != '/' && image[0] != '.' &&
            dd_lookalike_canonical(image, canon, sizeof canon, &e) == 0;
        mock m = {col[4], col[6][0] == '-' ? day("2026-12-04T12") : day(col[6]),
                  0};
        dd_policy_attestation atts[4];
        size_t natt = 0;
        for (const char *q = col[5]; strcmp(col[5], "-") && *q && natt < 4;) {
            size_t k = strcspn(q, ",");
            char tok[300];
            snprintf(tok, sizeof tok, "%.*s", (int)k, q);
            char *h = strrchr(tok, '@');
            if (h) {
                *h = 0;
            }
            snprintf(atts[natt].predicate_type,
                     sizeof atts[natt].predicate_type, "%.200s", tok);
            atts[natt].time = h ? m.now - 3600 * strtoll(h + 1, NULL, 10) : -1;
            natt++;
            q += k + (q[k] == ',');
        }
        dd_policy_input in = {DD_POLICY_INPUT_VERSION,
                              image,
                              is_ref ? canon : NULL,
                              strstr(image, "@sha256:") != NULL,
                              "sha256:" /* shown only */,
                              noscan ? NULL : fl,
                              noscan ? NULL : &sum,
                              m.now,
                              mock_verify,
                              &m,
                              atts,
                              natt};
        dd_policy_verdict *v = NULL;
        if (dd_policy_evaluate(p, &in, &v, &e)) {
            printf("  %s: evaluate: %s\n", name, e.message);
            bad++;
        } else {
            char got[2048];
            reason_codes(v, got, sizeof got);
            const char *dec = dd_policy_decision_name(v->decision);
            if (strcmp(dec, want) || strcmp(got, codes)) {
                printf("  %s: got %s [%s], want %s [%s]\n", name, dec, got,
                       want, codes);
                for (size_t i = 0; i < v->n_reasons; i++) {
                    printf("    %s %s: %s%s%s\n", v->reasons[i].code,
                           dd_policy_effect_name(v->reasons[i].effect),
                           v->reasons[i].text,
                           v->reasons[i].exception ? " waived by " : "",
                           v->reasons[i].exception ? v->reasons[i].exception
                                                   : "");
                }
                bad++;
            }
            /* every reason has a code and a one-line text */
            for (size_t i = 0; i < v->n_reasons; i++) {
                if (!v->reasons[i].text || strchr(v->reasons[i].text, '\n') ||
                    strncmp(v->reasons[i].code, "policy.", 7)) {
                    printf("  %s: reason %zu malformed\n", name, i);
                    bad++;
                }
            }
            dd_policy_verdict_free(v);
        }
        n++;
        dd_findings_free(fl);
        dd_policy_free(p);
    }
    fclose(fp);
    printf("  %d cases, %d wrong\n", n, bad);
    CHECK(n >= 30);
    CHECK(bad == 0);
}

static void errors(void)
{
    FILE *fp = fopen(DATA "/errors.tsv", "r");
    CHECK(fp != NULL);
    char line[4096];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') {
            continue;
        }
        /* name<TAB>document (\n, \t as escapes)<TAB>piece of the message */
        char *doc = strchr(line, '\t');
        char *want = doc ? strchr(doc + 1, '\t') : NULL;
        if (!want) {
            bad++;
            continue;
        }
        *doc++ = 0;
        *want++ = 0;
        char text[4096];
        size_t k = 0;
        for (char *s = doc; *s && k + 1 < sizeof text; s++) {
            if (s[0] == '\\' && s[1] == 'n') {
                text[k++] = '\n', s++;
            } else if (s[0] == '\\' && s[1] == 't') {
                text[k++] = '\t', s++;
            } else {
                text[k++] = *s;
            }
        }
        text[k] = 0;
        dd_policy *p = NULL;
        dd_error e;
        e.message[0] = 0;
        int rc = dd_policy_parse(&p, "p.yaml", text, k, &e);
        if (rc != DD_EINVALID || p || !strstr(e.message, want) ||
            strchr(e.message, '\n')) {
            printf("  %s: rc=%d message '%s', want '%s'\n", line, rc, e.message,
                   want);
            bad++;
        }
        dd_policy_free(p);
        n++;
    }
    fclose(fp);
    printf("  %d refused documents, %d wrong\n", n, bad);
    CHECK(n >= 15);
    CHECK(bad == 0);
}

static void limits(void)
{
    /* deep nesting, oversized documents */
    char deep[400];
    size_t k = 0;
    k += (size_t)snprintf(deep, sizeof deep, "version: 1\nx: ");
    for (int i = 0; i < 40; i++) {
        deep[k++] = '[';
    }
    for (int i = 0; i < 40; i++) {
        deep[k++] = ']';
    }
    deep[k] = 0;
    dd_policy *p = NULL;
    dd_error e;
    CHECK(dd_policy_parse(&p, "p.yaml", deep, k, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "nested deeper") != NULL);
    size_t big = DD_POLICY_MAX_BYTES + 1;
    char *b = malloc(big);
    CHECK(b != NULL);
    memset(b, ' ', big);
    CHECK(dd_policy_parse(&p, "p.yaml", b, big, &e) == DD_ELIMIT);
    free(b);
    /* JSON is read too, with the same checks */
    const char *js = "{\"version\": 1, \"rules\": [{\"name\": \"a\", "
                     "\"images\": \"**\", \"kye\": 1}]}";
    CHECK(dd_policy_parse(&p, "p.json", js, strlen(js), &e) == DD_EINVALID);
    CHECK(strstr(e.message, "rules[0]: unknown field 'kye' (did you mean "
                            "'name'?)") != NULL ||
          strstr(e.message, "rules[0]: unknown field 'kye'") != NULL);
    js = "{\"version\": 1, \"default\": \"allow\", \"rules\": [{\"name\": "
         "\"a\", \"images\": [\"x/**\"], \"require-digest\": true}]}";
    CHECK(dd_policy_parse(&p, "p.json", js, strlen(js), &e) == 0);
    dd_policy_free(p);
}

static void default_policy(void)
{
    dd_policy *p = NULL;
    dd_error e;
    CHECK(dd_policy_default(&p, &e) == 0);
    unsigned s = dd_policy_scanners(p);
    CHECK((s & DD_SCANNERS_DEFAULT) == DD_SCANNERS_DEFAULT);
    CHECK(!dd_policy_needs_signatures(p));
    CHECK(dd_policy_needs_scan(p));
    dd_policy_free(p);
    CHECK(strstr(dd_policy_default_text(), "version: 1\n") != NULL);
}

static void verdict_json(void)
{
    char why[1100];
    dd_policy *p = load_policy("team.yaml", why, sizeof why);
    CHECK(p != NULL);
    mock m = {"-", day("2026-12-04"), 0};
    dd_policy_input in = {DD_POLICY_INPUT_VERSION,
                          "registry.example.com/team/app:1",
                          "registry.example.com/team/app",
                          0,
                          NULL,
                          NULL,
                          NULL,
                          m.now,
                          mock_verify,
                          &m,
                          NULL,
                          0};
    dd_policy_verdict *v = NULL;
    dd_error e;
    CHECK(dd_policy_evaluate(p, &in, &v, &e) == 0);
    char *js = NULL;
    size_t len = 0;
    CHECK(dd_policy_verdict_json(v, &js, &len, &e) == 0);
    json_error_t je;
    json_t *doc = json_loadb(js, len, 0, &je);
    CHECK(doc != NULL);
    CHECK_STR(json_string_value(json_object_get(doc, "decision")), "deny");
    CHECK(json_array_size(json_object_get(doc, "reasons")) == v->n_reasons);
    CHECK_STR(
        json_string_value(json_array_get(json_object_get(doc, "rules"), 0)),
        "team");
    json_decref(doc);
    dd_string_free(js);
    dd_policy_verdict_free(v);
    /* the verifier is asked once per authority */
    CHECK(m.calls == 2);
    /* allocation failures: DD_ENOMEM, no leak (ASan) */
    for (long i = 1; i < 400; i++) {
        dd__alloc_fail_after(i);
        int rc = dd_policy_evaluate(p, &in, &v, &e);
        dd__alloc_fail_after(0);
        CHECK(rc == 0 || rc == DD_ENOMEM);
        dd_policy_verdict_free(rc ? NULL : v);
    }
    dd_policy_free(p);
    size_t len2 = 0;
    char *text = slurp(DATA "/team.yaml", &len2);
    CHECK(text != NULL);
    for (long i = 1; i < 400; i++) {
        dd_policy *q = NULL;
        dd__alloc_fail_after(i);
        int rc = dd_policy_parse(&q, "team.yaml", text, len2, &e);
        dd__alloc_fail_after(0);
        CHECK(rc == 0 || rc == DD_ENOMEM);
        dd_policy_free(q);
    }
    dd__free(text);
}

/* hostile text is escaped in reasons; long lists are cut with a count */
static void hostile_and_many(void)
{
    const char *doc = "version: 1\nrules:\n  - name: r\n    images: '**'\n"
                      "    findings:\n      - kind: secret\n";
    dd_policy *p = NULL;
    dd_error e;
    CHECK(dd_policy_parse(&p, "p.yaml", doc, strlen(doc), &e) == 0);
    dd_findings *fl = dd__findings_new();
    CHECK(fl != NULL);
    for (int i = 0; i < 60; i++) {
        dd__finding_spec fs;
        memset(&fs, 0, sizeof fs);
        fs.kind = DD_KIND_SECRET;
        fs.severity = DD_SEV_HIGH;
        fs.rule_id = "aws-access-key-id";
        fs.path = "etc/\x1b]0;owned\x07\xe2\x80\xaename";
        fs.layer = 0;
        fs.history = -1;
        CHECK(dd__findings_add(fl, &fs, "key %d", i) == 0);
        dd__findings_at(fl, (size_t)i)->deleted_in = -1;
    }
    dd_scan_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.scanners = DD_SCANNERS_DEFAULT;
    sum.complete = 1;
    dd_policy_input in = {DD_POLICY_INPUT_VERSION,
                          "/tmp/\x1b[2Jx",
                          NULL,
                          0,
                          NULL,
                          fl,
                          &sum,
                          0,
                          NULL,
                          NULL,
                          NULL,
                          0};
    dd_policy_verdict *v = NULL;
    CHECK(dd_policy_evaluate(p, &in, &v, &e) == 0);
    CHECK(v->decision == DD_POLICY_DENY);
    CHECK(v->n_reasons == 51);
    CHECK(strstr(v->reasons[50].text, "and 10 more findings") != NULL);
    for (size_t i = 0; i < v->n_reasons; i++) {
        for (const char *c = v->reasons[i].text; *c; c++) {
            CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
        }
        CHECK(strstr(v->reasons[i].text, "\xe2\x80\xae") == NULL); /* bidi */
    }
    dd_policy_verdict_free(v);
    /* no verifier: an authority fails, never passes */
    const char *doc2 = "version: 1\nrules:\n  - name: r\n    images: '**'\n"
                       "    authorities:\n      - key: '-----BEGIN PUBLIC "
                       "KEY-----'\n";
    dd_policy *p2 = NULL;
    CHECK(dd_policy_parse(&p2, "p.yaml", doc2, strlen(doc2), &e) == 0);
    CHECK(dd_policy_needs_signatures(p2));
    CHECK(!dd_policy_needs_scan(p2));
    CHECK(dd_policy_evaluate(p2, &in, &v, &e) == 0);
    CHECK(v->decision == DD_POLICY_DENY && v->n_reasons == 1);
    CHECK_STR(v->reasons[0].code, "policy.unsigned");
    CHECK(strstr(v->reasons[0].text, "not checked") != NULL);
    dd_policy_verdict_free(v);
    in.version = 99;
    CHECK(dd_policy_evaluate(p2, &in, &v, &e) == DD_EINVALID);
    dd_policy_free(p2);
    dd_findings_free(fl);
    dd_policy_free(p);
}

TEST_LIST(T(globs),
          T(hostile_and_many),
          T(cases),
          T(errors),
          T(limits),
          T(default_policy),
          T(verdict_json))
