/*
 * drydock/registry.h - listing a registry (catalog and tags) and the
 * digests of its images. Scanning an image from a registry needs no
 * special call: dd_image_open() takes "HOST/REPO:TAG" or "...@DIGEST" with
 * dd_image_opts.registry (image.h).
 *
 * Ownership: a dd_registry is owned by the caller (dd_registry_close, NULL
 * ok). String arrays returned through ***out belong to the caller and are
 * freed with dd_registry_strings_free().
 */
#ifndef DRYDOCK_REGISTRY_H
#define DRYDOCK_REGISTRY_H

#include "common.h"
#include "errors.h"
#include "image.h"

DD_BEGIN_DECLS

typedef struct dd_registry dd_registry;

/* Connect to HOST[:PORT] (TLS, credentials, /v2/ ping). */
DD_API int dd_registry_open(dd_registry **out,
                            const char *host,
                            const dd_registry_opts *opts,
                            dd_error *err);
DD_API void dd_registry_close(dd_registry *r);
/* Every repository (/v2/_catalog, following Link pagination). */
DD_API int
dd_registry_repos(dd_registry *r, char ***names, size_t *n, dd_error *err);
/* Every tag of `repo` (pagination followed). */
DD_API int dd_registry_tags(
    dd_registry *r, const char *repo, char ***tags, size_t *n, dd_error *err);
/* The manifest digest of repo:tag, computed from the manifest bytes. */
DD_API int dd_registry_digest(dd_registry *r,
                              const char *repo,
                              const char *tag,
                              char out[80],
                              dd_error *err);
DD_API void dd_registry_strings_free(char **v, size_t n);

/* ------------------------------------------------------------ audit */
struct dd_findings;
/* Options of dd_registry_audit(); zero is the default for every field. */
typedef struct dd_registry_audit_opts {
    const char *ca_file;     /* extra CA bundle for HTTPS, or NULL */
    long connect_timeout_ms; /* per request; 0: 3000 */
    long timeout_ms;         /* per request, in total; 0: 10000 */
    /* opt-in probes (off by default): start an anonymous upload in a
     * random repository and cancel it; send Harbor's documented default
     * admin password once (never when the token realm check failed) */
    int probe_push;
    int probe_default_creds;
    /* ports of the same host probed for a container daemon API (plain
     * HTTP and TLS without a client certificate) and for Go's debug
     * server: comma lists, NULL for the defaults "2375,2376" and "5001",
     * "" for none */
    const char *daemon_ports;
    const char *debug_ports;
    /* report only these severities: bits 1u << dd_severity; 0: all */
    unsigned severities;
} dd_registry_audit_opts;
#define DD_REGISTRY_AUDIT_OPTS_INIT     \
    {                                   \
        NULL, 0, 0, 0, 0, NULL, NULL, 0 \
    }

/* Audit how the registry at HOST[:PORT] is exposed: plain HTTP, TLS
 * (old protocols, weak ciphers, certificate expiry, trust and host name),
 * anonymous access to /v2/, the catalog and pulls, the token realm,
 * version headers, delete enabled, debug/metrics endpoints, Harbor's
 * API, a container daemon API on the same host, and with the opt-in
 * probes anonymous push and Harbor's default password
 * (docs/registry-audit.md). Read-only and anonymous unless a probe is
 * asked for; a few requests per check with bounded timeouts. *out is a new
 * findings list (rules "registry.*", kind DD_KIND_CONFIG; the title ends in ";
 * fix: ..."), owned by the caller (dd_findings_free). 0, DD_EINVALID (not
 * HOST[:PORT], a bad port list), DD_EIO (no registry answers there), DD_ENOMEM.
 */
DD_API int dd_registry_audit(struct dd_findings **out,
                             const char *host,
                             const dd_registry_audit_opts *opts,
                             dd_error *err);

DD_END_DECLS

#endif
