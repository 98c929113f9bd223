/*
 * cli/cmd_scan.c - `drydock scan IMAGE`: the arguments, one engine, one
 * dd_scan_run() and dd_report_render() (the library does the work).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: drydock scan IMAGE [--format "
    "table|json|sarif|cyclonedx|spdx|junit]\n"
    "                    [-o FILE]\n"
    "                    [--scanners vuln,secret,malware,config]\n"
    "                    [--severity LIST] [--ignore-unfixed]\n"
    "                    [--ignore-file PATH] [--exit-code N] [--db PATH]\n"
    "                    [--db-max-age DAYS] [--secret-config PATH]\n"
    "                    [--yara-rules PATH]... [--hash-db PATH]...\n"
    "                    [--clamd ADDR | --clamav-db DIR]\n"
    "                    [options]\n"
    "\n"
    "  --scanners L      which scanners run (default all four)\n"
    "  --checks-config P configuration checks to disable and severities to\n"
    "                    override: {\"disable\": [ids], \"severity\": {id: "
    "sev}}\n"
    "                    (docs/checks.md)\n"
    "  --secret-config P JSON file: extra secret rules, rule ids to disable,\n"
    "                    allow-listed paths and values (README \"Secrets\")\n"
    "  --yara-rules P    YARA rule file or directory (*.yar, *.yara); may\n"
    "                    repeat; compiled once and cached in ~/.cache/drydock\n"
    "  --no-builtin-rules  only the --yara-rules, not drydock's own pack\n"
    "  --hash-db P       block list of file hashes: ClamAV .hdb/.hsb or one\n"
    "                    SHA-256/SHA-1/MD5 per line; file or directory; may\n"
    "                    repeat\n"
    "  --clamd ADDR      also scan every file with clamd: unix:/path or\n"
    "                    tcp:127.0.0.1:3310 (INSTREAM)\n"
    "  --clamav-db DIR   in-process libclamav with this database (builds\n"
    "                    with -Dclamav=enabled only)\n"
    "  --malware-max-size N  bytes of one file scanned for malware, with\n"
    "                    K/M/G suffix (default 256M); larger files are\n"
    "                    scanned in part and reported\n"
    "  --no-heuristics   no heuristic malware findings\n"
    "  --severity L      report only these severities, e.g. HIGH,CRITICAL\n"
    "  --ignore-unfixed  drop vulnerabilities that have no fixed version\n"
    "  --ignore-file P   ids to ignore, one per line: ID [exp:YYYY-MM-DD]\n"
    "                    [# reason]; expired entries stop applying and are\n"
    "                    reported\n"
    "  --exit-code N     exit N when any reported finding remains (default:\n"
    "                    1 for findings at or above --fail-on)\n"
    "  --db PATH         vulnerability database (default\n"
    "                    $XDG_CACHE_HOME/drydock/db/drydock.db)\n"
    "  --db-max-age D    warn when the database is older (default 7 days)\n"
    "  --timeout T       whole-scan deadline: 30s, 5m, 1h or seconds; layers\n"
    "                    not read by then are reported (HIGH scan.timeout)\n"
    "                    and the exit is 4 (docs/budgets.md)\n"
    "  --no-color        no colour in the table (also NO_COLOR=anything)\n"
    "  --platform, --tag, --fail-on, --threads, --max-*, -q, registry and\n"
    "  daemon access (--username, --password-stdin, --ca-file, ...): as for\n"
    "                    `drydock inspect --help`\n";

#define MAX_LISTS 64

/* "64M" -> bytes; 1 KiB .. 4 GiB */
static int parse_size(const char *v, uint64_t *out)
{
    char *end = NULL;
    unsigned long long n = strtoull(v, &end, 10);
    if (!end || end == v) {
        return -1;
    }
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') {
        shift = 10, end++;
    } else if (*end == 'M' || *end == 'm') {
        shift = 20, end++;
    } else if (*end == 'G' || *end == 'g') {
        shift = 30, end++;
    }
    if (*end || n == 0 || n > (4ull << 30) >> shift) {
        return -1;
    }
    n <<= shift;
    if (n < 1024) {
        return -1;
    }
    *out = n;
    return 0;
}

