/*
 * lib/registry/client.c - HTTP to a registry over libcurl.
 *
 * TLS is verified (peer and host) unless the host is listed as insecure,
 * which means plain HTTP, never "TLS without checks". Extra CAs come from
 * --ca-file and /etc/docker/certs.d/<host[:port]>/ (ca.crt; client.cert +
 * client.key for mutual TLS). Redirects are followed here, not by libcurl:
 * the Authorization header goes only to the registry host itself, never
 * to another host (blob storage redirects) and never over plain HTTP.
 * A 401 with a Bearer challenge fetches a token from the realm (with the
 * credentials, when we have them) and retries; tokens are cached per
 * registry until they expire. 429 and 5xx are retried three times with
 * backoff, honouring Retry-After (capped at 10 s).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "registry_int.h"
#include "../../util/util.h"

#define MAX_HOPS    5
#define MAX_TRIES   3
#define MAX_TOKEN   (64u << 10)
#define MAX_ERRBODY 4096

struct dd__registry {
    dd__ref ref;
    char host[DD_REF_MAX]; /* what we connect to */
    char base[DD_REF_MAX + 16];
    int plaintext;
    char user[256], secret[1024];
    int have_creds;
    char ca_file[4096], client_cert[4096], client_key[4096];
    pthread_mutex_t lock;
    int bearer, basic;
    dd__challenge ch;
    char *token;
    time_t token_exp;
    /* token services on another domain allowed the credentials */
    char token_hosts[16][256];
    size_t n_token_hosts;
    /* the realm host the credentials were withheld from, or "" */
    char withheld[256];
};

/* the host of an http(s) URL, lower case, without port: out[n] */
static void url_hostname(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = p + strcspn(p, "/?#");
    const char *cred = memchr(p, '@', (size_t)(at - p));
    if (cred) {
        p = cred + 1;
    }
    size_t k = 0;
    if (*p == '[') { /* IPv6 literal */
        while (p[k] && p[k] != ']' && k + 1 < n) {
            k++;
        }
        k += p[k] == ']';
    } else {
        k = strcspn(p, ":/?#");
    }
    k = k < n ? k : n - 1;
    for (size_t i = 0; i < k; i++) {
        char c = p[i];
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[k] = '\0';
}

/* the registrable part of a host name, roughly: the last two labels, or
 * three under a two-letter country code with a short second level
 * ("example.co.uk"); an IP address or a one-label name is itself */
static const char *site_of(const char *h)
{
    size_t n = strlen(h);
    if (!n || h[0] == '[' || strspn(h, "0123456789.") == n) {
        return h;
    }
    const char *d1 = strrchr(h, '.'), *d2 = NULL, *d3 = NULL;
    for (const char *p = d1; p && p > h && !d2; p--) {
        d2 = p[-1] == '.' ? p - 1 : NULL;
    }
    if (!d2) {
        return h;
    }
    if (!(strlen(d1 + 1) == 2 && d1 - d2 - 1 <= 3)) {
        return d2 + 1;
    }
    for (const char *p = d2; p > h && !d3; p--) {
        d3 = p[-1] == '.' ? p - 1 : NULL;
    }
    return d3 ? d3 + 1 : h;
}

/* 1 when the credentials may go to the token service at `realm` */
static int realm_allowed(const dd__registry *r, const char *realm)
{
    char rh[256], gh[256];
    url_hostname(realm, rh, sizeof rh);
    url_hostname(r->host, gh, sizeof gh);
    if (!strcmp(site_of(rh), site_of(gh))) {
        return 1;
    }
    for (size_t i = 0; i < r->n_token_hosts; i++) {
        if (!strcasecmp(r->token_hosts[i], rh)) {
            return 1;
        }
    }
    return 0;
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* ------------------------------------------------------------ transfers */

typedef struct xfer {
    dd__buf body;
    char ctype[128];
    char link[1024]; /* Link: <...>; rel="next" */
    char www[1024];
    long retry_after;
    size_t max;
    int sink_ok; /* deliver the body (final 200) */
    dd__stream *stream;
} xfer;

static size_t on_header(char *b, size_t sz, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = sz * n;
    if (len > 13 && !strncasecmp(b, "Content-Type:", 13)) {
        size_t k = 13;
        while (k < len && b[k] == ' ') {
            k++;
        }
        size_t e = k;
        while (e < len && b[e] != '\r' && b[e] != '\n' && b[e] != ';') {
            e++;
        }
        snprintf(x->ctype, sizeof x->ctype, "%.*s", (int)(e - k), b + k);
    } else if (len > 17 && !strncasecmp(b, "WWW-Authenticate:", 17)) {
        size_t k = 17;
        while (k < len && b[k] == ' ') {
            k++;
        }
        size_t e = len;
        while (e > k && (b[e - 1] == '\r' || b[e - 1] == '\n')) {
            e--;
        }
        snprintf(x->www, sizeof x->www, "%.*s", (int)(e - k), b + k);
    } else if (len > 5 && !strncasecmp(b, "Link:", 5)) {
        const char *lt = memchr(b, '<', len),
                   *gt = lt ? memchr(lt, '>', len - (size_t)(lt - b)) : NULL;
        if (gt && memmem(gt, len - (size_t)(gt - b), "next", 4)) {
            snprintf(x->link, sizeof x->link, "%.*s", (int)(gt - lt - 1),
                     lt + 1);
        }
    } else if (len > 12 && !strncasecmp(b, "Retry-After:", 12)) {
        x->retry_after = strtol(b + 12, NULL, 10);
    } else if (len >= 5 && !strncmp(b, "HTTP/", 5)) {
        x->ctype[0] = x->www[0] = x->link[0] = 0; /* a new response */
    }
    return len;
}

static size_t on_body(char *b, size_t sz, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = sz * n;
    if (x->body.len + len > x->max) {
        return 0; /* too large: abort */
    }
    return dd__buf_add(&x->body, b, len) ? 0 : len;
}

static void b64(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (4 * ((n + 2) / 3) + 1 > cap) {
        out[0] = 0;
        return;
    }
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)in, (int)n);
}

