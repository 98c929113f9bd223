/*
 * lib/scan.c - the walk with the built-in analyzers plugged in.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drydock/scan.h"
#include "analyze/analyzer.h"
#include "layer/walk_int.h"
#include "pkg/inventory.h"
#include "config/config_int.h"
#include "malware/malware_int.h"
#include "pkg/owners.h"
#include "secret/secret_int.h"

#define MAX_ANALYZERS 8

struct dd_scan {
    dd__analyzer pkg, sec, mal, own, cfg;
    dd__config config;
    dd__secret_engine *cfg_engine;
    dd__owner_map owners;
    int have_owners;
    dd__malware mw;
    dd__yara *yara;
    dd__hashdb *hashes;
    dd__clamd *clamd;
    dd__clamav *clamav;
    char engines[512];
    dd__secret_engine *engine;
    dd__secret_analyzer sa;
    const dd__analyzer *list[MAX_ANALYZERS];
    size_t n;
    dd_walk *walk;
    dd_inventory *inv;
};

#define MAX_YARA_THREADS 32
#define DEFAULT_MAX_FILE (256ull << 20)

static int load_malware(dd_scan *s, const dd_malware_opts *o, dd_error *err)
{
    s->mw.max_file = o->max_file_size ? o->max_file_size : DEFAULT_MAX_FILE;
    s->mw.no_heuristics = o->no_heuristics;
    int rc = 0;
    size_t at = 0;
    if (!o->no_builtin_rules || o->n_yara_rules) {
        rc = dd__yara_load(&s->yara, o->yara_rules, o->n_yara_rules,
                           o->no_builtin_rules, o->cache_dir, err);
        if (rc) {
            return rc;
        }
        s->mw.yara = s->yara;
        s->mw.yara_builtin_only = o->n_yara_rules == 0;
        at +=
            (size_t)snprintf(s->engines + at, sizeof s->engines - at,
                             "yara (%zu rules%s)", dd__yara_rule_count(s->yara),
                             dd__yara_from_cache(s->yara) ? ", cached" : "");
    }
    if (o->n_hash_dbs) {
        if (!(s->hashes = dd__hashdb_new())) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < o->n_hash_dbs && !rc; i++) {
            rc = dd__hashdb_load(s->hashes, o->hash_dbs[i], err);
        }
        if (rc) {
            return rc;
        }
        dd__hashdb_finish(s->hashes);
        s->mw.hashes = s->hashes;
        at += (size_t)snprintf(s->engines + at, sizeof s->engines - at,
                               "%shash (%zu)", at ? ", " : "",
                               dd__hashdb_count(s->hashes));
    }
    if (o->clamd && o->clamav_db) {
        return dd__error_set(err, DD_EINVALID,
                             "clamd and an in-process ClamAV database "
                             "exclude each other: choose one");
    }
    if (o->clamd) {
        if ((rc = dd__clamd_new(&s->clamd, o->clamd, err))) {
            return rc;
        }
        s->mw.clamd = s->clamd;
        at += (size_t)snprintf(s->engines + at, sizeof s->engines - at,
                               "%sclamd (%s)", at ? ", " : "",
                               dd__clamd_version(s->clamd));
    }
    if (o->clamav_db) {
        if ((rc = dd__clamav_load(&s->clamav, o->clamav_db, err))) {
            return rc;
        }
        s->mw.clamav = s->clamav;
        at += (size_t)snprintf(s->engines + at, sizeof s->engines - at,
                               "%slibclamav", at ? ", " : "");
    }
    if (!o->no_heuristics && at < sizeof s->engines) {
        snprintf(s->engines + at, sizeof s->engines - at, "%sheuristics",
                 at ? ", " : "");
    }
    return 0;
}

int dd_scan_run(dd_scan **out,
                const dd_image *img,
                const dd_scan_opts *opts,
                dd_error *err)
{
    dd__error_clear(err);
    if (!out || !img) {
        return dd__error_set(err, DD_EINVALID, "dd_scan_run: NULL argument");
    }
    dd_scan_opts defaults = DD_SCAN_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    unsigned which = opts->analyzers ? opts->analyzers : ~0u;
    if (which & (DD_ANALYZE_MALWARE | DD_ANALYZE_CONFIG)) {
        /* package file lists (rpm headers carry them) tell who owns what */
        which |= DD_ANALYZE_PACKAGES;
    }
    dd_scan *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    size_t pkg_index = 0;
    if (which & DD_ANALYZE_PACKAGES) {
        dd__pkg_analyzer_init(&s->pkg);
        pkg_index = s->n;
        s->list[s->n++] = &s->pkg;
    }
    if (which & DD_ANALYZE_SECRETS) {
        int r = dd__secret_engine_new(&s->engine, opts->secret_config, err);
        if (r) {
            dd_scan_free(s);
            return r;
        }
        s->sa.engine = s->engine;
        s->sa.info = dd_image_info_get(img);
        dd__secret_analyzer_init(&s->sec, &s->sa);
        s->list[s->n++] = &s->sec;
    }
    size_t mal_index = 0;
    dd_walk_opts wo = opts->walk;
    if (which & DD_ANALYZE_MALWARE) {
        int r = load_malware(s, &opts->malware, err);
        if (r) {
            dd_scan_free(s);
            return r;
        }
        s->mw.info = dd_image_info_get(img);
        dd__malware_analyzer_init(&s->mal, &s->mw);
        mal_index = s->n;
        s->list[s->n++] = &s->mal;
        if (s->yara && (wo.threads == 0 || wo.threads > MAX_YARA_THREADS)) {
            /* libyara: at most 32 scanners per rule set at a time */
            long c = sysconf(_SC_NPROCESSORS_ONLN);
            wo.threads = c > MAX_YARA_THREADS ? MAX_YARA_THREADS : wo.threads;
        }
    }
    size_t own_index = 0, cfg_index = 0;
    if (which & DD_ANALYZE_CONFIG) {
        s->config.policy = opts->checks;
        s->config.img = img;
        if (!(which & DD_ANALYZE_SECRETS)) {
            /* Env secrets: reported by the secret scanner when it runs,
             * by the config checks otherwise - once either way */
            int r = dd__secret_engine_new(&s->cfg_engine, NULL, err);
            if (r) {
                dd_scan_free(s);
                return r;
            }
            s->config.secrets = s->cfg_engine;
        }
        dd__config_analyzer_init(&s->cfg, &s->config);
        cfg_index = s->n;
        s->list[s->n++] = &s->cfg;
    }
    int want_owners = (which & (DD_ANALYZE_MALWARE | DD_ANALYZE_CONFIG)) != 0;
    if (want_owners) {
        dd__owners_analyzer_init(&s->own);
        own_index = s->n;
        s->list[s->n++] = &s->own;
    }
    int rc = dd__walk_run_with(&s->walk, img, &wo, s->list, s->n, err);
    if (!rc && (which & DD_ANALYZE_PACKAGES)) {
        rc = dd__inventory_build(&s->inv, s->walk, pkg_index, img);
        if (rc) {
            dd__error_set(err, rc, "building the package inventory: %s",
                          dd_strerror(rc));
        }
    }
    if (!rc && want_owners) {
        rc = dd__owner_map_build(&s->owners, s->walk, own_index);
        s->have_owners = 1;
        if (!rc && s->inv) {
            rc = dd__owner_map_add_inventory(&s->owners, s->inv);
        }
        if (rc) {
            dd__error_set(err, rc, "package file lists: %s", dd_strerror(rc));
        }
    }
    if (!rc && (which & DD_ANALYZE_MALWARE)) {
        rc = dd__malware_finish(&s->mw, s->walk, mal_index, &s->owners,
                                s->walk->findings);
        if (rc) {
            dd__error_set(err, rc, "malware heuristics: %s", dd_strerror(rc));
        }
    }
    if (!rc && (which & DD_ANALYZE_SECRETS)) {
        rc = dd__secret_scan_config(&s->sa, s->walk->findings);
        if (rc) {
            dd__error_set(err, rc, "scanning the image config: %s",
                          dd_strerror(rc));
        }
    }
    if (!rc && (which & DD_ANALYZE_CONFIG)) {
        rc = dd__config_finish(&s->config, s->walk, cfg_index, s->inv,
                               &s->owners, s->walk->findings);
        if (rc) {
            dd__error_set(err, rc, "configuration checks: %s", dd_strerror(rc));
        }
    }
    if (rc) {
        dd_scan_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void dd_scan_free(dd_scan *s)
{
    if (!s) {
        return;
    }
    if (s->have_owners) {
        dd__owner_map_free(&s->owners);
    }
    dd__inventory_free(s->inv);
    dd_walk_free(s->walk);
    dd__secret_engine_free(s->engine);
    dd__secret_engine_free(s->cfg_engine);
    dd__yara_free(s->yara);
    dd__hashdb_free(s->hashes);
    dd__clamd_free(s->clamd);
    dd__clamav_free(s->clamav);
    dd__free(s);
}

const dd_walk *dd_scan_walk(const dd_scan *s)
{
    return s->walk;
}

const dd_inventory *dd_scan_inventory(const dd_scan *s)
{
    return s->inv;
}

const char *dd_scan_malware_engines(const dd_scan *s)
{
    return s->engines;
}

const dd_findings *dd_scan_findings(const dd_scan *s)
{
    return dd_walk_findings(s->walk);
}
