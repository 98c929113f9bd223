/*
 * lib/version/version_int.h - per-scheme comparators behind
 * dd_version_compare (see drydock/version.h).
 */
#ifndef DD_VERSION_INT_H
#define DD_VERSION_INT_H

#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/version.h"

int dd__vercmp_dpkg(const char *a, const char *b);
int dd__vercmp_rpm(const char *a, const char *b);
int dd__rpmvercmp(const char *a, const char *ae, const char *b, const char *be);
int dd__vercmp_apk(const char *a, const char *b, int *cmp);
int dd__vercmp_pep440(const char *a, const char *b, int *cmp);
int dd__vercmp_maven(const char *a, const char *b);

#endif
