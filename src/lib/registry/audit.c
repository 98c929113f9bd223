/*
 * lib/registry/audit.c - `drydock registry audit HOST[:PORT]`: how a
 * registry is exposed, judged from the outside with a few anonymous
 * requests (docs/registry-audit.md).
 *
 * Read-only by default: the requests are GET/HEAD, and one DELETE of the
 * all-zero digest, which names no manifest. Anonymous: the one credential
 * ever sent is Harbor's documented default admin password, only with
 * --probe-default-creds, only to the registry host itself and never when
 * the token realm check failed. --probe-push starts one upload in a
 * random repository and cancels it at once; nothing else is written.
 * The other checks live in audit_tls.c and audit_probe.c (audit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include <jansson.h>

#include "drydock/lookalike.h"
#include "drydock/registry.h"
#include "audit.h"
#include "registry_int.h"
#include "../findings_int.h"
#include "../../util/util.h"

#define BODY_MAX DD__AUDIT_BODY_MAX
#define ZERO_DIGEST \
    "sha256:0000000000000000000000000000000000000000000000000000000000000000"

typedef dd__audit_resp resp;
typedef dd__audit audit;

static void hdr_copy(char *dst, size_t cap, const char *v, size_t n)
{
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ')) {
        n--;
    }
    while (n && *v == ' ') {
        v++;
        n--;
    }
    snprintf(dst, cap, "%.*s", (int)(n < cap ? n : cap - 1), v);
}

static size_t on_hdr(char *b, size_t sz, size_t n, void *ud)
{
    resp *r = ud;
    size_t len = sz * n;
    static const struct {
        const char *name;
        size_t off, cap;
    } want[] = {
        {"Location:", offsetof(resp, location), sizeof(((resp *)0)->location)},
        {"WWW-Authenticate:", offsetof(resp, www), sizeof(((resp *)0)->www)},
        {"Server:", offsetof(resp, server), sizeof(((resp *)0)->server)},
        {"X-Powered-By:", offsetof(resp, powered),
         sizeof(((resp *)0)->powered)},
        {"Docker-Distribution-Api-Version:", offsetof(resp, api),
         sizeof(((resp *)0)->api)},
        {"Content-Type:", offsetof(resp, ctype), sizeof(((resp *)0)->ctype)},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t k = strlen(want[i].name);
        if (len > k && !strncasecmp(b, want[i].name, k)) {
            hdr_copy((char *)r + want[i].off, want[i].cap, b + k, len - k);
        }
    }
    return len;
}

static size_t on_body(char *b, size_t sz, size_t n, void *ud)
{
    resp *r = ud;
    size_t len = sz * n;
    if (r->body.len + len > BODY_MAX) {
        /* keep the start; the rest is not read (the transfer stops) */
        len = BODY_MAX - r->body.len;
        if (len) {
            dd__buf_add(&r->body, b, len);
        }
        r->truncated = 1;
        return 0;
    }
    if (len) {
        dd__buf_add(&r->body, b, len);
    }
    return sz * n;
}

void dd__audit_resp_free(resp *r)
{
    dd__buf_free(&r->body);
}

