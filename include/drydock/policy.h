/*
 * drydock/policy.h - admission policy: which images may run, judged from
 * the image reference, its signatures and attestations, and a scan's
 * findings (docs/policy.md).
 *
 * A policy is a YAML or JSON document: rules chosen by image globs
 * (`*` within a path segment, `**` across segments), each with authorities (a
 * key, a keyless identity and issuer, or a static allow / deny), required
 * attestations, allowed registries, digest pinning and finding
 * thresholds; named exceptions with an expiry date; a mode (enforce or
 * warn) and a default for images no rule matches. Every rule that
 * matches an image must pass (as Sigstore's policy-controller); within
 * a rule, one authority that verifies is enough.
 *
 * dd_policy_evaluate() never reads the wall clock, the network or a
 * file: the caller passes the time, and signatures are checked through
 * the caller's callback (dd_policy_check_image() is the one drydock's
 * own commands use). The CLI (`drydock policy check`, `drydock scan
 * --policy`) and the admission webhook call exactly this.
 *
 * Ownership: a dd_policy returned through `out` belongs to the caller
 * (dd_policy_free; NULL is a no-op); it is immutable and may be shared by
 * threads. A dd_policy_verdict belongs to the caller
 * (dd_policy_verdict_free); its strings live as long as it. The input's
 * pointers are borrowed for the length of the call.
 */
#ifndef DRYDOCK_POLICY_H
#define DRYDOCK_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "errors.h"
#include "finding.h"
#include "scan.h"
#include "trust.h"

DD_BEGIN_DECLS

/* Largest policy document accepted, deepest nesting. */
#define DD_POLICY_MAX_BYTES (1u << 20)
#define DD_POLICY_MAX_DEPTH 16

typedef struct dd_policy dd_policy;

/* Parse a policy (YAML, or JSON when the first non-blank byte is '{').
 * `name` names the document in messages ("policy.yaml"). 0; DD_EINVALID
 * with one line naming the line and the field path ("policy.yaml: line
 * 7: rules[0].authorities[0]: unknown field 'kye' (did you mean
 * 'key'?)") for malformed YAML or JSON, an unknown field, a wrong type, a
 * bad glob, date, duration, severity or mode, nesting deeper than
 * DD_POLICY_MAX_DEPTH; DD_ELIMIT over DD_POLICY_MAX_BYTES; DD_ENOMEM. */
DD_API int dd_policy_parse(dd_policy **out,
                           const char *name,
                           const char *text,
                           size_t len,
                           dd_error *err);
/* The same from a file (DD_ENOTFOUND, DD_EIO as well). */
DD_API int dd_policy_load(dd_policy **out, const char *path, dd_error *err);
/* drydock's built-in policy (used when none is given): deny malware,
 * live secrets, look-alike names and integrity or archive attacks; warn
 * on the rest. */
DD_API int dd_policy_default(dd_policy **out, dd_error *err);
/* Its text, as `drydock policy show-default` prints it (static). */
DD_API const char *dd_policy_default_text(void);
DD_API void dd_policy_free(dd_policy *p);

/* The DD_SCANNER_* bits a scan needs so that every finding threshold of
 * the policy can be judged (0: no scan needed). */
DD_API unsigned dd_policy_scanners(const dd_policy *p);
/* 1 when some rule has finding thresholds: the caller should scan the
 * image (with dd_policy_scanners(); 0 of them still reads the layers for
 * integrity and archive findings); 0: the name and signatures decide. */
DD_API int dd_policy_needs_scan(const dd_policy *p);
/* 1 when some rule lists signature authorities (other than static) or
 * attestations: the caller should pass a verify callback. */
DD_API int dd_policy_needs_signatures(const dd_policy *p);

/* ------------------------------------------------------------ input */

/* A verified attestation: its in-toto predicate type ("" when not known)
 * and when it was made (Unix seconds, -1 unknown). */
typedef struct dd_policy_attestation {
    char predicate_type[256];
    int64_t time;
} dd_policy_attestation;

#define DD_POLICY_MAX_ATTESTATIONS 16
/* What a signature check found for one authority. */
typedef struct dd_policy_check {
    int verified;      /* 1: a signature by this signer verified */
    char message[640]; /* one line: what verified, or why not */
    size_t n_attestations;
    dd_policy_attestation attestations[DD_POLICY_MAX_ATTESTATIONS];
} dd_policy_check;

/* Check the image's signatures against `signer`; fill *out. Return 0
 * (the verdict is in *out), or a DD_E* code with err set: the authority
 * then fails with that message (never passes). */
typedef int (*dd_policy_verify_fn)(void *payload,
                                   const dd_trust_policy *signer,
                                   dd_policy_check *out,
                                   dd_error *err);

