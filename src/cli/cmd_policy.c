/*
 * cli/cmd_policy.c - `drydock policy check IMAGE [--policy FILE]`: the
 * scan the policy needs, its signature checks, and the verdict with
 * every reason (exit 0 allow or warn, 1 deny, 3 unreadable);
 * `drydock policy show-default`: the built-in policy. Also the pieces
 * `drydock scan --policy FILE` uses (cli.h: cli_policy_*). The judging
 * is the library's (drydock/policy.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

enum { K_POLICY = 1, K_DB, K_ROOT, K_NOW, K_REF };

static const cli_opt policy_opts[] = {
    {"policy", 0, "FILE", K_POLICY, 0, NULL,
     "check: the policy, YAML or JSON (docs/policy.md); default: the "
     "built-in policy (drydock policy show-default)"},
    {"db", 0, "PATH", K_DB, 0, NULL,
     "check: vulnerability database (default: the cache's); without one "
     "the vuln scanner does not run and thresholds on vulnerabilities "
     "say so (policy.not-scanned)"},
    {"trusted-root", 0, "FILE", K_ROOT, 0, NULL,
     "check: trusted root for keyless authorities (default: the built-in "
     "Sigstore public-good root)"},
    {"image-ref", 0, "REF", K_REF, 0, NULL,
     "check: judge a local archive or layout as the registry reference REF "
     "(rules' image globs, registries, pinning)"},
    {"now", 0, "DATE", K_NOW, 0, NULL,
     "check: judge at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) instead of "
     "now: exception expiry, attestation age"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_policy = {
    "policy",
    "check IMAGE [--policy FILE] [options]\n"
    "       drydock policy show-default",
    "check judges IMAGE by an admission policy (docs/policy.md): it runs\n"
    "the scanners the policy's thresholds need, checks the signatures its\n"
    "authorities name, and prints the verdict with every reason. Exit 0\n"
    "when the image is allowed (also with warnings, or in warn mode), 1\n"
    "when it is denied, 2 on a usage error or a bad policy, 3 when the\n"
    "image cannot be read. show-default prints the built-in policy, used\n"
    "when no --policy is given.\n",
    policy_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json",
    0};

typedef struct pol_args {
    const char *policy, *db, *root, *now, *ref;
} pol_args;

static int pol_opt(void *ctx, int key, const char *label, const char *v)
{
    (void)label;
    pol_args *a = ctx;
    switch (key) {
    case K_POLICY:
        a->policy = v;
        break;
    case K_DB:
        a->db = v;
        break;
    case K_ROOT:
        a->root = v;
        break;
    case K_NOW:
        a->now = v;
        break;
    case K_REF:
        a->ref = v;
        break;
    default:
        break;
    }
    return 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" -> Unix seconds; -1 bad */
