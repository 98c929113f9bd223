/*
 * drydock/version.h - version comparison in each ecosystem's own rules.
 *
 * dpkg (Debian policy 5.6.12 / dpkg's verrevcmp), rpm (rpmvercmp with
 * ~ and ^, epoch:version-release), apk (apk-tools 3 grammar incl. _suffix,
 * ~commit and -rN, fuzzy matching), semver (node-semver 7: precedence,
 * loose parsing, ranges), pep440 (PEP 440 incl. epochs, pre/post/dev and
 * local segments), maven (ComparableVersion ordering), rubygems
 * (Gem::Version), composer (Composer's normalisation and PHP's
 * version_compare), nuget (NuGetVersion: SemVer 2 and 4-part legacy,
 * case-insensitive labels) and go (module semver: "v" optional,
 * shorthands, +incompatible, pseudo-versions).
 *
 * All functions are pure and thread-safe; strings are borrowed.
 */
#ifndef DRYDOCK_VERSION_H
#define DRYDOCK_VERSION_H

#include "common.h"

DD_BEGIN_DECLS

typedef enum dd_version_scheme {
    DD_VER_DPKG = 0,
    DD_VER_RPM,
    DD_VER_APK,
    DD_VER_SEMVER,
    DD_VER_PEP440,
    DD_VER_MAVEN,
    DD_VER_RUBYGEMS,
    DD_VER_COMPOSER,
    DD_VER_NUGET,
    DD_VER_GO
} dd_version_scheme;

/* "dpkg", "rpm", "apk", "semver", "pep440", "maven", "rubygems",
 * "composer", "nuget", "go" -> 0, else -1. */
DD_API int dd_version_scheme_parse(const char *name, dd_version_scheme *out);
DD_API const char *dd_version_scheme_name(dd_version_scheme s);

/* Compare a and b: *cmp = -1, 0 or 1. Returns 0, or DD_EINVALID when a
 * version is not valid in the scheme (dpkg, rpm, apk and maven order any
 * string, as their tools do - see dd_apk_version_valid(); semver,
 * pep440, rubygems, composer, nuget and go reject what their grammars do
 * not accept). */
DD_API int
dd_version_compare(dd_version_scheme s, const char *a, const char *b, int *cmp);

/* 1 when `v` is a valid apk version. */
DD_API int dd_apk_version_valid(const char *v);
/* apk dependency operators: "<", "<=", "=", ">=", ">", "~" (fuzzy:
 * `a` starts with the components of `b`), "<~", ">~", and "!" before any
 * of them to negate. 1 match, 0 no match, DD_EINVALID bad operator. */
DD_API int dd_apk_version_match(const char *a, const char *op, const char *b);

#define DD_SEMVER_LOOSE              0x1u
#define DD_SEMVER_INCLUDE_PRERELEASE 0x2u
/* node-semver range satisfaction ("^1.2", "1.x || >=2.5.0 <3", "1 - 2").
 * 1 satisfied, 0 not, DD_EINVALID when the range or version is invalid
 * (node-semver answers false then too). */
DD_API int
dd_semver_satisfies(const char *range, const char *version, unsigned flags);
/* Compare two semver versions with options (loose parsing). */
DD_API int
dd_semver_compare(const char *a, const char *b, unsigned flags, int *cmp);

DD_END_DECLS

#endif