/* "30s", "5m", "1h", "90" (seconds) -> milliseconds; 1 s .. 7 days */
static int parse_duration(const char *v, uint64_t *ms)
{
    char *end = NULL;
    if (*v < '0' || *v > '9') {
        return -1;
    }
    unsigned long long n = strtoull(v, &end, 10);
    uint64_t unit = 1000;
    if (!strcmp(end, "m")) {
        unit = 60 * 1000;
    } else if (!strcmp(end, "h")) {
        unit = 3600 * 1000;
    } else if (strcmp(end, "s") && *end) {
        return -1;
    }
    if (n == 0 || n > 7ull * 86400 * 1000 / unit) {
        return -1;
    }
    *ms = n * unit;
    return 0;
}

int cmd_scan(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *format = "table", *output = NULL, *dbopt = NULL,
               *ignfile = NULL, *scanners = NULL;
    int exit_code = -1, no_color = 0;
    double max_age_days = 7;
    const char *yara[MAX_LISTS], *hashes[MAX_LISTS];
    size_t n_yara = 0, n_hashes = 0;
    char cache[4096];
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--format") && v) {
            format = v, i++;
            int known = 0;
            for (size_t k = 0; dd_report_format_name(k); k++) {
                known |= !strcmp(format, dd_report_format_name(k));
            }
            if (!known) {
                fprintf(stderr, "drydock scan: --format must be table, json, "
                                "sarif, cyclonedx, spdx or junit\n");
                return EXIT_USAGE;
            }
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && v) {
            output = v, i++;
        } else if (!strcmp(a, "--db") && v) {
            dbopt = v, i++;
        } else if (!strcmp(a, "--ignore-file") && v) {
            ignfile = v, i++;
        } else if (!strcmp(a, "--scanners") && v) {
            scanners = v, i++;
        } else if (!strcmp(a, "--secret-config") && v) {
            c.secret_config = v, i++;
        } else if (!strcmp(a, "--yara-rules") && v) {
            if (n_yara == MAX_LISTS) {
                fprintf(stderr, "drydock scan: too many --yara-rules\n");
                return EXIT_USAGE;
            }
            yara[n_yara++] = v, i++;
        } else if (!strcmp(a, "--hash-db") && v) {
            if (n_hashes == MAX_LISTS) {
                fprintf(stderr, "drydock scan: too many --hash-db\n");
                return EXIT_USAGE;
            }
            hashes[n_hashes++] = v, i++;
        } else if (!strcmp(a, "--checks-config") && v) {
            c.checks_config = v, i++;
        } else if (!strcmp(a, "--no-builtin-rules")) {
            c.malware.no_builtin_rules = 1;
        } else if (!strcmp(a, "--no-heuristics")) {
            c.malware.no_heuristics = 1;
        } else if (!strcmp(a, "--clamd") && v) {
            c.malware.clamd = v, i++;
        } else if (!strcmp(a, "--clamav-db") && v) {
            c.malware.clamav_db = v, i++;
        } else if (!strcmp(a, "--malware-max-size") && v) {
            if (parse_size(v, &c.malware.max_file_size)) {
                fprintf(stderr,
                        "drydock scan: --malware-max-size takes a size such "
                        "as 64M (1K..4G)\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--timeout") && v) {
            if (parse_duration(v, &so.timeout_ms)) {
                fprintf(stderr,
                        "drydock scan: --timeout takes a duration such as "
                        "30s, 5m, 1h or seconds (1s..7 days), not '%s'\n",
                        v);
                return EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--no-color")) {
            no_color = 1;
        } else if (!strcmp(a, "--ignore-unfixed")) {
            so.ignore_unfixed = 1;
        } else if (!strcmp(a, "--exit-code") && v) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            exit_code = end && !*end ? (int)n : -1;
            i++;
            if (exit_code < 0 || exit_code > 255) {
                fprintf(stderr, "drydock scan: --exit-code takes 0..255\n");
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--db-max-age") && v) {
            max_age_days = strtod(v, NULL);
            i++;
        } else if (!strcmp(a, "--severity") && v) {
            i++;
            for (const char *p = v; *p;) {
                size_t k = strcspn(p, ",");
                char t[32];
                snprintf(t, sizeof t, "%.*s", (int)(k < 31 ? k : 31), p);
                int s = dd_severity_parse(t);
                if (s < 0) {
                    fprintf(stderr, "drydock scan: unknown severity '%s'\n", t);
                    return EXIT_USAGE;
                }
                so.severities |= 1u << s;
                p += k + (p[k] == ',');
            }
        } else {
            int r = cli_common_opt(&c, argc, argv, &i);
            if (r < 0) {
                return EXIT_USAGE;
            }
            if (r > 0) {
                continue;
            }
            if (a[0] == '-') {
                fprintf(stderr, "drydock scan: unknown option '%s'\n%s", a,
                        usage);
                return EXIT_USAGE;
            }
            if (c.image) {
                fprintf(stderr, "drydock scan: unexpected '%s'\n", a);
                return EXIT_USAGE;
            }
            c.image = a;
        }
    }
    if (!c.image) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    dd_error err;
    if (scanners && dd_scanners_parse(scanners, &so.scanners, &err)) {
        fprintf(stderr, "drydock scan: %s\n", err.message);
        return EXIT_USAGE;
    }
    c.malware.yara_rules = yara;
    c.malware.n_yara_rules = n_yara;
    c.malware.hash_dbs = hashes;
    c.malware.n_hash_dbs = n_hashes;
    c.malware.cache_dir = cli_cache_dir(cache, sizeof cache);
    c.db_max_age = (int64_t)(max_age_days * 86400);
    so.ignore_file = ignfile;
    if (c.checks_config) {
        /* a bad checks file is a usage error (exit 2), said before any
         * rules are compiled */
        dd_check_policy *pol = NULL;
        if (dd_check_policy_load(&pol, c.checks_config, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            return EXIT_USAGE;
        }
        dd_check_policy_free(pol);
    }
    /* the database: an explicit --db or vuln scanner must have one; the
     * default set goes on without it (the scan says so in its warnings) */
    char dbbuf[4096];
    const char *dbpath = cli_db_path(dbopt, dbbuf, sizeof dbbuf);
    int need_db = !so.scanners || (so.scanners & DD_SCANNER_VULN);
    if (!need_db) {
        dbpath = NULL;
    } else if (dbpath && !(so.scanners & DD_SCANNER_VULN) &&
               access(dbpath, F_OK) != 0) {
        dbpath = NULL;
    } else if (!dbpath) {
        fprintf(stderr, "drydock: cannot form the default database path "
                        "(set --db)\n");
        return EXIT_UNREADABLE;
    }
    dd_engine *eng = NULL;
    int rc = cli_make_engine(
        &c, dbpath, so.scanners && !(so.scanners & DD_SCANNER_MALWARE), &eng);
    if (rc) {
        return rc;
    }
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    char *text = NULL;
    size_t len = 0;
    if ((rc = cli_open_scan(&c, eng, &so, &img, &scan))) {
        goto done;
    }
    for (size_t i = 0; !c.quiet && i < dd_scan_warning_count(scan); i++) {
        fprintf(stderr, "warning: %s\n", dd_scan_warning(scan, i));
    }
    dd_report_opts ro = DD_REPORT_OPTS_INIT;
    ro.color =
        !output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !no_color;
    ro.fail_on = exit_code >= 0                ? -1
                 : c.fail_on == DD_SEV_UNKNOWN ? DD_REPORT_FAIL_NONE
                                               : c.fail_on;
    if (dd_report_render_opts(&text, &len, scan, format, &ro, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        rc = EXIT_USAGE;
        goto done;
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        perror(output);
        rc = EXIT_USAGE;
        goto done;
    }
    if (fwrite(text, 1, len, out) != len) {
        perror(output ? output : "stdout");
    }
    if (out != stdout && fclose(out) != 0) {
        perror(output);
    }
    const dd_scan_summary *sum = dd_scan_summary_get(scan);
    if (!sum->complete) {
        rc = EXIT_PARTIAL;
    } else if (exit_code >= 0) {
        rc = sum->total ? exit_code : 0;
    } else {
        int m = -1;
        for (int s = DD_SEV_CRITICAL; s >= 0 && m < 0; s--) {
            m = sum->by_severity[s] ? s : -1;
        }
        rc = c.fail_on != DD_SEV_UNKNOWN && m >= c.fail_on ? EXIT_FINDINGS
                                                           : EXIT_CLEAN;
    }
done:
    dd_string_free(text);
    dd_scan_free(scan);
    dd_image_free(img);
    dd_engine_free(eng);
    return rc;
}
