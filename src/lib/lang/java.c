/*
 * lib/lang/java.c - Java archives (see java.h): pom.properties, else the
 * manifest's main section, else the file name; nested archives read
 * recursively from their stored slice or an inflated, bounded buffer.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "java.h"
#include "zipdir.h"

#define VAL_MAX 512 /* longest property / manifest value kept */

typedef struct jctx {
    dd__arena *a;
    dd__vec *out;
    dd__zip_budget budget;
    dd__buf meta;                   /* pom.properties, MANIFEST.MF */
    dd__buf nest[DD_ZIP_MAX_DEPTH]; /* inflated nested archives */
    size_t live;                    /* bytes held in nest[] */
    unsigned archives;              /* archives read so far */
    unsigned n_warn, dropped;       /* warnings kept, past the cap */
    unsigned skipped;               /* nested archives past the budget */
} jctx;

#define MAX_WARN 64 /* warnings kept per outer archive */

static char lc(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int ends_ci(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    if (n < m) {
        return 0;
    }
    for (size_t i = 0; i < m; i++) {
        if (lc(s[n - m + i]) != suf[i]) {
            return 0;
        }
    }
    return 1;
}

static int archive_name(const char *s, size_t n)
{
    return ends_ci(s, n, ".jar") || ends_ci(s, n, ".war") ||
           ends_ci(s, n, ".ear") || ends_ci(s, n, ".par");
}

int dd__java_path(const char *path)
{
    size_t n = strlen(path);
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return (size_t)(path + n - b) > 4 && archive_name(path, n);
}

/* printable, non-empty, no spaces at the ends */
static int good_value(const char *s)
{
    if (!*s || *s == ' ') {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    return s[strlen(s) - 1] != ' ';
}

/* ---- java.util.Properties ------------------------------------------ */

static void put_utf8(char *v, size_t *n, unsigned cp)
{
    char t[3];
    size_t k = 0;
    if (cp < 0x80) {
        t[k++] = (char)cp;
    } else if (cp < 0x800) {
        t[k++] = (char)(0xc0 | cp >> 6);
        t[k++] = (char)(0x80 | (cp & 0x3f));
    } else {
        t[k++] = (char)(0xe0 | cp >> 12);
        t[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[k++] = (char)(0x80 | (cp & 0x3f));
    }
    for (size_t i = 0; i < k; i++) {
        if (*n + 1 < VAL_MAX) {
            v[(*n)++] = t[i];
        } else {
            *n = VAL_MAX; /* too long: dropped */
        }
    }
}

static int hexv(uint8_t c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* groupId, artifactId and version of a pom.properties into g, a, v
 * (VAL_MAX bytes each, "" when absent or unusable) */
static void props(const uint8_t *d, size_t n, char *g, char *art, char *v)
{
    g[0] = art[0] = v[0] = '\0';
    size_t i = 0;
    while (i < n) {
        /* one logical line: key, then value */
        while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\f')) {
            i++;
        }
        if (i < n && (d[i] == '#' || d[i] == '!')) {
            while (i < n && d[i] != '\n' && d[i] != '\r') {
                i++;
            }
            continue;
        }
        if (i < n && (d[i] == '\n' || d[i] == '\r')) {
            i++;
            continue;
        }
        char buf[2][VAL_MAX];
        size_t len[2] = {0, 0};
        int part = 0, sep_seen = 0;
        while (i < n && d[i] != '\n' && d[i] != '\r') {
            uint8_t c = d[i++];
            if (c == '\\') {
                if (i >= n) {
                    break;
                }
                c = d[i++];
                if (c == '\n' || c == '\r') { /* continuation */
                    if (c == '\r' && i < n && d[i] == '\n') {
                        i++;
                    }
                    while (i < n &&
                           (d[i] == ' ' || d[i] == '\t' || d[i] == '\f')) {
                        i++;
                    }
                    continue;
                }
                unsigned cp = c == 't'   ? '\t'
                              : c == 'n' ? '\n'
                              : c == 'r' ? '\r'
                              : c == 'f' ? '\f'
                                         : c;
                if (c == 'u') {
                    cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = i < n ? hexv(d[i]) : -1;
                        if (h < 0) {
                            cp = 0xfffd;
                            break;
                        }
                        cp = cp << 4 | (unsigned)h;
                        i++;
                    }
                }
                put_utf8(buf[part], &len[part], cp);
                continue;
            }
            if (part == 0 &&
                (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f')) {
                part = 1;
                sep_seen = c == '=' || c == ':';
                while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\f')) {
                    i++;
                }
                if (!sep_seen && i < n && (d[i] == '=' || d[i] == ':')) {
                    i++;
                    while (i < n &&
                           (d[i] == ' ' || d[i] == '\t' || d[i] == '\f')) {
                        i++;
                    }
                }
                continue;
            }
            if (len[part] + 1 < VAL_MAX) {
                buf[part][len[part]++] = (char)c;
            } else {
                len[part] = VAL_MAX;
            }
        }
        if (len[0] >= VAL_MAX || len[1] >= VAL_MAX) {
            continue;
        }
        buf[0][len[0]] = buf[1][len[1]] = '\0';
        char *dst = !strcmp(buf[0], "groupId")      ? g
                    : !strcmp(buf[0], "artifactId") ? art
                    : !strcmp(buf[0], "version")    ? v
                                                    : NULL;
        if (dst && good_value(buf[1])) {
            memcpy(dst, buf[1], len[1] + 1);
        }
    }
}

/* ---- MANIFEST.MF main section ------------------------------------- */

enum { M_TITLE, M_VERSION, M_VENDOR_ID, M_BSN, M_BVERSION, M_N };
static const char *const MF_KEYS[M_N] = {
    "implementation-title", "implementation-version",
    "implementation-vendor-id", "bundle-symbolicname", "bundle-version"};

static void manifest(const uint8_t *d, size_t n, char vals[M_N][VAL_MAX])
{
    for (int k = 0; k < M_N; k++) {
        vals[k][0] = '\0';
    }
    size_t i = 0;
    int cur = -1; /* key of the header being continued */
    size_t cl = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && d[i] != '\n' && d[i] != '\r') {
            i++;
        }
        size_t e = i;
        if (i < n && d[i] == '\r') {
            i++;
        }
        if (i < n && d[i] == '\n' && (i == e || d[i - 1] == '\r' || i == e)) {
            i++;
        }
        if (e == s) {
            break; /* end of the main section */
        }
        if (d[s] == ' ') { /* continuation */
            if (cur >= 0) {
                for (size_t k = s + 1; k < e; k++) {
                    if (cl + 1 < VAL_MAX) {
                        vals[cur][cl++] = (char)d[k];
                    } else {
                        cl = VAL_MAX;
                    }
                }
                if (cl < VAL_MAX) {
                    vals[cur][cl] = '\0';
                } else {
                    vals[cur][0] = '\0';
                    cur = -1;
                }
            }
            continue;
        }
        cur = -1;
        const uint8_t *colon = memchr(d + s, ':', e - s);
        if (!colon) {
            continue;
        }
        size_t kl = (size_t)(colon - (d + s));
        for (int k = 0; k < M_N; k++) {
            if (strlen(MF_KEYS[k]) != kl) {
                continue;
            }
            size_t j = 0;
            while (j < kl && lc((char)d[s + j]) == MF_KEYS[k][j]) {
                j++;
            }
            if (j != kl) {
                continue;
            }
            size_t vs = s + kl + 1;
            if (vs < e && d[vs] == ' ') {
                vs++;
            }
            if (e - vs + 1 > VAL_MAX) {
                break;
            }
            memcpy(vals[k], d + vs, e - vs);
            vals[k][e - vs] = '\0';
            cur = k;
            cl = e - vs;
            break;
        }
    }
    /* a symbolic name's directives: "org.x.y;singleton:=true" */
    char *semi = strchr(vals[M_BSN], ';');
    if (semi) {
        *semi = '\0';
    }
    for (int k = 0; k < M_N; k++) {
        size_t l = strlen(vals[k]);
        while (l && vals[k][l - 1] == ' ') {
            vals[k][--l] = '\0';
        }
        if (!good_value(vals[k])) {
            vals[k][0] = '\0';
        }
    }
}

