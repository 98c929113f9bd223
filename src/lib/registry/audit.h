/*
 * lib/registry/audit.h - internals of the registry audit, shared by
 *   audit.c        the entry point, the HTTP probes of /v2/ (plain HTTP,
 *                  anonymous access, catalog, pull, realm, delete)
 *   audit_tls.c    TLS details with OpenSSL directly (old protocols, weak
 *                  ciphers, certificate expiry, trust, host name)
 *   audit_probe.c  debug/metrics endpoints, Harbor, a container daemon API
 *                  on the same host, the opt-in anonymous push probe
 * and the response parsers, exposed for the fuzz target.
 *
 * Ownership: a dd__audit is on the caller's stack; its findings list is
 * handed to the caller of dd_registry_audit(). A dd__audit_resp's body is
 * freed with dd__audit_resp_free().
 */
#ifndef DD_REGISTRY_AUDIT_H
#define DD_REGISTRY_AUDIT_H

#include <stddef.h>

#include "drydock/finding.h"
#include "drydock/registry.h"
#include "../../util/util.h"

/* a hostile server's body is cut here (the start is kept) */
#define DD__AUDIT_BODY_MAX ((size_t)256 << 10)
#define DD__AUDIT_ERR_MAX  256

typedef struct dd__audit_resp {
    int transport; /* 0: an HTTP answer came; else the CURLcode */
    long status;
    char error[DD__AUDIT_ERR_MAX];
    char location[512], www[1024], server[256], powered[256], api[128];
    char ctype[128];
    int truncated; /* the body was longer than DD__AUDIT_BODY_MAX */
    dd__buf body;
} dd__audit_resp;

typedef struct dd__audit {
    const char *host; /* HOST[:PORT] as given */
    const dd_registry_audit_opts *o;
    struct dd_findings *out;
    char base[600];   /* "https://HOST" or "http://HOST" */
    int verify;       /* TLS verification on for requests to base */
    int realm_failed; /* the token realm check failed: no credentials */
} dd__audit;

/* One request; never follows redirects; sends `auth` (a whole header
 * line, or NULL) and nothing else of the kind. verify: TLS peer and host
 * checked. A TLS client certificate is never sent. */
void dd__audit_req(const dd__audit *a,
                   const char *method,
                   const char *url,
                   int verify,
                   const char *accept,
                   const char *auth,
                   dd__audit_resp *r);
void dd__audit_resp_free(dd__audit_resp *r);
/* Add a finding: the title is `what`, then "; fix: `fix`" when fix is
 * non-NULL. 0 or DD_ENOMEM. */
int dd__audit_add(dd__audit *a,
                  dd_severity sev,
                  const char *rule,
                  const char *evidence,
                  const char *what,
                  const char *fix);
/* printable, short copy of a server-controlled string */
void dd__audit_clean(char *dst, size_t cap, const char *src);
/* HOST[:PORT] split: host without brackets, port ("" when none) */
void dd__audit_split(
    const char *hp, char *host, size_t hcap, char *port, size_t pcap);

/* audit_tls.c: every TLS check of HOST[:PORT]; curl_err is what libcurl
 * said when verification failed ("" when it verified). */
void dd__audit_tls(dd__audit *a, const char *curl_err);
/* audit_probe.c */
void dd__audit_debug(dd__audit *a);
void dd__audit_harbor(dd__audit *a);
void dd__audit_daemon(dd__audit *a);
void dd__audit_push(dd__audit *a);
/* "2375,2376" -> ports (at most cap); -1 when not a list of 1..65535 */
int dd__audit_ports(const char *list, unsigned *ports, size_t cap);

/* ---- parsers of server answers (untrusted; never read past len) ---- */

/* A registry list response ({"repositories":[...]} or {"tags":[...]}):
 * the number of entries under `key` (at most 100000), or -1 when the body
 * is not such JSON. The first entry made only of the name grammar's bytes
 * and shorter than `cap` is copied to first[cap] ("" when none; first may
 * be NULL). */
int dd__audit_parse_list(
    const char *body, size_t len, const char *key, char *first, size_t cap);
/* Go's expvar page (/debug/vars): 1 when a JSON object with "cmdline" (an
 * array) or "memstats" (an object); the first cmdline word, printable,
 * goes to cmd[cap] ("" when none). 0 otherwise. */
int dd__audit_parse_expvar(const char *body, size_t len, char *cmd, size_t cap);
/* Prometheus text exposition: 1 when a "# TYPE name kind" or
 * "# HELP name ..." line is among the first 200 lines. */
int dd__audit_parse_metrics(const char *body, size_t len);
/* Harbor /api/v2.0/systeminfo: 1 and the printable harbor_version in
 * ver[cap] when present, 0 when JSON without it, -1 not a JSON object. */
int dd__audit_parse_systeminfo(const char *body,
                               size_t len,
                               char *ver,
                               size_t cap);
/* Harbor /api/v2.0/projects: the number of projects (array of objects
 * with a "name"; at most 100000), the first name printable in
 * first[cap]; -1 when not such JSON. */
int dd__audit_parse_projects(const char *body,
                             size_t len,
                             char *first,
                             size_t cap);
/* Docker Engine /version: 1 and "Version V, API A, OS/ARCH" (printable)
 * in out[cap] when a JSON object with "ApiVersion" or "Version"; else 0. */
int dd__audit_parse_daemon_version(const char *body,
                                   size_t len,
                                   char *out,
                                   size_t cap);

#endif
