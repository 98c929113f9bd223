/*
 * tests/unit/test_budgets.c - work bounded by structure (issue 23, 3;
 * docs/budgets.md): a repeated layer blob is read once and applied again
 * as a runtime would, a nested index is read once, and the image-wide
 * budgets (manifests, layers, history, decompressed bytes, entries) give a
 * HIGH finding and an incomplete walk.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "drydock/drydock.h"
#include "util/sha256.h"

static size_t count_rule(const dd_findings *f, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < dd_findings_count(f); i++) {
        n += strcmp(dd_findings_get(f, i)->rule_id, rule) == 0;
    }
    return n;
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

/* A: etc/x "one", keep/a; B: etc/x "second!", keep/.wh.a */
static void two_tars(fx_buf t[2], fx_buf g[2])
{
    fx_tar_entry(&t[0], "etc/x", '0', NULL, "one", 3);
    fx_tar_entry(&t[0], "keep/a", '0', NULL, "a", 1);
    fx_tar_end(&t[0]);
    fx_tar_entry(&t[1], "etc/x", '0', NULL, "second!", 7);
    fx_tar_entry(&t[1], "keep/.wh.a", '0', NULL, NULL, 0);
    fx_tar_end(&t[1]);
    fx_gzip(&t[0], &g[0]);
    fx_gzip(&t[1], &g[1]);
}

static uint64_t progress_total;
static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    (void)done;
    (void)payload;
    progress_total = total;
}

static void test_budgets__repeat_not_adjacent_applied_again(void)
{
    fx_buf t[2] = {{0}}, g[2] = {{0}};
    two_tars(t, g);
    fx_buf blobs[3] = {g[0], g[1], g[0]}, tars[3] = {t[0], t[1], t[0]};
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "r:1", "amd64", blobs, tars, 3, "");
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *w = NULL;
    dd_walk_opts wo = DD_WALK_OPTS_INIT;
    wo.threads = 1;
    wo.progress = on_progress;
    progress_total = 0;
    CHECK(dd_walk_run(&w, img, &wo, &err) == 0);
    CHECK(dd_walk_complete(w));
    /* the runtime applies A again on top of B */
    const dd_fs_node *x = find_file(w, "etc/x");
    CHECK(x && x->layer == 2 && x->size == 3);
    const dd_fs_node *a = find_file(w, "keep/a");
    CHECK(a && a->layer == 2);
    const dd_findings *f = dd_walk_findings(w);
    CHECK(count_rule(f, "archive.repeated-layer") == 1);
    CHECK(count_rule(f, "integrity.diff-id") == 0);
    CHECK(count_rule(f, "integrity.blob-digest") == 0);
    /* the blob was read once: the progress total counts it once */
    CHECK(progress_total == g[0].len + g[1].len);
    CHECK_STR(dd_walk_layer_stats(w, 2)->blob_sha256,
              dd_walk_layer_stats(w, 0)->blob_sha256);
    CHECK(dd_walk_layer_entry_count(w, 2) == 2);
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(dir);
    for (int i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
}

static void test_budgets__repeat_adjacent_is_quiet_but_checked(void)
{
    fx_buf t[2] = {{0}}, g[2] = {{0}};
    two_tars(t, g);
    /* the same blob twice in a row; the config's second diff_id is B's */
    fx_buf blobs[2] = {g[0], g[0]}, tars[2] = {t[0], t[1]};
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "r:1", "amd64", blobs, tars, 2, "");
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    const dd_findings *f = dd_walk_findings(w);
    CHECK(count_rule(f, "archive.repeated-layer") == 0);
    /* the repeat is still checked against its own diff_id */
    CHECK(count_rule(f, "integrity.diff-id") == 1);
    CHECK(dd_findings_get(f, 0)->layer == 1);
    const dd_fs_node *x = find_file(w, "etc/x");
    CHECK(x && x->size == 3);
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(dir);
    for (int i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
}

static void test_budgets__many_adjacent_repeats_reported(void)
{
    fx_buf t[2] = {{0}}, g[2] = {{0}};
    two_tars(t, g);
    fx_buf blobs[12], tars[12];
    for (int i = 0; i < 12; i++) {
        blobs[i] = g[0];
        tars[i] = t[0];
    }
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "r:1", "amd64", blobs, tars, 12, "");
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    const dd_findings *f = dd_walk_findings(w);
    CHECK(count_rule(f, "archive.repeated-layer") == 1);
    CHECK(strstr(dd_findings_get(f, 0)->title, "12 layers") != NULL);
    CHECK(dd_walk_complete(w));
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(dir);
    for (int i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
}

static void test_budgets__total_bytes_and_entries(void)
{
    fx_buf t[2] = {{0}}, g[2] = {{0}};
    two_tars(t, g);
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "b:1", "amd64", g, t, 2, "");
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    static const char *const rules[2] = {"budget.entries", "budget.bytes"};
    for (int k = 0; k < 2; k++) {
        dd_walk *w = NULL;
        dd_walk_opts wo = DD_WALK_OPTS_INIT;
        wo.threads = 1;
        if (k == 0) {
            wo.max_total_entries = 1;
        } else {
            wo.max_total_bytes = 100;
        }
        CHECK(dd_walk_run(&w, img, &wo, &err) == 0);
        CHECK(!dd_walk_complete(w));
        const dd_findings *f = dd_walk_findings(w);
        CHECK(count_rule(f, rules[k]) >= 1);
        for (size_t i = 0; i < dd_findings_count(f); i++) {
            if (!strcmp(dd_findings_get(f, i)->rule_id, rules[k])) {
                CHECK(dd_findings_get(f, i)->severity == DD_SEV_HIGH);
            }
        }
        dd_walk_free(w);
    }
    /* the defaults let it through */
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(dd_walk_complete(w));
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(dir);
    for (int i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
}

