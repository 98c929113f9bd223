/*
 * lib/version/apk_version.c - Alpine (apk-tools 3) versions:
 *   digit{.digit}...{letter}{_suffix{digits}}...{~hexhash}{-rN}
 * Suffixes rank alpha < beta < pre < rc < (none) < cvs < svn < git < hg
 * < p. Digit components compare numerically, except that a component
 * with a leading zero (after the first) compares as a string, as Gentoo
 * does. When one version runs out first, it is older - unless the other
 * continues with a pre-release suffix. "~" (fuzzy) matches when the first
 * version starts with every component of the second.
 */
#include <string.h>

#include "version_int.h"

enum tok {
    T_INITIAL,
    T_DIGIT,
    T_LETTER,
    T_SUFFIX,
    T_SUFFIX_NO,
    T_HASH,
    T_REVISION,
    T_END,
    T_INVALID
};

/* alpha beta pre rc NONE cvs svn git hg p */
enum {
    S_ALPHA = 1,
    S_BETA,
    S_PRE,
    S_RC,
    S_NONE,
    S_CVS,
    S_SVN,
    S_GIT,
    S_HG,
    S_P
};

typedef struct tstate {
    enum tok t;
    int suffix;
    uint64_t num;
    int overflow;
    const char *v; /* token text */
    size_t n;
    const char *p, *end; /* rest */
} tstate;

static int suffix_of(const char *s, size_t n)
{
    static const struct {
        const char *s;
        int v;
    } tab[] = {{"alpha", S_ALPHA}, {"beta", S_BETA}, {"pre", S_PRE},
               {"rc", S_RC},       {"cvs", S_CVS},   {"svn", S_SVN},
               {"git", S_GIT},     {"hg", S_HG},     {"p", S_P}};
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++) {
        if (strlen(tab[i].s) == n && !memcmp(tab[i].s, s, n)) {
            return tab[i].v;
        }
    }
    return 0;
}

static void digits(tstate *t)
{
    t->v = t->p;
    t->num = 0;
    t->overflow = 0;
    while (t->p < t->end && *t->p >= '0' && *t->p <= '9') {
        if (t->num > (UINT64_MAX - 9) / 10) {
            t->overflow = 1;
        }
        t->num = t->num * 10 + (uint64_t)(*t->p - '0');
        t->p++;
    }
    t->n = (size_t)(t->p - t->v);
    if (!t->n) {
        t->t = T_INVALID;
    }
}

static void first(tstate *t, const char *s)
{
    t->p = s;
    t->end = s + strlen(s);
    t->t = T_INITIAL;
    digits(t);
}

static void next(tstate *t)
{
    if (t->p >= t->end) {
        t->t = T_END;
        return;
    }
    char c = *t->p;
    if (c >= 'a' && c <= 'z') {
        if (t->t > T_DIGIT) {
            goto invalid;
        }
        t->v = t->p++;
        t->n = 1;
        t->t = T_LETTER;
        return;
    }
    if (c == '.' || (c >= '0' && c <= '9')) {
        if (c == '.') {
            if (t->t > T_DIGIT) {
                goto invalid;
            }
            t->p++;
        }
        if (t->t == T_INITIAL || t->t == T_DIGIT) {
            t->t = T_DIGIT;
        } else if (t->t == T_SUFFIX) {
            t->t = T_SUFFIX_NO;
        } else {
            goto invalid;
        }
        digits(t);
        return;
    }
    if (c == '_') {
        if (t->t > T_SUFFIX_NO) {
            goto invalid;
        }
        t->p++;
        t->v = t->p;
        while (t->p < t->end && *t->p >= 'a' && *t->p <= 'z') {
            t->p++;
        }
        t->n = (size_t)(t->p - t->v);
        t->suffix = suffix_of(t->v, t->n);
        if (!t->suffix) {
            goto invalid;
        }
        t->t = T_SUFFIX;
        return;
    }
    if (c == '~') {
        if (t->t >= T_HASH) {
            goto invalid;
        }
        t->p++;
        t->v = t->p;
        while (t->p < t->end && ((*t->p >= '0' && *t->p <= '9') ||
                                 (*t->p >= 'a' && *t->p <= 'f'))) {
            t->p++;
        }
        t->n = (size_t)(t->p - t->v);
        if (!t->n) {
            goto invalid;
        }
        t->t = T_HASH;
        return;
    }
    if (c == '-') {
        if (t->t >= T_REVISION || t->end - t->p < 2 || t->p[1] != 'r') {
            goto invalid;
        }
        t->p += 2;
        t->t = T_REVISION;
        digits(t);
        return;
    }
invalid:
    t->t = T_INVALID;
}

