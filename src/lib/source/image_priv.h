/*
 * lib/source/image_priv.h - what the parts of an opened image share:
 * the dd_image object (image.c owns it: dd_image_open allocates,
 * dd_image_free frees; every string below lives in its arena), the
 * helpers the readers of each source format use, and the format readers:
 *   image.c          the source table and entry point, shared helpers
 *   image_config.c   the image config (history, env, layers' diff_ids)
 *   docker_archive.c `docker save` manifest.json
 *   oci_layout.c     OCI index (nested, platform and tag selection) and
 *                    manifest; registries are read as an OCI layout
 *   fs_dir.c         fs:PATH and rootfs:PATH: a directory read as one
 *                    layer, no store, no config
 *   sbom_input.c     sbom:FILE: a CycloneDX/SPDX package list, no layers
 */
#ifndef DD__IMAGE_PRIV_H
#define DD__IMAGE_PRIV_H

#include <jansson.h>

#include "image_int.h"
#include "../../util/arena.h"
#include "../../util/util.h"

#define MAX_CANDIDATES  1024
#define MAX_INDEX_DEPTH 4
/* budget defaults (dd_image_opts, docs/budgets.md) */
#define DEFAULT_MAX_MANIFESTS 1024
#define DEFAULT_MAX_LAYERS    4096
#define DEFAULT_MAX_HISTORY   10000

/* A nested index already read while resolving this image: never read
 * again. Its candidates are cl->items[first, end). */
typedef struct dd__image_seen_index {
    const char *digest;
    const char *ref; /* the name it was walked under, or NULL */
    size_t first, end;
} dd__image_seen_index;

struct dd_image {
    dd_image_info info;
    dd_store *store;
    dd__arena a;
    dd_findings *findings;
    dd_layer_desc *layers;
    dd__layer_src *srcs;
    size_t max_json;
    /* budgets (dd_image_opts) and what they have seen */
    uint64_t max_manifests, max_layers, max_history;
    uint64_t n_descriptors;    /* index descriptors examined */
    int manifests_hit;         /* budget.manifests reported */
    size_t manifest_layers;    /* layers the manifest lists (before budget) */
    int incomplete;            /* a budget cut the metadata short */
    dd__vec seen;              /* dd__image_seen_index */
    int missing;               /* a bare reference named no local file */
    const char *resolved_from; /* static: where a bare name was found */
    struct dd__sbom_doc *sbom; /* sbom:FILE: the package list, owned */
};

typedef struct dd__image_candidate {
    const char *digest;
    const char *media_type;
    int64_t size;
    const char *os, *arch, *variant; /* NULL when the index does not say */
    const char *ref;                 /* ref.name / image.name annotation */
} dd__image_candidate;

/* arena copies (NULL stays NULL); a JSON member's string or NULL */
int dd__image_add_budget(dd_image *img, const char *rule, const char *fmt, ...)
    DD_PRINTF(3, 4);
const char *dd__image_host_arch(void);
const char *dd__image_str(dd_image *img, const char *s);
const char *dd__image_jstr(dd_image *img, json_t *obj, const char *key);
int dd__image_add_integrity(dd_image *img,
                            const char *rule,
                            const char *path,
                            const char *digest,
                            int layer,
                            const char *fmt,
                            const char *a1,
                            const char *a2);
int dd__image_load_json(dd_image *img,
                        const char *path,
                        const char *expect_digest,
                        int64_t expect_size,
                        json_t **out,
                        char *digest_out,
                        dd_error *err);
const char *dd__image_blob_path(dd_image *img, const char *digest);
int dd__image_tag_matches(const char *want, const char *have);
int dd__image_parse_config(dd_image *img, json_t *cfg, dd_error *err);
int dd__image_bind_layers(dd_image *img, json_t *cfg);
int dd__image_alloc_layers(dd_image *img, size_t *np, dd_error *err);
int dd__docker_archive_open(dd_image *img, const char *tag, dd_error *err);
/* fs:PATH (rootfs 0: a directory or one file) or rootfs:PATH (rootfs 1:
 * a directory) as an image of one layer; `ref` is the whole reference,
 * the image's name. */
int dd__fs_dir_open(dd_image *img,
                    const char *ref,
                    const char *path,
                    int rootfs,
                    dd_error *err);
/* sbom:FILE: `ref` is the whole reference (the image's name), `path`
 * the file (sbom_input.c). */
int dd__sbom_image_open(dd_image *img,
                        const char *ref,
                        const char *path,
                        dd_error *err);
int dd__oci_layout_open(dd_image *img,
                        const char *tag,
                        const char *platform,
                        dd_error *err);

#endif
