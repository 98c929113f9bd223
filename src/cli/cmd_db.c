/*
 * cli/cmd_db.c - `drydock db import|update|info`: the local vulnerability
 * database.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

enum {
    K_DB = 1,
    K_FEEDS,
    K_SCHEME,
    K_MIRROR,
    K_CA,
    K_FORMAT,
    K_QUIET,
    K_CACHE
};
static const cli_opt db_opts[] = {
    {"db", 0, "PATH", K_DB, 0, NULL,
     "database file (default $XDG_CACHE_HOME/drydock/db/drydock.db)"},
    {"cache-dir", 0, "DIR", K_CACHE, 0, NULL,
     "the database is DIR/db/drydock.db"},
    {"feeds", 0, "LIST", K_FEEDS, 0, NULL,
     "update: debian,alpine (default) or ubuntu, npm, pypi, go, maven, "
     "cargo, debian-tracker"},
    {"mirror", 0, "URL", K_MIRROR, 0, NULL,
     "update: fetch the same paths from an https mirror (or "
     "DRYDOCK_FEED_MIRROR)"},
    {"ca-file", 0, "PATH", K_CA, 0, NULL, "update: trust this CA bundle"},
    {"scheme", 0, "S", K_SCHEME, 0, NULL,
     "match: version scheme (dpkg, rpm, apk, semver, pep440, maven)"},
    {"format", 'f', "FORMAT", K_FORMAT, 0, NULL, "info: table or json"},
    {"quiet", 'q', NULL, K_QUIET, 0, NULL, "no progress and no per-feed lines"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_db = {
    "db",
    "import|update|info|match [options] [ARGS]\n"
    "       drydock db import [--db PATH] FEED...\n"
    "       drydock db update [--db PATH] [--feeds LIST] [--mirror URL]\n"
    "       drydock db info   [--db PATH] [--format table|json]\n"
    "       drydock db match  [--db PATH] [--scheme S] NAMESPACE PACKAGE "
    "VERSION",
    "import  read feeds into the database (atomic: on failure the old\n"
    "        database stays): OSV JSON files or directories, osv.dev\n"
    "        all.zip archives, Alpine secdb JSON/YAML, Debian security\n"
    "        tracker JSON, DSA/list and DLA/list.\n"
    "update  download the official feeds over https and import them\n"
    "info    per feed: source, age, record count, namespaces\n"
    "match   advisories for one package: NAMESPACE is e.g. debian:12,\n"
    "        alpine:3.20, npm, pypi, maven (PACKAGE group:artifact), go;\n"
    "        the version scheme follows from it unless --scheme is given\n",
    db_opts,
    0,
    NULL,
    0};

typedef struct db_args {
    const char *db, *feeds, *scheme, *mirror, *ca, *cache;
    int json, quiet;
} db_args;

static int db_opt(void *ctx, int key, const char *label, const char *v)
{
    db_args *a = ctx;
    switch (key) {
    case K_DB:
        a->db = v;
        break;
    case K_FEEDS:
        a->feeds = v;
        break;
    case K_SCHEME:
        a->scheme = v;
        break;
    case K_MIRROR:
        a->mirror = v;
        break;
    case K_CA:
        a->ca = v;
        break;
    case K_CACHE:
        a->cache = v;
        break;
    case K_FORMAT:
        if (strcmp(v, "table") && strcmp(v, "json")) {
            fprintf(stderr,
                    "drydock db: %s must be one of table,json, not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->json = !strcmp(v, "json");
        break;
    default:
        a->quiet = 1;
        break;
    }
    return 0;
}

const char *
cli_db_path(const char *opt, const char *cache_dir, char *buf, size_t n)
{
    if (opt) {
        return opt;
    }
    if (cache_dir) {
        int k = snprintf(buf, n, "%s/db/drydock.db", cache_dir);
        return k > 0 && (size_t)k < n ? buf : NULL;
    }
    if (dd_vulndb_default_path(buf, n)) {
        return NULL;
    }
    return buf;
}
static void age(int64_t secs, char *out, size_t n)
{
    if (secs < 0) {
        snprintf(out, n, "?");
    } else if (secs < 3600) {
        snprintf(out, n, "%lldm", (long long)(secs / 60));
    } else if (secs < 86400 * 2) {
        snprintf(out, n, "%lldh", (long long)(secs / 3600));
    } else {
        snprintf(out, n, "%lldd", (long long)(secs / 86400));
    }
}

static int
match_one(const char *path, const char *scheme_opt, const char **args, size_t n)
{
    if (n != 3) {
        fprintf(stderr, "drydock db match: NAMESPACE PACKAGE VERSION\n");
        return EXIT_USAGE;
    }
    dd_version_scheme sch = DD_VER_DPKG;
    if (scheme_opt) {
        if (dd_version_scheme_parse(scheme_opt, &sch)) {
            fprintf(stderr, "drydock db match: unknown --scheme\n");
            return EXIT_USAGE;
        }
    } else {
        int r = dd_ecosystem_scheme(args[0], &sch);
        if (r == DD_EUNSUPPORTED) {
            fprintf(stderr,
                    "drydock db match: %s %s %s: unmatched: no version "
                    "comparator for this ecosystem\n",
                    args[0], args[1], args[2]);
            return EXIT_UNREADABLE;
        }
        if (r) {
            /* an unknown namespace (a vendor's rpm feed): rpm order */
            sch = DD_VER_RPM;
        }
    }
    dd_vulndb *db = NULL;
    dd_error err;
    if (dd_vulndb_open(&db, path, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    dd_findings *f = NULL;
    if (dd_vuln_match_package(db, args[0], sch, args[1], args[2], &f, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        dd_vulndb_close(db);
        return EXIT_UNREADABLE;
    }
    printf("%s %s %s (%s order): %zu advisories\n", args[0], args[1], args[2],
           dd_version_scheme_name(sch), dd_findings_count(f));
    for (size_t i = 0; i < dd_findings_count(f); i++) {
        const dd_finding *x = dd_findings_get(f, i);
        printf("  %-22s %-8s %-12s %-20s %.60s\n", x->rule_id,
               dd_severity_name(x->severity),
               dd_vuln_status_name(x->vuln->status),
               x->vuln->fixed_version ? x->vuln->fixed_version : "-", x->title);
    }
    int rc = dd_findings_count(f) ? EXIT_FINDINGS : 0;
    dd_findings_free(f);
    dd_vulndb_close(db);
    return rc;
}

static int info(const char *path, int json)
{
    dd_vulndb *db = NULL;
    dd_error err;
    if (dd_vulndb_open(&db, path, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    dd_feed_info *f = NULL;
    size_t n = 0;
    if (dd_vulndb_feeds(db, &f, &n, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        dd_vulndb_close(db);
        return EXIT_UNREADABLE;
    }
    int64_t now = (int64_t)time(NULL);
    if (json) {
        json_t *doc = json_object(), *arr = json_array();
        json_object_set_new(doc, "db", json_string(path));
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(f[i].name));
            json_object_set_new(o, "kind", json_string(f[i].kind));
            json_object_set_new(o, "source", json_string(f[i].source));
            json_object_set_new(o, "imported_at",
                                json_integer(f[i].imported_at));
            json_object_set_new(o, "age_seconds",
                                json_integer(now - f[i].imported_at));
            json_object_set_new(o, "newest", json_string(f[i].newest));
            json_object_set_new(o, "records",
                                json_integer((json_int_t)f[i].records));
            json_object_set_new(o, "affected",
                                json_integer((json_int_t)f[i].affected));
            json_object_set_new(o, "malformed",
                                json_integer((json_int_t)f[i].malformed));
            json_object_set_new(o, "namespaces", json_string(f[i].namespaces));
            json_array_append_new(arr, o);
        }
        json_object_set_new(doc, "feeds", arr);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        printf("database: %s\n", path);
        printf("%-34s %-20s %8s %8s %6s %5s  %-11s %s\n", "FEED", "KIND",
               "RECORDS", "AFFECTED", "BAD", "AGE", "NEWEST", "NAMESPACES");
        for (size_t i = 0; i < n; i++) {
            char a[32];
            age(now - f[i].imported_at, a, sizeof a);
            printf("%-34s %-20s %8llu %8llu %6llu %5s  %-11.10s %s\n",
                   f[i].name, f[i].kind, (unsigned long long)f[i].records,
                   (unsigned long long)f[i].affected,
                   (unsigned long long)f[i].malformed, a, f[i].newest,
                   f[i].namespaces);
        }
        printf("%zu feeds\n", n);
    }
    dd_feed_info_free(f, n);
    dd_vulndb_close(db);
    return 0;
}

int cmd_db(int argc, char **argv)
{
    db_args o;
    memset(&o, 0, sizeof o);
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc = cli_parse(&cli_cmd_db, NULL, argc, argv, db_opt, &o, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if (!np) {
        fprintf(stderr, "drydock db: import, update, info or match missing; "
                        "see 'drydock db --help'\n");
        return EXIT_USAGE;
    }
    const char *sub = pos[0], *dbopt = o.db, *feeds = o.feeds,
               *mirror = o.mirror, *ca = o.ca, *scheme = o.scheme;
    int json = o.json, quiet = o.quiet;
    const char **inputs = pos + 1;
    size_t n = np - 1;
    char buf[4096];
    const char *path = cli_db_path(dbopt, o.cache, buf, sizeof buf);
    int rc = EXIT_USAGE;
    if (!path) {
        fprintf(stderr, "drydock db: cannot form the default database path\n");
    } else if (!strcmp(sub, "info")) {
        rc = info(path, json);
    } else if (!strcmp(sub, "match")) {
        rc = match_one(path, scheme, inputs, n);
    } else if (!strcmp(sub, "update")) {
        rc = cli_db_update(path, feeds, mirror, ca, quiet ? CLI_DBU_QUIET : 0,
                           NULL, 0);
    } else if (!strcmp(sub, "import")) {
        if (!n) {
            fprintf(stderr, "drydock db import: name at least one feed; see "
                            "'drydock db --help'\n");
        } else {
            dd_import_report rep;
            dd_error err;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            int r = dd_vulndb_import(path, inputs, n, &rep, &err);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double s = (double)(t1.tv_sec - t0.tv_sec) +
                       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            if (rep.messages) {
                fprintf(stderr, "%s", rep.messages);
            }
            if (r) {
                fprintf(stderr, "drydock: %s (the database was not changed)\n",
                        err.message);
                rc = r == DD_EUNSUPPORTED || r == DD_ENOTFOUND
                         ? EXIT_USAGE
                         : EXIT_UNREADABLE;
            } else {
                printf("imported %zu records (%zu affected entries) from %zu "
                       "feeds into %s in %.2f s",
                       rep.records, rep.affected, rep.feeds, path, s);
                if (rep.malformed) {
                    printf("; %zu malformed records skipped (first ones on "
                           "stderr)",
                           rep.malformed);
                }
                printf("\n");
                rc = 0;
            }
            dd_import_report_free(&rep);
        }
    } else {
        fprintf(stderr,
                "drydock db: unknown subcommand '%s' (import, update, info, "
                "match); see 'drydock db --help'\n",
                cli_esc(sub));
    }
    return rc;
}
