/*
 * lib/vex/vex_int.h - VEX documents (OpenVEX 0.2.0, CycloneDX 1.4-1.6
 * VEX, CSAF 2.0 VEX) read into one list of statements, and the statement
 * that decides a finding (docs/vex.md).
 *
 * Every statement names one vulnerability (with its aliases), one product
 * (a package purl, an image digest / reference / pkg:oci purl, or a CPE
 * that scopes its subcomponents) and optionally the subcomponents (purls)
 * it covers. A document with N products per vulnerability becomes N
 * statements. Parsing is bounded: DD_VEX_MAX_BYTES per document, the JSON
 * nesting limit of dd__json_parse, DD_VEX_MAX_STATEMENTS in all, and
 * errors are one line "FILE: $.json.path: what".
 *
 * Ownership: a dd__vex owns its statements and every string
 * (dd__vex_free). Not thread-safe to fill; read-only matching may be
 * shared.
 */
#ifndef DD_VEX_INT_H
#define DD_VEX_INT_H

#include "drydock/errors.h"
#include "drydock/finding.h"
#include "drydock/image.h"
#include "../../util/arena.h"
#include "../../util/map.h"
#include "../../util/util.h"

#define DD_VEX_MAX_BYTES      (32u << 20)
#define DD_VEX_MAX_STATEMENTS 200000u
#define DD_VEX_MAX_FILES      64u
#define DD_VEX_MAX_ALIASES    64u
#define DD_VEX_MAX_SUBS       1024u
#define DD_VEX_MAX_ID         4096u /* bytes of one id, purl or reference */

typedef enum dd__vex_status {
    DD__VEX_NOT_AFFECTED = 0,
    DD__VEX_FIXED,
    DD__VEX_AFFECTED,
    DD__VEX_UNDER_INVESTIGATION
} dd__vex_status;

typedef struct dd__vex_stmt {
    const char *vuln;        /* "CVE-2024-1234" */
    const char *aliases;     /* other ids, comma-separated, or NULL */
    const char *product;     /* purl, sha256:..., image reference or CPE */
    const char *version;     /* CycloneDX affects[].versions: the installed
                                version must be this one; or NULL */
    const char *const *subs; /* subcomponent purls */
    size_t n_subs;
    dd__vex_status status;
    const char *justification; /* or NULL */
    const char *timestamp;     /* RFC 3339, or NULL */
    const char *file;          /* the document's name */
    const char *format;        /* "OpenVEX", "CycloneDX", "CSAF" */
    size_t seq;                /* order read, over all documents */
} dd__vex_stmt;

typedef struct dd__vex_node {
    size_t stmt;  /* index into stmts */
    int64_t next; /* next node of the same id, -1 at the end */
} dd__vex_node;

typedef struct dd__vex {
    dd__arena strings;
    dd__vec stmts; /* dd__vex_stmt */
    size_t files;
    /* every id and alias, upper-cased -> its first node: the statements
     * naming it (matching looks at those only) */
    dd__map index;
    int index_ready;
    dd__vec nodes; /* dd__vex_node */
} dd__vex;

void dd__vex_init(dd__vex *v);
void dd__vex_free(dd__vex *v);
/* One document of any of the three formats (told apart by its fields).
 * 0, DD_ECORRUPT, DD_ELIMIT or DD_ENOMEM with "NAME: $.path: ...". */
int dd__vex_parse(
    dd__vex *v, const char *name, const char *text, size_t len, dd_error *err);
/* The same for a file (DD_ENOTFOUND / DD_EIO naming it). */
int dd__vex_load(dd__vex *v, const char *path, dd_error *err);
/* The statement that decides `f` (a vulnerability finding) in image
 * `img`: of those whose id, product and subcomponents match, the latest
 * (by timestamp when both have one, else the one read last). NULL when
 * none does. `img` may be NULL (packages only). */
const dd__vex_stmt *
dd__vex_match(const dd__vex *v, const dd_finding *f, const dd_image_info *img);
/* "not_affected", "fixed", "affected", "under_investigation" */
const char *dd__vex_status_name(dd__vex_status s);
/* 1 when the status retires a finding (not_affected, fixed) */
int dd__vex_suppresses(dd__vex_status s);

#endif
