/*
 * lib/lang/lock_py.c - Python lockfiles (lockfile.h), and the TOML
 * `[[package]]` reader Cargo.lock shares:
 *
 *   poetry.lock       [[package]] name, version; category = "dev" (Poetry
 *                     before 1.5) is dev; a [package.source] of type
 *                     directory, file, git or url is skipped.
 *   uv.lock           [[package]] name, version, source = { registry = ..}
 *                     ({ editable/virtual = "." } is the project itself;
 *                     git, path, directory, url are skipped); uv.lock
 *                     does not mark packages dev.
 *   Pipfile.lock      JSON "default" and "develop" (dev) objects of
 *                     {"version": "==1.2.3"}; entries without a version
 *                     (git, path, editable) are skipped.
 *   requirements*.txt `name[extras]==version [; marker] [--hash ...]`,
 *                     "\" continuation lines, comments; options (-r, -c,
 *                     --index-url, ...) ignored; unpinned, URL and
 *                     editable requirements are skipped.
 *
 * The TOML reader is a line reader of the subset these tools write: table
 * headers on their own line, `key = "string"` or `key = { inline }` on
 * one line, multi-line arrays and strings (skipped).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lockfile.h"
#include "drydock/errors.h"
#include "../../util/util.h"

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++, (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) {
        (*n)--;
    }
}

/* a table header "[a.b]" or "[[a.b]]" (trimmed, a comment may follow):
 * 1 or 2 (brackets) and the name, else 0 */
static int toml_header(const char *s, size_t n, const char **name, size_t *nl)
{
    if (!n || s[0] != '[') {
        return 0;
    }
    int br = n > 1 && s[1] == '[' ? 2 : 1;
    size_t i = (size_t)br, st = i;
    while (i < n && s[i] != ']') {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
            return 0;
        }
        i++;
    }
    if (i == st || i >= n || (br == 2 && (i + 1 >= n || s[i + 1] != ']'))) {
        return 0;
    }
    size_t e = i + (size_t)br;
    while (e < n && (s[e] == ' ' || s[e] == '\t')) {
        e++;
    }
    if (e < n && s[e] != '#') {
        return 0;
    }
    *name = s + st;
    *nl = i - st;
    return br;
}

/* the raw value of `key = VALUE` (trimmed, up to the line's end) */
static int
toml_raw(const char *s, size_t n, const char *key, const char **v, size_t *vl)
{
    size_t kl = strlen(key), i = 0;
    if (n < kl || memcmp(s, key, kl)) {
        return 0;
    }
    i = kl;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i >= n || s[i] != '=') {
        return 0;
    }
    *v = s + i + 1;
    *vl = n - i - 1;
    trim(v, vl);
    return 1;
}

static size_t count_triple(const char *s, size_t n, char q)
{
    size_t c = 0;
    for (size_t i = 0; i + 3 <= n; i++) {
        if (s[i] == q && s[i + 1] == q && s[i + 2] == q) {
            c++;
            i += 2;
        }
    }
    return c;
}

static int str_is(const char *s, size_t n, const char *lit)
{
    return s && n == strlen(lit) && !memcmp(s, lit, n);
}