static int64_t parse_now(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    size_t n = strlen(s);
    char *end = NULL;
    if (n == 10) {
        end = strptime(s, "%Y-%m-%d", &tm);
    } else if (n == 20) {
        end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    if (!end || *end) {
        return -1;
    }
    return (int64_t)timegm(&tm);
}

int cli_policy_load(const char *path, dd_policy **out)
{
    dd_error err;
    int rc =
        path ? dd_policy_load(out, path, &err) : dd_policy_default(out, &err);
    if (rc) {
        fprintf(stderr, "drydock: policy: %s\n", err.message);
        return EXIT_USAGE; /* also a missing file: the command line */
    }
    return 0;
}

int cli_policy_judge(const cli_common *c,
                     const dd_policy *pol,
                     const char *ref,
                     const char *root_path,
                     const char *now,
                     const dd_image *img,
                     const dd_scan *scan,
                     dd_policy_verdict **out)
{
    dd_error err = {0};
    int64_t t = now ? parse_now(now) : (int64_t)time(NULL);
    if (t < 0) {
        fprintf(stderr,
                "drydock: --now takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, "
                "not '%s'\n",
                cli_esc(now));
        return EXIT_USAGE;
    }
    const dd_image_info *info = img ? dd_image_info_get(img) : NULL;
    /* the name rules are matched against: a registry reference, or the
     * --image-ref a local image is judged as */
    const char *name = ref;
    if (!name && info && info->source == DD_SOURCE_REGISTRY) {
        name = c->image;
    }
    if (name && !strncmp(name, "docker://", 9)) {
        name += 9;
    }
    char canon[600];
    const char *canonical = NULL;
    if (name && dd_lookalike_canonical(name, canon, sizeof canon, &err) == 0) {
        canonical = canon;
    } else if (ref) {
        fprintf(stderr, "drydock: --image-ref: %s\n", err.message);
        return EXIT_USAGE;
    }
    dd_trust_root *root = NULL;
    if (dd_policy_needs_signatures(pol)) {
        int rc = root_path ? dd_trust_root_load(&root, root_path, &err)
                           : dd_trust_root_builtin(&root, &err);
        if (rc) {
            fprintf(stderr, "drydock: %s\n", err.message);
            return EXIT_UNREADABLE;
        }
    }
    /* signatures are looked up where the image is: its registry
     * reference or its OCI layout directory */
    dd_policy_image_ctx ictx = {c->image, c->tag, &c->registry, root};
    dd_policy_input in;
    memset(&in, 0, sizeof in);
    in.version = DD_POLICY_INPUT_VERSION;
    in.image = name ? name : c->image;
    in.canonical = canonical;
    in.pinned = name && strstr(name, "@sha256:") != NULL;
    in.digest = info ? info->manifest_digest : NULL;
    in.findings = scan ? dd_scan_findings(scan) : NULL;
    in.summary = scan ? dd_scan_summary_get(scan) : NULL;
    in.now = t;
    in.verify = dd_policy_check_image;
    in.verify_payload = &ictx;
    int rc = dd_policy_evaluate(pol, &in, out, &err);
    dd_trust_root_free(root);
    if (rc) {
        fprintf(stderr, "drydock: policy: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    return 0;
}

static const char *upper(dd_policy_decision d)
{
    return d == DD_POLICY_ALLOW  ? "ALLOW"
           : d == DD_POLICY_WARN ? "WARN"
                                 : "DENY";
}

void cli_policy_print(FILE *out, const dd_policy_verdict *v, const char *src)
{
    fprintf(out, "Policy: %s  %s (%s, mode %s", upper(v->decision),
            cli_esc(v->image), src, v->mode);
    if (v->n_rules) {
        fprintf(out, ", rule%s", v->n_rules == 1 ? "" : "s");
        for (size_t i = 0; i < v->n_rules; i++) {
            fprintf(out, "%s %s", i ? "," : "", cli_esc(v->rules[i]));
        }
    } else {
        fprintf(out, ", no rule matched");
    }
    fprintf(out, ")\n");
    for (size_t i = 0; i < v->n_reasons; i++) {
        const dd_policy_reason *r = &v->reasons[i];
        fprintf(out, "  %-6s %-26s %s", dd_policy_effect_name(r->effect),
                r->code, cli_esc(r->text));
        if (r->exception) {
            fprintf(out, " (waived by exception '%s')", cli_esc(r->exception));
        }
        fputc('\n', out);
    }
}

/* XML attribute / text: & < > " escaped, controls dropped */
static void xml_text(FILE *m, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&') {
            fputs("&amp;", m);
        } else if (ch == '<') {
            fputs("&lt;", m);
        } else if (ch == '>') {
            fputs("&gt;", m);
        } else if (ch == '"') {
            fputs("&quot;", m);
        } else if (ch >= 0x20 || ch == '\t') {
            fputc(ch, m);
        }
    }
}

/* the <testsuites ...> line of [p, end) with tests and failures raised */
static void junit_totals(
    FILE *m, const char *p, const char *end, size_t tests, size_t fails)
{
    while (p < end) {
        const char *t = NULL;
        size_t add = 0;
        if (!strncmp(p, " tests=\"", 8)) {
            t = p + 8, add = tests;
        } else if (!strncmp(p, " failures=\"", 11)) {
            t = p + 11, add = fails;
        }
        if (t) {
            char *e = NULL;
            unsigned long long n = strtoull(t, &e, 10);
            if (e && e > t && *e == '"') {
                fwrite(p, 1, (size_t)(t - p), m);
                fprintf(m, "%llu", n + add);
                p = e;
                continue;
            }
        }
        fputc(*p++, m);
    }
}

/* JUnit: a "policy" testsuite before </testsuites>, a testcase for the
 * verdict and one per reason (deny: a failure); the totals raised. */
static int attach_junit(char **out,
                        size_t *olen,
                        const char *text,
                        const dd_policy_verdict *v,
                        const char *src)
{
    const char *endtag = "</testsuites>", *at = NULL;
    for (const char *p = strstr(text, endtag); p; p = strstr(p + 1, endtag)) {
        at = p;
    }
    const char *head = strstr(text, "<testsuites ");
    const char *head_end = head ? strchr(head, '>') : NULL;
    if (!at || !head_end || head_end > at) {
        return -1;
    }
    size_t fails = v->decision == DD_POLICY_DENY;
    for (size_t i = 0; i < v->n_reasons; i++) {
        fails += v->reasons[i].effect == DD_POLICY_EFFECT_DENY;
    }
    FILE *m = open_memstream(out, olen);
    if (!m) {
        return -1;
    }
    fwrite(text, 1, (size_t)(head - text), m);
    junit_totals(m, head, head_end, v->n_reasons + 1, fails);
    fwrite(head_end, 1, (size_t)(at - head_end), m);
    fprintf(m,
            "  <testsuite name=\"policy\" tests=\"%zu\" failures=\"%zu\" "
            "errors=\"0\" skipped=\"0\" time=\"0\">\n    <properties>\n"
            "      <property name=\"policy\" value=\"",
            v->n_reasons + 1, fails);
    xml_text(m, src);
    fprintf(m,
            "\"/>\n      <property name=\"decision\" value=\"%s\"/>\n"
            "    </properties>\n    <testcase name=\"verdict\" "
            "classname=\"drydock.policy\" time=\"0\">\n",
            dd_policy_decision_name(v->decision));
    if (v->decision == DD_POLICY_DENY) {
        fputs("      <failure message=\"denied\" type=\"policy.verdict\"/>\n",
              m);
    }
    fputs("    </testcase>\n", m);
    for (size_t i = 0; i < v->n_reasons; i++) {
        const dd_policy_reason *r = &v->reasons[i];
        fputs("    <testcase name=\"", m);
        xml_text(m, r->code);
        if (r->subject) {
            fputc(' ', m);
            xml_text(m, r->subject);
        }
        fputs("\" classname=\"drydock.policy.", m);
        xml_text(m, r->rule ? r->rule : "default");
        fputs("\" time=\"0\">\n", m);
        if (r->effect == DD_POLICY_EFFECT_DENY) {
            fputs("      <failure message=\"", m);
            xml_text(m, r->text);
            fputs("\" type=\"", m);
            xml_text(m, r->code);
            fputs("\"/>\n", m);
        } else {
            fprintf(m,
                    "      <system-out>%s: ", dd_policy_effect_name(r->effect));
            xml_text(m, r->text);
            fputs("</system-out>\n", m);
        }
        fputs("    </testcase>\n", m);
    }
    fputs("  </testsuite>\n", m);
    fputs(at, m);
    if (fclose(m)) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* The verdict in a scan report: JSON "policy", SARIF tool execution
 * notifications, a JUnit testsuite, a table section. *text is replaced by a
 * malloc'd string
 * (*is_malloc set) for json and sarif. 0, or -1 when the report could
 * not be read back. */
int cli_policy_attach(char **text,
                      size_t *len,
                      int *is_malloc,
                      const char *format,
                      const dd_policy_verdict *v,
                      const char *src)
{
    int json = !strcmp(format, "json"), sarif = !strcmp(format, "sarif");
    char *add = NULL;
    size_t alen = 0;
    if (!strcmp(format, "junit")) {
        if (attach_junit(&add, &alen, *text, v, src)) {
            return -1;
        }
    } else if (json || sarif) {
        char *vj = NULL;
        dd_error err;
        json_error_t je;
        if (dd_policy_verdict_json(v, &vj, NULL, &err)) {
            return -1;
        }
        json_t *doc = json_loadb(*text, *len, 0, &je);
        json_t *pj = json_loads(vj, 0, &je);
        dd_string_free(vj);
        if (!doc || !pj) {
            json_decref(doc);
            json_decref(pj);
            return -1;
        }
        json_object_set_new(pj, "policy", json_string(src));
        if (json) {
            json_object_set_new(doc, "policy", pj);
        } else {
            json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
            json_t *inv = json_object_get(run, "invocations");
            if (run && !json_is_array(inv)) {
                inv = json_array();
                json_array_append_new(
                    inv, json_pack("{s:b}", "executionSuccessful", 1));
                json_object_set_new(run, "invocations", inv);
            }
            json_t *i0 = json_array_get(inv, 0);
            json_t *notes = json_object_get(i0, "toolExecutionNotifications");
            if (i0 && !json_is_array(notes)) {
                notes = json_array();
                json_object_set_new(i0, "toolExecutionNotifications", notes);
            }
            char head[1200];
            snprintf(head, sizeof head, "policy %s: %s (%s)",
                     dd_policy_decision_name(v->decision), v->image, src);
            json_array_append_new(
                notes, json_pack("{s:{s:s}, s:s, s:{s:s}}", "message", "text",
                                 head, "level",
                                 v->decision == DD_POLICY_DENY   ? "error"
                                 : v->decision == DD_POLICY_WARN ? "warning"
                                                                 : "note",
                                 "descriptor", "id", "policy.verdict"));
            for (size_t i = 0; i < v->n_reasons; i++) {
                const dd_policy_reason *r = &v->reasons[i];
                json_array_append_new(
                    notes,
                    json_pack("{s:{s:s}, s:s, s:{s:s}}", "message", "text",
                              r->text, "level",
                              r->effect == DD_POLICY_EFFECT_DENY   ? "error"
                              : r->effect == DD_POLICY_EFFECT_WARN ? "warning"
                                                                   : "note",
                              "descriptor", "id", r->code));
            }
            json_decref(pj);
        }
        add = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(doc);
        if (!add) {
            return -1;
        }
        alen = strlen(add);
    } else {
        /* the table: the report, then a Policy section */
        FILE *m = open_memstream(&add, &alen);
        if (!m) {
            return -1;
        }
        fwrite(*text, 1, *len, m);
        if (*len && (*text)[*len - 1] != '\n') {
            fputc('\n', m);
        }
        fputc('\n', m);
        cli_policy_print(m, v, src);
        if (fclose(m)) {
            free(add);
            return -1;
        }
    }
    if (*is_malloc) {
        free(*text);
    } else {
        dd_string_free(*text);
    }
    *text = add;
    *len = alen;
    *is_malloc = 1;
    return 0;
}

static int show_default(int argc, char **argv)
{
    (void)argc, (void)argv;
    fputs(dd_policy_default_text(), stdout);
    return 0;
}

int cmd_policy(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "show-default")) {
        if (argc > 2 && strcmp(argv[2], "--help") && strcmp(argv[2], "-h")) {
            fprintf(stderr,
                    "drydock policy show-default: unexpected argument "
                    "'%s'\n",
                    cli_esc(argv[2]));
            return EXIT_USAGE;
        }
        if (argc > 2) {
            cli_help(stdout, &cli_cmd_policy);
            return 0;
        }
        return show_default(argc - 1, argv + 1);
    }
    int sub = argc >= 2 && !strcmp(argv[1], "check");
    if (!sub && argc >= 2 && argv[1][0] != '-') {
        fprintf(stderr,
                "drydock policy: unknown subcommand '%s' (check, "
                "show-default); see 'drydock policy --help'\n",
                cli_esc(argv[1]));
        return EXIT_USAGE;
    }
    cli_common c;
    cli_common_init(&c);
    pol_args a;
    memset(&a, 0, sizeof a);
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_policy, &c, argc - sub, argv + sub, pol_opt, &a,
                       pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if (!sub) {
        fprintf(stderr, "drydock policy: check IMAGE or show-default; see "
                        "'drydock policy --help'\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_args(&cli_cmd_policy, pos, np, 1, 1, "IMAGE"))) {
        return rc;
    }
    c.image = pos[0];
    if (a.now && parse_now(a.now) < 0) {
        fprintf(stderr,
                "drydock policy: --now takes YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM:SSZ, not '%s'\n",
                cli_esc(a.now));
        return EXIT_USAGE;
    }
    dd_policy *pol = NULL;
    if ((rc = cli_policy_load(a.policy, &pol))) {
        return rc;
    }
    /* the scan the thresholds need; without a database the vuln scanner
     * is left out and the verdict says what was not checked */
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.scanners = dd_policy_scanners(pol);
    /* the policy's vex: documents (docs/vex.md) */
    const char *vexf[65];
    size_t nv = 0;
    for (; nv < 64 && nv < dd_policy_vex_count(pol); nv++) {
        vexf[nv] = dd_policy_vex_file(pol, nv);
    }
    vexf[nv] = NULL;
    so.vex_files = nv ? vexf : NULL;
    char dbbuf[4096], cache[4096];
    const char *dbpath = NULL;
    if (so.scanners & DD_SCANNER_VULN) {
        dbpath = cli_db_path(a.db, c.cache_dir, dbbuf, sizeof dbbuf);
        dd_vulndb *db = NULL;
        dd_error err;
        if (!dbpath || dd_vulndb_open(&db, dbpath, &err)) {
            if (a.db) {
                fprintf(stderr, "drydock policy: --db %s: %s\n", cli_esc(a.db),
                        err.message);
                dd_policy_free(pol);
                return EXIT_UNREADABLE;
            }
            if (!c.quiet) {
                fprintf(stderr,
                        "warning: no vulnerability database (`drydock db "
                        "update`): vulnerabilities are not checked and the "
                        "verdict says so\n");
            }
            so.scanners &= ~DD_SCANNER_VULN;
            dbpath = NULL;
        }
        dd_vulndb_close(db);
    }
    if (!so.scanners) {
        so.scanners = DD_SCANNER_PACKAGES; /* the walk: integrity, archive */
    }
    c.malware.cache_dir =
        c.cache_dir ? c.cache_dir : cli_cache_dir(cache, sizeof cache);
    if (c.cache_dir) {
        (void)mkdir(c.cache_dir, 0700);
    }
    if ((rc = cli_redirect_output(&c))) {
        dd_policy_free(pol);
        return rc;
    }
    dd_engine *eng = NULL;
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd_policy_verdict *v = NULL;
    if (dd_policy_needs_scan(pol)) {
        rc = cli_make_engine(&c, dbpath, !(so.scanners & DD_SCANNER_MALWARE),
                             &eng);
        if (!rc) {
            rc = cli_open_scan(&c, eng, &so, &img, &scan);
        }
    } else {
        /* no thresholds: the name and the signatures decide; the image
         * is opened (its digest, that it exists), its layers not read */
        dd_image_opts io = DD_IMAGE_OPTS_INIT;
        io.platform = c.platform;
        io.tag = c.tag;
        io.registry = &c.registry;
        dd_error err;
        int orc = dd_image_open(&img, c.image, &io, &err);
        if (orc) {
            fprintf(stderr, "drydock: %s\n", err.message);
            rc = orc == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
        }
    }
    if (!rc) {
        rc = cli_policy_judge(&c, pol, a.ref, a.root, a.now, img, scan, &v);
    }
    if (!rc) {
        const char *src = a.policy ? a.policy : "built-in policy";
        if (!strcmp(c.format, "json")) {
            char *js = NULL;
            dd_error err;
            json_error_t je;
            if (dd_policy_verdict_json(v, &js, NULL, &err) == 0) {
                json_t *doc = json_loads(js, 0, &je);
                json_object_set_new(doc, "policy", json_string(src));
                json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                fputc('\n', stdout);
                json_decref(doc);
            }
            dd_string_free(js);
        } else {
            cli_policy_print(stdout, v, src);
        }
        rc = v->decision == DD_POLICY_DENY ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    dd_policy_verdict_free(v);
    dd_scan_free(scan);
    dd_image_free(img);
    dd_engine_free(eng);
    dd_policy_free(pol);
    return rc;
}
