/*
 * cli/cmd_inspect.c - `drydock inspect IMAGE`: metadata, history mapped to
 * layers, per-layer digests/sizes/file counts, integrity and archive
 * findings.
 */
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const cli_opt inspect_opts[] = {{NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_inspect = {
    "inspect",
    "IMAGE [options]",
    "Show an image's digest, platform, user, env, cmd/entrypoint, exposed\n"
    "ports, labels, history mapped to layers, and each layer's digest,\n"
    "compression, sizes and entry count. Every layer is read once and\n"
    "verified (blob digest, diff_id); problems are listed as findings.\n"
    "Exit 0 unless the image could not be read (3) or was read only in\n"
    "part (4).\n"
    "\n"
    "IMAGE: a docker save tar, an OCI layout directory or tar;\n"
    "       docker-archive:PATH[:TAG] or oci:PATH[:TAG] force the kind;\n"
    "       HOST/REPO:TAG, HOST/REPO@sha256:..., docker://REF: a registry;\n"
    "       docker:NAME: a Docker-compatible daemon (dockerd, podman);\n"
    "       rootfs:DIR, fs:PATH: a tree on this machine as one layer;\n"
    "       sbom:FILE: a CycloneDX or SPDX JSON package list, no layers.\n",
    inspect_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json",
    0};

static json_t *jstr_or_null(const char *s)
{
    return cli_json_text(s);
}

static json_t *str_list(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(a, cli_json_text(v[i]));
    }
    return a;
}

/* the library's finding writer (dd_findings_render, the objects of
 * drydock-scan/1) for `fl`, appended to `arr` */
json_t *
cli_findings_json(const dd_findings *fl, const dd_image *img, json_t *arr);
json_t *
cli_findings_json(const dd_findings *fl, const dd_image *img, json_t *arr)
{
    char *t = NULL;
    dd_error err;
    if (dd_findings_render(&t, NULL, fl, img, "json", &err)) {
        fprintf(stderr, "drydock: %s\n", err.message);
        return arr;
    }
    /* the library's own document; duplicates would be its bug */
    json_error_t je;
    json_t *a = json_loads(t, JSON_REJECT_DUPLICATES, &je);
    dd_string_free(t);
    if (!a) {
        fprintf(stderr, "drydock: findings JSON: line %d: %s\n", je.line,
                je.text);
    }
    if (a) {
        json_array_extend(arr, a);
        json_decref(a);
    }
    return arr;
}

static void print_json(const dd_image *img, const dd_walk *w)
{
    const dd_image_info *in = dd_image_info_get(img);
    json_t *o = json_object();
    json_object_set_new(o, "source",
                        json_string(dd_source_kind_name(in->source)));
    json_object_set_new(o, "path", cli_json_text(in->path));
    json_object_set_new(o, "name", jstr_or_null(in->name));
    json_object_set_new(o, "manifest_digest",
                        jstr_or_null(in->manifest_digest));
    json_object_set_new(o, "config_digest", jstr_or_null(in->config_digest));
    json_t *pf = json_object();
    json_object_set_new(pf, "os", jstr_or_null(in->os));
    json_object_set_new(pf, "architecture", jstr_or_null(in->architecture));
    json_object_set_new(pf, "variant", jstr_or_null(in->variant));
    json_object_set_new(o, "platform", pf);
    json_object_set_new(o, "created", jstr_or_null(in->created));
    json_object_set_new(o, "author", jstr_or_null(in->author));
    json_object_set_new(o, "user", jstr_or_null(in->user));
    json_object_set_new(o, "workdir", jstr_or_null(in->workdir));
    json_object_set_new(o, "env", str_list(in->env, in->n_env));
    json_object_set_new(o, "cmd", str_list(in->cmd, in->n_cmd));
    json_object_set_new(o, "entrypoint",
                        str_list(in->entrypoint, in->n_entrypoint));
    json_object_set_new(o, "exposed_ports",
                        str_list(in->exposed_ports, in->n_exposed_ports));
    json_t *labels = json_object();
    for (size_t i = 0; i < in->n_labels; i++) {
        json_t *k = cli_json_text(in->labels[i].key);
        json_object_set_new(labels,
                            json_is_string(k) ? json_string_value(k) : "",
                            cli_json_text(in->labels[i].value));
        json_decref(k);
    }
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "healthcheck", jstr_or_null(in->healthcheck));
    json_object_set_new(o, "repo_tags",
                        str_list(in->repo_tags, in->n_repo_tags));
    json_t *hist = json_array();
    for (size_t i = 0; i < in->n_history; i++) {
        const dd_history_step *h = &in->history[i];
        json_t *e = json_object();
        json_object_set_new(e, "created", jstr_or_null(h->created));
        json_object_set_new(e, "created_by", jstr_or_null(h->created_by));
        json_object_set_new(e, "comment", jstr_or_null(h->comment));
        json_object_set_new(e, "empty_layer", json_boolean(h->empty_layer));
        json_object_set_new(
            e, "layer", h->layer >= 0 ? json_integer(h->layer) : json_null());
        json_array_append_new(hist, e);
    }
    json_object_set_new(o, "history", hist);
    json_t *layers = json_array();
    for (size_t i = 0; i < in->n_layers; i++) {
        const dd_layer_desc *l = &in->layers[i];
        const dd_layer_stats *s = dd_walk_layer_stats(w, i);
        json_t *e = json_object();
        json_object_set_new(e, "index", json_integer((json_int_t)i));
        json_object_set_new(e, "digest", jstr_or_null(l->digest));
        json_object_set_new(e, "diff_id", jstr_or_null(l->diff_id));
        json_object_set_new(e, "media_type", jstr_or_null(l->media_type));
        json_object_set_new(e, "compression",
                            json_string(dd_compression_name(s->compression)));
        json_object_set_new(e, "size",
                            json_integer((json_int_t)s->stored_bytes));
        json_object_set_new(e, "uncompressed_size",
                            json_integer((json_int_t)s->tar_bytes));
        json_object_set_new(e, "entries", json_integer((json_int_t)s->entries));
        json_object_set_new(e, "complete", json_boolean(s->complete));
        json_object_set_new(e, "history",
                            l->history >= 0 ? json_integer(l->history)
                                            : json_null());
        json_object_set_new(e, "computed_digest", jstr_or_null(s->blob_sha256));
        json_object_set_new(e, "computed_diff_id",
                            jstr_or_null(s->diff_sha256));
        json_array_append_new(layers, e);
    }
    json_object_set_new(o, "layers", layers);
    json_object_set_new(o, "files",
                        json_integer((json_int_t)dd_walk_file_count(w)));
    json_object_set_new(o, "deleted_files",
                        json_integer((json_int_t)dd_walk_deleted_count(w)));
    json_object_set_new(o, "complete", json_boolean(dd_walk_complete(w)));
    json_t *f = json_array();
    cli_findings_json(dd_image_findings(img), img, f);
    cli_findings_json(dd_walk_findings(w), img, f);
    json_object_set_new(o, "findings", f);
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(o);
}

