/*
 * cli/cmd_config.c - `drydock history IMAGE` (the build steps read back as
 * Dockerfile instructions, with layers and sizes, and the checks on them)
 * and `drydock dockerfile PATH` (the same checks on a real Dockerfile,
 * with line numbers).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char history_usage[] =
    "usage: drydock history IMAGE [--format table|json] [--checks-config P]\n"
    "                       [--no-checks] [options]\n"
    "\n"
    "The image's build steps as Dockerfile instructions, with the layer\n"
    "each made and its size, then the configuration checks that need only\n"
    "the config and the history (docs/checks.md).\n"
    "  --checks-config P JSON: {\"disable\": [ids], \"severity\": {id: sev}}\n"
    "  --platform, --tag, -q: as for `drydock inspect --help`\n";

static const char dockerfile_usage[] =
    "usage: drydock dockerfile PATH [--format table|json] [--checks-config "
    "P]\n"
    "                          [--fail-on SEVERITY]\n"
    "\n"
    "Runs the configuration checks (docs/checks.md) on a Dockerfile; each\n"
    "finding names its line. Exit 1 when a finding is at or above\n"
    "--fail-on (default high).\n";

static json_t *js(const char *s)
{
    return cli_json_text(s);
}

json_t *
cli_findings_json(const dd_findings *fl, const dd_image *img, json_t *arr);
/* the library's finding writer (as scan and inspect use) */
static json_t *findings_json(const dd_findings *f, const dd_image *img)
{
    return cli_findings_json(f, img, json_array());
}

static void findings_table(FILE *out, const dd_findings *f, const char *file)
{
    if (!dd_findings_count(f)) {
        fprintf(out, "\nNo findings.\n");
        return;
    }
    fprintf(out, "\n%-8s %-24s %-10s %s\n", "SEVERITY", "CHECK", "WHERE",
            "FINDING");
    for (size_t i = 0; i < dd_findings_count(f); i++) {
        const dd_finding *x = dd_findings_get(f, i);
        char where[64] = "config";
        if (file && x->line) {
            snprintf(where, sizeof where, "line %zu", x->line);
        } else if (x->history >= 0) {
            snprintf(where, sizeof where, "step %d", x->history);
        }
        fprintf(out, "%-8s %-24s %-10s %s", dd_severity_name(x->severity),
                x->rule_id, where, cli_esc(x->title));
        if (x->evidence) {
            fprintf(out, " [%s]", cli_esc(x->evidence));
        }
        fputc('\n', out);
    }
}

/* a step the env-secret check flagged shows its values as **** (secrets
 * are never printed whole; the finding carries the redacted form) */
static void redact_env(char *ins, const dd_findings *f, int step)
{
    int hit = 0;
    for (size_t i = 0; f && i < dd_findings_count(f); i++) {
        const dd_finding *x = dd_findings_get(f, i);
        hit |= x->history == step && !strcmp(x->rule_id, "config.env-secret");
    }
    if (!hit || strncmp(ins, "ENV ", 4)) {
        return;
    }
    char *o = ins + 4;
    for (const char *p = ins + 4; *p;) {
        *o++ = *p;
        if (*p++ == '=') {
            memcpy(o, "****", 4);
            o += 4;
            while (*p && *p != ' ') {
                p++;
            }
        }
    }
    *o = 0;
}

