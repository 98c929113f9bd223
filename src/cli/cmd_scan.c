/*
 * cli/cmd_scan.c - `drydock scan IMAGE`: everything drydock finds in an
 * image - today vulnerabilities in OS packages plus the archive and
 * integrity findings of the walk - as a table, JSON (docs/scan-json.md)
 * or SARIF 2.1.0.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
    "usage: drydock scan IMAGE [--format table|json|sarif] [-o FILE]\n"
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
    "  --platform, --tag, --fail-on, --threads, --max-*, -q, registry and\n"
    "  daemon access (--username, --password-stdin, --ca-file, ...): as for\n"
    "                    `drydock inspect --help`\n";

typedef struct ign {
    char id[160];
    char exp[16];
    char reason[200];
    size_t line;
    int expired, used;
} ign;

typedef struct ctx {
    const dd_finding **f;
    size_t n, cap;
    ign *ig;
    size_t n_ig;
    unsigned sev_mask; /* bit per dd_severity; 0 = all */
    int ignore_unfixed;
    json_t *ignored;
} ctx;

static int load_ignores(ctx *c, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        perror(path);
        return -1;
    }
    char line[1024];
    size_t ln = 0;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    while (fgets(line, sizeof line, fp)) {
        ln++;
        char *hash = strchr(line, '#');
        char reason[200] = "";
        if (hash) {
            snprintf(reason, sizeof reason, "%s", hash + 1);
            reason[strcspn(reason, "\r\n")] = '\0';
            *hash = '\0';
        }
        char *tok = strtok_r(line, " \t\r\n", &hash);
        if (!tok) {
            continue;
        }
        ign *g = realloc(c->ig, (c->n_ig + 1) * sizeof *g);
        if (!g) {
            fclose(fp);
            return -1;
        }
        c->ig = g;
        g = &c->ig[c->n_ig++];
        memset(g, 0, sizeof *g);
        snprintf(g->id, sizeof g->id, "%s", tok);
        snprintf(g->reason, sizeof g->reason, "%s",
                 reason + strspn(reason, " "));
        g->line = ln;
        while ((tok = strtok_r(NULL, " \t\r\n", &hash))) {
            if (!strncmp(tok, "exp:", 4)) {
                snprintf(g->exp, sizeof g->exp, "%s", tok + 4);
            }
        }
        if (g->exp[0] && strcmp(today, g->exp) > 0) {
            g->expired = 1;
            fprintf(stderr,
                    "warning: %s:%zu: ignore of %s expired on %s; it "
                    "no longer applies\n",
                    path, ln, g->id, g->exp);
        }
    }
    fclose(fp);
    return 0;
}

static int ref_has(const char *refs, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = refs; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, id, n)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

static void consider(ctx *c, const dd_finding *f)
{
    if (c->sev_mask && !(c->sev_mask & (1u << f->severity))) {
        return;
    }
    if (c->ignore_unfixed && f->vuln && f->vuln->status != DD_VULN_FIXED) {
        return;
    }
    for (size_t i = 0; i < c->n_ig; i++) {
        ign *g = &c->ig[i];
        if (g->expired) {
            continue;
        }
        if (!strcmp(g->id, f->rule_id) ||
            (f->vuln && ref_has(f->vuln->references, g->id))) {
            g->used++;
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(f->rule_id));
            json_object_set_new(o, "package",
                                f->vuln ? json_string(f->vuln->package)
                                        : json_null());
            json_object_set_new(o, "rule", json_string(g->id));
            json_object_set_new(o, "expires",
                                g->exp[0] ? json_string(g->exp) : json_null());
            json_object_set_new(o, "reason", json_string(g->reason));
            json_array_append_new(c->ignored, o);
            return;
        }
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 64;
        const dd_finding **p = realloc(c->f, nc * sizeof *p);
        if (!p) {
            return;
        }
        c->f = p;
        c->cap = nc;
    }
    c->f[c->n++] = f;
}

static int by_pkg(const void *a, const void *b)
{
    const dd_finding *x = *(const dd_finding *const *)a;
    const dd_finding *y = *(const dd_finding *const *)b;
    if (!x->vuln || !y->vuln) {
        return x->vuln ? -1 : y->vuln ? 1 : 0;
    }
    int c = strcmp(x->vuln->package, y->vuln->package);
    if (c) {
        return c;
    }
    if (x->severity != y->severity) {
        return x->severity > y->severity ? -1 : 1;
    }
    return strcmp(x->rule_id, y->rule_id);
}