static void test_budgets__layers_and_history(void)
{
    fx_buf t[2] = {{0}}, g[2] = {{0}};
    two_tars(t, g);
    fx_buf blobs[3] = {g[0], g[1], g[0]}, tars[3] = {t[0], t[1], t[0]};
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "h:1", "amd64", blobs, tars, 3,
                  "\"history\":[{\"created_by\":\"a\"},{\"created_by\":\"b\"},"
                  "{\"created_by\":\"c\"}]");
    dd_image *img = NULL;
    dd_error err;
    dd_image_opts io = DD_IMAGE_OPTS_INIT;
    io.max_layers = 2;
    io.max_history = 1;
    CHECK(dd_image_open(&img, dir, &io, &err) == 0);
    const dd_image_info *in = dd_image_info_get(img);
    CHECK(in->n_layers == 2 && in->n_history == 1);
    const dd_findings *f = dd_image_findings(img);
    CHECK(count_rule(f, "budget.layers") == 1);
    CHECK(count_rule(f, "budget.history") == 1);
    CHECK(count_rule(f, "integrity.layer-count") == 0);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(!dd_walk_complete(w));
    dd_walk_free(w);
    dd_image_free(img);
    /* defaults: all of it */
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    CHECK(dd_image_info_get(img)->n_layers == 3);
    CHECK(dd_findings_count(dd_image_findings(img)) == 0);
    dd_image_free(img);
    fx_rmtree(dir);
    for (int i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
}

/* index.json -> nested index X (three times, names a, b, a) -> manifest */
static char *nested_index_image(void)
{
    fx_buf t = {0}, g = {0};
    fx_tar_entry(&t, "etc/n", '0', NULL, "n", 1);
    fx_tar_end(&t);
    fx_gzip(&t, &g);
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "inner", "amd64", &g, &t, 1, "");
    fx_buf_free(&t);
    fx_buf_free(&g);
    /* the manifest descriptor fx_oci_layout wrote */
    char idx[4096], path[1200];
    snprintf(path, sizeof path, "%s/index.json", dir);
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(idx, 1, sizeof idx - 1, fp) : 0;
    if (fp) {
        fclose(fp);
    }
    idx[n] = '\0';
    const char *dg = strstr(idx, "\"digest\":\"");
    const char *sz = strstr(idx, "\"size\":");
    char man_dg[72] = "", inner[1024], outer[4096], x_dg[72];
    if (dg) {
        snprintf(man_dg, sizeof man_dg, "%.71s", dg + 10);
    }
    long size = sz ? strtol(sz + 7, NULL, 10) : 0;
    snprintf(inner, sizeof inner,
             "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
             "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
             "\"size\":%ld,\"platform\":{\"os\":\"linux\",\"architecture\":"
             "\"amd64\"}}]}",
             man_dg, size);
    dd__sha256_digest(inner, strlen(inner), x_dg);
    char rel[128];
    snprintf(rel, sizeof rel, "blobs/sha256/%s", x_dg + 7);
    fx_write_file(dir, rel, inner, strlen(inner));
    size_t o = (size_t)snprintf(outer, sizeof outer,
                                "{\"schemaVersion\":2,\"manifests\":[");
    static const char *const names[3] = {"a", "b", "a"};
    for (int i = 0; i < 3; i++) {
        o += (size_t)snprintf(
            outer + o, sizeof outer - o,
            "%s{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            "\"digest\":\"%s\",\"size\":%zu,\"annotations\":{"
            "\"org.opencontainers.image.ref.name\":\"%s\"}}",
            i ? "," : "", x_dg, strlen(inner), names[i]);
    }
    snprintf(outer + o, sizeof outer - o, "]}");
    fx_write_file(dir, "index.json", outer, strlen(outer));
    return dir;
}

static void test_budgets__nested_index_read_once(void)
{
    char *dir = nested_index_image();
    dd_image *img = NULL;
    dd_error err;
    /* both names reach the image although X is read once */
    dd_image_opts io = DD_IMAGE_OPTS_INIT;
    io.tag = "b";
    CHECK(dd_image_open(&img, dir, &io, &err) == 0);
    CHECK_STR(dd_image_info_get(img)->name, "b");
    CHECK(dd_image_info_get(img)->n_repo_tags == 2);
    CHECK(dd_findings_count(dd_image_findings(img)) == 0);
    dd_image_free(img);
    io.tag = "a";
    CHECK(dd_image_open(&img, dir, &io, &err) == 0);
    CHECK_STR(dd_image_info_get(img)->name, "a");
    dd_image_free(img);
    /* budget of 2 descriptors: X (a) and its manifest; the rest unread */
    io.max_manifests = 2;
    CHECK(dd_image_open(&img, dir, &io, &err) == 0);
    CHECK(count_rule(dd_image_findings(img), "budget.manifests") == 1);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(!dd_walk_complete(w));
    dd_walk_free(w);
    dd_image_free(img);
    /* with a budget of 1 no image is named: one clear error */
    io.max_manifests = 1;
    img = NULL;
    CHECK(dd_image_open(&img, dir, &io, &err) == DD_ELIMIT);
    CHECK(img == NULL && strstr(err.message, "budget.manifests") != NULL);
    fx_rmtree(dir);
}

TEST_LIST(T(test_budgets__repeat_not_adjacent_applied_again),
          T(test_budgets__repeat_adjacent_is_quiet_but_checked),
          T(test_budgets__many_adjacent_repeats_reported),
          T(test_budgets__total_bytes_and_entries),
          T(test_budgets__layers_and_history),
          T(test_budgets__nested_index_read_once))
