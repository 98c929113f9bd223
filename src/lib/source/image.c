/*
 * lib/source/image.c - image metadata: source detection, docker-archive
 * manifest.json, OCI index/manifest (nested indexes, platform and tag
 * selection), config. Every manifest and config byte is verified against
 * the digest that refers to it; a mismatch is an integrity finding.
 *
 * JSON is parsed by jansson with duplicate keys rejected (two parsers must
 * never disagree about a manifest) and a size cap before parsing.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "image_int.h"
#include "store.h"
#include "../registry/registry_int.h"
#include "../secret/secret.h"
#include "config_mask.h"
#include "../findings_int.h"
#include "../../util/arena.h"
#include "../../util/sha256.h"
#include "../../util/util.h"

#define MAX_CANDIDATES  1024
#define MAX_INDEX_DEPTH 4
/* budget defaults (dd_image_opts, docs/budgets.md) */
#define DEFAULT_MAX_MANIFESTS 1024
#define DEFAULT_MAX_LAYERS    4096
#define DEFAULT_MAX_HISTORY   10000

/* A nested index already read while resolving this image: never read
 * again. Its candidates are cl->items[first, end). */
typedef struct seen_index {
    const char *digest;
    const char *ref; /* the name it was walked under, or NULL */
    size_t first, end;
} seen_index;

struct dd_image {
    dd_image_info info;
    dd_store *store;
    dd_arena a;
    dd_findings *findings;
    dd_layer_desc *layers;
    dd_layer_src *srcs;
    size_t max_json;
    /* budgets (dd_image_opts) and what they have seen */
    uint64_t max_manifests, max_layers, max_history;
    uint64_t n_descriptors; /* index descriptors examined */
    int manifests_hit;      /* budget.manifests reported */
    size_t manifest_layers; /* layers the manifest lists (before budget) */
    int incomplete;         /* a budget cut the metadata short */
    dd_vec seen;            /* seen_index */
};

typedef struct candidate {
    const char *digest;
    const char *media_type;
    int64_t size;
    const char *os, *arch, *variant; /* NULL when the index does not say */
    const char *ref;                 /* ref.name / image.name annotation */
} candidate;

/* A HIGH "budget.*" finding on the image; the image is read in part. */
static int add_budget(dd_image *img, const char *rule, const char *fmt, ...)
    DD_PRINTF(3, 4);
static int add_budget(dd_image *img, const char *rule, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    img->incomplete = 1;
    dd_finding_spec sp = {DD_KIND_ARCHIVE,
                          DD_SEV_HIGH,
                          rule,
                          NULL,
                          NULL,
                          NULL,
                          -1,
                          -1,
                          0,
                          0,
                          0,
                          NULL,
                          NULL,
                          NULL};
    return dd__findings_add(img->findings, &sp, "%s", msg);
}

static const char *host_arch(void)
{
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#elif defined(__arm__)
    return "arm";
#elif defined(__i386__)
    return "386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
    return "ppc64le";
#elif defined(__s390x__)
    return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    return "riscv64";
#else
    return "unknown";
#endif
}

static const char *astr(dd_image *img, const char *s)
{
    return s ? dd__arena_strdup(&img->a, s) : NULL;
}

static const char *jstr(dd_image *img, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? astr(img, json_string_value(v)) : NULL;
}

static int add_integrity(dd_image *img,
                         const char *rule,
                         const char *path,
                         const char *digest,
                         int layer,
                         const char *fmt,
                         const char *a1,
                         const char *a2)
{
    dd_finding_spec sp = {DD_KIND_INTEGRITY,
                          DD_SEV_HIGH,
                          rule,
                          path,
                          digest,
                          NULL,
                          layer,
                          -1,
                          0,
                          0,
                          0,
                          NULL,
                          NULL,
                          NULL};
    return dd__findings_add(img->findings, &sp, fmt, a1, a2);
}