static int strsort(const tstate *a, const tstate *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->v, b->v, n);
    if (!c && a->n != b->n) {
        c = a->n < b->n ? -1 : 1;
    }
    return c < 0 ? -1 : c > 0;
}

static int tokcmp(const tstate *a, const tstate *b)
{
    uint64_t x, y;
    switch (a->t) {
    case T_DIGIT:
        if (a->v[0] == '0' || b->v[0] == '0') {
            return strsort(a, b);
        }
        /* fall through */
    case T_INITIAL:
    case T_SUFFIX_NO:
    case T_REVISION:
        if (a->overflow || b->overflow) {
            /* beyond 64 bits: longer digit strings are bigger */
            if (a->n != b->n) {
                return a->n < b->n ? -1 : 1;
            }
            return strsort(a, b);
        }
        x = a->num;
        y = b->num;
        break;
    case T_LETTER:
        x = (unsigned char)a->v[0];
        y = (unsigned char)b->v[0];
        break;
    case T_SUFFIX:
        x = (uint64_t)a->suffix;
        y = (uint64_t)b->suffix;
        break;
    default:
        return strsort(a, b);
    }
    return x < y ? -1 : x > y;
}

int dd_apk_version_valid(const char *v)
{
    tstate t;
    memset(&t, 0, sizeof t);
    for (first(&t, v); t.t < T_END; next(&t)) {
    }
    return t.t == T_END;
}

/* -1, 0, 1; `fuzzy`: b's end matches any continuation of a */
static int apk_cmp(const char *a, const char *b, int fuzzy)
{
    tstate x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    for (first(&x, a), first(&y, b); x.t == y.t && x.t < T_END;
         next(&x), next(&y)) {
        int c = tokcmp(&x, &y);
        if (c) {
            return c;
        }
    }
    if (x.t == y.t || (fuzzy && y.t == T_END)) {
        return 0;
    }
    if (x.t == T_SUFFIX && x.suffix < S_NONE) {
        return -1;
    }
    if (y.t == T_SUFFIX && y.suffix < S_NONE) {
        return 1;
    }
    if (x.t > y.t) {
        return -1;
    }
    return y.t > x.t ? 1 : 0;
}

/* Like apk, invalid versions still compare (up to the invalid token);
 * dd_apk_version_valid() tells them apart. */
int dd__vercmp_apk(const char *a, const char *b, int *cmp)
{
    *cmp = apk_cmp(a, b, 0);
    return 0;
}

int dd_apk_version_match(const char *a, const char *op, const char *b)
{
    int neg = 0;
    if (*op == '!') {
        neg = 1;
        op++;
    }
    int lt = 0, gt = 0, eq = 0, fz = 0;
    if (!*op) {
        return DD_EINVALID;
    }
    for (; *op; op++) {
        switch (*op) {
        case '<':
            lt = 1;
            break;
        case '>':
            gt = 1;
            break;
        case '=':
            eq = 1;
            break;
        case '~':
            fz = eq = 1;
            break;
        default:
            return DD_EINVALID;
        }
    }
    int c = apk_cmp(a, b, fz);
    int ok = (c < 0 && lt) || (c > 0 && gt) || (c == 0 && eq);
    return neg ? !ok : ok;
}
