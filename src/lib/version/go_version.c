/*
 * lib/version/go_version.c - Go module versions (golang.org/x/mod/semver
 * order), with or without the leading "v" (Go writes "v1.2.3", OSV's Go
 * ecosystem "1.2.3").
 *
 *   vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]
 *
 * "v1" and "v1.2" are shorthands of "v1.0.0" and "v1.2.0" (without
 * pre-release or build). Numbers have no leading zeros; pre-release
 * identifiers are [0-9A-Za-z-], non-empty, numeric ones without leading
 * zeros. Build metadata ("+incompatible" of a major version without a
 * go.mod) is ignored in the order. Pseudo-versions
 * ("v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.2019...-hash",
 * "v1.2.3-pre.0.2019...-hash") are pre-releases whose fixed-width
 * timestamps order them, as Go intends: above their base, below the
 * next release.
 */
#include <string.h>

#include "version_int.h"

typedef struct gov {
    const char *n[3];
    size_t nn[3];
    const char *pre; /* identifiers, or NULL */
    size_t pren;
} gov;

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static size_t number(const char *s, size_t i, size_t n)
{
    size_t st = i;
    while (i < n && dig(s[i])) {
        i++;
    }
    if (i == st || (i - st > 1 && s[st] == '0')) {
        return 0;
    }
    return i - st;
}

static int parse(const char *v, gov *o)
{
    memset(o, 0, sizeof *o);
    size_t n = strlen(v), i = 0;
    if (n && v[0] == 'v') {
        i = 1;
    }
    int k = 0;
    for (; k < 3; k++) {
        size_t l = number(v, i, n);
        if (!l) {
            return DD_EINVALID;
        }
        o->n[k] = v + i;
        o->nn[k] = l;
        i += l;
        if (i == n || v[i] != '.' || k == 2) {
            break;
        }
        i++;
    }
    if (k < 2) { /* shorthand: nothing may follow */
        if (i != n) {
            return DD_EINVALID;
        }
        for (k++; k < 3; k++) {
            o->n[k] = "0";
            o->nn[k] = 1;
        }
        return 0;
    }
    const char *plus = memchr(v + i, '+', n - i);
    size_t end = plus ? (size_t)(plus - v) : n;
    if (plus && !dd__dotted_valid(plus + 1, n - end - 1, 0)) {
        return DD_EINVALID;
    }
    if (i < end) {
        if (v[i] != '-' || !dd__dotted_valid(v + i + 1, end - i - 1, 1)) {
            return DD_EINVALID;
        }
        o->pre = v + i + 1;
        o->pren = end - i - 1;
    }
    return 0;
}

static int idcmp(const char *a, size_t an, const char *b, size_t bn)
{
    int na = 1, nb = 1;
    for (size_t i = 0; i < an; i++) {
        na &= dig(a[i]);
    }
    for (size_t i = 0; i < bn; i++) {
        nb &= dig(b[i]);
    }
    if (na && nb) {
        return dd__numcmp(a, an, b, bn);
    }
    if (na || nb) {
        return na ? -1 : 1;
    }
    size_t m = an < bn ? an : bn;
    int c = memcmp(a, b, m);
    if (c) {
        return c < 0 ? -1 : 1;
    }
    return (an > bn) - (an < bn);
}

int dd__vercmp_go(const char *a, const char *b, int *cmp)
{
    gov x, y;
    if (parse(a, &x) || parse(b, &y)) {
        return DD_EINVALID;
    }
    for (int k = 0; k < 3; k++) {
        int c = dd__numcmp(x.n[k], x.nn[k], y.n[k], y.nn[k]);
        if (c) {
            *cmp = c;
            return 0;
        }
    }
    if (!x.pre || !y.pre) {
        *cmp = !x.pre && !y.pre ? 0 : x.pre ? -1 : 1;
        return 0;
    }
    *cmp = dd__dotted_cmp(x.pre, x.pren, y.pre, y.pren, idcmp);
    return 0;
}
