/*
 * tests/unit/test_secret.c - the secret engine: keyword automaton
 * (overlapping, case-insensitive), regex confirmation, line numbers,
 * redaction, binary files, generic rules gated by path and value,
 * allow-lists, config errors, and hostile inputs (huge lines, many
 * keywords, truncations).
 */
#include <stdlib.h>

#include "harness.h"
#include "lib/secret/secret.h"
#include "util/util.h"

typedef struct got {
    char ids[2048];
    size_t lines[64];
    char red[64][64];
    size_t n;
} got;

static int cb(void *p, const dd__secret_match *m)
{
    got *g = p;
    if (g->n < 64) {
        g->lines[g->n] = m->line;
        snprintf(g->red[g->n], sizeof g->red[0], "%s", m->redacted);
    }
    g->n++;
    size_t l = strlen(g->ids);
    snprintf(g->ids + l, sizeof g->ids - l, "%s%s", l ? " " : "", m->rule_id);
    return 0;
}

static got scan(dd__secret_engine *e, const char *path, const char *s, size_t n)
{
    got g;
    memset(&g, 0, sizeof g);
    dd__secret_scan(e, path, (const uint8_t *)s, n, cb, &g);
    return g;
}

static void test_secret__mask_text(void)
{
    static const struct {
        const char *in, *out;
    } V[] = {
        {"/bin/sh -c #(nop)  ARG "
         "NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789",
         "/bin/sh -c #(nop)  ARG NPM_TOKEN=****"},
        {"ENV DB_PASSWORD=Pr0dPassw0rd2024! APP=web",
         "ENV DB_PASSWORD=**** APP=web"},
        {"RUN curl -H token:$TOKEN x", "RUN curl -H token:$TOKEN x"},
        {"|1 API_KEY=\"s3cr3t value\" /bin/sh -c make",
         "|1 API_KEY=**** /bin/sh -c make"},
        {"RUN echo AKIAQWERTYUIOPASDFGH >x", "RUN echo AKIA**** >x"},
        {"RUN git clone https://ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8@h/r",
         "RUN git clone https://ghp_****@h/r"},
        {"RUN apt-get install -y curl && rm -rf /var/lib/apt",
         "RUN apt-get install -y curl && rm -rf /var/lib/apt"},
        {"ENV PATH=/usr/local/bin:/usr/bin LANG=C.UTF-8",
         "ENV PATH=/usr/local/bin:/usr/bin LANG=C.UTF-8"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof V / sizeof *V; i++) {
        char *m = dd__secret_mask_text(V[i].in);
        CHECK_STR(m, V[i].out);
        dd__free(m);
    }
    CHECK(dd__secret_mask_text(NULL) == NULL);
    /* a flood of assignments: one pass, every value masked */
    size_t n = 1u << 20;
    char *flood = dd__malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        flood[i] = "password=x "[i % 11];
    }
    flood[n] = '\0';
    char *m = dd__secret_mask_text(flood);
    CHECK(m && !strstr(m, "=x"));
    dd__free(m);
    dd__free(flood);
}

