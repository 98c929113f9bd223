/*
 * lib/source/docker_archive.c - a `docker save` archive: manifest.json
 * (tag selection), the config it names, the layer paths and what they
 * must hash to.
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

/* ---- docker archive ---------------------------------------------------- */

static const char *digest_from_path(dd_image *img, const char *p)
{
    /* "<64hex>.json", "blobs/sha256/<64hex>" */
    const char *base = strrchr(p, '/');
    base = base ? base + 1 : p;
    size_t n = strlen(base);
    if (n == 69 && strcmp(base + 64, ".json") == 0) {
        n = 64;
    }
    if (n != 64) {
        return NULL;
    }
    char tmp[72];
    snprintf(tmp, sizeof tmp, "sha256:%.64s", base);
    return dd__is_sha256_digest(tmp) ? dd__image_str(img, tmp) : NULL;
}

int dd__docker_archive_open(dd_image *img, const char *tag, dd_error *err)
{
    json_t *man = NULL, *cfg = NULL;
    int rc =
        dd__image_load_json(img, "manifest.json", NULL, -1, &man, NULL, err);
    if (rc) {
        return rc;
    }
    if (!json_is_array(man) || json_array_size(man) == 0) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s: manifest.json is not a non-empty array",
                           img->info.path);
        goto out;
    }
    size_t n = json_array_size(man);
    /* every name offered, for messages and inspect */
    dd__buf names;
    dd__buf_init(&names, 8192);
    const char **tags = dd__arena_alloc(&img->a, 64 * sizeof *tags);
    size_t ntags = 0;
    json_t *chosen = NULL;
    const char *chosen_name = NULL;
    int matches = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(man, i);
        json_t *rt = json_object_get(e, "RepoTags");
        size_t nrt = json_is_array(rt) ? json_array_size(rt) : 0;
        int hit = 0;
        for (size_t k = 0; k < nrt; k++) {
            const char *t = json_string_value(json_array_get(rt, k));
            if (!t) {
                continue;
            }
            if (tags && ntags < 63) {
                tags[ntags++] = dd__image_str(img, t);
            }
            dd__buf_printf(&names, "%s%s", names.len ? ", " : "", t);
            if (!hit && dd__image_tag_matches(tag, t)) {
                hit = 1;
                chosen_name = dd__image_str(img, t);
            }
        }
        if (!nrt) {
            dd__buf_printf(&names, "%s(untagged image #%zu)",
                           names.len ? ", " : "", i + 1);
        }
        if (hit) {
            matches++;
            if (!chosen) {
                chosen = e;
            }
        }
    }
    if (tags) {
        tags[ntags] = NULL;
        img->info.repo_tags = tags;
        img->info.n_repo_tags = ntags;
    }
    if (!tag) {
        if (n > 1) {
            rc = dd__error_set(err, DD_EAMBIGUOUS,
                               "%s holds %zu images (%s): choose one with "
                               "--tag NAME or PATH:NAME",
                               img->info.path, n, names.ptr ? names.ptr : "");
            dd__buf_free(&names);
            goto out;
        }
        chosen = json_array_get(man, 0);
        chosen_name = ntags ? tags[0] : NULL;
    } else if (!chosen) {
        rc = dd__error_set(
            err, DD_ENOTFOUND, "%s: no image tagged '%s'; the archive has: %s",
            img->info.path, tag, names.ptr ? names.ptr : "(no tags)");
        dd__buf_free(&names);
        goto out;
    }
    dd__buf_free(&names);
    img->info.name = chosen_name;
    const char *cfg_path = json_string_value(json_object_get(chosen, "Config"));
    json_t *layers = json_object_get(chosen, "Layers");
    if (!cfg_path || !json_is_array(layers)) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s: manifest.json entry lacks Config or Layers",
                           img->info.path);
        goto out;
    }
    const char *cfg_digest = digest_from_path(img, cfg_path);
    char got[72];
    rc = dd__image_load_json(img, cfg_path, cfg_digest, -1, &cfg, got, err);
    if (rc) {
        goto out;
    }
    img->info.config_digest = dd__image_str(img, got);
    if ((rc = dd__image_parse_config(img, cfg, err)) != 0) {
        goto out;
    }
    size_t nl = json_array_size(layers);
    if ((rc = dd__image_alloc_layers(img, &nl, err)) != 0) {
        goto out;
    }
    for (size_t i = 0; i < nl; i++) {
        const char *p = json_string_value(json_array_get(layers, i));
        if (!p) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: manifest.json layer %zu is not a string",
                               img->info.path, i);
            goto out;
        }
        dd__region r;
        if ((rc = dd__store_region(img->store, p, &r, err)) != 0) {
            goto out;
        }
        dd__region_close(&r);
        img->srcs[i].path = dd__image_str(img, p);
        img->srcs[i].expect_size = (int64_t)r.length;
        /* docker >= 25 names blobs by digest: verify it */
        img->srcs[i].expect_digest =
            strncmp(p, "blobs/", 6) == 0 ? digest_from_path(img, p) : NULL;
        img->layers[i].digest = img->srcs[i].expect_digest;
        img->layers[i].size = r.length;
    }
    dd__image_bind_layers(img, cfg);
    for (size_t i = 0; i < nl; i++) {
        if (!img->layers[i].digest) {
            img->layers[i].digest = img->layers[i].diff_id;
        }
    }
out:
    json_decref(man);
    json_decref(cfg);
    return rc;
}
