/*
 * drydock/vulndb.h - the local vulnerability database and matching.
 *
 * The database is one SQLite file built from public feeds by
 * dd_vulndb_import(): OSV JSON (files, directories, osv.dev all.zip
 * archives), Alpine secdb (JSON and the older YAML), Debian security
 * tracker (JSON export, DSA/list and DLA/list). Scans open it read-only,
 * so any number of them can share it. Distro packages are matched by
 * source package on the distro's own advisories (namespace "debian:12",
 * "alpine:3.20", ...) with the distro's version order and status model.
 *
 * Ownership: a dd_vulndb is owned by the caller (dd_vulndb_close). Report
 * structures filled by these functions own their strings until the
 * matching _free call.
 */
#ifndef DRYDOCK_VULNDB_H
#define DRYDOCK_VULNDB_H

#include "common.h"
#include "errors.h"
#include "finding.h"
#include "packages.h"
#include "version.h"

DD_BEGIN_DECLS

typedef struct dd_vulndb dd_vulndb;

/* $XDG_CACHE_HOME/drydock/db/drydock.db (or ~/.cache/...). 0 or
 * DD_ELIMIT when buf is too small. */
DD_API int dd_vulndb_default_path(char *buf, size_t n);

/* Result of an import: totals and the first problems seen. */
typedef struct dd_import_report {
    size_t feeds, records, affected, malformed;
    char *messages; /* newline-separated lines, owned */
} dd_import_report;
DD_API void dd_import_report_free(dd_import_report *r);

/* Import feeds into the database at db_path (created when missing).
 * Atomic: the new database is written beside the old one and renamed
 * over it only when every input was read; on any error the previous
 * database is untouched. Malformed records are counted, not fatal.
 * Returns 0; DD_ENOTFOUND / DD_EUNSUPPORTED (an input is not a feed we
 * know), DD_EIO, DD_ENOMEM. */
DD_API int dd_vulndb_import(const char *db_path,
                            const char *const *inputs,
                            size_t n_inputs,
                            dd_import_report *rep,
                            dd_error *err);

/* Download the official feeds over HTTPS and import them into db_path
 * (dd_vulndb_import, atomic). Downloads are cached in <dir of
 * db_path>/feeds/ with their ETag/Last-Modified; the next update sends a
 * conditional request. Nothing is printed: `line` gets one line per feed
 * ("osv-Debian.zip: downloaded", "...: not modified", later errors),
 * `progress` the bytes of the current download (feed NULL when it ends),
 * `cancel` is polled during transfers (DD_ECANCELED). Returns 0, or
 * DD_EINVALID (unknown feed, mirror not https), DD_ENET (unreachable:
 * offline?), DD_EIO / DD_ECORRUPT (a download failed or is not what the
 * feed serves; nothing is imported then), or an import error. err holds
 * the first error. rep is filled on success; free it with
 * dd_import_report_free either way. */
typedef struct dd_vulndb_update_opts {
    const char *feeds;   /* comma list; NULL: "debian,alpine" */
    const char *mirror;  /* https:// base serving the same paths, or NULL */
    const char *ca_file; /* CA bundle to trust, or NULL (system) */
    void (*line)(void *ud, const char *line);
    void (*progress)(void *ud, const char *feed, uint64_t now, int64_t total);
    int (*cancel)(void *ud); /* non-zero stops */
    void *ud;
} dd_vulndb_update_opts;
#define DD_VULNDB_UPDATE_OPTS_INIT               \
    {                                            \
        NULL, NULL, NULL, NULL, NULL, NULL, NULL \
    }
DD_API int dd_vulndb_update(const char *db_path,
                            const dd_vulndb_update_opts *opts,
                            dd_import_report *rep,
                            dd_error *err);
/* The feed names dd_vulndb_update knows, for messages ("debian, alpine,
 * ..."). Static. */
DD_API const char *dd_vulndb_feed_names(void);

/* Open read-only. DD_ENOTFOUND when there is no database. */
DD_API int dd_vulndb_open(dd_vulndb **out, const char *path, dd_error *err);
DD_API void dd_vulndb_close(dd_vulndb *db);

typedef struct dd_feed_info {
    char *name, *kind, *source;
    int64_t imported_at; /* unix seconds */
    char *newest;        /* newest record's modified/published date */
    uint64_t records, affected, malformed;
    char *namespaces; /* comma-separated */
} dd_feed_info;
DD_API int
dd_vulndb_feeds(dd_vulndb *db, dd_feed_info **out, size_t *n, dd_error *err);
DD_API void dd_feed_info_free(dd_feed_info *f, size_t n);
/* Seconds since the last import (-1 unknown). */
DD_API int64_t dd_vulndb_age(dd_vulndb *db);

typedef enum dd_vuln_status {
    DD_VULN_FIXED = 0, /* a fixed version exists */
    DD_VULN_AFFECTED,  /* no fix yet (unfixed) */
    DD_VULN_WILL_NOT_FIX,
    DD_VULN_DEFERRED,
    DD_VULN_END_OF_LIFE,
    DD_VULN_UNKNOWN,
    DD_VULN_FIXED_ESM /* fixed in Ubuntu Pro (ESM) only: "fixed_esm" */
} dd_vuln_status;
DD_API const char *dd_vuln_status_name(dd_vuln_status s);

/* Vulnerability details of a DD_KIND_VULN finding (dd_finding.vuln). */
typedef struct dd_vuln_info {
    const char *package;        /* binary package name */
    const char *source_package; /* matched name */
    const char *installed_version;
    const char *fixed_version; /* NULL when unfixed */
    dd_vuln_status status;
    const char *pkg_type;   /* "dpkg", "apk", "rpm" */
    const char *namespace_; /* "debian:12" */
    const char *references; /* other ids: aliases and advisories,
                               comma-separated, or NULL */
    double cvss_score;      /* < 0 when none */
    const char *cvss_vector;
    const char *purl;
} dd_vuln_info;

/* The ecosystem table (one row per ecosystem: purl type, version scheme,
 * OSV name, namespace, name rules). Version scheme of a database
 * namespace ("debian:12", "npm", "maven", "rubygems"): 0 and *out set;
 * DD_ENOTFOUND for an unknown namespace; DD_EUNSUPPORTED when drydock has
 * no comparator for that ecosystem (its packages stay unmatched). */
DD_API int dd_ecosystem_scheme(const char *ns, dd_version_scheme *out);
/* Normalise a package name as its ecosystem compares names (PyPI PEP 503,
 * NuGet and Packagist case-insensitive, Maven group:artifact, npm
 * %40scope): 0, DD_ENOTFOUND unknown namespace, DD_EINVALID bad name,
 * DD_ELIMIT when out (n bytes) is too small. */
DD_API int
dd_ecosystem_normalize(const char *ns, const char *name, char *out, size_t n);

/* Match any (namespace, package, version) triple - "debian:12" + source
 * package, "npm" + name, "maven" + "group:artifact", ... - compared with
 * `scheme`. Findings (layer -1) go to *out (caller frees). */
DD_API int dd_vuln_match_package(dd_vulndb *db,
                                 const char *ns,
                                 dd_version_scheme scheme,
                                 const char *name,
                                 const char *version,
                                 dd_findings **out,
                                 dd_error *err);

DD_END_DECLS

#endif
