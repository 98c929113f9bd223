/*
 * drydock/scan.h - the whole scan of one image with one engine.
 *
 * dd_scan_run() runs the layer walk (walk.h) and offers every file to the
 * analyzers of the chosen scanners while the layer streams past, runs
 * their finishers over the merged filesystem, matches the package
 * inventory against the engine's vulnerability database, applies the
 * ignore file and the severity / unfixed filters, and produces one sorted
 * findings list with a summary and warnings. Reports are rendered from a
 * scan by report.h.
 *
 * Threads: any number of dd_scan_run() calls may share one engine at the
 * same time; a finished dd_scan is read-only and may be read from any
 * thread. The cancel callback and progress callback are called from the
 * walk's worker threads.
 *
 * Ownership: *out is owned by the caller and freed with dd_scan_free()
 * (NULL is a no-op). Everything borrowed from a scan (walk, inventory,
 * findings, warnings, ignored entries) lives as long as it. A scan holds a
 * reference to its engine; the image must outlive the scan.
 */
#ifndef DRYDOCK_SCAN_H
#define DRYDOCK_SCAN_H

#include "common.h"
#include "engine.h"
#include "errors.h"
#include "finding.h"
#include "image.h"
#include "packages.h"
#include "walk.h"

DD_BEGIN_DECLS

/* Scanners a user can ask for. Their names ("vuln", "secret", "malware",
 * "config", "packages") come from the library's analyzer table. */
#define DD_SCANNER_VULN     0x01u
#define DD_SCANNER_SECRET   0x02u
#define DD_SCANNER_MALWARE  0x04u
#define DD_SCANNER_CONFIG   0x08u
#define DD_SCANNER_PACKAGES 0x10u /* the package inventory alone (SBOM) */
#define DD_SCANNER_LICENSE  0x20u /* package licenses (docs/licenses.md) */
/* The default set: every scanner that reports findings, but licenses
 * (asked for by name, as in Trivy). */
#define DD_SCANNERS_DEFAULT                                     \
    (DD_SCANNER_VULN | DD_SCANNER_SECRET | DD_SCANNER_MALWARE | \
     DD_SCANNER_CONFIG)

/* Scanners in the table, in order: name and DD_SCANNER_* bit. */
DD_API size_t dd_scanner_count(void);
DD_API const char *dd_scanner_name(size_t i); /* NULL out of range */
DD_API unsigned dd_scanner_bit(size_t i);
/* "vuln,secret" -> bits. DD_EINVALID with "unknown scanner 'x' (known:
 * vuln, secret, malware, config, packages)". */
DD_API int dd_scanners_parse(const char *list, unsigned *out, dd_error *err);

/* Return nonzero to stop the scan (DD_ECANCELED). */
typedef int (*dd_cancel_fn)(void *payload);

#define DD_SCAN_OPTS_VERSION 3
typedef struct dd_scan_opts {
    unsigned version;
    dd_walk_opts walk;
    /* DD_SCANNER_* bits; 0 = DD_SCANNERS_DEFAULT restricted to what the
     * engine has (no database: no vuln, with a warning). Asking for a
     * scanner the engine cannot run is DD_EINVALID. */
    unsigned scanners;
    unsigned
        severities; /* bit (1u << dd_severity) per reported level; 0 = all */
    int ignore_unfixed; /* drop vulnerabilities without a fixed version */
    /* ids to ignore, one per line: ID [exp:YYYY-MM-DD] [# reason]
     * (.trivyignore format); NULL = none */
    const char *ignore_file;
    /* polled by the walk's workers between entries; nonzero stops the
     * scan with DD_ECANCELED */
    dd_cancel_fn cancel;
    void *cancel_payload;
    /* whole-scan deadline in milliseconds, 0 = none: layers not read by
     * then get a HIGH "scan.timeout" finding and the scan is incomplete */
    uint64_t timeout_ms;
    /* nonzero: also list the packages of project lockfiles
     * (package-lock.json, yarn.lock, pnpm-lock.yaml, poetry.lock,
     * Pipfile.lock, requirements*.txt, uv.lock, go.mod, Gemfile.lock,
     * composer.lock, packages.lock.json, pom.xml, gradle.lockfile) found
     * outside node_modules/ and vendor/. Cargo.lock is always read, and
     * every lockfile is when the image is a project directory
     * (DD_SOURCE_FS). Their packages carry the lockfile as db_path. */
    int lockfiles;
    /* DD_PKG_TYPES_* bits: which packages are listed and matched (Trivy's
     * --pkg-types); 0 = both. Without LIBRARY the application-package
     * analyzers do not run. */
    unsigned pkg_types;
} dd_scan_opts;
#define DD_PKG_TYPES_OS      1u /* dpkg, apk, rpm */
#define DD_PKG_TYPES_LIBRARY 2u /* npm, PyPI, Go, Maven, crates, ... */
#define DD_SCAN_OPTS_INIT                                                      \
    {                                                                          \
        DD_SCAN_OPTS_VERSION, DD_WALK_OPTS_INIT, 0, 0, 0, NULL, NULL, NULL, 0, \
            0, 0                                                               \
    }