static json_t *js(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *finding_json(const dd_finding *f, const dd_image_info *in)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(dd_kind_name(f->kind)));
    json_object_set_new(o, "id", json_string(f->rule_id));
    json_object_set_new(o, "severity",
                        json_string(dd_severity_name(f->severity)));
    json_object_set_new(o, "title", json_string(f->title));
    json_object_set_new(o, "path", js(f->path));
    json_object_set_new(o, "layer",
                        f->layer >= 0 ? json_integer(f->layer) : json_null());
    json_object_set_new(o, "layer_digest", js(f->layer_digest));
    const char *step = f->history >= 0 && (size_t)f->history < in->n_history
                           ? in->history[f->history].created_by
                           : NULL;
    /* a secret finding's history step may hold the secret itself: give
     * the step's index, not its text */
    int secret =
        f->kind == DD_KIND_SECRET || !strcmp(f->rule_id, "config.env-secret");
    json_object_set_new(o, "created_by", secret ? json_null() : js(step));
    json_object_set_new(
        o, "history", f->history >= 0 ? json_integer(f->history) : json_null());
    json_object_set_new(o, "offset",
                        f->has_offset ? json_integer((json_int_t)f->offset)
                                      : json_null());
    json_object_set_new(o, "deleted_in_layer",
                        f->deleted_in >= 0 ? json_integer(f->deleted_in)
                                           : json_null());
    json_object_set_new(o, "evidence", js(f->evidence));
    json_object_set_new(
        o, "line", f->line ? json_integer((json_int_t)f->line) : json_null());
    json_object_set_new(o, "category", js(f->category));
    json_object_set_new(o, "engine", js(f->engine));
    json_object_set_new(o, "sha256", js(f->sha256));
    if (f->vuln) {
        const dd_vuln_info *v = f->vuln;
        json_t *x = json_object();
        json_object_set_new(x, "package", js(v->package));
        json_object_set_new(x, "source_package", js(v->source_package));
        json_object_set_new(x, "installed_version", js(v->installed_version));
        json_object_set_new(x, "fixed_version", js(v->fixed_version));
        json_object_set_new(x, "status",
                            json_string(dd_vuln_status_name(v->status)));
        json_object_set_new(x, "package_type", js(v->pkg_type));
        json_object_set_new(x, "namespace", js(v->namespace_));
        json_object_set_new(x, "purl", js(v->purl));
        json_t *refs = json_array();
        for (const char *p = v->references; p && *p;) {
            size_t k = strcspn(p, ",");
            json_array_append_new(refs, json_stringn(p, k));
            p += k + (p[k] == ',');
        }
        json_object_set_new(x, "references", refs);
        json_object_set_new(x, "cvss_score",
                            v->cvss_score >= 0 ? json_real(v->cvss_score)
                                               : json_null());
        json_object_set_new(x, "cvss_vector", js(v->cvss_vector));
        json_object_set_new(o, "vulnerability", x);
    } else {
        json_object_set_new(o, "vulnerability", json_null());
    }
    return o;
}

static const char *sarif_level(dd_severity s)
{
    return s >= DD_SEV_HIGH ? "error" : s == DD_SEV_MEDIUM ? "warning" : "note";
}

static double sec_score(const dd_finding *f)
{
    if (f->vuln && f->vuln->cvss_score >= 0) {
        return f->vuln->cvss_score;
    }
    static const double d[] = {0.0, 0.0, 2.0, 5.5, 8.0, 9.5};
    return d[f->severity];
}

