/*
 * lib/pkg/pkgdb.h - parsed package databases (internal).
 *
 * Each parser turns the bytes of one database file into a dd__pkgdb: the
 * packages (public dd_package records whose strings live in the db's
 * arena), warnings ("<path>: line 12: ..."), and whether the whole file
 * could be read. Parsers are pure functions of their input: no I/O, no
 * global state, safe on hostile bytes (each has a fuzz target).
 *
 * Return codes: 0 when parsing ran (problems are warnings and
 * complete = 0), DD_ENOMEM otherwise. Ownership: the caller owns the
 * dd__pkgdb and frees it with dd__pkgdb_free().
 */
#ifndef DD_PKGDB_H
#define DD_PKGDB_H

#include <stddef.h>
#include <stdint.h>

#include <stdatomic.h>

#include "drydock/packages.h"
#include "../../util/arena.h"
#include "../../util/util.h"

#define DD_PKG_MAX_WARNINGS 50

typedef struct dd__pkgdb {
    const char *path; /* as given (arena copy) */
    dd__arena strings;
    dd__vec pkgs;     /* dd_package */
    dd__vec warnings; /* const char * (arena) */
    size_t warnings_dropped;
    int complete;
    int oom;
    atomic_int refs; /* owners; dd__pkgdb_free drops one */
} dd__pkgdb;

/* A new database with one reference (the caller's). */
dd__pkgdb *dd__pkgdb_new(const char *path);
/* One more owner of `db` (layers whose copies of a database are the same
 * bytes share one parse); returns db. */
dd__pkgdb *dd__pkgdb_ref(dd__pkgdb *db);
/* Drops one reference; the last frees it (NULL ok). */
void dd__pkgdb_free(dd__pkgdb *db);
void dd__pkgdb_warn(dd__pkgdb *db, const char *fmt, ...) DD_PRINTF(2, 3);
/* New zeroed package (layer/history = -1), NULL on ENOMEM. */
dd_package *dd__pkgdb_add(dd__pkgdb *db, dd_pkg_type type);
char *dd__pkgdb_strndup(dd__pkgdb *db, const char *s, size_t n);
/* Build p->version from epoch/upstream/release (dpkg and rpm style). */
int dd__pkgdb_full_version(dd__pkgdb *db, dd_package *p);

/* dpkg: "var/lib/dpkg/status" or one "status.d/<pkg>" file (whose
 * stanzas carry no Status: field). Only installed packages are kept. */
int dd__dpkg_parse(dd__pkgdb *db,
                   const uint8_t *data,
                   size_t len,
                   int status_d);
/* dpkg version syntax check (dpkg's own rules). */
int dd__dpkg_version_valid(const char *v);
/* apk installed database. */
int dd__apk_parse(dd__pkgdb *db, const uint8_t *data, size_t len);
/* One rpm header blob as stored in an rpmdb ("where" names it in
 * warnings). Adds one package or warns. */
int dd__rpm_header_parse(dd__pkgdb *db,
                         const uint8_t *blob,
                         size_t len,
                         const char *where);
/* rpmdb backends: Berkeley DB hash ("Packages"), NDB ("Packages.db"),
 * SQLite ("rpmdb.sqlite"). */
int dd__rpmdb_bdb(dd__pkgdb *db, const uint8_t *data, size_t len);
int dd__rpmdb_ndb(dd__pkgdb *db, const uint8_t *data, size_t len);
int dd__rpmdb_sqlite(dd__pkgdb *db, const uint8_t *data, size_t len);

/* OS release detection from the contents of the release files. */
typedef struct dd__os_files {
    const char *os_release; /* etc/os-release or usr/lib/os-release */
    size_t os_release_len;
    const char *os_release_path;
    const char *alpine_release;
    size_t alpine_release_len;
    const char *debian_version;
    size_t debian_version_len;
    const char *redhat_release;
    size_t redhat_release_len;
    int has_status_d; /* distroless Debian */
} dd__os_files;
/* Fill *os with strings from `a`; 0 found, DD_ENOTFOUND, DD_ENOMEM.
 * `now` (unix seconds) decides the end-of-life flag. */
int dd__os_detect(const dd__os_files *f,
                  dd__arena *a,
                  dd_os_info *os,
                  int64_t now);

#endif
