/*
 * cli/common.c - options, progress bar, error and finding lines shared by
 * the image commands.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    c->format = "table";
    c->fail_on = DD_SEV_HIGH;
}

int cli_parse_severity_list(const char *cmd,
                            const char *label,
                            const char *v,
                            unsigned *out)
{
    *out = 0;
    for (const char *p = v; *p;) {
        size_t k = strcspn(p, ",");
        char t[32];
        snprintf(t, sizeof t, "%.*s", (int)(k < 31 ? k : 31), p);
        int s = dd_severity_parse(t);
        if (s < 0) {
            fprintf(stderr,
                    "drydock %s: %s: unknown severity '%s' (UNKNOWN, INFO, "
                    "LOW, MEDIUM, HIGH, CRITICAL)\n",
                    cmd, label, cli_esc(t));
            return EXIT_USAGE;
        }
        *out |= 1u << s;
        p += k + (p[k] == ',');
    }
    return 0;
}

int cli_parse_severity(const char *s)
{
    /* "none" (never fail) takes the place of UNKNOWN */
    if (strcasecmp(s, "none") == 0) {
        return 0;
    }
    int v = dd_severity_parse(s);
    return v > 0 ? v : -1;
}

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s) {
        return -1;
    }
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K') {
        mul = 1ULL << 10;
    } else if (*end == 'm' || *end == 'M') {
        mul = 1ULL << 20;
    } else if (*end == 'g' || *end == 'G') {
        mul = 1ULL << 30;
    } else if (*end) {
        return -1;
    }
    if (*end && end[1] && strcasecmp(end + 1, "iB") != 0 &&
        strcasecmp(end + 1, "B") != 0) {
        return -1;
    }
    if (v > UINT64_MAX / mul) {
        return -1;
    }
    *out = v * mul;
    return 0;
}

const char *cli_formats(const cli_cmd *cmd)
{
    /* NULL: the report formats the library renders (scan) */
    static char lib[256];
    if (cmd->formats) {
        return cmd->formats;
    }
    if (!lib[0]) {
        size_t at = 0;
        for (size_t k = 0; dd_report_format_name(k) && at < sizeof lib; k++) {
            at += (size_t)snprintf(lib + at, sizeof lib - at, "%s%s",
                                   k ? "," : "", dd_report_format_name(k));
        }
    }
    return lib;
}