static int load_policy(const char *path, dd_check_policy **p)
{
    if (!path) {
        return 0;
    }
    dd_error err;
    if (dd_check_policy_load(p, path, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return EXIT_USAGE;
    }
    return 0;
}

static int worst_exit(const cli_common *c, const dd_findings *f)
{
    for (size_t i = 0; c->fail_on != DD_SEV_UNKNOWN && i < dd_findings_count(f);
         i++) {
        if ((int)dd_findings_get(f, i)->severity >= c->fail_on) {
            return EXIT_FINDINGS;
        }
    }
    return EXIT_CLEAN;
}

int cmd_history(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *policy_path = NULL;
    int checks = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(history_usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--checks-config") && i + 1 < argc) {
            policy_path = argv[++i];
            continue;
        }
        if (!strcmp(a, "--no-checks")) {
            checks = 0;
            continue;
        }
        int r = cli_common_opt(&c, argc, argv, &i);
        if (r < 0) {
            return EXIT_USAGE;
        }
        if (r > 0) {
            continue;
        }
        if (a[0] == '-' || c.image) {
            fprintf(stderr, "drydock history: unexpected '%s'\n%s", a,
                    history_usage);
            return EXIT_USAGE;
        }
        c.image = a;
    }
    if (!c.image) {
        fputs(history_usage, stderr);
        return EXIT_USAGE;
    }
    dd_check_policy *pol = NULL;
    int rc = load_policy(policy_path, &pol);
    if (rc) {
        return rc;
    }
    dd_image *img = NULL;
    dd_walk *walk = NULL;
    if ((rc = cli_open_walk(&c, 0, &img, &walk))) {
        dd_check_policy_free(pol);
        return rc;
    }
    const dd_image_info *in = dd_image_info_get(img);
    dd_findings *f = NULL;
    dd_error err;
    if (checks && dd_history_check(img, pol, 1, &f, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        rc = EXIT_UNREADABLE;
        goto done;
    }
    int json = c.format && !strcmp(c.format, "json");
    json_t *steps = json_array();
    if (!json) {
        printf("%-4s %-6s %10s  %s\n", "STEP", "LAYER", "SIZE", "INSTRUCTION");
    }
    for (size_t h = 0; h < in->n_history; h++) {
        const dd_history_step *st = &in->history[h];
        char ins[4096], size[32] = "-";
        dd_history_instruction(st->created_by, ins, sizeof ins);
        redact_env(ins, f, (int)h);
        unsigned long long bytes = 0;
        if (st->layer >= 0) {
            const dd_layer_stats *ls =
                dd_walk_layer_stats(walk, (size_t)st->layer);
            bytes = ls ? ls->tar_bytes : 0;
            cli_human(bytes, size, sizeof size);
        }
        if (json) {
            json_array_append_new(
                steps,
                json_pack(
                    "{s:I,s:o,s:o,s:o,s:o,s:o}", "step", (json_int_t)h, "layer",
                    st->layer >= 0 ? json_integer(st->layer) : json_null(),
                    "size",
                    st->layer >= 0 ? json_integer((json_int_t)bytes)
                                   : json_null(),
                    "instruction", js(ins), "created_by", js(st->created_by),
                    "created", js(st->created)));
        } else {
            char lay[16] = "-";
            if (st->layer >= 0) {
                snprintf(lay, sizeof lay, "L%d", st->layer);
            }
            printf("%-4zu %-6s %10s  %.200s\n", h, lay, size, cli_esc(ins));
        }
    }
    if (json) {
        json_t *doc =
            json_pack("{s:o,s:o,s:o}", "image",
                      js(in->name ? in->name : in->path), "steps", steps,
                      "findings", f ? findings_json(f, img) : json_array());
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        json_decref(steps);
        if (f) {
            findings_table(stdout, f, NULL);
        }
    }
    rc = f ? worst_exit(&c, f) : EXIT_CLEAN;
done:
    dd_findings_free(f);
    dd_walk_free(walk);
    dd_image_free(img);
    dd_check_policy_free(pol);
    return rc;
}

int cmd_dockerfile(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *policy_path = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(dockerfile_usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--checks-config") && i + 1 < argc) {
            policy_path = argv[++i];
            continue;
        }
        int r = cli_common_opt(&c, argc, argv, &i);
        if (r < 0) {
            return EXIT_USAGE;
        }
        if (r > 0) {
            continue;
        }
        if (a[0] == '-' || path) {
            fprintf(stderr, "drydock dockerfile: unexpected '%s'\n%s", a,
                    dockerfile_usage);
            return EXIT_USAGE;
        }
        path = a;
    }
    if (!path) {
        fputs(dockerfile_usage, stderr);
        return EXIT_USAGE;
    }
    dd_check_policy *pol = NULL;
    int rc = load_policy(policy_path, &pol);
    if (rc) {
        return rc;
    }
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (fp) {
        for (;;) {
            if (len + 65536 > cap) {
                cap = cap ? cap * 2 : 65536 * 2;
                char *nb = cap <= (8u << 20) ? realloc(buf, cap) : NULL;
                if (!nb) {
                    break;
                }
                buf = nb;
            }
            size_t got = fread(buf + len, 1, cap - len, fp);
            len += got;
            if (!got) {
                break;
            }
        }
        fclose(fp);
    }
    if (!buf && !fp) {
        perror(path);
        dd_check_policy_free(pol);
        return EXIT_UNREADABLE;
    }
    dd_findings *f = NULL;
    dd_error err;
    if (dd_dockerfile_check(path, buf ? buf : "", len, pol, &f, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        free(buf);
        dd_check_policy_free(pol);
        return EXIT_UNREADABLE;
    }
    if (c.format && !strcmp(c.format, "json")) {
        json_t *doc = json_pack("{s:o,s:o}", "dockerfile", js(path), "findings",
                                findings_json(f, NULL));
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        printf("%s", cli_esc(path));
        findings_table(stdout, f, path);
    }
    rc = worst_exit(&c, f);
    dd_findings_free(f);
    free(buf);
    dd_check_policy_free(pol);
    return rc;
}
