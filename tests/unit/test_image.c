/*
 * tests/unit/test_image.c - image opening (OCI layouts written by the
 * fixture builder), platform/tag selection, integrity findings, and the
 * walk + whiteout merge over several layers.
 */
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "drydock/drydock.h"

static int has_rule(const dd_findings *f, const char *rule)
{
    for (size_t i = 0; i < dd_findings_count(f); i++) {
        if (strcmp(dd_findings_get(f, i)->rule_id, rule) == 0) {
            return 1;
        }
    }
    return 0;
}

static const dd_fs_node *find_file(const dd_walk *w, const char *path)
{
    for (size_t i = 0; i < dd_walk_file_count(w); i++) {
        if (strcmp(dd_walk_file(w, i)->path, path) == 0) {
            return dd_walk_file(w, i);
        }
    }
    return NULL;
}

/* Three layers: base files; whiteout + opaque dir; re-add. */
static char *three_layer_image(void)
{
    char *dir = fx_tempdir();
    fx_buf t[3] = {{0}}, g[3] = {{0}};
    fx_tar_entry(&t[0], "etc/", '5', NULL, NULL, 0);
    fx_tar_entry(&t[0], "etc/passwd", '0', NULL, "root:x:0:0\n", 11);
    fx_tar_entry(&t[0], "etc/secret.key", '0', NULL, "KEY", 3);
    fx_tar_entry(&t[0], "var/cache/a", '0', NULL, "a", 1); /* implicit dirs */
    fx_tar_entry(&t[0], "var/cache/b", '0', NULL, "b", 1);
    fx_tar_entry(&t[0], "bin/sh", '2', "busybox", NULL, 0);
    fx_tar_end(&t[0]);
    fx_tar_entry(&t[1], "etc/.wh.secret.key", '0', NULL, NULL, 0);
    fx_tar_entry(&t[1], "var/cache/.wh..wh..opq", '0', NULL, NULL, 0);
    fx_tar_entry(&t[1], "var/cache/c", '0', NULL, "c", 1);
    fx_tar_entry(&t[1], "etc/passwd", '0', NULL, "root:x:0:0:new\n", 15);
    fx_tar_end(&t[1]);
    fx_tar_entry(&t[2], "etc/.wh.secret.key", '0', NULL, NULL, 0); /* gone */
    fx_tar_entry(&t[2], "tmp/x", '0', NULL, "x", 1);
    fx_tar_end(&t[2]);
    for (int i = 0; i < 3; i++) {
        fx_gzip(&t[i], &g[i]);
    }
    fx_oci_layout(dir, "test:1", "amd64", g, t, 3,
                  "\"config\":{\"User\":\"1000\",\"Env\":[\"A=1\"]},"
                  "\"history\":[{\"created_by\":\"l0\"},{\"created_by\":"
                  "\"meta\",\"empty_layer\":true},{\"created_by\":\"l1\"},"
                  "{\"created_by\":\"l2\"}]");
    for (int i = 0; i < 3; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
    return dir;
}

static void test_image__oci_walk_merges_whiteouts(void)
{
    char *dir = three_layer_image();
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    const dd_image_info *in = dd_image_info_get(img);
    CHECK(in->source == DD_SOURCE_OCI_DIR && in->n_layers == 3);
    CHECK_STR(in->user, "1000");
    CHECK(in->n_env == 1);
    CHECK(in->layers[1].history == 2 && in->history[1].layer == -1);
    dd_walk *w = NULL;
    dd_walk_opts wo = DD_WALK_OPTS_INIT;
    wo.hash_files = 1;
    CHECK(dd_walk_run(&w, img, &wo, &err) == 0);
    CHECK(dd_walk_complete(w));
    CHECK(dd_findings_count(dd_walk_findings(w)) == 0);
    CHECK(find_file(w, "etc/secret.key") == NULL);
    CHECK(find_file(w, "var/cache/a") == NULL);
    CHECK(find_file(w, "var/cache/c") != NULL);
    CHECK(find_file(w, "var/cache") != NULL);
    const dd_fs_node *p = find_file(w, "etc/passwd");
    CHECK(p && p->layer == 1 && p->size == 15 && p->sha256);
    CHECK(find_file(w, "tmp/x") && find_file(w, "tmp"));
    /* deleted: secret.key (L1), cache/a and b (L1 opaque), passwd (L1) */
    int found_secret = 0;
    for (size_t i = 0; i < dd_walk_deleted_count(w); i++) {
        const dd_fs_node *d = dd_walk_deleted(w, i);
        if (strcmp(d->path, "etc/secret.key") == 0) {
            found_secret = d->deleted_in == 1 && d->layer == 0;
        }
    }
    CHECK(found_secret);
    CHECK(dd_walk_deleted_count(w) == 4);
    for (size_t i = 1; i < dd_walk_file_count(w); i++) {
        CHECK(strcmp(dd_walk_file(w, i - 1)->path, dd_walk_file(w, i)->path) <
              0);
    }
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(dir);
}

static void test_image__single_thread_equals_parallel(void)
{
    char *dir = three_layer_image();
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *a = NULL, *b = NULL;
    dd_walk_opts wo = DD_WALK_OPTS_INIT;
    wo.threads = 1;
    CHECK(dd_walk_run(&a, img, &wo, &err) == 0);
    wo.threads = 8;
    CHECK(dd_walk_run(&b, img, &wo, &err) == 0);
    CHECK(dd_walk_file_count(a) == dd_walk_file_count(b));
    for (size_t i = 0; i < dd_walk_file_count(a); i++) {
        CHECK_STR(dd_walk_file(a, i)->path, dd_walk_file(b, i)->path);
    }
    dd_walk_free(a);
    dd_walk_free(b);
    dd_image_free(img);
    fx_rmtree(dir);
}

static void test_image__tampered_config_and_blob(void)
{
    char *dir = fx_tempdir();
    fx_buf t = {0}, g = {0};
    fx_tar_entry(&t, "hello", '0', NULL, "hi\n", 3);
    fx_tar_end(&t);
    fx_gzip(&t, &g);
    fx_oci_layout(dir, "x", "amd64", &g, &t, 1, "");
    /* corrupt the layer blob in place */
    char dg[72], path[1024];
    extern void dd__sha256_digest(const void *, size_t, char *);
    dd__sha256_digest(g.p, g.len, dg);
    snprintf(path, sizeof path, "%s/blobs/sha256/%s", dir, dg + 7);
    FILE *f = fopen(path, "r+b");
    fseek(f, (long)g.len / 2, SEEK_SET);
    fputc(0x55 ^ g.p[g.len / 2], f);
    fclose(f);
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(has_rule(dd_walk_findings(w), "integrity.blob-digest"));
    CHECK(dd_findings_max_severity(dd_walk_findings(w)) == DD_SEV_HIGH);
    dd_walk_free(w);
    dd_image_free(img);
    fx_buf_free(&t);
    fx_buf_free(&g);
    fx_rmtree(dir);
}

static void test_image__platform_and_tag_errors(void)
{
    char *dir = fx_tempdir();
    fx_buf t = {0};
    fx_tar_entry(&t, "a", '0', NULL, "a", 1);
    fx_tar_end(&t);
    fx_oci_layout(dir, "only", "arm64", &t, &t, 1, "");
    dd_image *img = NULL;
    dd_error err;
    /* a single image of another platform is taken when none is asked */
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_image_free(img);
    img = NULL;
    dd_image_opts o = DD_IMAGE_OPTS_INIT;
    o.platform = "linux/s390x";
    CHECK(dd_image_open(&img, dir, &o, &err) == DD_ENOTFOUND);
    CHECK(strstr(err.message, "linux/arm64") != NULL);
    o.platform = "linux/arm64";
    CHECK(dd_image_open(&img, dir, &o, &err) == 0);
    dd_image_free(img);
    img = NULL;
    o.platform = NULL;
    o.tag = "missing";
    CHECK(dd_image_open(&img, dir, &o, &err) == DD_ENOTFOUND);
    CHECK(strstr(err.message, "only") != NULL);
    char ref[1100];
    snprintf(ref, sizeof ref, "oci:%s:only", dir);
    CHECK(dd_image_open(&img, ref, NULL, &err) == 0);
    dd_image_free(img);
    fx_buf_free(&t);
    fx_rmtree(dir);
}

static void test_image__hostile_index_json(void)
{
    static const char *bad[] = {
        "{\"manifests\":[{\"digest\":\"sha256:../../../etc/passwd\"}]}",
        "{\"manifests\":[],\"manifests\":[]}", /* duplicate key */
        "{\"manifests\": [",
        "[1,2,3]",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = fx_tempdir();
        fx_write_file(dir, "index.json", bad[i], strlen(bad[i]));
        dd_image *img = NULL;
        dd_error err;
        int rc = dd_image_open(&img, dir, NULL, &err);
        CHECK(rc == DD_ECORRUPT || rc == DD_ENOTFOUND);
        CHECK(img == NULL && err.message[0]);
        fx_rmtree(dir);
    }
}

static void test_image__missing_path(void)
{
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, "/nonexistent/image.tar", NULL, &err) ==
          DD_ENOTFOUND);
    CHECK(strstr(err.message, "/nonexistent/image.tar") != NULL);
    CHECK(dd_image_open(&img, "/etc/hostname", NULL, &err) == DD_ECORRUPT);
}

