/*
 * lib/source/image.c - image metadata: the source table (which reader a
 * reference goes to: docker-archive, OCI layout, registry, daemon, a
 * directory read as one layer with fs: or rootfs:, a package list with
 * sbom:), the
 * entry point and the helpers the readers share. Every manifest and
 * config byte is verified against the digest that refers to it; a
 * mismatch is an integrity finding.
 *
 * JSON is parsed with duplicate keys rejected (two parsers must never
 * disagree about a manifest) and a size cap before parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "image_priv.h"
#include "sbom_input.h"
#include "store.h"
#include "../registry/registry_int.h"
#include "../secret/secret.h"
#include "config_mask.h"
#include "../findings_int.h"
#include "../../util/arena.h"
#include "../../util/sha256.h"
#include "../../util/util.h"

/* A HIGH "budget.*" finding on the image; the image is read in part. */
int dd__image_add_budget(dd_image *img, const char *rule, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    img->incomplete = 1;
    dd__finding_spec sp = {DD_KIND_ARCHIVE,
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

const char *dd__image_host_arch(void)
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

const char *dd__image_str(dd_image *img, const char *s)
{
    return s ? dd__arena_strdup(&img->a, s) : NULL;
}

const char *dd__image_jstr(dd_image *img, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? dd__image_str(img, json_string_value(v)) : NULL;
}

int dd__image_add_integrity(dd_image *img,
                            const char *rule,
                            const char *path,
                            const char *digest,
                            int layer,
                            const char *fmt,
                            const char *a1,
                            const char *a2)
{
    dd__finding_spec sp = {DD_KIND_INTEGRITY,
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
int dd__image_load_json(dd_image *img,
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
        dd__image_add_integrity(
            img, "integrity.metadata-digest", path, expect_digest, -1,
            "%s does not match its digest (content hashes to %s)", path, got);
    } else if (expect_size >= 0 && (uint64_t)expect_size != len) {
        char n[32];
        snprintf(n, sizeof n, "%zu", len);
        dd__image_add_integrity(
            img, "integrity.metadata-size", path, expect_digest, -1,
            "%s is %s bytes, not the size its descriptor states", path, n);
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

const char *dd__image_blob_path(dd_image *img, const char *digest)
{
    char tmp[128];
    snprintf(tmp, sizeof tmp, "blobs/sha256/%s", digest + 7);
    return dd__image_str(img, tmp);
}

/* ---- tag matching ------------------------------------------------------ */

int dd__image_tag_matches(const char *want, const char *have)
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
        *path = dd__image_str(img, ref);
        *tag = NULL;
        return 0;
    }
    /* the first colon after which the prefix exists splits PATH:TAG */
    for (const char *colon = strchr(ref + 1, ':'); colon;
         colon = strchr(colon + 1, ':')) {
        char *p = dd__arena_strndup(&img->a, ref, (size_t)(colon - ref));
        if (p && path_exists(p, is_dir)) {
            *path = p;
            *tag = dd__image_str(img, colon + 1);
            return 0;
        }
    }
    return DD_ENOTFOUND;
}

/* ---- the source table ------------------------------------------------ */

typedef enum src_kind {
    SRC_AUTO,           /* a local path: manifest.json or index.json decides */
    SRC_DOCKER_ARCHIVE, /* a `docker save` tar */
    SRC_OCI,            /* an OCI layout, directory or tar */
    SRC_DAEMON,         /* the docker/podman daemon's `docker save` */
    SRC_REGISTRY,       /* a registry, read as an OCI layout */
    SRC_FS,             /* fs:PATH, a directory or one file (fs_dir.c) */
    SRC_ROOTFS,         /* rootfs:PATH, an unpacked root file system */
    SRC_SBOM,           /* sbom:FILE, a package list (sbom_input.c) */
} src_kind;

/* Reference prefixes, first match wins ("docker://" before "docker:"). */
static const struct {
    const char *prefix;
    src_kind kind;
} SOURCES[] = {
    {"docker-archive:", SRC_DOCKER_ARCHIVE},
    {"oci-archive:", SRC_OCI},
    {"oci:", SRC_OCI},
    {"docker://", SRC_REGISTRY},
    {"registry:", SRC_REGISTRY},
    {"docker:", SRC_DAEMON},
    {"fs:", SRC_FS},
    {"rootfs:", SRC_ROOTFS},
    {"sbom:", SRC_SBOM},
};

static src_kind source_of(const char **ref)
{
    for (size_t i = 0; i < sizeof SOURCES / sizeof *SOURCES; i++) {
        size_t n = strlen(SOURCES[i].prefix);
        if (!strncmp(*ref, SOURCES[i].prefix, n)) {
            *ref += n;
            return SOURCES[i].kind;
        }
    }
    return dd__ref_looks_remote(*ref) ? SRC_REGISTRY : SRC_AUTO;
}

/* docker:NAME - the daemon's `docker save`, spooled (daemon.c) */
static int open_daemon(dd_image *img,
                       const char *ref,
                       const dd_image_opts *opts,
                       dd_error *err)
{
    int daemon_fd = -1;
    char fdpath[64];
    int rc = dd__daemon_fetch(
        ref, opts->registry ? opts->registry->daemon_socket : NULL, &daemon_fd,
        err);
    if (rc) {
        return rc;
    }
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", daemon_fd);
    rc = dd__store_open_tar(&img->store, fdpath, err);
    close(daemon_fd); /* the store opened its own descriptor */
    if (rc) {
        return rc;
    }
    img->info.path = dd__image_str(img, ref);
    img->info.source = DD_SOURCE_DOCKER_ARCHIVE;
    if (!img->info.path) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    return dd__docker_archive_open(img, opts->tag, err);
}

static int open_registry(dd_image *img,
                         const char *ref,
                         const dd_image_opts *opts,
                         dd_error *err)
{
    char *rtag = NULL;
    int plain = 0;
    char withheld[256];
    int rc = dd__remote_store_open(&img->store, ref, opts->registry, &rtag,
                                   &plain, withheld, err);
    if (rc) {
        return rc;
    }
    img->info.path = dd__arena_strdup(&img->a, dd__store_path(img->store));
    img->info.source = DD_SOURCE_REGISTRY;
    const char *tag = dd__arena_strdup(&img->a, rtag);
    dd__free(rtag);
    if (!img->info.path || !tag) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    /* where the image came from is not to be trusted (issue 17) */
    const dd__finding_spec untrusted = {DD_KIND_TRUST,
                                        DD_SEV_MEDIUM,
                                        "trust.untrusted-source",
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
    if (plain) {
        rc = dd__findings_add(img->findings, &untrusted,
                              "%s was pulled over plain HTTP "
                              "(--insecure-registry): anyone on the path "
                              "could read or change it in transit "
                              "(digests still checked)",
                              img->info.path);
        if (rc) {
            return rc;
        }
    }
    if (withheld[0]) {
        rc = dd__findings_add(img->findings, &untrusted,
                              "%s sends its token requests to %s, another "
                              "domain: the credentials were not sent there "
                              "(an anonymous token was asked for; "
                              "--token-host %s if that service is yours)",
                              img->info.path, withheld, withheld);
        if (rc) {
            return rc;
        }
    }
    return dd__oci_layout_open(img, tag, opts->platform, err);
}

/* A local file or directory, as the prefix says or as its contents say. */
static int open_local(dd_image *img,
                      const char *ref,
                      src_kind kind,
                      const dd_image_opts *opts,
                      dd_error *err)
{
    const char *path, *tag;
    int is_dir = 0;
    if (split_ref(img, ref, &path, &tag, &is_dir) != 0) {
        img->missing = 1;
        return dd__error_set(err, DD_ENOTFOUND, "%s: no such file or directory",
                             ref);
    }
    if (opts->tag) {
        tag = opts->tag;
    }
    img->info.path = path;
    int rc = is_dir ? dd__store_open_dir(&img->store, path, err)
                    : dd__store_open_tar(&img->store, path, err);
    if (rc) {
        return rc;
    }
    int has_manifest = !is_dir && dd__store_has(img->store, "manifest.json");
    int has_index = dd__store_has(img->store, "index.json");
    if (kind == SRC_DOCKER_ARCHIVE && !has_manifest) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: not a docker-archive (no manifest.json)",
                             path);
    }
    if ((kind == SRC_OCI || !has_manifest) && !has_index) {
        return dd__error_set(
            err, DD_ECORRUPT,
            "%s: neither a docker save archive (manifest.json) "
            "nor an OCI layout (index.json)",
            path);
    }
    if (kind == SRC_OCI || !has_manifest) {
        img->info.source = is_dir ? DD_SOURCE_OCI_DIR : DD_SOURCE_OCI_TAR;
        return dd__oci_layout_open(img, tag, opts->platform, err);
    }
    img->info.source = DD_SOURCE_DOCKER_ARCHIVE;
    rc = dd__docker_archive_open(img, tag, err);
    if (!rc && opts->platform && img->info.architecture) {
        char want[192];
        snprintf(want, sizeof want, "%s/%s", img->info.os ? img->info.os : "",
                 img->info.architecture);
        if (strncmp(opts->platform, want, strlen(want)) != 0) {
            rc = dd__error_set(err, DD_ENOTFOUND, "%s: image is %s, not %s",
                               path, want, opts->platform);
        }
    }
    return rc;
}

/* A bare name ("alpine:3.20", "nginx", "team/app@sha256:...") that is no
 * file: the local daemon first (`docker save`, like `docker run` would
 * use), then the registry. Only a daemon that is absent or does not have
 * the image passes on to the registry; what each said ends the error. */
static int looks_like_name(const char *ref)
{
    if (!*ref || *ref == '/' || *ref == '.' || *ref == '~' ||
        strlen(ref) > 255) {
        return 0;
    }
    for (const char *p = ref; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(isalnum(c) || c == '.' || c == '_' || c == '-' || c == '/' ||
              c == ':' || c == '@')) {
            return 0;
        }
    }
    /* a file name that is missing stays a missing file */
    static const char *const ext[] = {".tar",  ".tgz", ".gz",  ".zst", ".json",
                                      ".yaml", ".yml", ".oci", ".txt", ".sbom"};
    size_t n = strlen(ref);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && !strcasecmp(ref + n - k, ext[i])) {
            return 0;
        }
    }
    dd__ref r;
    dd_error e;
    return dd__ref_parse(ref, &r, &e) == 0;
}

