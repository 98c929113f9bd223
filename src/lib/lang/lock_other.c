/*
 * lib/lang/lock_other.c - the other ecosystems' lockfiles (lockfile.h):
 *
 *   go.mod             require lines and blocks ("// indirect" ones too);
 *                      replace directives apply (a module replaced by a
 *                      local directory is skipped); go.sum is not needed.
 *   Cargo.lock         [[package]] with a registry source; crates without
 *                      a source are the workspace's own (not listed), git
 *                      sources are skipped.
 *   Gemfile.lock       the specs of the GEM sections ("name (1.0.0)",
 *                      a platform suffix dropped); GIT and PATH specs are
 *                      skipped.
 *   composer.lock      "packages" and "packages-dev" (dev); a leading "v"
 *                      before a digit dropped as Composer normalises it.
 *   packages.lock.json every target framework's packages ("resolved");
 *                      "Project" references are the solution's own.
 *   pom.xml            project/dependencies/dependency with a literal
 *                      version or a ${property} of the same pom's
 *                      <properties> (or project.version); else skipped.
 *                      Scope "test" is dev. A small XML reader: elements,
 *                      comments, processing instructions, CDATA.
 *   gradle.lockfile    "group:artifact:version=conf,..."; dev when every
 *                      configuration is a test one.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lockfile.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define POM_MAX_DEPTH 64
#define POM_PROP_HOPS 8

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) {
        (*s)++, (*n)--;
    }
    while (*n && is_blank((*s)[*n - 1])) {
        (*n)--;
    }
}

static int eq(const char *s, size_t n, const char *lit)
{
    return s && n == strlen(lit) && !memcmp(s, lit, n);
}

/* ------------------------------------------------------------ go.mod */

typedef struct span {
    const char *s;
    size_t n;
} span;

/* split a go.mod line (comment gone) into tokens: words, "quoted" or
 * `raw` strings (quotes dropped); at most `max` */
static size_t go_tokens(const char *s, size_t n, span *t, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) {
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t st = i, e;
        if (s[i] == '"' || s[i] == '`') {
            char q = s[i++];
            st = i;
            while (i < n && s[i] != q) {
                i += s[i] == '\\' && q == '"' && i + 1 < n ? 2 : 1;
            }
            e = i < n ? i : n;
            i = e + 1;
        } else {
            while (i < n && !is_blank(s[i])) {
                i++;
            }
            e = i;
        }
        if (k < max) {
            t[k] = (span){s + st, e - st};
        }
        k++;
    }
    return k;
}

typedef struct goreq {
    span p, v;
} goreq;

typedef struct gorep {
    span from, fromv, to, tov; /* fromv.n == 0: every version */
} gorep;

