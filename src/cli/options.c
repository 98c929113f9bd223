/*
 * cli/options.c - the option tables: GNU-style parsing of a command's
 * table (--opt=value, --opt value, -abc clusters, -fVALUE, `--` ends the
 * options), DRYDOCK_<OPTION> environment variables and the config file
 * (drydock.yaml in the working directory, or --config FILE), with the
 * precedence flags > environment > config file > defaults; --help printed
 * from the same tables.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "cli_config.h"

/* always there */
static const cli_opt base_opts[] = {
    {"help", 'h', NULL, CLI_K_HELP, CLI_NOENV, NULL, "print this help"},
    {"config", 0, "FILE", CLI_K_CONFIG, CLI_NOENV, NULL,
     "config file (default ./drydock.yaml when present; also "
     "DRYDOCK_CONFIG)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

static const cli_opt out_opts[] = {
    {"format", 'f', "FORMAT", CLI_K_FORMAT, 0, NULL, NULL},
    {"output", 'o', "FILE", CLI_K_OUTPUT, 0, NULL,
     "write the report to FILE instead of stdout"},
    {"quiet", 'q', NULL, CLI_K_QUIET, 0, NULL,
     "no progress bar and no warnings on stderr"},
    {"no-progress", 0, NULL, CLI_K_NO_PROGRESS, 0, NULL, "no progress bar"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

static const cli_opt failon_opts[] = {
    {"fail-on", 0, "SEVERITY", CLI_K_FAIL_ON, 0, NULL,
     "exit 1 when a finding is at or above SEVERITY: low, medium, high "
     "(default) or critical; none never (INFO never fails)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

static const cli_opt image_opts[] = {
    {"input", 0, "PATH", CLI_K_INPUT, 0, NULL,
     "the image (instead of the IMAGE argument)"},
    {"platform", 0, "OS/ARCH[/VAR]", CLI_K_PLATFORM, 0, NULL,
     "pick from a multi-platform index"},
    {"tag", 0, "NAME", CLI_K_TAG, 0, NULL,
     "pick an image from a multi-image archive"},
    {"threads", 0, "N", CLI_K_THREADS, 0, NULL,
     "layers read in parallel (default: all cores)"},
    {"max-layer-bytes", 0, "N", CLI_K_MAX_LAYER, 0, NULL,
     "resource limits, with K/M/G suffix (README \"Limits\")"},
    {"max-file-size", 0, "N", CLI_K_MAX_FILE, 0, NULL, NULL},
    {"max-entries", 0, "N", CLI_K_MAX_ENTRIES, 0, NULL, NULL},
    {"max-ratio", 0, "N", CLI_K_MAX_RATIO, 0, NULL, NULL},
    {"max-path-len", 0, "N", CLI_K_MAX_PATH, 0, NULL, NULL},
    {"cache-dir", 0, "DIR", CLI_K_CACHE_DIR, 0, NULL,
     "cache directory: database (DIR/db/drydock.db) and compiled rules "
     "(default $XDG_CACHE_HOME/drydock)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

static const cli_opt registry_opts[] = {
    {"username", 0, "USER", CLI_K_USERNAME, 0, NULL,
     "registry user (else docker/podman config.json, auth.json)"},
    {"password-stdin", 0, NULL, CLI_K_PASSWORD_STDIN, CLI_NOENV, NULL,
     "read the password from stdin (one line)"},
    {"auth-file", 0, "PATH", CLI_K_AUTH_FILE, 0, NULL,
     "docker config.json or podman auth.json to use"},
    {"ca-file", 0, "PATH", CLI_K_CA_FILE, 0, NULL,
     "extra CA (certs.d/HOST/ca.crt is read too)"},
    {"certs-dir", 0, "DIR", CLI_K_CERTS_DIR, 0, NULL,
     "instead of /etc/docker/certs.d"},
    {"insecure-registry", 0, "HOST", CLI_K_INSECURE, CLI_REPEAT, NULL,
     "allow plain HTTP to HOST (reported); may repeat"},
    {"token-host", 0, "HOST", CLI_K_TOKEN_HOST, CLI_REPEAT, NULL,
     "a token service on another domain that may get the credentials "
     "(by default only the registry's own domain does); may repeat"},
    {"docker-host", 0, "PATH", CLI_K_DOCKER_HOST, 0, NULL,
     "Engine API socket for docker:NAME"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

/* the tables a command uses, in help order */
size_t cli_opt_tables(const cli_cmd *cmd, const cli_opt *out[6])
{
    size_t n = 0;
    out[n++] = cmd->opts;
    if (cmd->groups & CLI_G_OUT) {
        out[n++] = out_opts;
    }
    if (cmd->groups & CLI_G_FAILON) {
        out[n++] = failon_opts;
    }
    if (cmd->groups & CLI_G_IMAGE) {
        out[n++] = image_opts;
    }
    if (cmd->groups & CLI_G_REGISTRY) {
        out[n++] = registry_opts;
    }
    out[n++] = base_opts;
    return n;
}

/* does the comma list `list` hold the n bytes at s? */
static int in_list(const char *list, const char *s, size_t n)
{
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, s, n)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

static const cli_opt *find_long(const cli_cmd *cmd, const char *s, size_t n)
{
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    for (size_t i = 0; i < nt; i++) {
        for (const cli_opt *o = t[i]; o->name; o++) {
            if ((strlen(o->name) == n && !strncmp(o->name, s, n)) ||
                in_list(o->aliases, s, n)) {
                return o;
            }
        }
    }
    return NULL;
}

static const cli_opt *find_short(const cli_cmd *cmd, char c)
{
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    for (size_t i = 0; i < nt; i++) {
        for (const cli_opt *o = t[i]; o->name; o++) {
            if (o->shortc && o->shortc == c) {
                return o;
            }
        }
    }
    return NULL;
}

size_t cli_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 64;
    }
    size_t row[64];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            /* a swap of two neighbours counts as one edit */
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* the closest long name (or alias) to `s`, NULL when none is close */
static const char *closest(const cli_opt *const *t, size_t nt, const char *s)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    char one[64];
    for (size_t i = 0; i < nt; i++) {
        for (const cli_opt *o = t[i]; o->name; o++) {
            size_t d = cli_edit_distance(s, o->name);
            if (d < bd) {
                bd = d, best = o->name;
            }
            for (const char *p = o->aliases; p && *p;) {
                size_t k = strcspn(p, ",");
                snprintf(one, sizeof one, "%.*s", (int)(k < 63 ? k : 63), p);
                d = cli_edit_distance(s, one);
                if (d < bd) {
                    bd = d, best = o->name; /* suggest the real name */
                }
                p += k + (p[k] == ',');
            }
        }
    }
    size_t len = strlen(s);
    size_t limit = len < 6 ? 2 : len / 3 + 1;
    return best && bd <= limit ? best : NULL;
}

static void unknown(const cli_cmd *cmd, const char *arg)
{
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    const char *near = NULL;
    if (arg[0] == '-' && arg[1] == '-') {
        char name[64];
        snprintf(name, sizeof name, "%.*s",
                 (int)(strcspn(arg + 2, "=") < 63 ? strcspn(arg + 2, "=") : 63),
                 arg + 2);
        near = closest(t, nt, name);
    }
    char shown[80];
    snprintf(shown, sizeof shown, "%.*s",
             (int)(strcspn(arg, "=") < 79 ? strcspn(arg, "=") : 79), arg);
    if (near) {
        fprintf(stderr,
                "drydock %s: unknown option '%s' (did you mean '--%s'?); "
                "see 'drydock %s --help'\n",
                cmd->name, cli_esc(shown), near, cmd->name);
    } else {
        fprintf(stderr,
                "drydock %s: unknown option '%s'; see 'drydock %s --help'\n",
                cmd->name, cli_esc(shown), cmd->name);
    }
}

void cli_opt_help_text(const cli_opt *o,
                       const char *formats,
                       char *help,
                       size_t n)
{
    if (o->key == CLI_K_FORMAT) {
        snprintf(help, n, "output format: %s (first is the default)", formats);
    } else {
        snprintf(help, n, "%s", o->help ? o->help : "");
    }
    if (o->aliases) {
        size_t l = strlen(help);
        snprintf(help + l, n - l, "%s(also --%s)", l ? " " : "", o->aliases);
        for (char *p = help + l; *p; p++) {
            if (*p == ',') {
                *p = '/';
            }
        }
    }
}

static void print_opt(FILE *out, const cli_opt *o, const char *formats)
{
    char left[96];
    int k =
        snprintf(left, sizeof left, "  %s%c%s--%s%s%s", o->shortc ? "-" : "",
                 o->shortc ? o->shortc : ' ', o->shortc ? ", " : "  ", o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
    if (!o->shortc) {
        /* "      --name" lines up with "  -x, --name" */
        k = snprintf(left, sizeof left, "      --%s%s%s", o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
    }
    char help[512];
    cli_opt_help_text(o, formats, help, sizeof help);
    fputs(left, out);
    /* wrap the help at 79 columns, indented to column 32 */
    int col = k;
    const char *p = help;
    if (col >= 31) {
        fputc('\n', out);
        col = 0;
    }
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > 32 && col + 1 + (int)w > 79) {
            fputc('\n', out);
            col = 0;
        }
        if (col < 32) {
            fprintf(out, "%*s", 32 - col, "");
            col = 32;
        } else {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += (int)w;
        p += w;
        while (*p == ' ') {
            p++;
        }
    }
    fputc('\n', out);
}

const char *cli_opt_table_title(const cli_cmd *cmd, const cli_opt *t)
{
    return t == cmd->opts       ? "Options"
           : t == out_opts      ? "Output"
           : t == failon_opts   ? "Exit status"
           : t == image_opts    ? "Image"
           : t == registry_opts ? "Registry and daemon"
                                : "General";
}

void cli_help(FILE *out, const cli_cmd *cmd)
{
    fprintf(out, "usage: drydock %s %s\n", cmd->name, cmd->synopsis);
    if (cmd->about) {
        fprintf(out, "\n%s", cmd->about);
    }
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    for (size_t i = 0; i < nt; i++) {
        if (!t[i][0].name) {
            continue;
        }
        const char *title = cli_opt_table_title(cmd, t[i]);
        fprintf(out, "\n%s:\n", title);
        for (const cli_opt *o = t[i]; o->name; o++) {
            print_opt(out, o, cli_formats(cmd));
        }
    }
    fprintf(out,
            "\nEvery option can also be set as DRYDOCK_<OPTION> (e.g. "
            "DRYDOCK_FAIL_ON=critical;\nflags: 1/true, lists: comma "
            "separated) or in the config file (drydock.yaml or\n--config "
            "FILE: \"option: value\" or \"option: [a, b]\", optionally "
            "under \"%.*s:\").\nPrecedence: flags > environment > config "
            "file > defaults.\n",
            (int)strcspn(cmd->name, " "), cmd->name);
}

/* one occurrence on the command line */
typedef struct occ {
    const cli_opt *o;
    const char *val;
} occ;

/* "fail-on" -> "DRYDOCK_FAIL_ON" */
static void env_name(const char *name, char *out, size_t n)
{
    int k = snprintf(out, n, "DRYDOCK_");
    for (const char *p = name; *p && (size_t)k + 1 < n; p++) {
        out[k++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    }
    out[k] = '\0';
}

static int truthy(const char *v, int *on)
{
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") ||
        !strcasecmp(v, "yes") || !strcasecmp(v, "on")) {
        *on = 1;
        return 0;
    }
    if (!*v || !strcasecmp(v, "0") || !strcasecmp(v, "false") ||
        !strcasecmp(v, "no") || !strcasecmp(v, "off")) {
        *on = 0;
        return 0;
    }
    return -1;
}

/* every command's option tables, to tell a key of another command from
 * a mistyped one in the config file */

static int key_known_anywhere(const char *key)
{
    for (size_t i = 0; cli_commands[i]; i++) {
        if (find_long(cli_commands[i], key, strlen(key))) {
            return 1;
        }
    }
    return 0;
}

static int section_known(const char *s, size_t n)
{
    static const char *const extra[] = {"image", "fs", "rootfs", "config",
                                        NULL};
    for (size_t i = 0; cli_commands[i]; i++) {
        const char *c = cli_commands[i]->name;
        if (strcspn(c, " ") == n && !strncmp(c, s, n)) {
            return 1;
        }
    }
    for (size_t i = 0; extra[i]; i++) {
        if (strlen(extra[i]) == n && !strncmp(extra[i], s, n)) {
            return 1;
        }
    }
    return 0;
}

/* unknown keys in the config file are errors (a mistyped key must not
 * pass silently); keys of other commands are fine */
static int
check_conf_keys(const cli_cmd *cmd, const cli_conf *cf, const char *path)
{
    for (size_t i = 0; i < cf->n; i++) {
        const char *key = cf->kv[i].key, *dot = strchr(key, '.');
        if (dot && !section_known(key, (size_t)(dot - key))) {
            fprintf(stderr,
                    "drydock %s: %s: line %zu: unknown command section "
                    "'%.*s'\n",
                    cmd->name, path, cf->kv[i].line, (int)(dot - key), key);
            return EXIT_USAGE;
        }
        const char *name = dot ? dot + 1 : key;
        if (!key_known_anywhere(name)) {
            const cli_opt *t[6];
            size_t nt = cli_opt_tables(cmd, t);
            const char *near = closest(t, nt, name);
            fprintf(stderr,
                    "drydock %s: %s: line %zu: unknown option '%s'%s%s%s\n",
                    cmd->name, path, cf->kv[i].line, cli_esc(name),
                    near ? " (did you mean '" : "", near ? near : "",
                    near ? "'?)" : "");
            return EXIT_USAGE;
        }
    }
    return 0;
}

typedef struct apply_ctx {
    const cli_cmd *cmd;
    cli_common *c;
    cli_opt_fn fn;
    void *ctx;
} apply_ctx;

static int
apply(const apply_ctx *a, const cli_opt *o, const char *label, const char *val)
{
    if (o->key >= CLI_K_COMMON) {
        return cli_common_set(a->c, a->cmd, o, label, val);
    }
    return a->fn ? a->fn(a->ctx, o->key, label, val) : 0;
}

/* an environment or config value: flags take a boolean, repeatable
 * options a comma-separated list */
static int apply_text(const apply_ctx *a,
                      const cli_opt *o,
                      const char *label,
                      const char *v)
{
    if (!o->arg) {
        int on;
        if (truthy(v, &on)) {
            fprintf(stderr,
                    "drydock %s: %s: '%s' is not a boolean (true/false)\n",
                    a->cmd->name, label, cli_esc(v));
            return EXIT_USAGE;
        }
        return on ? apply(a, o, label, NULL) : 0;
    }
    if (!(o->flags & CLI_REPEAT) || !strchr(v, ',')) {
        return apply(a, o, label, v);
    }
    char *copy = strdup(v);
    if (!copy) {
        return EXIT_UNREADABLE;
    }
    int rc = 0;
    for (char *p = copy; !rc && p;) {
        char *comma = strchr(p, ',');
        if (comma) {
            *comma = '\0';
        }
        if (*p) {
            rc = apply(a, o, label, p);
        }
        p = comma ? comma + 1 : NULL;
    }
    /* the values are kept by pointer: this copy lives until exit */
    return rc;
}

int cli_parse(const cli_cmd *cmd,
              cli_common *c,
              int argc,
              char **argv,
              cli_opt_fn fn,
              void *ctx,
              const char **pos,
              size_t *npos)
{
    *npos = 0;
    size_t cap = (size_t)argc + 1;
    for (int i = 1; i < argc; i++) {
        cap += strlen(argv[i]);
    }
    occ *oc = calloc(cap, sizeof *oc);
    if (!oc) {
        return EXIT_UNREADABLE;
    }
    size_t n = 0;
    const char *config = NULL;
    int rc = 0, opts_done = 0;
    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || !a[1] ||
            (cmd->dash_positional && a[1] != '-')) {
            if (*npos == CLI_MAX_POS - 1) {
                fprintf(stderr, "drydock %s: too many arguments\n", cmd->name);
                rc = EXIT_USAGE;
                break;
            }
            pos[(*npos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts_done = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const cli_opt *o = find_long(cmd, name, nl);
            if (!o) {
                unknown(cmd, a);
                rc = EXIT_USAGE;
                break;
            }
            const char *val = NULL;
            if (o->arg) {
                if (eq) {
                    val = eq + 1;
                } else if (i + 1 < argc) {
                    val = argv[++i];
                } else {
                    fprintf(stderr, "drydock %s: --%s needs a value (%s)\n",
                            cmd->name, o->name, o->arg);
                    rc = EXIT_USAGE;
                    break;
                }
            } else if (eq) {
                fprintf(stderr, "drydock %s: --%s takes no value\n", cmd->name,
                        o->name);
                rc = EXIT_USAGE;
                break;
            }
            oc[n++] = (occ){o, val};
            continue;
        }
        /* a cluster of short flags: -ql, -fjson, -f json */
        for (const char *p = a + 1; *p; p++) {
            const cli_opt *o = find_short(cmd, *p);
            if (!o) {
                char one[3] = {'-', *p, 0};
                unknown(cmd, one);
                rc = EXIT_USAGE;
                break;
            }
            if (!o->arg) {
                oc[n++] = (occ){o, NULL};
                continue;
            }
            const char *val = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val) {
                fprintf(stderr, "drydock %s: -%c needs a value (%s)\n",
                        cmd->name, *p, o->arg);
                rc = EXIT_USAGE;
                break;
            }
            oc[n++] = (occ){o, val};
            break;
        }
    }
    for (size_t k = 0; !rc && k < n; k++) {
        if (oc[k].o->key == CLI_K_HELP) {
            cli_help(stdout, cmd);
            free(oc);
            return -1;
        }
        if (oc[k].o->key == CLI_K_CONFIG) {
            config = oc[k].val;
        }
    }
    if (rc) {
        free(oc);
        return rc;
    }
    /* the config file: --config, DRYDOCK_CONFIG, or ./drydock.yaml */
    int explicit_conf = config != NULL;
    if (!config && getenv("DRYDOCK_CONFIG") && *getenv("DRYDOCK_CONFIG")) {
        config = getenv("DRYDOCK_CONFIG");
        explicit_conf = 1;
    }
    if (!config && access("drydock.yaml", F_OK) == 0) {
        config = "drydock.yaml";
    }
    static cli_conf cf; /* values are kept by pointer until exit */
    cli_conf_free(&cf);
    if (config) {
        char err[512];
        if (cli_conf_load(&cf, config, err, sizeof err)) {
            fprintf(stderr, "drydock %s: %s\n", cmd->name, err);
            free(oc);
            return EXIT_USAGE;
        }
        if ((rc = check_conf_keys(cmd, &cf, config))) {
            free(oc);
            return rc;
        }
    }
    (void)explicit_conf;
    char section[64];
    snprintf(section, sizeof section, "%.*s", (int)strcspn(cmd->name, " "),
             cmd->name);
    apply_ctx ac = {cmd, c, fn, ctx};
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    for (size_t ti = 0; !rc && ti < nt; ti++) {
        for (const cli_opt *o = t[ti]; !rc && o->name; o++) {
            char label[128];
            int given = 0;
            for (size_t k = 0; !rc && k < n; k++) {
                if (oc[k].o == o) {
                    snprintf(label, sizeof label, "--%s", o->name);
                    rc = apply(&ac, o, label, oc[k].val);
                    given = 1;
                }
            }
            if (given || (o->flags & CLI_NOENV)) {
                continue;
            }
            char env[96];
            env_name(o->name, env, sizeof env);
            const char *ev = getenv(env);
            if (ev) {
                rc = apply_text(&ac, o, env, ev);
                continue;
            }
            /* config: the command's section first, then the top level;
             * under the long name or an alias */
            const cli_kv *kv = cli_conf_get(&cf, section, o->name);
            if (!kv) {
                kv = cli_conf_get(&cf, NULL, o->name);
            }
            for (const char *p = o->aliases; !kv && p && *p;) {
                char al[64];
                size_t k = strcspn(p, ",");
                snprintf(al, sizeof al, "%.*s", (int)(k < 63 ? k : 63), p);
                kv = cli_conf_get(&cf, section, al);
                kv = kv ? kv : cli_conf_get(&cf, NULL, al);
                p += k + (p[k] == ',');
            }
            if (!kv) {
                continue;
            }
            snprintf(label, sizeof label, "%s: %s", config, kv->key);
            if (kv->n > 1 && !(o->flags & CLI_REPEAT) && o->arg) {
                /* a list for a comma-list option: joined */
                size_t total = 1;
                for (size_t k = 0; k < kv->n; k++) {
                    total += strlen(kv->vals[k]) + 1;
                }
                char *j = calloc(1, total);
                if (!j) {
                    rc = EXIT_UNREADABLE;
                    break;
                }
                size_t at = 0;
                for (size_t k = 0; k < kv->n; k++) {
                    size_t l = strlen(kv->vals[k]);
                    if (k) {
                        j[at++] = ',';
                    }
                    memcpy(j + at, kv->vals[k], l);
                    at += l;
                }
                rc = apply(&ac, o, label, j); /* kept until exit */
                continue;
            }
            for (size_t k = 0; !rc && k < kv->n; k++) {
                rc = apply_text(&ac, o, label, kv->vals[k]);
            }
        }
    }
    free(oc);
    if (!rc && c && c->input) {
        if (*npos && cmd->groups & CLI_G_IMAGE) {
            fprintf(stderr, "drydock %s: both --input and an IMAGE argument\n",
                    cmd->name);
            return EXIT_USAGE;
        }
        pos[(*npos)++] = c->input;
    }
    return rc;
}
