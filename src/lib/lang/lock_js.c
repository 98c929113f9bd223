/*
 * lib/lang/lock_js.c - JavaScript lockfiles (lockfile.h):
 *
 *   package-lock.json  v2/v3 "packages" keyed by install path
 *                      ("node_modules/a/node_modules/@s/b"), v1 nested
 *                      "dependencies"; "dev"/"devOptional" are dev;
 *                      aliases ("npm:real@1.0.0", or the entry's "name")
 *                      list the real package.
 *   yarn.lock          v1 ("spec, spec:" then `  version "1.0.0"`) and
 *                      berry (YAML with `  resolution: "name@npm:1.0.0"`),
 *                      read line by line; yarn does not record dev.
 *   pnpm-lock.yaml     v5 ("/name/1.0.0", "dev: true"), v6
 *                      ("/name@1.0.0(peer@2)"), v9 ("name@1.0.0"; dev from
 *                      the importers: a package only reachable from
 *                      devDependencies through "snapshots" is dev); read
 *                      with libyaml into a jansson tree.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lockfile.h"
#include "drydock/errors.h"
#include "../../util/util.h"
#include "../../util/yaml_json.h"

#define LOCK_MAX_DEPTH 64

/* "npm:real@1.2.3" -> real, 1.2.3 (an alias); else name, ver */
static int
push_npm(dd__arena *a, dd__vec *out, const char *name, const char *ver, int dev)
{
    if (ver && !strncmp(ver, "npm:", 4)) {
        const char *r = ver + 4;
        const char *at = strrchr(r, '@');
        if (!at || at == r) {
            return 1;
        }
        return dd__lock_push(a, out, r, (size_t)(at - r), at + 1,
                             strlen(at + 1), dev);
    }
    return dd__lock_push_s(a, out, name, ver, dev);
}

static int
npm_v1(dd__arena *a, dd__vec *out, size_t *sk, const json_t *deps, int depth)
{
    if (!json_is_object(deps) || depth > LOCK_MAX_DEPTH) {
        return 0;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)deps, k, v)
    {
        if (!json_is_object(v)) {
            continue;
        }
        int dev = json_is_true(json_object_get(v, "dev"));
        int rc = dd__lock_count(
            push_npm(a, out, k, dd__lock_jstr(v, "version"), dev), sk);
        if (!rc) {
            rc = npm_v1(a, out, sk, json_object_get(v, "dependencies"),
                        depth + 1);
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int dd__lock_npm(dd__arena *a,
                 const uint8_t *data,
                 size_t len,
                 dd__vec *out,
                 size_t *skipped,
                 char *why,
                 size_t why_n)
{
    json_t *r;
    int rc = dd__lock_json_obj(&r, data, len, "package-lock.json", why, why_n);
    if (rc) {
        return rc;
    }
    const json_t *pk = json_object_get(r, "packages");
    const json_t *deps = json_object_get(r, "dependencies");
    if (json_is_object(pk)) { /* v2, v3 */
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)pk, k, v)
        {
            static const char nm[] = "node_modules/";
            const char *last = NULL;
            for (const char *h = k; (h = strstr(h, nm)); h++) {
                if (h == k || h[-1] == '/') {
                    last = h + sizeof nm - 1;
                }
            }
            if (!last || !json_is_object(v) ||
                json_is_true(json_object_get(v, "link"))) {
                continue; /* the project, a workspace, a link to one */
            }
            int dev = json_is_true(json_object_get(v, "dev")) ||
                      json_is_true(json_object_get(v, "devOptional"));
            const char *name = dd__lock_jstr(v, "name");
            if ((rc = dd__lock_count(push_npm(a, out, name ? name : last,
                                              dd__lock_jstr(v, "version"), dev),
                                     skipped))) {
                break;
            }
        }
    } else if (json_is_object(deps)) { /* v1 */
        rc = npm_v1(a, out, skipped, deps, 0);
    } else {
        snprintf(why, why_n,
                 "package-lock.json: neither \"packages\" nor "
                 "\"dependencies\"");
        rc = DD_EINVALID;
    }
    json_decref(r);
    return rc;
}

/* ------------------------------------------------------------ yarn */

/* first spec of a yarn.lock entry header (s[0..n) without the ':'):
 * `"@s/a@^1.0.0", "@s/a@^1.1"` -> `@s/a@^1.0.0` */