int dd__lock_gomod(dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__vec *out,
                   size_t *skipped,
                   char *why,
                   size_t why_n)
{
    dd__lines L;
    dd__lines_init(&L, data, len);
    dd__vec req, rep;
    dd__vec_init(&req, sizeof(goreq));
    dd__vec_init(&rep, sizeof(gorep));
    const char *s;
    size_t n;
    int rc = 0;
    enum { TOP, REQ, REP, OTHER } blk = TOP;
    size_t blk_line = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (memchr(s, '\0', n)) {
            snprintf(why, why_n, "go.mod: line %zu: a NUL byte (not text)",
                     L.no);
            rc = DD_EINVALID;
            break;
        }
        /* "//" outside a quoted string starts a comment */
        char q = 0;
        for (size_t i = 0; i < n; i++) {
            if (q) {
                q = s[i] == q ? 0 : q;
            } else if (s[i] == '"' || s[i] == '`') {
                q = s[i];
            } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
                n = i;
                break;
            }
        }
        span t[8];
        size_t k = go_tokens(s, n, t, 8);
        if (!k) {
            continue;
        }
        /* w[0..wk): the words after the keyword, only those kept in t */
        int over = k > 8;
        const span *w = t;
        size_t wk = over ? 8 : k;
        if (blk == TOP) {
            int isreq = eq(t[0].s, t[0].n, "require");
            int isrep = eq(t[0].s, t[0].n, "replace");
            int isblk = k == 2 && eq(t[1].s, t[1].n, "(");
            if (isblk) {
                blk = isreq ? REQ : isrep ? REP : OTHER;
                blk_line = L.no;
                continue;
            }
            if (!isreq && !isrep) {
                continue; /* module, go, toolchain, exclude, retract */
            }
            w = t + 1, wk--;
            if (isreq) {
                goto require;
            }
            goto replace;
        }
        if (k == 1 && eq(t[0].s, t[0].n, ")")) {
            blk = TOP;
            continue;
        }
        if (blk == OTHER) {
            continue;
        }
        if (blk == REP) {
            goto replace;
        }
    require:
        if (wk != 2 || over) {
            rc = dd__lock_count(1, skipped);
            continue;
        }
        goreq *r = dd__vec_push(&req);
        if (!r) {
            rc = DD_ENOMEM;
            break;
        }
        r->p = w[0], r->v = w[1];
        continue;
    replace : {
        /* from [v] => to [v] */
        size_t arrow = 0;
        for (size_t i = 0; i < wk; i++) {
            if (eq(w[i].s, w[i].n, "=>")) {
                arrow = i;
            }
        }
        if (over || !arrow || arrow > 2 || wk - arrow - 1 < 1 ||
            wk - arrow - 1 > 2) {
            snprintf(why, why_n,
                     "go.mod: line %zu: a replace without "
                     "\"from [version] => to [version]\"",
                     L.no);
            rc = DD_EINVALID;
            break;
        }
        gorep *g = dd__vec_push(&rep);
        if (!g) {
            rc = DD_ENOMEM;
            break;
        }
        g->from = w[0];
        g->fromv = arrow == 2 ? w[1] : (span){NULL, 0};
        g->to = w[arrow + 1];
        g->tov = wk - arrow - 1 == 2 ? w[arrow + 2] : (span){NULL, 0};
    }
    }
    if (!rc && blk != TOP) {
        snprintf(why, why_n, "go.mod: line %zu: a block that never ends",
                 blk_line);
        rc = DD_EINVALID;
    }
    for (size_t i = 0; !rc && i < req.len; i++) {
        const goreq *r = DD_VEC_AT(&req, goreq, i);
        span p = r->p, v = r->v;
        /* the last matching replace wins, as in the go command */
        for (size_t j = rep.len; j-- > 0;) {
            gorep *g = DD_VEC_AT(&rep, gorep, j);
            if (g->from.n == p.n && !memcmp(g->from.s, p.s, p.n) &&
                (!g->fromv.n ||
                 (g->fromv.n == v.n && !memcmp(g->fromv.s, v.s, v.n)))) {
                p = g->to, v = g->tov;
                break;
            }
        }
        if (!v.n) {
            rc = dd__lock_count(1, skipped); /* replaced by a local directory */
            continue;
        }
        rc = dd__lock_count(dd__lock_push(a, out, p.s, p.n, v.s, v.n, 0),
                            skipped);
    }
    dd__vec_free(&req);
    dd__vec_free(&rep);
    return rc;
}

/* ------------------------------------------------------------ Cargo */

typedef struct cctx {
    dd__arena *a;
    dd__vec *out;
    size_t *skipped;
} cctx;

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return s && n >= k && !memcmp(s, p, k);
}

static int cargo_pkg(void *c, const dd__toml_pkg *p)
{
    cctx *t = c;
    if (!p->source) {
        return 0; /* a crate of this workspace (or a path dependency) */
    }
    if (!has_prefix(p->source, p->source_l, "\"registry+") &&
        !has_prefix(p->source, p->source_l, "\"sparse+")) {
        return dd__lock_count(1, t->skipped); /* git */
    }
    return dd__lock_count(dd__lock_push(t->a, t->out, p->name, p->name_l,
                                        p->version, p->version_l, 0),
                          t->skipped);
}

int dd__lock_cargo(dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__vec *out,
                   size_t *skipped,
                   char *why,
                   size_t why_n)
{
    cctx t = {a, out, skipped};
    return dd__toml_packages(data, len, "Cargo.lock", cargo_pkg, &t, why,
                             why_n);
}

