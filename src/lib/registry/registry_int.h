/*
 * lib/registry/registry_int.h - images in an OCI distribution registry
 * (internal).
 *
 *   ref.c     image references: parsing and normalisation
 *             ("nginx" -> docker.io/library/nginx:latest)
 *   auth.c    WWW-Authenticate challenges, credentials (docker
 *             config.json, $DOCKER_CONFIG, podman auth.json, explicit)
 *   client.c  HTTP over libcurl: TLS verified by default, Basic and Bearer
 *             auth with a token cache, redirects followed by hand so that
 *             credentials never go to another host or over plaintext,
 *             retries on 5xx/429 honouring Retry-After
 *   remote.c  the registry seen as an OCI layout: the store backend
 *             (source/store.c) that image.c reads through
 *
 * Ownership: objects from *_new belong to the caller (*_free, NULL ok).
 * A dd__registry is shared by the walk's worker threads: its token cache
 * has a lock; each transfer uses its own curl handle.
 */
#ifndef DD__REGISTRY_INT_H
#define DD__REGISTRY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/image.h"

#define DD_REF_MAX 256

typedef struct dd__ref {
    char domain[DD_REF_MAX]; /* "docker.io", "127.0.0.1:5000" */
    char repo[DD_REF_MAX];   /* "library/nginx" */
    char tag[130];           /* "" when only a digest was given */
    char digest[80];         /* "sha256:<64 hex>" or "" */
} dd__ref;

/* 0, or DD_EINVALID with a message saying what is wrong. A reference
 * without tag and digest gets tag "latest". */
int dd__ref_parse(const char *s, dd__ref *out, dd_error *err);
/* "domain/repo:tag", "domain/repo@digest" or both */
void dd__ref_string(const dd__ref *r, char *buf, size_t n);
/* 1 when `s` can only be a registry reference, not a local path: it
 * parses, has an explicit domain (a dot, a port or localhost) and no
 * such file exists. */
int dd__ref_looks_remote(const char *s);

/* ------------------------------------------------------------ auth */
typedef struct dd__challenge {
    int bearer; /* 0: Basic */
    char realm[512], service[256], scope[512];
} dd__challenge;
/* Parse a WWW-Authenticate header value. 0 or DD_ECORRUPT. */
int dd__challenge_parse(const char *v, size_t n, dd__challenge *out);
/* Credentials for `host` from the docker/podman config files (or
 * `config_path`): 1 found (user and secret copied), 0 none,
 * DD_ECORRUPT (message names the file). */
int dd__creds_lookup(const char *host,
                     const char *config_path,
                     char *user,
                     size_t ucap,
                     char *secret,
                     size_t scap,
                     dd_error *err);

/* ------------------------------------------------------------ client */
typedef struct dd__registry dd__registry;
int dd__registry_new(dd__registry **out,
                     const dd__ref *ref,
                     const dd_registry_opts *opts,
                     dd_error *err);
void dd__registry_free(dd__registry *r);
int dd__registry_plaintext(const dd__registry *r);
/* The token service host the credentials were withheld from (another
 * domain than the registry's, not in dd_registry_opts.token_hosts) into
 * out[n]; NULL when none was. */
const char *dd__registry_withheld(dd__registry *r, char *out, size_t n);
/* GET `path` (below /v2/) into memory (at most max bytes). *status is the
 * final HTTP status; headers wanted: Docker-Content-Digest and
 * Content-Type are copied when ctype/dcd are non-NULL. */
int dd__registry_get(dd__registry *r,
                     const char *path,
                     const char *accept,
                     size_t max,
                     char **body,
                     size_t *len,
                     char *ctype,
                     size_t ctcap,
                     dd_error *err);
/* The same, also giving the path of the next page from a Link header
 * ("" when none). */
int dd__registry_get_page(dd__registry *r,
                          const char *path,
                          const char *accept,
                          size_t max,
                          char **body,
                          size_t *len,
                          char *ctype,
                          size_t ctcap,
                          char *next,
                          size_t ncap,
                          dd_error *err);
/* A streaming GET: the bytes come through dd__stream_read (in order). */
typedef struct dd__stream dd__stream;
int dd__registry_stream(dd__registry *r,
                        const char *path,
                        dd__stream **out,
                        dd_error *err);
long long dd__stream_read(dd__stream *s, void *buf, size_t n);
void dd__stream_free(dd__stream *s);

/* ------------------------------------------------------------ daemon */
/* `docker save` of `name` from the Engine API socket into an unlinked
 * temporary file; *fd_out is open for reading (caller closes). */
int dd__daemon_fetch(const char *name,
                     const char *socket_opt,
                     int *fd_out,
                     dd_error *err);

/* ------------------------------------------------------------ remote store */
struct dd_store;
/* Open `ref` as a store that looks like an OCI layout: index.json names
 * the manifest we fetched (digest computed by us), blobs/sha256/<hex>
 * come from the registry. */
int dd__remote_store_open(struct dd_store **out,
                          const char *ref,
                          const dd_registry_opts *opts,
                          char **tag_out,
                          int *plaintext,
                          char withheld[256],
                          dd_error *err);

#endif
