/*
 * lib/version/debrpm.c - dpkg and rpm version ordering.
 *
 * dpkg: [epoch:]upstream[-revision]; epochs numerically, then upstream and
 * revision with the verrevcmp walk: non-digit runs compared character by
 * character with '~' before everything (even the end) and letters before
 * other characters, then digit runs numerically.
 *
 * rpm: rpmvercmp on alternating alphabetic/numeric segments (separators
 * ignored), '~' sorts before anything, '^' after the end but before any
 * other segment; numbers beat letters; leading zeros ignored. Full
 * strings are split as [epoch:]version[-release].
 */
#include <string.h>

#include "version_int.h"

static int dpkg_order(int c)
{
    if (c >= '0' && c <= '9') {
        return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return c;
    }
    if (c == '~') {
        return -1;
    }
    return c ? c + 256 : 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* verrevcmp over [a, ae) and [b, be) */
static int
verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae || b < be) {
        int first_diff = 0;
        while ((a < ae && !is_digit(*a)) || (b < be && !is_digit(*b))) {
            int ac = a < ae ? dpkg_order((unsigned char)*a) : 0;
            int bc = b < be ? dpkg_order((unsigned char)*b) : 0;
            if (ac != bc) {
                return ac < bc ? -1 : 1;
            }
            a++;
            b++;
        }
        while (a < ae && *a == '0') {
            a++;
        }
        while (b < be && *b == '0') {
            b++;
        }
        while (a < ae && is_digit(*a) && b < be && is_digit(*b)) {
            if (!first_diff) {
                first_diff = *a - *b;
            }
            a++;
            b++;
        }
        if (a < ae && is_digit(*a)) {
            return 1;
        }
        if (b < be && is_digit(*b)) {
            return -1;
        }
        if (first_diff) {
            return first_diff < 0 ? -1 : 1;
        }
    }
    return 0;
}

typedef struct evr {
    const char *e, *ee; /* epoch digits (may be empty) */
    const char *v, *ve;
    const char *r, *re; /* release / revision, may be empty */
} evr;

static void split(const char *s, evr *x)
{
    const char *end = s + strlen(s);
    const char *colon = strchr(s, ':');
    const char *p = s;
    x->e = x->ee = s;
    if (colon) {
        int digits = colon > s;
        for (const char *q = s; q < colon; q++) {
            digits &= is_digit(*q);
        }
        if (digits) {
            x->ee = colon;
            p = colon + 1;
        }
    }
    const char *dash = NULL;
    for (const char *q = p; q < end; q++) {
        if (*q == '-') {
            dash = q;
        }
    }
    x->v = p;
    x->ve = dash ? dash : end;
    x->r = dash ? dash + 1 : end;
    x->re = end;
}

/* numeric compare of digit strings (no length limit) */
static int numcmp(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae && *a == '0') {
        a++;
    }
    while (b < be && *b == '0') {
        b++;
    }
    if (ae - a != be - b) {
        return ae - a < be - b ? -1 : 1;
    }
    int c = memcmp(a, b, (size_t)(ae - a));
    return c < 0 ? -1 : c > 0;
}

int dd__vercmp_dpkg(const char *a, const char *b)
{
    evr x, y;
    split(a, &x);
    split(b, &y);
    int c = numcmp(x.e, x.ee, y.e, y.ee);
    if (!c) {
        c = verrevcmp(x.v, x.ve, y.v, y.ve);
    }
    if (!c) {
        c = verrevcmp(x.r, x.re, y.r, y.re);
    }
    return c;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int dd__rpmvercmp(const char *a, const char *ae, const char *b, const char *be)
{
    if (ae - a == be - b && memcmp(a, b, (size_t)(ae - a)) == 0) {
        return 0;
    }
    while (a < ae || b < be) {
        while (a < ae && !is_digit(*a) && !is_alpha(*a) && *a != '~' &&
               *a != '^') {
            a++;
        }
        while (b < be && !is_digit(*b) && !is_alpha(*b) && *b != '~' &&
               *b != '^') {
            b++;
        }
        int at = a < ae && *a == '~', bt = b < be && *b == '~';
        if (at || bt) {
            if (!at) {
                return 1;
            }
            if (!bt) {
                return -1;
            }
            a++;
            b++;
            continue;
        }
        int ac = a < ae && *a == '^', bc = b < be && *b == '^';
        if (ac || bc) {
            if (a >= ae) {
                return -1;
            }
            if (b >= be) {
                return 1;
            }
            if (!ac) {
                return 1;
            }
            if (!bc) {
                return -1;
            }
            a++;
            b++;
            continue;
        }
        if (a >= ae || b >= be) {
            break;
        }
        const char *s1 = a, *s2 = b;
        int num = is_digit(*a);
        if (num) {
            while (a < ae && is_digit(*a)) {
                a++;
            }
            while (b < be && is_digit(*b)) {
                b++;
            }
        } else {
            while (a < ae && is_alpha(*a)) {
                a++;
            }
            while (b < be && is_alpha(*b)) {
                b++;
            }
        }
        if (b == s2) {
            return num ? 1 : -1; /* different segment types */
        }
        int c;
        if (num) {
            c = numcmp(s1, a, s2, b);
        } else {
            size_t la = (size_t)(a - s1), lb = (size_t)(b - s2);
            c = memcmp(s1, s2, la < lb ? la : lb);
            if (!c && la != lb) {
                c = la < lb ? -1 : 1;
            }
        }
        if (c) {
            return c < 0 ? -1 : 1;
        }
    }
    if (a >= ae && b >= be) {
        return 0;
    }
    return a < ae ? 1 : -1;
}

int dd__vercmp_rpm(const char *a, const char *b)
{
    evr x, y;
    split(a, &x);
    split(b, &y);
    int c = numcmp(x.e, x.ee, y.e, y.ee);
    if (!c) {
        c = dd__rpmvercmp(x.v, x.ve, y.v, y.ve);
    }
    if (!c && x.r < x.re && y.r < y.re) {
        c = dd__rpmvercmp(x.r, x.re, y.r, y.re);
    }
    return c;
}
