/*
 * lib/secret/engine.c - keyword prefilter (Aho-Corasick), PCRE2/JIT
 * confirmation around hits, entropy and allow-lists. See secret.h.
 *
 * Why PCRE2 with JIT and our own Aho-Corasick rather than Hyperscan: the
 * rules need capture groups (the secret inside its context) which
 * Hyperscan does not report, and Debian 12's Vectorscan/Hyperscan
 * packages are x86-specific; a keyword pass over the whole buffer plus
 * JIT regexes on small windows gives the same "one pass over the bytes"
 * property. Regex work is bounded by the windows and by a PCRE2 match
 * limit, so a crafted file cannot make a rule backtrack for long.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "secret.h"
#include "../../util/util.h"

#define MAX_RULES      512
#define MAX_KEYWORDS   2048
#define MATCH_LIMIT    200000
#define DEFAULT_WINDOW 1024
#define BINARY_SNIFF   8192

typedef struct crule {
    dd__secret_rule r; /* strings owned by the engine (arena-like) */
    pcre2_code *re;
    pcre2_code *path_re;
    int prefix; /* the regex starts at the keyword (token prefix rules) */
} crule;

#define TOKEN_START "(?<![A-Za-z0-9_\\-])"

typedef struct kw_out {
    uint16_t rule;
    uint16_t len;
    int next; /* next output of the same state, -1 */
} kw_out;

struct dd__secret_engine {
    crule rules[MAX_RULES];
    size_t n_rules;
    /* Aho-Corasick over lowercase bytes */
    int32_t *delta; /* n_states * 256 */
    int *out_head;  /* per state, index into outs or -1 */
    size_t n_states, cap_states;
    dd__vec outs; /* kw_out */
    pcre2_code *allow_values[64], *allow_paths[64];
    size_t n_allow_values, n_allow_paths;
    pcre2_match_context *mctx;
    pcre2_code *generic_files, *generic_deny;
    /* the scan automaton over byte classes: every byte that appears in no
     * keyword is class 0, so the table is n_states x n_classes and stays
     * in cache; entries are next * 2 + "has outputs" */
    uint8_t cls[256];
    size_t n_cls;
    int32_t *cdelta;
    dd__vec owned; /* char * strings to free */
};

/* generic values containing one of these are placeholders */
static const char *const STOP_WORDS[] = {
    "example", "sample",     "dummy", "placeholder", "changeme", "change_me",
    "xxxxxx",  "******",     "your_", "yourpass",    "redacted", "insert_",
    "replace", "<",          ">",     "${",          "{{",       "%(",
    "$(",      "notasecret", "todo"};
/* ... and these, when they are the whole value */
static const char *const STOP_VALUES[] = {
    "password", "passwd",    "secret", "changeit", "null", "none", "true",
    "false",    "undefined", "empty",  "string",   "pass", "admin"};

/* Generic assignment rules look only at configuration-like files outside
 * the system's libraries and documentation. */
static const char GENERIC_FILES[] =
    "(^|/)(\\.env[^/]*|[^/]*\\.(env|properties|ini|cfg|conf|cnf|ya?ml|json|"
    "xml|toml|php|sh|bash|ps1|tf|tfvars|py|rb|js|ts|go|java|cs|groovy|gradle|"
    "sql)|Dockerfile[^/]*|docker-compose[^/]*|credentials|secrets?[^/]*|"
    "settings[^/]*|config)$";
static const char GENERIC_DENY[] =
    "^(usr/(share|lib|lib32|lib64|libexec|include|src)/|lib/|"
    "usr/local/lib/(node_modules|python[^/]*)/|opt/[^/]+/lib/)|"
    "/node_modules/|/site-packages/|/dist-packages/";

static const char *const ALLOW_PATHS[] = {
    "^usr/share/(doc|man|info|locale|i18n|zoneinfo|common-licenses)/",
    "^usr/include/",
    "^usr/lib/(python3[^/]*|python2[^/]*)/(dist|site)-packages/.*/tests?/",
    "^usr/share/perl5?/.*\\.pm$",
};

static char *own(dd__secret_engine *e, const char *s)
{
    char *c = s ? dd__strdup(s) : NULL;
    char **slot = c ? dd__vec_push(&e->owned) : NULL;
    if (!slot) {
        dd__free(c);
        return NULL;
    }
    *slot = c;
    return c;
}

