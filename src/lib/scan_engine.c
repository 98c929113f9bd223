/*
 * lib/scan_engine.c - the compile-once engine (drydock/engine.h): process
 * setup, the rule sets and lists every scan shares, the DB pool.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drydock/scan.h"
#include "engine_int.h"
#include "../util/util.h"

#define DEFAULT_MAX_FILE (256ull << 20)
#define SEVEN_DAYS       (7 * 86400)

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static int global_rc;

static void global_init_once(void)
{
    if (dd__yara_global_init() != 0) {
        global_rc = DD_ENOMEM;
        return;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        global_rc = DD_EIO;
    }
}

int dd_global_init(void)
{
    pthread_once(&global_once, global_init_once);
    return global_rc;
}

static int load_malware(dd_engine *e, const dd_malware_opts *o, dd_error *err)
{
    e->mal_max_file = o->max_file_size ? o->max_file_size : DEFAULT_MAX_FILE;
    e->no_heuristics = o->no_heuristics;
    int rc = 0;
    size_t at = 0;
    if (!o->no_builtin_rules || o->n_yara_rules) {
        rc = dd__yara_load(&e->yara, o->yara_rules, o->n_yara_rules,
                           o->no_builtin_rules, o->cache_dir, err);
        if (rc) {
            return rc;
        }
        e->yara_builtin_only = o->n_yara_rules == 0;
        at +=
            (size_t)snprintf(e->engines + at, sizeof e->engines - at,
                             "yara (%zu rules%s)", dd__yara_rule_count(e->yara),
                             dd__yara_from_cache(e->yara) ? ", cached" : "");
    }
    if (o->n_hash_dbs) {
        if (!(e->hashes = dd__hashdb_new())) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < o->n_hash_dbs && !rc; i++) {
            rc = dd__hashdb_load(e->hashes, o->hash_dbs[i], err);
        }
        if (rc) {
            return rc;
        }
        dd__hashdb_finish(e->hashes);
        at += (size_t)snprintf(e->engines + at, sizeof e->engines - at,
                               "%shash (%zu)", at ? ", " : "",
                               dd__hashdb_count(e->hashes));
    }
    if (o->clamd && o->clamav_db) {
        return dd__error_set(err, DD_EINVALID,
                             "clamd and an in-process ClamAV database "
                             "exclude each other: choose one");
    }
    if (o->clamd) {
        if ((rc = dd__clamd_new(&e->clamd, o->clamd, err))) {
            return rc;
        }
        at += (size_t)snprintf(e->engines + at, sizeof e->engines - at,
                               "%sclamd (%s)", at ? ", " : "",
                               dd__clamd_version(e->clamd));
    }
    if (o->clamav_db) {
        if ((rc = dd__clamav_load(&e->clamav, o->clamav_db, err))) {
            return rc;
        }
        at += (size_t)snprintf(e->engines + at, sizeof e->engines - at,
                               "%slibclamav", at ? ", " : "");
    }
    if (!o->no_heuristics && at < sizeof e->engines) {
        snprintf(e->engines + at, sizeof e->engines - at, "%sheuristics",
                 at ? ", " : "");
    }
    return 0;
}

int dd_engine_new(dd_engine **out, const dd_engine_opts *opts, dd_error *err)
{
    dd__error_clear(err);
    if (!out) {
        return dd__error_set(err, DD_EINVALID, "dd_engine_new: NULL argument");
    }
    *out = NULL;
    dd_engine_opts defaults = DD_ENGINE_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    if (opts->version != DD_ENGINE_OPTS_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_engine_new: options version %u, this "
                             "library knows %u",
                             opts->version, DD_ENGINE_OPTS_VERSION);
    }
    int rc = dd_global_init();
    if (rc) {
        return dd__error_set(err, rc, "cannot initialise libyara/libcurl");
    }
    dd_engine *e = dd__calloc(1, sizeof *e);
    if (!e) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    atomic_init(&e->refs, 1);
    pthread_mutex_init(&e->db_lock, NULL);
    e->db_max_age = opts->db_max_age > 0 ? opts->db_max_age : SEVEN_DAYS;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    e->max_idle = opts->db_connections ? opts->db_connections
                  : cpus > 0           ? (size_t)cpus * 2
                                       : 2;
    e->scanners = DD_SCANNER_SECRET | DD_SCANNER_CONFIG | DD_SCANNER_PACKAGES |
                  DD_SCANNER_LICENSE;
    rc = dd__secret_engine_new(&e->secrets, opts->secret_config, err);
    e->secret_config = opts->secret_config != NULL;
    if (!rc && opts->checks_config) {
        rc = dd_check_policy_load(&e->checks, opts->checks_config, err);
    }
    if (!rc) {
        rc = dd_license_policy_new(&e->licenses, err);
    }
    if (!rc && opts->license_config) {
        rc = dd_license_policy_load(e->licenses, opts->license_config, err);
    }
    if (!rc && opts->license_ignored) {
        dd_error e2;
        rc = dd_license_policy_set_list(e->licenses, opts->license_ignored,
                                        DD_LICENSE_UNENCUMBERED, &e2);
        if (rc) {
            dd__error_set(err, rc, "ignored licenses: %s", e2.message);
        }
    }
    if (!rc && !opts->no_malware) {
        rc = load_malware(e, &opts->malware, err);
        e->scanners |= DD_SCANNER_MALWARE;
    }
    if (!rc && opts->db_path) {
        if (!(e->db_path = dd__strdup(opts->db_path)) ||
            !(e->db_idle = dd__calloc(e->max_idle, sizeof *e->db_idle))) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        /* open one connection now: a missing or unreadable database is
         * the engine's error, not every scan's */
        dd_vulndb *db = NULL;
        if (!rc && (rc = dd_vulndb_open(&db, e->db_path, err)) == 0) {
            e->db_idle[e->n_idle++] = db;
            e->scanners |= DD_SCANNER_VULN;
        } else if (rc == DD_ENOTFOUND) {
            dd__error_set(err, rc,
                          "no vulnerability database at %s: run `drydock "
                          "db update` (or `drydock db import FEEDS`)",
                          e->db_path);
        }
    }
    if (rc) {
        dd_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

dd_engine *dd_engine_ref(dd_engine *e)
{
    if (e) {
        atomic_fetch_add(&e->refs, 1);
    }
    return e;
}

void dd_engine_free(dd_engine *e)
{
    if (!e || atomic_fetch_sub(&e->refs, 1) != 1) {
        return;
    }
    for (size_t i = 0; i < e->n_idle; i++) {
        dd_vulndb_close(e->db_idle[i]);
    }
    dd__free(e->db_idle);
    pthread_mutex_destroy(&e->db_lock);
    dd__free(e->db_path);
    dd__secret_engine_free(e->secrets);
    dd_check_policy_free(e->checks);
    dd_license_policy_free(e->licenses);
    dd__yara_free(e->yara);
    dd__hashdb_free(e->hashes);
    dd__clamd_free(e->clamd);
    dd__clamav_free(e->clamav);
    dd__free(e);
}

unsigned dd_engine_scanners(const dd_engine *e)
{
    return e ? e->scanners : 0;
}

const char *dd_engine_malware_engines(const dd_engine *e)
{
    return e && (e->scanners & DD_SCANNER_MALWARE) ? e->engines : "";
}

const char *dd_engine_db_path(const dd_engine *e)
{
    return e ? e->db_path : NULL;
}

dd_vulndb *dd__engine_db_acquire(dd_engine *e, dd_error *err)
{
    dd_vulndb *db = NULL;
    pthread_mutex_lock(&e->db_lock);
    if (e->n_idle) {
        db = e->db_idle[--e->n_idle];
    }
    pthread_mutex_unlock(&e->db_lock);
    if (!db && dd_vulndb_open(&db, e->db_path, err) != 0) {
        return NULL;
    }
    return db;
}

void dd__engine_db_release(dd_engine *e, dd_vulndb *db)
{
    if (!db) {
        return;
    }
    pthread_mutex_lock(&e->db_lock);
    if (e->n_idle < e->max_idle) {
        e->db_idle[e->n_idle++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&e->db_lock);
    dd_vulndb_close(db);
}
