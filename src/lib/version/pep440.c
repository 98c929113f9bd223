/*
 * lib/version/pep440.c - Python versions (PEP 440).
 *
 *   [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 * with the spellings PEP 440 normalises: alpha/beta/c/pre/preview,
 * rev/r and "-N" for post, optional separators [-_.] and implicit 0
 * numbers, any case, surrounding blanks. Ordering as `packaging` does:
 * epoch, release (trailing zeros ignored), then a dev-only release before
 * any pre-release, pre-releases before the final, post-releases after it,
 * dev before its non-dev twin, and local segments last (numeric segments
 * above alphanumeric ones, a longer list above its prefix).
 */
#include <string.h>

#include "version_int.h"

#define P_MAX_REL 64

typedef struct num {
    const char *s;
    size_t n; /* digits, leading zeros stripped; n == 0 means 0 */
} num;

typedef struct pv {
    num epoch;
    num rel[P_MAX_REL];
    size_t nrel;
    int pre; /* 0 none, 1 a, 2 b, 3 rc */
    num pre_n;
    int has_post;
    num post_n;
    int has_dev;
    num dev_n;
    const char *local; /* lowercase compare; NULL none */
    size_t local_n;
} pv;

static int lc(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static int take_num(const char **p, const char *e, num *out)
{
    const char *s = *p;
    while (*p < e && dig(**p)) {
        (*p)++;
    }
    if (*p == s) {
        return 0;
    }
    while (s < *p && *s == '0') {
        s++;
    }
    out->s = s;
    out->n = (size_t)(*p - s);
    return 1;
}

/* case-insensitive word at *p */
static int word(const char **p, const char *e, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(e - *p) < n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (lc((*p)[i]) != w[i]) {
            return 0;
        }
    }
    *p += n;
    return 1;
}

static int sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

static int parse(const char *s, pv *v)
{
    memset(v, 0, sizeof *v);
    const char *e = s + strlen(s);
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
    }
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n')) {
        e--;
    }
    if (s < e && lc(*s) == 'v') {
        s++;
    }
    const char *p = s;
    num first;
    if (!take_num(&p, e, &first)) {
        return -1;
    }
    if (p < e && *p == '!') {
        v->epoch = first;
        p++;
        if (!take_num(&p, e, &v->rel[0])) {
            return -1;
        }
    } else {
        v->rel[0] = first;
    }
    v->nrel = 1;
    while (p + 1 < e && *p == '.' && dig(p[1])) {
        if (v->nrel >= P_MAX_REL) {
            return -1;
        }
        p++;
        take_num(&p, e, &v->rel[v->nrel++]);
    }
    /* pre-release */
    const char *q = p;
    if (q < e && sep(*q)) {
        q++;
    }
    static const struct {
        const char *w;
        int k;
    } pres[] = {{"alpha", 1},   {"a", 1},   {"beta", 2}, {"b", 2},
                {"preview", 3}, {"pre", 3}, {"rc", 3},   {"c", 3}};
    for (size_t i = 0; i < sizeof pres / sizeof *pres; i++) {
        const char *r = q;
        if (word(&r, e, pres[i].w)) {
            v->pre = pres[i].k;
            if (r < e && sep(*r) && r + 1 < e && dig(r[1])) {
                r++;
            }
            take_num(&r, e, &v->pre_n);
            p = r;
            break;
        }
    }
    /* post-release: "-N" or [sep](post|rev|r)[sep][N] */
    q = p;
    if (q + 1 < e && *q == '-' && dig(q[1])) {
        q++;
        take_num(&q, e, &v->post_n);
        v->has_post = 1;
        p = q;
    } else {
        if (q < e && sep(*q)) {
            q++;
        }
        static const char *const posts[] = {"post", "rev", "r"};
        for (size_t i = 0; i < 3; i++) {
            const char *r = q;
            if (word(&r, e, posts[i])) {
                v->has_post = 1;
                if (r < e && sep(*r) && r + 1 < e && dig(r[1])) {
                    r++;
                }
                take_num(&r, e, &v->post_n);
                p = r;
                break;
            }
        }
    }
    /* dev-release */
    q = p;
    if (q < e && sep(*q)) {
        q++;
    }
    if (word(&q, e, "dev")) {
        v->has_dev = 1;
        if (q < e && sep(*q) && q + 1 < e && dig(q[1])) {
            q++;
        }
        take_num(&q, e, &v->dev_n);
        p = q;
    }
    /* local */
    if (p < e && *p == '+') {
        p++;
        const char *ls = p;
        int need = 1;
        while (p < e) {
            char c = (char)lc(*p);
            if ((c >= 'a' && c <= 'z') || dig(c)) {
                need = 0;
            } else if (sep(c) && !need) {
                need = 1;
            } else {
                return -1;
            }
            p++;
        }
        if (need) {
            return -1;
        }
        v->local = ls;
        v->local_n = (size_t)(p - ls);
    }
    return p == e ? 0 : -1;
}

