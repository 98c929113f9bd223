/*
 * lib/source/oci_layout.c - an OCI image layout (directory, tar, or a
 * registry read through the same store): index.json and nested indexes
 * (each read once, fan-out bounded by the manifests budget), platform and
 * tag selection, the manifest and its config.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
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

/* ---- OCI layout -------------------------------------------------------- */

typedef struct cand_list {
    dd__image_candidate items[MAX_CANDIDATES];
    size_t n;
} cand_list;

static int is_index_type(const char *mt)
{
    return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
                  strcmp(mt, "application/vnd.docker.distribution.manifest."
                             "list.v2+json") == 0);
}

static int same_ref(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static dd__image_seen_index *find_seen(dd_image *img, const char *digest)
{
    for (size_t i = 0; i < img->seen.len; i++) {
        dd__image_seen_index *v =
            DD_VEC_AT(&img->seen, dd__image_seen_index, i);
        if (strcmp(v->digest, digest) == 0) {
            return v;
        }
    }
    return NULL;
}

static int too_many_candidates(dd_image *img, dd_error *err)
{
    return dd__error_set(err, DD_ELIMIT,
                         "%s: more than %d manifests in the index",
                         img->info.path, MAX_CANDIDATES);
}

/* An index already read is offered again under another name: its
 * candidates that carried the first name get this one. Nothing is read. */
static int reoffer(dd_image *img,
                   const dd__image_seen_index *v,
                   const char *ref,
                   cand_list *cl,
                   dd_error *err)
{
    size_t first = v->first, end = v->end;
    const char *vref = v->ref;
    for (size_t k = first; k < end; k++) {
        if (cl->n >= MAX_CANDIDATES) {
            return too_many_candidates(img, err);
        }
        dd__image_candidate *c = &cl->items[cl->n++];
        *c = cl->items[k];
        if (same_ref(c->ref, vref)) {
            c->ref = ref ? dd__image_str(img, ref) : NULL;
        }
    }
    return 0;
}

/* Walk an index (and the indexes it nests) into dd__image_candidate manifests.
 * Every descriptor counts against the manifests budget, repeats included;
 * a nested index is read once however often it is referenced. */
static int collect(dd_image *img,
                   json_t *index,
                   const char *inherit_ref,
                   int depth,
                   cand_list *cl,
                   dd_error *err)
{
    json_t *ms = json_object_get(index, "manifests");
    if (!json_is_array(ms)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: image index has no manifests array",
                             img->info.path);
    }
    for (size_t i = 0; i < json_array_size(ms) && !img->manifests_hit; i++) {
        if (++img->n_descriptors > img->max_manifests) {
            img->manifests_hit = 1;
            if (dd__image_add_budget(
                    img, "budget.manifests",
                    "the image index references more than %llu "
                    "manifests and indexes (repeats and nested "
                    "indexes included): the rest was not read",
                    (unsigned long long)img->max_manifests)) {
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            break;
        }
        json_t *d = json_array_get(ms, i);
        const char *dg = json_string_value(json_object_get(d, "digest"));
        const char *mt = json_string_value(json_object_get(d, "mediaType"));
        if (!dd__is_sha256_digest(dg)) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "%s: index entry %zu has an invalid or "
                                 "unsupported digest",
                                 img->info.path, i);
        }
        json_t *ann = json_object_get(d, "annotations");
        const char *ref =
            json_string_value(json_object_get(ann, "io.containerd.image.name"));
        const char *short_ref = json_string_value(
            json_object_get(ann, "org.opencontainers.image.ref.name"));
        if (!ref) {
            ref = short_ref;
        }
        if (!ref) {
            ref = inherit_ref;
        }
        if (is_index_type(mt)) {
            dd__image_seen_index *v = find_seen(img, dg);
            if (v) {
                if (same_ref(v->ref, ref) || v->end == (size_t)-1) {
                    continue; /* read already (or being read) */
                }
                int rc = reoffer(img, v, ref, cl, err);
                if (rc) {
                    return rc;
                }
                continue;
            }
            if (depth >= MAX_INDEX_DEPTH) {
                return dd__error_set(err, DD_ELIMIT,
                                     "%s: image indexes nested more than %d "
                                     "deep",
                                     img->info.path, MAX_INDEX_DEPTH);
            }
            json_t *sub;
            json_int_t sz = json_integer_value(json_object_get(d, "size"));
            int rc = dd__image_load_json(img, dd__image_blob_path(img, dg), dg,
                                         sz, &sub, NULL, err);
            if (rc) {
                return rc;
            }
            size_t vi = img->seen.len;
            v = dd__vec_push(&img->seen);
            if (!v) {
                json_decref(sub);
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            v->digest = dd__image_str(img, dg);
            v->ref = ref ? dd__image_str(img, ref) : NULL;
            v->first = cl->n;
            v->end = (size_t)-1;
            rc = collect(img, sub, ref, depth + 1, cl, err);
            json_decref(sub);
            if (rc) {
                return rc;
            }
            /* the vector may have moved while nested indexes were added */
            DD_VEC_AT(&img->seen, dd__image_seen_index, vi)->end = cl->n;
            continue;
        }
        /* unnamed signatures beside the image (Notation, Sigstore bundle
         * referrers: drydock verify reads them) are not images */
        const char *at = json_string_value(json_object_get(d, "artifactType"));
        if (at && !ref &&
            (strcmp(at, "application/vnd.cncf.notary.signature") == 0 ||
             strncmp(at, "application/vnd.dev.sigstore.bundle", 35) == 0)) {
            continue;
        }
        if (cl->n >= MAX_CANDIDATES) {
            return too_many_candidates(img, err);
        }
        dd__image_candidate *c = &cl->items[cl->n++];
        memset(c, 0, sizeof *c);
        c->digest = dd__image_str(img, dg);
        c->media_type = dd__image_str(img, mt);
        json_t *sz = json_object_get(d, "size");
        c->size = json_is_integer(sz) ? (int64_t)json_integer_value(sz) : -1;
        json_t *pf = json_object_get(d, "platform");
        c->os = dd__image_jstr(img, pf, "os");
        c->arch = dd__image_jstr(img, pf, "architecture");
        c->variant = dd__image_jstr(img, pf, "variant");
        c->ref = dd__image_str(img, ref);
    }
    return 0;
}