static int open_bare(dd_image *img,
                     const char *ref,
                     const dd_image_opts *opts,
                     dd_error *err)
{
    dd_error de, re;
    dd__error_clear(&de);
    int rc = open_daemon(img, ref, opts, &de);
    if (rc == 0) {
        img->resolved_from = "the local container daemon";
        return 0;
    }
    if (img->store || (rc != DD_ENOTFOUND && rc != DD_ENET && rc != DD_EIO)) {
        return dd__error_set(err, rc, "%s", de.message); /* it has it, but */
    }
    dd__error_clear(&re);
    rc = open_registry(img, ref, opts, &re);
    if (rc == 0) {
        img->resolved_from = "the registry";
        return 0;
    }
    return dd__error_set(err, rc,
                         "%s: no such file or directory; not from the local "
                         "daemon (%s); not from the registry (%s)",
                         ref, de.message, re.message);
}

const char *dd_image_resolved_from(const dd_image *img)
{
    return img ? img->resolved_from : NULL;
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
    dd__vec_init(&img->seen, sizeof(dd__image_seen_index));
    int rc;
    if (!img->findings) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
    } else {
        const char *whole = ref;
        src_kind kind = source_of(&ref);
        switch (kind) {
        case SRC_FS:
        case SRC_ROOTFS:
            rc = dd__fs_dir_open(img, whole, ref, kind == SRC_ROOTFS, err);
            break;
        case SRC_SBOM:
            rc = dd__sbom_image_open(img, whole, ref, err);
            break;
        case SRC_DAEMON:
            rc = open_daemon(img, ref, opts, err);
            break;
        case SRC_REGISTRY:
            rc = open_registry(img, ref, opts, err);
            break;
        default:
            rc = open_local(img, ref, kind, opts, err);
            if (rc == DD_ENOTFOUND && kind == SRC_AUTO && img->missing &&
                !img->store && looks_like_name(ref)) {
                rc = open_bare(img, ref, opts, err);
            }
            break;
        }
    }
    if (rc) {
        dd_image_free(img);
        return rc;
    }
    *out = img;
    return 0;
}

void dd_image_free(dd_image *img)
{
    if (!img) {
        return;
    }
    dd__store_free(img->store);
    dd__sbom_doc_free(img->sbom);
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

const dd__layer_src *dd__image_layer_src(const dd_image *img, size_t i)
{
    return i < img->info.n_layers ? &img->srcs[i] : NULL;
}

int dd__image_layer_region(const dd_image *img,
                           size_t i,
                           dd__region *out,
                           dd_error *err)
{
    if (i >= img->info.n_layers || img->srcs[i].dir) {
        return dd__error_set(err, DD_EINVALID, "no layer region %zu", i);
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
    case DD_SOURCE_FS:
        return "fs";
    case DD_SOURCE_ROOTFS:
        return "rootfs";
    case DD_SOURCE_SBOM:
        return "sbom";
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
