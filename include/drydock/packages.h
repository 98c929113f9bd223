/*
 * drydock/packages.h - the OS package inventory of an image.
 *
 * Built by dd_scan_run() (scan.h) from the package databases it finds in
 * the layers while streaming them once: dpkg (status, status.d/ of
 * distroless images, info/<pkg>.list), apk (lib/apk/db/installed) and rpm
 * (rpmdb.sqlite, Berkeley DB "Packages", NDB "Packages.db"). Only the
 * databases visible in the final filesystem count; application packages
 * (npm node_modules, ...) are added from their installed metadata; each package
 * carries the layer (and history step) that installed it or last changed its
 * version.
 *
 * Ownership: a dd_inventory is owned by its dd_scan; every pointer taken
 * from it is borrowed and lives as long as the scan.
 */
#ifndef DRYDOCK_PACKAGES_H
#define DRYDOCK_PACKAGES_H

#include "common.h"

DD_BEGIN_DECLS

typedef enum dd_pkg_type {
    DD_PKG_DPKG = 1,
    DD_PKG_APK,
    DD_PKG_RPM,
    /* application packages (lib/lang), found at db_path */
    DD_PKG_NPM,
    DD_PKG_PYPI,
    DD_PKG_GEM,
    DD_PKG_COMPOSER,
    DD_PKG_NUGET,
    DD_PKG_GOLANG,
    DD_PKG_CONDA,
    DD_PKG_CARGO, /* Rust crates (Cargo.lock) */
    DD_PKG_MAVEN  /* Java, name "groupId:artifactId" */
} dd_pkg_type;

typedef struct dd_package {
    dd_pkg_type type;
    const char *name;
    /* Full version as the package manager prints it:
     * dpkg "[epoch:]upstream[-revision]", apk "1.2.3-r4",
     * rpm "[epoch:]version-release". */
    const char *version;
    const char *epoch;    /* NULL when absent */
    const char *upstream; /* dpkg upstream / rpm version / apk version */
    const char *release;  /* dpkg revision / rpm release / NULL */
    const char *arch;
    const char *source_name;    /* dpkg Source:, apk origin, rpm srpm name */
    const char *source_version; /* full source version (dpkg, rpm) */
    const char *maintainer;     /* dpkg Maintainer / apk m: / rpm Packager */
    const char *vendor;         /* rpm Vendor */
    const char *license;        /* as declared: apk L:, rpm License, the
                                   dpkg copyright file's DEP-5 names
                                   ("GPL-2+ AND BSD-3-clause"), npm, PyPI,
                                   gem, composer, Maven pom.xml, conda;
                                   NULL when none. SPDX form:
                                   dd_license_normalize (license.h) */
    const char *checksum;       /* apk C: ("Q1..." sha1), rpm sigmd5,
                                   maven "sha1:<hex>" of the archive */
    const char *source_rpm;     /* rpm SOURCERPM */
    const char *modularity;     /* rpm modularity label */
    const char *db_path;        /* database it came from, e.g. var/lib/... */
    const char *const *files;   /* owned files, "usr/bin/x" (no leading /) */
    size_t n_files;
    int layer;   /* layer that installed it or last changed it */
    int history; /* history step of that layer, -1 if unknown */
    int dev;     /* npm: a dev dependency per the project's lockfile */
} dd_package;

typedef struct dd_os_info {
    const char *family;      /* "debian", "ubuntu", "alpine", "rhel", ... */
    const char *name;        /* PRETTY_NAME or NAME */
    const char *version;     /* VERSION_ID, alpine-release, debian_version */
    const char *codename;    /* VERSION_CODENAME, or NULL */
    const char *source_file; /* file it was read from */
    int eol;                 /* 1 past end of life, 0 supported, -1 unknown */
    const char *eol_date;    /* "YYYY-MM-DD" from our table, or NULL */
} dd_os_info;

typedef struct dd_inventory dd_inventory;

/* OS of the image; NULL when no release file was found. */
DD_API const dd_os_info *dd_inventory_os(const dd_inventory *inv);
/* Packages sorted by type, name, arch. */
DD_API size_t dd_inventory_count(const dd_inventory *inv);
DD_API const dd_package *dd_inventory_get(const dd_inventory *inv, size_t i);
/* Problems met while reading package databases ("path (layer N): line
 * 12: ..."), one line each. */
DD_API size_t dd_inventory_warning_count(const dd_inventory *inv);
DD_API const char *dd_inventory_warning(const dd_inventory *inv, size_t i);
/* 0 when a package database could not be read completely (corrupt,
 * truncated, over a limit): the list may then miss packages. */
DD_API int dd_inventory_complete(const dd_inventory *inv);

/* "dpkg", "apk", "rpm", "npm", "pypi", "gem", "composer", "nuget", "golang",
 * "conda", "cargo", "maven" */
DD_API const char *dd_pkg_type_name(dd_pkg_type t);
/* Package URL (purl spec) for a package of an image with `os`; the caller
 * frees it with dd_string_free(). NULL on ENOMEM. */
DD_API char *dd_package_purl(const dd_package *p, const dd_os_info *os);
DD_API void dd_string_free(char *s);

DD_END_DECLS

#endif
