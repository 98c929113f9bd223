/*
 * lib/version/version_int.h - per-scheme comparators behind
 * dd_version_compare (see drydock/version.h).
 */
#ifndef DD_VERSION_INT_H
#define DD_VERSION_INT_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/version.h"

int dd__vercmp_dpkg(const char *a, const char *b);
int dd__vercmp_rpm(const char *a, const char *b);
int dd__rpmvercmp(const char *a, const char *ae, const char *b, const char *be);
int dd__vercmp_apk(const char *a, const char *b, int *cmp);
int dd__vercmp_pep440(const char *a, const char *b, int *cmp);
int dd__vercmp_maven(const char *a, const char *b);
int dd__vercmp_rubygems(const char *a, const char *b, int *cmp);
int dd__vercmp_composer(const char *a, const char *b, int *cmp);
int dd__vercmp_nuget(const char *a, const char *b, int *cmp);
int dd__vercmp_go(const char *a, const char *b, int *cmp);
/* Composer's normalised form of v into buf (bn bytes): 0, DD_EINVALID
 * when Composer rejects it, DD_ELIMIT when it does not fit. */
int dd__composer_normalize(const char *v, char *buf, size_t bn);
/* Compare two runs of decimal digits by value: -1, 0, 1. */
int dd__numcmp(const char *a, size_t an, const char *b, size_t bn);
/* Compare two dot-separated identifier lists (semver-style prerelease
 * tags) identifier by identifier with `idcmp`; a list that is a prefix of
 * the other sorts first. Returns -1, 0 or 1. */
/* 1 when s[0..n) is a non-empty dot-separated list of [0-9A-Za-z-]
 * identifiers, none empty; strict: a numeric one has no leading zero. */
int dd__dotted_valid(const char *s, size_t n, int strict);
int dd__dotted_cmp(const char *a,
                   size_t an,
                   const char *b,
                   size_t bn,
                   int (*idcmp)(const char *, size_t, const char *, size_t));

#endif
