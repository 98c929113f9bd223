/*
 * drydock/image.h - opening a local image: docker-archive tars (Docker <= 24
 * and >= 25 layouts), OCI layouts (directory or tar).
 *
 * dd_image_open() reads only metadata (index, manifest, config); the config
 * blob and the manifest are checked against their digests here. Layers are
 * read later, once, by dd_walk_run() (walk.h).
 *
 * Ownership: *out is owned by the caller and freed with dd_image_free()
 * (NULL is a no-op). Everything reachable from dd_image_info() is borrowed
 * and lives as long as the image.
 */
#ifndef DRYDOCK_IMAGE_H
#define DRYDOCK_IMAGE_H

#include "common.h"
#include "errors.h"
#include "finding.h"

DD_BEGIN_DECLS

typedef struct dd_image dd_image;

typedef enum dd_source_kind {
    DD_SOURCE_DOCKER_ARCHIVE = 1, /* docker save tar, either layout */
    DD_SOURCE_OCI_DIR,            /* OCI image layout directory */
    DD_SOURCE_OCI_TAR,            /* OCI image layout in a tar */
    DD_SOURCE_REGISTRY,           /* OCI distribution registry */
    DD_SOURCE_FS,     /* fs:PATH - a project directory or one lockfile */
    DD_SOURCE_ROOTFS, /* rootfs:PATH - an unpacked root file system */
    DD_SOURCE_SBOM    /* sbom:FILE - a CycloneDX or SPDX package list */
} dd_source_kind;

/* Registry access (README "Registries"). Every field may stay zero. */
typedef struct dd_registry_opts {
    const char *username, *password; /* explicit credentials, or NULL */
    const char *auth_file;       /* docker config.json / podman auth.json; NULL:
                                    $DOCKER_CONFIG, ~/.docker, podman's */
    const char *ca_file;         /* extra CA bundle; certs.d is read too */
    const char *certs_dir;       /* NULL: /etc/docker/certs.d */
    const char *const *insecure; /* hosts allowed over plain HTTP */
    size_t n_insecure;
    unsigned page_size;        /* catalog/tag list page size; 0 = 1000 */
    const char *daemon_socket; /* docker:NAME: Engine API unix socket;
                                  NULL: $DOCKER_HOST, docker's, podman's */
    /* Token services on another domain than the registry's that may
     * receive the credentials (host names); by default only the
     * registry's own domain does ("auth.docker.io" for
     * "registry-1.docker.io"): a challenge naming a realm elsewhere gets
     * an anonymous token request and a trust.untrusted-source finding. */
    const char *const *token_hosts;
    size_t n_token_hosts;
} dd_registry_opts;

typedef enum dd_compression {
    DD_COMP_UNKNOWN = 0,
    DD_COMP_NONE,
    DD_COMP_GZIP,
    DD_COMP_ZSTD
} dd_compression;

#define DD_IMAGE_OPTS_VERSION 1
typedef struct dd_image_opts {
    unsigned version;
    const char *platform;   /* "os/arch[/variant]"; NULL = this host's */
    const char *tag;        /* wanted tag/ref name; NULL = the only one */
    uint64_t max_json_size; /* cap for manifest/config/index; 0 = 16 MiB */
    const dd_registry_opts *registry; /* for registry references, or NULL */
    /* Image-wide budgets (docs/budgets.md); 0 = the default. Hitting one
     * is a HIGH finding ("budget.manifests", "budget.layers",
     * "budget.history"), the image is read in part and a scan of it is
     * incomplete; the open only fails when nothing usable remains. */
    uint64_t max_manifests; /* index descriptors examined, repeats
                               included, nested indexes too: 1,024 */
    uint64_t max_layers;    /* layer references in the manifest: 4,096 */
    uint64_t max_history;   /* history entries in the config: 10,000 */
} dd_image_opts;
#define DD_IMAGE_OPTS_INIT                                  \
    {                                                       \
        DD_IMAGE_OPTS_VERSION, NULL, NULL, 0, NULL, 0, 0, 0 \
    }