int dd__toml_packages(const uint8_t *data,
                      size_t len,
                      const char *what,
                      int (*cb)(void *ctx, const dd__toml_pkg *p),
                      void *ctx,
                      char *why,
                      size_t why_n)
{
    dd__lines L;
    dd__lines_init(&L, data, len);
    const char *s;
    size_t n;
    dd__toml_pkg p;
    memset(&p, 0, sizeof p);
    int in_pkg = 0, ml = 0, rc = 0;
    size_t ml_line = 0;
    const char *sub = NULL; /* the [package.X] subtable we are in */
    size_t subl = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (memchr(s, '\0', n)) {
            snprintf(why, why_n, "%s: line %zu: a NUL byte (not text)", what,
                     L.no);
            return DD_EINVALID;
        }
        size_t t3 = count_triple(s, n, '"') + count_triple(s, n, '\'');
        if (ml) {
            if (t3 & 1) {
                ml = 0;
            }
            continue;
        }
        if (t3 & 1) {
            ml = 1;
            ml_line = L.no;
            continue; /* a key whose value is a multi-line string */
        }
        trim(&s, &n);
        const char *h;
        size_t hl;
        int br = toml_header(s, n, &h, &hl);
        if (br) {
            if (in_pkg) {
                if (br == 1 && hl > 8 && !memcmp(h, "package.", 8)) {
                    sub = h + 8, subl = hl - 8; /* still this package */
                    continue;
                }
                rc = cb(ctx, &p);
                in_pkg = 0;
            }
            if (br == 2 && str_is(h, hl, "package")) {
                memset(&p, 0, sizeof p);
                p.line = L.no;
                in_pkg = 1;
                sub = NULL;
            }
            continue;
        }
        if (!in_pkg) {
            continue;
        }
        const char *v;
        size_t vl;
        if (sub) {
            if (str_is(sub, subl, "source") &&
                dd__toml_str(s, n, "type", &v, &vl)) {
                p.source_type = v, p.source_type_l = vl;
            }
            continue;
        }
        if (dd__toml_str(s, n, "name", &v, &vl)) {
            p.name = v, p.name_l = vl;
        } else if (dd__toml_str(s, n, "version", &v, &vl)) {
            p.version = v, p.version_l = vl;
        } else if (dd__toml_str(s, n, "category", &v, &vl)) {
            p.category = v, p.category_l = vl;
        } else if (toml_raw(s, n, "source", &v, &vl)) {
            p.source = v, p.source_l = vl;
        }
    }
    if (!rc && ml) {
        snprintf(why, why_n, "%s: line %zu: a multi-line string never ends",
                 what, ml_line);
        return DD_EINVALID;
    }
    if (!rc && in_pkg) {
        rc = cb(ctx, &p);
    }
    return rc;
}

typedef struct tctx {
    dd__arena *a;
    dd__vec *out;
    size_t *skipped;
} tctx;

static int poetry_pkg(void *c, const dd__toml_pkg *p)
{
    tctx *t = c;
    const char *st = p->source_type;
    size_t sl = p->source_type_l;
    if (str_is(st, sl, "directory") || str_is(st, sl, "file") ||
        str_is(st, sl, "git") || str_is(st, sl, "url")) {
        return dd__lock_count(1, t->skipped);
    }
    int dev = str_is(p->category, p->category_l, "dev");
    return dd__lock_count(dd__lock_push(t->a, t->out, p->name, p->name_l,
                                        p->version, p->version_l, dev),
                          t->skipped);
}

int dd__lock_poetry(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    dd__vec *out,
                    size_t *skipped,
                    char *why,
                    size_t why_n)
{
    tctx t = {a, out, skipped};
    return dd__toml_packages(data, len, "poetry.lock", poetry_pkg, &t, why,
                             why_n);
}

/* the first key of an inline table "{ key = ... }" */
static int inline_key(const char *s, size_t n, const char *key)
{
    if (!n || s[0] != '{') {
        return 0;
    }
    s++, n--;
    trim(&s, &n);
    size_t kl = strlen(key);
    return n > kl && !memcmp(s, key, kl) && (s[kl] == ' ' || s[kl] == '=');
}

static int uv_pkg(void *c, const dd__toml_pkg *p)
{
    tctx *t = c;
    if (p->source && !inline_key(p->source, p->source_l, "registry")) {
        if (inline_key(p->source, p->source_l, "editable") ||
            inline_key(p->source, p->source_l, "virtual")) {
            return 0; /* the project (or a workspace member) */
        }
        return dd__lock_count(1, t->skipped);
    }
    return dd__lock_count(dd__lock_push(t->a, t->out, p->name, p->name_l,
                                        p->version, p->version_l, 0),
                          t->skipped);
}

int dd__lock_uv(dd__arena *a,
                const uint8_t *data,
                size_t len,
                dd__vec *out,
                size_t *skipped,
                char *why,
                size_t why_n)
{
    tctx t = {a, out, skipped};
    return dd__toml_packages(data, len, "uv.lock", uv_pkg, &t, why, why_n);
}