static int add_state(dd__secret_engine *e)
{
    if (e->n_states == e->cap_states) {
        size_t nc = e->cap_states ? 2 * e->cap_states : 256;
        int32_t *d = dd__realloc(e->delta, nc * 256 * sizeof *d);
        if (!d) {
            return -1;
        }
        e->delta = d;
        int *o = dd__realloc(e->out_head, nc * sizeof *o);
        if (!o) {
            return -1;
        }
        e->out_head = o;
        e->cap_states = nc;
    }
    memset(e->delta + e->n_states * 256, 0xff, 256 * sizeof *e->delta);
    e->out_head[e->n_states] = -1;
    return (int)e->n_states++;
}

static unsigned char low(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int
add_keyword(dd__secret_engine *e, const char *k, size_t n, size_t rule)
{
    int s = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = low((unsigned char)k[i]);
        int32_t nx = e->delta[(size_t)s * 256 + c];
        if (nx < 0) {
            nx = add_state(e);
            if (nx < 0) {
                return DD_ENOMEM;
            }
            e->delta[(size_t)s * 256 + c] = nx;
        }
        s = nx;
    }
    kw_out *o = dd__vec_push(&e->outs);
    if (!o) {
        return DD_ENOMEM;
    }
    o->rule = (uint16_t)rule;
    o->len = (uint16_t)n;
    o->next = e->out_head[s];
    e->out_head[s] = (int)e->outs.len - 1;
    return 0;
}

/* Turn the trie into a full automaton (BFS over failure links). */
static int finish_automaton(dd__secret_engine *e)
{
    int *fail = dd__calloc(e->n_states + 1, sizeof *fail);
    int *queue = dd__calloc(e->n_states + 1, sizeof *queue);
    if (!fail || !queue) {
        dd__free(fail);
        dd__free(queue);
        return DD_ENOMEM;
    }
    size_t qh = 0, qt = 0;
    for (int c = 0; c < 256; c++) {
        int32_t nx = e->delta[c];
        if (nx < 0) {
            e->delta[c] = 0;
        } else {
            fail[nx] = 0;
            queue[qt++] = nx;
        }
    }
    while (qh < qt) {
        int s = queue[qh++];
        /* outputs of the failure state are outputs of s too: link the
         * chains (append fail's chain at the end of s's) */
        if (e->out_head[fail[s]] >= 0) {
            if (e->out_head[s] < 0) {
                e->out_head[s] = e->out_head[fail[s]];
            } else {
                int k = e->out_head[s];
                while (DD_VEC_AT(&e->outs, kw_out, (size_t)k)->next >= 0) {
                    k = DD_VEC_AT(&e->outs, kw_out, (size_t)k)->next;
                }
                DD_VEC_AT(&e->outs, kw_out, (size_t)k)->next =
                    e->out_head[fail[s]];
            }
        }
        for (int c = 0; c < 256; c++) {
            int32_t *t = &e->delta[(size_t)s * 256 + c];
            if (*t < 0) {
                *t = e->delta[(size_t)fail[s] * 256 + c];
            } else {
                fail[*t] = e->delta[(size_t)fail[s] * 256 + c];
                queue[qt++] = *t;
            }
        }
    }
    dd__free(fail);
    dd__free(queue);
    /* fold "this state has outputs" into the transitions: an entry is
     * next * 2 + flag, so the scan loop touches out_head only on hits */
    for (size_t i = 0; i < e->n_states * 256; i++) {
        int32_t nx = e->delta[i];
        e->delta[i] = nx * 2 + (e->out_head[nx] >= 0);
    }
    /* byte classes: lowercase bytes that start or continue a keyword get
     * a class each, everything else shares class 0 */
    int used[256] = {0};
    for (size_t st = 0; st < e->n_states; st++) {
        for (int c = 0; c < 256; c++) {
            if ((e->delta[st * 256 + (size_t)c] >> 1) != 0) {
                used[c] = 1;
            }
        }
    }
    int rep[256];
    int other = -1;
    e->n_cls = 1;
    for (int c = 0; c < 256; c++) {
        if (used[c] && (unsigned char)c == low((unsigned char)c)) {
            rep[e->n_cls] = c;
            e->cls[c] = (uint8_t)e->n_cls++;
        } else if (!used[low((unsigned char)c)] && other < 0) {
            other = c;
        }
    }
    for (int c = 0; c < 256; c++) {
        int l = low((unsigned char)c);
        e->cls[c] = used[l] ? e->cls[l] : 0;
    }
    rep[0] = other < 0 ? 0 : other;
    e->cdelta = dd__malloc(e->n_states * e->n_cls * sizeof *e->cdelta);
    if (!e->cdelta) {
        return DD_ENOMEM;
    }
    for (size_t st = 0; st < e->n_states; st++) {
        for (size_t k = 0; k < e->n_cls; k++) {
            e->cdelta[st * e->n_cls + k] = e->delta[st * 256 + (size_t)rep[k]];
        }
    }
    return 0;
}