static void test_secret__rules_lines_redaction(void)
{
    dd__secret_engine *e = NULL;
    dd_error err;
    CHECK(dd__secret_engine_new(&e, NULL, &err) == 0);
    CHECK(dd__secret_rule_count(e) >= 80);
    static const char t[] =
        "first line\n"
        "Gh token: GHP_nope and ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n"
        "aws: AKIAIOSFODNN7EXAMPLE (documented example)\n"
        "xghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 (embedded)\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n"
        "-----END OPENSSH PRIVATE KEY-----\n";
    got g = scan(e, "app/notes.txt", t, sizeof t - 1);
    CHECK_STR(g.ids, "github-pat private-key-openssh");
    CHECK(g.lines[0] == 2 && g.lines[1] == 5);
    CHECK_STR(g.red[0], "ghp_****Q7r8 (40 chars)");
    CHECK(strstr(g.red[1], "****") != NULL);
    /* a private key shows no character of its body */
    CHECK(strncmp(g.red[1], "****", 4) == 0);
    /* a password shows no character of the value; a short prefixed token
     * shows only its public prefix, a long one also its last 4 */
    static const char pw[] = "DB_PASSWORD=Pr0dPassw0rd2024!\n"
                             "key AKIAQWERTYUIOPASDFGH here\n";
    g = scan(e, "app/.env", pw, sizeof pw - 1);
    CHECK(g.n >= 2);
    for (size_t i = 0; i < g.n && i < 64; i++) {
        CHECK(strstr(g.red[i], "Pr0d") == NULL);
        CHECK(strstr(g.red[i], "024!") == NULL);
        CHECK(strstr(g.red[i], "SDFGH") == NULL);
        if (strncmp(g.red[i], "AKIA", 4) == 0) {
            CHECK_STR(g.red[i], "AKIA**** (20 chars)");
        } else {
            CHECK(strncmp(g.red[i], "****", 4) == 0);
        }
    }
    /* binary: only BINARY rules, generic ones never */
    char bin[200];
    memset(bin, 0, sizeof bin);
    memcpy(bin + 10, "password=Sup3rS3cret!!", 22);
    memcpy(bin + 60, "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", 40);
    g = scan(e, "app/.env", bin, sizeof bin);
    CHECK_STR(g.ids, "github-pat");
    /* generic rules: config-like files, not system libraries, real values */
    static const char cfg[] = "db_password = Sup3r-S3cret\n"
                              "password = ${DB_PASS}\n"
                              "password: elevated-privileges\n"
                              "PASSWORD=/etc/pass/file\n";
    g = scan(e, "app/config.yaml", cfg, sizeof cfg - 1);
    CHECK_STR(g.ids, "generic-password");
    CHECK(g.n == 1 && g.lines[0] == 1);
    g = scan(e, "usr/lib/python3/dist-packages/x/settings.py", cfg,
             sizeof cfg - 1);
    CHECK(g.n == 0);
    g = scan(e, "app/README", cfg, sizeof cfg - 1);
    CHECK(g.n == 0);
    /* path rules */
    static const char sh[] = "root:$6$saltsalt$"
                             "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklm"
                             "nopqrstuvwxyzABCDEFGHIJ:19000:0:99999:7:::\n"
                             "daemon:*:19000:0:99999:7:::\n";
    g = scan(e, "etc/shadow", sh, sizeof sh - 1);
    CHECK_STR(g.ids, "shadow-password-hash");
    g = scan(e, "etc/shadow.bak.txt", sh, sizeof sh - 1);
    CHECK(g.n == 0);
    /* documentation is allow-listed */
    g = scan(e, "usr/share/doc/x/README", t, sizeof t - 1);
    CHECK(g.n == 0);
    dd__secret_engine_free(e);
}

static void test_secret__hostile_inputs(void)
{
    dd__secret_engine *e = NULL;
    dd_error err;
    CHECK(dd__secret_engine_new(&e, NULL, &err) == 0);
    /* 4 MiB of keywords without a secret, one huge line */
    size_t n = 4u << 20;
    char *b = malloc(n);
    CHECK(b != NULL);
    for (size_t i = 0; i < n; i++) {
        b[i] = "ghp_password=secret-----BEGIN "[i % 30];
    }
    got g = scan(e, "app/.env", b, n);
    /* the whole file is judged (no cap on keywords that hides what comes
     * after them), and no assignment yields more than one finding */
    CHECK(g.n <= n / 30 + 1);
    /* a real token after a flood of keywords is still found */
    memcpy(b + n - 60, " ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 \n", 43);
    g = scan(e, "app/notes.txt", b, n);
    CHECK(g.n >= 1 && strstr(g.ids, "github-pat") != NULL);
    /* every prefix of a PEM block: no crash, no match before the END */
    static const char pem[] =
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
        "-----END RSA PRIVATE KEY-----\n";
    for (size_t k = 0; k < sizeof pem - 1; k++) {
        g = scan(e, "k.pem", pem, k);
        CHECK(g.n == 0 || k >= sizeof pem - 2);
    }
    free(b);
    dd__secret_engine_free(e);
}