/* Read a JSON file from the store, verify its digest if one is expected. */
static int load_json(dd_image *img,
                     const char *path,
                     const char *expect_digest,
                     int64_t expect_size,
                     json_t **out,
                     char *digest_out,
                     dd_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc =
        dd__store_read_all(img->store, path, img->max_json, &data, &len, err);
    if (rc) {
        return rc;
    }
    char got[72];
    dd__sha256_digest(data, len, got);
    if (digest_out) {
        memcpy(digest_out, got, 72);
    }
    if (expect_digest && strcmp(expect_digest, got) != 0) {
        add_integrity(img, "integrity.metadata-digest", path, expect_digest, -1,
                      "%s does not match its digest (content hashes to %s)",
                      path, got);
    } else if (expect_size >= 0 && (uint64_t)expect_size != len) {
        char n[32];
        snprintf(n, sizeof n, "%zu", len);
        add_integrity(img, "integrity.metadata-size", path, expect_digest, -1,
                      "%s is %s bytes, not the size its descriptor states",
                      path, n);
    }
    char what[1024];
    snprintf(what, sizeof what, "%s: %s", dd__store_path(img->store), path);
    json_t *j = NULL;
    int prc = dd__json_parse(&j, data, len, 0, what, err);
    dd__free(data);
    if (prc) {
        return prc;
    }
    *out = j;
    return 0;
}

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
            v[k++] = astr(img, json_string_value(e));
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
        v[k++] = astr(img, key);
    }
    *out = v;
    *n = k;
    return 0;
}