/* ---- one archive ---------------------------------------------------- */

static int push(jctx *c,
                const char *name,
                const char *version,
                const char *path,
                const char *sha1,
                const char *why)
{
    dd__java_pkg *p = dd__vec_push(c->out);
    if (!p) {
        return DD_ENOMEM;
    }
    p->name = name ? dd__arena_strdup(c->a, name) : NULL;
    p->version = version ? dd__arena_strdup(c->a, version) : NULL;
    p->path = dd__arena_strdup(c->a, path);
    p->sha1 = sha1 ? dd__arena_strdup(c->a, sha1) : NULL;
    p->why = why ? dd__arena_strdup(c->a, why) : NULL;
    p->license = NULL;
    if ((name && !p->name) || (version && !p->version) || !p->path ||
        (sha1 && !p->sha1) || (why && !p->why)) {
        return DD_ENOMEM;
    }
    return 0;
}

static int warn(jctx *c, const char *path, const char *why)
{
    if (c->n_warn >= MAX_WARN) {
        c->dropped++;
        return 0;
    }
    c->n_warn++;
    return push(c, NULL, NULL, path, NULL, why);
}

/* "META-INF/maven/<g>/<a>/pom.properties": g and a into out (VAL_MAX) */
static int pom_entry(const dd__zip_entry *e, char *g, char *art)
{
    static const char pre[] = "META-INF/maven/", suf[] = "/pom.properties";
    size_t pl = sizeof pre - 1, sl = sizeof suf - 1, n = e->name_len;
    if (n <= pl + sl + 2 || memcmp(e->name, pre, pl) ||
        memcmp(e->name + n - sl, suf, sl)) {
        return 0;
    }
    const char *m = e->name + pl;
    size_t ml = n - pl - sl;
    const char *sl2 = memchr(m, '/', ml);
    if (!sl2 || sl2 == m || sl2 == m + ml - 1 ||
        memchr(sl2 + 1, '/', (size_t)(m + ml - sl2 - 1)) ||
        (size_t)(sl2 - m) >= VAL_MAX || ml >= VAL_MAX) {
        return 0;
    }
    memcpy(g, m, (size_t)(sl2 - m));
    g[sl2 - m] = '\0';
    memcpy(art, sl2 + 1, (size_t)(m + ml - sl2 - 1));
    art[m + ml - sl2 - 1] = '\0';
    return good_value(g) && good_value(art);
}

