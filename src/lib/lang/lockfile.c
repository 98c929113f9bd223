/*
 * lib/lang/lockfile.c - lockfile formats by file name, the dispatch to
 * each format's parser, and what the parsers share: the line reader, the
 * checked push of one package, the TOML `key = "string"` reader and the
 * merge of packages a lockfile lists more than once.
 */
#include <stdio.h>
#include <string.h>

#include "lockfile.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define NAME_MAX_LEN 256
#define VER_MAX_LEN  256

static const struct {
    const char *name;
    dd_pkg_type type;
    int (*parse)(dd__arena *,
                 const uint8_t *,
                 size_t,
                 dd__vec *,
                 size_t *,
                 char *,
                 size_t);
} FMT[DD__LOCK_COUNT] = {
    [DD__LOCK_NPM] = {"package-lock.json", DD_PKG_NPM, dd__lock_npm},
    [DD__LOCK_YARN] = {"yarn.lock", DD_PKG_NPM, dd__lock_yarn},
    [DD__LOCK_PNPM] = {"pnpm-lock.yaml", DD_PKG_NPM, dd__lock_pnpm},
    [DD__LOCK_POETRY] = {"poetry.lock", DD_PKG_PYPI, dd__lock_poetry},
    [DD__LOCK_PIPFILE] = {"Pipfile.lock", DD_PKG_PYPI, dd__lock_pipfile},
    [DD__LOCK_REQUIREMENTS] = {"requirements.txt", DD_PKG_PYPI,
                               dd__lock_requirements},
    [DD__LOCK_UV] = {"uv.lock", DD_PKG_PYPI, dd__lock_uv},
    [DD__LOCK_GOMOD] = {"go.mod", DD_PKG_GOLANG, dd__lock_gomod},
    [DD__LOCK_CARGO] = {"Cargo.lock", DD_PKG_CARGO, dd__lock_cargo},
    [DD__LOCK_GEMFILE] = {"Gemfile.lock", DD_PKG_GEM, dd__lock_gemfile},
    [DD__LOCK_COMPOSER] = {"composer.lock", DD_PKG_COMPOSER, dd__lock_composer},
    [DD__LOCK_NUGET] = {"packages.lock.json", DD_PKG_NUGET, dd__lock_nuget},
    [DD__LOCK_POM] = {"pom.xml", DD_PKG_MAVEN, dd__lock_pom},
    [DD__LOCK_GRADLE] = {"gradle.lockfile", DD_PKG_MAVEN, dd__lock_gradle},
};

dd__lock_fmt dd__lock_classify(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (int f = DD__LOCK_NONE + 1; f < DD__LOCK_COUNT; f++) {
        if (f != DD__LOCK_REQUIREMENTS && !strcmp(b, FMT[f].name)) {
            return (dd__lock_fmt)f;
        }
    }
    /* requirements.txt, requirements-dev.txt, requirements_prod.txt */
    size_t n = strlen(b);
    if (n >= 16 && !strncmp(b, "requirements", 12) &&
        !strcmp(b + n - 4, ".txt") &&
        (n == 16 || b[12] == '-' || b[12] == '_' || b[12] == '.')) {
        return DD__LOCK_REQUIREMENTS;
    }
    return DD__LOCK_NONE;
}

const char *dd__lock_fmt_name(dd__lock_fmt f)
{
    return f > DD__LOCK_NONE && f < DD__LOCK_COUNT ? FMT[f].name : "?";
}

dd_pkg_type dd__lock_pkg_type(dd__lock_fmt f)
{
    return f > DD__LOCK_NONE && f < DD__LOCK_COUNT ? FMT[f].type : DD_PKG_NPM;
}

/* merge the packages pushed from `base` on that have the same name and
 * version: one stays, dev only when all were */
static int merge_dups(dd__arena *a, dd__vec *out, size_t base)
{
    dd__map m;
    if (dd__map_init(&m)) {
        return DD_ENOMEM;
    }
    size_t w = base;
    int rc = 0;
    for (size_t i = base; i < out->len; i++) {
        dd__lang_pkg *p = DD_VEC_AT(out, dd__lang_pkg, i);
        size_t nl = strlen(p->name), vl = strlen(p->version);
        char *k = dd__arena_alloc(a, nl + vl + 2);
        if (!k) {
            rc = DD_ENOMEM;
            break;
        }
        memcpy(k, p->name, nl + 1);
        memcpy(k + nl + 1, p->version, vl + 1);
        int64_t at;
        if (dd__map_get(&m, k, nl + vl + 1, &at)) {
            dd__lang_pkg *q = DD_VEC_AT(out, dd__lang_pkg, (size_t)at);
            q->dev = q->dev && p->dev;
            continue;
        }
        if ((rc = dd__map_put(&m, k, nl + vl + 1, (int64_t)w))) {
            break;
        }
        *DD_VEC_AT(out, dd__lang_pkg, w) = *p;
        w++;
    }
    if (!rc) {
        out->len = w;
    }
    dd__map_free(&m);
    return rc;
}