static int parse_config(dd_image *img, json_t *cfg, dd_error *err)
{
    dd_image_info *in = &img->info;
    if (!json_is_object(cfg)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: image config is not a JSON object", in->path);
    }
    in->os = jstr(img, cfg, "os");
    in->architecture = jstr(img, cfg, "architecture");
    in->variant = jstr(img, cfg, "variant");
    in->created = jstr(img, cfg, "created");
    in->author = jstr(img, cfg, "author");
    json_t *c = json_object_get(cfg, "config");
    if (json_is_object(c)) {
        in->user = jstr(img, c, "User");
        in->workdir = jstr(img, c, "WorkingDir");
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
                    kv[k].key = astr(img, key);
                    kv[k].value = astr(img, json_string_value(val));
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
                in->healthcheck = astr(img, t);
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
            if (add_budget(img, "budget.history",
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
            h[i].created = jstr(img, e, "created");
            h[i].created_by_raw = jstr(img, e, "created_by");
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
            h[i].comment = jstr(img, e, "comment");
            h[i].empty_layer = json_is_true(json_object_get(e, "empty_layer"));
        }
        in->history = h;
        in->n_history = n;
    }
    return 0;
}

/* Give layers their diff_ids and history steps from the config. */
static int bind_layers(dd_image *img, json_t *cfg)
{
    json_t *ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
    size_t nids = json_is_array(ids) ? json_array_size(ids) : 0;
    if (nids != img->manifest_layers) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", nids);
        snprintf(b, sizeof b, "%zu", img->manifest_layers);
        add_integrity(img, "integrity.layer-count", NULL, NULL, -1,
                      "config lists %s diff_ids but the manifest has %s "
                      "layers",
                      a, b);
    }
    for (size_t i = 0; i < img->info.n_layers; i++) {
        json_t *d = i < nids ? json_array_get(ids, i) : NULL;
        const char *s = json_is_string(d) ? json_string_value(d) : NULL;
        img->layers[i].diff_id = s ? astr(img, s) : NULL;
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
static int alloc_layers(dd_image *img, size_t *np, dd_error *err)
{
    size_t n = *np;
    img->manifest_layers = n;
    if (n > img->max_layers) {
        if (add_budget(img, "budget.layers",
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

static const char *blob_path(dd_image *img, const char *digest)
{
    char tmp[128];
    snprintf(tmp, sizeof tmp, "blobs/sha256/%s", digest + 7);
    return astr(img, tmp);
}

/* ---- tag matching ------------------------------------------------------ */

static int tag_matches(const char *want, const char *have)
{
    if (!want || !have) {
        return 0;
    }
    if (strcmp(want, have) == 0) {
        return 1;
    }
    size_t wl = strlen(want), hl = strlen(have);
    /* "name" matches "name:latest"; "3.20" matches "alpine:3.20";
     * "alpine:3.20" matches "docker.io/library/alpine:3.20" */
    if (hl > wl && have[hl - wl - 1] == ':' &&
        strcmp(have + hl - wl, want) == 0) {
        return 1;
    }
    if (hl > wl && have[hl - wl - 1] == '/' &&
        strcmp(have + hl - wl, want) == 0) {
        return 1;
    }
    /* "name" matches "name:anytag" (the first such image is taken) */
    if (!strchr(want, ':') && hl > wl && strncmp(have, want, wl) == 0 &&
        have[wl] == ':' && !strchr(have + wl + 1, '/')) {
        return 1;
    }
    return 0;
}

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
    return dd__is_sha256_digest(tmp) ? astr(img, tmp) : NULL;
}

static int open_docker(dd_image *img, const char *tag, dd_error *err)
{
    json_t *man = NULL, *cfg = NULL;
    int rc = load_json(img, "manifest.json", NULL, -1, &man, NULL, err);
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
    dd_buf names;
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
                tags[ntags++] = astr(img, t);
            }
            dd__buf_printf(&names, "%s%s", names.len ? ", " : "", t);
            if (!hit && tag_matches(tag, t)) {
                hit = 1;
                chosen_name = astr(img, t);
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
    rc = load_json(img, cfg_path, cfg_digest, -1, &cfg, got, err);
    if (rc) {
        goto out;
    }
    img->info.config_digest = astr(img, got);
    if ((rc = parse_config(img, cfg, err)) != 0) {
        goto out;
    }
    size_t nl = json_array_size(layers);
    if ((rc = alloc_layers(img, &nl, err)) != 0) {
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
        dd_region r;
        if ((rc = dd__store_region(img->store, p, &r, err)) != 0) {
            goto out;
        }
        dd__region_close(&r);
        img->srcs[i].path = astr(img, p);
        img->srcs[i].expect_size = (int64_t)r.length;
        /* docker >= 25 names blobs by digest: verify it */
        img->srcs[i].expect_digest =
            strncmp(p, "blobs/", 6) == 0 ? digest_from_path(img, p) : NULL;
        img->layers[i].digest = img->srcs[i].expect_digest;
        img->layers[i].size = r.length;
    }
    bind_layers(img, cfg);
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

/* ---- OCI layout -------------------------------------------------------- */

typedef struct cand_list {
    candidate items[MAX_CANDIDATES];
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

static seen_index *find_seen(dd_image *img, const char *digest)
{
    for (size_t i = 0; i < img->seen.len; i++) {
        seen_index *v = DD_VEC_AT(&img->seen, seen_index, i);
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
                   const seen_index *v,
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
        candidate *c = &cl->items[cl->n++];
        *c = cl->items[k];
        if (same_ref(c->ref, vref)) {
            c->ref = ref ? astr(img, ref) : NULL;
        }
    }
    return 0;
}

/* Walk an index (and the indexes it nests) into candidate manifests.
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
            if (add_budget(img, "budget.manifests",
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
            seen_index *v = find_seen(img, dg);
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
            int rc =
                load_json(img, blob_path(img, dg), dg, sz, &sub, NULL, err);
            if (rc) {
                return rc;
            }
            size_t vi = img->seen.len;
            v = dd__vec_push(&img->seen);
            if (!v) {
                json_decref(sub);
                return dd__error_set(err, DD_ENOMEM, "out of memory");
            }
            v->digest = astr(img, dg);
            v->ref = ref ? astr(img, ref) : NULL;
            v->first = cl->n;
            v->end = (size_t)-1;
            rc = collect(img, sub, ref, depth + 1, cl, err);
            json_decref(sub);
            if (rc) {
                return rc;
            }
            /* the vector may have moved while nested indexes were added */
            DD_VEC_AT(&img->seen, seen_index, vi)->end = cl->n;
            continue;
        }
        if (cl->n >= MAX_CANDIDATES) {
            return too_many_candidates(img, err);
        }
        candidate *c = &cl->items[cl->n++];
        memset(c, 0, sizeof *c);
        c->digest = astr(img, dg);
        c->media_type = astr(img, mt);
        json_t *sz = json_object_get(d, "size");
        c->size = json_is_integer(sz) ? (int64_t)json_integer_value(sz) : -1;
        json_t *pf = json_object_get(d, "platform");
        c->os = jstr(img, pf, "os");
        c->arch = jstr(img, pf, "architecture");
        c->variant = jstr(img, pf, "variant");
        c->ref = astr(img, ref);
    }
    return 0;
}

static int platform_matches(const candidate *c,
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

static int select_candidate(dd_image *img,
                            cand_list *cl,
                            const char *tag,
                            const char *platform,
                            const candidate **out,
                            dd_error *err)
{
    dd_buf list;
    dd__buf_init(&list, 16384);
    int rc = 0;
    size_t keep[MAX_CANDIDATES];
    size_t nk = 0;
    for (size_t i = 0; i < cl->n; i++) {
        candidate *c = &cl->items[i];
        /* buildx attestations are not images */
        if (c->os && strcmp(c->os, "unknown") == 0) {
            continue;
        }
        if (tag && !tag_matches(tag, c->ref) &&
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
    snprintf(arch, sizeof arch, "%s", host_arch());
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
    const candidate *best = NULL;
    for (size_t k = 0; k < nk && !best; k++) {
        const candidate *c = &cl->items[keep[k]];
        if (platform_matches(c, os, arch, variant[0] ? variant : NULL)) {
            best = c;
        }
    }
    if (!best && !platform && nk == 1) {
        best = &cl->items[keep[0]]; /* a single image of another platform */
    }
    if (!best) {
        for (size_t k = 0; k < nk; k++) {
            const candidate *c = &cl->items[keep[k]];
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
    int rc = load_json(img, blob_path(img, cdg), cdg,
                       json_is_integer(csz) ? json_integer_value(csz) : -1,
                       cfg_out, NULL, err);
    if (rc) {
        return rc;
    }
    img->info.config_digest = astr(img, cdg);
    size_t nl = json_array_size(layers);
    if ((rc = alloc_layers(img, &nl, err)) != 0) {
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
        img->srcs[i].path = blob_path(img, dg);
        img->srcs[i].expect_digest = astr(img, dg);
        img->srcs[i].expect_size =
            json_is_integer(sz) ? (int64_t)json_integer_value(sz) : -1;
        img->layers[i].digest = img->srcs[i].expect_digest;
        img->layers[i].media_type = jstr(img, d, "mediaType");
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

static int
open_oci(dd_image *img, const char *tag, const char *platform, dd_error *err)
{
    json_t *index = NULL, *m = NULL, *cfg = NULL;
    cand_list *cl = NULL;
    int rc = load_json(img, "index.json", NULL, -1, &index, NULL, err);
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
    const candidate *c = NULL;
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
    if ((rc = load_json(img, blob_path(img, c->digest), c->digest, c->size, &m,
                        NULL, err)) != 0) {
        goto out;
    }
    if ((rc = parse_manifest(img, m, &cfg, err)) != 0) {
        goto out;
    }
    if ((rc = parse_config(img, cfg, err)) != 0) {
        goto out;
    }
    bind_layers(img, cfg);
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

/* ---- entry point ------------------------------------------------------- */

static int path_exists(const char *p, int *is_dir)
{
    struct stat st;
    if (stat(p, &st) != 0) {
        return 0;
    }
    *is_dir = S_ISDIR(st.st_mode);
    return 1;
}

/* Split "PATH[:TAG]": the longest prefix that exists is the path. */
static int split_ref(dd_image *img,
                     const char *ref,
                     const char **path,
                     const char **tag,
                     int *is_dir)
{
    if (path_exists(ref, is_dir)) {
        *path = astr(img, ref);
        *tag = NULL;
        return 0;
    }
    /* the first colon after which the prefix exists splits PATH:TAG */
    for (const char *colon = strchr(ref + 1, ':'); colon;
         colon = strchr(colon + 1, ':')) {
        char *p = dd__arena_strndup(&img->a, ref, (size_t)(colon - ref));
        if (p && path_exists(p, is_dir)) {
            *path = p;
            *tag = astr(img, colon + 1);
            return 0;
        }
    }
    return DD_ENOTFOUND;
}

int dd_image_open(dd_image **out,
                  const char *ref,
                  const dd_image_opts *opts,
                  dd_error *err)
{
    dd__error_clear(err);
    if (!out || !ref) {
        return dd__error_set(err, DD_EINVALID, "dd_image_open: NULL argument");
    }
    dd_image_opts defaults = DD_IMAGE_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    dd_image *img = dd__calloc(1, sizeof *img);
    if (!img) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__arena_init(&img->a);
    img->findings = dd__findings_new();
    img->max_json =
        opts->max_json_size ? (size_t)opts->max_json_size : 16u << 20;
    img->max_manifests =
        opts->max_manifests ? opts->max_manifests : DEFAULT_MAX_MANIFESTS;
    img->max_layers = opts->max_layers ? opts->max_layers : DEFAULT_MAX_LAYERS;
    img->max_history =
        opts->max_history ? opts->max_history : DEFAULT_MAX_HISTORY;
    dd__vec_init(&img->seen, sizeof(seen_index));
    int rc = 0;
    if (!img->findings) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        goto fail;
    }
    int force = 0; /* 1 docker-archive, 2 oci */
    if (strncmp(ref, "docker-archive:", 15) == 0) {
        force = 1;
        ref += 15;
    } else if (strncmp(ref, "oci:", 4) == 0) {
        force = 2;
        ref += 4;
    } else if (strncmp(ref, "oci-archive:", 12) == 0) {
        force = 2;
        ref += 12;
    }
    const char *path, *tag;
    int is_dir = 0;
    int daemon_fd = -1;
    char fdpath[64];
    if (!force && !strncmp(ref, "docker:", 7) && strncmp(ref, "docker://", 9)) {
        /* docker:NAME - the daemon's `docker save`, spooled (daemon.c) */
        rc = dd__daemon_fetch(
            ref + 7, opts->registry ? opts->registry->daemon_socket : NULL,
            &daemon_fd, err);
        if (rc) {
            goto fail;
        }
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", daemon_fd);
        rc = dd__store_open_tar(&img->store, fdpath, err);
        close(daemon_fd); /* the store opened its own descriptor */
        if (rc) {
            goto fail;
        }
        img->info.path = astr(img, ref);
        img->info.source = DD_SOURCE_DOCKER_ARCHIVE;
        if (!img->info.path) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            goto fail;
        }
        rc = open_docker(img, opts->tag, err);
        if (rc) {
            goto fail;
        }
        *out = img;
        return 0;
    }
    int remote =
        !force && (!strncmp(ref, "docker://", 9) ||
                   !strncmp(ref, "registry:", 9) || dd__ref_looks_remote(ref));
    if (remote) {
        if (!strncmp(ref, "docker://", 9) || !strncmp(ref, "registry:", 9)) {
            ref += 9;
        }
        char *rtag = NULL;
        int plain = 0;
        rc = dd__remote_store_open(&img->store, ref, opts->registry, &rtag,
                                   &plain, err);
        if (rc) {
            goto fail;
        }
        img->info.path = dd__arena_strdup(&img->a, dd__store_path(img->store));
        img->info.source = DD_SOURCE_REGISTRY;
        tag = dd__arena_strdup(&img->a, rtag);
        dd__free(rtag);
        if (!img->info.path || !tag) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            goto fail;
        }
        if (plain) {
            dd_finding_spec sp = {DD_KIND_TRUST,
                                  DD_SEV_MEDIUM,
                                  "trust.insecure-registry",
                                  NULL,
                                  NULL,
                                  NULL,
                                  -1,
                                  -1,
                                  0,
                                  0,
                                  0,
                                  NULL,
                                  NULL,
                                  NULL};
            rc = dd__findings_add(img->findings, &sp,
                                  "%s was pulled over plain HTTP "
                                  "(--insecure-registry): anyone on the path "
                                  "could read or change it in transit "
                                  "(digests still checked)",
                                  img->info.path);
            if (rc) {
                goto fail;
            }
        }
        rc = open_oci(img, tag, opts->platform, err);
        if (rc) {
            goto fail;
        }
        *out = img;
        return 0;
    }
    if (split_ref(img, ref, &path, &tag, &is_dir) != 0) {
        rc = dd__error_set(err, DD_ENOTFOUND, "%s: no such file or directory",
                           ref);
        goto fail;
    }
    if (opts->tag) {
        tag = opts->tag;
    }
    img->info.path = path;
    rc = is_dir ? dd__store_open_dir(&img->store, path, err)
                : dd__store_open_tar(&img->store, path, err);
    if (rc) {
        goto fail;
    }
    int has_manifest = !is_dir && dd__store_has(img->store, "manifest.json");
    int has_index = dd__store_has(img->store, "index.json");
    if (force == 1 && !has_manifest) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s: not a docker-archive (no manifest.json)", path);
        goto fail;
    }
    if ((force == 2 || !has_manifest) && !has_index) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s: neither a docker save archive (manifest.json) "
                           "nor an OCI layout (index.json)",
                           path);
        goto fail;
    }
    if (force == 2 || !has_manifest) {
        img->info.source = is_dir ? DD_SOURCE_OCI_DIR : DD_SOURCE_OCI_TAR;
        rc = open_oci(img, tag, opts->platform, err);
    } else {
        img->info.source = DD_SOURCE_DOCKER_ARCHIVE;
        rc = open_docker(img, tag, err);
        if (!rc && opts->platform && img->info.architecture) {
            char want[192];
            snprintf(want, sizeof want, "%s/%s",
                     img->info.os ? img->info.os : "", img->info.architecture);
            if (strncmp(opts->platform, want, strlen(want)) != 0) {
                rc = dd__error_set(err, DD_ENOTFOUND, "%s: image is %s, not %s",
                                   path, want, opts->platform);
            }
        }
    }
    if (rc) {
        goto fail;
    }
    *out = img;
    return 0;
fail:
    dd_image_free(img);
    return rc;
}

void dd_image_free(dd_image *img)
{
    if (!img) {
        return;
    }
    dd__store_free(img->store);
    dd_findings_free(img->findings);
    dd__vec_free(&img->seen);
    dd__arena_free(&img->a);
    dd__free(img);
}

const dd_image_info *dd_image_info_get(const dd_image *img)
{
    return img ? &img->info : NULL;
}

const dd_findings *dd_image_findings(const dd_image *img)
{
    return img->findings;
}

int dd__image_complete(const dd_image *img)
{
    return !img->incomplete;
}

size_t dd__image_layer_count(const dd_image *img)
{
    return img->info.n_layers;
}

const dd_layer_src *dd__image_layer_src(const dd_image *img, size_t i)
{
    return i < img->info.n_layers ? &img->srcs[i] : NULL;
}

int dd__image_layer_region(const dd_image *img,
                           size_t i,
                           dd_region *out,
                           dd_error *err)
{
    if (i >= img->info.n_layers) {
        return dd__error_set(err, DD_EINVALID, "no layer %zu", i);
    }
    return dd__store_region(img->store, img->srcs[i].path, out, err);
}

const char *dd_source_kind_name(dd_source_kind k)
{
    switch (k) {
    case DD_SOURCE_DOCKER_ARCHIVE:
        return "docker-archive";
    case DD_SOURCE_OCI_DIR:
        return "oci-dir";
    case DD_SOURCE_OCI_TAR:
        return "oci-archive";
    case DD_SOURCE_REGISTRY:
        return "registry";
    }
    return "unknown";
}

const char *dd_compression_name(dd_compression c)
{
    switch (c) {
    case DD_COMP_NONE:
        return "none";
    case DD_COMP_GZIP:
        return "gzip";
    case DD_COMP_ZSTD:
        return "zstd";
    default:
        return "unknown";
    }
}