static void test_secret__config(void)
{
    dd__secret_engine *e = NULL;
    dd_error err;
    static const char ok[] =
        "{\"rules\":[{\"id\":\"acme\",\"keywords\":[\"ACME-\"],\"regex\":"
        "\"(ACME-[0-9a-f]{8})\",\"secret_group\":1,\"severity\":\"low\"}],"
        "\"disable\":[\"github-pat\"],\"allow\":{\"paths\":[\"^vendor/\"],"
        "\"values\":[\"^ACME-0000\"]}}";
    CHECK(dd__secret_engine_new_from(&e, ok, sizeof ok - 1, &err) == 0);
    static const char t[] = "x ACME-1234abcd y ACME-00000000 "
                            "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n";
    got g = scan(e, "a.txt", t, sizeof t - 1);
    CHECK_STR(g.ids, "acme");
    g = scan(e, "vendor/a.txt", t, sizeof t - 1);
    CHECK(g.n == 0);
    dd__secret_engine_free(e);
    static const char *const bad[] = {
        "not json",
        "[]",
        "{\"rules\":[{\"regex\":\"x\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"regex\":\"x\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"keywords\":[\"x\"],\"regex\":\"(\"}]}",
        "{\"allow\":{\"values\":[\"(\"]}}",
        "{\"allow\":{\"paths\":[7]}}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e = NULL;
        CHECK(dd__secret_engine_new_from(&e, bad[i], strlen(bad[i]), &err) ==
                  DD_EINVALID &&
              e == NULL && err.message[0]);
    }
    CHECK(dd__secret_engine_new(&e, "/nonexistent/cfg.json", &err) ==
          DD_ENOTFOUND);
}

/* A user rule whose pattern backtracks exponentially: PCRE2's match limit
 * stops it, and the scan says so through a `limit` match naming the rule
 * and the offset (the analyzer turns it into secret.partial) instead of
 * treating the text as clean; a short text finishes without a limit. */
typedef struct lim {
    int limits, matches;
    char rule[64];
    uint64_t off;
} lim;
static int lim_cb(void *p, const dd__secret_match *m)
{
    lim *l = p;
    if (m->limit) {
        l->limits++;
        snprintf(l->rule, sizeof l->rule, "%s", m->rule_id);
        l->off = m->offset;
    } else {
        l->matches++;
    }
    return 0;
}
static void test_secret__match_limit(void)
{
    static const char cfg[] =
        "{\"rules\":[{\"id\":\"slow-rule\",\"category\":\"test\","
        "\"severity\":\"HIGH\",\"title\":\"Slow\",\"keywords\":[\"zq=\"],"
        "\"regex\":\"zq=((?:a|aa)+)+!\"}]}";
    dd__secret_engine *e = NULL;
    dd_error err;
    CHECK(dd__secret_engine_new_from(&e, cfg, sizeof cfg - 1, &err) == 0);
    char text[200];
    memcpy(text, "xx zq=", 6);
    memset(text + 6, 'a', 60);
    memcpy(text + 66, "?!\n", 4);
    lim l;
    memset(&l, 0, sizeof l);
    CHECK(dd__secret_scan(e, "app/.env", (const uint8_t *)text, strlen(text),
                          lim_cb, &l) == 0);
    CHECK(l.limits == 1 && l.matches == 0);
    CHECK_STR(l.rule, "slow-rule");
    CHECK(l.off <= 3); /* where the rule started looking */
    memset(&l, 0, sizeof l);
    const char *good = "zq=aaaa!";
    CHECK(dd__secret_scan(e, "app/.env", (const uint8_t *)good, strlen(good),
                          lim_cb, &l) == 0);
    CHECK(l.limits == 0 && l.matches == 1);
    dd__secret_engine_free(e);
}

TEST_LIST(T(test_secret__rules_lines_redaction),
          T(test_secret__match_limit),
          T(test_secret__mask_text),
          T(test_secret__hostile_inputs),
          T(test_secret__config))