int cli_common_set(cli_common *c,
                   const cli_cmd *cmd,
                   const cli_opt *o,
                   const char *label,
                   const char *val)
{
    const char *who = cmd->name;
    uint64_t v = 0;
    switch (o->key) {
    case CLI_K_CONFIG:
    case CLI_K_HELP:
        return 0; /* cli_parse's */
    case CLI_K_FORMAT: {
        const char *fl = cli_formats(cmd);
        if (!strcmp(val, "spdx-json")) {
            val = "spdx"; /* Trivy's name */
        }
        size_t n = strlen(val);
        int ok = 0;
        for (const char *p = fl; *p;) {
            size_t k = strcspn(p, ",");
            ok |= k == n && !strncmp(p, val, n);
            p += k + (p[k] == ',');
        }
        if (!ok) {
            fprintf(stderr, "drydock %s: %s must be one of %s, not '%s'\n", who,
                    label, fl, cli_esc(val));
            return EXIT_USAGE;
        }
        c->format = val;
        return 0;
    }
    case CLI_K_OUTPUT:
        c->output = val;
        return 0;
    case CLI_K_QUIET:
        c->quiet = 1;
        return 0;
    case CLI_K_NO_PROGRESS:
        c->no_progress = 1;
        return 0;
    case CLI_K_INPUT:
        c->input = val;
        return 0;
    case CLI_K_CACHE_DIR:
        c->cache_dir = val;
        return 0;
    case CLI_K_PASSWORD_STDIN:
        /* one line from stdin, never from the command line (ps, history) */
        if (!fgets(c->password, sizeof c->password, stdin)) {
            fprintf(stderr, "drydock %s: --password-stdin: nothing on stdin\n",
                    who);
            return EXIT_USAGE;
        }
        c->password[strcspn(c->password, "\r\n")] = 0;
        c->registry.password = c->password;
        return 0;
    case CLI_K_PLATFORM:
        c->platform = val;
        return 0;
    case CLI_K_TAG:
        c->tag = val;
        return 0;
    case CLI_K_USERNAME:
        c->registry.username = val;
        return 0;
    case CLI_K_CA_FILE:
        c->registry.ca_file = val;
        return 0;
    case CLI_K_AUTH_FILE:
        c->registry.auth_file = val;
        return 0;
    case CLI_K_CERTS_DIR:
        c->registry.certs_dir = val;
        return 0;
    case CLI_K_DOCKER_HOST:
        c->registry.daemon_socket = val;
        return 0;
    case CLI_K_INSECURE:
        if (c->registry.n_insecure == 16) {
            fprintf(stderr, "drydock %s: too many %s\n", who, label);
            return EXIT_USAGE;
        }
        c->insecure[c->registry.n_insecure++] = val;
        c->registry.insecure = c->insecure;
        return 0;
    case CLI_K_TOKEN_HOST:
        if (c->registry.n_token_hosts == 16) {
            fprintf(stderr, "drydock %s: too many %s\n", who, label);
            return EXIT_USAGE;
        }
        c->token_hosts[c->registry.n_token_hosts++] = val;
        c->registry.token_hosts = c->token_hosts;
        return 0;
    case CLI_K_FAIL_ON: {
        int s = cli_parse_severity(val);
        if (s < 0 || s == DD_SEV_INFO) {
            fprintf(stderr,
                    "drydock %s: %s takes none, low, medium, high or "
                    "critical, not '%s' (INFO never fails)\n",
                    who, label, cli_esc(val));
            return EXIT_USAGE;
        }
        c->fail_on = s;
        c->fail_on_set = 1;
        return 0;
    }
    default:
        break;
    }
    if (parse_size(val, &v) != 0 || v == 0) {
        fprintf(stderr, "drydock %s: %s needs a positive number, not '%s'\n",
                who, label, cli_esc(val));
        return EXIT_USAGE;
    }
    switch (o->key) {
    case CLI_K_THREADS:
        c->threads = v > 256 ? 256 : (unsigned)v;
        break;
    case CLI_K_MAX_LAYER:
        c->limits.max_layer_bytes = v;
        break;
    case CLI_K_MAX_FILE:
        c->limits.max_file_size = v;
        break;
    case CLI_K_MAX_ENTRIES:
        c->limits.max_entries = v;
        break;
    case CLI_K_MAX_RATIO:
        c->limits.max_ratio = v;
        break;
    case CLI_K_MAX_PATH:
        c->limits.max_path_len = v;
        break;
    default:
        break;
    }
    return 0;
}

int cli_redirect_output(const cli_common *c)
{
    if (c->output && !freopen(c->output, "w", stdout)) {
        perror(c->output);
        return EXIT_USAGE;
    }
    return 0;
}

const char *cli_human(unsigned long long b, char *buf, size_t n)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int k = 0;
    while (v >= 1024 && k < 4) {
        v /= 1024;
        k++;
    }
    if (k == 0) {
        snprintf(buf, n, "%llu B", b);
    } else {
        snprintf(buf, n, "%.1f %s", v, u[k]);
    }
    return buf;
}

static void progress(uint64_t done, uint64_t total, void *payload)
{
    (void)payload;
    char a[32], b[32];
    int width = 30;
    int fill = total ? (int)((double)done / (double)total * width) : width;
    if (fill > width) {
        fill = width;
    }
    fprintf(stderr, "\r[%.*s%*s] %3d%% %s / %s", fill,
            "##############################", width - fill, "",
            total ? (int)(done * 100 / total) : 100,
            cli_human(done, a, sizeof a), cli_human(total, b, sizeof b));
    fflush(stderr);
}