static int ncmp(num a, num b)
{
    if (a.n != b.n) {
        return a.n < b.n ? -1 : 1;
    }
    int c = a.n ? memcmp(a.s, b.s, a.n) : 0;
    return c < 0 ? -1 : c > 0;
}

/* pre-release key: -2 dev-only, 3 none... as (class, number) */
static int pre_cmp(const pv *a, const pv *b)
{
    int ka = a->pre ? a->pre : (!a->has_post && a->has_dev) ? -1 : 9;
    int kb = b->pre ? b->pre : (!b->has_post && b->has_dev) ? -1 : 9;
    if (ka != kb) {
        return ka < kb ? -1 : 1;
    }
    return a->pre ? ncmp(a->pre_n, b->pre_n) : 0;
}

static int local_cmp(const pv *a, const pv *b)
{
    if (!a->local || !b->local) {
        return !a->local && !b->local ? 0 : !a->local ? -1 : 1;
    }
    const char *x = a->local, *xe = x + a->local_n;
    const char *y = b->local, *ye = y + b->local_n;
    while (x < xe && y < ye) {
        const char *xs = x, *ys = y;
        while (x < xe && !sep(*x)) {
            x++;
        }
        while (y < ye && !sep(*y)) {
            y++;
        }
        int xn = 1, yn = 1;
        for (const char *t = xs; t < x; t++) {
            xn &= dig(*t);
        }
        for (const char *t = ys; t < y; t++) {
            yn &= dig(*t);
        }
        int c;
        if (xn && yn) {
            const char *p1 = xs, *p2 = ys;
            num na = {"", 0}, nb = {"", 0};
            take_num(&p1, x, &na);
            take_num(&p2, y, &nb);
            c = ncmp(na, nb);
        } else if (xn != yn) {
            c = xn ? 1 : -1;
        } else {
            c = 0;
            size_t la = (size_t)(x - xs), lb = (size_t)(y - ys);
            for (size_t i = 0; i < la && i < lb && !c; i++) {
                c = lc(xs[i]) - lc(ys[i]);
            }
            if (!c && la != lb) {
                c = la < lb ? -1 : 1;
            }
        }
        if (c) {
            return c < 0 ? -1 : 1;
        }
        if (x < xe) {
            x++;
        }
        if (y < ye) {
            y++;
        }
    }
    return x < xe ? 1 : y < ye ? -1 : 0;
}

int dd__vercmp_pep440(const char *a, const char *b, int *cmp)
{
    pv x, y;
    if (parse(a, &x) || parse(b, &y)) {
        return DD_EINVALID;
    }
    int c = ncmp(x.epoch, y.epoch);
    if (!c) {
        size_t n = x.nrel > y.nrel ? x.nrel : y.nrel;
        num zero = {"", 0};
        for (size_t i = 0; i < n && !c; i++) {
            c = ncmp(i < x.nrel ? x.rel[i] : zero,
                     i < y.nrel ? y.rel[i] : zero);
        }
    }
    if (!c) {
        c = pre_cmp(&x, &y);
    }
    if (!c && x.has_post != y.has_post) {
        c = x.has_post ? 1 : -1;
    } else if (!c && x.has_post) {
        c = ncmp(x.post_n, y.post_n);
    }
    if (!c && x.has_dev != y.has_dev) {
        c = x.has_dev ? -1 : 1;
    } else if (!c && x.has_dev) {
        c = ncmp(x.dev_n, y.dev_n);
    }
    if (!c) {
        c = local_cmp(&x, &y);
    }
    *cmp = c;
    return 0;
}
