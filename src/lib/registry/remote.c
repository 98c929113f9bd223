/*
 * lib/registry/remote.c - a registry image seen as an OCI image layout,
 * so that source/image.c reads it like any other layout: index.json is
 * written here and names the manifest we fetched (its digest computed
 * from the bytes, never taken from a header; a reference by digest must
 * match it); blobs/sha256/<hex> are fetched when image.c asks for them
 * (manifests of an index and the config in memory, layers streamed into
 * the walk, which hashes them as they pass: a tampered blob is an
 * integrity finding, as for a local image).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "registry_int.h"
#include "../source/store.h"
#include "../../util/sha256.h"
#include "../../util/util.h"

#define MAX_MANIFEST (4u << 20)

static const char ACCEPT[] =
    "application/vnd.oci.image.index.v1+json,"
    "application/vnd.oci.image.manifest.v1+json,"
    "application/vnd.docker.distribution.manifest.list.v2+json,"
    "application/vnd.docker.distribution.manifest.v2+json;q=0.9,"
    "application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.1";

typedef struct remote {
    dd__registry *reg;
    dd__ref ref;
    char *index; /* synthesized index.json */
    size_t index_len;
    char *manifest;
    size_t manifest_len;
    char mdigest[80];
} remote;

static void r_free(void *self)
{
    remote *r = self;
    dd__registry_free(r->reg);
    dd__free(r->index);
    dd__free(r->manifest);
    dd__free(r);
}

/* "blobs/sha256/<64 hex>" -> "sha256:<hex>", or 0 */
static int blob_digest(const char *path, char *out, size_t cap)
{
    if (strncmp(path, "blobs/sha256/", 13) || strlen(path + 13) != 64 ||
        strspn(path + 13, "0123456789abcdef") != 64) {
        return 0;
    }
    snprintf(out, cap, "sha256:%s", path + 13);
    return 1;
}

static int r_has(void *self, const char *path)
{
    (void)self;
    char d[80];
    return !strcmp(path, "index.json") || !strcmp(path, "oci-layout") ||
           blob_digest(path, d, sizeof d);
}