static CURL *easy(const dd__registry *r, const char *url, xfer *x, char *errbuf)
{
    CURL *c = curl_easy_init();
    if (!c) {
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "drydock/0.1");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    if (r->ca_file[0]) {
        curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
    }
    if (r->client_cert[0] && r->client_key[0]) {
        curl_easy_setopt(c, CURLOPT_SSLCERT, r->client_cert);
        curl_easy_setopt(c, CURLOPT_SSLKEY, r->client_key);
    }
    return c;
}

/* host[:port] of an absolute URL */
static void url_host(const char *u, char *out, size_t cap)
{
    const char *p = strstr(u, "://");
    p = p ? p + 3 : u;
    snprintf(out, cap, "%.*s", (int)strcspn(p, "/?#"), p);
}

static int same_origin(const dd__registry *r, const char *url)
{
    char h[DD_REF_MAX];
    url_host(url, h, sizeof h);
    return !strcmp(h, r->host) && !strncmp(url, r->base, strlen(r->base));
}

/* Authorization header for `url`, or "" */
static void auth_header(dd__registry *r, const char *url, char *out, size_t cap)
{
    out[0] = 0;
    if (!same_origin(r, url) || !strncmp(url, "http://", 7)) {
        return; /* never to another host, never in clear */
    }
    pthread_mutex_lock(&r->lock);
    if (r->bearer && r->token && time(NULL) < r->token_exp) {
        snprintf(out, cap, "Authorization: Bearer %s", r->token);
    } else if (r->basic && r->have_creds) {
        char up[1400], enc[2000];
        snprintf(up, sizeof up, "%s:%s", r->user, r->secret);
        b64(up, enc, sizeof enc);
        snprintf(out, cap, "Authorization: Basic %s", enc);
        OPENSSL_cleanse(up, sizeof up);
    }
    pthread_mutex_unlock(&r->lock);
}

/* the registry's error code from its JSON body, for messages */
static void reg_error(const xfer *x, char *out, size_t cap)
{
    out[0] = 0;
    json_t *j = NULL; /* no JSON: no code to show */
    dd__json_parse(&j, x->body.ptr, x->body.len, DD_JSON_MAX, "error", NULL);
    json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
    const char *code = json_string_value(json_object_get(e0, "code"));
    const char *msg = json_string_value(json_object_get(e0, "message"));
    if (code) {
        snprintf(out, cap, " (%s%s%.120s)", code, msg ? ": " : "",
                 msg ? msg : "");
    }
    json_decref(j);
}

