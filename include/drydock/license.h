/*
 * drydock/license.h - package licenses as SPDX expressions, and their
 * classification (docs/licenses.md).
 *
 * dd_license_normalize() turns what a package manager wrote (Debian
 * short names "GPL-2+", rpm "GPLv2+ and BSD", PyPI "MIT License",
 * "Apache License, Version 2.0", an SPDX expression, ...) into an SPDX
 * license expression: known names become SPDX ids, "and"/"or"/"with" the
 * operators AND/OR/WITH, parentheses are kept, and a name we do not know
 * becomes "LicenseRef-<name>" (letters, digits, '.' and '-' only) so it
 * stays visible. The result is stable: normalising it again gives it back.
 *
 * dd_license_classify() puts an expression in a category: a license
 * policy (built-in table, overridden by the user) gives each SPDX id a
 * category; "A OR B" takes the least restrictive of A and B (the user may
 * choose), "A AND B" the most restrictive, "A WITH E" that of A.
 *
 * Threads: every function is pure or works on caller-owned objects; a
 * policy is read-only after it is built and may be shared by threads.
 * Ownership: strings returned through `out` are owned by the caller and
 * freed with dd_string_free() (packages.h); a policy is freed with
 * dd_license_policy_free() (NULL is a no-op).
 */
#ifndef DRYDOCK_LICENSE_H
#define DRYDOCK_LICENSE_H

#include "common.h"
#include "errors.h"

DD_BEGIN_DECLS

/* Longest input the parser reads (bytes) and deepest parenthesis nesting;
 * longer or deeper input is DD_EINVALID. */
#define DD_LICENSE_MAX_TEXT  4096
#define DD_LICENSE_MAX_DEPTH 32
#define DD_LICENSE_MAX_TERMS 256

/* Normalise `len` bytes of license text into an SPDX expression in *out.
 * 0: *out is the expression. DD_EINVALID: the text is not an expression
 * (unbalanced parentheses, operator without operand, too long, too deep,
 * control bytes): *out is still set, to one LicenseRef- made from the
 * text, and `why` says what was wrong with the offset. DD_ENOTFOUND:
 * empty text (only blanks, "NONE", "UNKNOWN", "NOASSERTION"), *out NULL.
 * DD_ENOMEM: *out NULL. */
DD_API int
dd_license_normalize(const char *text, size_t len, char **out, dd_error *why);

typedef enum dd_license_category {
    DD_LICENSE_UNKNOWN = 0,  /* not in the policy (LicenseRef-, unparsed) */
    DD_LICENSE_UNENCUMBERED, /* CC0-1.0, Unlicense, 0BSD, public domain */
    DD_LICENSE_PERMISSIVE,   /* no notice needed (e.g. MIT-0) */
    DD_LICENSE_NOTICE,       /* MIT, BSD, Apache, ISC, Zlib, ... */
    DD_LICENSE_RECIPROCAL,   /* file-level copyleft: MPL, EPL, CDDL */
    DD_LICENSE_RESTRICTED,   /* GPL, LGPL, CC-BY-SA, ... */
    DD_LICENSE_FORBIDDEN     /* AGPL, SSPL, CC-BY-NC, Commons-Clause */
} dd_license_category;
#define DD_LICENSE_CATEGORY_COUNT 7

/* "unknown", "unencumbered", "permissive", "notice", "reciprocal",
 * "restricted", "forbidden"; and back (any case), -1 for other words. */
DD_API const char *dd_license_category_name(dd_license_category c);
DD_API int dd_license_category_parse(const char *s);

typedef struct dd_license_policy dd_license_policy;

/* A policy holding the built-in classification. DD_ENOMEM. */
DD_API int dd_license_policy_new(dd_license_policy **out, dd_error *err);
DD_API void dd_license_policy_free(dd_license_policy *p);
/* Put licenses matching `pattern` (an SPDX id, any case, or a prefix
 * ending in '*': "GPL-*", "LicenseRef-*") in category `c`; later calls
 * win over earlier ones and over the built-in table. DD_EINVALID for an
 * empty or over-long pattern, DD_ENOMEM. */
DD_API int dd_license_policy_set(dd_license_policy *p,
                                 const char *pattern,
                                 dd_license_category c,
                                 dd_error *err);
/* Read overrides from a JSON file: {"forbidden": ["AGPL-3.0-only"],
 * "restricted": [...], ..., "unknown": [...]} - a key per category, each
 * a list of patterns as for dd_license_policy_set. Errors name the file
 * and the key: DD_EIO, DD_EINVALID, DD_ENOMEM. */
DD_API int
dd_license_policy_load(dd_license_policy *p, const char *path, dd_error *err);
/* Every pattern of `list` (separated by commas or blanks) in category
 * `c`: "MIT, GPL-*". Errors as dd_license_policy_set, naming the
 * pattern. */
DD_API int dd_license_policy_set_list(dd_license_policy *p,
                                      const char *list,
                                      dd_license_category c,
                                      dd_error *err);

/* Category of an SPDX id or of a whole expression (raw text is
 * normalised first). `p` NULL: the built-in table. */
DD_API dd_license_category dd_license_classify(const dd_license_policy *p,
                                               const char *text);

DD_END_DECLS

#endif