static void first_spec(const char *s, size_t n, const char **o, size_t *on)
{
    size_t i = 0;
    if (i < n && s[i] == '"') {
        i++;
        size_t e = i;
        while (e < n && s[e] != '"') {
            e++;
        }
        *o = s + i;
        *on = e - i;
        return;
    }
    size_t e = i;
    while (e < n && s[e] != ',') {
        e++;
    }
    *o = s + i;
    *on = e - i;
}

/* split "name@range" at the '@' after the name (a scope's '@' is not
 * it): 1 when there is one */
static int split_at(const char *s, size_t n, size_t *at)
{
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '@') {
            *at = i;
            return 1;
        }
    }
    return 0;
}

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && !memcmp(s, p, k);
}

/* a yarn v1 range that does not come from the registry */
static int nonregistry(const char *r, size_t n)
{
    static const char *const pre[] = {
        "file:", "link:",  "git",        "github:", "gitlab:", "bitbucket:",
        "http:", "https:", "workspace:", "portal:", "patch:",  "exec:"};
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
        if (has_prefix(r, n, pre[i])) {
            return 1;
        }
    }
    return 0;
}

/* `  key "value"` / `  key: value` / `  key: "value"` at indent 2 */
static int
yarn_field(const char *s, size_t n, const char *key, const char **v, size_t *vl)
{
    size_t kl = strlen(key);
    if (n < 2 + kl + 2 || s[0] != ' ' || s[1] != ' ' || s[2] == ' ' ||
        memcmp(s + 2, key, kl)) {
        return 0;
    }
    size_t i = 2 + kl;
    if (s[i] == ':') {
        i++;
    }
    if (i >= n || s[i] != ' ') {
        return 0;
    }
    while (i < n && s[i] == ' ') {
        i++;
    }
    size_t e = n;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
        e--;
    }
    if (e - i >= 2 && s[i] == '"' && s[e - 1] == '"') {
        i++, e--;
    }
    *v = s + i;
    *vl = e - i;
    return 1;
}

typedef struct yentry {
    const char *spec; /* first spec of the header */
    size_t sn;
    const char *ver, *res;
    size_t vn, rn;
    size_t line;
} yentry;

/* one finished entry */
static int
yarn_entry(dd__arena *a, dd__vec *out, size_t *sk, int berry, const yentry *e)
{
    const char *s = e->spec, *res = e->res;
    size_t sn = e->sn, rn = e->rn, at;
    if (!s) {
        return 0;
    }
    if (berry) {
        if (has_prefix(s, sn, "__metadata")) {
            return 0;
        }
        if (!res || !split_at(res, rn, &at)) {
            return dd__lock_count(1, sk);
        }
        const char *p = res + at + 1;
        size_t pn = rn - at - 1;
        if (has_prefix(p, pn, "workspace:") || has_prefix(p, pn, "patch:")) {
            return 0; /* the project; a patched copy listed again */
        }
        if (!has_prefix(p, pn, "npm:")) {
            return dd__lock_count(1, sk);
        }
        return dd__lock_count(dd__lock_push(a, out, res, at, p + 4, pn - 4, 0),
                              sk);
    }
    if (!split_at(s, sn, &at) || !e->ver) {
        return dd__lock_count(1, sk);
    }
    const char *r = s + at + 1;
    size_t rl = sn - at - 1;
    const char *name = s;
    size_t nl = at;
    if (has_prefix(r, rl, "npm:")) { /* alias: "a@npm:real@^1" */
        const char *q = r + 4;
        size_t ql = rl - 4, a2;
        if (!split_at(q, ql, &a2)) {
            a2 = ql;
        }
        name = q;
        nl = a2;
    } else if (nonregistry(r, rl)) {
        return dd__lock_count(1, sk);
    }
    return dd__lock_count(dd__lock_push(a, out, name, nl, e->ver, e->vn, 0),
                          sk);
}

