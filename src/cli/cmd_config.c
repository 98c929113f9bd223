/*
 * cli/cmd_config.c - `drydock history IMAGE` (the build steps read back as
 * Dockerfile instructions, with layers and sizes, and the checks on them)
 * and `drydock dockerfile PATH` (the same checks on a real Dockerfile,
 * with line numbers).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

enum { K_CHECKS_CONFIG = 1, K_NO_CHECKS };
static const cli_opt history_opts[] = {
    {"checks-config", 0, "FILE", K_CHECKS_CONFIG, 0, NULL,
     "JSON: {\"disable\": [ids], \"severity\": {id: sev}} "
     "(docs/checks.md)"},
    {"no-checks", 0, NULL, K_NO_CHECKS, 0, NULL,
     "only the steps, no configuration checks"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_history = {
    "history",
    "IMAGE [options]",
    "The image's build steps as Dockerfile instructions, with the layer\n"
    "each made and its size, then the configuration checks that need only\n"
    "the config and the history (docs/checks.md). Exit 0 unless the image\n"
    "could not be read (3).\n",
    history_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json",
    0};

static const cli_opt dockerfile_opts[] = {
    {"checks-config", 0, "FILE", K_CHECKS_CONFIG, 0, NULL,
     "JSON: {\"disable\": [ids], \"severity\": {id: sev}} "
     "(docs/checks.md)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_dockerfile = {
    "dockerfile",
    "PATH [options]   (also: drydock config PATH)",
    "Runs the configuration checks (docs/checks.md) on a Dockerfile, or on\n"
    "every Dockerfile under a directory (Dockerfile, *.Dockerfile,\n"
    "Dockerfile.*); each finding names its file and line. Exit 1 when a\n"
    "finding is at or above --fail-on (default high), 3 when PATH cannot\n"
    "be read, is empty, is not a Dockerfile, or a directory holds none.\n",
    dockerfile_opts,
    CLI_G_OUT | CLI_G_FAILON,
    "table,json",
    0};

typedef struct cfg_flags {
    const char *policy;
    int no_checks;
} cfg_flags;

static int cfg_opt(void *ctx, int key, const char *label, const char *val)
{
    (void)label;
    cfg_flags *f = ctx;
    if (key == K_CHECKS_CONFIG) {
        f->policy = val;
    } else {
        f->no_checks = 1;
    }
    return 0;
}

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

/* most severe first; then by line or step, then as found */
static int by_severity(const void *pa, const void *pb)
{
    const dd_finding *a = *(const dd_finding *const *)pa;
    const dd_finding *b = *(const dd_finding *const *)pb;
    if (a->severity != b->severity) {
        return a->severity > b->severity ? -1 : 1;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->history != b->history) {
        return a->history < b->history ? -1 : 1;
    }
    return a < b ? -1 : a > b;
}

static void findings_table(FILE *out, const dd_findings *f, const char *file)
{
    size_t n = dd_findings_count(f);
    if (!n) {
        fprintf(out, "\nNo findings.\n");
        return;
    }
    fprintf(out, "\n%-8s %-24s %-10s %s\n", "SEVERITY", "CHECK", "WHERE",
            "FINDING");
    const dd_finding **v = calloc(n, sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        v[i] = dd_findings_get(f, i);
    }
    if (v) {
        qsort(v, n, sizeof *v, by_severity);
    }
    for (size_t i = 0; i < n; i++) {
        const dd_finding *x = v ? v[i] : dd_findings_get(f, i);
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
    free(v);
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
    cfg_flags fl = {NULL, 0};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc =
        cli_parse(&cli_cmd_history, &c, argc, argv, cfg_opt, &fl, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_history, pos, np, 1, 1, "IMAGE")) ||
        (rc = cli_redirect_output(&c))) {
        return rc;
    }
    c.image = pos[0];
    const char *policy_path = fl.policy;
    int checks = !fl.no_checks;
    dd_check_policy *pol = NULL;
    rc = load_policy(policy_path, &pol);
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
    /* findings are shown, not an exit status (README "Exit codes") */
    rc = EXIT_CLEAN;