/* ------------------------------------------------------------ Gemfile */

/* "1.13.10-x86_64-linux" -> "1.13.10": the platform RubyGems appends */
static size_t gem_version_len(const char *v, size_t n)
{
    static const char *const plat[] = {
        "x86_64",  "x86",    "x64",       "i386",    "i686",    "arm64",
        "aarch64", "arm",    "universal", "java",    "jruby",   "mswin",
        "mingw",   "darwin", "linux",     "freebsd", "openbsd", "netbsd",
        "solaris", "ppc64",  "s390x",     "wasm"};
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '-') {
            continue;
        }
        for (size_t p = 0; p < sizeof plat / sizeof *plat; p++) {
            if (has_prefix(v + i + 1, n - i - 1, plat[p])) {
                return i;
            }
        }
    }
    return n;
}

int dd__lock_gemfile(dd__arena *a,
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
    enum { NONE, GEM, OTHERSRC } sect = NONE;
    int specs = 0, rc = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (memchr(s, '\0', n)) {
            snprintf(why, why_n,
                     "Gemfile.lock: line %zu: a NUL byte (not text)", L.no);
            return DD_EINVALID;
        }
        if (!n) {
            continue;
        }
        if (s[0] != ' ') { /* a section */
            sect = eq(s, n, "GEM")                       ? GEM
                   : eq(s, n, "GIT") || eq(s, n, "PATH") ? OTHERSRC
                                                         : NONE;
            specs = 0;
            continue;
        }
        if (sect == NONE) {
            continue;
        }
        if (n >= 3 && s[2] != ' ') { /* "  remote:", "  specs:" */
            specs = eq(s, n, "  specs:");
            continue;
        }
        /* "    name (version)"; deeper lines are its dependencies */
        if (!specs || n < 5 || memcmp(s, "    ", 4) || s[4] == ' ') {
            continue;
        }
        const char *t = s + 4;
        size_t tn = n - 4;
        const char *sp = memchr(t, ' ', tn);
        if (!sp || (size_t)(sp - t) + 2 >= tn || sp[1] != '(' ||
            t[tn - 1] != ')') {
            snprintf(why, why_n,
                     "Gemfile.lock: line %zu: a spec that is not \"name "
                     "(version)\"",
                     L.no);
            return DD_EINVALID;
        }
        if (sect == OTHERSRC) {
            (*skipped)++;
            continue;
        }
        const char *v = sp + 2;
        size_t vl = (size_t)(t + tn - 1 - v);
        rc = dd__lock_count(dd__lock_push(a, out, t, (size_t)(sp - t), v,
                                          gem_version_len(v, vl), 0),
                            skipped);
    }
    return rc;
}

/* ------------------------------------------------------------ JSON ones */

int dd__lock_composer(dd__arena *a,
                      const uint8_t *data,
                      size_t len,
                      dd__vec *out,
                      size_t *skipped,
                      char *why,
                      size_t why_n)
{
    json_t *r;
    int rc = dd__lock_json_obj(&r, data, len, "composer.lock", why, why_n);
    if (rc) {
        return rc;
    }
    if (!json_is_array(json_object_get(r, "packages"))) {
        snprintf(why, why_n, "composer.lock: no \"packages\" array");
        json_decref(r);
        return DD_EINVALID;
    }
    static const char *const sect[] = {"packages", "packages-dev"};
    for (int d = 0; d < 2 && !rc; d++) {
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(r, sect[d]), i, p)
        {
            const char *nm = dd__lock_jstr(p, "name"),
                       *v = dd__lock_jstr(p, "version");
            if (v && (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' &&
                v[1] <= '9') {
                v++;
            }
            if ((rc = dd__lock_count(dd__lock_push_s(a, out, nm, v, d),
                                     skipped))) {
                break;
            }
        }
    }
    json_decref(r);
    return rc;
}