/* artifact and version of "dir/artifact-1.2.3.jar" (VAL_MAX each) */
static void file_name(const char *path, char *art, char *ver)
{
    art[0] = ver[0] = '\0';
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n <= 4 || n - 4 >= VAL_MAX) {
        return;
    }
    n -= 4; /* the extension */
    size_t k = 0;
    while (k + 1 < n && !(b[k] == '-' && b[k + 1] >= '0' && b[k + 1] <= '9')) {
        k++;
    }
    memcpy(art, b, k + 1 < n ? k : n);
    art[k + 1 < n ? k : n] = '\0';
    if (k + 1 < n) {
        memcpy(ver, b + k + 1, n - k - 1);
        ver[n - k - 1] = '\0';
    }
    if (!good_value(art)) {
        art[0] = '\0';
    }
    if (!good_value(ver)) {
        ver[0] = '\0';
    }
}

static int token(const char *s)
{
    if (!*s) {
        return 0;
    }
    for (; *s; s++) {
        if (*s == ' ' || *s == ':' || *s == '/') {
            return 0;
        }
    }
    return 1;
}

/* the package of an archive without pom.properties */
static int from_manifest(jctx *c,
                         const dd__zip *z,
                         const dd__zip_entry *mf,
                         const char *path,
                         const char *sha1)
{
    char vals[M_N][VAL_MAX], fa[VAL_MAX], fv[VAL_MAX];
    char why[256];
    for (int k = 0; k < M_N; k++) {
        vals[k][0] = '\0';
    }
    if (mf) {
        const uint8_t *d;
        size_t n;
        int rc = dd__zip_member(z, mf, JAVA_META_MAX, &c->budget, &c->meta, &d,
                                &n, why, sizeof why);
        if (rc == DD_ENOMEM) {
            return rc;
        }
        if (rc) {
            char m[320];
            snprintf(m, sizeof m, "META-INF/MANIFEST.MF: %s", why);
            if ((rc = warn(c, path, m))) {
                return rc;
            }
        } else {
            manifest(d, n, vals);
        }
    }
    file_name(path, fa, fv);
    const char *art = token(vals[M_TITLE]) ? vals[M_TITLE] : fa;
    const char *bsn = vals[M_BSN];
    if (!*art && *bsn) {
        const char *dot = strrchr(bsn, '.');
        art = dot ? dot + 1 : bsn;
    }
    const char *ver = *vals[M_VERSION]    ? vals[M_VERSION]
                      : *vals[M_BVERSION] ? vals[M_BVERSION]
                                          : fv;
    if (!*art || !*ver || !token(art)) {
        return 0; /* nothing names it */
    }
    char grp[VAL_MAX];
    snprintf(grp, sizeof grp, "%s", art);
    size_t al = strlen(art), bl = strlen(bsn);
    const char *dot = strrchr(bsn, '.');
    if (token(vals[M_VENDOR_ID])) {
        snprintf(grp, sizeof grp, "%s", vals[M_VENDOR_ID]);
    } else if (bl > al + 1 && bsn[bl - al - 1] == '.' &&
               !strcmp(bsn + bl - al, art)) {
        snprintf(grp, sizeof grp, "%.*s", (int)(bl - al - 1), bsn);
    } else if (dot && token(bsn)) {
        /* Maven's bundle plugin: group "org.x.commons" + artifact
         * "commons-lang3" -> "org.x.commons.lang3" */
        const char *pd = dot;
        while (pd > bsn && pd[-1] != '.') {
            pd--;
        }
        size_t segl = (size_t)(dot - pd);
        if (al == segl + 1 + strlen(dot + 1) && !strncmp(art, pd, segl) &&
            art[segl] == '-' && !strcmp(art + segl + 1, dot + 1)) {
            snprintf(grp, sizeof grp, "%.*s", (int)(dot - bsn), bsn);
        }
    }
    char name[2 * VAL_MAX + 2];
    snprintf(name, sizeof name, "%s:%s", grp, art);
    return push(c, name, ver, path, sha1, NULL);
}