static pcre2_code *compile(const char *re, char *why, size_t n)
{
    int ec = 0;
    PCRE2_SIZE eo = 0;
    pcre2_code *c =
        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_MATCH_INVALID_UTF,
                      &ec, &eo, NULL);
    if (!c) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(why, n, "at offset %zu: %s", (size_t)eo, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

static int
add_rule(dd__secret_engine *e, const dd__secret_rule *r, dd_error *err)
{
    if (e->n_rules >= MAX_RULES) {
        return dd__error_set(err, DD_ELIMIT, "more than %d secret rules",
                             MAX_RULES);
    }
    crule *c = &e->rules[e->n_rules];
    memset(c, 0, sizeof *c);
    c->r = *r;
    char why[200];
    /* a token-prefix rule: the regex opens with the boundary look-behind
     * and a group that starts with one of the rule's keywords */
    c->prefix = 0;
    if (!strncmp(r->regex, TOKEN_START, strlen(TOKEN_START))) {
        const char *rx = r->regex + strlen(TOKEN_START);
        rx += *rx == '(';
        for (const char *k = r->keywords; k && *k && !c->prefix;) {
            size_t n = strcspn(k, "|"), i = 0;
            const char *q = rx;
            while (i < n && *q) {
                if (*q == '\\') {
                    q++;
                    continue;
                }
                if (low((unsigned char)*q) != (unsigned char)k[i]) {
                    break;
                }
                q++, i++;
            }
            c->prefix = n && i == n;
            k += n + (k[n] == '|');
        }
    }
    c->re = compile(r->regex, why, sizeof why);
    if (!c->re) {
        return dd__error_set(err, DD_EINVALID, "secret rule %s: regex %s",
                             r->id, why);
    }
    if (r->path_regex &&
        !(c->path_re = compile(r->path_regex, why, sizeof why))) {
        pcre2_code_free(c->re);
        return dd__error_set(err, DD_EINVALID, "secret rule %s: path regex %s",
                             r->id, why);
    }
    for (const char *k = r->keywords; k && *k;) {
        size_t n = strcspn(k, "|");
        if (n && add_keyword(e, k, n, e->n_rules)) {
            pcre2_code_free(c->re);
            pcre2_code_free(c->path_re);
            c->re = c->path_re = NULL;
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        k += n + (k[n] == '|');
    }
    e->n_rules++;
    return 0;
}

void dd__secret_engine_free(dd__secret_engine *e)
{
    if (!e) {
        return;
    }
    for (size_t i = 0; i < e->n_rules; i++) {
        pcre2_code_free(e->rules[i].re);
        pcre2_code_free(e->rules[i].path_re);
    }
    for (size_t i = 0; i < e->n_allow_values; i++) {
        pcre2_code_free(e->allow_values[i]);
    }
    for (size_t i = 0; i < e->n_allow_paths; i++) {
        pcre2_code_free(e->allow_paths[i]);
    }
    for (size_t i = 0; i < e->owned.len; i++) {
        dd__free(*DD_VEC_AT(&e->owned, char *, i));
    }
    dd__vec_free(&e->owned);
    dd__vec_free(&e->outs);
    pcre2_match_context_free(e->mctx);
    pcre2_code_free(e->generic_files);
    pcre2_code_free(e->generic_deny);
    dd__free(e->cdelta);
    dd__free(e->delta);
    dd__free(e->out_head);
    dd__free(e);
}

size_t dd__secret_rule_count(const dd__secret_engine *e)
{
    return e->n_rules;
}

static dd_severity sev_word(const char *s)
{
    int v = dd_severity_parse(s);
    return v < 0 ? DD_SEV_UNKNOWN : (dd_severity)v;
}

static int in_list(json_t *arr, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && !strcmp(json_string_value(v), id)) {
            return 1;
        }
    }
    return 0;
}

static int add_allow(dd__secret_engine *e,
                     json_t *arr,
                     pcre2_code **dst,
                     size_t *n,
                     const char *what,
                     dd_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char why[200];
        if (!json_is_string(v) || *n >= 64) {
            return dd__error_set(err, DD_EINVALID,
                                 "secret config: allow.%s[%zu] is not a "
                                 "string (or more than 64 entries)",
                                 what, i);
        }
        if (!(dst[*n] = compile(json_string_value(v), why, sizeof why))) {
            return dd__error_set(err, DD_EINVALID,
                                 "secret config: allow.%s[%zu]: %s", what, i,
                                 why);
        }
        (*n)++;
    }
    (void)e;
    return 0;
}