done:
    dd_findings_free(f);
    dd_walk_free(walk);
    dd_image_free(img);
    dd_check_policy_free(pol);
    return rc;
}

/* Dockerfile, *.Dockerfile, Dockerfile.* (any case of the D) */
static int dockerfile_name(const char *n)
{
    size_t l = strlen(n);
    if (!strcasecmp(n, "Dockerfile") || !strncasecmp(n, "Dockerfile.", 11)) {
        return 1;
    }
    return l > 11 && !strcasecmp(n + l - 11, ".Dockerfile");
}

/* the first instruction must be FROM or ARG (or a parser directive /
 * comment before it): anything else is not a Dockerfile */
static const char *not_dockerfile(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        i = 3;
    }
    if (memchr(buf, '\0', len)) {
        return "NUL byte: not a Dockerfile";
    }
    while (i < len) {
        while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                           buf[i] == '\n')) {
            i++;
        }
        if (i < len && buf[i] == '#') {
            while (i < len && buf[i] != '\n') {
                i++;
            }
            continue;
        }
        break;
    }
    if (i >= len) {
        return "empty: no instructions (not a Dockerfile)";
    }
    size_t w = 0;
    while (i + w < len && isalpha((unsigned char)buf[i + w])) {
        w++;
    }
    if ((w == 4 && !strncasecmp(buf + i, "FROM", 4)) ||
        (w == 3 && !strncasecmp(buf + i, "ARG", 3))) {
        return NULL;
    }
    return "not a Dockerfile: the first instruction is not FROM or ARG";
}

static char *slurp_file(const char *path, size_t *len, int *too_big)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    *too_big = 0;
    if (!fp) {
        return NULL;
    }
    for (;;) {
        if (*len + 65536 > cap) {
            cap = cap ? cap * 2 : 65536 * 2;
            char *nb = cap <= (8u << 20) ? realloc(buf, cap) : NULL;
            if (!nb) {
                *too_big = 1;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + *len, 1, cap - *len, fp);
        *len += got;
        if (!got) {
            break;
        }
    }
    fclose(fp);
    if (!buf) {
        buf = malloc(1);
    }
    return buf;
}

typedef struct df_list {
    char **paths;
    size_t n, cap;
} df_list;

#define DF_MAX_FILES 4096
#define DF_MAX_DEPTH 16

/* Dockerfiles under dir (sorted per directory; no symlinks followed, no
 * hidden directories) */
static int find_dockerfiles(const char *dir, int depth, df_list *l)
{
    DIR *d = opendir(dir);
    if (!d) {
        return depth ? 0 : -1;
    }
    struct dirent **ents = NULL;
    size_t ne = 0, ce = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (ne == ce) {
            ce = ce ? ce * 2 : 32;
            struct dirent **ne2 = realloc(ents, ce * sizeof *ents);
            if (!ne2) {
                break;
            }
            ents = ne2;
        }
        ents[ne] = malloc(sizeof **ents);
        if (!ents[ne]) {
            break;
        }
        memcpy(ents[ne++], e, sizeof **ents);
    }
    closedir(d);
    for (size_t i = 1; i < ne; i++) {
        for (size_t j = i;
             j > 0 && strcmp(ents[j - 1]->d_name, ents[j]->d_name) > 0; j--) {
            struct dirent *t = ents[j];
            ents[j] = ents[j - 1];
            ents[j - 1] = t;
        }
    }
    for (size_t i = 0; i < ne; i++) {
        char p[4096];
        int k =
            snprintf(p, sizeof p, "%s%s%s", dir,
                     dir[strlen(dir) - 1] == '/' ? "" : "/", ents[i]->d_name);
        struct stat st;
        if (k > 0 && (size_t)k < sizeof p && lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < DF_MAX_DEPTH) {
                find_dockerfiles(p, depth + 1, l);
            } else if (S_ISREG(st.st_mode) &&
                       dockerfile_name(ents[i]->d_name) &&
                       l->n < DF_MAX_FILES) {
                if (l->n == l->cap) {
                    l->cap = l->cap ? l->cap * 2 : 16;
                    char **np = realloc(l->paths, l->cap * sizeof *np);
                    if (!np) {
                        free(ents[i]);
                        continue;
                    }
                    l->paths = np;
                }
                l->paths[l->n] = strdup(p);
                l->n += l->paths[l->n] != NULL;
            }
        }
        free(ents[i]);
    }
    free(ents);
    return 0;
}