int dd__lock_nuget(dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__vec *out,
                   size_t *skipped,
                   char *why,
                   size_t why_n)
{
    json_t *r;
    int rc = dd__lock_json_obj(&r, data, len, "packages.lock.json", why, why_n);
    if (rc) {
        return rc;
    }
    const json_t *deps = json_object_get(r, "dependencies");
    if (!json_is_object(deps)) {
        snprintf(why, why_n,
                 "packages.lock.json: no \"dependencies\" "
                 "object");
        json_decref(r);
        return DD_EINVALID;
    }
    const char *tfm;
    json_t *t;
    json_object_foreach((json_t *)deps, tfm, t)
    {
        const char *k;
        json_t *v;
        json_object_foreach(t, k, v)
        {
            const char *ty = dd__lock_jstr(v, "type");
            if (ty && !strcmp(ty, "Project")) {
                continue;
            }
            if ((rc = dd__lock_count(
                     dd__lock_push_s(a, out, k, dd__lock_jstr(v, "resolved"),
                                     0),
                     skipped))) {
                break;
            }
        }
        if (rc) {
            break;
        }
    }
    json_decref(r);
    return rc;
}

/* ------------------------------------------------------------ gradle */

int dd__lock_gradle(dd__arena *a,
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
    int rc = 0;
    while (!rc && dd__lines_next(&L, &s, &n)) {
        if (memchr(s, '\0', n)) {
            snprintf(why, why_n,
                     "gradle.lockfile: line %zu: a NUL byte (not text)", L.no);
            return DD_EINVALID;
        }
        trim(&s, &n);
        if (!n || s[0] == '#') {
            continue;
        }
        const char *eqs = memchr(s, '=', n);
        size_t cl = eqs ? (size_t)(eqs - s) : n;
        if (eq(s, cl, "empty")) {
            continue;
        }
        const char *c1 = memchr(s, ':', cl);
        const char *c2 =
            c1 ? memchr(c1 + 1, ':', (size_t)(s + cl - c1 - 1)) : NULL;
        if (!eqs || !c2 || memchr(c2 + 1, ':', (size_t)(s + cl - c2 - 1))) {
            rc = dd__lock_count(1, skipped);
            continue;
        }
        /* dev when every configuration is a test one */
        int dev = 1;
        const char *c = eqs + 1, *end = s + n;
        if (c >= end) {
            dev = 0;
        }
        while (c < end) {
            const char *cm = memchr(c, ',', (size_t)(end - c));
            size_t k = cm ? (size_t)(cm - c) : (size_t)(end - c);
            if (k < 4 || memcmp(c, "test", 4)) {
                dev = 0;
            }
            c += k + 1;
        }
        rc = dd__lock_count(dd__lock_push(a, out, s, (size_t)(c2 - s), c2 + 1,
                                          (size_t)(eqs - c2 - 1), dev),
                            skipped);
    }
    return rc;
}

/* ------------------------------------------------------------ pom.xml */

typedef struct pomdep {
    span g, a, v, scope;
} pomdep;

typedef struct pom {
    span stack[POM_MAX_DEPTH];
    size_t depth;
    dd__map props; /* name -> index in pvals */
    dd__vec pvals; /* span */
    dd__vec deps;  /* pomdep */
    pomdep cur;
    span version, parent_version, group, parent_group;
} pom;

static int at(const pom *p, size_t d, const char *name)
{
    return p->depth > d && eq(p->stack[d].s, p->stack[d].n, name);
}

/* an element's text content ended (text of a leaf element) */
static int pom_text(pom *p, span t)
{
    trim(&t.s, &t.n);
    if (!at(p, 0, "project")) {
        return 0;
    }
    if (p->depth == 2) {
        if (at(p, 1, "version")) {
            p->version = t;
        } else if (at(p, 1, "groupId")) {
            p->group = t;
        }
    } else if (p->depth == 3 && at(p, 1, "parent")) {
        if (at(p, 2, "version")) {
            p->parent_version = t;
        } else if (at(p, 2, "groupId")) {
            p->parent_group = t;
        }
    } else if (p->depth == 3 && at(p, 1, "properties")) {
        span *v = dd__vec_push(&p->pvals);
        if (!v) {
            return DD_ENOMEM;
        }
        *v = t;
        return dd__map_put(&p->props, p->stack[2].s, p->stack[2].n,
                           (int64_t)p->pvals.len - 1);
    } else if (p->depth == 4 && at(p, 1, "dependencies") &&
               at(p, 2, "dependency")) {
        span *f = at(p, 3, "groupId")      ? &p->cur.g
                  : at(p, 3, "artifactId") ? &p->cur.a
                  : at(p, 3, "version")    ? &p->cur.v
                  : at(p, 3, "scope")      ? &p->cur.scope
                                           : NULL;
        if (f) {
            *f = t;
        }
    }
    return 0;
}

