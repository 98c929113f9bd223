/*
 * lib/source/image_config.c - the image config: platform, user, env, cmd,
 * labels, history (masked for reports, raw for analyzers) and the layers'
 * diff_ids bound to the manifest's layers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "image_priv.h"
#include "store.h"
#include "../registry/registry_int.h"
#include "../secret/secret.h"
#include "config_mask.h"
#include "../findings_int.h"
#include "../../util/arena.h"
#include "../../util/sha256.h"
#include "../../util/util.h"

static int
str_array(dd_image *img, json_t *arr, const char *const **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(arr)) {
        return 0;
    }
    size_t cnt = json_array_size(arr);
    const char **v = dd__arena_alloc(&img->a, (cnt + 1) * sizeof *v);
    if (!v) {
        return DD_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_array_get(arr, i);
        if (json_is_string(e)) {
            v[k++] = dd__image_str(img, json_string_value(e));
        }
    }
    v[k] = NULL;
    *out = v;
    *n = k;
    return 0;
}

static int
obj_keys(dd_image *img, json_t *obj, const char *const **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_is_object(obj)) {
        return 0;
    }
    const char **v =
        dd__arena_alloc(&img->a, (json_object_size(obj) + 1) * sizeof *v);
    if (!v) {
        return DD_ENOMEM;
    }
    size_t k = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        (void)val;
        v[k++] = dd__image_str(img, key);
    }
    *out = v;
    *n = k;
    return 0;
}

int dd__image_parse_config(dd_image *img, json_t *cfg, dd_error *err)
{
    dd_image_info *in = &img->info;
    if (!json_is_object(cfg)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: image config is not a JSON object", in->path);
    }
    in->os = dd__image_jstr(img, cfg, "os");
    in->architecture = dd__image_jstr(img, cfg, "architecture");
    in->variant = dd__image_jstr(img, cfg, "variant");
    in->created = dd__image_jstr(img, cfg, "created");
    in->author = dd__image_jstr(img, cfg, "author");
    json_t *c = json_object_get(cfg, "config");
    if (json_is_object(c)) {
        in->user = dd__image_jstr(img, c, "User");
        in->workdir = dd__image_jstr(img, c, "WorkingDir");
        str_array(img, json_object_get(c, "Env"), &in->env, &in->n_env);
        str_array(img, json_object_get(c, "Cmd"), &in->cmd, &in->n_cmd);
        str_array(img, json_object_get(c, "Entrypoint"), &in->entrypoint,
                  &in->n_entrypoint);
        obj_keys(img, json_object_get(c, "ExposedPorts"), &in->exposed_ports,
                 &in->n_exposed_ports);
        json_t *labels = json_object_get(c, "Labels");
        if (json_is_object(labels)) {
            dd_kv *kv = dd__arena_alloc(
                &img->a, (json_object_size(labels) + 1) * sizeof *kv);
            if (!kv) {
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            const char *key;
            json_t *val;
            size_t k = 0;
            json_object_foreach(labels, key, val)
            {
                if (json_is_string(val)) {
                    kv[k].key = dd__image_str(img, key);
                    kv[k].value = dd__image_str(img, json_string_value(val));
                    k++;
                }
            }
            in->labels = kv;
            in->n_labels = k;
        }
        json_t *hc = json_object_get(c, "Healthcheck");
        if (json_is_object(hc) && json_object_get(hc, "Test")) {
            char *t = json_dumps(json_object_get(hc, "Test"),
                                 JSON_COMPACT | JSON_ENCODE_ANY);
            if (t) {
                in->healthcheck = dd__image_str(img, t);
                free(t); /* allocated by jansson */
            }
        }
        if (dd__image_info_mask(&img->a, in)) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    json_t *hist = json_object_get(cfg, "history");
    if (json_is_array(hist)) {
        size_t n = json_array_size(hist);
        if (n > img->max_history) {
            if (dd__image_add_budget(
                    img, "budget.history",
                    "the config has %zu history entries, more than "
                    "the budget of %llu: only the first %llu are "
                    "read",
                    n, (unsigned long long)img->max_history,
                    (unsigned long long)img->max_history)) {
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            n = (size_t)img->max_history;
        }
        dd_history_step *h = dd__arena_alloc(&img->a, (n + 1) * sizeof *h);
        if (!h) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        memset(h, 0, (n + 1) * sizeof *h);
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(hist, i);
            h[i].layer = -1;
            if (!json_is_object(e)) {
                continue;
            }
            h[i].created = dd__image_jstr(img, e, "created");
            h[i].created_by_raw = dd__image_jstr(img, e, "created_by");
            h[i].created_by = h[i].created_by_raw;
            char *m = dd__secret_mask_text(h[i].created_by_raw);
            if (h[i].created_by_raw && !m) {
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            if (m && strcmp(m, h[i].created_by_raw)) {
                h[i].created_by = dd__arena_strdup(&img->a, m);
            }
            dd__free(m);
            if (!h[i].created_by && h[i].created_by_raw) {
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            h[i].comment = dd__image_jstr(img, e, "comment");
            h[i].empty_layer = json_is_true(json_object_get(e, "empty_layer"));
        }
        in->history = h;
        in->n_history = n;
    }
    return 0;
}

/* Give layers their diff_ids and history steps from the config. */
int dd__image_bind_layers(dd_image *img, json_t *cfg)
{
    json_t *ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
    size_t nids = json_is_array(ids) ? json_array_size(ids) : 0;
    if (nids != img->manifest_layers) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", nids);
        snprintf(b, sizeof b, "%zu", img->manifest_layers);
        dd__image_add_integrity(
            img, "integrity.layer-count", NULL, NULL, -1,
            "config lists %s diff_ids but the manifest has %s "
            "layers",
            a, b);
    }
    for (size_t i = 0; i < img->info.n_layers; i++) {
        json_t *d = i < nids ? json_array_get(ids, i) : NULL;
        const char *s = json_is_string(d) ? json_string_value(d) : NULL;
        img->layers[i].diff_id = s ? dd__image_str(img, s) : NULL;
        img->srcs[i].expect_diff_id = img->layers[i].diff_id;
        img->layers[i].history = -1;
    }
    size_t li = 0;
    dd_history_step *h = (dd_history_step *)img->info.history;
    for (size_t i = 0; i < img->info.n_history; i++) {
        if (h[i].empty_layer) {
            continue;
        }
        if (li < img->info.n_layers) {
            h[i].layer = (int)li;
            img->layers[li].history = (int)i;
        }
        li++;
    }
    return 0;
}

/* *n: the layers the manifest lists, cut to the budget on return. */
int dd__image_alloc_layers(dd_image *img, size_t *np, dd_error *err)
{
    size_t n = *np;
    img->manifest_layers = n;
    if (n > img->max_layers) {
        if (dd__image_add_budget(
                img, "budget.layers",
                "the manifest lists %zu layers, more than the budget "
                "of %llu: only the first %llu are read",
                n, (unsigned long long)img->max_layers,
                (unsigned long long)img->max_layers)) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        n = (size_t)img->max_layers;
        *np = n;
    }
    img->layers = dd__arena_alloc(&img->a, (n + 1) * sizeof *img->layers);
    img->srcs = dd__arena_alloc(&img->a, (n + 1) * sizeof *img->srcs);
    if (!img->layers || !img->srcs) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    memset(img->layers, 0, (n + 1) * sizeof *img->layers);
    memset(img->srcs, 0, (n + 1) * sizeof *img->srcs);
    img->info.layers = img->layers;
    img->info.n_layers = n;
    return 0;
}