int dd__lock_parse(dd__lock_fmt f,
                   dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__vec *out,
                   size_t *skipped,
                   char *why,
                   size_t why_n)
{
    *skipped = 0;
    if (why_n) {
        why[0] = '\0';
    }
    if (f <= DD__LOCK_NONE || f >= DD__LOCK_COUNT) {
        snprintf(why, why_n, "not a lockfile format");
        return DD_EINVALID;
    }
    size_t base = out->len;
    int rc = FMT[f].parse(a, data, len, out, skipped, why, why_n);
    if (!rc) {
        rc = merge_dups(a, out, base);
    }
    if (rc) {
        out->len = base;
    }
    return rc;
}

void dd__lines_init(dd__lines *l, const uint8_t *data, size_t len)
{
    l->p = (const char *)data;
    l->len = data ? len : 0;
    l->off = 0;
    l->no = 0;
}

int dd__lines_next(dd__lines *l, const char **s, size_t *n)
{
    if (l->off >= l->len) {
        return 0;
    }
    const char *st = l->p + l->off;
    size_t left = l->len - l->off;
    const char *nl = memchr(st, '\n', left);
    size_t k = nl ? (size_t)(nl - st) : left;
    l->off += nl ? k + 1 : k;
    if (k && st[k - 1] == '\r') {
        k--;
    }
    l->no++;
    *s = st;
    *n = k;
    return 1;
}

static int listable(const char *s, size_t n, size_t max)
{
    if (!n || n > max) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int dd__lock_push(dd__arena *a,
                  dd__vec *out,
                  const char *name,
                  size_t nl,
                  const char *ver,
                  size_t vl,
                  int dev)
{
    if (!name || !ver || !listable(name, nl, NAME_MAX_LEN) ||
        !listable(ver, vl, VER_MAX_LEN) || memchr(ver, '/', vl) ||
        memchr(ver, ':', vl)) {
        return 1; /* a path, URL or protocol is no version */
    }
    dd__lang_pkg *p = dd__vec_push(out);
    if (!p) {
        return DD_ENOMEM;
    }
    p->name = dd__arena_strndup(a, name, nl);
    p->version = dd__arena_strndup(a, ver, vl);
    p->license = NULL;
    p->dev = dev != 0;
    if (!p->name || !p->version) {
        out->len--;
        return DD_ENOMEM;
    }
    return 0;
}

int dd__lock_push_s(
    dd__arena *a, dd__vec *out, const char *name, const char *ver, int dev)
{
    if (!name || !ver) {
        return 1;
    }
    return dd__lock_push(a, out, name, strlen(name), ver, strlen(ver), dev);
}

int dd__toml_str(
    const char *s, size_t n, const char *key, const char **v, size_t *vl)
{
    size_t i = 0, kl = strlen(key);
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (n - i < kl || memcmp(s + i, key, kl)) {
        return 0;
    }
    i += kl;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i >= n || s[i] != '=') {
        return 0;
    }
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i >= n || (s[i] != '"' && s[i] != '\'')) {
        return 0;
    }
    char q = s[i++];
    size_t st = i;
    while (i < n && s[i] != q) {
        if (q == '"' && s[i] == '\\' && i + 1 < n) {
            i++;
        }
        i++;
    }
    if (i >= n) {
        return 0; /* unterminated */
    }
    *v = s + st;
    *vl = i - st;
    return 1;
}

int dd__lock_count(int rc, size_t *skipped)
{
    if (rc == 1) {
        (*skipped)++;
        return 0;
    }
    return rc;
}

const char *dd__lock_jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int dd__lock_json_obj(json_t **r,
                      const uint8_t *data,
                      size_t len,
                      const char *what,
                      char *why,
                      size_t why_n)
{
    dd_error e;
    int rc = dd__json_parse(r, (const char *)data, len, DD_JSON_MAX, what, &e);
    if (rc) {
        snprintf(why, why_n, "%s", e.message);
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    if (!json_is_object(*r)) {
        snprintf(why, why_n, "%s: not a JSON object", what);
        json_decref(*r);
        *r = NULL;
        return DD_EINVALID;
    }
    return 0;
}