typedef struct dd_kv {
    const char *key;
    const char *value;
} dd_kv;

typedef struct dd_history_step {
    const char *created;
    /* the build step with the values of secret-named assignments and
     * well-known tokens masked ("ARG NPM_TOKEN=****"): what reports show */
    const char *created_by;
    const char *comment;
    int empty_layer;
    int layer; /* layer index this step produced, -1 for empty steps */
    /* the step exactly as the config holds it: for analyzers only (the
     * secret and malware scanners), never to be printed */
    const char *created_by_raw;
} dd_history_step;

typedef struct dd_layer_desc {
    const char *digest;     /* blob digest as the manifest states it */
    const char *diff_id;    /* from the config, NULL if absent */
    const char *media_type; /* NULL for docker <= 24 archives */
    uint64_t size;          /* blob size (stored bytes) */
    int history;            /* history step that made it, -1 if unknown */
} dd_layer_desc;

typedef struct dd_image_info {
    dd_source_kind source;
    const char *path;            /* file or directory opened */
    const char *name;            /* chosen tag/ref name, or NULL */
    const char *manifest_digest; /* sha256 of the manifest bytes, or NULL */
    const char *config_digest;
    const char *os, *architecture, *variant;
    const char *created, *author;
    const char *user, *workdir;
    const char *const *env;
    size_t n_env;
    const char *const *cmd;
    size_t n_cmd;
    const char *const *entrypoint;
    size_t n_entrypoint;
    const char *const *exposed_ports;
    size_t n_exposed_ports;
    const dd_kv *labels;
    size_t n_labels;
    const char *healthcheck; /* JSON text of Healthcheck.Test, or NULL */
    const dd_history_step *history;
    size_t n_history;
    const dd_layer_desc *layers;
    size_t n_layers;
    const char *const *repo_tags; /* every name the archive offers */
    size_t n_repo_tags;
    /* The texts above that come from the config (user, workdir, env, cmd,
     * entrypoint, label values, healthcheck) have the values of
     * secret-named assignments and well-known tokens masked: they are what
     * reports and `inspect` print. These are the same lists exactly as the
     * config holds them, for analyzers only, never to be printed. Same
     * lengths as env, cmd, entrypoint and labels. */
    const char *const *env_raw;
    const char *const *cmd_raw;
    const char *const *entrypoint_raw;
    const dd_kv *labels_raw;
} dd_image_info;

/* Where a bare name given to dd_image_open ("alpine:3.20": no such file)
 * was found: "the local container daemon" or "the registry" (tried in
 * that order); NULL when the reference named its source or a path.
 * Static string. */
DD_API const char *dd_image_resolved_from(const dd_image *img);

/*
 * Open an image. `ref` is a path, or "docker-archive:PATH",
 * "oci:PATH[:TAG]" to force a source kind, or "rootfs:DIR" (an unpacked
 * root file system) or "fs:PATH" (a project directory or one file): a
 * tree on this machine read as an image of one layer, with no config,
 * history or digests (name: the reference; layers[0].digest NULL).
 *
 * Returns 0; DD_ENOTFOUND (no such path, tag or platform: message lists
 * the choices); DD_EAMBIGUOUS (several images and no tag/platform given:
 * message lists them); DD_ECORRUPT (unreadable manifest/config, with the
 * file named); DD_EUNSUPPORTED; DD_ELIMIT; DD_EIO; DD_ENOMEM.
 * Integrity problems of metadata (config digest mismatch) are findings,
 * see dd_image_findings().
 */
DD_API int dd_image_open(dd_image **out,
                         const char *ref,
                         const dd_image_opts *opts,
                         dd_error *err);
DD_API void dd_image_free(dd_image *img);
DD_API const dd_image_info *dd_image_info_get(const dd_image *img);
/* Findings raised while opening (borrowed, never NULL). */
DD_API const dd_findings *dd_image_findings(const dd_image *img);
DD_API const char *dd_source_kind_name(dd_source_kind k);
DD_API const char *dd_compression_name(dd_compression c);

DD_END_DECLS

#endif
