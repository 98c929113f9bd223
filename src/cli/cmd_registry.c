/*
 * cli/cmd_registry.c - `drydock registry ls HOST[/REPO]` and
 * `drydock registry scan HOST[/REPO] [--tags GLOB]`: a whole private
 * registry swept, each distinct manifest digest scanned once.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
    K_TAGS = 1,
    K_DB,
    K_PAGE,
    K_A_CA,
    K_A_FAIL,
    K_NOVULN,
    K_PARALLEL,
    K_REPOS,
    K_MAXIMG,
    K_SINCE,
    K_A_EXIT,
    K_A_SEV,
    K_A_PUSH,
    K_A_CREDS,
    K_A_DAEMON,
    K_A_DEBUG
};
static const cli_opt registry_opts[] = {
    {"tags", 0, "GLOB", K_TAGS, 0, NULL,
     "scan: only tags matching GLOB, e.g. 'v1.*'"},
    {"repos", 0, "GLOB", K_REPOS, 0, NULL,
     "scan: only repositories matching GLOB ('team/*', 'team/**')"},
    {"max-images", 0, "N", K_MAXIMG, 0, NULL,
     "scan: at most N distinct images (the rest are counted, not scanned)"},
    {"since", 0, "DATE", K_SINCE, 0, NULL,
     "scan: skip images whose config was created before DATE "
     "(2024-05-01 or 2024-05-01T10:00:00Z)"},
    {"parallel", 0, "N", K_PARALLEL, 0, NULL,
     "scan: images scanned at once on one engine (default: the cores); "
     "results are the same and in the same order as with 1"},
    {"db", 0, "PATH", K_DB, 0, NULL,
     "scan: vulnerability database (default: the default one when present)"},
    {"page-size", 0, "N", K_PAGE, 0, NULL,
     "entries per catalog/tag page (default 1000)"},
    {"skip-vuln", 0, NULL, K_NOVULN, 0, NULL,
     "scan: no vulnerability scanner (no database needed)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_registry = {
    "registry",
    "ls|scan HOST[/REPO] [options]\n"
    "       drydock registry audit HOST[:PORT] [options]",
    "ls lists the repositories of HOST (the catalog) or the tags of REPO.\n"
    "scan scans every tag (matching GLOB) of every repository or of REPO,\n"
    "each distinct image digest once, with the secret, malware and\n"
    "configuration scanners and, when a database is present, the\n"
    "vulnerability scanner; it prints one line per image and exits 1 when\n"
    "a finding is at or above --fail-on (default high), 3 when an image\n"
    "could not be scanned or when there was no vulnerability database\n"
    "(the sweep still runs the other scanners; --skip-vuln for none).\n"
    "audit checks how HOST exposes its registry (plain HTTP, TLS, anonymous\n"
    "access, token realm, delete, debug endpoints, Harbor, a daemon API on\n"
    "the host; docs/registry-audit.md) with a few anonymous, read-only\n"
    "requests; exit 1 at --fail-on, 3 when no registry answers ('drydock\n"
    "registry audit --help').\n",
    registry_opts,
    CLI_G_ALL,
    "table,json",
    0};

static const cli_opt audit_opts[] = {
    {"ca-file", 0, "PATH", K_A_CA, 0, NULL,
     "extra CA bundle (besides the system store)"},
    {"fail-on", 0, "SEVERITY", K_A_FAIL, 0, NULL,
     "exit 1 (or --exit-code) at or above SEVERITY (default high; never)"},
    {"exit-code", 0, "N", K_A_EXIT, 0, NULL,
     "exit N when a finding is reported (INFO aside; with --fail-on: at or "
     "above it), as scan does"},
    {"severity", 's', "LIST", K_A_SEV, 0, NULL,
     "report only these severities, e.g. HIGH,CRITICAL"},
    {"probe-push", 0, NULL, K_A_PUSH, CLI_NOENV, NULL,
     "also try an anonymous push: start an upload in a random repository "
     "and cancel it at once"},
    {"probe-default-creds", 0, NULL, K_A_CREDS, CLI_NOENV, NULL,
     "on Harbor, try the documented default admin password once"},
    {"daemon-ports", 0, "LIST", K_A_DAEMON, 0, NULL,
     "ports probed for a container daemon API (default 2375,2376; '' "
     "none)"},
    {"debug-ports", 0, "LIST", K_A_DEBUG, 0, NULL,
     "ports probed for Go's debug server (default 5001; '' none)"},
    {"format", 'f', "FORMAT", CLI_K_FORMAT, 0, NULL, NULL},
    {"output", 'o', "FILE", CLI_K_OUTPUT, 0, NULL,
     "write the report to FILE instead of stdout"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_audit = {
    "registry audit",
    "HOST[:PORT] [options]",
    "How HOST exposes its registry: plain HTTP; TLS (protocols below 1.2,\n"
    "weak ciphers, certificate expired or expiring, self-signed, untrusted,\n"
    "another host name); anonymous access, catalog and pull; token realm;\n"
    "version headers; delete enabled; debug and metrics endpoints; Harbor;\n"
    "a container daemon API on the same host; with --probe-push anonymous\n"
    "push (docs/registry-audit.md). Read-only and anonymous unless a probe\n"
    "is asked for. Exit 1 at --fail-on (or --exit-code N), 3 when no\n"
    "registry answers.\n",
    audit_opts,
    0,
    "table,json,sarif",
    0};

typedef struct reg_args {
    cli_common *c;
    const char *glob, *db, *ca;
    int fail_on, no_vuln;
    const char *repos;
    unsigned parallel;
    size_t max_images;
    int64_t since;
    /* audit */
    int fail_on_set, exit_code, probe_push, probe_creds;
    unsigned severities;
    const char *daemon_ports, *debug_ports;
} reg_args;