static int archive(jctx *c,
                   const uint8_t *data,
                   size_t len,
                   const char *path,
                   unsigned depth,
                   char *why,
                   size_t why_n);

/* read the nested archive `e` of z (at `path`, depth `depth` + 1) */
static int nested(jctx *c,
                  const dd__zip *z,
                  const dd__zip_entry *e,
                  const char *outer,
                  unsigned depth)
{
    char *path = dd__asprintf("%s!/%.*s", outer, (int)e->name_len, e->name);
    if (!path) {
        return DD_ENOMEM;
    }
    char why[320] = "";
    int rc = 0;
    if (c->skipped ||
        (depth + 1 <= DD_ZIP_MAX_DEPTH &&
         (e->usize > c->budget.left || c->archives >= JAVA_MAX_ARCHIVES))) {
        /* the outer archive's budget is spent: count, do not warn each */
        c->skipped++;
        dd__free(path);
        return 0;
    }
    if (depth + 1 > DD_ZIP_MAX_DEPTH) {
        snprintf(why, sizeof why, "archive nested more than %u deep: not read",
                 DD_ZIP_MAX_DEPTH);
        rc = DD_ELIMIT;
    } else if (++c->archives > JAVA_MAX_ARCHIVES) {
        snprintf(why, sizeof why,
                 "over %u archives in one outer archive: not read",
                 JAVA_MAX_ARCHIVES);
        rc = DD_ELIMIT;
    }
    const uint8_t *d = NULL;
    size_t n = 0;
    dd__buf *nb = rc ? NULL : &c->nest[depth];
    if (!rc) {
        uint64_t cap = e->method == 0 ? JAVA_MAX_BYTES
                                      : (uint64_t)(JAVA_NESTED_LIVE - c->live);
        rc = dd__zip_member(z, e, cap, &c->budget, nb, &d, &n, why, sizeof why);
    }
    if (!rc) {
        size_t held = e->method == 0 ? 0 : n;
        c->live += held;
        rc = archive(c, d, n, path, depth + 1, why, sizeof why);
        c->live -= held;
    }
    if (nb && nb->cap > (1u << 20)) { /* do not keep a big one for siblings */
        dd__buf_free(nb);
        dd__buf_init(nb, JAVA_NESTED_LIVE + 1);
    }
    if (rc && rc != DD_ENOMEM) {
        rc = warn(c, path, why[0] ? why : dd_strerror(rc));
    }
    dd__free(path);
    return rc;
}

typedef struct pomref {
    dd__zip_entry e;
    char g[VAL_MAX], a[VAL_MAX];
} pomref;

/* The license names of a pom.xml: each <name> inside <license> inside
 * <licenses>, " OR "-joined into out (n bytes), "" when none. Not an XML
 * parser: the first <licenses> element only, names of printable
 * characters without markup, entities left as written. */
