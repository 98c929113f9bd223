/*
 * lib/lang/npm.c - npm installed metadata: each package's own
 * node_modules/.../package.json (what is really installed: name,
 * version, license) and the project's package-lock.json (v1 nested
 * "dependencies", v2/v3 flat "packages") or npm's hidden lockfile
 * node_modules/.package-lock.json, read for the dev flags.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define LOCK_MAX_DEPTH 64 /* v1 "dependencies" nesting we follow */

static json_t *load(const uint8_t *data, size_t len, char *why, size_t wn)
{
    json_error_t e;
    json_t *r = json_loadb((const char *)data, len, 0, &e);
    if (!r) {
        snprintf(why, wn, "not JSON: line %d column %d (offset %d): %s", e.line,
                 e.column, e.position, e.text);
        return NULL;
    }
    if (!json_is_object(r)) {
        snprintf(why, wn, "not a JSON object");
        json_decref(r);
        return NULL;
    }
    return r;
}

static const char *str(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "license": "MIT" | {"type": "MIT"}; old "licenses": [{"type": ..}] or
 * ["MIT", ...], several meaning a choice: joined with " OR " into buf
 * (n bytes; what does not fit is left out) */
static const char *license_of(const json_t *o, char *buf, size_t n)
{
    const json_t *l = json_object_get(o, "license");
    if (json_is_string(l)) {
        return json_string_value(l);
    }
    if (json_is_object(l)) {
        return str(l, "type");
    }
    l = json_object_get(o, "licenses");
    if (!json_is_array(l) || json_array_size(l) == 0) {
        return NULL;
    }
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(l) && i < 16; i++) {
        const json_t *f = json_array_get(l, i);
        const char *t =
            json_is_string(f) ? json_string_value(f) : str(f, "type");
        size_t tl = t ? strlen(t) : 0;
        if (!tl || at + tl + 5 > n) {
            continue;
        }
        if (at) {
            memcpy(buf + at, " OR ", 4);
            at += 4;
        }
        memcpy(buf + at, t, tl);
        at += tl;
        buf[at] = '\0';
    }
    return at ? buf : NULL;
}

static int printable(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int dd__npm_package(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    dd__lang_pkg *out,
                    char *why,
                    size_t why_n)
{
    memset(out, 0, sizeof *out);
    json_t *r = load(data, len, why, why_n);
    if (!r) {
        return DD_EINVALID;
    }
    int rc = 0;
    const char *name = str(r, "name"), *ver = str(r, "version");
    char lbuf[512];
    const char *lic = license_of(r, lbuf, sizeof lbuf);
    if (!name || !*name || !ver || !*ver) {
        snprintf(why, why_n, "no \"%s\" string",
                 !name || !*name ? "name" : "version");
        rc = DD_EINVALID;
    } else if (strlen(name) > 214 || strlen(ver) > 256 || !printable(name) ||
               !printable(ver)) {
        snprintf(why, why_n, "name or version too long or not printable");
        rc = DD_EINVALID;
    } else {
        out->name = dd__arena_strdup(a, name);
        out->version = dd__arena_strdup(a, ver);
        out->license = lic && strlen(lic) < 512 && printable(lic)
                           ? dd__arena_strdup(a, lic)
                           : NULL;
        if (!out->name || !out->version ||
            (lic && !out->license && strlen(lic) < 512 && printable(lic))) {
            rc = DD_ENOMEM;
        }
    }
    json_decref(r);
    return rc;
}

static int
put(dd__arena *a, dd__map *dev, const char *key, size_t n, int is_dev)
{
    char *k = dd__arena_strndup(a, key, n);
    return k ? dd__map_put(dev, k, n, is_dev) : DD_ENOMEM;
}

/* v1: {"dependencies": {"a": {"dev": true, "dependencies": {...}}}} -
 * nested entries live in node_modules/a/node_modules/b */
static int
lock_v1(dd__arena *a, dd__map *dev, const json_t *deps, dd__buf *pre, int depth)
{
    if (!json_is_object(deps) || depth > LOCK_MAX_DEPTH) {
        return 0;
    }
    const char *k;
    json_t *v;
    size_t base = pre->len;
    json_object_foreach((json_t *)deps, k, v)
    {
        if (!json_is_object(v)) {
            continue;
        }
        pre->len = base;
        if (dd__buf_printf(pre, "%snode_modules/%s", base ? "/" : "", k)) {
            return DD_ENOMEM;
        }
        int rc = put(a, dev, pre->ptr, pre->len,
                     json_is_true(json_object_get(v, "dev")));
        if (!rc) {
            rc = lock_v1(a, dev, json_object_get(v, "dependencies"), pre,
                         depth + 1);
        }
        if (rc) {
            return rc;
        }
    }
    pre->len = base;
    if (pre->ptr) {
        pre->ptr[base] = '\0';
    }
    return 0;
}

int dd__npm_lock(dd__arena *a,
                 const uint8_t *data,
                 size_t len,
                 dd__map *dev,
                 char *why,
                 size_t why_n)
{
    json_t *r = load(data, len, why, why_n);
    if (!r) {
        return DD_EINVALID;
    }
    int rc = 0;
    const json_t *pk = json_object_get(r, "packages");
    const json_t *deps = json_object_get(r, "dependencies");
    if (json_is_object(pk)) { /* v2, v3, hidden lockfile */
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)pk, k, v)
        {
            if (!*k || !json_is_object(v)) {
                continue; /* "" is the project itself */
            }
            int d = json_is_true(json_object_get(v, "dev")) ||
                    json_is_true(json_object_get(v, "devOptional"));
            if ((rc = put(a, dev, k, strlen(k), d))) {
                break;
            }
        }
    } else if (json_is_object(deps)) {
        dd__buf pre;
        dd__buf_init(&pre, 1u << 16);
        rc = lock_v1(a, dev, deps, &pre, 0);
        dd__buf_free(&pre);
    } else {
        snprintf(why, why_n, "neither \"packages\" nor \"dependencies\"");
        rc = DD_EINVALID;
    }
    json_decref(r);
    return rc;
}

long dd__npm_manifest_root(const char *path)
{
    size_t n = strlen(path);
    static const char tail[] = "/package.json";
    if (n < sizeof tail || strcmp(path + n - (sizeof tail - 1), tail)) {
        return -1;
    }
    /* the directory holding package.json */
    size_t dend = n - (sizeof tail - 1);
    size_t ds = dend;
    while (ds > 0 && path[ds - 1] != '/') {
        ds--;
    }
    if (ds == dend || path[ds] == '.') {
        return -1; /* node_modules/.bin, .cache, ... */
    }
    if (ds >= 2 && path[ds - 2] != '/') {
        /* maybe @scope/name */
        size_t ss = ds - 1;
        while (ss > 0 && path[ss - 1] != '/') {
            ss--;
        }
        if (path[ss] == '@' && ss + 1 < ds - 1) {
            ds = ss;
        }
    }
    static const char nm[] = "node_modules/";
    size_t l = sizeof nm - 1;
    if (ds < l || strncmp(path + ds - l, nm, l) ||
        (ds > l && path[ds - l - 1] != '/')) {
        return -1;
    }
    const char *f = path;
    for (;;) {
        const char *h = strstr(f, nm);
        if (!h) {
            return -1;
        }
        if (h == path || h[-1] == '/') {
            return (long)(h - path);
        }
        f = h + 1;
    }
}
