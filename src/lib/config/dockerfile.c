/*
 * lib/config/dockerfile.c - a Dockerfile reader and the checks on it.
 *
 * Reading follows the Dockerfile reference: parser directives (`# escape=`)
 * before the first instruction, comment lines (also inside a continued
 * instruction), the escape character at the end of a line continuing the
 * instruction, heredocs (`RUN <<EOF` ... `EOF`, `<<-` strips leading tabs)
 * and the JSON (exec) form. Each instruction keeps the line it starts on;
 * findings carry it. The checks are those of an image's history plus what
 * only the source shows: the packages a RUN installs, caches it leaves,
 * archives ADD extracts, the base image's tag, per build stage.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "config_int.h"
#include "../secret/secret.h"
#include "../../util/util.h"

#define MAX_DOCKERFILE (4u << 20)

typedef struct reader {
    const char *p, *end;
    size_t line; /* of the next line to read */
    char esc;
} reader;

/* next physical line: start and length (without '\n' / '\r') */
static int next_line(reader *r, const char **l, size_t *n)
{
    if (r->p >= r->end) {
        return 0;
    }
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *e = nl ? nl : r->end;
    *l = r->p;
    *n = (size_t)(e - r->p);
    if (*n && (*l)[*n - 1] == '\r') {
        (*n)--;
    }
    r->p = nl ? nl + 1 : r->end;
    r->line++;
    return 1;
}

static int blank_or_comment(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t')) {
        i++;
    }
    return i == n || l[i] == '#';
}

/* heredoc word after "<<" or "<<-" in args; 0 when none */
static int heredoc_word(const char *a, char *word, size_t cap, int *strip)
{
    const char *h = strstr(a, "<<");
    if (!h) {
        return 0;
    }
    h += 2;
    *strip = *h == '-';
    h += *strip;
    char q = (*h == '"' || *h == '\'') ? *h++ : 0;
    size_t k = 0;
    while (h[k] && (isalnum((unsigned char)h[k]) || h[k] == '_') &&
           k + 1 < cap) {
        word[k] = h[k];
        k++;
    }
    word[k] = 0;
    if (q && h[k] != q) {
        return 0;
    }
    return k > 0;
}

typedef struct stage {
    size_t from_line;
    int user_root; /* the stage's effective USER is root */
    size_t user_line;
    int healthcheck;
} stage;

typedef struct dctx {
    const dd__emit *e;
    const char *name;
    dd__secret_engine *own; /* created on the first ENV/ARG */
    const dd__secret_engine *eng;
    stage st;
    int stages;
    char aliases[16][64];
    size_t n_aliases;
} dctx;

static int env_cb(void *ctx, const dd__secret_match *m)
{
    void **c = ctx;
    if (m->limit) { /* hostile text: judged a secret, never skipped */
        return dd__emit_check(c[0], "config.env-secret", c[1], "not checked",
                              "%s: rule %s hit its match limit in %s (a "
                              "crafted value?); treated as a secret",
                              m->title, m->rule_id, (const char *)c[2]);
    }
    return dd__emit_check(c[0], "config.env-secret", c[1], m->redacted,
                          "%s in %s", m->title, (const char *)c[2]);
}

static int check_from(dctx *c, const char *args, const dd__where *w)
{
    char ref[512];
    const char *p = args;
    if (!strncmp(p, "--platform", 10)) {
        p += strcspn(p, " ");
        while (*p == ' ') {
            p++;
        }
    }
    size_t k = strcspn(p, " \t");
    snprintf(ref, sizeof ref, "%.*s", (int)(k < 500 ? k : 500), p);
    size_t prior = c->n_aliases; /* stages before this one */
    const char *as = strstr(p + k, " AS ");
    if (!as) {
        as = strstr(p + k, " as ");
    }
    if (as && c->n_aliases < 16) {
        as += 4;
        while (*as == ' ') {
            as++;
        }
        snprintf(c->aliases[c->n_aliases++], 64, "%.*s",
                 (int)strcspn(as, " \t"), as);
    }
    if (!strcmp(ref, "scratch") || strchr(ref, '$') || strchr(ref, '@')) {
        return 0;
    }
    for (size_t i = 0; i < prior; i++) {
        if (!strcmp(ref, c->aliases[i])) {
            return 0; /* an earlier stage */
        }
    }
    const char *colon = strrchr(ref, ':');
    const char *slash = strrchr(ref, '/');
    if (!colon || (slash && colon < slash) || !strcmp(colon + 1, "latest")) {
        return dd__emit_check(c->e, "config.latest-tag", w, ref,
                              "base image %s is not pinned ('latest' or no "
                              "tag): rebuilds pick up whatever it is then",
                              ref);
    }
    return 0;
}