static int fetch_token(dd__registry *r, const char *want_scope, dd_error *err);

/* One request with auth, redirects and retries. The final response's
 * status goes to *status; its body to x->body (non-streaming). */
static int perform(dd__registry *r,
                   const char *path,
                   const char *accept,
                   xfer *x,
                   long *status,
                   dd_error *err)
{
    char url[4096];
    snprintf(url, sizeof url, "%s/v2/%s", r->base, path);
    int hops = 0, tries = 0, authed = 0;
    for (;;) {
        char errbuf[CURL_ERROR_SIZE] = "";
        CURL *c = easy(r, url, x, errbuf);
        struct curl_slist *h = NULL;
        char ah[MAX_TOKEN + 64];
        auth_header(r, url, ah, sizeof ah);
        if (ah[0]) {
            h = curl_slist_append(h, ah);
        }
        if (accept) {
            char acc[1024];
            snprintf(acc, sizeof acc, "Accept: %s", accept);
            h = curl_slist_append(h, acc);
        }
        if (!c) {
            curl_slist_free_all(h);
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        dd__buf_reset(&x->body);
        x->retry_after = -1;
        CURLcode cc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        char *loc = NULL;
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
        char next[4096] = "";
        if (loc) {
            snprintf(next, sizeof next, "%s", loc);
        }
        curl_easy_cleanup(c);
        curl_slist_free_all(h);
        OPENSSL_cleanse(ah, sizeof ah);
        if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && code == 200)) {
            if (cc == CURLE_SSL_CONNECT_ERROR &&
                strstr(errbuf, "wrong version number")) {
                return dd__error_set(err, DD_ENET,
                                     "%s: the registry does not speak TLS; "
                                     "to pull over plain HTTP anyway (and be "
                                     "told so), add --insecure-registry %s",
                                     r->host, r->ref.domain);
            }
            if (cc == CURLE_PEER_FAILED_VERIFICATION ||
                cc == CURLE_SSL_CACERT_BADFILE ||
                cc == CURLE_SSL_CONNECT_ERROR) {
                return dd__error_set(
                    err, DD_ENET,
                    "%s: TLS: %s (add the registry's CA with --ca-file or "
                    "/etc/docker/certs.d/%s/ca.crt)",
                    r->host, errbuf[0] ? errbuf : curl_easy_strerror(cc),
                    r->host);
            }
            if (cc == CURLE_WRITE_ERROR) {
                return dd__error_set(err, DD_ELIMIT,
                                     "%s: response to %s larger than %zu "
                                     "bytes",
                                     r->host, path, x->max);
            }
            if (++tries < MAX_TRIES && cc != CURLE_COULDNT_RESOLVE_HOST) {
                sleep((unsigned)tries);
                continue;
            }
            return dd__error_set(err, DD_ENET, "%s: %s", r->host,
                                 errbuf[0] ? errbuf : curl_easy_strerror(cc));
        }
        if (code >= 300 && code < 400 && next[0]) {
            if (++hops > MAX_HOPS) {
                return dd__error_set(err, DD_ENET, "%s: too many redirects",
                                     r->host);
            }
            if (!r->plaintext && strncmp(next, "https://", 8)) {
                return dd__error_set(err, DD_ENET,
                                     "%s: refused a redirect from HTTPS to "
                                     "%.200s",
                                     r->host, next);
            }
            snprintf(url, sizeof url, "%s", next);
            continue;
        }
        if (code == 401 && !authed) {
            authed = 1;
            dd__challenge ch;
            if (!x->www[0] ||
                dd__challenge_parse(x->www, strlen(x->www), &ch)) {
                return dd__error_set(err, DD_EUSER,
                                     "%s: authentication required, and the "
                                     "challenge is not understood",
                                     r->host);
            }
            if (r->plaintext && r->have_creds) {
                return dd__error_set(err, DD_EUSER,
                                     "%s: the registry asks for credentials "
                                     "over plain HTTP; drydock does not send "
                                     "them in clear",
                                     r->host);
            }
            pthread_mutex_lock(&r->lock);
            r->ch = ch;
            r->bearer = ch.bearer;
            r->basic = !ch.bearer;
            pthread_mutex_unlock(&r->lock);
            if (ch.bearer) {
                int rc = fetch_token(r, ch.scope, err);
                if (rc) {
                    return rc;
                }
            } else if (!r->have_creds) {
                return dd__error_set(err, DD_EUSER,
                                     "%s: authentication required (give "
                                     "--username and --password-stdin, or "
                                     "log in with docker/podman)",
                                     r->host);
            }
            snprintf(url, sizeof url, "%s/v2/%s", r->base, path);
            continue;
        }
        if ((code == 429 || code >= 500) && ++tries < MAX_TRIES) {
            long wait = x->retry_after >= 0 ? x->retry_after : tries;
            sleep((unsigned)(wait > 10 ? 10 : wait));
            continue;
        }
        *status = code;
        if (code == 401) {
            char e[200];
            reg_error(x, e, sizeof e);
            return dd__error_set(
                err, DD_EUSER, "%s: access denied%s: %s%s", r->host,
                r->have_creds ? " with the given credentials"
                              : " (no credentials)",
                r->have_creds ? "check them" : "log in first", e);
        }
        return 0;
    }
}

