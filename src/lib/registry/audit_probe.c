/*
 * lib/registry/audit_probe.c - the audit's checks beyond /v2/:
 *   - Go's debug server (/debug/vars, /debug/pprof/) and Prometheus
 *     /metrics, on the registry port and the debug ports (5001);
 *   - Harbor's API: /api/v2.0/systeminfo (version), /api/v2.0/projects
 *     (anonymous listing), and only with probe_default_creds one request
 *     to /api/v2.0/users/current with the documented default password;
 *   - a container daemon API on the same host (2375 plain HTTP, 2376 TLS
 *     without a client certificate): /_ping, then /version;
 *   - only with probe_push: one anonymous upload started in a random
 *     repository and cancelled at once.
 * Each check is at most a few requests (dd__audit_req: no redirects,
 * bodies capped at DD__AUDIT_BODY_MAX, per-request timeouts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/rand.h>

#include "audit.h"

/* ------------------------------------------------------------ parsers */

int dd__audit_parse_expvar(const char *body, size_t len, char *cmd, size_t cap)
{
    if (cmd && cap) {
        cmd[0] = 0;
    }
    json_t *j = NULL;
    if (dd__json_parse(&j, body, len, DD__AUDIT_BODY_MAX, "debug/vars", NULL)) {
        return 0;
    }
    json_t *cl = json_object_get(j, "cmdline");
    int ok =
        json_is_object(j) &&
        (json_is_array(cl) || json_is_object(json_object_get(j, "memstats")));
    const char *w = json_string_value(json_array_get(cl, 0));
    if (ok && w && cmd && cap) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", w);
        dd__audit_clean(cmd, cap, tmp);
    }
    json_decref(j);
    return ok;
}

int dd__audit_parse_metrics(const char *body, size_t len)
{
    size_t i = 0;
    for (int line = 0; i < len && line < 200; line++) {
        const char *s = body + i;
        const char *nl = memchr(s, '\n', len - i);
        size_t n = nl ? (size_t)(nl - s) : len - i;
        if ((n > 7 && !memcmp(s, "# TYPE ", 7)) ||
            (n > 7 && !memcmp(s, "# HELP ", 7))) {
            /* a metric name: [a-zA-Z_:][a-zA-Z0-9_:]* then a space */
            size_t k = 7;
            while (k < n && (s[k] == '_' || s[k] == ':' ||
                             (s[k] >= 'a' && s[k] <= 'z') ||
                             (s[k] >= 'A' && s[k] <= 'Z') ||
                             (k > 7 && s[k] >= '0' && s[k] <= '9'))) {
                k++;
            }
            if (k > 7 && k < n && s[k] == ' ') {
                return 1;
            }
        }
        i += n + 1;
    }
    return 0;
}

int dd__audit_parse_systeminfo(const char *body,
                               size_t len,
                               char *ver,
                               size_t cap)
{
    if (ver && cap) {
        ver[0] = 0;
    }
    json_t *j = NULL;
    if (dd__json_parse(&j, body, len, DD__AUDIT_BODY_MAX, "systeminfo", NULL)) {
        return -1;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return -1;
    }
    const char *v = json_string_value(json_object_get(j, "harbor_version"));
    int rc = 0;
    if (v && v[0]) {
        rc = 1;
        if (ver && cap) {
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%s", v);
            dd__audit_clean(ver, cap, tmp);
        }
    }
    json_decref(j);
    return rc;
}

int dd__audit_parse_projects(const char *body,
                             size_t len,
                             char *first,
                             size_t cap)
{
    if (first && cap) {
        first[0] = 0;
    }
    json_t *j = NULL;
    if (dd__json_parse(&j, body, len, DD__AUDIT_BODY_MAX, "projects", NULL)) {
        return -1;
    }
    if (!json_is_array(j)) {
        json_decref(j);
        return -1;
    }
    size_t n = json_array_size(j), named = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s =
            json_string_value(json_object_get(json_array_get(j, i), "name"));
        if (!s) {
            continue;
        }
        if (!named++ && first && cap) {
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%s", s);
            dd__audit_clean(first, cap, tmp);
        }
    }
    json_decref(j);
    if (n && !named) {
        return -1; /* an array, but not of projects */
    }
    return (int)(n > 100000 ? 100000 : n);
}