static void pom_licenses(const uint8_t *d, size_t len, char *out, size_t n)
{
    const char *s = (const char *)d, *end = s + len;
    size_t o = 0;
    out[0] = '\0';
    const char *ls = memmem(s, len, "<licenses>", 10);
    const char *le =
        ls ? memmem(ls, (size_t)(end - ls), "</licenses>", 11) : NULL;
    for (const char *q = ls; q && le && q < le;) {
        const char *nm = memmem(q, (size_t)(le - q), "<name>", 6);
        if (!nm) {
            break;
        }
        nm += 6;
        const char *ne = memmem(nm, (size_t)(le - nm), "</name>", 7);
        if (!ne) {
            break;
        }
        while (nm < ne &&
               (*nm == ' ' || *nm == '\n' || *nm == '\r' || *nm == '\t')) {
            nm++;
        }
        size_t k = (size_t)(ne - nm);
        while (k && (nm[k - 1] == ' ' || nm[k - 1] == '\n' ||
                     nm[k - 1] == '\r' || nm[k - 1] == '\t')) {
            k--;
        }
        int ok = k > 0 && k < 200;
        for (size_t i = 0; ok && i < k; i++) {
            unsigned char ch = (unsigned char)nm[i];
            ok = ch >= 0x20 && ch != 0x7f && ch != '<' && ch != '>';
        }
        if (ok && o + k + 5 < n) {
            if (o) {
                memcpy(out + o, " OR ", 4);
                o += 4;
            }
            memcpy(out + o, nm, k);
            o += k;
            out[o] = '\0';
        }
        q = ne + 7;
    }
}

/* "META-INF/maven/<g>/<a>/pom.xml" next to pom.properties `p` */
static int pom_xml_of(const dd__zip_entry *e, const pomref *p)
{
    static const char pre[] = "META-INF/maven/";
    size_t gl = strlen(p->g), al = strlen(p->a), pl = sizeof pre - 1;
    return e->name_len == pl + gl + 1 + al + 8 && !memcmp(e->name, pre, pl) &&
           !memcmp(e->name + pl, p->g, gl) && e->name[pl + gl] == '/' &&
           !memcmp(e->name + pl + gl + 1, p->a, al) &&
           !memcmp(e->name + pl + gl + 1 + al, "/pom.xml", 8);
}