int cli_open_image(const cli_common *c, dd_image **img)
{
    dd_error err;
    dd_image_opts io = DD_IMAGE_OPTS_INIT;
    io.platform = c->platform;
    io.tag = c->tag;
    io.registry = &c->registry;
    if (c->registry.password && !c->registry.username) {
        fprintf(stderr, "drydock: --password-stdin needs --username\n");
        return EXIT_USAGE;
    }
    int rc = dd_image_open(img, c->image, &io, &err);
    if (rc) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return rc == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
    }
    return 0;
}

static dd_walk_opts walk_opts(const cli_common *c, int hash_files, int *bar)
{
    dd_walk_opts wo = DD_WALK_OPTS_INIT;
    wo.limits = c->limits;
    wo.threads = c->threads;
    wo.hash_files = hash_files;
    *bar = !c->quiet && !c->no_progress && isatty(2);
    if (*bar) {
        wo.progress = progress;
    }
    return wo;
}

/* After a walk or scan: clear the bar, report a failure. */
static int walk_done(int rc, int bar, const dd_error *err, dd_image **img)
{
    if (bar) {
        fprintf(stderr, "\r\033[K");
    }
    if (rc) {
        fprintf(stderr, "drydock: %s\n", err->message);
        dd_image_free(*img);
        *img = NULL;
        return EXIT_UNREADABLE;
    }
    return 0;
}

int cli_make_engine(const cli_common *c,
                    const char *db_path,
                    int no_malware,
                    dd_engine **out)
{
    dd_engine_opts eo = DD_ENGINE_OPTS_INIT;
    eo.db_path = db_path;
    eo.secret_config = c->secret_config;
    eo.malware = c->malware;
    eo.checks_config = c->checks_config;
    eo.license_config = c->license_config;
    eo.license_ignored = c->license_ignored[0] ? c->license_ignored : NULL;
    eo.no_malware = no_malware;
    eo.db_max_age = c->db_max_age;
    dd_error err;
    int rc = dd_engine_new(out, &eo, &err);
    if (rc) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    return 0;
}

int cli_open_scan(const cli_common *c,
                  dd_engine *eng,
                  dd_scan_opts *so,
                  dd_image **img,
                  dd_scan **scan)
{
    int rc = *img ? 0 : cli_open_image(c, img);
    if (rc) {
        return rc;
    }
    dd_error err;
    int bar;
    const char *const *sd = so->walk.skip_dirs, *const *sf =
                                                    so->walk.skip_files;
    so->walk = walk_opts(c, so->walk.hash_files, &bar);
    so->walk.skip_dirs = sd;
    so->walk.skip_files = sf;
    rc = dd_scan_run(scan, eng, *img, so, &err);
    if (rc == DD_EINVALID) {
        if (bar) {
            fprintf(stderr, "\r\033[K");
        }
        fprintf(stderr, "drydock: %s\n", err.message);
        dd_image_free(*img);
        *img = NULL;
        return EXIT_USAGE;
    }
    return walk_done(rc, bar, &err, img);
}

const char *cli_cache_dir(char *buf, size_t n)
{
    const char *x = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int k;
    if (x && *x == '/') {
        (void)mkdir(x, 0700);
        k = snprintf(buf, n, "%s/drydock", x);
    } else if (home && *home == '/') {
        k = snprintf(buf, n, "%s/.cache", home);
        if (k > 0 && (size_t)k < n) {
            (void)mkdir(buf, 0700);
        }
        k = snprintf(buf, n, "%s/.cache/drydock", home);
    } else {
        return NULL;
    }
    if (k <= 0 || (size_t)k >= n) {
        return NULL;
    }
    (void)mkdir(buf, 0700);
    return buf;
}

int cli_open_walk(const cli_common *c,
                  int hash_files,
                  dd_image **img,
                  dd_walk **walk)
{
    int rc = cli_open_image(c, img);
    if (rc) {
        return rc;
    }
    dd_error err;
    int bar;
    dd_walk_opts wo = walk_opts(c, hash_files, &bar);
    return walk_done(dd_walk_run(walk, *img, &wo, &err), bar, &err, img);
}

