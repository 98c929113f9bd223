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

int cli_common_opt(cli_common *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *val = NULL;
    static const char *const with_arg[] = {"--format",
                                           "--platform",
                                           "--tag",
                                           "--fail-on",
                                           "--threads",
                                           "--max-layer-bytes",
                                           "--max-file-size",
                                           "--max-entries",
                                           "--max-ratio",
                                           "--max-path-len",
                                           "--username",
                                           "--ca-file",
                                           "--auth-file",
                                           "--certs-dir",
                                           "--insecure-registry",
                                           "--docker-host",
                                           NULL};
    char name[64];
    const char *eq = strchr(a, '=');
    if (eq && eq - a < (long)sizeof name) {
        memcpy(name, a, (size_t)(eq - a));
        name[eq - a] = '\0';
        val = eq + 1;
    } else {
        snprintf(name, sizeof name, "%s", a);
    }
    int takes = 0;
    for (int k = 0; with_arg[k]; k++) {
        if (strcmp(name, with_arg[k]) == 0) {
            takes = 1;
        }
    }
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        c->quiet = 1;
        return 1;
    }
    if (strcmp(a, "--password-stdin") == 0) {
        /* one line from stdin, never from the command line (ps, history) */
        if (!fgets(c->password, sizeof c->password, stdin)) {
            fprintf(stderr, "drydock: --password-stdin: nothing on stdin\n");
            return -1;
        }
        c->password[strcspn(c->password, "\r\n")] = 0;
        c->registry.password = c->password;
        return 1;
    }
    if (!takes) {
        return 0;
    }
    if (!val) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "drydock: %s needs a value\n", name);
            return -1;
        }
        val = argv[++*i];
    }
    uint64_t v = 0;
    if (strcmp(name, "--format") == 0) {
        if (strcmp(val, "table") && strcmp(val, "json")) {
            fprintf(stderr, "drydock: --format must be table or json\n");
            return -1;
        }
        c->format = val;
    } else if (strcmp(name, "--platform") == 0) {
        c->platform = val;
    } else if (strcmp(name, "--tag") == 0) {
        c->tag = val;
    } else if (strcmp(name, "--username") == 0) {
        c->registry.username = val;
    } else if (strcmp(name, "--ca-file") == 0) {
        c->registry.ca_file = val;
    } else if (strcmp(name, "--auth-file") == 0) {
        c->registry.auth_file = val;
    } else if (strcmp(name, "--certs-dir") == 0) {
        c->registry.certs_dir = val;
    } else if (strcmp(name, "--docker-host") == 0) {
        c->registry.daemon_socket = val;
    } else if (strcmp(name, "--insecure-registry") == 0) {
        if (c->registry.n_insecure == 16) {
            fprintf(stderr, "drydock: too many --insecure-registry\n");
            return -1;
        }
        c->insecure[c->registry.n_insecure++] = val;
        c->registry.insecure = c->insecure;
    } else if (strcmp(name, "--fail-on") == 0) {
        int s = cli_parse_severity(val);
        if (s < 0) {
            fprintf(stderr, "drydock: --fail-on takes none, info, low, "
                            "medium, high or critical\n");
            return -1;
        }
        c->fail_on = s;
    } else {
        if (parse_size(val, &v) != 0 || v == 0) {
            fprintf(stderr, "drydock: %s needs a positive number, not '%s'\n",
                    name, val);
            return -1;
        }
        if (strcmp(name, "--threads") == 0) {
            c->threads = v > 256 ? 256 : (unsigned)v;
        } else if (strcmp(name, "--max-layer-bytes") == 0) {
            c->limits.max_layer_bytes = v;
        } else if (strcmp(name, "--max-file-size") == 0) {
            c->limits.max_file_size = v;
        } else if (strcmp(name, "--max-entries") == 0) {
            c->limits.max_entries = v;
        } else if (strcmp(name, "--max-ratio") == 0) {
            c->limits.max_ratio = v;
        } else if (strcmp(name, "--max-path-len") == 0) {
            c->limits.max_path_len = v;
        }
    }
    return 1;
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

/* Open the image named on the command line; one error line on failure. */
static int open_image(const cli_common *c, dd_image **img)
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
    *bar = !c->quiet && isatty(2);
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
    int rc = open_image(c, img);
    if (rc) {
        return rc;
    }
    dd_error err;
    int bar;
    so->walk = walk_opts(c, so->walk.hash_files, &bar);
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
    int rc = open_image(c, img);
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
    if (w && !dd_walk_complete(w)) {
        return EXIT_PARTIAL;
    }
    if (c->fail_on == DD_SEV_UNKNOWN) {
        return EXIT_CLEAN;
    }
    dd_severity m =
        img ? dd_findings_max_severity(dd_image_findings(img)) : DD_SEV_UNKNOWN;
    if (w) {
        dd_severity m2 = dd_findings_max_severity(dd_walk_findings(w));
        m = m2 > m ? m2 : m;
    }
    return (int)m >= c->fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
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
    static const char types[] = "-dlhcbpww";
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
