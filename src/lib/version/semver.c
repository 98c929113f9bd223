/*
 * lib/version/semver.c - node-semver 7 versions and ranges.
 *
 * Versions: MAJOR.MINOR.PATCH[-pre][+build], an optional leading "v";
 * numbers without leading zeros and at most 2^53-1 (JavaScript's safe
 * integers); at most 256 characters. Loose mode accepts leading "v", "="
 * and blanks, leading zeros, and a prerelease without its "-".
 * Precedence: numbers, then a version without prerelease above one with,
 * then prerelease identifiers (numeric < alphanumeric, numbers by value,
 * strings by ASCII, a longer list above its prefix). Build is ignored.
 *
 * Ranges: sets joined by "||"; a set is "A - B" (hyphen range) or
 * comparators separated by blanks, each "~X", "~>X", "^X", an X-range
 * ("1.x", "1.2.*", "*") with an optional <, <=, >, >=, = in front, or a
 * plain comparator. They are desugared into primitive comparators exactly
 * as node-semver does (e.g. ^0.2.3 -> >=0.2.3 <0.3.0-0). A version with a
 * prerelease satisfies a set only if some comparator of the set has a
 * prerelease on the same MAJOR.MINOR.PATCH, unless includePrerelease is
 * set. Invalid ranges and versions never satisfy (node-semver's
 * satisfies() returns false for them); we report DD_EINVALID.
 */
#include <stdio.h>
#include <string.h>

#include "version_int.h"

#define SV_MAX_LEN 256
#define SAFE_INT   9007199254740991ULL

typedef struct sv {
    uint64_t n[3];
    char pre[SV_MAX_LEN + 1]; /* dot-separated identifiers, "" if none */
} sv;

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

static int isidc(char c)
{
    return isdig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '-';
}

static int isblank_(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A numeric identifier at *p; 0 ok. */
static int number(const char **p, const char *e, int loose, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    while (*p < e && isdig(**p)) {
        v = v * 10 + (uint64_t)(**p - '0');
        if (v > SAFE_INT) {
            return -1;
        }
        (*p)++;
    }
    if (*p == s || (!loose && s[0] == '0' && *p - s > 1)) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Prerelease identifiers at *p (after the optional '-'); copies them. */
static int prerelease(const char **p, const char *e, int loose, char *out)
{
    size_t o = 0;
    for (;;) {
        const char *s = *p;
        int alpha = 0;
        while (*p < e && isidc(**p)) {
            alpha |= !isdig(**p);
            (*p)++;
        }
        size_t n = (size_t)(*p - s);
        if (!n || (!alpha && !loose && s[0] == '0' && n > 1)) {
            return -1;
        }
        if (o + n + 1 > SV_MAX_LEN) {
            return -1;
        }
        memcpy(out + o, s, n);
        o += n;
        if (*p < e && **p == '.') {
            out[o++] = '.';
            (*p)++;
            continue;
        }
        out[o] = '\0';
        return 0;
    }
}

static int build(const char **p, const char *e)
{
    for (;;) {
        const char *s = *p;
        while (*p < e && isidc(**p)) {
            (*p)++;
        }
        if (*p == s) {
            return -1;
        }
        if (*p < e && **p == '.') {
            (*p)++;
            continue;
        }
        return 0;
    }
}

/* What may follow MAJOR.MINOR.PATCH: [-]prerelease (the '-' optional in
 * loose mode), +build, then the end. */
static int tail(const char *s, const char *e, int loose, char *pre)
{
    if (s < e && (*s == '-' || (loose && *s != '+'))) {
        if (*s == '-') {
            s++;
        }
        if (prerelease(&s, e, loose, pre)) {
            return -1;
        }
    }
    if (s < e && *s == '+') {
        s++;
        if (build(&s, e)) {
            return -1;
        }
    }
    return s == e ? 0 : -1;
}

/* Parse a whole version [s, e). */
static int parse_sv(const char *s, const char *e, unsigned flags, sv *v)
{
    int loose = flags & DD_SEMVER_LOOSE;
    while (s < e && isblank_(*s)) {
        s++;
    }
    while (e > s && isblank_(e[-1])) {
        e--;
    }
    if (e - s > SV_MAX_LEN) {
        return -1;
    }
    if (loose) {
        while (s < e && (*s == 'v' || *s == '=' || isblank_(*s))) {
            s++;
        }
    } else if (s < e && *s == 'v') {
        s++;
    }
    for (int i = 0; i < 3; i++) {
        if (i && (s >= e || *s++ != '.')) {
            return -1;
        }
        if (number(&s, e, loose, &v->n[i])) {
            return -1;
        }
    }
    v->pre[0] = '\0';
    return tail(s, e, loose, v->pre);
}

static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
    int anum = 1, bnum = 1;
    for (size_t i = 0; i < an; i++) {
        anum &= isdig(a[i]);
    }
    for (size_t i = 0; i < bn; i++) {
        bnum &= isdig(b[i]);
    }
    if (anum && bnum) {
        while (an > 1 && *a == '0') {
            a++, an--;
        }
        while (bn > 1 && *b == '0') {
            b++, bn--;
        }
        if (an != bn) {
            return an < bn ? -1 : 1;
        }
        int c = memcmp(a, b, an);
        return c < 0 ? -1 : c > 0;
    }
    if (anum != bnum) {
        return anum ? -1 : 1;
    }
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c) {
        return c < 0 ? -1 : 1;
    }
    return an == bn ? 0 : an < bn ? -1 : 1;
}

