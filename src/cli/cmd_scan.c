/*
 * cli/cmd_scan.c - `drydock scan IMAGE`: the arguments, one engine, one
 * dd_scan_run() and dd_report_render() (the library does the work).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

enum {
    K_SCANNERS = 1,
    K_SEVERITY,
    K_IGNORE_UNFIXED,
    K_IGNORE_FILE,
    K_EXIT_CODE,
    K_DB,
    K_DB_MAX_AGE,
    K_SKIP_DB_UPDATE,
    K_OFFLINE,
    K_SECRET_CONFIG,
    K_CHECKS_CONFIG,
    K_LICENSE_CONFIG,
    K_LICENSE_IGNORED,
    K_YARA,
    K_NO_BUILTIN,
    K_HASH_DB,
    K_CLAMD,
    K_CLAMAV_DB,
    K_MALWARE_MAX,
    K_NO_HEUR,
    K_TIMEOUT,
    K_SKIP_DIRS,
    K_SKIP_FILES,
    K_LIST_ALL,
    K_PKG_TYPES,
    K_NO_COLOR,
    K_REQ_SIG,
    K_SIG_KEY,
    K_SIG_ID,
    K_SIG_ISS,
    K_SIG_ROOT,
    K_LOCKFILES,
    K_SIG_STORE,
    K_SIG_NID,
    K_SIG_DCT,
    K_POLICY,
    K_VEX
};

static const cli_opt scan_opts[] = {
    {"scanners", 0, "LIST", K_SCANNERS, 0, NULL,
     "which scanners run: vuln, secret, malware, config (or misconfig), "
     "license; default the first four"},
    {"severity", 's', "LIST", K_SEVERITY, 0, NULL,
     "report only these severities, e.g. HIGH,CRITICAL"},
    {"ignore-unfixed", 0, NULL, K_IGNORE_UNFIXED, 0, NULL,
     "drop vulnerabilities that have no fixed version"},
    {"ignore-file", 0, "FILE", K_IGNORE_FILE, 0, "ignorefile",
     "ids to ignore, one per line: ID [exp:YYYY-MM-DD] [# reason]; expired "
     "entries stop applying and are reported (default: .drydockignore and "
     ".trivyignore in the working directory)"},
    {"exit-code", 0, "N", K_EXIT_CODE, 0, NULL,
     "exit N when any reported finding (not INFO) remains, or with "
     "--fail-on one at or above it (default: 1 at or above --fail-on)"},
    {"db", 0, "PATH", K_DB, 0, NULL,
     "vulnerability database (default $XDG_CACHE_HOME/drydock/db/"
     "drydock.db); must exist"},
    {"db-max-age", 0, "DAYS", K_DB_MAX_AGE, 0, NULL,
     "warn when the database is older (default 7); an older default "
     "database is updated first"},
    {"skip-db-update", 0, NULL, K_SKIP_DB_UPDATE, 0, NULL,
     "never download the database: use the one there is"},
    {"offline-scan", 0, NULL, K_OFFLINE, 0, NULL,
     "no network for the database (as --skip-db-update)"},
    {"secret-config", 0, "FILE", K_SECRET_CONFIG, 0, NULL,
     "JSON file: extra secret rules, rule ids to disable, allow-listed "
     "paths and values (README \"Secrets\")"},
    {"checks-config", 0, "FILE", K_CHECKS_CONFIG, 0, NULL,
     "configuration checks to disable and severities to override: "
     "{\"disable\": [ids], \"severity\": {id: sev}} (docs/checks.md)"},
    {"license-config", 0, "FILE", K_LICENSE_CONFIG, 0, NULL,
     "--scanners license: licenses to put in other categories: "
     "{\"forbidden\": [\"GPL-3.0-*\"], \"notice\": [...]} "
     "(docs/licenses.md)"},
    {"ignored-licenses", 0, "LIST", K_LICENSE_IGNORED, CLI_REPEAT, NULL,
     "--scanners license: licenses never reported, e.g. GPL-2.0-only,LGPL-*; "
     "may repeat (they count as unencumbered)"},
    {"yara-rules", 0, "PATH", K_YARA, CLI_REPEAT, NULL,
     "YARA rule file or directory (*.yar, *.yara); may repeat; compiled "
     "once and cached"},
    {"no-builtin-rules", 0, NULL, K_NO_BUILTIN, 0, NULL,
     "only the --yara-rules, not drydock's own pack"},
    {"hash-db", 0, "PATH", K_HASH_DB, CLI_REPEAT, NULL,
     "block list of file hashes: ClamAV .hdb/.hsb or one SHA-256/SHA-1/MD5 "
     "per line; file or directory; may repeat"},
    {"clamd", 0, "ADDR", K_CLAMD, 0, NULL,
     "also scan every file with clamd: unix:/path or tcp:127.0.0.1:3310"},
    {"clamav-db", 0, "DIR", K_CLAMAV_DB, 0, NULL,
     "in-process libclamav with this database (builds with "
     "-Dclamav=enabled only)"},
    {"malware-max-size", 0, "N", K_MALWARE_MAX, 0, NULL,
     "bytes of one file scanned for malware, K/M/G suffix (default 256M); "
     "larger files are scanned in part and reported"},
    {"no-heuristics", 0, NULL, K_NO_HEUR, 0, NULL,
     "no heuristic malware findings"},
    {"timeout", 0, "DURATION", K_TIMEOUT, 0, NULL,
     "stop reading after DURATION (30s, 5m, 1h, 1m30s or seconds): the "
     "rest is a HIGH scan.timeout finding and the exit status 4"},
    {"skip-dirs", 0, "GLOB", K_SKIP_DIRS, CLI_REPEAT, NULL,
     "no analyzer reads files at or under these directories (globs: "
     "usr/lib/**, **/node_modules; a leading / is optional); they are "
     "still listed and checked for archive attacks, and the report says "
     "how many were skipped"},
    {"skip-files", 0, "GLOB", K_SKIP_FILES, CLI_REPEAT, NULL,
     "no analyzer reads files matching these globs (**/*.pem, "
     "app/.env)"},
    {"list-all-pkgs", 0, NULL, K_LIST_ALL, 0, NULL,
     "json: add every package (\"packages\"); cyclonedx and spdx list "
     "them anyway"},
    {"pkg-types", 0, "LIST", K_PKG_TYPES, 0, NULL,
     "which packages are listed and matched: os (dpkg, apk, rpm), "
     "library (npm, PyPI, Go, Java, ...) or os,library (the default)"},
    {"no-color", 0, NULL, K_NO_COLOR, 0, NULL,
     "no colour in the table (also NO_COLOR set to anything, or -o FILE)"},
    {"require-signature", 0, NULL, K_REQ_SIG, 0, NULL,
     "check the image's signatures as `drydock verify` does (needs --key or "
     "--certificate-identity and --certificate-oidc-issuer) and report "
     "trust.* findings when none verifies (docs/trust.md)"},
    {"key", 0, "PEM", K_SIG_KEY, 0, NULL,
     "--require-signature: the signer's public key"},
    {"certificate-identity", 0, "ID", K_SIG_ID, 0, NULL,
     "--require-signature: the signer's identity (keyless)"},
    {"certificate-oidc-issuer", 0, "URL", K_SIG_ISS, 0, NULL,
     "--require-signature: the identity's OIDC issuer (keyless)"},
    {"lockfiles", 0, NULL, K_LOCKFILES, 0, NULL,
     "also list the packages pinned in project lockfiles (package-lock.json, "
     "yarn.lock, poetry.lock, go.mod, pom.xml, ...); Cargo.lock is always "
     "read, and every lockfile of an fs: project"},
    {"trusted-root", 0, "FILE", K_SIG_ROOT, 0, NULL,
     "--require-signature: trusted root (default: the built-in Sigstore "
     "public-good root)"},
    {"trust-store", 0, "DIR", K_SIG_STORE, 0, NULL,
     "--require-signature: check Notation signatures against this X.509 "
     "trust store (Notation's x509/ca/NAME/ layout, or one PEM file)"},
    {"notation-identity", 0, "ID", K_SIG_NID, 0, NULL,
     "--require-signature: the trusted Notation signer, \"x509.subject: "
     "CN=...,O=...\""},
    {"dct", 0, NULL, K_SIG_DCT, 0, NULL,
     "--require-signature: Docker Content Trust was wanted (also "
     "DOCKER_CONTENT_TRUST=1): Notary v1 is retired, the verdict says so"},
    {"policy", 0, "FILE", K_POLICY, 0, NULL,
     "judge the image by this admission policy (docs/policy.md) and add "
     "the verdict to the report (JSON \"policy\", a Policy section, SARIF "
     "notifications); a deny exits 1"},
    {"vex", 0, "FILE", K_VEX, CLI_REPEAT, NULL,
     "VEX document (OpenVEX, CycloneDX VEX or CSAF VEX; docs/vex.md); may "
     "repeat: vulnerabilities it marks not_affected or fixed for this "
     "image or package move to the ignored list with the reason, "
     "under_investigation ones stay and say so"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_scan = {
    "scan",
    "IMAGE [options]   (also: drydock image IMAGE)",
    "Scan an image for vulnerabilities (vuln), secrets, malware and\n"
    "configuration problems (config). The vuln scanner needs a database:\n"
    "when there is none a scan downloads it once (`drydock db update`), and\n"
    "exits 3 when that fails - vulnerabilities are never skipped silently.\n"
    "IMAGE as for `drydock inspect --help`; sbom:FILE (a CycloneDX 1.4-1.6\n"
    "or SPDX 2.3 JSON document) is matched as the package list: secrets,\n"
    "malware and config are not checked, an SBOM has no files.\n",
    scan_opts,
    CLI_G_ALL,
    NULL,
    0};

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

typedef struct scan_args {
    cli_common *c;
    dd_scan_opts *so;
    const char *dbopt, *ignfile, *scanners;
    int exit_code, skip_update, list_all, no_color, require_sig;
    const char *sig_key, *sig_root, *policy;
    dd_trust_policy sig_pol;
    double max_age_days;
    const char *yara[MAX_LISTS], *hashes[MAX_LISTS];
    size_t n_yara, n_hashes;
    const char *skipd[MAX_LISTS + 1], *skipf[MAX_LISTS + 1];
    size_t n_skipd, n_skipf;
    const char *vex[MAX_LISTS + 1];
    size_t n_vex;
} scan_args;

/* "30s", "5m", "1h", "1m30s", "500ms" or plain seconds -> ms */
static int parse_duration(const char *v, uint64_t *out)
{
    uint64_t total = 0;
    const char *p = v;
    if (!*p) {
        return -1;
    }
    while (*p) {
        char *end = NULL;
        if (*p < '0' || *p > '9') {
            return -1;
        }
        unsigned long long n = strtoull(p, &end, 10);
        if (n > 1000000000ULL) {
            return -1;
        }
        uint64_t mul = 1000;
        if (!strncmp(end, "ms", 2)) {
            mul = 1, end += 2;
        } else if (*end == 's') {
            end++;
        } else if (*end == 'm') {
            mul = 60000, end++;
        } else if (*end == 'h') {
            mul = 3600000, end++;
        } else if (*end && end != p) {
            return -1;
        } else if (p != v) {
            return -1; /* "1m30" */
        }
        total += n * mul;
        p = end;
    }
    if (!total) {
        return -1;
    }
    *out = total;
    return 0;
}

static int scan_opt(void *ctx, int key, const char *label, const char *v)
{
    scan_args *a = ctx;
    dd_scan_opts *so = a->so;
    cli_common *c = a->c;
    switch (key) {
    case K_SCANNERS:
        a->scanners = v;
        return 0;
    case K_REQ_SIG:
        a->require_sig = 1;
        return 0;
    case K_SIG_KEY:
        a->sig_key = v;
        return 0;
    case K_SIG_ID:
        a->sig_pol.identity = v;
        return 0;
    case K_SIG_ISS:
        a->sig_pol.issuer = v;
        return 0;
    case K_SIG_ROOT:
        a->sig_root = v;
        return 0;
    case K_SIG_STORE:
        a->sig_pol.trust_store = v;
        return 0;
    case K_SIG_NID:
        a->sig_pol.notation_identity = v;
        return 0;
    case K_SIG_DCT:
        a->sig_pol.dct = 1;
        return 0;
    case K_POLICY:
        a->policy = v;
        return 0;
    case K_SEVERITY:
        if (cli_parse_severity_list("scan", label, v, &so->severities)) {
            return EXIT_USAGE;
        }
        return 0;
    case K_IGNORE_UNFIXED:
        so->ignore_unfixed = 1;
        return 0;
    case K_LOCKFILES:
        so->lockfiles = 1;
        return 0;
    case K_IGNORE_FILE:
        a->ignfile = v;
        return 0;
    case K_EXIT_CODE: {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (end == v || *end || n < 0 || n > 255) {
            fprintf(stderr, "drydock scan: %s takes 0..255, not '%s'\n", label,
                    cli_esc(v));
            return EXIT_USAGE;
        }
        a->exit_code = (int)n;
        return 0;
    }
    case K_DB:
        a->dbopt = v;
        return 0;
    case K_DB_MAX_AGE: {
        char *end = NULL;
        double d = strtod(v, &end);
        if (end == v || *end || !(d > 0)) {
            fprintf(stderr,
                    "drydock scan: %s takes a positive number of days, not "
                    "'%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->max_age_days = d;
        return 0;
    }
    case K_SKIP_DB_UPDATE:
    case K_OFFLINE:
        a->skip_update = 1;
        return 0;
    case K_SECRET_CONFIG:
        c->secret_config = v;
        return 0;
    case K_CHECKS_CONFIG:
        c->checks_config = v;
        return 0;
    case K_LICENSE_CONFIG:
        c->license_config = v;
        return 0;
    case K_LICENSE_IGNORED: {
        size_t l = strlen(c->license_ignored), vl = strlen(v);
        if (l + vl + 2 > sizeof c->license_ignored) {
            fprintf(stderr, "drydock scan: %s: too long a list\n", label);
            return EXIT_USAGE;
        }
        if (l) {
            c->license_ignored[l++] = ',';
        }
        memcpy(c->license_ignored + l, v, vl + 1);
        return 0;
    }
    case K_YARA:
    case K_HASH_DB: {
        size_t *n = key == K_YARA ? &a->n_yara : &a->n_hashes;
        if (*n == MAX_LISTS) {
            fprintf(stderr, "drydock scan: too many %s\n", label);
            return EXIT_USAGE;
        }
        (key == K_YARA ? a->yara : a->hashes)[(*n)++] = v;
        return 0;
    }
    case K_NO_BUILTIN:
        c->malware.no_builtin_rules = 1;
        return 0;
    case K_NO_HEUR:
        c->malware.no_heuristics = 1;
        return 0;
    case K_CLAMD:
        c->malware.clamd = v;
        return 0;
    case K_CLAMAV_DB:
        c->malware.clamav_db = v;
        return 0;
    case K_MALWARE_MAX:
        if (parse_size(v, &c->malware.max_file_size)) {
            fprintf(stderr,
                    "drydock scan: %s takes a size such as 64M (1K..4G)\n",
                    label);
            return EXIT_USAGE;
        }
        return 0;
    case K_TIMEOUT:
        if (parse_duration(v, &so->timeout_ms)) {
            fprintf(stderr,
                    "drydock scan: %s takes a duration such as 30s, 5m, 1h "
                    "or 90 (seconds), not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        return 0;
    case K_SKIP_DIRS:
    case K_SKIP_FILES: {
        size_t *n = key == K_SKIP_DIRS ? &a->n_skipd : &a->n_skipf;
        const char **v2 = key == K_SKIP_DIRS ? a->skipd : a->skipf;
        /* Trivy's list flags also take "a,b"; the copy lives until exit */
        char *copy = strchr(v, ',') ? strdup(v) : NULL;
        if (strchr(v, ',') && !copy) {
            return EXIT_UNREADABLE;
        }
        for (char *p = copy ? copy : (char *)v; p;) {
            char *comma = copy ? strchr(p, ',') : NULL;
            if (comma) {
                *comma = '\0';
            }
            if (*n == MAX_LISTS) {
                fprintf(stderr, "drydock scan: too many %s\n", label);
                return EXIT_USAGE;
            }
            if (*p) {
                v2[(*n)++] = p;
            }
            p = comma ? comma + 1 : NULL;
        }
        v2[*n] = NULL;
        (key == K_SKIP_DIRS ? &so->walk.skip_dirs : &so->walk.skip_files)[0] =
            v2;
        return 0;
    }
    case K_VEX:
        if (a->n_vex == MAX_LISTS) {
            fprintf(stderr, "drydock scan: more than %d %s\n", MAX_LISTS,
                    label);
            return EXIT_USAGE;
        }
        a->vex[a->n_vex++] = v;
        a->vex[a->n_vex] = NULL;
        so->vex_files = a->vex;
        return 0;
    case K_LIST_ALL:
        a->list_all = 1;
        return 0;
    case K_NO_COLOR:
        a->no_color = 1;
        return 0;
    case K_PKG_TYPES: {
        int os = 0, lib = 0, other = 0;
        for (const char *p = v; *p;) {
            size_t k = strcspn(p, ",");
            if (k == 2 && !strncmp(p, "os", 2)) {
                os = 1;
            } else if (k == 7 && !strncmp(p, "library", 7)) {
                lib = 1;
            } else {
                other = 1;
            }
            p += k + (p[k] == ',');
        }
        if (other || (!os && !lib)) {
            fprintf(stderr,
                    "drydock scan: %s '%s': the types are os and library "
                    "(for example os,library)\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        so->pkg_types =
            (os ? DD_PKG_TYPES_OS : 0u) | (lib ? DD_PKG_TYPES_LIBRARY : 0u);
        return 0;
    }
    default:
        return 0;
    }
}

/* ./.drydockignore and ./.trivyignore when no --ignore-file is given:
 * the one there is, or both joined in a temporary file (*tmp, unlinked by
 * the caller) */
static const char *default_ignore(char *tmp, size_t n)
{
    static const char *const names[] = {".drydockignore", ".trivyignore"};
    int have[2] = {access(names[0], R_OK) == 0, access(names[1], R_OK) == 0};
    tmp[0] = '\0';
    if (!have[0] || !have[1]) {
        return have[0] ? names[0] : have[1] ? names[1] : NULL;
    }
    snprintf(tmp, n, "/tmp/drydock-ignore.XXXXXX");
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        tmp[0] = '\0';
        return names[0];
    }
    for (int i = 0; i < 2; i++) {
        FILE *in = fopen(names[i], "r");
        char line[4096];
        while (in && fgets(line, sizeof line, in)) {
            fputs(line, out);
        }
        fputc('\n', out);
        if (in) {
            fclose(in);
        }
    }
    fclose(out);
    return tmp;
}

/* age in seconds of the newest feed import, -1 when unknown / unusable */
static int64_t db_age(const char *path, char *why, size_t n)
{
    dd_vulndb *db = NULL;
    dd_error err;
    if (dd_vulndb_open(&db, path, &err)) {
        snprintf(why, n, "%s", err.message);
        return -1;
    }
    dd_feed_info *f = NULL;
    size_t nf = 0;
    int64_t newest = -1;
    if (dd_vulndb_feeds(db, &f, &nf, &err) == 0) {
        for (size_t i = 0; i < nf; i++) {
            newest = f[i].imported_at > newest ? f[i].imported_at : newest;
        }
        dd_feed_info_free(f, nf);
    } else {
        snprintf(why, n, "%s", err.message);
    }
    dd_vulndb_close(db);
    if (newest < 0) {
        if (!why[0]) {
            snprintf(why, n, "%s: the database has no feeds", path);
        }
        return -1;
    }
    int64_t age = (int64_t)time(NULL) - newest;
    return age < 0 ? 0 : age;
}

#define NOT_CHECKED                                                      \
    "vulnerabilities were NOT checked; get a database with `drydock db " \
    "update` (or `drydock db import FEED...`), keep an old one with "    \
    "--skip-db-update/--offline-scan, or choose --scanners without vuln"

/* The database the vuln scanner will use: the first run downloads it.
 * 0 with *out set, or EXIT_UNREADABLE after one line. */
static int resolve_db(const scan_args *a, const char **out, char *buf, size_t n)
{
    const cli_common *c = a->c;
    const char *path = cli_db_path(a->dbopt, c->cache_dir, buf, n);
    if (!path) {
        fprintf(stderr, "drydock scan: cannot form the default database path "
                        "(set --db): " NOT_CHECKED "\n");
        return EXIT_UNREADABLE;
    }
    char why[1024] = "";
    int64_t age = db_age(path, why, sizeof why);
    if (a->dbopt) {
        /* an explicit --db is used as it is, never downloaded */
        if (age < 0) {
            fprintf(stderr, "drydock scan: --db %s: %s: " NOT_CHECKED "\n",
                    cli_esc(path),
                    access(path, F_OK) ? "no such file" : cli_esc(why));
            return EXIT_UNREADABLE;
        }
        *out = path;
        return 0;
    }
    int stale = age >= 0 && age > (int64_t)(a->max_age_days * 86400);
    if ((age < 0 || stale) && !a->skip_update) {
        char uwhy[1024] = "";
        unsigned fl = CLI_DBU_SUMMARY_STDERR;
        if (c->quiet) {
            fl |= CLI_DBU_QUIET;
        }
        if (c->quiet || c->no_progress) {
            fl |= CLI_DBU_NO_BAR;
        }
        if (!c->quiet && !c->no_progress && isatty(2)) {
            fprintf(stderr,
                    "%s: downloading the vulnerability database "
                    "(`drydock db update`)\n",
                    age < 0 ? "no vulnerability database"
                            : "the vulnerability database is old");
        }
        int r = cli_db_update(path, NULL, NULL, NULL, fl, uwhy, sizeof uwhy);
        if (r == 0) {
            why[0] = '\0';
            age = db_age(path, why, sizeof why);
        } else if (age < 0) {
            fprintf(stderr,
                    "drydock scan: no vulnerability database at %s and "
                    "`drydock db update` failed (%s): " NOT_CHECKED "\n",
                    cli_esc(path), uwhy[0] ? cli_esc(uwhy) : "see above");
            return EXIT_UNREADABLE;
        } else if (!c->quiet) {
            fprintf(stderr,
                    "warning: the vulnerability database could not be "
                    "updated (%s): using the one from %lld days ago\n",
                    uwhy[0] ? cli_esc(uwhy) : "see above",
                    (long long)(age / 86400));
        }
    }
    if (age < 0) {
        if (access(path, F_OK) != 0) {
            fprintf(
                stderr,
                "drydock scan: no vulnerability database at %s%s: " NOT_CHECKED
                "\n",
                cli_esc(path),
                a->skip_update ? " (not downloaded: --skip-db-update)" : "");
        } else {
            fprintf(stderr, "drydock scan: %s: " NOT_CHECKED "\n",
                    cli_esc(why));
        }
        return EXIT_UNREADABLE;
    }
    *out = path;
    return 0;
}

/* --list-all-pkgs with --format json: the inventory as "packages" */
static int add_packages(char **text, size_t *len, const dd_scan *scan)
{
    json_error_t je;
    json_t *doc = json_loadb(*text, *len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        return -1;
    }
    json_t *arr = json_array();
    const dd_inventory *inv = dd_scan_inventory(scan);
    for (size_t i = 0; inv && i < dd_inventory_count(inv); i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        json_t *o = json_object();
        json_object_set_new(o, "type", json_string(dd_pkg_type_name(p->type)));
        json_object_set_new(o, "name", cli_json_text(p->name));
        json_object_set_new(o, "version", cli_json_text(p->version));
        json_object_set_new(o, "arch", cli_json_text(p->arch));
        json_object_set_new(o, "source_name", cli_json_text(p->source_name));
        json_object_set_new(o, "layer", json_integer(p->layer));
        json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "packages", arr);
    char *t = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    if (!t) {
        return -1;
    }
    dd_string_free(*text);
    *text = t;
    *len = strlen(t);
    return 1; /* *text is now jansson's (free()) */
}

/* --require-signature: the verdict of dd_trust_verify_image as trust.*
 * findings in the report. An image that cannot carry signatures (an
 * archive) or whose signatures cannot be read is reported unsigned,
 * with the reason: a scan never passes a signature it could not see. */
static int add_signature_findings(scan_args *a, dd_scan *scan)
{
    const cli_common *c = a->c;
    dd_error err = {0};
    char *kp = NULL;
    size_t kl = 0;
    if (a->sig_key && !(kp = cli_slurp(a->sig_key, 1u << 20, &kl))) {
        fprintf(stderr, "drydock: %s: %s\n", cli_esc(a->sig_key),
                strerror(errno));
        return EXIT_UNREADABLE;
    }
    a->sig_pol.key_pem = kp;
    dd_trust_root *root = NULL;
    int rc = a->sig_root ? dd_trust_root_load(&root, a->sig_root, &err)
                         : dd_trust_root_builtin(&root, &err);
    if (rc) {
        fprintf(stderr, "drydock: %s\n", err.message);
        free(kp);
        return EXIT_UNREADABLE;
    }
    dd_trust_image *res = NULL, none;
    dd_findings *f = NULL;
    rc = dd_trust_verify_image(&res, c->image, c->tag, &c->registry, root,
                               &a->sig_pol, &err);
    if (rc) {
        /* not readable as a signed image: unsigned, saying why */
        memset(&none, 0, sizeof none);
        snprintf(none.message, sizeof none.message,
                 "signatures could not be looked up: %.500s", err.message);
    }
    const dd_trust_image *v = res ? res : &none;
    char verdict[700];
    snprintf(verdict, sizeof verdict, "%s%s",
             v->verified ? "" : "NOT verified: ", v->message);
    rc = dd_trust_image_findings(v, 0, &f, &err);
    if (!rc) {
        rc = dd_scan_add_findings(scan, f, &err);
    }
    if (!rc) {
        rc = dd_scan_set_signatures(scan, verdict, &err);
    }
    if (rc) {
        fprintf(stderr, "drydock: %s\n", err.message);
    }
    dd_findings_free(f);
    dd_trust_image_free(res);
    dd_trust_root_free(root);
    free(kp);
    return rc ? EXIT_UNREADABLE : 0;
}

static int scan_main(int argc, char **argv, const char *prefix)
{
    dd_image *img = NULL;
    cli_common c;
    cli_common_init(&c);
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    static scan_args a; /* the lists are kept by pointer */
    memset(&a, 0, sizeof a);
    a.c = &c;
    a.so = &so;
    a.exit_code = -1;
    a.max_age_days = 7;
    char cache[4096];
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_scan, &c, argc, argv, scan_opt, &a, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_scan, pos, np, 1, 1, "IMAGE"))) {
        return rc;
    }
    if (a.require_sig
            ? !a.sig_key && (!a.sig_pol.identity || !a.sig_pol.issuer) &&
                  !a.sig_pol.trust_store && !a.sig_pol.dct
            : a.sig_key || a.sig_pol.identity || a.sig_pol.issuer ||
                  (a.sig_root && !a.policy) || a.sig_pol.trust_store ||
                  a.sig_pol.notation_identity || a.sig_pol.dct) {
        fprintf(stderr,
                "drydock scan: --require-signature goes with --key, with "
                "--certificate-identity and --certificate-oidc-issuer, or "
                "with --trust-store\n");
        return EXIT_USAGE;
    }
    if (a.require_sig && (rc = cli_notation_args("scan", &a.sig_pol))) {
        return rc;
    }
    c.image = pos[0];
    char prefixed[4096];
    if (prefix && strncmp(c.image, prefix, strlen(prefix)) != 0) {
        /* drydock fs PATH = drydock scan fs:PATH (Trivy's spelling) */
        if ((size_t)snprintf(prefixed, sizeof prefixed, "%s%s", prefix,
                             c.image) >= sizeof prefixed) {
            fprintf(stderr, "drydock: path too long\n");
            return EXIT_USAGE;
        }
        c.image = prefixed;
    }
    if (a.list_all && strcmp(c.format, "json") &&
        strcmp(c.format, "cyclonedx") && strcmp(c.format, "spdx")) {
        fprintf(stderr, "drydock scan: --list-all-pkgs needs --format json "
                        "(cyclonedx and spdx list every package anyway)\n");
        return EXIT_USAGE;
    }
    dd_error err;
    if (a.scanners) {
        /* Trivy's "misconfig" is our "config" */
        char list[256];
        size_t at = 0;
        for (const char *p = a.scanners; *p && at + 10 < sizeof list;) {
            size_t k = strcspn(p, ",");
            int mis = k == 9 && !strncmp(p, "misconfig", 9);
            at += (size_t)snprintf(list + at, sizeof list - at, "%s%.*s",
                                   at ? "," : "", mis ? 6 : (int)k,
                                   mis ? "config" : p);
            p += k + (p[k] == ',');
        }
        if (dd_scanners_parse(list, &so.scanners, &err)) {
            fprintf(stderr, "drydock scan: %s\n", err.message);
            return EXIT_USAGE;
        }
    }
    c.malware.yara_rules = a.yara;
    c.malware.n_yara_rules = a.n_yara;
    c.malware.hash_dbs = a.hashes;
    c.malware.n_hash_dbs = a.n_hashes;
    if (c.cache_dir) {
        (void)mkdir(c.cache_dir, 0700);
        c.malware.cache_dir = c.cache_dir;
    } else {
        c.malware.cache_dir = cli_cache_dir(cache, sizeof cache);
    }
    c.db_max_age = (int64_t)(a.max_age_days * 86400);
    char igntmp[64] = "";
    so.ignore_file =
        a.ignfile ? a.ignfile : default_ignore(igntmp, sizeof igntmp);
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
    if (c.license_config || c.license_ignored[0]) {
        dd_license_policy *lp = NULL;
        int bad = dd_license_policy_new(&lp, &err) ||
                  (c.license_config &&
                   dd_license_policy_load(lp, c.license_config, &err)) ||
                  dd_license_policy_set_list(lp, c.license_ignored,
                                             DD_LICENSE_UNENCUMBERED, &err);
        dd_license_policy_free(lp);
        if (bad) {
            fprintf(stderr, "drydock: %s\n", err.message);
            return EXIT_USAGE;
        }
    }
    /* a bad --policy is a usage error (exit 2), said first */
    dd_policy *pol = NULL;
    dd_policy_verdict *verdict = NULL;
    if (a.policy && (rc = cli_policy_load(a.policy, &pol))) {
        goto out;
    }
    /* the policy's vex: list joins the --vex documents */
    for (size_t i = 0; pol && i < dd_policy_vex_count(pol); i++) {
        if (a.n_vex == MAX_LISTS) {
            fprintf(stderr, "drydock scan: more than %d VEX documents\n",
                    MAX_LISTS);
            rc = EXIT_USAGE;
            goto out;
        }
        a.vex[a.n_vex++] = dd_policy_vex_file(pol, i);
        a.vex[a.n_vex] = NULL;
        so.vex_files = a.vex;
    }
    /* the image first: one that cannot be read (a missing local path, an
     * unknown name) is said before any database download is tried */
    if ((rc = cli_open_image(&c, &img))) {
        goto out;
    }
    /* the database: a scan with the vuln scanner has one or stops (exit
     * 3, never a silent pass); the first run downloads it */
    char dbbuf[4096];
    const char *dbpath = NULL;
    int need_db = !so.scanners || (so.scanners & DD_SCANNER_VULN);
    if (need_db && (rc = resolve_db(&a, &dbpath, dbbuf, sizeof dbbuf))) {
        goto out;
    }
    dd_engine *eng = NULL;
    rc = cli_make_engine(
        &c, dbpath, so.scanners && !(so.scanners & DD_SCANNER_MALWARE), &eng);
    if (rc) {
        goto out;
    }
    dd_scan *scan = NULL;
    char *text = NULL;
    size_t len = 0;
    int jansson_text = 0;
    if ((rc = cli_open_scan(&c, eng, &so, &img, &scan))) {
        goto done;
    }
    if (a.require_sig && (rc = add_signature_findings(&a, scan))) {
        goto done;
    }
    if (pol && (rc = cli_policy_judge(&c, pol, NULL, a.sig_root, NULL, img,
                                      scan, &verdict))) {
        goto done;
    }
    if (verdict) { /* an image from a registry the policy does not allow */
        dd_findings *pf = NULL;
        if (dd_policy_verdict_findings(verdict, &pf, &err) ||
            dd_scan_add_findings(scan, pf, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            dd_findings_free(pf);
            rc = EXIT_UNREADABLE;
            goto done;
        }
        dd_findings_free(pf);
    }
    for (size_t i = 0; !c.quiet && i < dd_scan_warning_count(scan); i++) {
        fprintf(stderr, "warning: %s\n", dd_scan_warning(scan, i));
    }
    dd_report_opts ro = DD_REPORT_OPTS_INIT;
    ro.color = !c.output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
               !a.no_color;
    ro.fail_on = a.exit_code >= 0 && !c.fail_on_set ? -1
                 : c.fail_on == DD_SEV_UNKNOWN      ? DD_REPORT_FAIL_NONE
                                                    : c.fail_on;
    /* SBOM formats are streamed: memory does not grow with the
     * inventory */
    int stream = !strcmp(c.format, "cyclonedx") || !strcmp(c.format, "spdx");
    if (!stream &&
        dd_report_render_opts(&text, &len, scan, c.format, &ro, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        rc = EXIT_USAGE;
        goto done;
    }
    if (a.list_all && !strcmp(c.format, "json")) {
        jansson_text = add_packages(&text, &len, scan) > 0;
    }
    if (verdict && (!strcmp(c.format, "json") || !strcmp(c.format, "sarif") ||
                    !strcmp(c.format, "junit") || !strcmp(c.format, "table"))) {
        (void)cli_policy_attach(&text, &len, &jansson_text, c.format, verdict,
                                a.policy);
    } else if (verdict && !c.quiet) {
        fprintf(stderr, "policy %s: %s\n",
                dd_policy_decision_name(verdict->decision), cli_esc(a.policy));
    }
    FILE *out = c.output ? fopen(c.output, "w") : stdout;
    if (!out) {
        perror(c.output);
        rc = EXIT_USAGE;
        goto done;
    }
    if (stream) {
        int wr =
            dd_report_write(scan, c.format, &ro, cli_file_write, out, &err);
        if (!wr) {
            fputc('\n', out);
        } else {
            fprintf(stderr, "drydock: %s\n", err.message);
            rc = wr == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
            if (out != stdout) {
                fclose(out);
            }
            goto done;
        }
    } else if (fwrite(text, 1, len, out) != len) {
        perror(c.output ? c.output : "stdout");
    }
    if (out != stdout && fclose(out) != 0) {
        perror(c.output);
    }
    const dd_scan_summary *sum = dd_scan_summary_get(scan);
    /* INFO never fails a build; --fail-on sets the threshold */
    size_t at_or_above = 0, reported = 0;
    for (int s = DD_SEV_UNKNOWN; s <= DD_SEV_CRITICAL; s++) {
        if (s == DD_SEV_INFO) {
            continue;
        }
        reported += sum->by_severity[s];
        if (c.fail_on != DD_SEV_UNKNOWN && s >= c.fail_on) {
            at_or_above += sum->by_severity[s];
        }
    }
    if (!sum->complete) {
        rc = EXIT_PARTIAL;
    } else if (a.exit_code >= 0) {
        size_t hits = c.fail_on_set ? at_or_above : reported;
        rc = hits ? a.exit_code : 0;
    } else {
        rc = at_or_above ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    if (verdict && verdict->decision == DD_POLICY_DENY && rc == EXIT_CLEAN) {
        rc = EXIT_FINDINGS; /* the policy denies the image */
    }
done:
    dd_policy_verdict_free(verdict);
    if (jansson_text) {
        free(text);
    } else {
        dd_string_free(text);
    }
    dd_scan_free(scan);
    dd_engine_free(eng);
out:
    dd_image_free(img);
    dd_policy_free(pol);
    if (igntmp[0]) {
        unlink(igntmp);
    }
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    return scan_main(argc, argv, NULL);
}

int cmd_scan_fs(int argc, char **argv)
{
    return scan_main(argc, argv, "fs:");
}

int cmd_scan_rootfs(int argc, char **argv)
{
    return scan_main(argc, argv, "rootfs:");
}
