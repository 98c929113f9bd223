/*
 * cli/cmd_ls.c - `drydock ls IMAGE [PATH]`: the merged filesystem, one
 * layer's raw entries, or what later layers deleted.
 */
#include <string.h>

#include <jansson.h>

#include "cli.h"

json_t *
cli_findings_json(const dd_findings *fl, const dd_image *img, json_t *arr);

enum { K_LONG = 1, K_LAYERS, K_DELETED, K_ALL };
static const cli_opt ls_opts[] = {
    {"long", 'l', NULL, K_LONG, 0, NULL,
     "mode, owner, size, layer (and sha256 with --all-content)"},
    {"layers", 0, NULL, K_LAYERS, 0, NULL,
     "every layer's raw entries, in archive order"},
    {"deleted", 0, NULL, K_DELETED, 0, NULL,
     "entries deleted (or replaced) by a later layer; their bytes still "
     "ship in the image"},
    {"all-content", 0, NULL, K_ALL, 0, NULL,
     "read and sha256 every file's content"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_ls = {
    "ls",
    "IMAGE [PATH] [options]",
    "List the image's merged filesystem (whiteouts applied), optionally\n"
    "only PATH and what is below it. Findings go to stderr; the exit\n"
    "status is 0 unless the image could not be read (3) or was read only\n"
    "in part (4).\n",
    ls_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json",
    0};

typedef struct ls_flags {
    int lng, layers, deleted, all;
} ls_flags;

static int ls_opt(void *ctx, int key, const char *label, const char *val)
{
    (void)label;
    (void)val;
    ls_flags *f = ctx;
    switch (key) {
    case K_LONG:
        f->lng = 1;
        break;
    case K_LAYERS:
        f->layers = 1;
        break;
    case K_DELETED:
        f->deleted = 1;
        break;
    default:
        f->all = 1;
        break;
    }
    return 0;
}

static int under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0) {
        return 1;
    }
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static const char *type_name(dd_entry_type t)
{
    static const char *const n[] = {
        "file",  "dir",  "symlink",  "hardlink",        "char",
        "block", "fifo", "whiteout", "opaque-whiteout", "socket"};
    return (unsigned)t < 10 ? n[t] : "?";
}

static void line(const dd_fs_node *n, int lng, int show_deleted)
{
    if (lng) {
        char m[11];
        cli_mode_string(n, m);
        printf("%s %5llu/%-5llu %12llu L%-2d ", m, (unsigned long long)n->uid,
               (unsigned long long)n->gid, (unsigned long long)n->size,
               n->layer);
        if (n->sha256) {
            printf("%s ", n->sha256);
        }
    }
    if (show_deleted) {
        printf("[deleted in L%d] ", n->deleted_in);
    }
    if (n->type == DD_ENTRY_WHITEOUT) {
        printf("(whiteout) ");
    } else if (n->type == DD_ENTRY_OPAQUE_WHITEOUT) {
        printf("(opaque whiteout) ");
    }
    printf("/%s", cli_esc(n->path));
    if (n->type == DD_ENTRY_DIR && n->path[0]) {
        printf("/");
    }
    if (lng && n->linkname) {
        printf(" %s %s", n->type == DD_ENTRY_HARDLINK ? "link to" : "->",
               cli_esc(n->linkname));
    }
    printf("\n");
}

static json_t *node_json(const dd_fs_node *n)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", cli_json_text(n->path));
    cli_json_bytes(o, "path", n->path);
    json_object_set_new(o, "type", json_string(type_name(n->type)));
    json_object_set_new(o, "mode", json_integer(n->mode));
    json_object_set_new(o, "uid", json_integer((json_int_t)n->uid));
    json_object_set_new(o, "gid", json_integer((json_int_t)n->gid));
    json_object_set_new(o, "size", json_integer((json_int_t)n->size));
    json_object_set_new(o, "layer", json_integer(n->layer));
    if (n->linkname) {
        json_object_set_new(o, "link", cli_json_text(n->linkname));
        cli_json_bytes(o, "link", n->linkname);
    }
    if (n->sha256) {
        json_object_set_new(o, "sha256", json_string(n->sha256));
    }
    if (n->deleted_in >= 0) {
        json_object_set_new(o, "deleted_in_layer", json_integer(n->deleted_in));
    }
    return o;
}

/* One entry to the JSON array `out`, or a text line when out is NULL. */
static void emit(const dd_fs_node *n,
                 const char *prefix,
                 json_t *out,
                 int lng,
                 int show_deleted)
{
    if (!under(n->path, prefix)) {
        return;
    }
    if (out) {
        json_array_append_new(out, node_json(n));
    } else {
        line(n, lng, show_deleted);
    }
}

int cmd_ls(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    ls_flags fl = {0, 0, 0, 0};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_ls, &c, argc, argv, ls_opt, &fl, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_ls, pos, np, 1, 2, "IMAGE")) ||
        (rc = cli_redirect_output(&c))) {
        return rc;
    }
    c.image = pos[0];
    const char *prefix = np > 1 ? pos[1] : NULL;
    int lng = fl.lng, layers = fl.layers, deleted = fl.deleted, all = fl.all;
    while (prefix && *prefix == '/') {
        prefix++;
    }
    char pbuf[4096];
    snprintf(pbuf, sizeof pbuf, "%s", prefix ? prefix : "");
    size_t pl = strlen(pbuf);
    while (pl && pbuf[pl - 1] == '/') {
        pbuf[--pl] = '\0';
    }
    dd_image *img = NULL;
    dd_walk *w = NULL;
    rc = cli_open_walk(&c, all, &img, &w);
    if (rc) {
        return rc;
    }
    int json = strcmp(c.format, "json") == 0;
    json_t *out = json ? json_array() : NULL;
    if (layers) {
        const dd_image_info *in = dd_image_info_get(img);
        for (size_t l = 0; l < in->n_layers; l++) {
            if (!json) {
                printf("# layer %zu %s\n", l,
                       in->layers[l].digest ? in->layers[l].digest : "");
            }
            for (size_t i = 0; i < dd_walk_layer_entry_count(w, l); i++) {
                emit(dd_walk_layer_entry(w, l, i), pbuf, out, lng, 0);
            }
        }
    } else if (deleted) {
        for (size_t i = 0; i < dd_walk_deleted_count(w); i++) {
            emit(dd_walk_deleted(w, i), pbuf, out, lng, 1);
        }
    } else {
        for (size_t i = 0; i < dd_walk_file_count(w); i++) {
            emit(dd_walk_file(w, i), pbuf, out, lng, 0);
        }
    }
    if (json) {
        json_t *doc = json_object();
        json_object_set_new(doc, "entries", out);
        json_t *f = json_array();
        cli_findings_json(dd_image_findings(img), img, f);
        cli_findings_json(dd_walk_findings(w), img, f);
        json_object_set_new(doc, "findings", f);
        json_object_set_new(doc, "complete", json_boolean(dd_walk_complete(w)));
        json_dumpf(doc, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(doc);
    }
    if (!c.quiet || !json) {
        cli_print_findings(stderr, dd_image_findings(img));
        cli_print_findings(stderr, dd_walk_findings(w));
    }
    rc = cli_exit_code(&c, img, w);
    dd_walk_free(w);
    dd_image_free(img);
    return rc;
}
