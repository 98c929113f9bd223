/*
 * lib/secret/secret.h - the secret rule engine (internal).
 *
 * Scanning a buffer is two passes: one Aho-Corasick pass over the whole
 * buffer finds every rule keyword (ASCII case-insensitive); only rules
 * whose keywords occur are confirmed, each with its PCRE2 (JIT) regex run
 * on a window around the keyword hit (from the start of the hit's line
 * to the rule's window size after it). Candidates then pass the rule's
 * entropy floor and the allow-lists (stop-words and well-known example
 * values, allowed paths) before they become matches. Matches carry the
 * secret's offset, line and a redacted form; the secret itself is never
 * copied out of the buffer.
 *
 * Ownership: an engine is created by dd__secret_engine_new() and freed by
 * dd__secret_engine_free(); it is immutable afterwards and may be shared
 * by threads (each call uses its own PCRE2 match data).
 */
#ifndef DD_SECRET_H
#define DD_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/finding.h"

#define DD_SR_BINARY  0x1u /* also applies to binary files */
#define DD_SR_GENERIC 0x2u /* generic assignment: config-like files only */

typedef struct dd__secret_rule {
    const char *id;
    const char *category;
    dd_severity severity;
    const char *title;
    const char *keywords; /* '|'-separated, lowercase */
    const char *regex;    /* PCRE2 */
    int group;            /* capture holding the secret (0 = whole) */
    double min_entropy;   /* bits per char, 0 = none */
    unsigned flags;
    const char *path_regex; /* only files whose path matches, or NULL */
    size_t window;          /* bytes after the hit searched, 0 = 1024 */
    /* a literal (case-sensitive) every match holds after its keyword, or
     * NULL: a hit with no occurrence of it in its window is not handed to
     * the regex (a flood of unterminated PEM headers costs one memmem
     * pass, not a regex run over the window per header) */
    const char *need;
} dd__secret_rule;

/* The built-in rules (rules.c). */
const dd__secret_rule *dd__secret_builtin(size_t *n);

typedef struct dd__secret_engine dd__secret_engine;

/* runs of keyword hits one scan keeps; beyond, dd__secret_scan stops with
 * DD_ELIMIT (about 96 MiB of state; a 16 MiB file stays far below) */
#define DD__SECRET_MAX_RUNS (1u << 22)

/* Compile built-in rules plus those of an optional JSON config (path may
 * be NULL): {"rules": [{id, category, severity, title, keywords: [],
 * regex, secret_group, min_entropy}], "disable": ["rule-id", ...],
 * "allow": {"paths": ["regex"], "values": ["regex"]}}. */
int dd__secret_engine_new(dd__secret_engine **out,
                          const char *config_path,
                          dd_error *err);
/* The same from config text in memory (fuzzing, tests). */
int dd__secret_engine_new_from(dd__secret_engine **out,
                               const char *config,
                               size_t len,
                               dd_error *err);
void dd__secret_engine_free(dd__secret_engine *e);
size_t dd__secret_rule_count(const dd__secret_engine *e);

typedef struct dd__secret_match {
    const char *rule_id, *category, *title;
    dd_severity severity;
    uint64_t offset; /* of the secret in the buffer */
    size_t line;     /* 1-based */
    char redacted[64];
    /* 1: not a match - the rule's pattern hit PCRE2's match, depth or heap
     * limit at `offset` (hostile input); the rest of its window was not
     * checked for this rule. Callers report it as a partial scan. */
    int limit;
} dd__secret_match;

typedef int (*dd__secret_cb)(void *ctx, const dd__secret_match *m);

/* Scan one buffer; `path` (may be NULL) selects path-specific rules and
 * path allow-lists. Returns 0, DD_ENOMEM, or the callback's non-zero. */
int dd__secret_scan(const dd__secret_engine *e,
                    const char *path,
                    const uint8_t *data,
                    size_t len,
                    dd__secret_cb cb,
                    void *ctx);

/* A copy of free text from an image (a history step, a build argument)
 * with the values of secret-named assignments and well-known token
 * shapes replaced by "****" (mask.c): linear in the text; the caller
 * frees it with dd__free. NULL for NULL or on ENOMEM. */
char *dd__secret_mask_text(const char *s);

#endif