static int platform_matches(const dd__image_candidate *c,
                            const char *os,
                            const char *arch,
                            const char *variant)
{
    if (!c->os && !c->arch) {
        return 1; /* unknown until the config is read */
    }
    if (os && (!c->os || strcmp(os, c->os) != 0)) {
        return 0;
    }
    if (arch && (!c->arch || strcmp(arch, c->arch) != 0)) {
        return 0;
    }
    if (variant && (!c->variant || strcmp(variant, c->variant) != 0)) {
        return 0;
    }
    return 1;
}

/* cosign's tags beside an image (sha256-<hex>.sig, .att, .sbom) and the
 * referrers tag sha256-<hex>: signatures and attestations, not images */
static int is_signature_tag(const char *ref)
{
    if (!ref || strncmp(ref, "sha256-", 7) != 0) {
        return 0;
    }
    size_t n = 0;
    while (isxdigit((unsigned char)ref[7 + n])) {
        n++;
    }
    const char *rest = ref + 7 + n;
    return n == 64 && (!*rest || !strcmp(rest, ".sig") ||
                       !strcmp(rest, ".att") || !strcmp(rest, ".sbom"));
}

static int select_candidate(dd_image *img,
                            cand_list *cl,
                            const char *tag,
                            const char *platform,
                            const dd__image_candidate **out,
                            dd_error *err)
{
    dd__buf list;
    dd__buf_init(&list, 16384);
    int rc = 0;
    size_t keep[MAX_CANDIDATES];
    size_t nk = 0;
    for (size_t i = 0; i < cl->n; i++) {
        dd__image_candidate *c = &cl->items[i];
        /* buildx attestations are not images */
        if (c->os && strcmp(c->os, "unknown") == 0) {
            continue;
        }
        /* nor are signatures, unless asked for by name */
        if (is_signature_tag(c->ref) && !(tag && !strcmp(tag, c->ref))) {
            continue;
        }
        if (tag && !dd__image_tag_matches(tag, c->ref) &&
            !(c->ref && strcmp(c->ref, tag) == 0)) {
            continue;
        }
        keep[nk++] = i;
    }
    if (nk == 0) {
        for (size_t i = 0; i < cl->n; i++) {
            dd__buf_printf(&list, "%s%s", list.len ? ", " : "",
                           cl->items[i].ref ? cl->items[i].ref : "(no name)");
        }
        rc = dd__error_set(
            err, DD_ENOTFOUND, "%s: no image named '%s'; the index has: %s",
            img->info.path, tag ? tag : "", list.ptr ? list.ptr : "nothing");
        goto out;
    }
    /* distinct names without a tag: the user must choose */
    if (!tag) {
        for (size_t k = 1; k < nk; k++) {
            const char *a = cl->items[keep[0]].ref, *b = cl->items[keep[k]].ref;
            if ((a || b) && (!a || !b || strcmp(a, b) != 0)) {
                for (size_t j = 0; j < nk; j++) {
                    dd__buf_printf(&list, "%s%s", list.len ? ", " : "",
                                   cl->items[keep[j]].ref
                                       ? cl->items[keep[j]].ref
                                       : "(no name)");
                }
                rc = dd__error_set(err, DD_EAMBIGUOUS,
                                   "%s holds several images (%s): choose one "
                                   "with --tag NAME or oci:PATH:NAME",
                                   img->info.path, list.ptr);
                goto out;
            }
        }
    }
    char os[192] = "linux", arch[192], variant[192] = "";
    snprintf(arch, sizeof arch, "%s", dd__image_host_arch());
    if (platform) {
        char tmp[192];
        snprintf(tmp, sizeof tmp, "%s", platform);
        char *a = strchr(tmp, '/');
        if (!a) {
            rc = dd__error_set(err, DD_EINVALID,
                               "--platform must be os/arch[/variant], not "
                               "'%s'",
                               platform);
            goto out;
        }
        *a++ = '\0';
        char *v = strchr(a, '/');
        if (v) {
            *v++ = '\0';
        }
        snprintf(os, sizeof os, "%s", tmp);
        snprintf(arch, sizeof arch, "%s", a);
        snprintf(variant, sizeof variant, "%s", v ? v : "");
    }
    const dd__image_candidate *best = NULL;
    for (size_t k = 0; k < nk && !best; k++) {
        const dd__image_candidate *c = &cl->items[keep[k]];
        if (platform_matches(c, os, arch, variant[0] ? variant : NULL)) {
            best = c;
        }
    }
    if (!best && !platform && nk == 1) {
        best = &cl->items[keep[0]]; /* a single image of another platform */
    }
    if (!best) {
        for (size_t k = 0; k < nk; k++) {
            const dd__image_candidate *c = &cl->items[keep[k]];
            dd__buf_printf(&list, "%s%s/%s%s%s", list.len ? ", " : "",
                           c->os ? c->os : "?", c->arch ? c->arch : "?",
                           c->variant ? "/" : "", c->variant ? c->variant : "");
        }
        rc = dd__error_set(err, DD_ENOTFOUND,
                           "%s: no image for platform %s/%s%s%s; available: "
                           "%s (use --platform)",
                           img->info.path, os, arch, variant[0] ? "/" : "",
                           variant, list.ptr ? list.ptr : "none");
        goto out;
    }
    *out = best;
out:
    dd__buf_free(&list);
    return rc;
}