typedef struct dd_scan dd_scan;

/* Returns 0 when the scan ran (problems in the image are findings and
 * warnings, see dd_scan_summary_get()->complete); DD_ECANCELED when the
 * cancel callback asked to stop; DD_EIO, DD_ENOMEM, DD_EINVALID
 * otherwise (with a one-line message in err). */
DD_API int dd_scan_run(dd_scan **out,
                       dd_engine *eng,
                       const dd_image *img,
                       const dd_scan_opts *opts,
                       dd_error *err);
DD_API void dd_scan_free(dd_scan *s);

/* The findings that remain after ignores and filters: vulnerabilities
 * first (by package, then severity, then id), then the others in layer
 * order; image-level findings first. */
DD_API const dd_findings *dd_scan_findings(const dd_scan *s);
/* Add copies of findings made outside the scan (image signatures,
 * drydock/trust.h) to the report, its order and its summary; not
 * filtered by the scan's severities or ignore file. 0 or DD_ENOMEM. */
DD_API int
dd_scan_add_findings(dd_scan *s, const dd_findings *extra, dd_error *err);
/* Record that the image's signatures were checked and with what verdict
 * (one line, copied): the report's trust line and the JSON "signatures"
 * field say it. 0 or DD_ENOMEM / DD_EINVALID. */
DD_API int
dd_scan_set_signatures(dd_scan *s, const char *verdict, dd_error *err);

typedef struct dd_scan_summary {
    size_t total;
    size_t by_severity[6]; /* index dd_severity */
    size_t ignored;
    size_t packages_checked;  /* against the vulnerability database */
    unsigned scanners;        /* DD_SCANNER_* bits that ran */
    int complete;             /* 1: every layer and package DB read whole */
    const char *db_path;      /* or NULL */
    const char *db_namespace; /* "debian:12", or NULL */
    int64_t db_age;           /* seconds, -1 unknown */
    /* the signature verdict dd_scan_set_signatures recorded ("verified:
     * cosign signature, key ...", "NOT verified: ..."), or NULL when the
     * image's signatures were not checked */
    const char *signatures;
} dd_scan_summary;
DD_API const dd_scan_summary *dd_scan_summary_get(const dd_scan *s);

/* Warnings about the scan (old database, scanner not run, unknown OS,
 * expired ignore entries, ...): one line each, borrowed. */
DD_API size_t dd_scan_warning_count(const dd_scan *s);
DD_API const char *dd_scan_warning(const dd_scan *s, size_t i);

/* Findings the ignore file removed. Strings borrowed; expires/package
 * NULL when absent. */
typedef struct dd_ignored {
    const char *id;      /* the finding's rule id */
    const char *package; /* vulnerable package, or NULL */
    const char *rule;    /* the ignore entry that matched */
    const char *expires; /* YYYY-MM-DD, or NULL */
    const char *reason;  /* "" when none */
    const char *path;    /* the finding's path, or NULL */
} dd_ignored;
DD_API size_t dd_scan_ignored_count(const dd_scan *s);
DD_API const dd_ignored *dd_scan_ignored(const dd_scan *s, size_t i);

DD_API const dd_image *dd_scan_image(const dd_scan *s);
DD_API const dd_walk *dd_scan_walk(const dd_scan *s);
/* NULL unless the packages were read (vuln, malware, config or packages
 * scanners). */
DD_API const dd_inventory *dd_scan_inventory(const dd_scan *s);
/* Malware engines in use (dd_engine_malware_engines), "" when the
 * malware scanner did not run. Borrowed. */
DD_API const char *dd_scan_malware_engines(const dd_scan *s);

DD_END_DECLS

#endif