int cli_exit_code(const cli_common *c, const dd_image *img, const dd_walk *w)
{
    /* findings are shown, never an exit status: only what could not be
     * read counts (README "Exit codes") */
    (void)c;
    (void)img;
    return w && !dd_walk_complete(w) ? EXIT_PARTIAL : EXIT_CLEAN;
}

int cli_args(const cli_cmd *cmd,
             const char *const *pos,
             size_t np,
             size_t min,
             size_t max,
             const char *what)
{
    if (np < min) {
        fprintf(stderr, "drydock %s: %s missing; see 'drydock %s --help'\n",
                cmd->name, what, cmd->name);
        return EXIT_USAGE;
    }
    if (np > max) {
        fprintf(stderr,
                "drydock %s: unexpected argument '%s'; see 'drydock %s "
                "--help'\n",
                cmd->name, cli_esc(pos[max]), cmd->name);
        return EXIT_USAGE;
    }
    return 0;
}

const char *cli_esc(const char *s)
{
    /* a ring, so one printf can show several escaped strings */
    static char *ring[8];
    static size_t cap[8];
    static unsigned next;
    if (!s) {
        return "";
    }
    unsigned k = next++ % 8;
    size_t len = strlen(s);
    size_t need = dd_text_escape(NULL, 0, s, len, DD_ESCAPE_TERMINAL) + 1;
    if (need > cap[k]) {
        char *nb = realloc(ring[k], need);
        if (!nb) {
            return "?";
        }
        ring[k] = nb;
        cap[k] = need;
    }
    dd_text_escape(ring[k], need, s, len, DD_ESCAPE_TERMINAL);
    return ring[k];
}

json_t *cli_json_text(const char *s)
{
    if (!s) {
        return json_null();
    }
    json_t *j = json_string(s);
    if (j) {
        return j;
    }
    size_t len = strlen(s);
    size_t need = dd_text_escape(NULL, 0, s, len, DD_ESCAPE_LOSSLESS) + 1;
    char *e = malloc(need);
    if (e) {
        dd_text_escape(e, need, s, len, DD_ESCAPE_LOSSLESS);
        j = json_string(e);
        free(e);
    }
    return j ? j : json_null();
}

void cli_json_bytes(json_t *o, const char *key, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (!s || dd_text_is_utf8(s, len)) {
        return;
    }
    size_t need = dd_text_base64(NULL, 0, s, len) + 1;
    char *b = malloc(need), k[64];
    if (b) {
        dd_text_base64(b, need, s, len);
        snprintf(k, sizeof k, "%s_bytes", key);
        json_object_set_new(o, k, json_string(b));
        free(b);
    }
}

void cli_print_findings(FILE *out, const dd_findings *fl)
{
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        fprintf(out, "%s %s", dd_severity_name(f->severity), f->rule_id);
        if (f->layer >= 0) {
            fprintf(out, " layer %d", f->layer);
        }
        if (f->layer_digest) {
            fprintf(out, " (%.19s)", f->layer_digest);
        }
        if (f->has_offset) {
            fprintf(out, " offset %llu", (unsigned long long)f->offset);
        }
        if (f->path) {
            fprintf(out, " /%s",
                    cli_esc(f->path[0] == '/' ? f->path + 1 : f->path));
        }
        if (f->deleted_in >= 0) {
            fprintf(out, " [deleted in layer %d]", f->deleted_in);
        }
        fprintf(out, ": %s\n", cli_esc(f->title));
    }
}

void cli_mode_string(const dd_fs_node *n, char out[11])
{
    static const char types[] = "-dlhcbpwws";
    out[0] = types[n->type];
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
        out[1 + i] = (n->mode & (1u << (8 - i))) ? rwx[i] : '-';
    }
    if (n->mode & 04000) {
        out[3] = (n->mode & 0100) ? 's' : 'S';
    }
    if (n->mode & 02000) {
        out[6] = (n->mode & 0010) ? 's' : 'S';
    }
    if (n->mode & 01000) {
        out[9] = (n->mode & 0001) ? 't' : 'T';
    }
    out[10] = '\0';
}

int cli_file_write(void *f, const void *buf, size_t len)
{
    return fwrite(buf, 1, len, f) == len ? 0 : -1;
}