static int instruction(dctx *c, const char *kw, const char *args, size_t line)
{
    dd__where w = DD_WHERE_NONE;
    w.path = c->name;
    w.line = line;
    int rc = dd__check_instruction(c->e, kw, args, &w, 1);
    if (rc) {
        return rc;
    }
    if (!strcmp(kw, "FROM")) {
        memset(&c->st, 0, sizeof c->st);
        c->st.from_line = line;
        c->st.user_root = 1;
        c->stages++;
        return check_from(c, args, &w);
    }
    if (!strcmp(kw, "USER")) {
        char u[128];
        snprintf(u, sizeof u, "%.*s", (int)strcspn(args, " \t"), args);
        c->st.user_root = dd__user_is_root(u);
        c->st.user_line = line;
        return 0;
    }
    if (!strcmp(kw, "HEALTHCHECK")) {
        c->st.healthcheck = strncasecmp(args, "NONE", 4) != 0;
        return 0;
    }
    if (!strcmp(kw, "EXPOSE")) {
        for (const char *p = args; *p;) {
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            size_t k = strcspn(p, " \t");
            if (k) {
                char port[64];
                snprintf(port, sizeof port, "%.*s", (int)(k < 60 ? k : 60), p);
                if ((rc = dd__check_port(c->e, port, &w))) {
                    return rc;
                }
            }
            p += k;
        }
        return 0;
    }
    if ((!strcmp(kw, "ENV") || !strcmp(kw, "ARG")) && !c->eng) {
        /* the secret rules are compiled only when there is an ENV/ARG */
        dd_error e2;
        if ((rc = dd__secret_engine_new(&c->own, NULL, &e2))) {
            return rc;
        }
        c->eng = c->own;
    }
    if (!strcmp(kw, "ENV") || !strcmp(kw, "ARG")) {
        /* "ENV K V" is "K=V" */
        char buf[8192];
        const char *text = args;
        size_t k = strcspn(args, " =");
        if (args[k] == ' ' && !strchr(args, '=')) {
            snprintf(buf, sizeof buf, "%.*s=%s", (int)k, args, args + k + 1);
            text = buf;
        }
        void *ctx[3] = {(void *)c->e, &w, (void *)kw};
        return dd__secret_scan(c->eng, NULL, (const uint8_t *)text,
                               strlen(text), env_cb, ctx);
    }
    return 0;
}

static int finish(dctx *c)
{
    if (!c->stages) {
        return 0;
    }
    dd__where w = DD_WHERE_NONE;
    w.path = c->name;
    w.line = c->st.user_line ? c->st.user_line : c->st.from_line;
    int rc = 0;
    if (c->st.user_root) {
        rc = dd__emit_check(c->e, "config.user-root", &w,
                            c->st.user_line ? "USER root" : "no USER",
                            "the final stage runs as root (%s)",
                            c->st.user_line ? "USER root" : "no USER");
    }
    if (!rc && !c->st.healthcheck) {
        w.line = c->st.from_line;
        rc = dd__emit_check(c->e, "config.no-healthcheck", &w, NULL,
                            "the final stage has no HEALTHCHECK");
    }
    return rc;
}

/* JSON form ["a", "b"] -> "a b" into buf; 0 when not JSON */
static int json_form(const char *a, char *buf, size_t cap)
{
    if (*a != '[') {
        return 0;
    }
    json_t *j = NULL; /* not JSON: the shell form */
    dd__json_parse(&j, a, strlen(a), DD_JSON_MAX, "JSON form", NULL);
    if (!json_is_array(j)) {
        json_decref(j);
        return 0;
    }
    size_t i, n = 0;
    json_t *v;
    buf[0] = 0;
    json_array_foreach(j, i, v)
    {
        if (json_is_string(v) && n < cap) {
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "",
                                  json_string_value(v));
        }
    }
    json_decref(j);
    return 1;
}

int dd_dockerfile_check(const char *name,
                        const char *text,
                        size_t len,
                        const dd_check_policy *policy,
                        dd_findings **out,
                        dd_error *err)
{
    return dd__dockerfile_check_eng(name, text, len, policy, NULL, out, err);
}