static json_t *sarif(const ctx *c, const dd_image_info *in, const char *name)
{
    json_t *doc = json_object(), *runs = json_array(), *run = json_object();
    json_object_set_new(
        doc, "$schema",
        json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(doc, "version", json_string("2.1.0"));
    json_t *tool = json_object(), *drv = json_object(), *rules = json_array();
    json_object_set_new(drv, "name", json_string("drydock"));
    json_object_set_new(drv, "version", json_string(DRYDOCK_VERSION));
    json_object_set_new(
        drv, "informationUri",
        json_string("https://github.com/drydock-scanner/drydock"));
    json_t *results = json_array(), *seen = json_object();
    for (size_t i = 0; i < c->n; i++) {
        const dd_finding *f = c->f[i];
        json_t *idx = json_object_get(seen, f->rule_id);
        if (!idx) {
            json_t *r = json_object(), *sd = json_object(), *pr = json_object();
            json_object_set_new(r, "id", json_string(f->rule_id));
            json_object_set_new(r, "name", json_string(f->rule_id));
            json_object_set_new(sd, "text", json_string(f->title));
            json_object_set_new(r, "shortDescription", sd);
            json_object_set_new(r, "fullDescription",
                                json_pack("{s:s}", "text", f->title));
            if (!strncmp(f->rule_id, "CVE-", 4)) {
                char u[256];
                snprintf(u, sizeof u, "https://www.cve.org/CVERecord?id=%s",
                         f->rule_id);
                json_object_set_new(r, "helpUri", json_string(u));
            }
            json_object_set_new(r, "help",
                                json_pack("{s:s}", "text", f->title));
            char score[16];
            snprintf(score, sizeof score, "%.1f", sec_score(f));
            json_object_set_new(pr, "security-severity", json_string(score));
            json_object_set_new(
                pr, "tags",
                json_pack("[s,s]", "security", dd_kind_name(f->kind)));
            json_object_set_new(r, "properties", pr);
            json_object_set_new(
                r, "defaultConfiguration",
                json_pack("{s:s}", "level", sarif_level(f->severity)));
            idx = json_integer((json_int_t)json_array_size(rules));
            json_object_set_new(seen, f->rule_id, idx);
            json_array_append_new(rules, r);
        }
        char msg[1024];
        if (f->vuln) {
            snprintf(
                msg, sizeof msg,
                "%s %s: %s %s in %s (%s); fixed version: %s. Image: %s",
                f->rule_id, dd_severity_name(f->severity), f->vuln->package,
                f->vuln->installed_version, f->vuln->source_package,
                dd_vuln_status_name(f->vuln->status),
                f->vuln->fixed_version ? f->vuln->fixed_version : "none", name);
        } else {
            snprintf(msg, sizeof msg, "%s: %s. Image: %s", f->rule_id, f->title,
                     name);
        }
        json_t *res = json_object();
        json_object_set_new(res, "ruleId", json_string(f->rule_id));
        json_object_set_new(res, "ruleIndex",
                            json_integer(json_integer_value(idx)));
        json_object_set_new(res, "level",
                            json_string(sarif_level(f->severity)));
        json_object_set_new(res, "message", json_pack("{s:s}", "text", msg));
        char uri[1024];
        snprintf(uri, sizeof uri, "%s", f->path ? f->path : "image");
        json_t *loc = json_pack(
            "[{s:{s:{s:s,s:s},s:{s:i,s:i,s:i,s:i}}}]", "physicalLocation",
            "artifactLocation", "uri", uri, "uriBaseId", "ROOTPATH", "region",
            "startLine", f->line ? (int)f->line : 1, "startColumn", 1,
            "endLine", f->line ? (int)f->line : 1, "endColumn", 1);
        json_object_set_new(res, "locations", loc);
        json_t *props = json_object();
        if (f->vuln) {
            json_object_set_new(props, "package",
                                json_string(f->vuln->package));
            json_object_set_new(props, "installedVersion",
                                json_string(f->vuln->installed_version));
            json_object_set_new(props, "fixedVersion",
                                js(f->vuln->fixed_version));
            json_object_set_new(
                props, "status",
                json_string(dd_vuln_status_name(f->vuln->status)));
        }
        json_object_set_new(props, "layer", json_integer(f->layer));
        if (f->engine) {
            json_object_set_new(props, "engine", json_string(f->engine));
        }
        if (f->sha256) {
            json_object_set_new(props, "sha256", json_string(f->sha256));
        }
        if (f->category) {
            json_object_set_new(props, "category", json_string(f->category));
        }
        json_object_set_new(res, "properties", props);
        json_array_append_new(results, res);
    }
    json_decref(seen);
    json_object_set_new(drv, "rules", rules);
    json_object_set_new(tool, "driver", drv);
    json_object_set_new(run, "tool", tool);
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "originalUriBaseIds",
                        json_pack("{s:{s:s}}", "ROOTPATH", "uri", "file:///"));
    json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
    (void)in;
    json_array_append_new(runs, run);
    json_object_set_new(doc, "runs", runs);
    return doc;
}

