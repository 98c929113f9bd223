/*
 * util/yaml_json.h - one YAML document as a jansson tree, for the readers
 * of untrusted YAML (Alpine secdb feeds, pnpm-lock.yaml, policies).
 *
 * Scalars become strings (no type guessing: "1.0" stays "1.0"),
 * sequences arrays, mappings objects; a mapping key that is not a scalar,
 * or holds a NUL, is skipped. Aliases are followed, so a small document
 * can name a huge tree (an alias bomb): every converted node costs one of
 * a budget of twice the document's own nodes plus 1,024, and nesting
 * stops at 64 levels.
 *
 * Ownership: *out is a new reference the caller releases (json_decref).
 */
#ifndef DD_YAML_JSON_H
#define DD_YAML_JSON_H

#include <stddef.h>

#include <jansson.h>

#define DD_YAML_MAX_DEPTH 64

/* 0 with *out set; DD_EINVALID with a reason in why ("YAML error at line
 * 3: did not find expected key", "YAML nested deeper than 64 levels",
 * "YAML aliases expand past 5120 nodes (an alias bomb?)"); DD_ENOMEM. An empty
 * input is an empty document: *out is NULL and the result 0. */
int dd__yaml_to_json(
    json_t **out, const void *data, size_t len, char *why, size_t why_n);

#endif
