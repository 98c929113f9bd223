/*
 * drydock/scan.h - one pass over an image with the analyzers.
 *
 * dd_scan_run() runs the layer walk (walk.h) and offers every file to the
 * analyzers that asked for it while the layer streams past; their
 * per-layer results are merged in layer order afterwards.
 *
 * Ownership: *out is owned by the caller and freed with dd_scan_free()
 * (NULL is a no-op). Everything borrowed from a scan (walk, inventory,
 * findings) lives as long as it. The image must outlive the scan.
 */
#ifndef DRYDOCK_SCAN_H
#define DRYDOCK_SCAN_H

#include "common.h"
#include "errors.h"
#include "finding.h"
#include "image.h"
#include "packages.h"
#include "walk.h"

DD_BEGIN_DECLS

#define DD_ANALYZE_PACKAGES 0x1u
#define DD_ANALYZE_SECRETS  0x2u
#define DD_ANALYZE_MALWARE  0x4u
#define DD_ANALYZE_CONFIG   0x8u /* image configuration checks (config.h) */

/* Malware scanning (README "Malware"). Every field may stay zero. */
typedef struct dd_malware_opts {
    const char *const *yara_rules; /* files or directories of rules */
    size_t n_yara_rules;
    int no_builtin_rules;        /* 1: only yara_rules */
    const char *const *hash_dbs; /* .hdb/.hsb/plain lists or directories */
    size_t n_hash_dbs;
    const char *clamd;      /* "unix:/path" or "tcp:HOST:PORT", or NULL */
    const char *clamav_db;  /* in-process libclamav database dir, or NULL */
    uint64_t max_file_size; /* bytes scanned per file; 0 = 256 MiB */
    const char *cache_dir;  /* compiled-rules cache, NULL = none */
    int no_heuristics;
} dd_malware_opts;

#define DD_SCAN_OPTS_VERSION 1
typedef struct dd_scan_opts {
    unsigned version;
    dd_walk_opts walk;
    unsigned analyzers; /* DD_ANALYZE_* bits; 0 = all */
    /* secrets: JSON file with extra rules, disabled ids and allow-lists
     * (README "Secrets"), or NULL */
    const char *secret_config;
    dd_malware_opts malware;
    /* config checks: disabled ids and severities (config.h), or NULL */
    const struct dd_check_policy *checks;
} dd_scan_opts;
#define DD_SCAN_OPTS_INIT                                       \
    {                                                           \
        DD_SCAN_OPTS_VERSION, DD_WALK_OPTS_INIT, 0, NULL,       \
            {NULL, 0, 0, NULL, 0, NULL, NULL, 0, NULL, 0}, NULL \
    }

typedef struct dd_scan dd_scan;

/* Returns 0 when the scan ran (problems in the image are findings and
 * warnings, see dd_walk_complete / dd_inventory_complete); DD_EIO,
 * DD_ENOMEM, DD_EINVALID otherwise. */
DD_API int dd_scan_run(dd_scan **out,
                       const dd_image *img,
                       const dd_scan_opts *opts,
                       dd_error *err);
DD_API void dd_scan_free(dd_scan *s);

DD_API const dd_walk *dd_scan_walk(const dd_scan *s);
/* NULL unless DD_ANALYZE_PACKAGES, _MALWARE or _CONFIG was asked for
 * (the latter two read package file lists). */
DD_API const dd_inventory *dd_scan_inventory(const dd_scan *s);
/* Malware engines in use, e.g. "yara (34 rules), hash (2), clamd (ClamAV
 * 1.4.6/...)"; "" when the malware analyzer did not run. Borrowed. */
DD_API const char *dd_scan_malware_engines(const dd_scan *s);
/* Walk findings followed by the analyzers' findings. */
DD_API const dd_findings *dd_scan_findings(const dd_scan *s);

DD_END_DECLS

#endif
