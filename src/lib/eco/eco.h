/*
 * lib/eco/eco.h - the one ecosystem table: for every package ecosystem
 * drydock knows, its purl type and namespace, version scheme, OSV
 * ecosystem name, vulnerability-database namespace, `db update` feed name
 * and name normalisation.
 *
 * Rows are static and immutable (thread-safe); every pointer returned is
 * borrowed from the table and lives for the whole process. Strings
 * returned through `char **` or as `char *` are owned by the caller
 * (dd__free).
 */
#ifndef DD_ECO_H
#define DD_ECO_H

#include <stddef.h>

#include "drydock/packages.h"
#include "drydock/version.h"
#include "drydock/vulndb.h"

typedef enum dd__eco_norm {
    DD__ECO_NORM_EXACT = 0, /* case-sensitive, as written (Go, OS) */
    DD__ECO_NORM_PEP503,    /* lower case, runs of -_. become one - */
    DD__ECO_NORM_LOWER,     /* ASCII case-insensitive (NuGet, Packagist) */
    DD__ECO_NORM_MAVEN,     /* group:artifact ("group/artifact" accepted) */
    DD__ECO_NORM_NPM        /* "%40scope/name" -> "@scope/name" */
} dd__eco_norm;

typedef struct dd__eco {
    const char *id;        /* short name, also the DB namespace prefix */
    const char *osv;       /* OSV ecosystem name, NULL when none */
    const char *purl_type; /* "npm", "pypi", "golang", "deb", "rpm", ... */
    const char *purl_ns;   /* purl namespace of OS rows ("redhat"), or NULL */
    const char *os_family; /* os-release ID of OS rows ("rhel"), or NULL */
    int family_prefix;     /* os_family matches as a prefix ("sle") */
    int release;           /* DB namespace is "id:release" */
    int has_scheme;        /* 0: no comparator - never compared */
    dd_version_scheme scheme;
    dd__eco_norm norm;
    const char *feed; /* `drydock db update --feeds` name, or NULL */
    int purl_case;    /* the purl keeps the name's case (NuGet) */
} dd__eco;

/* Number of rows and row i (NULL past the end). */
size_t dd__eco_count(void);
const dd__eco *dd__eco_at(size_t i);

/* Lookups; NULL when unknown. by_ns takes a DB namespace ("debian:12",
 * "npm"); by_osv an OSV ecosystem ("Alpine:v3.20", "PyPI"); by_family an
 * os-release ID; by_purl_type the purl type plus (for OS types) the purl
 * namespace, which may be NULL. */
const dd__eco *dd__eco_by_id(const char *id);
const dd__eco *dd__eco_by_ns(const char *ns);
const dd__eco *dd__eco_by_osv(const char *osv);
const dd__eco *dd__eco_by_family(const char *family);
const dd__eco *dd__eco_by_purl_type(const char *type, const char *purl_ns);

/* Language row of an application package type (DD_PKG_NPM -> "npm");
 * NULL for OS package types. */
const dd__eco *dd__eco_by_pkg_type(dd_pkg_type t);

/* Normalise a package name as the ecosystem compares names into out (n
 * bytes, NUL-terminated). 0, or DD_ELIMIT when it does not fit, or
 * DD_EINVALID for an empty name or a Maven name without "group:". */
int dd__eco_normalize(const dd__eco *e, const char *name, char *out, size_t n);

/* "pkg:TYPE/NAME@VERSION" for a language package (npm scope, Maven group
 * and Composer vendor as purl namespaces; Go module path segments kept),
 * percent-encoded; NULL on allocation failure or an invalid name. */
char *dd__eco_purl(const dd__eco *e, const char *name, const char *version);

#endif