static void table(FILE *out,
                  const ctx *c,
                  const dd_image_info *in,
                  const dd_inventory *inv,
                  const dd_vuln_report *rep)
{
    const dd_os_info *os = dd_inventory_os(inv);
    int has_ver = os && os->version && os->version[0];
    fprintf(out, "%s (%s%s%s) - %zu packages checked against %s\n",
            in->name ? in->name : in->path, os ? os->family : "unknown OS",
            has_ver ? " " : "", has_ver ? os->version : "",
            rep->packages_checked, rep->ns ? rep->ns : "no namespace");
    size_t counts[6] = {0};
    const char *last = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const dd_finding *f = c->f[i];
        counts[f->severity]++;
        if (!f->vuln) {
            continue;
        }
        if (!last || strcmp(last, f->vuln->package)) {
            last = f->vuln->package;
            const char *step =
                f->history >= 0 && (size_t)f->history < in->n_history
                    ? in->history[f->history].created_by
                    : NULL;
            fprintf(out, "\n%s %s (source %s, layer %d%s%.60s)\n",
                    f->vuln->package, f->vuln->installed_version,
                    f->vuln->source_package, f->layer, step ? ": " : "",
                    step ? step : "");
            fprintf(out, "  %-18s %-8s %-12s %-24s %s\n", "ID", "SEVERITY",
                    "STATUS", "FIXED", "TITLE");
        }
        fprintf(
            out, "  %-18s %-8s %-12s %-24s %.70s\n", f->rule_id,
            dd_severity_name(f->severity), dd_vuln_status_name(f->vuln->status),
            f->vuln->fixed_version ? f->vuln->fixed_version : "-", f->title);
    }
    int other = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->f[i]->vuln) {
            if (!other++) {
                fprintf(out, "\nOther findings\n");
            }
            const dd_finding *f = c->f[i];
            char where[64] = "";
            if (f->layer >= 0) {
                snprintf(where, sizeof where, "layer %d ", f->layer);
            }
            fprintf(out, "  %-8s %-26s %s%s%s%s: %s",
                    dd_severity_name(f->severity), f->rule_id, where,
                    f->path ? "/" : "", f->path ? f->path : "",
                    f->path ? " " : "", f->title);
            if (f->evidence) {
                fprintf(out, " [%s]", f->evidence);
            }
            if (f->deleted_in >= 0) {
                fprintf(out,
                        " - deleted in layer %d, still shipped in layer %d",
                        f->deleted_in, f->layer);
            }
            fputc('\n', out);
        }
    }
    fprintf(out,
            "\nTotal: %zu (CRITICAL %zu, HIGH %zu, MEDIUM %zu, LOW %zu, "
            "UNKNOWN %zu)\n",
            c->n, counts[DD_SEV_CRITICAL], counts[DD_SEV_HIGH],
            counts[DD_SEV_MEDIUM], counts[DD_SEV_LOW],
            counts[DD_SEV_UNKNOWN] + counts[DD_SEV_INFO]);
}

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