static int fetch_token(dd__registry *r, const char *want_scope, dd_error *err)
{
    char scope[600];
    if (want_scope && *want_scope) {
        snprintf(scope, sizeof scope, "%s", want_scope);
    } else {
        snprintf(scope, sizeof scope, "repository:%s:pull", r->ref.repo);
    }
    CURL *esc = curl_easy_init();
    char *s1 = esc ? curl_easy_escape(esc, r->ch.service, 0) : NULL;
    char *s2 = esc ? curl_easy_escape(esc, scope, 0) : NULL;
    char url[2048];
    snprintf(url, sizeof url, "%s%sservice=%s&scope=%s", r->ch.realm,
             strchr(r->ch.realm, '?') ? "&" : "?", s1 ? s1 : "", s2 ? s2 : "");
    curl_free(s1);
    curl_free(s2);
    curl_easy_cleanup(esc);
    if (!strncmp(url, "http://", 7) && !r->plaintext) {
        return dd__error_set(err, DD_ENET,
                             "%s: the token service %s is plain HTTP; refused",
                             r->host, r->ch.realm);
    }
    xfer x;
    memset(&x, 0, sizeof x);
    dd__buf_init(&x.body, MAX_TOKEN);
    x.max = MAX_TOKEN;
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *c = easy(r, url, &x, errbuf);
    if (!c) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    struct curl_slist *h = NULL;
    int allowed = realm_allowed(r, r->ch.realm);
    if (r->have_creds && !allowed) {
        pthread_mutex_lock(&r->lock);
        url_hostname(r->ch.realm, r->withheld, sizeof r->withheld);
        pthread_mutex_unlock(&r->lock);
    }
    if (r->have_creds && allowed && !strncmp(url, "https://", 8)) {
        char up[1400], enc[2000], ah[2100];
        snprintf(up, sizeof up, "%s:%s", r->user, r->secret);
        b64(up, enc, sizeof enc);
        snprintf(ah, sizeof ah, "Authorization: Basic %s", enc);
        h = curl_slist_append(h, ah);
        OPENSSL_cleanse(up, sizeof up);
        OPENSSL_cleanse(ah, sizeof ah);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    int rc = 0;
    if (cc != CURLE_OK || code != 200) {
        rc = dd__error_set(
            err, code == 401 || code == 403 ? DD_EUSER : DD_ENET,
            "%s: token service %s: %s", r->host, r->ch.realm,
            cc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(cc))
            : (code == 401 || code == 403) && r->have_creds && !allowed
                ? "access denied; the credentials were not "
                  "sent: the token service is on another "
                  "domain than the registry (--token-host "
                  "HOST allows it)"
            : code == 401 || code == 403
                ? "access denied (check the credentials)"
                : "unexpected status");
    } else {
        json_t *j = NULL; /* not JSON: "no token in the answer" */
        dd__json_parse(&j, x.body.ptr, x.body.len, DD_JSON_MAX, "token", NULL);
        const char *t = json_string_value(json_object_get(j, "token"));
        if (!t) {
            t = json_string_value(json_object_get(j, "access_token"));
        }
        json_int_t exp = json_integer_value(json_object_get(j, "expires_in"));
        if (!t || !*t || strlen(t) > MAX_TOKEN - 100) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: token service %s: no token in the answer",
                               r->host, r->ch.realm);
        } else {
            pthread_mutex_lock(&r->lock);
            dd__free(r->token);
            r->token = dd__strdup(t);
            r->token_exp = time(NULL) + (exp > 20 ? exp - 10 : 50);
            pthread_mutex_unlock(&r->lock);
            rc = r->token ? 0 : DD_ENOMEM;
        }
        json_decref(j);
    }
    dd__buf_free(&x.body);
    return rc;
}