static int reg_opt(void *ctx, int key, const char *label, const char *v)
{
    reg_args *a = ctx;
    switch (key) {
    case K_TAGS:
        a->glob = v;
        break;
    case K_DB:
        a->db = v;
        break;
    case K_NOVULN:
        a->no_vuln = 1;
        break;
    case K_REPOS:
        a->repos = v;
        break;
    case K_SINCE:
        if (dd_sweep_parse_time(v, &a->since)) {
            fprintf(stderr,
                    "drydock registry: %s takes a date (2024-05-01 or "
                    "2024-05-01T10:00:00Z), not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        break;
    case K_PARALLEL:
    case K_MAXIMG: {
        char *end = NULL;
        unsigned long n = strtoul(v, &end, 10);
        unsigned long max = key == K_PARALLEL ? 256 : 10000000;
        if (end == v || *end || !n || n > max) {
            fprintf(stderr, "drydock registry: %s takes 1..%lu, not '%s'\n",
                    label, max, cli_esc(v));
            return EXIT_USAGE;
        }
        if (key == K_PARALLEL) {
            a->parallel = (unsigned)n;
        } else {
            a->max_images = (size_t)n;
        }
        break;
    }
    case K_PAGE: {
        char *end = NULL;
        unsigned long n = strtoul(v, &end, 10);
        if (end == v || *end || !n || n > 100000) {
            fprintf(stderr, "drydock registry: %s takes 1..100000, not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->c->registry.page_size = (unsigned)n;
        break;
    }
    case K_A_CA:
        a->ca = v;
        break;
    case K_A_FAIL:
        a->fail_on = !strcmp(v, "never") || !strcmp(v, "none")
                         ? DD_SEV_UNKNOWN
                         : dd_severity_parse(v);
        if (a->fail_on < 0) {
            fprintf(stderr, "drydock registry audit: bad %s '%s'\n", label,
                    cli_esc(v));
            return EXIT_USAGE;
        }
        a->fail_on_set = 1;
        break;
    case K_A_EXIT: {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (end == v || *end || n < 0 || n > 255) {
            fprintf(stderr,
                    "drydock registry audit: %s takes 0..255, not "
                    "'%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->exit_code = (int)n;
        break;
    }
    case K_A_SEV:
        if (cli_parse_severity_list("registry audit", label, v,
                                    &a->severities)) {
            return EXIT_USAGE;
        }
        break;
    case K_A_PUSH:
        a->probe_push = 1;
        break;
    case K_A_CREDS:
        a->probe_creds = 1;
        break;
    case K_A_DAEMON:
        a->daemon_ports = v;
        break;
    case K_A_DEBUG:
        a->debug_ports = v;
        break;
    default:
        break;
    }
    return 0;
}

/* one repository's line of the summary */
typedef struct repo_sum {
    char repo[256];
    size_t images, signed_tags, lookalike, unreadable, skipped;
    size_t counts[6];
} repo_sum;

typedef struct sweep_out {
    const cli_common *c;
    int json;
    int worst; /* exit status so far */
    repo_sum *sums;
    size_t n_sums, cap_sums;
} sweep_out;

static repo_sum *sum_for(sweep_out *o, const char *repo)
{
    if (o->n_sums && !strcmp(o->sums[o->n_sums - 1].repo, repo)) {
        return &o->sums[o->n_sums - 1];
    }
    if (o->n_sums == o->cap_sums) {
        size_t nc = o->cap_sums ? 2 * o->cap_sums : 16;
        repo_sum *ns = realloc(o->sums, nc * sizeof *ns);
        if (!ns) {
            return NULL;
        }
        o->sums = ns;
        o->cap_sums = nc;
    }
    repo_sum *r = &o->sums[o->n_sums++];
    memset(r, 0, sizeof *r);
    snprintf(r->repo, sizeof r->repo, "%s", repo);
    return r;
}

static const char *const sev_key[] = {"unknown", "info", "low",
                                      "medium",  "high", "critical"};

/* one image, in sweep order: its line, and its share of the summary */
static int on_image(const dd_sweep_image *im, void *payload)
{
    sweep_out *o = payload;
    const cli_common *c = o->c;
    size_t counts[6] = {0};
    int status = 0, lookalike = 0;
    if (im->scan) {
        const dd_scan_summary *sum = dd_scan_summary_get(im->scan);
        memcpy(counts, sum->by_severity, sizeof counts);
        status = sum->complete ? 0 : EXIT_PARTIAL;
        const dd_findings *f = dd_scan_findings(im->scan);
        for (size_t i = 0; i < dd_findings_count(f); i++) {
            const char *id = dd_findings_get(f, i)->rule_id;
            lookalike |= id && !strcmp(id, "trust.lookalike-name");
        }
    } else if (!im->skipped) {
        status = EXIT_UNREADABLE;
    }
    for (int s = c->fail_on; s <= DD_SEV_CRITICAL && c->fail_on; s++) {
        if (counts[s] && o->worst < EXIT_FINDINGS) {
            o->worst = EXIT_FINDINGS;
        }
    }
    if (status > o->worst) {
        o->worst = status;
    }
    repo_sum *r = sum_for(o, im->repo);
    if (!r) {
        return 1;
    }
    r->images++;
    r->signed_tags += im->signature_tag != 0;
    r->lookalike += lookalike;
    r->unreadable += status == EXIT_UNREADABLE;
    r->skipped += im->skipped != 0;
    for (int s = 0; s < 6; s++) {
        r->counts[s] += counts[s];
    }
    char also[512] = "";
    for (size_t i = 0, l = 0; i < im->n_also && l + 2 < sizeof also; i++) {
        l += (size_t)snprintf(also + l, sizeof also - l, "%s%s", i ? "," : "",
                              im->also[i]);
        l = l < sizeof also ? l : sizeof also - 1;
    }
    char skipped[160];
    snprintf(skipped, sizeof skipped, "skipped: created %s, before --since",
             im->created ? im->created : "?");
    const char *st = im->skipped                 ? skipped
                     : status == EXIT_UNREADABLE ? im->error
                     : status == EXIT_PARTIAL    ? "read in part"
                                                 : "scanned";
    if (o->json) {
        json_t *cj = json_object();
        for (int s = DD_SEV_INFO; s <= DD_SEV_CRITICAL; s++) {
            json_object_set_new(cj, sev_key[s],
                                json_integer((json_int_t)counts[s]));
        }
        json_t *line = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:b,s:s}", "type", "image", "image",
            im->ref, "repository", im->repo, "digest", im->digest,
            "also_tagged", also, "counts", cj, "signature_tag",
            im->signature_tag != 0, "lookalike", lookalike, "status", st);
        if (line) {
            if (im->created) {
                json_object_set_new(line, "created",
                                    cli_json_text(im->created));
            }
            json_dumpf(line, stdout, JSON_COMPACT);
            fputc('\n', stdout);
            fflush(stdout); /* a line per image, as it is scanned */
        }
        json_decref(line);
    } else {
        printf("%-48.48s %-19.19s %4zu %4zu %4zu %4zu  %s%s%s\n",
               cli_esc(im->ref), cli_esc(im->digest), counts[DD_SEV_CRITICAL],
               counts[DD_SEV_HIGH], counts[DD_SEV_MEDIUM], counts[DD_SEV_LOW],
               cli_esc(st), also[0] ? "; also tagged " : "", cli_esc(also));
        fflush(stdout);
    }
    return 0;
}

/* the worst severity with a finding: "CRITICAL" (lower: "critical") */
static const char *worst_of(const size_t *counts, int lower)
{
    for (int s = DD_SEV_CRITICAL; s >= DD_SEV_INFO; s--) {
        if (counts[s]) {
            return lower ? sev_key[s] : dd_severity_name((dd_severity)s);
        }
    }
    return "none";
}

static void print_summary(const sweep_out *o, const dd_sweep_stats *st)
{
    if (o->json) {
        for (size_t i = 0; i < o->n_sums; i++) {
            const repo_sum *r = &o->sums[i];
            json_t *cj = json_object();
            for (int s = DD_SEV_INFO; s <= DD_SEV_CRITICAL; s++) {
                json_object_set_new(cj, sev_key[s],
                                    json_integer((json_int_t)r->counts[s]));
            }
            json_t *line = json_pack(
                "{s:s,s:s,s:I,s:s,s:o,s:I,s:I,s:I,s:I}", "type", "repository",
                "repository", r->repo, "images", (json_int_t)r->images, "worst",
                worst_of(r->counts, 1), "counts", cj, "signature_tags",
                (json_int_t)r->signed_tags, "lookalike",
                (json_int_t)r->lookalike, "unreadable",
                (json_int_t)r->unreadable, "skipped", (json_int_t)r->skipped);
            if (line) {
                json_dumpf(line, stdout, JSON_COMPACT);
                fputc('\n', stdout);
            }
            json_decref(line);
        }
        return;
    }
    printf("\nRepositories (%zu; %zu images, %zu tags", o->n_sums, st->images,
           st->tags);
    if (st->capped) {
        printf("; %zu tags not examined: --max-images", st->capped);
    }
    printf(")\n  %-40s %6s %-8s %4s %4s %4s %4s  %-9s %s\n", "REPOSITORY",
           "IMAGES", "WORST", "CRIT", "HIGH", "MED", "LOW", "SIGNED", "NOTES");
    for (size_t i = 0; i < o->n_sums; i++) {
        const repo_sum *r = &o->sums[i];
        char sig[32], notes[160] = "";
        snprintf(sig, sizeof sig, "%zu/%zu", r->signed_tags, r->images);
        size_t l = 0;
        if (r->lookalike) {
            l += (size_t)snprintf(notes + l, sizeof notes - l,
                                  "LOOKALIKE NAME; ");
        }
        if (r->unreadable) {
            l += (size_t)snprintf(notes + l, sizeof notes - l,
                                  "%zu unreadable; ", r->unreadable);
        }
        if (r->skipped && l < sizeof notes) {
            l += (size_t)snprintf(notes + l, sizeof notes - l,
                                  "%zu skipped (--since); ", r->skipped);
        }
        if (l >= 2 && l < sizeof notes) {
            notes[l - 2] = '\0';
        }
        printf("  %-40.40s %6zu %-8s %4zu %4zu %4zu %4zu  %-9s %s\n",
               cli_esc(r->repo), r->images, worst_of(r->counts, 0),
               r->counts[DD_SEV_CRITICAL], r->counts[DD_SEV_HIGH],
               r->counts[DD_SEV_MEDIUM], r->counts[DD_SEV_LOW], sig, notes);
    }
}

/* SARIF 2.1.0 of an audit: one rule per rule id, one result per finding;
 * the location is the registry's /v2/ URL. */
static char *audit_sarif(const dd_findings *fl, const char *host)
{
    static const double score[] = {0.0, 0.0, 2.0, 5.5, 8.0, 9.5};
    json_t *doc = json_object(), *run = json_object(), *drv = json_object();
    json_t *rules = json_array(), *results = json_array(),
           *seen = json_object();
    json_object_set_new(
        doc, "$schema",
        json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(doc, "version", json_string("2.1.0"));
    json_object_set_new(drv, "name", json_string("drydock"));
    json_object_set_new(drv, "version", json_string(DRYDOCK_VERSION));
    json_object_set_new(
        drv, "informationUri",
        json_string("https://github.com/drydock-scanner/drydock"));
    /* the location: the registry's API as a URI; https when the TLS
     * checks ran (HTTPS answered), http when only plain HTTP did */
    int tls = 0, plain = 0;
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        const char *id = dd_findings_get(fl, i)->rule_id;
        tls |= !strncmp(id, "registry.tls", 12);
        plain |= !strcmp(id, "registry.plaintext-http");
    }
    char uri[600];
    snprintf(uri, sizeof uri, "%s://%s/v2/", plain && !tls ? "http" : "https",
             host);
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        const char *level = f->severity >= DD_SEV_HIGH     ? "error"
                            : f->severity == DD_SEV_MEDIUM ? "warning"
                                                           : "note";
        const char *title = f->title ? f->title : "";
        const char *fx = strstr(title, "; fix: ");
        char what[1024];
        snprintf(what, sizeof what, "%.*s",
                 (int)(fx ? (size_t)(fx - title) : strlen(title)), title);
        json_t *idx = json_object_get(seen, f->rule_id);
        if (!idx) {
            idx = json_integer((json_int_t)json_array_size(rules));
            json_object_set_new(seen, f->rule_id, idx);
            char sc[16];
            snprintf(sc, sizeof sc, "%.1f", score[f->severity]);
            json_array_append_new(
                rules,
                json_pack("{s:o,s:o,s:{s:o},s:{s:o},s:{s:o},s:{s:s,s:[s,s]},"
                          "s:{s:s}}",
                          "id", cli_json_text(f->rule_id), "name",
                          cli_json_text(f->rule_id), "shortDescription", "text",
                          cli_json_text(what), "fullDescription", "text",
                          cli_json_text(title), "help", "text",
                          cli_json_text(fx ? fx + 7 : what), "properties",
                          "security-severity", sc, "tags", "security",
                          "registry", "defaultConfiguration", "level", level));
        }
        char msg[2048];
        snprintf(msg, sizeof msg, "%s: %s%s%s%s. Registry: %s", f->rule_id,
                 title, f->evidence ? " [" : "", f->evidence ? f->evidence : "",
                 f->evidence ? "]" : "", host);
        json_t *res =
            json_pack("{s:o,s:O,s:s,s:{s:o},s:[{s:{s:{s:o}},s:[{s:o,s:s}]}]}",
                      "ruleId", cli_json_text(f->rule_id), "ruleIndex", idx,
                      "level", level, "message", "text", cli_json_text(msg),
                      "locations", "physicalLocation", "artifactLocation",
                      "uri", cli_json_text(uri), "logicalLocations", "name",
                      cli_json_text(host), "kind", "resource");
        if (res && f->evidence) {
            json_object_set_new(
                res, "properties",
                json_pack("{s:o,s:s}", "evidence", cli_json_text(f->evidence),
                          "severity", dd_severity_name(f->severity)));
        }
        json_array_append_new(results, res);
    }
    json_decref(seen);
    json_object_set_new(drv, "rules", rules);
    json_object_set_new(run, "tool", json_pack("{s:o}", "driver", drv));
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
    json_object_set_new(doc, "runs", json_pack("[o]", run));
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    return text;
}

/* `registry audit HOST[:PORT]`: options handled here alone */
static int cmd_audit(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    reg_args ra;
    memset(&ra, 0, sizeof ra);
    ra.c = &c;
    ra.fail_on = DD_SEV_HIGH;
    ra.exit_code = -1;
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_audit, &c, argc - 1, argv + 1, reg_opt, &ra,
                       pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_audit, pos, np, 1, 1, "HOST[:PORT]"))) {
        return rc;
    }
    const char *host = pos[0], *format = c.format;
    dd_registry_audit_opts o = DD_REGISTRY_AUDIT_OPTS_INIT;
    o.ca_file = ra.ca;
    o.probe_push = ra.probe_push;
    o.probe_default_creds = ra.probe_creds;
    o.daemon_ports = ra.daemon_ports;
    o.debug_ports = ra.debug_ports;
    o.severities = ra.severities;
    int fail_on = ra.fail_on;
    dd_findings *fl = NULL;
    dd_error err;
    if (dd_registry_audit(&fl, host, &o, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return err.code == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
    }
    char *text = NULL;
    int jansson = !strcmp(format, "sarif");
    if (jansson) {
        text = audit_sarif(fl, host);
        if (!text) {
            fprintf(stderr, "drydock: out of memory\n");
            dd_findings_free(fl);
            return EXIT_UNREADABLE;
        }
    } else if (dd_findings_render(&text, NULL, fl, NULL, format, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        dd_findings_free(fl);
        return EXIT_UNREADABLE;
    }
    FILE *out = c.output ? fopen(c.output, "w") : stdout;
    if (!out) {
        perror(c.output);
        jansson ? free(text) : dd_string_free(text);
        dd_findings_free(fl);
        return EXIT_USAGE;
    }
    if (!strcmp(format, "table")) {
        fprintf(out, "registry audit of %s: %zu findings\n", cli_esc(host),
                dd_findings_count(fl));
    }
    fputs(text, out);
    if (jansson) {
        fputc('\n', out);
    }
    if (out != stdout && fclose(out) != 0) {
        perror(c.output);
    }
    jansson ? free(text) : dd_string_free(text);
    /* as scan: INFO never fails; --exit-code N replaces 1 */
    size_t reported = 0, at_or_above = 0;
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        dd_severity s = dd_findings_get(fl, i)->severity;
        if (s == DD_SEV_INFO) {
            continue;
        }
        reported++;
        at_or_above += fail_on != DD_SEV_UNKNOWN && (int)s >= fail_on;
    }
    dd_findings_free(fl);
    if (ra.exit_code >= 0) {
        size_t hits = ra.fail_on_set ? at_or_above : reported;
        return hits ? ra.exit_code : EXIT_CLEAN;
    }
    return at_or_above ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_registry(int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    if (!strcmp(verb, "audit")) {
        return cmd_audit(argc, argv);
    }
    cli_common c;
    cli_common_init(&c);
    reg_args ra;
    memset(&ra, 0, sizeof ra);
    ra.c = &c;
    ra.glob = NULL;
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc =
        cli_parse(&cli_cmd_registry, &c, argc, argv, reg_opt, &ra, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if (!np || (strcmp(pos[0], "ls") && strcmp(pos[0], "scan"))) {
        fprintf(stderr,
                np ? "drydock registry: unknown command '%s' (ls, scan, "
                     "audit); see 'drydock registry --help'\n"
                   : "drydock registry: ls, scan or audit missing%s; see "
                     "'drydock registry --help'\n",
                np ? cli_esc(pos[0]) : "");
        return EXIT_USAGE;
    }
    verb = pos[0];
    int arc = cli_args(&cli_cmd_registry, pos, np, 2, 2, "HOST[/REPO]");
    if (arc) {
        return arc;
    }
    const char *target = pos[1], *glob = ra.glob, *dbopt = ra.db;
    char host[512];
    snprintf(host, sizeof host, "%.*s", (int)strcspn(target, "/"), target);
    const char *repo = strchr(target, '/') ? strchr(target, '/') + 1 : NULL;
    dd_error err;
    dd_registry *r = NULL;
    if (dd_registry_open(&r, host, &c.registry, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    char **repos = NULL;
    size_t n_repos = 0;
    int rc = 0;
    char *one = (char *)repo;
    int scan = !strcmp(verb, "scan"); /* the sweep lists for itself */
    if (!repo && !scan && dd_registry_repos(r, &repos, &n_repos, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        dd_registry_close(r);
        return EXIT_UNREADABLE;
    }
    char **list = repo ? &one : repos; /* repos is the library's array */
    size_t n_list = repo ? 1 : n_repos;
    int json = !strcmp(c.format, "json");
    if (!strcmp(verb, "ls")) {
        json_t *doc = json_object();
        for (size_t i = 0; i < n_list; i++) {
            if (!repo) {
                if (json) {
                    json_object_set_new(doc, list[i], json_null());
                } else {
                    printf("%s/%s\n", cli_esc(host), cli_esc(list[i]));
                }
                continue;
            }
            char **tags = NULL;
            size_t nt = 0;
            if (dd_registry_tags(r, list[i], &tags, &nt, &err)) {
                fprintf(stderr, "drydock: %s\n", err.message);
                rc = EXIT_UNREADABLE;
                break;
            }
            json_t *a = json_array();
            for (size_t k = 0; k < nt; k++) {
                if (json) {
                    json_array_append_new(a, cli_json_text(tags[k]));
                } else {
                    printf("%s/%s:%s\n", cli_esc(host), cli_esc(list[i]),
                           cli_esc(tags[k]));
                }
            }
            json_object_set_new(doc, list[i], a);
            dd_registry_strings_free(tags, nt);
        }
        if (json && !rc) {
            json_dumpf(doc, stdout, JSON_INDENT(2));
            fputc('\n', stdout);
        }
        json_decref(doc);
    } else {
        /* one engine for the whole sweep: rules compiled once */
        dd_engine *eng = NULL;
        char dbbuf[4096];
        const char *dbpath =
            cli_db_path(dbopt, c.cache_dir, dbbuf, sizeof dbbuf);
        int no_db = 0;
        if (ra.no_vuln) {
            dbpath = NULL;
        } else if (dbpath && !dbopt && access(dbpath, F_OK) != 0) {
            /* no default database: the others still run, the sweep says
             * so and exits 3 - never a silent pass */
            fprintf(stderr,
                    "warning: no vulnerability database at %s: "
                    "vulnerabilities were NOT checked in this sweep (run "
                    "`drydock db update`, give --db PATH, or --skip-vuln)\n",
                    cli_esc(dbpath));
            dbpath = NULL;
            no_db = 1;
        }
        rc = cli_make_engine(&c, dbpath, 0, &eng);
        dd_sweep_opts so = DD_SWEEP_OPTS_INIT;
        so.target = target;
        so.repos = ra.repos;
        so.tags = glob;
        so.max_images = ra.max_images;
        so.since = ra.since;
        so.parallel = ra.parallel;
        so.scan.walk.limits = c.limits;
        so.scan.walk.threads = c.threads;
        so.image.platform = c.platform;
        so.image.registry = &c.registry;
        sweep_out out = {&c, json, 0, NULL, 0, 0};
        if (!json && !rc) {
            printf("%-48s %-19s %4s %4s %4s %4s  %s\n", "IMAGE", "DIGEST",
                   "CRIT", "HIGH", "MED", "LOW", "STATUS");
        }
        dd_sweep_stats st;
        if (!rc && dd_sweep_run(eng, &so, on_image, &out, &st, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            rc = EXIT_UNREADABLE;
        }
        if (!rc) {
            print_summary(&out, &st);
            rc = out.worst;
        }
        free(out.sums);
        dd_engine_free(eng);
        if (no_db && rc < EXIT_UNREADABLE) {
            rc = EXIT_UNREADABLE; /* above findings, below a partial read */
        }
    }
    dd_registry_strings_free(repos, n_repos);
    dd_registry_close(r);
    return rc;
}