void dd__audit_req(const audit *a,
                   const char *method,
                   const char *url,
                   int verify,
                   const char *accept,
                   const char *auth,
                   resp *r)
{
    memset(r, 0, sizeof *r);
    dd__buf_init(&r->body, BODY_MAX + 1);
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *c = curl_easy_init();
    if (!c) {
        r->transport = CURLE_OUT_OF_MEMORY;
        snprintf(r->error, sizeof r->error, "out of memory");
        return;
    }
    long cto =
        a->o && a->o->connect_timeout_ms ? a->o->connect_timeout_ms : 3000;
    long tto = a->o && a->o->timeout_ms ? a->o->timeout_ms : 10000;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cto);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, tto);
    /* a hostile server's headers are capped too (libcurl refuses more) */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)64 << 20);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "drydock-audit/0.1");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_hdr);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (a->o && a->o->ca_file && a->o->ca_file[0]) {
        curl_easy_setopt(c, CURLOPT_CAINFO, a->o->ca_file);
    }
    if (!strcmp(method, "HEAD")) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(method, "POST")) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    } else if (strcmp(method, "GET")) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    struct curl_slist *h = NULL;
    if (accept) {
        char line[600];
        snprintf(line, sizeof line, "Accept: %s", accept);
        h = curl_slist_append(h, line);
    }
    if (auth) {
        h = curl_slist_append(h, auth);
    }
    if (h) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_WRITE_ERROR && r->truncated) {
        rc = CURLE_OK; /* an answer came; its body is cut at BODY_MAX */
    }
    r->transport = (int)rc;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    } else {
        snprintf(r->error, sizeof r->error, "%s",
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

int dd__audit_add(audit *a,
                  dd_severity sev,
                  const char *rule,
                  const char *evidence,
                  const char *what,
                  const char *fix)
{
    dd__finding_spec s;
    memset(&s, 0, sizeof s);
    s.kind = DD_KIND_CONFIG;
    s.severity = sev;
    s.rule_id = rule;
    s.evidence = evidence && evidence[0] ? evidence : NULL;
    s.layer = -1;
    s.history = -1;
    s.category = "registry";
    if (fix) {
        return dd__findings_add(a->out, &s, "%s; fix: %s", what, fix);
    }
    return dd__findings_add(a->out, &s, "%s", what);
}

/* an anonymous request */
static void req(const audit *a,
                const char *method,
                const char *url,
                int verify,
                const char *accept,
                resp *r)
{
    dd__audit_req(a, method, url, verify, accept, NULL, r);
}

/* printable, short copy of a server-controlled string for evidence */
void dd__audit_clean(char *dst, size_t cap, const char *src)
{
    size_t j = 0;
    for (size_t i = 0; src[i] && j + 1 < cap; i++) {
        unsigned char ch = (unsigned char)src[i];
        dst[j++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    dst[j] = 0;
}

/* host without port ("[::1]:5000" -> "[::1]") */
static void host_only(const char *hp, char *out, size_t cap)
{
    size_t n = strlen(hp);
    if (hp[0] == '[') {
        const char *e = strchr(hp, ']');
        n = e ? (size_t)(e - hp) + 1 : n;
    } else {
        const char *c = strrchr(hp, ':');
        n = c ? (size_t)(c - hp) : n;
    }
    snprintf(out, cap, "%.*s", (int)n, hp);
}

void dd__audit_split(
    const char *hp, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *p = "";
    size_t n = strlen(hp);
    if (hp[0] == '[') {
        const char *e = strchr(hp, ']');
        if (e) {
            n = (size_t)(e - hp) - 1;
            hp++;
            p = e[1] == ':' ? e + 2 : "";
        }
    } else {
        const char *c = strrchr(hp, ':');
        if (c && c == strchr(hp, ':')) { /* one colon: a port */
            n = (size_t)(c - hp);
            p = c + 1;
        }
    }
    snprintf(host, hcap, "%.*s", (int)n, hp);
    snprintf(port, pcap, "%s", p);
}

static int has_digit(const char *s)
{
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            return 1;
        }
    }
    return 0;
}

/* A registry answered: status 200/401 with the API version header or a
 * challenge (a TLS port answering plain HTTP with 400 is not one). */
static int is_registry(const resp *r)
{
    return r->transport == 0 && (r->status == 200 || r->status == 401) &&
           (r->api[0] || r->www[0]);
}

int dd__audit_parse_list(
    const char *body, size_t len, const char *key, char *first, size_t cap)
{
    if (first && cap) {
        first[0] = 0;
    }
    json_t *j = NULL;
    if (dd__json_parse(&j, body, len, BODY_MAX, key, NULL)) {
        return -1;
    }
    json_t *arr = json_object_get(j, key);
    if (!json_is_array(arr)) {
        json_decref(j);
        return -1;
    }
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n && first && cap && !first[0]; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        /* a name we may put in a URL: the distribution grammar's bytes */
        if (s && s[0] && strlen(s) < cap &&
            strspn(s,
                   "abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == strlen(s)) {
            snprintf(first, cap, "%s", s);
        }
    }
    json_decref(j);
    return (int)(n > 100000 ? 100000 : n);
}

static void check_realm(audit *a, const char *www)
{
    dd__challenge ch;
    if (dd__challenge_parse(www, strlen(www), &ch) || !ch.bearer) {
        return;
    }
    char ev[700], realm[600];
    dd__audit_clean(realm, sizeof realm, ch.realm);
    snprintf(ev, sizeof ev, "realm=\"%s\"", realm);
    if (!strncasecmp(ch.realm, "http://", 7)) {
        a->realm_failed = 1;
        dd__audit_add(
            a, DD_SEV_HIGH, "registry.token-realm-plaintext", ev,
            "the token service (realm) is plain HTTP: credentials and tokens "
            "cross the network in clear",
            "serve the token service over HTTPS and set auth.token.realm to "
            "an https:// URL");
        return;
    }
    if (strncasecmp(ch.realm, "https://", 8)) {
        a->realm_failed = 1;
        dd__audit_add(
            a, DD_SEV_MEDIUM, "registry.token-realm-invalid", ev,
            "the token realm is not an https:// URL",
            "set auth.token.realm to the https:// URL of the token service");
        return;
    }
    char rhp[300], rh[300], h[300];
    snprintf(rhp, sizeof rhp, "%.*s", (int)strcspn(ch.realm + 8, "/?#"),
             ch.realm + 8);
    host_only(rhp, rh, sizeof rh);
    host_only(a->host, h, sizeof h);
    if (!strcasecmp(rh, h)) {
        return; /* same host */
    }
    int look = !strncasecmp(rh, "xn--", 4) || strstr(rh, ".xn--") ||
               dd_lookalike_distance(rh, h, 3) <= 2;
    if (!look) {
        char ref[400];
        dd_lookalike_result lr;
        snprintf(ref, sizeof ref, "%s/library/x", rh);
        look = !dd_lookalike_check(ref, NULL, 0, &lr, NULL) && lr.lookalike &&
               lr.signal &&
               (!strcmp(lr.signal, "host-typo") ||
                !strcmp(lr.signal, "host-affix") ||
                !strcmp(lr.signal, "punycode-host"));
    }
    if (look) {
        a->realm_failed = 1;
        dd__audit_add(
            a, DD_SEV_HIGH, "registry.token-realm-lookalike", ev,
            "the token realm's host imitates another host: clients would "
            "send their registry credentials to it",
            "point auth.token.realm at the real token service; check the "
            "configuration for tampering");
    } else {
        dd__audit_add(
            a, DD_SEV_LOW, "registry.token-realm-other-host", ev,
            "the token realm is on another host: clients send credentials "
            "there",
            "make sure that host is yours (or serve the token service on "
            "the registry host)");
    }
}

static void check_disclosure(audit *a, const resp *r)
{
    char ev[600] = "";
    if (r->server[0] && has_digit(r->server)) {
        char s[256];
        dd__audit_clean(s, sizeof s, r->server);
        snprintf(ev, sizeof ev, "Server: %s", s);
    }
    if (r->powered[0]) {
        char s[256];
        dd__audit_clean(s, sizeof s, r->powered);
        size_t l = strlen(ev);
        snprintf(ev + l, sizeof ev - l, "%sX-Powered-By: %s", l ? "; " : "", s);
    }
    if (ev[0]) {
        dd__audit_add(
            a, DD_SEV_LOW, "registry.version-disclosure", ev,
            "the responses name the product and its version",
            "remove the Server/X-Powered-By version in the registry or the "
            "reverse proxy in front of it (server_tokens off)");
    }
}

static void check_delete(audit *a, const char *repo)
{
    char url[1200];
    snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", a->base,
             repo[0] ? repo : "drydock-audit/probe", ZERO_DIGEST);
    resp r;
    req(a, "DELETE", url, a->verify, NULL, &r);
    char ev[300];
    snprintf(ev, sizeof ev, "DELETE /v2/%s/manifests/sha256:0...0 -> %ld",
             repo[0] ? repo : "drydock-audit/probe", r.status);
    if (r.transport) {
        /* nothing known */
    } else if (r.status == 405) {
        dd__audit_add(a, DD_SEV_INFO, "registry.delete-disabled", ev,
                      "deleting manifests is disabled", NULL);
    } else if (r.status == 401 || r.status == 403) {
        dd__audit_add(
            a, DD_SEV_INFO, "registry.delete-needs-auth", ev,
            "deleting needs authentication (whether it is enabled was not "
            "probed: no credentials are sent)",
            NULL);
    } else if (r.status == 202 || r.status == 404 || r.status == 400) {
        dd__audit_add(
            a, DD_SEV_HIGH, "registry.delete-enabled", ev,
            "anonymous clients may delete manifests (the probe named no "
            "manifest; the registry looked it up instead of refusing)",
            "set storage.delete.enabled: false, or require authentication "
            "and allow delete only to an admin role");
    }
    dd__audit_resp_free(&r);
}

static void check_access(audit *a, const resp *v2)
{
    char ev[700];
    if (v2->status == 200) {
        dd__audit_add(
            a, DD_SEV_MEDIUM, "registry.anonymous-access", "GET /v2/ -> 200",
            "the registry API answers without authentication",
            "configure auth (htpasswd or token) unless the registry is meant "
            "to be public");
    } else if (v2->status == 401) {
        char w[300];
        dd__audit_clean(w, sizeof w, v2->www);
        snprintf(ev, sizeof ev, "GET /v2/ -> 401; WWW-Authenticate: %.200s", w);
        dd__audit_add(a, DD_SEV_INFO, "registry.auth-required", ev,
                      "the registry requires authentication", NULL);
        check_realm(a, v2->www);
    }
    char url[1200], repo[256] = "", tag[160] = "";
    snprintf(url, sizeof url, "%s/v2/_catalog?n=20", a->base);
    resp r;
    req(a, "GET", url, a->verify, NULL, &r);
    if (!r.transport && r.status == 200) {
        int n = dd__audit_parse_list(r.body.ptr, r.body.len, "repositories",
                                     repo, sizeof repo);
        if (n >= 0) {
            snprintf(ev, sizeof ev, "GET /v2/_catalog -> 200, %d%s names%s%s",
                     n, n == 20 ? "+" : "", repo[0] ? ", e.g. " : "", repo);
            dd__audit_add(
                a, DD_SEV_MEDIUM, "registry.anonymous-catalog", ev,
                "anyone can list the repositories",
                "require authentication for the catalog (or disable it at "
                "the proxy: /v2/_catalog)");
        }
    }
    dd__audit_resp_free(&r);
    if (repo[0]) {
        snprintf(url, sizeof url, "%s/v2/%s/tags/list?n=5", a->base, repo);
        req(a, "GET", url, a->verify, NULL, &r);
        if (!r.transport && r.status == 200) {
            dd__audit_parse_list(r.body.ptr, r.body.len, "tags", tag,
                                 sizeof tag);
        }
        dd__audit_resp_free(&r);
    }
    if (repo[0] && tag[0]) {
        snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", a->base, repo, tag);
        req(a, "HEAD", url, a->verify,
            "application/vnd.oci.image.index.v1+json, "
            "application/vnd.oci.image.manifest.v1+json, "
            "application/vnd.docker.distribution.manifest.list.v2+json, "
            "application/vnd.docker.distribution.manifest.v2+json",
            &r);
        if (!r.transport && r.status == 200) {
            snprintf(ev, sizeof ev, "HEAD /v2/%s/manifests/%s -> 200", repo,
                     tag);
            dd__audit_add(
                a, DD_SEV_MEDIUM, "registry.anonymous-pull", ev,
                "anyone can pull images",
                "require authentication for pulls unless the images are "
                "meant to be public");
        }
        dd__audit_resp_free(&r);
    }
    check_delete(a, repo);
}

static int keep_sev(void *ctx, const dd_finding *f)
{
    return (*(const unsigned *)ctx >> f->severity) & 1u;
}

int dd_registry_audit(dd_findings **out,
                      const char *host,
                      const dd_registry_audit_opts *opts,
                      dd_error *err)
{
    dd__error_clear(err);
    if (!out || !host || !host[0]) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_registry_audit: NULL argument");
    }
    *out = NULL;
    if (strlen(host) > 255 || strpbrk(host, "/?#@ \t\r\n")) {
        return dd__error_set(err, DD_EINVALID,
                             "registry audit: '%.80s' is not HOST[:PORT]",
                             host);
    }
    unsigned ports[16];
    const char *pl[2] = {opts ? opts->daemon_ports : NULL,
                         opts ? opts->debug_ports : NULL};
    for (int i = 0; i < 2; i++) {
        if (pl[i] && dd__audit_ports(pl[i], ports, 16) < 0) {
            return dd__error_set(err, DD_EINVALID,
                                 "registry audit: '%.80s' is not a list of "
                                 "ports (1..65535, comma separated, at most "
                                 "16)",
                                 pl[i]);
        }
    }
    audit a;
    memset(&a, 0, sizeof a);
    a.host = host;
    a.o = opts;
    a.out = dd__findings_new();
    if (!a.out) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    char url[700];
    /* 1. HTTPS, verified; on a certificate problem, again unverified so the
     * other checks still run */
    resp s, p;
    snprintf(url, sizeof url, "https://%s/v2/", host);
    req(&a, "GET", url, 1, NULL, &s);
    int https_ok = is_registry(&s);
    char tls_err[CURL_ERROR_SIZE] = "";
    if (!https_ok && (s.transport == CURLE_PEER_FAILED_VERIFICATION ||
                      s.transport == CURLE_SSL_CACERT_BADFILE ||
                      s.transport == CURLE_SSL_ISSUER_ERROR)) {
        snprintf(tls_err, sizeof tls_err, "%s", s.error);
        dd__audit_resp_free(&s);
        req(&a, "GET", url, 0, NULL, &s);
        https_ok = is_registry(&s);
    }
    /* 2. plain HTTP */
    snprintf(url, sizeof url, "http://%s/v2/", host);
    req(&a, "GET", url, 0, NULL, &p);
    int http_ok = is_registry(&p);
    if (!https_ok && !http_ok) {
        int rc = dd__error_set(
            err, DD_EIO,
            "registry audit: no registry API at %.255s (https: %.200s; "
            "http: %.200s)",
            host, s.transport ? s.error : "not a registry answer",
            p.transport ? p.error : "not a registry answer");
        dd__audit_resp_free(&s);
        dd__audit_resp_free(&p);
        dd_findings_free(a.out);
        return rc;
    }
    if (!p.transport && (p.status == 301 || p.status == 302 ||
                         p.status == 307 || p.status == 308)) {
        char ev[600], loc[520];
        dd__audit_clean(loc, sizeof loc, p.location);
        snprintf(ev, sizeof ev, "GET http://%s/v2/ -> %ld Location: %s", host,
                 p.status, loc);
        if (!strncasecmp(p.location, "https://", 8)) {
            dd__audit_add(&a, DD_SEV_INFO, "registry.http-redirects", ev,
                          "plain HTTP redirects to HTTPS", NULL);
        }
    }
    if (http_ok) {
        char ev[300];
        snprintf(ev, sizeof ev, "GET http://%s/v2/ -> %ld", host, p.status);
        dd__audit_add(
            &a, DD_SEV_HIGH, "registry.plaintext-http", ev,
            "the registry API is served over plain HTTP: pulls and "
            "credentials can be read and altered on the way (man in the "
            "middle)",
            "serve the registry over TLS only (http.tls in the registry "
            "configuration, or a TLS proxy) and redirect HTTP to HTTPS");
    }
    const resp *v2 = https_ok ? &s : &p;
    snprintf(a.base, sizeof a.base, "%s://%s", https_ok ? "https" : "http",
             host);
    a.verify = https_ok && !tls_err[0];
    if (https_ok) {
        dd__audit_tls(&a, tls_err);
    }
    check_disclosure(&a, v2);
    check_access(&a, v2);
    if (opts && opts->probe_push) {
        dd__audit_push(&a);
    }
    dd__audit_debug(&a);
    dd__audit_harbor(&a);
    dd__audit_daemon(&a);
    dd__audit_resp_free(&s);
    dd__audit_resp_free(&p);
    if (opts && opts->severities) {
        dd_findings *kept = dd__findings_new();
        unsigned mask = opts->severities;
        if (!kept || dd__findings_filter_move(kept, a.out, keep_sev, &mask)) {
            dd_findings_free(kept);
            dd_findings_free(a.out);
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        dd_findings_free(a.out);
        a.out = kept;
    }
    *out = a.out;
    return 0;
}