static int build(dd__secret_engine **out, json_t *cfg, dd_error *err)
{
    dd__secret_engine *e = dd__calloc(1, sizeof *e);
    if (!e) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__vec_init(&e->outs, sizeof(kw_out));
    dd__vec_init(&e->owned, sizeof(char *));
    e->mctx = pcre2_match_context_create(NULL);
    if (!e->mctx || add_state(e) < 0) {
        dd__secret_engine_free(e);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    pcre2_set_match_limit(e->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(e->mctx, 10000);
    pcre2_set_heap_limit(e->mctx, 20 * 1024); /* KiB */
    json_t *disable = json_object_get(cfg, "disable");
    size_t nb;
    const dd__secret_rule *b = dd__secret_builtin(&nb);
    int rc = 0;
    for (size_t i = 0; i < nb && !rc; i++) {
        if (!in_list(disable, b[i].id)) {
            rc = add_rule(e, &b[i], err);
        }
    }
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(cfg, "rules"), i, r)
    {
        if (rc) {
            break;
        }
        const char *id = json_string_value(json_object_get(r, "id"));
        const char *re = json_string_value(json_object_get(r, "regex"));
        if (!id || !re) {
            rc = dd__error_set(err, DD_EINVALID,
                               "secret config: rules[%zu] needs \"id\" and "
                               "\"regex\"",
                               i);
            break;
        }
        dd__buf kw;
        dd__buf_init(&kw, 1u << 16);
        size_t k;
        json_t *kv;
        json_array_foreach(json_object_get(r, "keywords"), k, kv)
        {
            if (json_is_string(kv)) {
                if (kw.len) {
                    dd__buf_add(&kw, "|", 1);
                }
                dd__buf_addstr(&kw, json_string_value(kv));
            }
        }
        if (!kw.len) {
            dd__buf_free(&kw);
            rc = dd__error_set(err, DD_EINVALID,
                               "secret config: rule %s has no keywords (the "
                               "prefilter needs at least one)",
                               id);
            break;
        }
        for (char *p = kw.ptr; *p; p++) {
            *p = (char)low((unsigned char)*p);
        }
        json_t *g = json_object_get(r, "secret_group");
        json_t *me = json_object_get(r, "min_entropy");
        dd__secret_rule nr = {
            own(e, id),
            own(e, json_string_value(json_object_get(r, "category"))
                       ? json_string_value(json_object_get(r, "category"))
                       : "custom"),
            sev_word(json_string_value(json_object_get(r, "severity"))),
            own(e, json_string_value(json_object_get(r, "title"))
                       ? json_string_value(json_object_get(r, "title"))
                       : id),
            own(e, kw.ptr),
            own(e, re),
            json_is_integer(g) ? (int)json_integer_value(g) : 0,
            json_is_number(me) ? json_number_value(me) : 0,
            0,
            NULL,
            0,
            NULL};
        dd__buf_free(&kw);
        if (nr.severity == DD_SEV_UNKNOWN) {
            nr.severity = DD_SEV_HIGH;
        }
        if (!nr.id || !nr.category || !nr.title || !nr.keywords || !nr.regex) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            break;
        }
        rc = add_rule(e, &nr, err);
    }
    json_t *allow = json_object_get(cfg, "allow");
    if (!rc) {
        rc = add_allow(e, json_object_get(allow, "values"), e->allow_values,
                       &e->n_allow_values, "values", err);
    }
    if (!rc) {
        rc = add_allow(e, json_object_get(allow, "paths"), e->allow_paths,
                       &e->n_allow_paths, "paths", err);
    }
    for (size_t k = 0; !rc && k < sizeof ALLOW_PATHS / sizeof *ALLOW_PATHS;
         k++) {
        char why[200];
        if (e->n_allow_paths >= 64 ||
            !(e->allow_paths[e->n_allow_paths++] =
                  compile(ALLOW_PATHS[k], why, sizeof why))) {
            rc =
                dd__error_set(err, DD_EINVALID, "built-in allow path: %s", why);
        }
    }
    if (!rc) {
        char why[200];
        if (!(e->generic_files = compile(GENERIC_FILES, why, sizeof why)) ||
            !(e->generic_deny = compile(GENERIC_DENY, why, sizeof why))) {
            rc = dd__error_set(err, DD_EINVALID, "generic paths: %s", why);
        }
    }
    if (!rc && finish_automaton(e)) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (rc) {
        dd__secret_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

int dd__secret_engine_new_from(dd__secret_engine **out,
                               const char *config,
                               size_t len,
                               dd_error *err)
{
    dd__error_clear(err);
    json_t *cfg = NULL;
    if (config) {
        int prc = dd__json_parse(&cfg, config, len, DD_JSON_MAX,
                                 "secret config", err);
        if (prc == DD_ENOMEM) {
            return prc;
        } else if (prc && err) {
            err->code = DD_EINVALID;
        }
        if (prc) {
            return DD_EINVALID;
        }
        if (!json_is_object(cfg)) {
            json_decref(cfg);
            return dd__error_set(err, DD_EINVALID,
                                 "secret config: line 1: not an object");
        }
    }
    int rc = build(out, cfg, err);
    json_decref(cfg);
    return rc;
}

int dd__secret_engine_new(dd__secret_engine **out,
                          const char *config_path,
                          dd_error *err)
{
    if (!config_path) {
        return dd__secret_engine_new_from(out, NULL, 0, err);
    }
    char *text = NULL;
    size_t len = 0;
    int rc = dd__file_read(config_path, 4u << 20, &text, &len);
    if (rc) {
        return dd__error_set(err, rc, "%s: %s", config_path,
                             rc == DD_ENOTFOUND ? "cannot open"
                             : rc == DD_ELIMIT  ? "over the 4 MiB limit"
                                                : dd_strerror(rc));
    }
    rc = dd__secret_engine_new_from(out, text, len, err);
    if (rc && err) {
        char m[sizeof err->message];
        memcpy(m, err->message, sizeof m);
        dd__error_set(err, rc, "%.200s: %.800s", config_path, m);
    }
    dd__free(text);
    return rc;
}

/* ---- scanning ---------------------------------------------------------- */

static double entropy(const uint8_t *p, size_t n)
{
    if (!n) {
        return 0;
    }
    unsigned cnt[256] = {0};
    for (size_t i = 0; i < n; i++) {
        cnt[p[i]]++;
    }
    double h = 0;
    for (int i = 0; i < 256; i++) {
        if (cnt[i]) {
            double q = (double)cnt[i] / (double)n;
            h -= q * log2(q);
        }
    }
    return h;
}

static int ci_contains(const uint8_t *p, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        size_t k = 0;
        while (k < wl && low(p[i + k]) == (unsigned char)w[k]) {
            k++;
        }
        if (k == wl) {
            return 1;
        }
    }
    return 0;
}

static int
re_hit(pcre2_code *re, const uint8_t *p, size_t n, pcre2_match_context *mctx)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int r = md ? pcre2_match(re, p, n, 0, 0, md, mctx) : -1;
    pcre2_match_data_free(md);
    return r >= 0;
}