/* One Dockerfile: its findings into *out; one error line and
 * EXIT_UNREADABLE when it cannot be read or is not a Dockerfile. */
static int
check_one(const char *path, const dd_check_policy *pol, dd_findings **out)
{
    size_t len = 0;
    int big = 0;
    char *buf = slurp_file(path, &len, &big);
    if (!buf) {
        fprintf(stderr, "drydock dockerfile: %s: %s\n", cli_esc(path),
                strerror(errno));
        return EXIT_UNREADABLE;
    }
    if (big) {
        fprintf(stderr, "drydock dockerfile: %s: larger than 8 MiB\n",
                cli_esc(path));
        free(buf);
        return EXIT_UNREADABLE;
    }
    const char *why = not_dockerfile(buf, len);
    if (why) {
        fprintf(stderr, "drydock dockerfile: %s: %s\n", cli_esc(path), why);
        free(buf);
        return EXIT_UNREADABLE;
    }
    dd_error err;
    if (dd_dockerfile_check(path, buf, len, pol, out, &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        free(buf);
        return EXIT_UNREADABLE;
    }
    free(buf);
    return 0;
}

int cmd_dockerfile(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    cfg_flags fl = {NULL, 0};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc =
        cli_parse(&cli_cmd_dockerfile, &c, argc, argv, cfg_opt, &fl, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_dockerfile, pos, np, 1, 1, "PATH"))) {
        return rc;
    }
    const char *path = pos[0];
    dd_check_policy *pol = NULL;
    if ((rc = load_policy(fl.policy, &pol))) {
        return rc;
    }
    struct stat st;
    df_list l = {NULL, 0, 0};
    int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir) {
        find_dockerfiles(path, 0, &l);
        if (!l.n) {
            fprintf(stderr,
                    "drydock dockerfile: %s: no Dockerfile in this directory "
                    "(looked for Dockerfile, *.Dockerfile, Dockerfile.*)\n",
                    cli_esc(path));
            dd_check_policy_free(pol);
            return EXIT_UNREADABLE;
        }
    } else {
        l.paths = malloc(sizeof *l.paths);
        if (!l.paths || !(l.paths[0] = strdup(path))) {
            free(l.paths);
            dd_check_policy_free(pol);
            return EXIT_UNREADABLE;
        }
        l.n = 1;
    }
    if ((rc = cli_redirect_output(&c))) {
        goto out;
    }
    int json = c.format && !strcmp(c.format, "json");
    json_t *arr = json_array();
    int worst = EXIT_CLEAN;
    for (size_t i = 0; i < l.n; i++) {
        dd_findings *f = NULL;
        int r = check_one(l.paths[i], pol, &f);
        if (r) {
            rc = r;
            continue;
        }
        if (json) {
            json_array_append_new(arr, json_pack("{s:o,s:o}", "dockerfile",
                                                 js(l.paths[i]), "findings",
                                                 findings_json(f, NULL)));
        } else {
            printf("%s%s", i ? "\n" : "", cli_esc(l.paths[i]));
            findings_table(stdout, f, l.paths[i]);
        }
        if (worst_exit(&c, f)) {
            worst = EXIT_FINDINGS;
        }
        dd_findings_free(f);
    }
    if (json) {
        json_t *doc = is_dir ? json_pack("{s:o,s:o}", "directory", js(path),
                                         "dockerfiles", json_incref(arr))
                      : json_array_size(arr)
                          ? json_incref(json_array_get(arr, 0))
                          : NULL;
        if (doc) {
            json_dumpf(doc, stdout, JSON_INDENT(2));
            fputc('\n', stdout);
            json_decref(doc);
        }
    }
    json_decref(arr);
    /* an unreadable file wins over findings: the check is incomplete */
    if (!rc) {
        rc = worst;
    }
out:
    for (size_t i = 0; i < l.n; i++) {
        free(l.paths[i]);
    }
    free(l.paths);
    dd_check_policy_free(pol);
    return rc;
}