static int archive(jctx *c,
                   const uint8_t *data,
                   size_t len,
                   const char *path,
                   unsigned depth,
                   char *why,
                   size_t why_n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdl = 0;
    char sha1[41];
    if (EVP_Digest(data, len, md, &mdl, EVP_sha1(), NULL) != 1 || mdl != 20) {
        return DD_ENOMEM;
    }
    dd__hex(md, 20, sha1);
    dd__zip z;
    int rc = dd__zip_open(&z, data, len, why, why_n);
    if (rc) {
        return rc;
    }
    dd__vec poms, subs, xmls;
    dd__vec_init(&poms, sizeof(pomref));
    dd__vec_init(&subs, sizeof(dd__zip_entry));
    dd__vec_init(&xmls, sizeof(dd__zip_entry));
    dd__zip_entry e, mf;
    int have_mf = 0;
    while ((rc = dd__zip_next(&z, &e, why, why_n)) == 1) {
        char g[VAL_MAX], a[VAL_MAX];
        if (pom_entry(&e, g, a)) {
            pomref *p = dd__vec_push(&poms);
            if (!p) {
                rc = DD_ENOMEM;
                break;
            }
            p->e = e;
            memcpy(p->g, g, sizeof g);
            memcpy(p->a, a, sizeof a);
        } else if (e.name_len > 23 &&
                   !memcmp(e.name + e.name_len - 8, "/pom.xml", 8) &&
                   !memcmp(e.name, "META-INF/maven/", 15)) {
            dd__zip_entry *x = dd__vec_push(&xmls);
            if (!x) {
                rc = DD_ENOMEM;
                break;
            }
            *x = e;
        } else if (dd__zip_name_is(&e, "META-INF/MANIFEST.MF")) {
            mf = e;
            have_mf = 1;
        } else if (e.name_len > 4 && e.name[e.name_len - 1] != '/' &&
                   archive_name(e.name, e.name_len)) {
            dd__zip_entry *s = dd__vec_push(&subs);
            if (!s) {
                rc = DD_ENOMEM;
                break;
            }
            *s = e;
        }
    }
    /* the main pom: its artifact starts the file name */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n_main = 0, found = 0;
    for (size_t i = 0; !rc && i < poms.len; i++) {
        const pomref *p = DD_VEC_AT(&poms, pomref, i);
        size_t al = strlen(p->a);
        n_main +=
            !strncmp(base, p->a, al) && (base[al] == '-' || base[al] == '.');
    }
    for (size_t i = 0; !rc && i < poms.len; i++) {
        pomref *p = DD_VEC_AT(&poms, pomref, i);
        const uint8_t *d;
        size_t n;
        char w[320];
        int r = dd__zip_member(&z, &p->e, JAVA_META_MAX, &c->budget, &c->meta,
                               &d, &n, w, sizeof w);
        if (r == DD_ENOMEM) {
            rc = r;
            break;
        }
        if (r) {
            char m[400];
            snprintf(m, sizeof m, "%.*s: %s", (int)p->e.name_len, p->e.name, w);
            rc = warn(c, path, m);
            continue;
        }
        char g[VAL_MAX], a[VAL_MAX], v[VAL_MAX];
        props(d, n, g, a, v);
        if (!*v) {
            continue;
        }
        const char *gg = *g ? g : p->g, *aa = *a ? a : p->a;
        if (!token(gg) || !token(aa)) {
            continue;
        }
        size_t al = strlen(p->a);
        int main = !n_main || (!strncmp(base, p->a, al) &&
                               (base[al] == '-' || base[al] == '.'));
        char name[2 * VAL_MAX + 2];
        snprintf(name, sizeof name, "%s:%s", gg, aa);
        rc = push(c, name, v, path, main ? sha1 : NULL, NULL);
        found++;
        /* licenses from the pom.xml beside it (read after its
         * properties: the same scratch buffer) */
        for (size_t x = 0; !rc && x < xmls.len; x++) {
            const dd__zip_entry *xe = DD_VEC_AT(&xmls, dd__zip_entry, x);
            if (!pom_xml_of(xe, p)) {
                continue;
            }
            const uint8_t *xd;
            size_t xn;
            char w2[320], lic[512];
            int r2 = dd__zip_member(&z, xe, JAVA_META_MAX, &c->budget, &c->meta,
                                    &xd, &xn, w2, sizeof w2);
            if (r2 == DD_ENOMEM) {
                rc = r2;
            } else if (!r2) {
                pom_licenses(xd, xn, lic, sizeof lic);
                dd__java_pkg *jp =
                    DD_VEC_AT(c->out, dd__java_pkg, c->out->len - 1);
                if (lic[0] && !(jp->license = dd__arena_strdup(c->a, lic))) {
                    rc = DD_ENOMEM;
                }
            }
            break;
        }
    }
    if (!rc && !found) {
        rc = from_manifest(c, &z, have_mf ? &mf : NULL, path, sha1);
    }
    for (size_t i = 0; !rc && i < subs.len; i++) {
        rc = nested(c, &z, DD_VEC_AT(&subs, dd__zip_entry, i), path, depth);
    }
    dd__vec_free(&poms);
    dd__vec_free(&subs);
    dd__vec_free(&xmls);
    return rc;
}

int dd__java_archive(dd__arena *a,
                     const uint8_t *data,
                     size_t len,
                     const char *path,
                     dd__vec *out,
                     char *why,
                     size_t why_n)
{
    jctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    c.budget.left = JAVA_MAX_BYTES;
    c.archives = 1;
    dd__buf_init(&c.meta, JAVA_META_MAX + 1);
    for (unsigned i = 0; i < DD_ZIP_MAX_DEPTH; i++) {
        dd__buf_init(&c.nest[i], JAVA_NESTED_LIVE + 1);
    }
    size_t start = out->len;
    int rc = archive(&c, data, len, path, 0, why, why_n);
    if (!rc && (c.skipped || c.dropped)) {
        char m[200];
        snprintf(m, sizeof m,
                 "%u nested archive(s) not read (over %llu bytes or %u "
                 "archives read from it), %u more warning(s) not shown",
                 c.skipped, (unsigned long long)JAVA_MAX_BYTES,
                 JAVA_MAX_ARCHIVES, c.dropped);
        rc = push(&c, NULL, NULL, path, NULL, m);
    }
    dd__buf_free(&c.meta);
    for (unsigned i = 0; i < DD_ZIP_MAX_DEPTH; i++) {
        dd__buf_free(&c.nest[i]);
    }
    if (rc) {
        out->len = start; /* the outer archive failed: nothing from it */
    }
    return rc;
}
