/*
 * lib/registry/audit.h - internals of the registry audit (audit.c),
 * exposed for the fuzz target.
 */
#ifndef DD_REGISTRY_AUDIT_H
#define DD_REGISTRY_AUDIT_H

#include <stddef.h>

/* A registry list response ({"repositories":[...]} or {"tags":[...]}):
 * the number of entries under `key` (at most 100000), or -1 when the body
 * is not such JSON. The first entry made only of the name grammar's bytes
 * and shorter than `cap` is copied to first[cap] ("" when none; first may
 * be NULL). Never reads past body[len]. */
int dd__audit_parse_list(
    const char *body, size_t len, const char *key, char *first, size_t cap);

#endif
