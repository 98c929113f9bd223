/*
 * lib/lang/composer.c - PHP packages Composer installed: its
 * vendor/composer/installed.json. Composer 1 writes a top-level array of
 * package objects, Composer 2 an object {"packages": [...], "dev": bool,
 * "dev-package-names": [...]}. Each package has "name" ("vendor/name"),
 * "version" as its author tagged it ("v5.4.0", "1.2.3", "dev-main") and
 * "license" (an array: any of them). The version loses a leading "v"
 * before a digit, as Composer's version normaliser drops it.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

static int printable(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) {
        return 0;
    }
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static const char *str(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "license": ["MIT", "GPL-2.0-only"] (any of them) or "MIT" */
static char *license_of(dd__arena *a, const json_t *o)
{
    const json_t *l = json_object_get(o, "license");
    if (json_is_string(l)) {
        const char *s = json_string_value(l);
        return printable(s, 512) ? dd__arena_strdup(a, s) : NULL;
    }
    if (!json_is_array(l)) {
        return NULL;
    }
    dd__buf b;
    dd__buf_init(&b, 1024);
    size_t i;
    json_t *x;
    int rc = 0;
    json_array_foreach(l, i, x)
    {
        const char *s = json_string_value(x);
        if (!s || !printable(s, 128)) {
            continue;
        }
        if (b.len) {
            rc |= dd__buf_add(&b, " OR ", 4);
        }
        rc |= dd__buf_addstr(&b, s);
    }
    char *r = !rc && b.len ? dd__arena_strndup(a, b.ptr, b.len) : NULL;
    dd__buf_free(&b);
    return r;
}

int dd__composer_installed(dd__arena *a,
                           const uint8_t *data,
                           size_t len,
                           dd__vec *out,
                           size_t *skipped,
                           char *why,
                           size_t why_n)
{
    *skipped = 0;
    json_t *r = NULL;
    dd_error e;
    int rc = dd__json_parse(&r, (const char *)data, len, DD_JSON_MAX,
                            "not JSON", &e);
    if (rc) {
        snprintf(why, why_n, "%s", e.message);
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    const json_t *pkgs = json_is_array(r) ? r : json_object_get(r, "packages");
    if (!json_is_array(pkgs)) {
        snprintf(why, why_n,
                 "neither a package array (Composer 1) nor an object with "
                 "a \"packages\" array (Composer 2)");
        json_decref(r);
        return DD_EINVALID;
    }
    const json_t *devn =
        json_is_object(r) ? json_object_get(r, "dev-package-names") : NULL;
    size_t i;
    json_t *p;
    json_array_foreach(pkgs, i, p)
    {
        const char *nm = str(p, "name"), *ver = str(p, "version");
        if (!nm || !ver || !printable(nm, 256) || !printable(ver, 256)) {
            (*skipped)++;
            continue;
        }
        if ((ver[0] == 'v' || ver[0] == 'V') && ver[1] >= '0' &&
            ver[1] <= '9') {
            ver++;
        }
        dd__lang_pkg *o = dd__vec_push(out);
        if (!o) {
            rc = DD_ENOMEM;
            break;
        }
        memset(o, 0, sizeof *o);
        o->name = dd__arena_strdup(a, nm);
        o->version = dd__arena_strdup(a, ver);
        o->license = license_of(a, p);
        size_t k;
        json_t *d;
        json_array_foreach(devn, k, d)
        {
            if (json_is_string(d) && !strcmp(json_string_value(d), nm)) {
                o->dev = 1;
            }
        }
        if (!o->name || !o->version) {
            rc = DD_ENOMEM;
            break;
        }
    }
    json_decref(r);
    return rc;
}

int dd__composer_path(const char *path)
{
    size_t n = strlen(path);
    return (n == 23 && !strcmp(path, "composer/installed.json")) ||
           (n > 23 && !strcmp(path + n - 24, "/composer/installed.json"));
}