int dd__lock_yarn(dd__arena *a,
                  const uint8_t *data,
                  size_t len,
                  dd__vec *out,
                  size_t *skipped,
                  char *why,
                  size_t why_n)
{
    dd__lines L;
    dd__lines_init(&L, data, len);
    const char *s;
    size_t n;
    int berry = 0;
    /* berry has a __metadata entry at the top */
    while (dd__lines_next(&L, &s, &n)) {
        if (has_prefix(s, n, "__metadata:")) {
            berry = 1;
            break;
        }
        if (n && s[0] != '#' && s[0] != ' ') {
            break;
        }
    }
    dd__lines_init(&L, data, len);
    yentry e = {0};
    int rc = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (!n || s[0] == '#') {
            continue;
        }
        if (s[0] != ' ') {
            if (s[n - 1] != ':') {
                snprintf(why, why_n,
                         "yarn.lock: line %zu: an entry that does not end "
                         "in ':'",
                         L.no);
                return DD_EINVALID;
            }
            rc = yarn_entry(a, out, skipped, berry, &e);
            memset(&e, 0, sizeof e);
            first_spec(s, n - 1, &e.spec, &e.sn);
            e.line = L.no;
            continue;
        }
        const char *v;
        size_t vl;
        if (e.spec && yarn_field(s, n, "version", &v, &vl)) {
            e.ver = v, e.vn = vl;
        } else if (e.spec && yarn_field(s, n, "resolution", &v, &vl)) {
            e.res = v, e.rn = vl;
        }
    }
    return rc ? rc : yarn_entry(a, out, skipped, berry, &e);
}

/* ------------------------------------------------------------ pnpm */

static int
load_yaml(json_t **out, const uint8_t *data, size_t len, char *why, size_t wn)
{
    char w[200] = "";
    int rc = dd__yaml_to_json(out, data, len, w, sizeof w);
    if (!rc && !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        snprintf(w, sizeof w, "not a YAML mapping");
        rc = DD_EINVALID;
    }
    if (rc == DD_EINVALID) {
        snprintf(why, wn, "pnpm-lock.yaml: %s", w);
    }
    return rc;
}

/* name and version of a pnpm "packages" key; 0 when it is none */
static int pnpm_key(const char *k,
                    int major,
                    const char **nm,
                    size_t *nl,
                    const char **ver,
                    size_t *vl)
{
    size_t n = strlen(k);
    if (major < 9) {
        if (k[0] != '/') {
            return 0; /* another registry's host, a tarball, git */
        }
        k++, n--;
    }
    size_t e = 0;
    while (e < n && k[e] != '(') {
        e++;
    }
    if (major == 5) { /* name/1.0.0[_peer@2] */
        const char *sl = NULL;
        for (size_t i = 1; i < e; i++) {
            if (k[i] == '/') {
                sl = k + i;
            }
        }
        if (!sl) {
            return 0;
        }
        const char *v = sl + 1;
        size_t ve = 0;
        while (v + ve < k + e && v[ve] != '_') {
            ve++;
        }
        *nm = k, *nl = (size_t)(sl - k), *ver = v, *vl = ve;
        return 1;
    }
    size_t at = 0;
    for (size_t i = 1; i < e; i++) {
        if (k[i] == '@') {
            at = i;
            break;
        }
    }
    if (!at) {
        return 0;
    }
    *nm = k, *nl = at, *ver = k + at + 1, *vl = e - at - 1;
    return 1;
}

#define P_PROD 1
#define P_DEV  2

/* v9: mark every snapshot reachable from `deps` (an importer's
 * {name: {version}} or a snapshot's {name: version}) with `bit` */
static int pnpm_mark(dd__map *seen,
                     dd__vec *stack,
                     const json_t *snaps,
                     const json_t *deps,
                     int64_t bit,
                     dd__buf *kb)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)deps, k, v)
    {
        const char *ver = json_is_object(v) ? dd__lock_jstr(v, "version")
                                            : json_string_value(v);
        if (!ver) {
            continue;
        }
        dd__buf_reset(kb);
        int rc = dd__buf_printf(kb, "%s@%s", k, ver);
        if (rc) {
            return rc;
        }
        /* the snapshot's own key string (it outlives the map) */
        void *it = json_object_iter_at((json_t *)snaps, kb->ptr);
        if (!it) {
            continue;
        }
        const char *sk = json_object_iter_key(it);
        int64_t have = 0;
        dd__map_get(seen, sk, strlen(sk), &have);
        if (have & bit) {
            continue;
        }
        if ((rc = dd__map_put(seen, sk, strlen(sk), have | bit))) {
            return rc;
        }
        const char **slot = dd__vec_push(stack);
        if (!slot) {
            return DD_ENOMEM;
        }
        *slot = sk;
    }
    return 0;
}

