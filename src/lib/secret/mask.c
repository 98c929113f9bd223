/*
 * lib/secret/mask.c - secrets out of free text taken from an image (a
 * history step's created_by, a build argument): one linear pass that
 * replaces the value of every assignment whose key names a secret
 * (NPM_TOKEN=..., DB_PASSWORD=..., --build-arg API_KEY=...) and every
 * token of a well-known shape (AKIA..., ghp_..., npm_..., xoxb-...,
 * glpat-...) with "****", keeping the token's public prefix.
 */
#include <ctype.h>
#include <string.h>

#include "secret.h"
#include "../../util/util.h"

static const char *const SECRET_KEYS[] = {
    "token",  "password",   "passwd",      "pwd",        "secret",
    "apikey", "api_key",    "api-key",     "access_key", "accesskey",
    "auth",   "credential", "private_key", "privatekey", NULL};

static const struct {
    const char *prefix;
    size_t min; /* characters of [A-Za-z0-9_-] after the prefix */
} TOKENS[] = {
    {"AKIA", 16},  {"ASIA", 16},   {"ghp_", 30},     {"gho_", 30},
    {"ghu_", 30},  {"ghs_", 30},   {"ghr_", 30},     {"github_pat_", 40},
    {"npm_", 30},  {"xoxb-", 10},  {"xoxp-", 10},    {"xoxa-", 10},
    {"xoxs-", 10}, {"glpat-", 16}, {"sk_live_", 16}, {"AIza", 30}};

static int tokch(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-';
}

/* 1 when the key ending just before s[i] ('=' or ':' at i) names a
 * secret; the key is the run of [A-Za-z0-9_.-] before i. */
static int secret_key(const char *s, size_t i)
{
    size_t b = i;
    while (b > 0 && (tokch((unsigned char)s[b - 1]) || s[b - 1] == '.')) {
        b--;
    }
    size_t n = i - b;
    if (n == 0 || n > 64) {
        return 0;
    }
    char low[65];
    for (size_t k = 0; k < n; k++) {
        low[k] = (char)tolower((unsigned char)s[b + k]);
    }
    low[n] = '\0';
    for (size_t k = 0; SECRET_KEYS[k]; k++) {
        for (const char *p = strstr(low, SECRET_KEYS[k]); p;
             p = strstr(p + 1, SECRET_KEYS[k])) {
            /* "auth" but not "author(s)" (org.opencontainers.image.authors) */
            if (strcmp(SECRET_KEYS[k], "auth") || strncmp(p + 4, "or", 2)) {
                return 1;
            }
        }
    }
    return 0;
}

static size_t value_end(const char *s, size_t i)
{
    char q = s[i] == '"' || s[i] == '\'' ? s[i] : 0;
    size_t e = i + (q != 0);
    /* unquoted: up to a blank, a shell separator or a double quote (the
     * end of a JSON string: Healthcheck's ["CMD","x","--password=v"]) */
    while (s[e] && (q ? s[e] != q
                      : !isspace((unsigned char)s[e]) && s[e] != ';' &&
                            s[e] != '&' && s[e] != '|' && s[e] != '"')) {
        e++;
    }
    return q && s[e] == q ? e + 1 : e;
}

char *dd__secret_mask_text(const char *s)
{
    if (!s) {
        return NULL;
    }
    dd__buf b;
    int rc = 0;
    dd__buf_init(&b, 4 * strlen(s) + 64);
    size_t i = 0;
    while (s[i]) {
        /* a well-known token shape, at a token boundary */
        if (i == 0 || !tokch((unsigned char)s[i - 1])) {
            size_t t = 0;
            for (; t < sizeof TOKENS / sizeof *TOKENS; t++) {
                size_t pl = strlen(TOKENS[t].prefix);
                if (!strncmp(s + i, TOKENS[t].prefix, pl)) {
                    size_t e = i + pl;
                    while (tokch((unsigned char)s[e])) {
                        e++;
                    }
                    if (e - i - pl >= TOKENS[t].min) {
                        rc |= dd__buf_add(&b, s + i, pl);
                        rc |= dd__buf_addstr(&b, "****");
                        i = e;
                        break;
                    }
                }
            }
            if (t < sizeof TOKENS / sizeof *TOKENS) {
                continue;
            }
        }
        if ((s[i] == '=' || s[i] == ':') && secret_key(s, i) && s[i + 1] &&
            !isspace((unsigned char)s[i + 1])) {
            size_t e = value_end(s, i + 1);
            /* a variable reference is not a value: keep ${X} and $X */
            if (s[i + 1] == '$') {
                rc |= dd__buf_add(&b, s + i, e - i);
            } else {
                rc |= dd__buf_add(&b, s + i, 1);
                rc |= dd__buf_addstr(&b, "****");
            }
            i = e;
            continue;
        }
        rc |= dd__buf_add(&b, s + i, 1);
        i++;
    }
    if (rc) {
        dd__buf_free(&b);
        return NULL;
    }
    return dd__buf_detach(&b);
}
