/*
 * lib/policy/policy_int.h - the policy's document tree (tree.c: YAML
 * through libyaml events, JSON through jansson), its decoded form
 * (parse.c) and the glob matcher, shared with the evaluator (eval.c).
 *
 * Ownership: every node, string and array of a policy lives in the
 * policy's arena and dies with dd_policy_free().
 */
#ifndef DD_POLICY_INT_H
#define DD_POLICY_INT_H

#include "drydock/policy.h"
#include "../../util/arena.h"
#include "../../util/util.h"

/* ---- document tree ---- */
typedef enum { DD__PN_MAP = 0, DD__PN_SEQ, DD__PN_SCALAR } dd__pn_type;

typedef struct dd__pnode {
    dd__pn_type type;
    size_t line; /* 1-based, 0 when not known (JSON) */
    char *s;     /* scalar text (NUL-ended; no NUL inside) */
    int plain;   /* scalar was not quoted (null / true / numbers) */
    size_t n;    /* children */
    char **keys; /* map: key of each child */
    struct dd__pnode **kids;
} dd__pnode;

/* Parse YAML or JSON into a tree in `a`. 0; DD_EINVALID with one line in
 * err (name, line, what), DD_ELIMIT, DD_ENOMEM. */
int dd__policy_tree(dd__arena *a,
                    const char *name,
                    const char *text,
                    size_t len,
                    dd__pnode **root,
                    dd_error *err);

/* ---- globs ----
 * `*` matches within a path segment (no '/'), `**` (a whole segment) zero
 * or more segments, through util/glob.c; the check refuses its other
 * wildcards (? [ ] \) and { }. 0 valid, -1 with why. */
int dd__policy_glob_check(const char *pat, const char **why);
int dd__policy_glob_match(const char *pat, const char *s);
/* literal characters of a pattern (specificity) */
size_t dd__policy_glob_literal(const char *pat);

/* ---- decoded policy ---- */
enum { DD__AUTH_KEY = 0, DD__AUTH_KEYLESS, DD__AUTH_STATIC };
enum { DD__MODE_INHERIT = 0, DD__MODE_ENFORCE, DD__MODE_WARN };
enum { DD__COMBINE_ALL = 0, DD__COMBINE_SPECIFIC };

typedef struct dd__pol_list {
    char **v;
    size_t n;
} dd__pol_list;

typedef struct dd__pol_auth {
    char *name;
    int kind;
    char *key_pem;
    char *identity, *issuer;
    int identity_regex, issuer_regex;
    int static_allow;
} dd__pol_auth;

typedef struct dd__pol_attest {
    char *name;
    char *predicate_type; /* glob */
    int64_t max_age;      /* seconds, 0 = any age */
} dd__pol_attest;

typedef struct dd__pol_frule {
    char *name;
    unsigned kinds; /* 1u << dd_finding_kind; 0 = any */
    dd__pol_list ids;
    dd__pol_list categories;
    int min_sev;       /* dd_severity, -1 = any */
    int fixable;       /* -1 any, 0 without a fix, 1 with a fix */
    int deleted;       /* -1 any, 0 visible files, 1 deleted files */
    double cvss_above; /* < 0: no condition */
    size_t max;        /* findings allowed */
    int warn;          /* action: warn (else deny) */
} dd__pol_frule;

typedef struct dd__pol_rule {
    char *name;
    dd__pol_list images;
    int mode;
    dd__pol_auth *auth;
    size_t n_auth;
    dd__pol_attest *att;
    size_t n_att;
    dd__pol_list registries;
    int require_digest;
    dd__pol_frule *fr;
    size_t n_fr;
    size_t specificity; /* filled per image by the evaluator */
} dd__pol_rule;

typedef struct dd__pol_exc {
    char *name;
    dd__pol_list images, codes, ids;
    char *rule;
    char *expires_text; /* YYYY-MM-DD, or NULL: never */
    int64_t expires;    /* first second after that day (UTC) */
    char *justification;
} dd__pol_exc;

struct dd_policy {
    dd__arena arena;
    int mode; /* ENFORCE or WARN */
    int combine;
    dd_policy_decision dflt;
    dd__pol_rule *rules;
    size_t n_rules;
    dd__pol_exc *exc;
    size_t n_exc;
    dd__pol_list vex; /* VEX documents for the scan (docs/vex.md) */
};

#endif
