/*
 * lib/lang/dotnet.c - NuGet packages of a .NET application: its
 * APP.deps.json, written by the SDK next to the application:
 *
 *   {"runtimeTarget": {"name": ".NETCoreApp,Version=v8.0/linux-x64"},
 *    "targets": {".NETCoreApp,Version=v8.0/linux-x64": {
 *        "Newtonsoft.Json/13.0.3": {"runtime": {...}}, ...}},
 *    "libraries": {"Newtonsoft.Json/13.0.3": {"type": "package", ...},
 *                  "app/1.0.0": {"type": "project", ...}}}
 *
 * The packages are the "package" libraries the runtime target lists (the
 * first target when runtimeTarget names none that exists; all "package"
 * libraries when there are no targets); projects and runtime packs are
 * not NuGet packages.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

static int printable(const char *s, size_t n)
{
    if (n == 0 || n > 256) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static int add(dd__arena *a, dd__vec *out, const json_t *libs, const char *key)
{
    const json_t *lib = json_object_get(libs, key);
    const json_t *type = json_object_get(lib, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "package")) {
        return 0;
    }
    const char *sl = strrchr(key, '/');
    if (!sl || sl == key || !sl[1] || !printable(key, (size_t)(sl - key)) ||
        !printable(sl + 1, strlen(sl + 1))) {
        return 0;
    }
    dd__lang_pkg *o = dd__vec_push(out);
    if (!o) {
        return DD_ENOMEM;
    }
    memset(o, 0, sizeof *o);
    o->name = dd__arena_strndup(a, key, (size_t)(sl - key));
    o->version = dd__arena_strdup(a, sl + 1);
    return o->name && o->version ? 0 : DD_ENOMEM;
}

int dd__dotnet_deps(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    dd__vec *out,
                    char *why,
                    size_t why_n)
{
    json_t *r = NULL;
    dd_error e;
    int rc = dd__json_parse(&r, (const char *)data, len, DD_JSON_MAX,
                            "not JSON", &e);
    if (rc) {
        snprintf(why, why_n, "%s", e.message);
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    const json_t *libs = json_object_get(r, "libraries");
    if (!json_is_object(libs)) {
        snprintf(why, why_n, "no \"libraries\" object");
        json_decref(r);
        return DD_EINVALID;
    }
    const json_t *targets = json_object_get(r, "targets");
    const json_t *rt = json_object_get(r, "runtimeTarget");
    const char *rtn = json_string_value(json_object_get(rt, "name"));
    const json_t *t = rtn ? json_object_get(targets, rtn) : NULL;
    if (!json_is_object(t) && json_is_object(targets)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)targets, k, v)
        {
            if (json_is_object(v)) {
                t = v;
                break;
            }
        }
    }
    const char *k;
    json_t *v;
    if (json_is_object(t)) {
        json_object_foreach((json_t *)t, k, v)
        {
            if ((rc = add(a, out, libs, k))) {
                break;
            }
        }
    } else {
        json_object_foreach((json_t *)libs, k, v)
        {
            if ((rc = add(a, out, libs, k))) {
                break;
            }
        }
    }
    json_decref(r);
    return rc;
}

int dd__dotnet_path(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    return n > 10 && !strcmp(b + n - 10, ".deps.json");
}