/* ------------------------------------------------------------ public */

int dd__registry_new(dd__registry **out,
                     const dd__ref *ref,
                     const dd_registry_opts *o,
                     dd_error *err)
{
    *out = NULL;
    dd_registry_opts none;
    memset(&none, 0, sizeof none);
    if (!o) {
        o = &none;
    }
    dd__registry *r = dd__calloc(1, sizeof *r);
    if (!r) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&r->lock, NULL);
    r->ref = *ref;
    snprintf(r->host, sizeof r->host, "%s",
             strcmp(ref->domain, "docker.io") ? ref->domain
                                              : "registry-1.docker.io");
    for (size_t i = 0; i < o->n_token_hosts && i < 16; i++) {
        snprintf(r->token_hosts[r->n_token_hosts++], sizeof r->token_hosts[0],
                 "%s", o->token_hosts[i]);
    }
    for (size_t i = 0; i < o->n_insecure; i++) {
        if (!strcmp(o->insecure[i], ref->domain) ||
            !strcmp(o->insecure[i], r->host)) {
            r->plaintext = 1;
        }
    }
    snprintf(r->base, sizeof r->base, "%s://%s",
             r->plaintext ? "http" : "https", r->host);
    int rc = 0;
    if (o->username) {
        snprintf(r->user, sizeof r->user, "%s", o->username);
        snprintf(r->secret, sizeof r->secret, "%s",
                 o->password ? o->password : "");
        r->have_creds = 1;
    } else {
        rc = dd__creds_lookup(ref->domain, o->auth_file, r->user,
                              sizeof r->user, r->secret, sizeof r->secret, err);
        r->have_creds = rc == 1;
        rc = rc < 0 ? rc : 0;
    }
    const char *cd = o->certs_dir ? o->certs_dir : "/etc/docker/certs.d";
    char p[4096];
    snprintf(p, sizeof p, "%s/%s/ca.crt", cd, ref->domain);
    if (o->ca_file) {
        snprintf(r->ca_file, sizeof r->ca_file, "%s", o->ca_file);
        if (!file_exists(o->ca_file)) {
            rc = dd__error_set(err, DD_ENOTFOUND, "%s: no such CA file",
                               o->ca_file);
        }
    } else if (file_exists(p)) {
        snprintf(r->ca_file, sizeof r->ca_file, "%s", p);
    }
    snprintf(p, sizeof p, "%s/%s/client.cert", cd, ref->domain);
    if (file_exists(p)) {
        snprintf(r->client_cert, sizeof r->client_cert, "%s", p);
        snprintf(p, sizeof p, "%s/%s/client.key", cd, ref->domain);
        if (file_exists(p)) {
            snprintf(r->client_key, sizeof r->client_key, "%s", p);
        }
    }
    if (!rc) { /* ping: reachable, TLS good, which auth */
        xfer x;
        memset(&x, 0, sizeof x);
        dd__buf_init(&x.body, MAX_ERRBODY);
        x.max = MAX_ERRBODY;
        long st = 0;
        rc = perform(r, "", NULL, &x, &st, err);
        if (!rc && st != 200) {
            rc = dd__error_set(err, DD_ENET,
                               "%s: not an OCI distribution registry (GET "
                               "/v2/ answered %ld)",
                               r->host, st);
        }
        dd__buf_free(&x.body);
    }
    if (rc) {
        dd__registry_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void dd__registry_free(dd__registry *r)
{
    if (!r) {
        return;
    }
    OPENSSL_cleanse(r->secret, sizeof r->secret);
    dd__free(r->token);
    pthread_mutex_destroy(&r->lock);
    dd__free(r);
}

int dd__registry_plaintext(const dd__registry *r)
{
    return r->plaintext;
}

const char *dd__registry_withheld(dd__registry *r, char *out, size_t n)
{
    pthread_mutex_lock(&r->lock);
    snprintf(out, n, "%s", r->withheld);
    pthread_mutex_unlock(&r->lock);
    return out[0] ? out : NULL;
}

/* perform(), and anything but 200 is an error naming the registry's code */
static int get_ok(dd__registry *r,
                  const char *path,
                  const char *accept,
                  xfer *x,
                  dd_error *err)
{
    long st = 0;
    int rc = perform(r, path, accept, x, &st, err);
    if (!rc && st != 200) {
        char e[200];
        reg_error(x, e, sizeof e);
        rc = dd__error_set(err, st == 404 ? DD_ENOTFOUND : DD_ENET,
                           "%s: GET /v2/%.200s: HTTP %ld%s", r->host, path, st,
                           e);
    }
    return rc;
}

int dd__registry_get(dd__registry *r,
                     const char *path,
                     const char *accept,
                     size_t max,
                     char **body,
                     size_t *len,
                     char *ctype,
                     size_t ctcap,
                     dd_error *err)
{
    return dd__registry_get_page(r, path, accept, max, body, len, ctype, ctcap,
                                 NULL, 0, err);
}

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
                          dd_error *err)
{
    xfer x;
    memset(&x, 0, sizeof x);
    dd__buf_init(&x.body, max);
    x.max = max;
    int rc = get_ok(r, path, accept, &x, err);
    if (rc) {
        dd__buf_free(&x.body);
        return rc;
    }
    if (ctype) {
        snprintf(ctype, ctcap, "%s", x.ctype);
    }
    if (next) {
        /* "/v2/_catalog?last=x&n=100" -> "_catalog?last=x&n=100"; another
         * host in a Link is not followed */
        const char *l = x.link;
        if (!strncmp(l, r->base, strlen(r->base))) {
            l += strlen(r->base);
        }
        snprintf(next, ncap, "%s", !strncmp(l, "/v2/", 4) ? l + 4 : "");
    }
    *len = x.body.len;
    *body = dd__buf_detach(&x.body);
    if (!*body) {
        *body = dd__strdup("");
    }
    return *body ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------ streams */

/* A streaming GET: the request is resolved first (auth, redirects: the
 * final URL is known), then the body is pulled through curl's multi
 * interface as the walk asks for bytes; nothing is stored. */
struct dd__stream {
    CURLM *m;
    CURL *c;
    struct curl_slist *h;
    xfer x;
    size_t pos; /* consumed from x.body */
    int done;
    CURLcode result;
    char errbuf[CURL_ERROR_SIZE];
    uint64_t received; /* bytes of the blob delivered so far */
    uint64_t skip;     /* a resumed request answered 200: drop these */
    int resumes;
};

#define MAX_RESUMES 3

static size_t on_stream(char *b, size_t sz, size_t n, void *ud)
{
    dd__stream *s = ud;
    size_t len = sz * n, off = 0;
    if (s->skip) { /* the server ignored our Range: skip what we have */
        off = s->skip < len ? (size_t)s->skip : len;
        s->skip -= off;
    }
    if (dd__buf_add(&s->x.body, b + off, len - off)) {
        return 0;
    }
    s->received += len - off;
    return len;
}

/* A transfer that broke (connection reset, short body) goes on from
 * where it stopped, with a Range request, up to MAX_RESUMES times. */
static int resume(dd__stream *s)
{
    CURLcode r = s->result;
    if (s->resumes >= MAX_RESUMES ||
        (r != CURLE_PARTIAL_FILE && r != CURLE_RECV_ERROR &&
         r != CURLE_GOT_NOTHING && r != CURLE_OPERATION_TIMEDOUT &&
         r != CURLE_SEND_ERROR && r != CURLE_HTTP2_STREAM)) {
        return 0;
    }
    s->resumes++;
    sleep((unsigned)s->resumes);
    char range[48];
    snprintf(range, sizeof range, "%llu-", (unsigned long long)s->received);
    curl_multi_remove_handle(s->m, s->c);
    curl_easy_setopt(s->c, CURLOPT_RANGE, range);
    s->skip = 0;
    s->done = 0;
    s->result = CURLE_OK;
    return curl_multi_add_handle(s->m, s->c) == CURLM_OK;
}

/* a 200 to a resumed (Range) request restarts the body from 0 */
static size_t on_stream_header(char *b, size_t sz, size_t n, void *ud)
{
    dd__stream *s = ud;
    size_t len = sz * n;
    if (s->resumes && len >= 12 && !strncmp(b, "HTTP/", 5)) {
        const char *sp = memchr(b, ' ', len);
        if (sp && sp + 4 <= b + len && !strncmp(sp + 1, "200", 3)) {
            s->skip = s->received;
        }
    }
    return len;
}

int dd__registry_stream(dd__registry *r,
                        const char *path,
                        dd__stream **out,
                        dd_error *err)
{
    *out = NULL;
    /* a probe settles auth (a Bearer token for this repository) and tells
     * that the blob is there: its first 4 KiB are read, then the transfer
     * is cut (DD_ELIMIT) */
    char url[4096];
    snprintf(url, sizeof url, "%s/v2/%s", r->base, path);
    xfer probe;
    memset(&probe, 0, sizeof probe);
    dd__buf_init(&probe.body, MAX_ERRBODY);
    probe.max = MAX_ERRBODY;
    int rc = get_ok(r, path, NULL, &probe, err);
    dd__buf_free(&probe.body);
    if (rc) {
        return rc;
    }
    dd__stream *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__buf_init(&s->x.body, (size_t)1 << 30);
    s->x.max = SIZE_MAX;
    s->c = easy(r, url, &s->x, s->errbuf);
    s->m = curl_multi_init();
    if (!s->c || !s->m) {
        dd__stream_free(s);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    char ah[MAX_TOKEN + 64];
    auth_header(r, url, ah, sizeof ah);
    if (ah[0]) {
        s->h = curl_slist_append(s->h, ah);
    }
    OPENSSL_cleanse(ah, sizeof ah);
    curl_easy_setopt(s->c, CURLOPT_HTTPHEADER, s->h);
    curl_easy_setopt(s->c, CURLOPT_WRITEFUNCTION, on_stream);
    curl_easy_setopt(s->c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->c, CURLOPT_HEADERFUNCTION, on_stream_header);
    curl_easy_setopt(s->c, CURLOPT_HEADERDATA, s);
    /* redirects of blobs (to storage) carry no credentials: libcurl drops
     * our custom Authorization header on a host change */
    curl_easy_setopt(s->c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(s->c, CURLOPT_MAXREDIRS, (long)MAX_HOPS);
    curl_easy_setopt(s->c, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(s->c, CURLOPT_REDIR_PROTOCOLS_STR,
                     r->plaintext ? "https,http" : "https");
    curl_easy_setopt(s->c, CURLOPT_FAILONERROR, 1L);
    curl_multi_add_handle(s->m, s->c);
    *out = s;
    return 0;
}

long long dd__stream_read(dd__stream *s, void *buf, size_t n)
{
    for (;;) {
        if (s->pos < s->x.body.len) {
            break; /* bytes to hand out */
        }
        s->pos = 0;
        dd__buf_reset(&s->x.body);
        if (s->done) {
            if (s->result != CURLE_OK && resume(s)) {
                continue;
            }
            return s->result == CURLE_OK ? 0 : -1;
        }
        int running = 0;
        if (curl_multi_perform(s->m, &running) != CURLM_OK) {
            return -1;
        }
        if (!running) {
            int q;
            CURLMsg *msg = curl_multi_info_read(s->m, &q);
            s->result = msg ? msg->data.result : CURLE_OK;
            s->done = 1;
        } else if (s->x.body.len == 0) {
            curl_multi_poll(s->m, NULL, 0, 1000, NULL);
        }
    }
    size_t k = s->x.body.len - s->pos;
    if (k > n) {
        k = n;
    }
    memcpy(buf, s->x.body.ptr + s->pos, k);
    s->pos += k;
    return (long long)k;
}

void dd__stream_free(dd__stream *s)
{
    if (!s) {
        return;
    }
    if (s->m && s->c) {
        curl_multi_remove_handle(s->m, s->c);
    }
    curl_easy_cleanup(s->c);
    curl_multi_cleanup(s->m);
    curl_slist_free_all(s->h);
    dd__buf_free(&s->x.body);
    dd__free(s);
}
