/*
 * lib/registry/api.c - the public listing API (drydock/registry.h) over
 * the client: catalog and tag lists with Link pagination (at most 10,000
 * pages), manifest digests computed by us.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "drydock/registry.h"
#include "registry_int.h"
#include "../../util/sha256.h"
#include "../../util/util.h"

#define MAX_PAGE  (16u << 20)
#define MAX_PAGES 10000

struct dd_registry {
    dd__registry *c;
    dd__ref ref;
    unsigned page;
};

int dd_registry_open(dd_registry **out,
                     const char *host,
                     const dd_registry_opts *opts,
                     dd_error *err)
{
    dd__error_clear(err);
    *out = NULL;
    dd_registry *r = dd__calloc(1, sizeof *r);
    if (!r) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    /* parse "HOST/x" to validate the host the same way references are */
    char probe[DD_REF_MAX + 8];
    snprintf(probe, sizeof probe, "%s/x", host);
    int rc = strchr(host, '/') ? dd__error_set(err, DD_EINVALID,
                                               "'%s': a registry host, "
                                               "without a repository",
                                               host)
                               : dd__ref_parse(probe, &r->ref, err);
    r->page = opts && opts->page_size ? opts->page_size : 1000;
    if (!rc) {
        r->ref.repo[0] = 0;
        rc = dd__registry_new(&r->c, &r->ref, opts, err);
    }
    if (rc) {
        dd__free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void dd_registry_close(dd_registry *r)
{
    if (r) {
        dd__registry_free(r->c);
        dd__free(r);
    }
}

void dd_registry_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        dd__free(v[i]);
    }
    dd__free(v);
}

/* GET every page of `first`, appending the strings of array `key` */
static int pages(dd_registry *r,
                 const char *first,
                 const char *key,
                 char ***out,
                 size_t *n,
                 dd_error *err)
{
    dd__vec v;
    dd__vec_init(&v, sizeof(char *));
    char path[2048], next[2048];
    snprintf(path, sizeof path, "%s", first);
    int rc = 0;
    for (int page = 0; !rc && path[0]; page++) {
        if (page == MAX_PAGES) {
            rc = dd__error_set(err, DD_ELIMIT, "more than %d pages of %s",
                               MAX_PAGES, key);
            break;
        }
        char *body = NULL;
        size_t len = 0;
        rc = dd__registry_get_page(r->c, path, NULL, MAX_PAGE, &body, &len,
                                   NULL, 0, next, sizeof next, err);
        if (rc) {
            break;
        }
        json_t *j = NULL;
        rc = dd__json_parse(&j, body, len, MAX_PAGE, key, err);
        dd__free(body);
        if (rc) {
            break;
        }
        json_t *a = json_object_get(j, key);
        if (!json_is_array(a) && !json_is_null(a)) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: /v2/%.200s: no \"%s\" array in the answer",
                               r->ref.domain, path, key);
        }
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e)
        {
            const char *s = json_string_value(e);
            char **slot = s ? dd__vec_push(&v) : NULL;
            if (s && (!slot || !(*slot = dd__strdup(s)))) {
                if (slot) {
                    v.len--;
                }
                rc = dd__error_set(err, DD_ENOMEM, "out of memory");
                break;
            }
        }
        json_decref(j);
        snprintf(path, sizeof path, "%s", next);
    }
    if (rc) {
        dd_registry_strings_free(v.items, v.len);
        return rc;
    }
    *out = v.items;
    *n = v.len;
    return 0;
}

int dd_registry_repos(dd_registry *r, char ***names, size_t *n, dd_error *err)
{
    dd__error_clear(err);
    char p[64];
    snprintf(p, sizeof p, "_catalog?n=%u", r->page);
    return pages(r, p, "repositories", names, n, err);
}

int dd_registry_tags(
    dd_registry *r, const char *repo, char ***tags, size_t *n, dd_error *err)
{
    dd__error_clear(err);
    char p[DD_REF_MAX + 40];
    snprintf(p, sizeof p, "%s/tags/list?n=%u", repo, r->page);
    return pages(r, p, "tags", tags, n, err);
}

int dd_registry_digest(dd_registry *r,
                       const char *repo,
                       const char *tag,
                       char out[80],
                       dd_error *err)
{
    dd__error_clear(err);
    static const char accept[] =
        "application/vnd.oci.image.index.v1+json,"
        "application/vnd.oci.image.manifest.v1+json,"
        "application/vnd.docker.distribution.manifest.list.v2+json,"
        "application/vnd.docker.distribution.manifest.v2+json";
    char p[DD_REF_MAX + 200];
    snprintf(p, sizeof p, "%s/manifests/%s", repo, tag);
    char *body = NULL;
    size_t len = 0;
    int rc =
        dd__registry_get(r->c, p, accept, 4u << 20, &body, &len, NULL, 0, err);
    if (rc) {
        return rc;
    }
    dd_sha256 *h = dd__sha256_new();
    if (!h) {
        dd__free(body);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__sha256_update(h, body, len);
    dd__sha256_final_digest(h, out);
    dd__sha256_free(h);
    dd__free(body);
    return 0;
}