static void test_image__walk_reports_structure_findings(void)
{
    char *dir = fx_tempdir();
    fx_buf t = {0};
    fx_tar_entry(&t, "dev/null", '3', NULL, NULL, 0);
    fx_tar_entry(&t, "a", '0', NULL, "v1", 2);
    fx_tar_entry(&t, "a", '0', NULL, "v2!", 3); /* later duplicate wins */
    fx_tar_entry(&t, "lnk", '2', "/etc", NULL, 0);
    fx_tar_entry(&t, "lnk/passwd", '0', NULL, "x", 1);
    fx_tar_entry(&t, "hl", '1', "missing/target", NULL, 0);
    fx_tar_entry(&t, "/abs/file", '0', NULL, "y", 1);
    fx_tar_end(&t);
    fx_oci_layout(dir, "s", "amd64", &t, &t, 1, "");
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    const dd_findings *f = dd_walk_findings(w);
    CHECK(has_rule(f, "archive.device-node"));
    CHECK(has_rule(f, "archive.write-through-symlink"));
    CHECK(has_rule(f, "archive.hardlink-missing"));
    CHECK(has_rule(f, "archive.absolute-path"));
    CHECK(find_file(w, "lnk/passwd") == NULL);
    CHECK(find_file(w, "abs/file") != NULL);
    const dd_fs_node *a = find_file(w, "a");
    CHECK(a && a->size == 3);
    CHECK(dd_walk_deleted_count(w) == 1 && dd_walk_deleted(w, 0)->size == 2);
    CHECK(dd_walk_layer_entry_count(w, 0) == 7);
    dd_walk_free(w);
    dd_image_free(img);
    fx_buf_free(&t);
    fx_rmtree(dir);
}