/* ${x} -> the property's value (a few hops), else 0 */
static int pom_resolve(const pom *p, span *v)
{
    for (int hop = 0; hop < POM_PROP_HOPS; hop++) {
        if (v->n < 3 || v->s[0] != '$' || v->s[1] != '{' ||
            v->s[v->n - 1] != '}') {
            return !memchr(v->s, '$', v->n);
        }
        const char *k = v->s + 2;
        size_t kl = v->n - 3;
        int64_t i;
        if (eq(k, kl, "project.version") || eq(k, kl, "pom.version")) {
            *v = p->version.n ? p->version : p->parent_version;
        } else if (eq(k, kl, "project.groupId")) {
            *v = p->group.n ? p->group : p->parent_group;
        } else if (eq(k, kl, "project.parent.version")) {
            *v = p->parent_version;
        } else if (dd__map_get(&p->props, k, kl, &i)) {
            *v = *DD_VEC_AT(&p->pvals, span, (size_t)i);
        } else {
            return 0;
        }
        if (!v->n) {
            return 0;
        }
    }
    return 0;
}

static const char *find(const char *s, const char *end, const char *lit)
{
    size_t k = strlen(lit);
    for (; s + k <= end; s++) {
        if (!memcmp(s, lit, k)) {
            return s;
        }
    }
    return NULL;
}

static int pom_read(pom *p, const char *d, size_t len, char *why, size_t wn)
{
    const char *s = d, *end = d + len;
    const char *text = NULL; /* content start of the open leaf element */
    int rc = 0, seen_root = 0;
    while (!rc && s < end) {
        const char *lt = memchr(s, '<', (size_t)(end - s));
        if (!lt) {
            break;
        }
        s = lt;
        if (find(s, end < s + 4 ? end : s + 4, "<!--") == s) {
            const char *e = find(s + 4, end, "-->");
            if (!e) {
                snprintf(why, wn, "pom.xml: offset %zu: a comment never ends",
                         (size_t)(s - d));
                return DD_EINVALID;
            }
            s = e + 3;
            continue;
        }
        if (end - s >= 9 && !memcmp(s, "<![CDATA[", 9)) {
            const char *e = find(s + 9, end, "]]>");
            if (!e) {
                snprintf(why, wn, "pom.xml: offset %zu: CDATA never ends",
                         (size_t)(s - d));
                return DD_EINVALID;
            }
            s = e + 3; /* part of the text: kept raw */
            continue;
        }
        const char *gt = NULL;
        char q = 0;
        for (const char *c = s + 1; c < end; c++) {
            if (q) {
                q = *c == q ? 0 : q;
            } else if (*c == '"' || *c == '\'') {
                q = *c;
            } else if (*c == '>') {
                gt = c;
                break;
            }
        }
        if (!gt) {
            snprintf(why, wn, "pom.xml: offset %zu: a tag never ends",
                     (size_t)(s - d));
            return DD_EINVALID;
        }
        const char *tag = s + 1;
        s = gt + 1;
        if (*tag == '?' || *tag == '!') {
            continue; /* <?xml ...?>, <!DOCTYPE ...> */
        }
        int closing = *tag == '/';
        tag += closing;
        const char *ne = tag;
        while (ne < gt && !is_blank(*ne) && *ne != '/') {
            ne++;
        }
        span name = {tag, (size_t)(ne - tag)};
        int selfc = gt[-1] == '/';
        if (!name.n) {
            snprintf(why, wn, "pom.xml: offset %zu: a tag without a name",
                     (size_t)(tag - d));
            return DD_EINVALID;
        }
        if (closing) {
            span top = p->depth ? p->stack[p->depth - 1] : (span){NULL, 0};
            if (!p->depth || top.n != name.n || memcmp(top.s, name.s, name.n)) {
                snprintf(why, wn,
                         "pom.xml: offset %zu: a closing tag that does not "
                         "match the open element",
                         (size_t)(tag - d));
                return DD_EINVALID;
            }
            if (text) {
                rc = pom_text(p, (span){text, (size_t)(lt - text)});
                text = NULL;
            }
            if (p->depth == 3 && at(p, 0, "project") &&
                at(p, 1, "dependencies") && at(p, 2, "dependency")) {
                pomdep *x = dd__vec_push(&p->deps);
                if (!x) {
                    return DD_ENOMEM;
                }
                *x = p->cur;
                memset(&p->cur, 0, sizeof p->cur);
            }
            p->depth--;
            continue;
        }
        if (!seen_root && !eq(name.s, name.n, "project")) {
            snprintf(why, wn, "pom.xml: the root element is not <project>");
            return DD_EINVALID;
        }
        if (seen_root && !p->depth) {
            snprintf(why, wn, "pom.xml: offset %zu: a second root element",
                     (size_t)(tag - d));
            return DD_EINVALID;
        }
        seen_root = 1;
        text = NULL;
        if (selfc) {
            continue;
        }
        if (p->depth == POM_MAX_DEPTH) {
            snprintf(why, wn, "pom.xml: offset %zu: nested deeper than %d",
                     (size_t)(tag - d), POM_MAX_DEPTH);
            return DD_EINVALID;
        }
        p->stack[p->depth++] = name;
        text = s;
    }
    if (!rc && (p->depth || !seen_root)) {
        snprintf(why, wn, "pom.xml: %s",
                 seen_root ? "the document ends "
                             "inside an element"
                           : "no <project> element");
        return DD_EINVALID;
    }
    return rc;
}