#define DD_POLICY_INPUT_VERSION 1
typedef struct dd_policy_input {
    unsigned version;  /* DD_POLICY_INPUT_VERSION */
    const char *image; /* the reference or path as given */
    /* "host/namespace/repo" (dd_lookalike_canonical), NULL when the image
     * is not a registry reference (a local archive or layout) */
    const char *canonical;
    int pinned;         /* 1: the reference named a digest (@sha256:...) */
    const char *digest; /* manifest digest, or NULL */
    /* the scan's findings and summary, or NULL when there was no scan:
     * then every finding threshold fails as not checked */
    const dd_findings *findings;
    const dd_scan_summary *summary;
    int64_t now; /* Unix seconds: exception expiry and attestation age */
    dd_policy_verify_fn verify; /* NULL: authorities cannot be checked */
    void *verify_payload;
    /* attestations the caller verified itself (any signer) */
    const dd_policy_attestation *attestations;
    size_t n_attestations;
} dd_policy_input;

/* ---------------------------------------------------------- verdict */

typedef enum dd_policy_decision {
    DD_POLICY_ALLOW = 0,
    DD_POLICY_WARN, /* allowed, with reasons to look at */
    DD_POLICY_DENY
} dd_policy_decision;

/* What one reason does to the verdict. */
typedef enum dd_policy_effect {
    DD_POLICY_EFFECT_DENY = 0,
    DD_POLICY_EFFECT_WARN,
    DD_POLICY_EFFECT_WAIVED, /* an exception waived it */
    DD_POLICY_EFFECT_INFO    /* a note (an expired exception, a pass) */
} dd_policy_effect;

typedef struct dd_policy_reason {
    const char *code;    /* "policy.unsigned", "policy.finding-threshold" */
    const char *rule;    /* the policy rule's name, or NULL (no rule) */
    const char *subject; /* finding id, authority or attestation name, or
                            NULL */
    const char *text;    /* one line for humans, escaped for a terminal */
    dd_policy_effect effect;
    const char *exception; /* the exception that waived it, or NULL */
} dd_policy_reason;

typedef struct dd_policy_verdict {
    dd_policy_decision decision;
    const char *image;  /* as given: raw bytes, escape before printing */
    const char *mode;   /* "enforce" or "warn" (the policy's) */
    size_t n_rules;     /* rules that matched the image */
    const char **rules; /* their names */
    size_t n_reasons;
    dd_policy_reason *reasons;
} dd_policy_verdict;

/* Judge one image. 0 with *out set (the verdict is in it); DD_EINVALID
 * for bad arguments, DD_ENOMEM. */
DD_API int dd_policy_evaluate(const dd_policy *p,
                              const dd_policy_input *in,
                              dd_policy_verdict **out,
                              dd_error *err);
DD_API void dd_policy_verdict_free(dd_policy_verdict *v);

DD_API const char *dd_policy_decision_name(dd_policy_decision d);
DD_API const char *dd_policy_effect_name(dd_policy_effect e);

/* The verdict as a JSON object (indent 2, "decision", "image", "mode",
 * "rules", "reasons": [{"code", "effect", "rule", "subject", "text",
 * "exception"}]), NUL-terminated, freed with dd_string_free(). 0 or
 * DD_ENOMEM. */
DD_API int dd_policy_verdict_json(const dd_policy_verdict *v,
                                  char **out,
                                  size_t *len,
                                  dd_error *err);

/* Findings a verdict implies for the scan report (issue 17's trusted
 * sources): a "policy.untrusted-registry" reason that was not waived is a
 * MEDIUM trust.untrusted-source finding naming the image and the rule.
 * *out is a new list (maybe empty) owned by the caller (dd_findings_free);
 * add it with dd_scan_add_findings(). 0 or DD_ENOMEM. */
struct dd_findings;
DD_API int dd_policy_verdict_findings(const dd_policy_verdict *v,
                                      struct dd_findings **out,
                                      dd_error *err);

/* The verify callback drydock's commands use: payload is a
 * dd_policy_image_ctx; runs dd_trust_verify_image() on its image and
 * turns the result into *out (attestations: the verified ones, with the
 * predicate type of their in-toto statement). */
typedef struct dd_policy_image_ctx {
    const char *image; /* registry reference or OCI layout directory */
    const char *tag;   /* or NULL */
    const struct dd_registry_opts *ropts; /* or NULL */
    const dd_trust_root *root;            /* NULL with keys only */
} dd_policy_image_ctx;
DD_API int dd_policy_check_image(void *payload,
                                 const dd_trust_policy *signer,
                                 dd_policy_check *out,
                                 dd_error *err);

DD_END_DECLS

#endif