static int sv_cmp(const sv *a, const sv *b)
{
    for (int i = 0; i < 3; i++) {
        if (a->n[i] != b->n[i]) {
            return a->n[i] < b->n[i] ? -1 : 1;
        }
    }
    if (!a->pre[0] || !b->pre[0]) {
        return !a->pre[0] && !b->pre[0] ? 0 : !a->pre[0] ? 1 : -1;
    }
    const char *x = a->pre, *y = b->pre;
    for (;;) {
        const char *xe = strchr(x, '.'), *ye = strchr(y, '.');
        size_t xn = xe ? (size_t)(xe - x) : strlen(x);
        size_t yn = ye ? (size_t)(ye - y) : strlen(y);
        int c = cmp_ident(x, xn, y, yn);
        if (c) {
            return c;
        }
        if (!xe || !ye) {
            return !xe && !ye ? 0 : !xe ? -1 : 1;
        }
        x = xe + 1;
        y = ye + 1;
    }
}

int dd_semver_compare(const char *a, const char *b, unsigned flags, int *cmp)
{
    sv x, y;
    if (parse_sv(a, a + strlen(a), flags, &x) ||
        parse_sv(b, b + strlen(b), flags, &y)) {
        return DD_EINVALID;
    }
    *cmp = sv_cmp(&x, &y);
    return 0;
}

/* ---- ranges ------------------------------------------------------------ */