int dd__dockerfile_check_eng(const char *name,
                             const char *text,
                             size_t len,
                             const dd_check_policy *policy,
                             const struct dd__secret_engine *eng,
                             dd_findings **out,
                             dd_error *err)
{
    dd__error_clear(err);
    *out = NULL;
    if (len > MAX_DOCKERFILE) {
        return dd__error_set(err, DD_ELIMIT, "%s: larger than 4 MiB", name);
    }
    if (memchr(text, 0, len)) {
        return dd__error_set(err, DD_ECORRUPT, "%s: NUL byte: not a Dockerfile",
                             name);
    }
    dd_findings *f = dd__findings_new();
    dd__buf ins;
    dd__buf_init(&ins, MAX_DOCKERFILE);
    if (!f) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__emit e = {policy, f};
    dctx c;
    memset(&c, 0, sizeof c);
    c.e = &e;
    c.name = name;
    c.eng = eng;
    int rc = 0;
    reader r = {text, text + len, 0, '\\'};
    const char *l;
    size_t n;
    int directives = 1;
    while (!rc && next_line(&r, &l, &n)) {
        if (directives && n > 1 && l[0] == '#') {
            /* the text is not NUL-terminated: stay inside the line */
            const char *d = l + 1, *le = l + n;
            while (d < le && *d == ' ') {
                d++;
            }
            if (le - d > 7 && !strncasecmp(d, "escape=", 7)) {
                r.esc = d[7] == '`' ? '`' : '\\';
                continue;
            }
        }
        if (blank_or_comment(l, n)) {
            continue;
        }
        directives = 0;
        size_t start = r.line;
        dd__buf_reset(&ins);
        /* gather the logical line */
        for (;;) {
            size_t m = n;
            while (m && (l[m - 1] == ' ' || l[m - 1] == '\t')) {
                m--;
            }
            int cont = m && l[m - 1] == r.esc;
            if (dd__buf_add(&ins, l, cont ? m - 1 : m) ||
                (cont && dd__buf_add(&ins, " ", 1))) {
                rc = DD_ENOMEM;
                break;
            }
            if (!cont) {
                break;
            }
            do {
                if (!next_line(&r, &l, &n)) {
                    l = NULL;
                    break;
                }
            } while (blank_or_comment(l, n)); /* skipped inside, as docker */
            if (!l) {
                break; /* a trailing escape at the end of the file */
            }
        }
        if (rc) {
            break;
        }
        const char *s = ins.ptr;
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        char kw[24];
        size_t k = 0;
        while (s[k] && !isspace((unsigned char)s[k]) && k + 1 < sizeof kw) {
            kw[k] = (char)toupper((unsigned char)s[k]);
            k++;
        }
        kw[k] = 0;
        const char *args = s + k;
        while (*args == ' ' || *args == '\t') {
            args++;
        }
        /* heredocs: the body belongs to the instruction */
        char word[64];
        int strip;
        if ((!strcmp(kw, "RUN") || !strcmp(kw, "COPY")) &&
            heredoc_word(args, word, sizeof word, &strip)) {
            size_t off = (size_t)(args - (const char *)ins.ptr);
            int closed = 0;
            while (next_line(&r, &l, &n)) {
                const char *b = l;
                size_t bn = n;
                while (strip && bn && *b == '\t') {
                    b++, bn--;
                }
                if (bn == strlen(word) && !memcmp(b, word, bn)) {
                    closed = 1;
                    break;
                }
                if (dd__buf_add(&ins, "\n", 1) || dd__buf_add(&ins, b, bn)) {
                    rc = DD_ENOMEM;
                    break;
                }
            }
            if (!rc && !closed) {
                rc = dd__error_set(err, DD_ECORRUPT,
                                   "%s: line %zu: heredoc '%s' is never "
                                   "closed",
                                   name, start, word);
                break;
            }
            args = (const char *)ins.ptr + off;
        }
        if (rc) {
            break;
        }
        char jbuf[8192];
        if (json_form(args, jbuf, sizeof jbuf)) {
            args = jbuf;
        }
        rc = instruction(&c, kw, args, start);
    }
    if (!rc) {
        rc = finish(&c);
    }
    dd__buf_free(&ins);
    dd__secret_engine_free(c.own);
    if (rc) {
        if (!err->message[0]) {
            dd__error_set(err, rc, "%s: %s", name, dd_strerror(rc));
        }
        dd_findings_free(f);
        return rc;
    }
    *out = f;
    return 0;
}