/* What of a secret a report may show: at most the rule's public prefix
 * (a keyword the value starts with, such as AKIA, ghp_ or xoxb-) and, for
 * tokens of 32 characters or more, their last 4. Passwords, generic
 * secrets and keys show no character of the value. */
static size_t
public_prefix(const dd__secret_rule *r, const uint8_t *p, size_t n)
{
    size_t best = 0;
    if ((r->flags & DD_SR_GENERIC) || !r->keywords ||
        !strcmp(r->category, "private-key") ||
        !strcmp(r->category, "generic") || strstr(r->id, "password")) {
        return 0;
    }
    for (const char *k = r->keywords; *k;) {
        size_t kl = strcspn(k, "|");
        if (kl > best && kl <= 12 && kl + 8 <= n) {
            size_t i = 0;
            while (i < kl && tolower(p[i]) == (unsigned char)k[i]) {
                i++;
            }
            best = i == kl ? kl : best;
        }
        k += kl + (k[kl] == '|');
    }
    return best;
}

static void redact(
    const dd__secret_rule *r, const uint8_t *p, size_t n, char *out, size_t on)
{
    size_t pre = public_prefix(r, p, n);
    int tail = pre && n >= 32;
    if (!pre && n >= 32 && !(r->flags & DD_SR_GENERIC) &&
        strcmp(r->category, "private-key") && strcmp(r->category, "generic") &&
        !strstr(r->id, "password")) {
        tail = 1; /* a long token without a public prefix: last 4 only */
    }
    char a[13], z[5];
    for (size_t i = 0; i < pre; i++) {
        a[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
    }
    a[pre] = '\0';
    for (size_t i = 0; i < 4; i++) {
        z[i] = tail && p[n - 4 + i] >= 0x20 && p[n - 4 + i] < 0x7f
                   ? (char)p[n - 4 + i]
                   : '?';
    }
    z[tail ? 4 : 0] = '\0';
    snprintf(out, on, "%s****%s (%zu chars)", a, z, n);
}

/* A generic assignment's value must look like a credential, not code,
 * a path or a word: no brackets, quotes, variables or blanks; not a path;
 * and not a lowercase phrase ("elevated-privileges"). */
static int generic_value(const uint8_t *p, size_t n)
{
    int digit = 0, upper = 0, other = 0;
    if (p[0] == '/' || p[0] == '.' || p[0] == '~' || p[0] == '-') {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (strchr("()[]{}`$\\ <>|;,\"'@*", c) && !(c == '@' && i)) {
            return 0;
        }
        digit |= c >= '0' && c <= '9';
        upper |= c >= 'A' && c <= 'Z';
        other |= !(c >= 'a' && c <= 'z') && c != '-' && c != '_';
    }
    if (!digit && !upper && !other) {
        return 0; /* a lowercase word or phrase */
    }
    return 1;
}

/* a run of one rule's keyword hits whose confirmation windows overlap:
 * the regex searches the run's union window once, so a flood of keywords
 * costs one pass, not a window per keyword */
typedef struct hitrec {
    uint32_t rule;
    uint64_t pos;  /* the first hit */
    uint64_t last; /* the last hit */
} hitrec;

/* bytes after a hit the rule's regex may reach */
static size_t rule_window(const crule *cr)
{
    if (cr->r.window) {
        return cr->r.window;
    }
    return cr->prefix ? 512 : DEFAULT_WINDOW;
}

static int by_rule_pos(const void *x, const void *y)
{
    const hitrec *a = x, *b = y;
    if (a->rule != b->rule) {
        return a->rule < b->rule ? -1 : 1;
    }
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int dd__secret_scan(const dd__secret_engine *e,
                    const char *path,
                    const uint8_t *data,
                    size_t len,
                    dd__secret_cb cb,
                    void *ctx)
{
    size_t pl = path ? strlen(path) : 0;
    for (size_t i = 0; path && i < e->n_allow_paths; i++) {
        if (re_hit(e->allow_paths[i], (const uint8_t *)path, pl, e->mctx)) {
            return 0;
        }
    }
    int binary =
        memchr(data, 0, len < BINARY_SNIFF ? len : BINARY_SNIFF) != NULL;
    /* pass 1: keywords. A rule's path conditions are checked at its first
     * hit only (0 unknown, 1 on, 2 off for this file). */
    uint8_t state[MAX_RULES];
    memset(state, 0, sizeof state);
    size_t lastc[MAX_RULES]; /* the rule's latest run in `hits` */
    dd__vec hits;
    dd__vec_init(&hits, sizeof(hitrec));
    int32_t s = 0;
    int rc = 0;
    const int32_t *delta = e->cdelta;
    const uint8_t *cls = e->cls;
    const size_t ncls = e->n_cls;
    for (size_t i = 0; i < len && !rc; i++) {
        /* binary files: tokens are printable, so outside a keyword the
         * other bytes need no automaton step */
        if (binary && s == 0 && (data[i] < 0x21 || data[i] > 0x7e)) {
            continue;
        }
        int32_t v = delta[(size_t)s * ncls + cls[data[i]]];
        s = v >> 1;
        if (!(v & 1)) {
            continue;
        }
        for (int k = e->out_head[s]; k >= 0;) {
            const kw_out *o = DD_VEC_AT(&e->outs, kw_out, (size_t)k);
            const crule *cr = &e->rules[o->rule];
            if (!state[o->rule]) {
                int on = !binary || (cr->r.flags & DD_SR_BINARY);
                if (on && cr->path_re) {
                    on = path && re_hit(cr->path_re, (const uint8_t *)path, pl,
                                        e->mctx);
                }
                if (on && (cr->r.flags & DD_SR_GENERIC) && path) {
                    on = re_hit(e->generic_files, (const uint8_t *)path, pl,
                                e->mctx) &&
                         !re_hit(e->generic_deny, (const uint8_t *)path, pl,
                                 e->mctx);
                }
                state[o->rule] = on ? 1 : 2;
            }
            uint64_t pos = i + 1 - o->len;
            if (state[o->rule] == 3) {
                hitrec *h = DD_VEC_AT(&hits, hitrec, lastc[o->rule]);
                if (pos < h->last + rule_window(cr)) {
                    h->last = pos;
                } else {
                    state[o->rule] = 1;
                }
            }
            if (state[o->rule] == 1) {
                hitrec *h = dd__vec_push(&hits);
                if (!h) {
                    rc = DD_ENOMEM;
                    break;
                }
                h->rule = o->rule;
                h->pos = pos;
                h->last = pos;
                lastc[o->rule] = hits.len - 1;
                state[o->rule] = 3; /* on, with a run open */
            }
            k = o->next;
        }
        if (hits.len > DD__SECRET_MAX_RUNS) {
            /* a 16 MiB file holds at most 16 Mi / 512 runs of a rule */
            rc = DD_ELIMIT;
        }
    }
    if (rc || !hits.len) {
        dd__vec_free(&hits);
        return rc;
    }
    qsort(hits.items, hits.len, sizeof(hitrec), by_rule_pos);
    /* pass 2: confirm per rule around its hits; rules run in table order
     * (specific formats before generic assignments) and a span already
     * reported by an earlier rule is not reported again */
    dd__vec spans;
    dd__vec_init(&spans, 2 * sizeof(uint64_t));
    /* spans form runs, each sorted by start (one rule's matches come in
     * order): an overlap test is a binary search per run, not a walk over
     * every earlier span */
    dd__vec runs;
    dd__vec_init(&runs, sizeof(size_t));
    pcre2_match_data *md = NULL;
    uint32_t cur_rule = UINT32_MAX;
    uint64_t done_to = 0;
    int path_ok = 1;
    size_t need_at = 0, need_from = 0, need_len = 0; /* the next `need` */
    int need_known = 0;
    size_t line_pos = 0, line_no = 1; /* line counting resumes, per rule */
    for (size_t h = 0; h < hits.len && !rc; h++) {
        const hitrec *hr = DD_VEC_AT(&hits, hitrec, h);
        const crule *cr = &e->rules[hr->rule];
        if (hr->rule != cur_rule) {
            cur_rule = hr->rule;
            done_to = 0;
            need_known = 0;
            need_len = cr->r.need ? strlen(cr->r.need) : 0;
            line_pos = 0, line_no = 1;
            size_t *run = dd__vec_push(&runs);
            if (!run) {
                rc = DD_ENOMEM;
                break;
            }
            *run = spans.len;
            pcre2_match_data_free(md);
            md = pcre2_match_data_create_from_pattern(cr->re, NULL);
            if (!md) {
                rc = DD_ENOMEM;
                break;
            }
            path_ok = !cr->path_re ||
                      (path &&
                       re_hit(cr->path_re, (const uint8_t *)path, pl, e->mctx));
            if (path_ok && (cr->r.flags & DD_SR_GENERIC) && path) {
                path_ok = re_hit(e->generic_files, (const uint8_t *)path, pl,
                                 e->mctx) &&
                          !re_hit(e->generic_deny, (const uint8_t *)path, pl,
                                  e->mctx);
            }
        }
        if (!path_ok || hr->last < done_to) {
            continue;
        }
        size_t ws = (size_t)hr->pos, back = 0;
        size_t win = rule_window(cr);
        size_t at;
        if (cr->prefix) {
            /* the token starts at its keyword: one byte of context for
             * the boundary look-behind, a short window after */
            ws = ws ? ws - 1 : 0;
            at = (size_t)hr->pos;
        } else {
            while (ws > 0 && data[ws - 1] != '\n' && back < 512) {
                ws--, back++;
            }
            at = ws;
        }
        if (hr->pos < done_to && at < done_to) {
            at = (size_t)done_to; /* the run's start is already confirmed */
        }
        size_t we = (size_t)hr->last + win < len ? (size_t)hr->last + win : len;
        if (need_len) {
            /* hits come in order: the search for the literal only moves
             * forward, one pass over the file per rule */
            if (!need_known || (need_at < (size_t)hr->pos && need_at < len)) {
                size_t from = (size_t)hr->pos;
                if (need_known && need_from > from) {
                    from = need_from;
                }
                const uint8_t *q = from < len ? memmem(data + from, len - from,
                                                       cr->r.need, need_len)
                                              : NULL;
                need_at = q ? (size_t)(q - data) : len;
                need_from = from;
                need_known = 1;
            }
            if (need_at >= len || need_at + need_len > we) {
                continue;
            }
        }
        while (at < we && !rc) {
            int m = pcre2_match(cr->re, data + ws, we - ws, at - ws, 0, md,
                                e->mctx);
            if (m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT ||
                m == PCRE2_ERROR_HEAPLIMIT || m == PCRE2_ERROR_JIT_STACKLIMIT) {
                /* never a silent partial scan: say where this rule gave
                 * up (the rest of its window is not checked for it) */
                dd__secret_match lm;
                memset(&lm, 0, sizeof lm);
                lm.rule_id = cr->r.id;
                lm.category = cr->r.category;
                lm.title = cr->r.title;
                lm.severity = cr->r.severity;
                lm.offset = at;
                lm.limit = 1;
                rc = cb(ctx, &lm);
                break;
            }
            if (m < 0) {
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            /* the rule's secret group; group 0 with alternatives means
             * "the first alternative that matched" */
            int g = cr->r.group < m ? cr->r.group : 0;
            if (cr->r.group == 0) {
                for (int k = 1; k < m; k++) {
                    if (ov[2 * k] != PCRE2_UNSET) {
                        g = k;
                        break;
                    }
                }
            }
            size_t s0 = ws + ov[2 * g], s1 = ws + ov[2 * g + 1];
            size_t mend = ws + ov[1];
            at = mend > at ? mend : at + 1;
            done_to = mend;
            if (s1 <= s0 || ov[2 * g] == PCRE2_UNSET) {
                continue;
            }
            /* trim blanks and escaped newlines around the secret */
            while (s0 < s1 && (data[s0] == '\n' || data[s0] == '\r' ||
                               data[s0] == ' ' || data[s0] == '\t')) {
                s0++;
            }
            while (s1 > s0 && (data[s1 - 1] == '\n' || data[s1 - 1] == '\r' ||
                               data[s1 - 1] == ' ' || data[s1 - 1] == '\t')) {
                s1--;
            }
            const uint8_t *sec = data + s0;
            size_t sl = s1 - s0;
            if (!sl ||
                ((cr->r.flags & DD_SR_GENERIC) && !generic_value(sec, sl))) {
                continue;
            }
            if (cr->r.min_entropy > 0 && entropy(sec, sl) < cr->r.min_entropy) {
                continue;
            }
            int allowed = 0;
            for (size_t w = 0;
                 !allowed && w < sizeof STOP_WORDS / sizeof *STOP_WORDS; w++) {
                /* stop-words judge generic values; specific token formats
                 * only reject the documented example keys */
                if ((cr->r.flags & DD_SR_GENERIC) ||
                    !strcmp(STOP_WORDS[w], "example")) {
                    allowed = ci_contains(sec, sl, STOP_WORDS[w]);
                }
            }
            for (size_t w = 0; !allowed && (cr->r.flags & DD_SR_GENERIC) &&
                               w < sizeof STOP_VALUES / sizeof *STOP_VALUES;
                 w++) {
                allowed = sl == strlen(STOP_VALUES[w]) &&
                          ci_contains(sec, sl, STOP_VALUES[w]);
            }
            for (size_t v = 0; !allowed && v < e->n_allow_values; v++) {
                allowed = re_hit(e->allow_values[v], sec, sl, e->mctx);
            }
            for (size_t r = 0; !allowed && r < runs.len; r++) {
                size_t lo = *DD_VEC_AT(&runs, size_t, r);
                size_t hi = r + 1 < runs.len ? *DD_VEC_AT(&runs, size_t, r + 1)
                                             : spans.len;
                /* the first span of the run that ends after s0 */
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (DD_VEC_AT(&spans, uint64_t, 2 * mid)[1] <= s0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                hi = r + 1 < runs.len ? *DD_VEC_AT(&runs, size_t, r + 1)
                                      : spans.len;
                if (lo < hi) {
                    const uint64_t *sp = DD_VEC_AT(&spans, uint64_t, 2 * lo);
                    allowed = s1 > sp[0];
                }
            }
            if (allowed) {
                continue;
            }
            if (spans.len > *DD_VEC_AT(&runs, size_t, runs.len - 1)) {
                const uint64_t *last =
                    DD_VEC_AT(&spans, uint64_t, 2 * (spans.len - 1));
                if (s0 < last[1]) {
                    /* out of order: a new run keeps every run sorted */
                    size_t *run = dd__vec_push(&runs);
                    if (!run) {
                        rc = DD_ENOMEM;
                        break;
                    }
                    *run = spans.len;
                }
            }
            uint64_t *nsp = dd__vec_push(&spans);
            if (!nsp) {
                rc = DD_ENOMEM;
                break;
            }
            nsp[0] = s0;
            nsp[1] = s1;
            dd__secret_match sm;
            sm.rule_id = cr->r.id;
            sm.category = cr->r.category;
            sm.title = cr->r.title;
            sm.severity = cr->r.severity;
            sm.offset = s0;
            /* the line where the match starts (a PEM block's BEGIN) */
            const uint8_t *mstart = data + ws + ov[0];
            if ((size_t)(mstart - data) < line_pos) {
                line_pos = 0, line_no = 1;
            }
            for (const uint8_t *q = data + line_pos;
                 (q = memchr(q, '\n', (size_t)(mstart - q))); q++) {
                line_no++;
            }
            line_pos = (size_t)(mstart - data);
            sm.line = line_no;
            sm.limit = 0;
            redact(&cr->r, sec, sl, sm.redacted, sizeof sm.redacted);
            rc = cb(ctx, &sm);
        }
    }
    pcre2_match_data_free(md);
    dd__vec_free(&runs);
    dd__vec_free(&spans);
    dd__vec_free(&hits);
    return rc;
}
