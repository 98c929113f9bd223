/*
 * lib/source/sbom_input.h - sbom:FILE: a CycloneDX (1.4-1.6) or SPDX 2.3
 * JSON document read as the package list of an image with no layers.
 *
 * dd__sbom_parse() turns the document's components (CycloneDX, nested
 * `components` to a bounded depth; `metadata.component` is the subject,
 * not a package) or packages (SPDX; the described package is the subject)
 * into dd_package records: type, name, version, arch and the OS from the
 * package URL (dd__purl_parse), else from the document's own fields;
 * licenses as text; drydock's own properties (source package, database
 * path) when the document is one drydock wrote. The OS comes from a
 * CycloneDX `operating-system` component or an SPDX OPERATING-SYSTEM
 * package, else from the `distro` qualifier of the first OS package URL.
 *
 * Everything is bounded: the document size (dd__sbom_limits.max_bytes),
 * the components read (max_components: past it, `budget_hit` is set and
 * the rest is not read), the nesting depth, the warnings kept. Problems
 * with one component are warnings naming the JSON path
 * ("components[3]: no version"), and a skipped package marks the list
 * incomplete; a document that is no SBOM is DD_EINVALID / DD_EUNSUPPORTED
 * with one line saying what is supported.
 *
 * Ownership: *out of dd__sbom_parse is the caller's (dd__sbom_doc_free,
 * NULL is a no-op); every string of it lives in its arena. A parsed purl
 * (dd__purl) points into the arena it was given.
 */
#ifndef DD_SBOM_INPUT_H
#define DD_SBOM_INPUT_H

#include <stddef.h>

#include "drydock/errors.h"
#include "drydock/packages.h"
#include "../../util/arena.h"
#include "../../util/util.h"

/* Defaults of dd__sbom_limits (0 = the default). */
#define DD__SBOM_MAX_BYTES      ((size_t)256 << 20)
#define DD__SBOM_MAX_COMPONENTS 500000u
#define DD__SBOM_MAX_DEPTH      16
#define DD__SBOM_MAX_WARNINGS   64

typedef struct dd__sbom_limits {
    size_t max_bytes;      /* the document, before parsing */
    size_t max_components; /* components / packages examined */
    unsigned max_depth;    /* CycloneDX nested components */
} dd__sbom_limits;

typedef struct dd__sbom_doc {
    dd__arena a;
    const char *format;  /* "CycloneDX 1.6", "SPDX-2.3" */
    const char *subject; /* metadata.component / described package, or NULL */
    dd__vec pkgs;        /* dd_package, strings in `a`; layer -1 */
    dd__vec warnings;    /* const char *, in `a` */
    size_t warnings_dropped;
    int incomplete; /* a package was skipped or a bound was hit */
    int budget_hit; /* over max_components: the rest was not read */
    size_t n_components;
    /* the OS, all NULL when the document does not say */
    const char *os_family, *os_version, *os_codename, *os_name;
} dd__sbom_doc;

/* Parse `len` bytes named `what` (used in warnings and errors:
 * "sbom:x.json"). 0; DD_EINVALID (not JSON, not an SBOM, or a format
 * drydock does not read: one line); DD_ELIMIT (over max_bytes);
 * DD_ENOMEM. */
int dd__sbom_parse(dd__sbom_doc **out,
                   const char *data,
                   size_t len,
                   const char *what,
                   const dd__sbom_limits *lim,
                   dd_error *err);
void dd__sbom_doc_free(dd__sbom_doc *d);

/* A package URL, percent-decoded (purl spec): type lower-cased,
 * namespace segments joined with '/', qualifiers keys lower-cased. */
#define DD__PURL_MAX_QUALIFIERS 16
typedef struct dd__purl {
    const char *type, *ns, *name, *version, *subpath; /* ns/version/subpath
                                                         may be NULL */
    const char *qkey[DD__PURL_MAX_QUALIFIERS];
    const char *qval[DD__PURL_MAX_QUALIFIERS];
    size_t n_q;
} dd__purl;
/* 0, DD_EINVALID with `why` (a static string), DD_ENOMEM. */
int dd__purl_parse(dd__purl *out,
                   const char *s,
                   dd__arena *a,
                   const char **why);
/* the qualifier's value, or NULL */
const char *dd__purl_q(const dd__purl *p, const char *key);

#endif