static int r_read_all(void *self,
                      const char *path,
                      size_t max,
                      char **data,
                      size_t *len,
                      dd_error *err)
{
    remote *r = self;
    const char *src = NULL;
    size_t sl = 0;
    char d[80];
    if (!strcmp(path, "index.json")) {
        src = r->index, sl = r->index_len;
    } else if (!strcmp(path, "oci-layout")) {
        src = "{\"imageLayoutVersion\":\"1.0.0\"}", sl = strlen(src);
    } else if (blob_digest(path, d, sizeof d) && !strcmp(d, r->mdigest)) {
        src = r->manifest, sl = r->manifest_len;
    }
    if (src) {
        if (sl > max) {
            return dd__error_set(err, DD_ELIMIT, "%s: larger than %zu bytes",
                                 path, max);
        }
        *data = dd__strndup(src, sl);
        *len = sl;
        return *data ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (!blob_digest(path, d, sizeof d)) {
        return dd__error_set(err, DD_ENOTFOUND, "%s: not in the registry",
                             path);
    }
    /* a config blob, or a manifest an index points to */
    char p[DD_REF_MAX + 120];
    snprintf(p, sizeof p, "%s/blobs/%s", r->ref.repo, d);
    int rc = dd__registry_get(r->reg, p, NULL, max, data, len, NULL, 0, err);
    if (rc == DD_ENOTFOUND) {
        snprintf(p, sizeof p, "%s/manifests/%s", r->ref.repo, d);
        rc = dd__registry_get(r->reg, p, ACCEPT, max, data, len, NULL, 0, err);
    }
    return rc;
}

static long long s_read(void *st, void *buf, size_t n)
{
    return dd__stream_read(st, buf, n);
}

static void s_free(void *st)
{
    dd__stream_free(st);
}

static int
r_region(void *self, const char *path, dd__region *out, dd_error *err)
{
    remote *r = self;
    char d[80];
    if (!blob_digest(path, d, sizeof d)) {
        return dd__error_set(err, DD_ENOTFOUND, "%s: not a blob", path);
    }
    char p[DD_REF_MAX + 120];
    snprintf(p, sizeof p, "%s/blobs/%s", r->ref.repo, d);
    dd__stream *s = NULL;
    int rc = dd__registry_stream(r->reg, p, &s, err);
    if (rc) {
        return rc;
    }
    out->fd = -1;
    out->length = UINT64_MAX;
    out->name = path;
    out->stream = s;
    out->stream_read = s_read;
    out->stream_free = s_free;
    return 0;
}

int dd__remote_store_open(struct dd_store **out,
                          const char *s,
                          const dd_registry_opts *opts,
                          char **tag_out,
                          int *plaintext,
                          char withheld[256],
                          dd_error *err)
{
    *out = NULL;
    *plaintext = 0;
    withheld[0] = '\0';
    *tag_out = NULL;
    remote *r = dd__calloc(1, sizeof *r);
    if (!r) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    int rc = dd__ref_parse(s, &r->ref, err);
    if (!rc) {
        rc = dd__registry_new(&r->reg, &r->ref, opts, err);
    }
    char p[DD_REF_MAX + 200];
    char ctype[128] = "";
    if (!rc) {
        snprintf(p, sizeof p, "%s/manifests/%s", r->ref.repo,
                 r->ref.digest[0] ? r->ref.digest : r->ref.tag);
        rc = dd__registry_get(r->reg, p, ACCEPT, MAX_MANIFEST, &r->manifest,
                              &r->manifest_len, ctype, sizeof ctype, err);
        if (rc == DD_ENOTFOUND) {
            char rs[600], why[200] = "";
            dd__ref_string(&r->ref, rs, sizeof rs);
            const char *paren = strrchr(err->message, '(');
            if (paren) {
                snprintf(why, sizeof why, " %s", paren);
            }
            rc = dd__error_set(err, DD_ENOTFOUND,
                               "%s: no such image in the registry%s", rs, why);
        }
    }
    if (!rc) {
        dd_sha256 *h = dd__sha256_new();
        if (!h) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        } else {
            dd__sha256_update(h, r->manifest, r->manifest_len);
            dd__sha256_final_digest(h, r->mdigest);
            dd__sha256_free(h);
        }
    }
    if (!rc && r->ref.digest[0] && strcmp(r->ref.digest, r->mdigest)) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s/%s@%s: the registry sent a manifest whose "
                           "digest is %s",
                           r->ref.domain, r->ref.repo, r->ref.digest,
                           r->mdigest);
    }
    json_t *m = NULL;
    if (!rc) {
        char what[600];
        snprintf(what, sizeof what, "%s/%s: manifest", r->ref.domain,
                 r->ref.repo);
        rc = dd__json_parse(&m, r->manifest, r->manifest_len, 0, what, err);
    }
    if (!rc) {
        const char *mt = json_string_value(json_object_get(m, "mediaType"));
        if (!mt) {
            mt =
                ctype[0] ? ctype : "application/vnd.oci.image.manifest.v1+json";
        }
        if (json_integer_value(json_object_get(m, "schemaVersion")) == 1 ||
            strstr(mt, "distribution.manifest.v1")) {
            rc = dd__error_set(err, DD_EUNSUPPORTED,
                               "%s/%s: Docker schema 1 manifest (deprecated, "
                               "unsigned layers); push the image again with a "
                               "current client",
                               r->ref.domain, r->ref.repo);
        } else {
            /* the full reference names the image (info.name) */
            char tag[600];
            dd__ref_string(&r->ref, tag, sizeof tag);
            json_t *idx = json_pack(
                "{s:i,s:s,s:[{s:s,s:s,s:I,s:{s:s}}]}", "schemaVersion", 2,
                "mediaType", "application/vnd.oci.image.index.v1+json",
                "manifests", "mediaType", mt, "digest", r->mdigest, "size",
                (json_int_t)r->manifest_len, "annotations",
                "org.opencontainers.image.ref.name", tag);
            size_t n = idx ? json_dumpb(idx, NULL, 0, JSON_COMPACT) : 0;
            r->index = n ? dd__malloc(n + 1) : NULL;
            if (r->index) {
                json_dumpb(idx, r->index, n, JSON_COMPACT);
                r->index[n] = 0;
                r->index_len = n;
            }
            json_decref(idx);
            *tag_out = dd__strdup(tag);
            if (!r->index || !*tag_out) {
                rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            }
        }
    }
    json_decref(m);
    if (rc) {
        dd__free(*tag_out);
        *tag_out = NULL;
        r_free(r);
        return rc;
    }
    *plaintext = dd__registry_plaintext(r->reg);
    (void)dd__registry_withheld(r->reg, withheld, 256);
    dd__store_backend b = {r, r_has, r_region, r_read_all, r_free};
    char name[600];
    dd__ref_string(&r->ref, name, sizeof name);
    return dd__store_open_backend(out, name, &b, err);
}