int cmd_scan(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *format = "table", *output = NULL, *dbopt = NULL,
               *ignfile = NULL, *scanners = "vuln,secret,malware,config";
    int exit_code = -1;
    double max_age_days = 7;
    const char *yara[MAX_LISTS], *hashes[MAX_LISTS];
    size_t n_yara = 0, n_hashes = 0;
    char cache[4096];
    const char *checks_path = NULL;
    dd_check_policy *policy = NULL;
    ctx cx;
    memset(&cx, 0, sizeof cx);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--format") && v) {
            format = v, i++;
            if (strcmp(format, "table") && strcmp(format, "json") &&
                strcmp(format, "sarif")) {
                fprintf(stderr, "drydock scan: --format must be table, json "
                                "or sarif\n");
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
            checks_path = v, i++;
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
        } else if (!strcmp(a, "--ignore-unfixed")) {
            cx.ignore_unfixed = 1;
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
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v);
            char *save = NULL;
            for (char *t = strtok_r(buf, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                int s = dd_severity_parse(t);
                if (s < 0) {
                    fprintf(stderr, "drydock scan: unknown severity '%s'\n", t);
                    return EXIT_USAGE;
                }
                cx.sev_mask |= 1u << s;
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
    c.malware.yara_rules = yara;
    c.malware.n_yara_rules = n_yara;
    c.malware.hash_dbs = hashes;
    c.malware.n_hash_dbs = n_hashes;
    c.malware.cache_dir = cli_cache_dir(cache, sizeof cache);
    if (checks_path) {
        dd_error perr;
        if (dd_check_policy_load(&policy, checks_path, &perr)) {
            fprintf(stderr, "drydock: %s\n", perr.message);
            return EXIT_USAGE;
        }
        c.checks = policy;
    }
    int want_vuln = 0, want_secret = 0, want_malware = 0, want_config = 0;
    char sc[256];
    snprintf(sc, sizeof sc, "%s", scanners);
    char *save = NULL;
    for (char *t = strtok_r(sc, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "vuln")) {
            want_vuln = 1;
        } else if (!strcmp(t, "secret")) {
            want_secret = 1;
        } else if (!strcmp(t, "malware")) {
            want_malware = 1;
        } else if (!strcmp(t, "config")) {
            want_config = 1;
        } else {
            fprintf(stderr, "drydock scan: unknown scanner '%s'\n", t);
            return EXIT_USAGE;
        }
    }
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd_findings *vf = NULL;
    dd_vuln_report rep;
    memset(&rep, 0, sizeof rep);
    dd_vulndb *db = NULL;
    dd_error err;
    int rc = 0;
    const char *dbpath = NULL;
    char dbbuf[4096];
    cx.ignored = json_array();
    if (ignfile && load_ignores(&cx, ignfile)) {
        rc = EXIT_USAGE;
        goto done;
    }
    dbpath = cli_db_path(dbopt, dbbuf, sizeof dbbuf);
    if (want_vuln && (!dbpath || dd_vulndb_open(&db, dbpath, &err))) {
        int explicit_vuln = strcmp(scanners, "vuln,secret,malware,config");
        if (explicit_vuln || !dbpath || err.code != DD_ENOTFOUND) {
            fprintf(stderr, "drydock: %s\n",
                    dbpath ? err.message : "no database path");
            rc = EXIT_UNREADABLE;
            goto done;
        }
        /* the default scanner set: without a database the other
         * scanners still run */
        fprintf(stderr, "warning: %s; vulnerabilities were not checked\n",
                err.message);
        want_vuln = 0;
    }
    if ((rc = cli_open_scan(&c, 0,
                            (want_vuln ? DD_ANALYZE_PACKAGES : 0) |
                                (want_secret ? DD_ANALYZE_SECRETS : 0) |
                                (want_malware ? DD_ANALYZE_MALWARE : 0) |
                                (want_config ? DD_ANALYZE_CONFIG : 0),
                            &img, &scan))) {
        goto done;
    }
    if (want_vuln) {
        dd_vuln_opts vo = {(int64_t)(max_age_days * 86400)};
        if (dd_vuln_match(db, scan, img, &vo, &vf, &rep, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            rc = EXIT_UNREADABLE;
            goto done;
        }
    }
    const dd_image_info *in = dd_image_info_get(img);
    const dd_findings *lists[3] = {dd_image_findings(img),
                                   dd_scan_findings(scan), vf};
    for (int l = 0; l < 3; l++) {
        for (size_t i = 0; lists[l] && i < dd_findings_count(lists[l]); i++) {
            consider(&cx, dd_findings_get(lists[l], i));
        }
    }
    if (cx.n) {
        qsort(cx.f, cx.n, sizeof *cx.f, by_pkg);
    }
    const dd_inventory *inv = dd_scan_inventory(scan);
    if (rep.warnings && !c.quiet) {
        for (char *p = rep.warnings; *p;) {
            size_t k = strcspn(p, "\n");
            fprintf(stderr, "warning: %.*s\n", (int)k, p);
            p += k + (p[k] == '\n');
        }
    }
    for (size_t i = 0; i < dd_inventory_warning_count(inv); i++) {
        fprintf(stderr, "warning: %s\n", dd_inventory_warning(inv, i));
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        perror(output);
        rc = EXIT_USAGE;
        goto done;
    }
    const char *name = in->name ? in->name : in->path;
    if (!strcmp(format, "table")) {
        table(out, &cx, in, inv, &rep);
    } else {
        json_t *doc;
        if (!strcmp(format, "sarif")) {
            doc = sarif(&cx, in, name);
        } else {
            doc = json_object();
            json_object_set_new(doc, "schema", json_string("drydock-scan/1"));
            json_object_set_new(doc, "drydock_version",
                                json_string(DRYDOCK_VERSION));
            const dd_os_info *os = dd_inventory_os(inv);
            json_object_set_new(
                doc, "image",
                json_pack("{s:s,s:o,s:o,s:o,s:o}", "name", name,
                          "manifest_digest", js(in->manifest_digest),
                          "os_family", js(os ? os->family : NULL), "os_version",
                          js(os ? os->version : NULL), "os_eol",
                          os && os->eol >= 0 ? json_boolean(os->eol)
                                             : json_null()));
            json_object_set_new(
                doc, "database",
                json_pack("{s:o,s:I,s:o}", "path", js(dbpath), "age_seconds",
                          (json_int_t)(db ? dd_vulndb_age(db) : -1),
                          "namespace", js(rep.ns)));
            json_object_set_new(doc, "malware_engines",
                                want_malware
                                    ? json_string(dd_scan_malware_engines(scan))
                                    : json_null());
            json_object_set_new(doc, "packages_checked",
                                json_integer((json_int_t)rep.packages_checked));
            json_object_set_new(
                doc, "complete",
                json_boolean(dd_walk_complete(dd_scan_walk(scan)) &&
                             dd_inventory_complete(inv)));
            json_t *warns = json_array();
            for (char *p = rep.warnings; p && *p;) {
                size_t k = strcspn(p, "\n");
                json_array_append_new(warns, json_stringn(p, k));
                p += k + (p[k] == '\n');
            }
            for (size_t i = 0; i < dd_inventory_warning_count(inv); i++) {
                json_array_append_new(
                    warns, json_string(dd_inventory_warning(inv, i)));
            }
            json_object_set_new(doc, "warnings", warns);
            json_t *arr = json_array();
            size_t counts[6] = {0};
            for (size_t i = 0; i < cx.n; i++) {
                json_array_append_new(arr, finding_json(cx.f[i], in));
                counts[cx.f[i]->severity]++;
            }
            json_object_set_new(doc, "findings", arr);
            json_object_set_new(doc, "ignored", json_incref(cx.ignored));
            json_object_set_new(
                doc, "summary",
                json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "total",
                          (json_int_t)cx.n, "critical",
                          (json_int_t)counts[DD_SEV_CRITICAL], "high",
                          (json_int_t)counts[DD_SEV_HIGH], "medium",
                          (json_int_t)counts[DD_SEV_MEDIUM], "low",
                          (json_int_t)counts[DD_SEV_LOW], "unknown",
                          (json_int_t)(counts[DD_SEV_UNKNOWN] +
                                       counts[DD_SEV_INFO])));
        }
        json_dumpf(doc, out, JSON_INDENT(2));
        fputc('\n', out);
        json_decref(doc);
    }
    if (out != stdout && fclose(out) != 0) {
        perror(output);
    }
    if (!dd_walk_complete(dd_scan_walk(scan)) || !dd_inventory_complete(inv)) {
        rc = EXIT_PARTIAL;
    } else if (exit_code >= 0) {
        rc = cx.n ? exit_code : 0;
    } else {
        dd_severity m = DD_SEV_UNKNOWN;
        for (size_t i = 0; i < cx.n; i++) {
            m = cx.f[i]->severity > m ? cx.f[i]->severity : m;
        }
        rc = c.fail_on != DD_SEV_UNKNOWN && cx.n && (int)m >= c.fail_on
                 ? EXIT_FINDINGS
                 : EXIT_CLEAN;
    }
done:
    dd_check_policy_free(policy);
    free(cx.f);
    free(cx.ig);
    json_decref(cx.ignored);
    dd_findings_free(vf);
    dd_vuln_report_free(&rep);
    dd_scan_free(scan);
    dd_image_free(img);
    dd_vulndb_close(db);
    return rc;
}