static int
parse_manifest(dd_image *img, json_t *m, json_t **cfg_out, dd_error *err)
{
    const char *mt = json_string_value(json_object_get(m, "mediaType"));
    json_int_t sv = json_integer_value(json_object_get(m, "schemaVersion"));
    if (sv == 1 || (mt && strstr(mt, "docker.distribution.manifest.v1"))) {
        return dd__error_set(err, DD_EUNSUPPORTED,
                             "%s: Docker schema 1 manifests are deprecated and "
                             "unsupported (unsigned layer order, no digests "
                             "for the config); re-push the image",
                             img->info.path);
    }
    json_t *c = json_object_get(m, "config");
    const char *cdg = json_string_value(json_object_get(c, "digest"));
    json_t *layers = json_object_get(m, "layers");
    if (!dd__is_sha256_digest(cdg) || !json_is_array(layers)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: manifest lacks a valid config digest or "
                             "layers array",
                             img->info.path);
    }
    json_t *csz = json_object_get(c, "size");
    int rc =
        dd__image_load_json(img, dd__image_blob_path(img, cdg), cdg,
                            json_is_integer(csz) ? json_integer_value(csz) : -1,
                            cfg_out, NULL, err);
    if (rc) {
        return rc;
    }
    img->info.config_digest = dd__image_str(img, cdg);
    size_t nl = json_array_size(layers);
    if ((rc = dd__image_alloc_layers(img, &nl, err)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < nl; i++) {
        json_t *d = json_array_get(layers, i);
        const char *dg = json_string_value(json_object_get(d, "digest"));
        if (!dd__is_sha256_digest(dg)) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "%s: layer %zu has an invalid or unsupported "
                                 "digest",
                                 img->info.path, i);
        }
        json_t *sz = json_object_get(d, "size");
        img->srcs[i].path = dd__image_blob_path(img, dg);
        img->srcs[i].expect_digest = dd__image_str(img, dg);
        img->srcs[i].expect_size =
            json_is_integer(sz) ? (int64_t)json_integer_value(sz) : -1;
        img->layers[i].digest = img->srcs[i].expect_digest;
        img->layers[i].media_type = dd__image_jstr(img, d, "mediaType");
        img->layers[i].size = img->srcs[i].expect_size >= 0
                                  ? (uint64_t)img->srcs[i].expect_size
                                  : 0;
        if (!dd__store_has(img->store, img->srcs[i].path)) {
            return dd__error_set(err, DD_ENOTFOUND,
                                 "%s: layer %zu blob %s is missing",
                                 img->info.path, i, dg);
        }
    }
    return 0;
}