static void list_line(const char *label, const char *const *v, size_t n)
{
    printf("%-14s", label);
    if (!n) {
        printf("-");
    }
    for (size_t i = 0; i < n; i++) {
        printf("%s%s", i ? " " : "", cli_esc(v[i]));
    }
    printf("\n");
}

static void print_table(const dd_image *img, const dd_walk *w)
{
    const dd_image_info *in = dd_image_info_get(img);
    char a[32], b[32];
    printf("%-14s%s (%s)\n", "Image", cli_esc(in->path),
           dd_source_kind_name(in->source));
    printf("%-14s%s\n", "Name", in->name ? cli_esc(in->name) : "-");
    printf("%-14s%s\n", "Manifest",
           in->manifest_digest ? cli_esc(in->manifest_digest) : "-");
    printf("%-14s%s\n", "Config",
           in->config_digest ? cli_esc(in->config_digest) : "-");
    printf("%-14s%s/%s%s%s\n", "Platform", in->os ? cli_esc(in->os) : "?",
           in->architecture ? cli_esc(in->architecture) : "?",
           in->variant ? "/" : "", cli_esc(in->variant));
    printf("%-14s%s\n", "Created", in->created ? cli_esc(in->created) : "-");
    /* sbom:, fs: and rootfs: have no image config, so no user either */
    int noconfig = in->source == DD_SOURCE_SBOM || in->source == DD_SOURCE_FS ||
                   in->source == DD_SOURCE_ROOTFS;
    printf("%-14s%s\n", "User",
           in->user && in->user[0] ? cli_esc(in->user)
           : noconfig              ? "- (no image config)"
                                   : "(none: runs as root)");
    printf("%-14s%s\n", "Workdir",
           in->workdir && in->workdir[0] ? cli_esc(in->workdir) : "-");
    list_line("Entrypoint", in->entrypoint, in->n_entrypoint);
    list_line("Cmd", in->cmd, in->n_cmd);
    list_line("Exposed ports", in->exposed_ports, in->n_exposed_ports);
    printf("%-14s%s\n", "Healthcheck",
           in->healthcheck ? cli_esc(in->healthcheck) : "-");
    printf("Env\n");
    for (size_t i = 0; i < in->n_env; i++) {
        printf("  %s\n", cli_esc(in->env[i]));
    }
    printf("Labels\n");
    for (size_t i = 0; i < in->n_labels; i++) {
        printf("  %s=%s\n", cli_esc(in->labels[i].key),
               cli_esc(in->labels[i].value));
    }
    printf("\nLayers\n");
    printf("  %-3s %-20s %-5s %10s %10s %8s  %s\n", "#", "DIGEST", "COMP",
           "SIZE", "TAR", "ENTRIES", "CREATED BY");
    for (size_t i = 0; i < in->n_layers; i++) {
        const dd_layer_desc *l = &in->layers[i];
        const dd_layer_stats *s = dd_walk_layer_stats(w, i);
        const char *by =
            l->history >= 0 ? in->history[l->history].created_by : NULL;
        printf("  %-3zu %-20.19s %-5s %10s %10s %8llu%s %.70s\n", i,
               l->digest ? cli_esc(l->digest) : "-",
               dd_compression_name(s->compression),
               cli_human(s->stored_bytes, a, sizeof a),
               cli_human(s->tar_bytes, b, sizeof b),
               (unsigned long long)s->entries, s->complete ? " " : "!",
               cli_esc(by));
    }
    printf("\nHistory\n");
    for (size_t i = 0; i < in->n_history; i++) {
        const dd_history_step *h = &in->history[i];
        char lay[16];
        if (h->layer >= 0) {
            snprintf(lay, sizeof lay, "L%d", h->layer);
        } else {
            snprintf(lay, sizeof lay, "--");
        }
        printf("  %-3zu %-4s %.100s\n", i, lay, cli_esc(h->created_by));
    }
    printf("\nFiles         %zu visible, %zu deleted by later layers\n",
           dd_walk_file_count(w), dd_walk_deleted_count(w));
    size_t nf = dd_findings_count(dd_image_findings(img)) +
                dd_findings_count(dd_walk_findings(w));
    printf("\nFindings      %zu\n", nf);
    cli_print_findings(stdout, dd_image_findings(img));
    cli_print_findings(stdout, dd_walk_findings(w));
}

int cmd_inspect(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_inspect, &c, argc, argv, NULL, NULL, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_inspect, pos, np, 1, 1, "IMAGE"))) {
        return rc;
    }
    c.image = pos[0];
    if ((rc = cli_redirect_output(&c))) {
        return rc;
    }
    dd_image *img = NULL;
    dd_walk *w = NULL;
    rc = cli_open_walk(&c, 0, &img, &w);
    if (rc) {
        return rc;
    }
    if (strcmp(c.format, "json") == 0) {
        print_json(img, w);
    } else {
        print_table(img, w);
    }
    rc = cli_exit_code(&c, img, w);
    dd_walk_free(w);
    dd_image_free(img);
    return rc;
}