static int pnpm_walk(dd__map *seen,
                     const json_t *snaps,
                     const json_t *importers,
                     const char *const *fields,
                     size_t nf,
                     int64_t bit)
{
    dd__vec stack;
    dd__vec_init(&stack, sizeof(const char *));
    dd__buf kb;
    dd__buf_init(&kb, 1u << 16);
    int rc = 0;
    const char *ik;
    json_t *iv;
    json_object_foreach((json_t *)importers, ik, iv)
    {
        for (size_t f = 0; !rc && f < nf; f++) {
            rc = pnpm_mark(seen, &stack, snaps, json_object_get(iv, fields[f]),
                           bit, &kb);
        }
        if (rc) {
            break;
        }
    }
    while (!rc && stack.len) {
        const char *sk = *DD_VEC_AT(&stack, const char *, stack.len - 1);
        stack.len--;
        const json_t *s = json_object_get(snaps, sk);
        rc = pnpm_mark(seen, &stack, snaps, json_object_get(s, "dependencies"),
                       bit, &kb);
        if (!rc) {
            rc =
                pnpm_mark(seen, &stack, snaps,
                          json_object_get(s, "optionalDependencies"), bit, &kb);
        }
    }
    dd__buf_free(&kb);
    dd__vec_free(&stack);
    return rc;
}

/* v9 dev flags: package key ("name@1.0.0") -> P_PROD | P_DEV bits of
 * its snapshots */
static int pnpm_v9_dev(dd__map *pk, const json_t *root)
{
    const json_t *snaps = json_object_get(root, "snapshots");
    const json_t *imp = json_object_get(root, "importers");
    if (!json_is_object(snaps) || !json_is_object(imp)) {
        return 0;
    }
    dd__map seen;
    if (dd__map_init(&seen)) {
        return DD_ENOMEM;
    }
    static const char *const prod[] = {"dependencies", "optionalDependencies"};
    static const char *const dev[] = {"devDependencies"};
    int rc = pnpm_walk(&seen, snaps, imp, prod, 2, P_PROD);
    if (!rc) {
        rc = pnpm_walk(&seen, snaps, imp, dev, 1, P_DEV);
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)snaps, k, v)
    {
        int64_t bits = 0, have = 0;
        if (rc || !dd__map_get(&seen, k, strlen(k), &bits)) {
            continue;
        }
        size_t kl = strcspn(k, "(");
        dd__map_get(pk, k, kl, &have);
        rc = dd__map_put(pk, k, kl, have | bits);
    }
    dd__map_free(&seen);
    return rc;
}

int dd__lock_pnpm(dd__arena *a,
                  const uint8_t *data,
                  size_t len,
                  dd__vec *out,
                  size_t *skipped,
                  char *why,
                  size_t why_n)
{
    json_t *r;
    int rc = load_yaml(&r, data, len, why, why_n);
    if (rc) {
        return rc;
    }
    const char *lv = dd__lock_jstr(r, "lockfileVersion");
    int major =
        lv && lv[0] >= '1' && lv[0] <= '9' && lv[1] != '0' ? lv[0] - '0' : 0;
    if (major < 5) {
        snprintf(why, why_n,
                 "pnpm-lock.yaml: lockfileVersion %s (5, 6 and 9 are read)",
                 lv ? "unknown" : "missing");
        json_decref(r);
        return DD_EINVALID;
    }
    if (major > 6) {
        major = 9;
    }
    dd__map dev9;
    if (dd__map_init(&dev9)) {
        json_decref(r);
        return DD_ENOMEM;
    }
    if (major == 9) {
        rc = pnpm_v9_dev(&dev9, r);
    }
    const json_t *pk = json_object_get(r, "packages");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)pk, k, v)
    {
        if (rc) {
            break;
        }
        const char *nm, *ver;
        size_t nl, vl;
        if (!pnpm_key(k, major, &nm, &nl, &ver, &vl)) {
            (*skipped)++;
            continue;
        }
        int dev = 0;
        if (major < 9) {
            const char *d = dd__lock_jstr(v, "dev");
            dev = d && !strcmp(d, "true");
        } else {
            int64_t bits = 0;
            dd__map_get(&dev9, k, strlen(k), &bits);
            dev = bits == P_DEV;
        }
        rc = dd__lock_count(dd__lock_push(a, out, nm, nl, ver, vl, dev),
                            skipped);
    }
    dd__map_free(&dev9);
    json_decref(r);
    return rc;
}
