/*
 * lib/lang/conda.c - conda packages: conda-meta/NAME-VERSION-BUILD.json,
 * one per package installed in a conda environment ("name", "version",
 * "license", "build", the files list, ...).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

static const char *pstr(const json_t *o, const char *k, size_t max)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s || !*s || strlen(s) > max) {
        return NULL;
    }
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return NULL;
        }
    }
    return s;
}

int dd__conda_meta(dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__lang_pkg *out,
                   char *why,
                   size_t why_n)
{
    memset(out, 0, sizeof *out);
    json_t *r = NULL;
    dd_error e;
    int rc = dd__json_parse(&r, (const char *)data, len, DD_JSON_MAX,
                            "not JSON", &e);
    if (rc) {
        snprintf(why, why_n, "%s", e.message);
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    const char *nm = pstr(r, "name", 256), *ver = pstr(r, "version", 256);
    const char *lic = pstr(r, "license", 512);
    if (!json_is_object(r) || !nm || !ver) {
        snprintf(why, why_n, "no \"%s\" string",
                 !json_is_object(r) || !nm ? "name" : "version");
        json_decref(r);
        return DD_EINVALID;
    }
    out->name = dd__arena_strdup(a, nm);
    out->version = dd__arena_strdup(a, ver);
    out->license = lic ? dd__arena_strdup(a, lic) : NULL;
    rc = out->name && out->version && (!lic || out->license) ? 0 : DD_ENOMEM;
    json_decref(r);
    return rc;
}

int dd__conda_path(const char *path)
{
    const char *b = strrchr(path, '/');
    if (!b) {
        return 0;
    }
    size_t n = strlen(b + 1);
    return b - path >= 10 && !memcmp(b - 10, "conda-meta", 10) &&
           (b - path == 10 || b[-11] == '/') && n > 5 &&
           !strcmp(b + 1 + n - 5, ".json");
}