int dd__lock_pipfile(dd__arena *a,
                     const uint8_t *data,
                     size_t len,
                     dd__vec *out,
                     size_t *skipped,
                     char *why,
                     size_t why_n)
{
    json_t *r = NULL;
    dd_error e;
    int rc = dd__json_parse(&r, (const char *)data, len, DD_JSON_MAX,
                            "Pipfile.lock", &e);
    if (rc) {
        snprintf(why, why_n, "%s", e.message);
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    if (!json_is_object(r) || !json_is_object(json_object_get(r, "default"))) {
        snprintf(why, why_n, "Pipfile.lock: no \"default\" object");
        json_decref(r);
        return DD_EINVALID;
    }
    static const char *const sect[] = {"default", "develop"};
    for (int d = 0; d < 2 && !rc; d++) {
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(r, sect[d]), k, v)
        {
            const json_t *jv = json_object_get(v, "version");
            const char *ver = json_is_string(jv) ? json_string_value(jv) : "";
            if (!strncmp(ver, "===", 3)) {
                ver += 3;
            } else if (!strncmp(ver, "==", 2)) {
                ver += 2;
            } else {
                ver = NULL; /* git, path, editable: no pinned version */
            }
            if ((rc = dd__lock_count(dd__lock_push_s(a, out, k, ver, d),
                                     skipped))) {
                break;
            }
        }
    }
    json_decref(r);
    return rc;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* one logical requirements line (comment and continuations removed) */
static int
req_line(dd__arena *a, dd__vec *out, size_t *skipped, const char *s, size_t n)
{
    trim(&s, &n);
    if (!n) {
        return 0;
    }
    if (s[0] == '-') {
        /* -e/--editable names a package it does not pin; -r, -c,
         * --index-url, --hash, ... are options */
        return (n > 2 && s[1] == 'e' && (s[2] == ' ' || s[2] == '\t')) ||
                       (n > 10 && !memcmp(s, "--editable", 10))
                   ? dd__lock_count(1, skipped)
                   : 0;
    }
    size_t i = 0;
    while (i < n && name_char(s[i])) {
        i++;
    }
    size_t nl = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i < n && s[i] == '[') { /* extras */
        while (i < n && s[i] != ']') {
            i++;
        }
        i += i < n;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
    }
    if (!nl || n - i < 3 || s[i] != '=' || s[i + 1] != '=') {
        return dd__lock_count(1, skipped); /* a path, URL, "@ url", unpinned */
    }
    i += 2 + (s[i + 2] == '=');
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    size_t vs = i;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ';' && s[i] != ',') {
        i++;
    }
    size_t ve = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (ve == vs || (i < n && s[i] == ',') || memchr(s + vs, '*', ve - vs)) {
        return dd__lock_count(1,
                              skipped); /* ==1.*, ==1.0,<2: not one version */
    }
    return dd__lock_count(dd__lock_push(a, out, s, nl, s + vs, ve - vs, 0),
                          skipped);
}

int dd__lock_requirements(dd__arena *a,
                          const uint8_t *data,
                          size_t len,
                          dd__vec *out,
                          size_t *skipped,
                          char *why,
                          size_t why_n)
{
    dd__lines L;
    dd__lines_init(&L, data, len);
    dd__buf b;
    dd__buf_init(&b, 1u << 20);
    const char *s;
    size_t n;
    int rc = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (memchr(s, '\0', n)) {
            snprintf(why, why_n,
                     "requirements: line %zu: a NUL byte (not "
                     "text)",
                     L.no);
            rc = DD_EINVALID;
            break;
        }
        /* a comment: '#' at the start or after a blank */
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '#' &&
                (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
                n = i;
                break;
            }
        }
        int cont = n && s[n - 1] == '\\';
        rc = dd__buf_add(&b, s, cont ? n - 1 : n);
        if (rc == DD_ELIMIT) {
            snprintf(why, why_n,
                     "requirements: line %zu: a continued line over %zu "
                     "bytes",
                     L.no, b.max);
            rc = DD_EINVALID;
        }
        if (rc || cont) {
            continue;
        }
        rc = req_line(a, out, skipped, b.ptr ? b.ptr : "", b.len);
        dd__buf_reset(&b);
    }
    if (!rc && b.len) {
        rc = req_line(a, out, skipped, b.ptr, b.len);
    }
    dd__buf_free(&b);
    return rc;
}
