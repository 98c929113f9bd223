/*
 * lib/version/version.c - scheme names and the dispatching comparator.
 */
#include <string.h>

#include "version_int.h"

static const char *const NAMES[] = {"dpkg",   "rpm",   "apk",      "semver",
                                    "pep440", "maven", "rubygems", "composer",
                                    "nuget",  "go"};

int dd_version_scheme_parse(const char *name, dd_version_scheme *out)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++) {
        if (!strcmp(name, NAMES[i])) {
            *out = (dd_version_scheme)i;
            return 0;
        }
    }
    return -1;
}

const char *dd_version_scheme_name(dd_version_scheme s)
{
    return (unsigned)s < sizeof NAMES / sizeof *NAMES ? NAMES[s] : "?";
}

int dd_version_compare(dd_version_scheme s,
                       const char *a,
                       const char *b,
                       int *cmp)
{
    switch (s) {
    case DD_VER_DPKG:
        *cmp = dd__vercmp_dpkg(a, b);
        return 0;
    case DD_VER_RPM:
        *cmp = dd__vercmp_rpm(a, b);
        return 0;
    case DD_VER_APK:
        return dd__vercmp_apk(a, b, cmp);
    case DD_VER_SEMVER:
        return dd_semver_compare(a, b, 0, cmp);
    case DD_VER_PEP440:
        return dd__vercmp_pep440(a, b, cmp);
    case DD_VER_MAVEN:
        *cmp = dd__vercmp_maven(a, b);
        return 0;
    case DD_VER_RUBYGEMS:
        return dd__vercmp_rubygems(a, b, cmp);
    case DD_VER_COMPOSER:
        return dd__vercmp_composer(a, b, cmp);
    case DD_VER_NUGET:
        return dd__vercmp_nuget(a, b, cmp);
    case DD_VER_GO:
        return dd__vercmp_go(a, b, cmp);
    }
    return DD_EINVALID;
}

static int dotted_ch(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '-';
}

int dd__dotted_valid(const char *s, size_t n, int strict)
{
    size_t i = 0;
    for (;;) {
        size_t st = i;
        int alldig = 1;
        while (i < n && s[i] != '.') {
            if (!dotted_ch(s[i])) {
                return 0;
            }
            alldig &= s[i] >= '0' && s[i] <= '9';
            i++;
        }
        if (i == st || (strict && alldig && i - st > 1 && s[st] == '0')) {
            return 0;
        }
        if (i == n) {
            return 1;
        }
        i++;
    }
}

int dd__dotted_cmp(const char *a,
                   size_t an,
                   const char *b,
                   size_t bn,
                   int (*idcmp)(const char *, size_t, const char *, size_t))
{
    const char *p = a, *pe = a + an;
    const char *q = b, *qe = b + bn;
    for (;;) {
        const char *d1 = memchr(p, '.', (size_t)(pe - p));
        const char *d2 = memchr(q, '.', (size_t)(qe - q));
        const char *e1 = d1 ? d1 : pe, *e2 = d2 ? d2 : qe;
        int c = idcmp(p, (size_t)(e1 - p), q, (size_t)(e2 - q));
        if (c) {
            return c;
        }
        if (!d1 || !d2) {
            return !d1 && !d2 ? 0 : d1 ? 1 : -1;
        }
        p = d1 + 1;
        q = d2 + 1;
    }
}

int dd__numcmp(const char *a, size_t an, const char *b, size_t bn)
{
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
    return (c > 0) - (c < 0);
}