static const dd_finding *
rule_at(const dd_findings *f, const char *rule, const char *path)
{
    for (size_t i = 0; i < dd_findings_count(f); i++) {
        const dd_finding *x = dd_findings_get(f, i);
        if (strcmp(x->rule_id, rule) == 0 && x->path &&
            strcmp(x->path, path) == 0) {
            return x;
        }
    }
    return NULL;
}

static dd_walk *walk_layers(char **dir, fx_buf *t, size_t n)
{
    *dir = fx_tempdir();
    fx_oci_layout(*dir, "s", "amd64", t, t, n, "");
    dd_image *img = NULL;
    dd_error err;
    dd_walk *w = NULL;
    if (dd_image_open(&img, *dir, NULL, &err) != 0 ||
        dd_walk_run(&w, img, NULL, &err) != 0) {
        fprintf(stderr, "walk_layers: %s\n", err.message);
        exit(1);
    }
    dd_image_free(img);
    return w;
}

/* Hardlink targets and writes resolve through the merged view's symlinks:
 * an escaping link makes them HIGH escapes, an in-root link is followed. */
static void test_image__links_resolve_through_symlinks(void)
{
    fx_buf t = {0};
    fx_tar_entry(&t, "etc/passwd", '0', NULL, "root:x:0:0\n", 11);
    fx_tar_entry(&t, "hostroot", '2', "/../../..", NULL, 0);
    fx_tar_entry(&t, "shadow", '1', "hostroot/etc/shadow", NULL, 0);
    fx_tar_entry(&t, "hostroot/x", '0', NULL, "x", 1);
    fx_tar_entry(&t, "d/up", '2', "../..", NULL, 0);
    fx_tar_entry(&t, "d/deep/y", '0', NULL, "y", 1);
    fx_tar_entry(&t, "d/sh2", '1', "d/up/etc/shadow", NULL, 0);
    fx_tar_entry(&t, "e", '2', "etc", NULL, 0);
    fx_tar_entry(&t, "pw", '1', "e/passwd", NULL, 0);
    fx_tar_entry(&t, "e/new", '0', NULL, "n", 1);
    fx_tar_entry(&t, "la", '2', "lb", NULL, 0);
    fx_tar_entry(&t, "lb", '2', "la", NULL, 0);
    fx_tar_entry(&t, "loop", '1', "la/x", NULL, 0);
    fx_tar_end(&t);
    char *dir;
    dd_walk *w = walk_layers(&dir, &t, 1);
    const dd_findings *f = dd_walk_findings(w);
    const dd_finding *x = rule_at(f, "archive.symlink-escape", "hostroot");
    CHECK(x && x->severity == DD_SEV_MEDIUM);
    x = rule_at(f, "archive.hardlink-escape", "shadow");
    CHECK(x && x->severity == DD_SEV_HIGH);
    CHECK(rule_at(f, "archive.hardlink-missing", "shadow") == NULL);
    x = rule_at(f, "archive.write-escape", "hostroot/x");
    CHECK(x && x->severity == DD_SEV_HIGH);
    CHECK(rule_at(f, "archive.hardlink-escape", "d/sh2") != NULL);
    CHECK(find_file(w, "shadow") == NULL && find_file(w, "hostroot/x") == NULL);
    /* in the root: the link is followed, the target found */
    CHECK(rule_at(f, "archive.hardlink-missing", "pw") == NULL);
    const dd_fs_node *pw = find_file(w, "pw");
    CHECK(pw && pw->size == 11);
    x = rule_at(f, "archive.write-through-symlink", "e/new");
    CHECK(x && x->severity == DD_SEV_HIGH);
    CHECK(rule_at(f, "archive.hardlink-missing", "loop") != NULL);
    CHECK(find_file(w, "d/deep/y") != NULL);
    dd_walk_free(w);
    fx_buf_free(&t);
    fx_rmtree(dir);
}

TEST_LIST(T(test_image__oci_walk_merges_whiteouts),
          T(test_image__single_thread_equals_parallel),
          T(test_image__tampered_config_and_blob),
          T(test_image__platform_and_tag_errors),
          T(test_image__hostile_index_json),
          T(test_image__missing_path),
          T(test_image__walk_reports_structure_findings),
          T(test_image__links_resolve_through_symlinks))