int dd__audit_parse_daemon_version(const char *body,
                                   size_t len,
                                   char *out,
                                   size_t cap)
{
    if (out && cap) {
        out[0] = 0;
    }
    json_t *j = NULL;
    if (dd__json_parse(&j, body, len, DD__AUDIT_BODY_MAX, "version", NULL)) {
        return 0;
    }
    const char *v = json_string_value(json_object_get(j, "Version"));
    const char *api = json_string_value(json_object_get(j, "ApiVersion"));
    const char *os = json_string_value(json_object_get(j, "Os"));
    const char *arch = json_string_value(json_object_get(j, "Arch"));
    int ok = json_is_object(j) && (v || api);
    if (ok && out && cap) {
        char tmp[300];
        snprintf(tmp, sizeof tmp, "Version %.60s, API %.20s, %.30s/%.30s",
                 v ? v : "?", api ? api : "?", os ? os : "?",
                 arch ? arch : "?");
        dd__audit_clean(out, cap, tmp);
    }
    json_decref(j);
    return ok;
}

int dd__audit_ports(const char *list, unsigned *ports, size_t cap)
{
    size_t n = 0;
    const char *p = list;
    while (*p) {
        char *end = NULL;
        if (*p < '0' || *p > '9') {
            return -1;
        }
        unsigned long v = strtoul(p, &end, 10);
        if (!v || v > 65535 || (*end && *end != ',') || n == cap) {
            return -1;
        }
        ports[n++] = (unsigned)v;
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p) {
            return -1; /* "5001," */
        }
    }
    return (int)n;
}

/* ------------------------------------------------------------ helpers */

/* "HOST" of the audited HOST[:PORT], bracketed again when IPv6 */
static void host_part(const dd__audit *a, char *out, size_t cap)
{
    char h[300], port[16];
    dd__audit_split(a->host, h, sizeof h, port, sizeof port);
    snprintf(out, cap, strchr(h, ':') ? "[%s]" : "%s", h);
}

static void append(char *buf, size_t cap, const char *s)
{
    size_t l = strlen(buf);
    if (l + 1 < cap) {
        snprintf(buf + l, cap - l, "%s%s", l ? "; " : "", s);
    }
}

static int ports_of(const char *opt, const char *def, unsigned *p, size_t cap)
{
    int n = dd__audit_ports(opt ? opt : def, p, cap);
    return n < 0 ? 0 : n;
}

/* ------------------------------------------------------------ debug */

