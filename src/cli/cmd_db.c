/*
 * cli/cmd_db.c - `drydock db import|update|info`: the local vulnerability
 * database.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "usage: drydock db import [--db PATH] FEED...\n"
    "       drydock db update [--db PATH] [--feeds LIST] [--mirror URL]\n"
    "                         [--ca-file PATH]\n"
    "       drydock db info   [--db PATH] [--format table|json]\n"
    "       drydock db match  [--db PATH] [--scheme S] NAMESPACE PACKAGE "
    "VERSION\n"
    "\n"
    "import  read feeds into the database (atomic: on failure the old\n"
    "        database stays): OSV JSON files or directories, osv.dev\n"
    "        all.zip archives, Alpine secdb JSON/YAML, Debian security\n"
    "        tracker JSON, DSA/list and DLA/list.\n"
    "update  download the official feeds over https and import them:\n"
    "        --feeds debian,alpine (default) or ubuntu, npm, pypi, go,\n"
    "        maven, cargo, debian-tracker; --mirror URL fetches the same\n"
    "        paths from an https mirror (or DRYDOCK_FEED_MIRROR);\n"
    "        --ca-file PATH trusts a CA bundle (or DRYDOCK_CA_FILE)\n"
    "info    per feed: source, age, record count, namespaces\n"
    "match   advisories for one package: NAMESPACE is e.g. debian:12,\n"
    "        alpine:3.20, npm, pypi, maven (PACKAGE group:artifact), go;\n"
    "        the version scheme follows from it unless --scheme is given\n"
    "--db PATH  database file (default "
    "$XDG_CACHE_HOME/drydock/db/drydock.db)\n";

const char *cli_db_path(const char *opt, char *buf, size_t n)
{
    if (opt) {
        return opt;
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
            printf("%-34s %-20s %8llu %8llu %6llu %5s  %-11.10s %.60s\n",
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
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1], *dbopt = NULL, *feeds = NULL, *mirror = NULL,
               *ca = NULL, *scheme = NULL;
    int json = 0, quiet = 0;
    const char **inputs = calloc((size_t)argc, sizeof *inputs);
    size_t n = 0;
    if (!inputs) {
        return EXIT_UNREADABLE;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--db") && i + 1 < argc) {
            dbopt = argv[++i];
        } else if (!strcmp(a, "--feeds") && i + 1 < argc) {
            feeds = argv[++i];
        } else if (!strcmp(a, "--scheme") && i + 1 < argc) {
            scheme = argv[++i];
        } else if (!strcmp(a, "--mirror") && i + 1 < argc) {
            mirror = argv[++i];
        } else if (!strcmp(a, "--ca-file") && i + 1 < argc) {
            ca = argv[++i];
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            json = !strcmp(argv[++i], "json");
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            free(inputs);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "drydock db: unknown option '%s'\n%s", a, usage);
            free(inputs);
            return EXIT_USAGE;
        } else {
            inputs[n++] = a;
        }
    }
    char buf[4096];
    const char *path = cli_db_path(dbopt, buf, sizeof buf);
    int rc = EXIT_USAGE;
    if (!path) {
        fprintf(stderr, "drydock db: cannot form the default database path\n");
    } else if (!strcmp(sub, "info")) {
        rc = info(path, json);
    } else if (!strcmp(sub, "match")) {
        rc = match_one(path, scheme, inputs, n);
    } else if (!strcmp(sub, "update")) {
        rc = cli_db_update(path, feeds, mirror, ca, quiet);
    } else if (!strcmp(sub, "import")) {
        if (!n) {
            fprintf(stderr, "drydock db import: name at least one feed\n%s",
                    usage);
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
        fprintf(stderr, "drydock db: unknown subcommand '%s'\n%s", sub, usage);
    }
    free(inputs);
    return rc;
}
