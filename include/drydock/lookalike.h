/*
 * drydock/lookalike.h - image names that imitate well-known ones
 * (typosquatting): `docker.io/libary/nginx`, `ngnix`, `ghrc.io/...`.
 *
 * A reference is canonicalised (`nginx` -> `docker.io/library/nginx`,
 * `index.docker.io` -> `docker.io`) and its registry host, namespace and
 * repository are compared with a built-in list of Docker official images
 * (current and deprecated names), well-known publisher namespaces, the
 * well-known registry hosts, and the caller's trusted names. Exact
 * matches and trusted names are quiet. See docs/lookalike.md.
 *
 * Ownership: everything is caller-owned; results are plain structs with
 * fixed buffers, nothing to free. Thread-safe (no state).
 */
#ifndef DRYDOCK_LOOKALIKE_H
#define DRYDOCK_LOOKALIKE_H

#include <stddef.h>

#include "common.h"
#include "errors.h"
#include "finding.h"

DD_BEGIN_DECLS

#define DD_LOOKALIKE_RULE "trust.lookalike-name"

typedef struct dd_lookalike_result {
    int lookalike;        /* 1 when the name imitates `target` */
    dd_severity severity; /* DD_SEV_HIGH, DD_SEV_MEDIUM for weak signals */
    char canonical[600];  /* "docker.io/library/nginx" (no tag/digest) */
    char target[600];     /* what it imitates, "docker.io/library/nginx" */
    const char *signal;   /* static: "typo", "confusable", "separator",
                             "affix", "plural", "namespace-library",
                             "publisher-namespace", "unknown-namespace",
                             "host-typo", "host-affix", "punycode-host";
                             NULL when not a lookalike */
    char detail[256];     /* one line for humans */
} dd_lookalike_result;

/* Canonical "host/namespace/repo" of `ref` (tag and digest dropped) into
 * out[n]. 0, or DD_EINVALID (not a reference) with a message. */
DD_API int
dd_lookalike_canonical(const char *ref, char *out, size_t n, dd_error *err);

/* Judge `ref`. `trusted` (n_trusted names, NULL ok) are references or
 * prefixes ("ghcr.io/myorg", "myorg/app") that are always quiet. Returns
 * 0 with *out filled (out->lookalike 0 or 1), or DD_EINVALID when `ref` is
 * not an image reference. */
DD_API int dd_lookalike_check(const char *ref,
                              const char *const *trusted,
                              size_t n_trusted,
                              dd_lookalike_result *out,
                              dd_error *err);

/* Damerau-Levenshtein (optimal string alignment) distance of a and b;
 * stops counting at `cap` (returns cap when the distance is >= cap).
 * Strings longer than 255 bytes give cap. */
DD_API size_t dd_lookalike_distance(const char *a, const char *b, size_t cap);

/* The built-in official image names: i-th name, NULL past the end;
 * *deprecated set to 1 for names no longer published. */
DD_API const char *dd_lookalike_official(size_t i, int *deprecated);

DD_END_DECLS

#endif
