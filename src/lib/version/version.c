/*
 * lib/version/version.c - scheme names and the dispatching comparator.
 */
#include <string.h>

#include "version_int.h"

static const char *const NAMES[] = {"dpkg",   "rpm",    "apk",
                                    "semver", "pep440", "maven"};

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
    }
    return DD_EINVALID;
}
