/*
 * lib/engine_int.h - what scans read from an engine (internal).
 *
 * Everything here is immutable after dd_engine_new() except the pools,
 * which lock themselves. Borrowed pointers live as long as the engine.
 */
#ifndef DD_ENGINE_INT_H
#define DD_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "drydock/config.h"
#include "drydock/engine.h"
#include "drydock/license.h"
#include "drydock/vulndb.h"
#include "malware/malware.h"
#include "secret/secret.h"

struct dd_engine {
    atomic_uint refs;
    unsigned scanners; /* DD_SCANNER_* available */
    char *db_path;     /* owned, or NULL */
    int64_t db_max_age;
    dd__secret_engine *secrets;  /* always compiled (config checks use it) */
    int secret_config;           /* 1: built from the user's config */
    dd_check_policy *checks;     /* or NULL */
    dd_license_policy *licenses; /* always (built-in + license_config) */
    /* malware engines, or NULL each */
    dd__yara *yara;
    int yara_builtin_only;
    dd__hashdb *hashes;
    dd__clamd *clamd;
    dd__clamav *clamav;
    uint64_t mal_max_file;
    int no_heuristics;
    char engines[512];
    /* idle read-only DB connections */
    pthread_mutex_t db_lock;
    dd_vulndb **db_idle;
    size_t n_idle, max_idle;
};

/* A read-only connection for one thread (from the pool, or new); NULL
 * with err set. Give it back with dd__engine_db_release. */
dd_vulndb *dd__engine_db_acquire(dd_engine *e, dd_error *err);
void dd__engine_db_release(dd_engine *e, dd_vulndb *db);

#endif