enum op { OP_ANY, OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct comparator {
    enum op op;
    sv v;
} comparator;

#define MAX_COMPS 64

typedef struct cset {
    comparator c[MAX_COMPS];
    size_t n;
    int invalid;
} cset;

/* x-range identifiers: a number or an X (x, X or star) */
typedef struct xr {
    int count;  /* identifiers present (1..3) */
    int isx[3]; /* missing, x, X or star */
    uint64_t n[3];
    char pre[SV_MAX_LEN + 1];
} xr;

static int xid(const char **p, const char *e, int loose, int *isx, uint64_t *n)
{
    if (*p < e && (**p == 'x' || **p == 'X' || **p == '*')) {
        (*p)++;
        *isx = 1;
        return 0;
    }
    *isx = 0;
    return number(p, e, loose, n);
}

/* XRANGEPLAIN over the whole of [s, e) */
static int parse_xr(const char *s, const char *e, unsigned flags, xr *x)
{
    int loose = flags & DD_SEMVER_LOOSE;
    memset(x, 0, sizeof *x);
    x->isx[0] = x->isx[1] = x->isx[2] = 1;
    while (s < e && (*s == 'v' || *s == '=' || isblank_(*s))) {
        s++;
    }
    if (e - s > SV_MAX_LEN) {
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        if (i) {
            if (s >= e || *s != '.') {
                break;
            }
            s++;
        }
        if (xid(&s, e, loose, &x->isx[i], &x->n[i])) {
            return -1;
        }
        x->count = i + 1;
    }
    return x->count == 3 ? tail(s, e, loose, x->pre) : (s == e ? 0 : -1);
}

static int
add(cset *cs, enum op op, uint64_t M, uint64_t m, uint64_t p, const char *pre)
{
    if (cs->n >= MAX_COMPS || M > SAFE_INT || m > SAFE_INT || p > SAFE_INT) {
        cs->invalid = 1;
        return -1;
    }
    comparator *c = &cs->c[cs->n++];
    c->op = op;
    c->v.n[0] = M;
    c->v.n[1] = m;
    c->v.n[2] = p;
    snprintf(c->v.pre, sizeof c->v.pre, "%s", pre ? pre : "");
    return 0;
}

static void add_any(cset *cs)
{
    if (cs->n < MAX_COMPS) {
        cs->c[cs->n++].op = OP_ANY;
    }
}

/* "<0.0.0-0": nothing satisfies */
static void add_none(cset *cs)
{
    add(cs, OP_LT, 0, 0, 0, "0");
}

/* A plain comparator "OPversion" (no x, no ~ ^). */
static void plain(cset *cs, const char *s, const char *e, unsigned flags)
{
    enum op op = OP_EQ;
    if (s < e && (*s == '<' || *s == '>')) {
        int lt = *s == '<';
        s++;
        if (s < e && *s == '=') {
            s++;
            op = lt ? OP_LE : OP_GE;
        } else {
            op = lt ? OP_LT : OP_GT;
        }
    } else if (s < e && *s == '=') {
        s++;
    }
    while (s < e && isblank_(*s)) {
        s++;
    }
    if (s == e && op == OP_EQ) {
        add_any(cs);
        return;
    }
    sv v;
    /* a comparator's version: one optional 'v' (strict) */
    if (parse_sv(s, e, flags, &v)) {
        cs->invalid = 1;
        return;
    }
    if (cs->n >= MAX_COMPS) {
        cs->invalid = 1;
        return;
    }
    cs->c[cs->n].op = op;
    cs->c[cs->n].v = v;
    cs->n++;
}

/* ~ and ^ with an X: with includePrerelease the lower bound admits the
 * bound's own prereleases (-0), as the node-semver suite expects; with a
 * full version it stays as written. */
static void tilde(cset *cs, const xr *x, unsigned flags)
{
    const char *z = (flags & DD_SEMVER_INCLUDE_PRERELEASE) ? "0" : NULL;
    const uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
    if (x->isx[0]) {
        add_any(cs);
    } else if (x->isx[1]) {
        add(cs, OP_GE, M, 0, 0, z);
        add(cs, OP_LT, M + 1, 0, 0, "0");
    } else if (x->isx[2]) {
        add(cs, OP_GE, M, m, 0, z);
        add(cs, OP_LT, M, m + 1, 0, "0");
    } else {
        add(cs, OP_GE, M, m, p, x->pre);
        add(cs, OP_LT, M, m + 1, 0, "0");
    }
}

static void caret(cset *cs, const xr *x, unsigned flags)
{
    const char *z = (flags & DD_SEMVER_INCLUDE_PRERELEASE) ? "0" : NULL;
    const uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
    if (x->isx[0]) {
        add_any(cs);
    } else if (x->isx[1]) {
        add(cs, OP_GE, M, 0, 0, z);
        add(cs, OP_LT, M + 1, 0, 0, "0");
    } else if (x->isx[2]) {
        add(cs, OP_GE, M, m, 0, z);
        if (M == 0) {
            add(cs, OP_LT, M, m + 1, 0, "0");
        } else {
            add(cs, OP_LT, M + 1, 0, 0, "0");
        }
    } else if (x->pre[0]) {
        add(cs, OP_GE, M, m, p, x->pre);
        if (M == 0 && m == 0) {
            add(cs, OP_LT, M, m, p + 1, "0");
        } else if (M == 0) {
            add(cs, OP_LT, M, m + 1, 0, "0");
        } else {
            add(cs, OP_LT, M + 1, 0, 0, "0");
        }
    } else if (M == 0 && m == 0) {
        add(cs, OP_GE, M, m, p, NULL);
        add(cs, OP_LT, M, m, p + 1, "0");
    } else if (M == 0) {
        add(cs, OP_GE, M, m, p, NULL);
        add(cs, OP_LT, M, m + 1, 0, "0");
    } else {
        add(cs, OP_GE, M, m, p, NULL);
        add(cs, OP_LT, M + 1, 0, 0, "0");
    }
}

/* An x-range with operator gtlt ("", "<", ">", "<=", ">=", "="). Returns
 * 0 when it applied, 1 when there is no X (then it is a plain
 * comparator). */
static int xrange(cset *cs, const char *gtlt, const xr *x, unsigned flags)
{
    int xM = x->isx[0], xm = xM || x->isx[1], xp = xm || x->isx[2];
    if (!xp) {
        return 1;
    }
    const char *pr = (flags & DD_SEMVER_INCLUDE_PRERELEASE) ? "0" : NULL;
    uint64_t M = x->n[0], m = x->n[1], p = 0;
    if (!strcmp(gtlt, "=")) {
        gtlt = "";
    }
    if (xM) {
        if (!strcmp(gtlt, ">") || !strcmp(gtlt, "<")) {
            add_none(cs);
        } else {
            add_any(cs);
        }
        return 0;
    }
    if (*gtlt) {
        if (xm) {
            m = 0;
        }
        enum op op = !strcmp(gtlt, ">")    ? OP_GT
                     : !strcmp(gtlt, ">=") ? OP_GE
                     : !strcmp(gtlt, "<")  ? OP_LT
                                           : OP_LE;
        if (op == OP_GT) {
            op = OP_GE;
            if (xm) {
                M++, m = 0;
            } else {
                m++;
            }
        } else if (op == OP_LE) {
            op = OP_LT;
            if (xm) {
                M++;
            } else {
                m++;
            }
        }
        if (op == OP_LT) {
            pr = "0";
        }
        add(cs, op, M, m, p, pr);
        return 0;
    }
    if (xm) {
        add(cs, OP_GE, M, 0, 0, pr);
        add(cs, OP_LT, M + 1, 0, 0, "0");
    } else {
        add(cs, OP_GE, M, m, 0, pr);
        add(cs, OP_LT, M, m + 1, 0, "0");
    }
    return 0;
}

static void token(cset *cs, const char *s, const char *e, unsigned flags)
{
    xr x;
    if (s < e && (*s == '~' || *s == '^')) {
        int is_tilde = *s == '~';
        const char *r = s + 1;
        if (is_tilde && r < e && *r == '>') {
            r++;
        }
        if (parse_xr(r, e, flags, &x)) {
            cs->invalid = 1;
            return;
        }
        if (is_tilde) {
            tilde(cs, &x, flags);
        } else {
            caret(cs, &x, flags);
        }
        return;
    }
    char gtlt[3] = "";
    const char *r = s;
    if (r < e && (*r == '<' || *r == '>')) {
        gtlt[0] = *r++;
        if (r < e && *r == '=') {
            gtlt[1] = *r++;
        }
    } else if (r < e && *r == '=') {
        gtlt[0] = *r++;
    }
    const char *q = r;
    while (q < e && isblank_(*q)) {
        q++;
    }
    if (q < e && !parse_xr(q, e, flags, &x) &&
        xrange(cs, gtlt, &x, flags) == 0) {
        return;
    }
    plain(cs, s, e, flags);
}

/* The end of an operator-with-blanks run: ">= 1.2" is one token. */
static const char *token_end(const char *s, const char *e)
{
    const char *p = s;
    while (p < e &&
           (*p == '<' || *p == '>' || *p == '=' || *p == '~' || *p == '^')) {
        p++;
    }
    if (p > s) {
        while (p < e && isblank_(*p)) {
            p++;
        }
    }
    while (p < e && !isblank_(*p)) {
        p++;
    }
    return p;
}

static void hyphen(cset *cs,
                   const char *fs,
                   const char *fe,
                   const char *ts,
                   const char *te,
                   unsigned flags)
{
    xr f, t;
    int inc = flags & DD_SEMVER_INCLUDE_PRERELEASE;
    if (parse_xr(fs, fe, flags, &f) || parse_xr(ts, te, flags, &t)) {
        cs->invalid = 1;
        return;
    }
    if (f.isx[0]) {
        /* nothing */
    } else if (f.isx[1]) {
        add(cs, OP_GE, f.n[0], 0, 0, inc ? "0" : NULL);
    } else if (f.isx[2]) {
        add(cs, OP_GE, f.n[0], f.n[1], 0, inc ? "0" : NULL);
    } else {
        add(cs, OP_GE, f.n[0], f.n[1], f.n[2],
            f.pre[0] ? f.pre
            : inc    ? "0"
                     : NULL);
    }
    if (t.isx[0]) {
        /* nothing */
    } else if (t.isx[1]) {
        add(cs, OP_LT, t.n[0] + 1, 0, 0, "0");
    } else if (t.isx[2]) {
        add(cs, OP_LT, t.n[0], t.n[1] + 1, 0, "0");
    } else if (t.pre[0]) {
        add(cs, OP_LE, t.n[0], t.n[1], t.n[2], t.pre);
    } else if (inc) {
        add(cs, OP_LT, t.n[0], t.n[1], t.n[2] + 1, "0");
    } else {
        add(cs, OP_LE, t.n[0], t.n[1], t.n[2], NULL);
    }
    if (cs->n == 0) {
        add_any(cs);
    }
}

static void parse_set(cset *cs, const char *s, const char *e, unsigned flags)
{
    cs->n = 0;
    cs->invalid = 0;
    while (s < e && isblank_(*s)) {
        s++;
    }
    while (e > s && isblank_(e[-1])) {
        e--;
    }
    /* hyphen range: X <blanks> - <blanks> Y */
    const char *t1e = s;
    while (t1e < e && !isblank_(*t1e)) {
        t1e++;
    }
    const char *d = t1e;
    while (d < e && isblank_(*d)) {
        d++;
    }
    if (d > t1e && d < e && *d == '-' && d + 1 < e && isblank_(d[1])) {
        const char *t2 = d + 1;
        while (t2 < e && isblank_(*t2)) {
            t2++;
        }
        const char *t2e = t2;
        while (t2e < e && !isblank_(*t2e)) {
            t2e++;
        }
        if (t2e == e && t2 < e) {
            hyphen(cs, s, t1e, t2, e, flags);
            return;
        }
    }
    if (s == e) {
        add_any(cs);
        return;
    }
    while (s < e && !cs->invalid) {
        const char *te = token_end(s, e);
        /* drop blanks between an operator and its version */
        char buf[2 * SV_MAX_LEN + 8];
        size_t o = 0;
        for (const char *p = s; p < te && o + 1 < sizeof buf; p++) {
            if (!isblank_(*p)) {
                buf[o++] = *p;
            }
        }
        if (te - s >= (long)sizeof buf) {
            cs->invalid = 1;
            break;
        }
        size_t before = cs->n;
        int was_invalid = cs->invalid;
        token(cs, buf, buf + o, flags);
        if (cs->invalid && (flags & DD_SEMVER_LOOSE)) {
            /* loose mode drops comparators it cannot read */
            cs->n = before;
            cs->invalid = was_invalid;
        }
        s = te;
        while (s < e && isblank_(*s)) {
            s++;
        }
    }
    if (!cs->invalid && cs->n == 0) {
        cs->invalid = 1;
    }
}

static int comp_test(const comparator *c, const sv *v)
{
    if (c->op == OP_ANY) {
        return 1;
    }
    int r = sv_cmp(v, &c->v);
    switch (c->op) {
    case OP_EQ:
        return r == 0;
    case OP_LT:
        return r < 0;
    case OP_LE:
        return r <= 0;
    case OP_GT:
        return r > 0;
    case OP_GE:
        return r >= 0;
    default:
        return 0;
    }
}

static int set_test(const cset *cs, const sv *v, unsigned flags)
{
    for (size_t i = 0; i < cs->n; i++) {
        if (!comp_test(&cs->c[i], v)) {
            return 0;
        }
    }
    if (v->pre[0] && !(flags & DD_SEMVER_INCLUDE_PRERELEASE)) {
        for (size_t i = 0; i < cs->n; i++) {
            const comparator *c = &cs->c[i];
            if (c->op != OP_ANY && c->v.pre[0] && c->v.n[0] == v->n[0] &&
                c->v.n[1] == v->n[1] && c->v.n[2] == v->n[2]) {
                return 1;
            }
        }
        return 0;
    }
    return 1;
}

int dd_semver_satisfies(const char *range, const char *version, unsigned flags)
{
    sv v;
    if (strlen(range) > 4096 ||
        parse_sv(version, version + strlen(version), flags, &v)) {
        return DD_EINVALID;
    }
    const char *s = range, *end = range + strlen(range);
    int any_valid = 0, ok = 0;
    for (;;) {
        const char *bar = strstr(s, "||");
        const char *se = bar ? bar : end;
        cset cs;
        parse_set(&cs, s, se, flags);
        if (!cs.invalid) {
            any_valid = 1;
            if (set_test(&cs, &v, flags)) {
                ok = 1;
            }
        } else if (!(flags & DD_SEMVER_LOOSE)) {
            return DD_EINVALID;
        }
        if (!bar) {
            break;
        }
        s = bar + 2;
    }
    if (!any_valid) {
        return DD_EINVALID;
    }
    return ok;
}