int dd__lock_pom(dd__arena *a,
                 const uint8_t *data,
                 size_t len,
                 dd__vec *out,
                 size_t *skipped,
                 char *why,
                 size_t why_n)
{
    pom *p = dd__calloc(1, sizeof *p);
    if (!p) {
        return DD_ENOMEM;
    }
    if (dd__map_init(&p->props)) {
        dd__free(p);
        return DD_ENOMEM;
    }
    dd__vec_init(&p->pvals, sizeof(span));
    dd__vec_init(&p->deps, sizeof(pomdep));
    int rc =
        pom_read(p, data ? (const char *)data : "", data ? len : 0, why, why_n);
    dd__buf nm;
    dd__buf_init(&nm, 1024);
    for (size_t i = 0; !rc && i < p->deps.len; i++) {
        pomdep x = *DD_VEC_AT(&p->deps, pomdep, i);
        if (!x.g.n || !x.a.n || !x.v.n || !pom_resolve(p, &x.g) ||
            !pom_resolve(p, &x.v) || memchr(x.v.s, '[', x.v.n) ||
            memchr(x.v.s, '(', x.v.n) || memchr(x.v.s, ',', x.v.n) ||
            memchr(x.a.s, '$', x.a.n)) {
            (*skipped)++; /* managed elsewhere, a range, unresolved */
            continue;
        }
        dd__buf_reset(&nm);
        if (dd__buf_add(&nm, x.g.s, x.g.n) || dd__buf_add(&nm, ":", 1) ||
            dd__buf_add(&nm, x.a.s, x.a.n)) {
            (*skipped)++; /* over the name cap */
            continue;
        }
        rc = dd__lock_count(dd__lock_push(a, out, nm.ptr, nm.len, x.v.s, x.v.n,
                                          eq(x.scope.s, x.scope.n, "test")),
                            skipped);
    }
    dd__buf_free(&nm);
    dd__vec_free(&p->deps);
    dd__vec_free(&p->pvals);
    dd__map_free(&p->props);
    dd__free(p);
    return rc;
}
