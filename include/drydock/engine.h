/*
 * drydock/engine.h - the compile-once scanning engine.
 *
 * An engine holds everything a scan needs that does not depend on the
 * image: the compiled secret rules, the compiled YARA rules, hash lists,
 * the clamd address or libclamav database, the configuration-check
 * policy and a pool of read-only vulnerability-database connections. It
 * is built once (dd_engine_new), is immutable afterwards and is shared by
 * any number of threads running dd_scan_run() at the same time.
 *
 * Threads: dd_global_init() sets up process-wide library state (libyara,
 * libcurl, libclamav) exactly once, whatever thread calls it first;
 * dd_engine_new() calls it. Every function taking a `const dd_engine *`
 * may be called from any thread. Per-thread state (YARA scanners, DB
 * connections, clamd sessions) comes from pools inside the engine.
 *
 * Ownership: dd_engine_new() returns an engine with one reference, owned
 * by the caller. dd_engine_ref() adds one (a scan keeps one while it
 * lives, so an engine may be released while scans made with it still
 * exist); dd_engine_free() drops one and frees the engine with the last.
 * Strings in dd_engine_opts are copied or read during dd_engine_new()
 * only; nothing in the options is borrowed afterwards.
 */
#ifndef DRYDOCK_ENGINE_H
#define DRYDOCK_ENGINE_H

#include "common.h"
#include "errors.h"

DD_BEGIN_DECLS

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

#define DD_ENGINE_OPTS_VERSION 1
typedef struct dd_engine_opts {
    unsigned version;
    /* vulnerability database (vulndb.h); NULL: no vulnerability scanner */
    const char *db_path;
    int64_t db_max_age; /* warn when older (seconds); 0 = 7 days */
    /* secrets: JSON file with extra rules, disabled ids and allow-lists
     * (README "Secrets"), or NULL */
    const char *secret_config;
    dd_malware_opts malware;
    /* configuration checks: JSON file with disabled ids and severities
     * (docs/checks.md), or NULL */
    const char *checks_config;
    /* read-only DB connections kept for reuse; 0 = 2 x online CPUs */
    unsigned db_connections;
    /* 1: build no malware engines at all (the scanner is unavailable) */
    int no_malware;
    /* license scanner: JSON file of category overrides (docs/licenses.md,
     * dd_license_policy_load), or NULL for the built-in classification */
    const char *license_config;
    /* license scanner: licenses never to report (Trivy's
     * --ignored-licenses), ids or PREFIX* patterns separated by commas or
     * blanks; they count as unencumbered. NULL = none */
    const char *license_ignored;
} dd_engine_opts;
#define DD_ENGINE_OPTS_INIT                                                  \
    {                                                                        \
        DD_ENGINE_OPTS_VERSION, NULL, 0, NULL,                               \
            {NULL, 0, 0, NULL, 0, NULL, NULL, 0, NULL, 0}, NULL, 0, 0, NULL, \
            NULL                                                             \
    }

typedef struct dd_engine dd_engine;

/* Process-wide setup; idempotent and thread-safe. 0, or DD_ENOMEM /
 * DD_EIO when a library could not be initialised (the same result on
 * every later call). */
DD_API int dd_global_init(void);

/* Build an engine. Errors name the file and line of a bad rule or list
 * ("yara rules: /x/broken.yar: line 5: syntax error"), the database
 * ("no vulnerability database at PATH: run `drydock db update`") or
 * clamd address. DD_EINVALID, DD_ENOTFOUND, DD_EIO, DD_ENOMEM. */
DD_API int
dd_engine_new(dd_engine **out, const dd_engine_opts *opts, dd_error *err);
DD_API dd_engine *dd_engine_ref(dd_engine *eng);
DD_API void dd_engine_free(dd_engine *eng);

/* DD_SCANNER_* bits (scan.h) this engine can run: vuln only with a
 * database, malware unless no_malware. */
DD_API unsigned dd_engine_scanners(const dd_engine *eng);
/* "yara (34 rules), hash (2), clamd (ClamAV 1.4.6/...), heuristics", or
 * "" without malware engines. Borrowed, lives as long as the engine. */
DD_API const char *dd_engine_malware_engines(const dd_engine *eng);
/* The database path, or NULL without one. Borrowed. */
DD_API const char *dd_engine_db_path(const dd_engine *eng);

/* The rule packs built into this library (what `drydock version`
 * prints): each pack's name ("secrets", "yara", "checks", "lookalike"),
 * how many rules it holds and its id, the first 12 hex digits of the
 * SHA-256 of its canonical text (rules' ids, patterns and severities), so
 * two builds with the same id run the same rules. Pure and thread-safe;
 * strings are static. dd_rule_pack_get returns 0, or DD_ENOTFOUND past
 * the last pack. */
typedef struct dd_rule_pack {
    const char *name;
    const char *what; /* "rules", "checks", "names" */
    size_t count;
    char id[13];
} dd_rule_pack;
DD_API size_t dd_rule_pack_count(void);
DD_API int dd_rule_pack_get(size_t i, dd_rule_pack *out);

/* The library's version ("0.1.0"); equals DRYDOCK_VERSION of the headers
 * it was built with. Static. */
DD_API const char *dd_library_version(void);

DD_END_DECLS

#endif