void dd__audit_debug(dd__audit *a)
{
    char h[320], bases[17][640];
    host_part(a, h, sizeof h);
    unsigned ports[16];
    int np = ports_of(a->o ? a->o->debug_ports : NULL, "5001", ports, 16);
    size_t nb = 0;
    snprintf(bases[nb++], sizeof bases[0], "%.600s", a->base);
    for (int i = 0; i < np; i++) {
        snprintf(bases[nb], sizeof bases[0], "http://%.300s:%u", h, ports[i]);
        if (strcmp(bases[nb], a->base)) {
            nb++;
        }
    }
    char ev_vars[2000] = "", ev_pprof[2000] = "", ev_metrics[2000] = "";
    for (size_t i = 0; i < nb; i++) {
        int tls = !strcmp(bases[i], a->base) && a->verify;
        char url[700], one[900];
        dd__audit_resp r;
        snprintf(url, sizeof url, "%.640s/debug/vars", bases[i]);
        dd__audit_req(a, "GET", url, tls, NULL, NULL, &r);
        char cmd[128];
        if (r.transport == CURLE_COULDNT_CONNECT ||
            r.transport == CURLE_OPERATION_TIMEDOUT) {
            dd__audit_resp_free(&r);
            continue; /* nothing listens: the other two are not asked */
        }
        if (!r.transport && r.status == 200 &&
            dd__audit_parse_expvar(r.body.ptr, r.body.len, cmd, sizeof cmd)) {
            snprintf(one, sizeof one, "GET %s -> 200 expvar%s%s", url,
                     cmd[0] ? ", cmdline " : "", cmd);
            append(ev_vars, sizeof ev_vars, one);
        }
        dd__audit_resp_free(&r);
        snprintf(url, sizeof url, "%.640s/debug/pprof/", bases[i]);
        dd__audit_req(a, "GET", url, tls, NULL, NULL, &r);
        if (!r.transport && r.status == 200 && r.body.len &&
            memmem(r.body.ptr, r.body.len, "goroutine", 9) &&
            memmem(r.body.ptr, r.body.len, "heap", 4)) {
            snprintf(one, sizeof one, "GET %s -> 200 pprof index", url);
            append(ev_pprof, sizeof ev_pprof, one);
        }
        dd__audit_resp_free(&r);
        snprintf(url, sizeof url, "%.640s/metrics", bases[i]);
        dd__audit_req(a, "GET", url, tls, NULL, NULL, &r);
        if (!r.transport && r.status == 200 &&
            dd__audit_parse_metrics(r.body.ptr, r.body.len)) {
            snprintf(one, sizeof one, "GET %s -> 200 Prometheus metrics", url);
            append(ev_metrics, sizeof ev_metrics, one);
        }
        dd__audit_resp_free(&r);
    }
    if (ev_vars[0]) {
        dd__audit_add(a, DD_SEV_MEDIUM, "registry.debug-vars", ev_vars,
                      "Go's expvar page answers anonymously: the command "
                      "line, memory statistics and internal counters",
                      "remove http.debug.addr, or bind it to 127.0.0.1 / "
                      "firewall it (never on a reachable interface)");
    }
    if (ev_pprof[0]) {
        dd__audit_add(a, DD_SEV_HIGH, "registry.debug-pprof", ev_pprof,
                      "Go's pprof profiler answers anonymously: anyone can "
                      "dump goroutine stacks and the heap (memory that may "
                      "hold credentials) or load the CPU with profiles",
                      "remove http.debug.addr, or bind it to 127.0.0.1 / "
                      "firewall it");
    }
    if (ev_metrics[0]) {
        dd__audit_add(a, DD_SEV_LOW, "registry.metrics-exposed", ev_metrics,
                      "Prometheus metrics answer anonymously (request "
                      "counts, repository names in labels, versions)",
                      "serve /metrics only to the monitoring network, or "
                      "behind authentication");
    }
}

/* ------------------------------------------------------------ harbor */

/* "admin:Harbor12345", Harbor's documented default (harbor.yml
 * harbor_admin_password), in Basic form */
#define HARBOR_DEFAULT_AUTH "Authorization: Basic YWRtaW46SGFyYm9yMTIzNDU="

