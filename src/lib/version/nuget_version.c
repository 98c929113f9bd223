/*
 * lib/version/nuget_version.c - NuGet versions (NuGetVersion).
 *
 *   N[.N[.N[.N]]][-LABEL(.LABEL)*][+META(.META)*]    blanks around
 *
 * One to four numbers (leading zeros allowed: "1.01" is 1.1; missing
 * ones are 0, so "1.0" = "1.0.0.0"), SemVer 2.0 release labels
 * ([0-9A-Za-z-], no empty label, no leading zero in a numeric one) and
 * build metadata, which is ignored in the order. A version without labels
 * is above its pre-releases; labels compare pairwise: numeric ones by
 * value and below alphanumeric ones, alphanumeric ones ASCII
 * case-insensitively ("1.0.0-BETA" = "1.0.0-beta"); a longer list of
 * equal labels is higher.
 */
#include <string.h>

#include "version_int.h"

typedef struct nv {
    const char *num[4];
    size_t numn[4];
    const char *rel; /* labels, or NULL */
    size_t reln;
} nv;

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* digits that fit an Int32 */
static int int32(const char *s, size_t n)
{
    if (n == 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!dig(s[i])) {
            return 0;
        }
    }
    while (n > 1 && *s == '0') {
        s++, n--;
    }
    return n < 10 || (n == 10 && memcmp(s, "2147483647", 10) <= 0);
}

static int parse(const char *v, nv *o)
{
    memset(o, 0, sizeof *o);
    size_t n = strlen(v);
    while (n && blank(*v)) {
        v++, n--;
    }
    while (n && blank(v[n - 1])) {
        n--;
    }
    const char *plus = memchr(v, '+', n);
    size_t vn = plus ? (size_t)(plus - v) : n;
    if (plus && !dd__dotted_valid(plus + 1, n - vn - 1, 0)) {
        return DD_EINVALID;
    }
    const char *dash = memchr(v, '-', vn);
    size_t nn = dash ? (size_t)(dash - v) : vn;
    if (dash) {
        o->rel = dash + 1;
        o->reln = vn - nn - 1;
        if (!dd__dotted_valid(o->rel, o->reln, 1)) {
            return DD_EINVALID;
        }
    }
    size_t i = 0;
    for (int k = 0;; k++) {
        if (k == 4) {
            return DD_EINVALID;
        }
        size_t st = i;
        while (i < nn && dig(v[i])) {
            i++;
        }
        if (!int32(v + st, i - st)) {
            return DD_EINVALID;
        }
        o->num[k] = v + st;
        o->numn[k] = i - st;
        while (o->numn[k] > 1 && *o->num[k] == '0') {
            o->num[k]++, o->numn[k]--;
        }
        if (i == nn) {
            break;
        }
        if (v[i] != '.') {
            return DD_EINVALID;
        }
        i++;
    }
    for (int k = 0; k < 4; k++) {
        if (!o->num[k]) {
            o->num[k] = "0";
            o->numn[k] = 1;
        }
    }
    return 0;
}

static char up(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int labcmp(const char *a, size_t an, const char *b, size_t bn)
{
    int na = int32(a, an), nb = int32(b, bn);
    if (na && nb) {
        while (an > 1 && *a == '0') {
            a++, an--;
        }
        while (bn > 1 && *b == '0') {
            b++, bn--;
        }
        return dd__numcmp(a, an, b, bn);
    }
    if (na || nb) {
        return na ? -1 : 1;
    }
    for (size_t i = 0; i < an && i < bn; i++) {
        char x = up(a[i]), y = up(b[i]);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return (an > bn) - (an < bn);
}

int dd__vercmp_nuget(const char *a, const char *b, int *cmp)
{
    nv x, y;
    if (parse(a, &x) || parse(b, &y)) {
        return DD_EINVALID;
    }
    for (int k = 0; k < 4; k++) {
        int c = dd__numcmp(x.num[k], x.numn[k], y.num[k], y.numn[k]);
        if (c) {
            *cmp = c;
            return 0;
        }
    }
    if (!x.rel || !y.rel) {
        *cmp = !x.rel && !y.rel ? 0 : x.rel ? -1 : 1;
        return 0;
    }
    *cmp = dd__dotted_cmp(x.rel, x.reln, y.rel, y.reln, labcmp);
    return 0;
}