int dd__oci_layout_open(dd_image *img,
                        const char *tag,
                        const char *platform,
                        dd_error *err)
{
    json_t *index = NULL, *m = NULL, *cfg = NULL;
    cand_list *cl = NULL;
    int rc =
        dd__image_load_json(img, "index.json", NULL, -1, &index, NULL, err);
    if (rc) {
        return rc;
    }
    cl = dd__calloc(1, sizeof *cl);
    if (!cl) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = collect(img, index, NULL, 0, cl, err)) != 0) {
        goto out;
    }
    if (cl->n == 0 && img->manifests_hit) {
        rc = dd__error_set(err, DD_ELIMIT,
                           "%s: the image index references more than %llu "
                           "manifests and indexes without naming an image "
                           "(budget.manifests): nothing to scan",
                           img->info.path,
                           (unsigned long long)img->max_manifests);
        goto out;
    }
    const dd__image_candidate *c = NULL;
    if ((rc = select_candidate(img, cl, tag, platform, &c, err)) != 0) {
        if (img->manifests_hit) {
            char prev[sizeof err->message];
            snprintf(prev, sizeof prev, "%s", err->message);
            dd__error_set(err, rc,
                          "%s (the index walk stopped at the budget of %llu "
                          "manifests)",
                          prev, (unsigned long long)img->max_manifests);
        }
        goto out;
    }
    const char **tags = dd__arena_alloc(&img->a, (cl->n + 1) * sizeof *tags);
    if (tags) {
        size_t nt = 0;
        for (size_t i = 0; i < cl->n; i++) {
            if (cl->items[i].ref) {
                tags[nt++] = cl->items[i].ref;
            }
        }
        tags[nt] = NULL;
        img->info.repo_tags = tags;
        img->info.n_repo_tags = nt;
    }
    img->info.name = c->ref;
    img->info.manifest_digest = c->digest;
    if ((rc = dd__image_load_json(img, dd__image_blob_path(img, c->digest),
                                  c->digest, c->size, &m, NULL, err)) != 0) {
        goto out;
    }
    if ((rc = parse_manifest(img, m, &cfg, err)) != 0) {
        goto out;
    }
    if ((rc = dd__image_parse_config(img, cfg, err)) != 0) {
        goto out;
    }
    dd__image_bind_layers(img, cfg);
    if (platform && img->info.architecture) {
        /* the index may not have said; the config decides */
        char want[192];
        snprintf(want, sizeof want, "%s/%s", img->info.os ? img->info.os : "",
                 img->info.architecture);
        if (strncmp(platform, want, strlen(want)) != 0) {
            rc = dd__error_set(err, DD_ENOTFOUND, "%s: image is %s, not %s",
                               img->info.path, want, platform);
        }
    }
out:
    dd__free(cl);
    json_decref(index);
    json_decref(m);
    json_decref(cfg);
    return rc;
}