void dd__audit_harbor(dd__audit *a)
{
    char url[700], ev[700];
    dd__audit_resp r;
    int harbor = 0;
    snprintf(url, sizeof url, "%s/api/v2.0/systeminfo", a->base);
    dd__audit_req(a, "GET", url, a->verify, "application/json", NULL, &r);
    char ver[128];
    if (!r.transport && r.status == 200) {
        int s =
            dd__audit_parse_systeminfo(r.body.ptr, r.body.len, ver, sizeof ver);
        harbor = s >= 0;
        if (s == 1) {
            snprintf(ev, sizeof ev,
                     "GET /api/v2.0/systeminfo -> 200, harbor_version %s", ver);
            dd__audit_add(a, DD_SEV_LOW, "registry.harbor-version-disclosure",
                          ev,
                          "Harbor tells anonymous clients its exact version",
                          "block /api/v2.0/systeminfo for anonymous clients "
                          "at the proxy, and keep Harbor updated");
        }
    }
    dd__audit_resp_free(&r);
    if (!harbor) {
        return; /* not Harbor: its other endpoints are not asked */
    }
    snprintf(url, sizeof url, "%s/api/v2.0/projects?page_size=10", a->base);
    dd__audit_req(a, "GET", url, a->verify, "application/json", NULL, &r);
    char first[128];
    if (!r.transport && r.status == 200) {
        int n = dd__audit_parse_projects(r.body.ptr, r.body.len, first,
                                         sizeof first);
        if (n > 0) {
            snprintf(ev, sizeof ev,
                     "GET /api/v2.0/projects -> 200, %d%s projects, e.g. %s", n,
                     n == 10 ? "+" : "", first);
            dd__audit_add(a, DD_SEV_MEDIUM,
                          "registry.harbor-anonymous-projects", ev,
                          "anyone can list Harbor's projects",
                          "make projects private unless they are meant to be "
                          "public (Projects > Configuration > Public off)");
        }
    }
    dd__audit_resp_free(&r);
    if (!a->o || !a->o->probe_default_creds) {
        return; /* the password is never sent unless asked for */
    }
    if (a->realm_failed) {
        dd__audit_add(a, DD_SEV_INFO, "registry.default-creds-not-probed",
                      "the token realm check failed",
                      "Harbor's default password was not tried: no "
                      "credential goes to a host whose token realm failed "
                      "the check",
                      NULL);
        return;
    }
    snprintf(url, sizeof url, "%s/api/v2.0/users/current", a->base);
    dd__audit_req(a, "GET", url, a->verify, "application/json",
                  HARBOR_DEFAULT_AUTH, &r);
    snprintf(ev, sizeof ev,
             "GET /api/v2.0/users/current as admin/Harbor12345 -> %ld",
             r.status);
    if (!r.transport && r.status == 200) {
        dd__audit_add(a, DD_SEV_CRITICAL, "registry.harbor-default-admin", ev,
                      "Harbor's admin account still has the documented "
                      "default password: anyone can take over the registry",
                      "change the admin password now (and "
                      "harbor_admin_password in harbor.yml), review users "
                      "and robot accounts for intruders");
    } else if (!r.transport && (r.status == 401 || r.status == 403)) {
        dd__audit_add(a, DD_SEV_INFO, "registry.harbor-default-admin-refused",
                      ev, "Harbor refused the default admin password", NULL);
    }
    dd__audit_resp_free(&r);
}

/* ------------------------------------------------------------ daemon */

static int is_ping_ok(const dd__audit_resp *r)
{
    return !r->transport && r->status == 200 && r->body.len >= 2 &&
           r->body.len <= 8 && !memcmp(r->body.ptr, "OK", 2);
}

void dd__audit_daemon(dd__audit *a)
{
    char h[320];
    host_part(a, h, sizeof h);
    unsigned ports[16];
    int np = ports_of(a->o ? a->o->daemon_ports : NULL, "2375,2376", ports, 16);
    for (int i = 0; i < np; i++) {
        static const char *const scheme[2] = {"http", "https"};
        for (int t = 0; t < 2; t++) {
            char url[500], ev[700], ver[300] = "";
            dd__audit_resp r;
            snprintf(url, sizeof url, "%s://%s:%u/_ping", scheme[t], h,
                     ports[i]);
            dd__audit_req(a, "GET", url, 0, NULL, NULL, &r);
            int refused = r.transport == CURLE_COULDNT_CONNECT ||
                          r.transport == CURLE_OPERATION_TIMEDOUT;
            int ok = is_ping_ok(&r);
            dd__audit_resp_free(&r);
            if (refused) {
                break; /* nothing listens there */
            }
            if (!ok) {
                continue;
            }
            snprintf(url, sizeof url, "%s://%s:%u/version", scheme[t], h,
                     ports[i]);
            dd__audit_req(a, "GET", url, 0, NULL, NULL, &r);
            if (!r.transport && r.status == 200) {
                dd__audit_parse_daemon_version(r.body.ptr, r.body.len, ver,
                                               sizeof ver);
            }
            dd__audit_resp_free(&r);
            snprintf(ev, sizeof ev, "GET %s://%s:%u/_ping -> 200 OK%s%s",
                     scheme[t], h, ports[i], ver[0] ? "; /version: " : "", ver);
            if (t == 0) {
                dd__audit_add(
                    a, DD_SEV_CRITICAL, "registry.daemon-api-plaintext", ev,
                    "a container daemon API answers over plain HTTP without "
                    "authentication: anyone who reaches the port is root on "
                    "the host",
                    "never expose the daemon socket on TCP; if remote access "
                    "is needed use TLS with client certificates "
                    "(--tlsverify) on 2376 or ssh://, and firewall it");
            } else {
                dd__audit_add(
                    a, DD_SEV_CRITICAL, "registry.daemon-api-no-client-cert",
                    ev,
                    "a container daemon API over TLS accepts a client without "
                    "a certificate: anyone who reaches the port is root on "
                    "the host",
                    "run the daemon with --tlsverify and --tlscacert so only "
                    "clients with a certificate from your CA get in; "
                    "firewall the port");
            }
            break; /* one finding per port */
        }
    }
}

/* ------------------------------------------------------------ push */

void dd__audit_push(dd__audit *a)
{
    unsigned char rnd[8];
    char repo[64], url[800], ev[1200];
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
        return;
    }
    snprintf(repo, sizeof repo,
             "drydock-audit-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    snprintf(url, sizeof url, "%s/v2/%s/blobs/uploads/", a->base, repo);
    dd__audit_resp r;
    dd__audit_req(a, "POST", url, a->verify, NULL, NULL, &r);
    long st = r.status;
    int tr = r.transport;
    char loc[520];
    dd__audit_clean(loc, sizeof loc, r.location);
    dd__audit_resp_free(&r);
    if (tr) {
        return;
    }
    snprintf(ev, sizeof ev, "POST /v2/%s/blobs/uploads/ -> %ld", repo, st);
    if (st == 401 || st == 403) {
        dd__audit_add(a, DD_SEV_INFO, "registry.push-needs-auth", ev,
                      "pushing needs authentication", NULL);
        return;
    }
    if (st != 202) {
        return;
    }
    /* cancel the upload at once, only on the registry itself */
    char cancel[800] = "";
    if (loc[0] == '/') {
        snprintf(cancel, sizeof cancel, "%s%s", a->base, loc);
    } else if (!strncmp(loc, a->base, strlen(a->base)) &&
               (loc[strlen(a->base)] == '/')) {
        snprintf(cancel, sizeof cancel, "%s", loc);
    }
    size_t l = strlen(ev);
    if (cancel[0]) {
        dd__audit_req(a, "DELETE", cancel, a->verify, NULL, NULL, &r);
        const char *path = cancel + strlen(a->base);
        snprintf(ev + l, sizeof ev - l, "; DELETE %.*s -> %ld%s",
                 (int)strcspn(path, "?#"), path, r.status,
                 !r.transport && r.status == 204 ? " (upload cancelled)" : "");
        dd__audit_resp_free(&r);
    } else {
        snprintf(ev + l, sizeof ev - l,
                 "; upload URL '%.200s' not on the registry: not cancelled",
                 loc);
    }
    dd__audit_add(a, DD_SEV_HIGH, "registry.anonymous-push", ev,
                  "anyone can push: images can be replaced by malicious ones "
                  "(the probe started an upload in a random repository and "
                  "cancelled it)",
                  "require authentication for push (auth: htpasswd or token) "
                  "and give push rights only to CI/maintainer accounts");
}
