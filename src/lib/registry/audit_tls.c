/*
 * lib/registry/audit_tls.c - the TLS checks of `registry audit`, made
 * with OpenSSL directly (libcurl hides which protocols and ciphers a
 * server accepts):
 *   - one handshake as a normal client, verifying against the system
 *     store plus --ca-file with a callback that records every error and
 *     goes on: expired / not yet valid, self-signed, untrusted chain,
 *     host name mismatch, and the leaf's notAfter (expiring soon);
 *   - one handshake each restricted to TLS 1.0 and to TLS 1.1;
 *   - one handshake each offering only a class of weak ciphers (RC4,
 *     3DES, EXPORT, NULL, anonymous) at security level 0.
 * When the local OpenSSL cannot offer a protocol or a cipher class, the
 * check was not made and an INFO finding says so. Each handshake has the
 * connect timeout and the total timeout of the audit (non-blocking
 * socket, poll); nothing is sent after the handshake.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "audit.h"

enum {
    V_EXPIRED = 1,
    V_NOT_YET = 2,
    V_SELF_SIGNED = 4,
    V_UNTRUSTED = 8,
    V_HOSTNAME = 16,
    V_OTHER = 32
};

typedef struct verify_rec {
    unsigned flags;
    char first[200]; /* the first "other"/untrusted error, for evidence */
} verify_rec;

typedef struct hs {
    int ok;          /* the handshake completed */
    int connected;   /* TCP connected */
    char proto[32];  /* "TLSv1.2" */
    char cipher[80]; /* "ECDHE-RSA-AES128-GCM-SHA256" */
    char err[200];
} hs;

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* wait until fd is ready for `ev` or the deadline: 1 ready, 0 not */
static int wait_fd(int fd, short ev, long deadline)
{
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            return 0;
        }
        struct pollfd p = {fd, ev, 0};
        int r = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
        if (r > 0) {
            return 1;
        }
        if (r < 0 && errno != EINTR) {
            return 0;
        }
    }
}

/* a non-blocking TCP connection to host:port, or -1 (err says why) */
static int tcp_connect(const char *host, const char *port, long cto, hs *h)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g) {
        snprintf(h->err, sizeof h->err, "%s", gai_strerror(g));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int c = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (c < 0 && errno == EINPROGRESS &&
            wait_fd(fd, POLLOUT, now_ms() + cto)) {
            int e = 0;
            socklen_t el = sizeof e;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
            c = e ? -1 : 0;
            errno = e ? e : ETIMEDOUT;
        } else if (c < 0) {
            errno = errno == EINPROGRESS ? ETIMEDOUT : errno;
        }
        if (c < 0) {
            snprintf(h->err, sizeof h->err, "connect: %s", strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int on_verify(int ok, X509_STORE_CTX *x)
{
    SSL *ssl =
        X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
    verify_rec *v = ssl ? SSL_get_app_data(ssl) : NULL;
    if (ok || !v) {
        return 1;
    }
    int e = X509_STORE_CTX_get_error(x);
    unsigned f = V_OTHER;
    switch (e) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        f = V_EXPIRED;
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        f = V_NOT_YET;
        break;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        f = V_SELF_SIGNED;
        break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
        f = V_UNTRUSTED;
        break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        f = V_HOSTNAME;
        break;
    default:
        break;
    }
    if ((f & (V_OTHER | V_UNTRUSTED)) && !v->first[0]) {
        snprintf(v->first, sizeof v->first, "depth %d: %s",
                 X509_STORE_CTX_get_error_depth(x),
                 X509_verify_cert_error_string(e));
    }
    v->flags |= f;
    return 1; /* record and go on: every problem is seen */
}

/* One handshake with ctx to the audited host; the peer's certificate is
 * kept in *peer when peer is non-NULL (X509_free). */
static void
handshake(const dd__audit *a, SSL_CTX *ctx, verify_rec *vr, X509 **peer, hs *h)
{
    memset(h, 0, sizeof *h);
    char host[300], port[16];
    dd__audit_split(a->host, host, sizeof host, port, sizeof port);
    long cto =
        a->o && a->o->connect_timeout_ms ? a->o->connect_timeout_ms : 3000;
    long tto = a->o && a->o->timeout_ms ? a->o->timeout_ms : 10000;
    long deadline = now_ms() + tto;
    int fd = tcp_connect(host, port[0] ? port : "443", cto, h);
    if (fd < 0) {
        return;
    }
    h->connected = 1;
    SSL *ssl = SSL_new(ctx);
    if (!ssl) {
        snprintf(h->err, sizeof h->err, "out of memory");
        close(fd);
        return;
    }
    SSL_set_fd(ssl, fd);
    unsigned char ip[16];
    int is_ip =
        inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
    if (!is_ip) {
        SSL_set_tlsext_host_name(ssl, host);
    }
    if (vr) {
        SSL_set_app_data(ssl, vr);
        X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
        if (is_ip) {
            X509_VERIFY_PARAM_set1_ip_asc(vp, host);
        } else {
            X509_VERIFY_PARAM_set1_host(vp, host, 0);
        }
        SSL_set_verify(ssl, SSL_VERIFY_PEER, on_verify);
    } else {
        SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    }
    ERR_clear_error();
    for (;;) {
        int r = SSL_connect(ssl);
        if (r == 1) {
            h->ok = 1;
            snprintf(h->proto, sizeof h->proto, "%s", SSL_get_version(ssl));
            snprintf(h->cipher, sizeof h->cipher, "%s",
                     SSL_get_cipher_name(ssl));
            if (peer) {
                *peer = SSL_get1_peer_certificate(ssl);
            }
            break;
        }
        int e = SSL_get_error(ssl, r);
        if ((e == SSL_ERROR_WANT_READ && wait_fd(fd, POLLIN, deadline)) ||
            (e == SSL_ERROR_WANT_WRITE && wait_fd(fd, POLLOUT, deadline))) {
            continue;
        }
        unsigned long le = ERR_peek_last_error();
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            snprintf(h->err, sizeof h->err, "handshake timed out");
        } else if (le) {
            ERR_error_string_n(le, h->err, sizeof h->err);
        } else {
            snprintf(h->err, sizeof h->err, "handshake refused");
        }
        break;
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(fd);
}

/* A client context at security level 0 limited to [min, max] with
 * `ciphers` (NULL: ALL); NULL when the local OpenSSL cannot offer any
 * cipher there. */
static SSL_CTX *weak_ctx(int min, int max, const char *ciphers)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        return NULL;
    }
    char list[128];
    snprintf(list, sizeof list, "%s:@SECLEVEL=0", ciphers ? ciphers : "ALL");
    SSL_CTX_set_security_level(ctx, 0);
    if (!SSL_CTX_set_min_proto_version(ctx, min) ||
        !SSL_CTX_set_max_proto_version(ctx, max) ||
        !SSL_CTX_set_cipher_list(ctx, list)) {
        SSL_CTX_free(ctx);
        ERR_clear_error();
        return NULL;
    }
    SSL *probe = SSL_new(ctx);
    STACK_OF(SSL_CIPHER) *sk = probe ? SSL_get1_supported_ciphers(probe) : NULL;
    int n = sk ? sk_SSL_CIPHER_num(sk) : 0;
    sk_SSL_CIPHER_free(sk);
    SSL_free(probe);
    ERR_clear_error();
    if (n <= 0) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static void append(char *buf, size_t cap, const char *sep, const char *s)
{
    size_t l = strlen(buf);
    if (l + 1 < cap) {
        snprintf(buf + l, cap - l, "%s%s", l ? sep : "", s);
    }
}

static void check_protocols(dd__audit *a, char *skipped, size_t scap)
{
    static const struct {
        int v;
        const char *name;
    } old[] = {{TLS1_VERSION, "TLSv1.0"}, {TLS1_1_VERSION, "TLSv1.1"}};
    char ev[600] = "";
    for (size_t i = 0; i < 2; i++) {
        SSL_CTX *ctx = weak_ctx(old[i].v, old[i].v, NULL);
        if (!ctx) {
            append(skipped, scap, ", ", old[i].name);
            continue;
        }
        hs h;
        handshake(a, ctx, NULL, NULL, &h);
        SSL_CTX_free(ctx);
        if (h.ok) {
            char one[160];
            snprintf(one, sizeof one, "%s accepted (%s)", old[i].name,
                     h.cipher);
            append(ev, sizeof ev, "; ", one);
        }
    }
    if (ev[0]) {
        dd__audit_add(a, DD_SEV_MEDIUM, "registry.tls-old-protocol", ev,
                      "the server accepts TLS below 1.2 (1.0/1.1: BEAST, "
                      "weak MACs, deprecated by RFC 8996)",
                      "set the minimum to TLS 1.2 (registry: "
                      "http.tls.minimumtls: tls1.2; nginx: ssl_protocols "
                      "TLSv1.2 TLSv1.3)");
    }
}

static void check_ciphers(dd__audit *a, char *skipped, size_t scap)
{
    static const struct {
        const char *name, *spec;
        int severe;
    } cls[] = {
        {"RC4", "RC4", 1},
        {"3DES", "3DES", 0},
        {"EXPORT", "EXP", 1},
        {"NULL (no encryption)", "eNULL", 1},
        {"anonymous (no authentication)", "aNULL", 1},
    };
    char ev[700] = "";
    int severe = 0;
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
        SSL_CTX *ctx = weak_ctx(TLS1_VERSION, TLS1_2_VERSION, cls[i].spec);
        if (!ctx) {
            append(skipped, scap, ", ", cls[i].name);
            continue;
        }
        hs h;
        handshake(a, ctx, NULL, NULL, &h);
        SSL_CTX_free(ctx);
        if (h.ok) {
            char one[200];
            snprintf(one, sizeof one, "%s accepted: %s %s", cls[i].name,
                     h.proto, h.cipher);
            append(ev, sizeof ev, "; ", one);
            severe |= cls[i].severe;
        }
    }
    if (ev[0]) {
        dd__audit_add(
            a, severe ? DD_SEV_HIGH : DD_SEV_MEDIUM, "registry.tls-weak-cipher",
            ev,
            "the server accepts weak cipher suites (broken, unencrypted or "
            "unauthenticated: a man in the middle can read or change the "
            "traffic)",
            "allow only AEAD suites with forward secrecy (ECDHE with "
            "AES-GCM or ChaCha20-Poly1305), e.g. nginx ssl_ciphers "
            "HIGH:!aNULL:!eNULL:!3DES:!RC4:!EXPORT, or TLS 1.3 only");
    }
}

/* "CN=x" of a name, printable */
static void name_str(X509_NAME *n, char *out, size_t cap)
{
    out[0] = 0;
    if (!n) {
        return;
    }
    char tmp[256] = "";
    X509_NAME_oneline(n, tmp, sizeof tmp);
    dd__audit_clean(out, cap, tmp);
}

/* the DNS and IP names of a certificate, printable, comma separated */
static void san_str(X509 *c, char *out, size_t cap)
{
    out[0] = 0;
    GENERAL_NAMES *g = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
    int n = g ? sk_GENERAL_NAME_num(g) : 0;
    for (int i = 0; i < n && i < 8; i++) {
        const GENERAL_NAME *e = sk_GENERAL_NAME_value(g, i);
        char one[128] = "";
        if (e->type == GEN_DNS) {
            const unsigned char *d = ASN1_STRING_get0_data(e->d.dNSName);
            int l = ASN1_STRING_length(e->d.dNSName);
            char raw[100];
            snprintf(raw, sizeof raw, "%.*s", l > 99 ? 99 : l, (const char *)d);
            char c2[100];
            dd__audit_clean(c2, sizeof c2, raw);
            snprintf(one, sizeof one, "DNS:%s", c2);
        } else if (e->type == GEN_IPADD &&
                   ASN1_STRING_length(e->d.iPAddress) == 4) {
            const unsigned char *d = ASN1_STRING_get0_data(e->d.iPAddress);
            snprintf(one, sizeof one, "IP:%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
        } else if (e->type == GEN_IPADD) {
            snprintf(one, sizeof one, "IP:(v6)");
        }
        if (one[0]) {
            append(out, cap, ",", one);
        }
    }
    GENERAL_NAMES_free(g);
}

static void check_cert(dd__audit *a, const char *curl_err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        return;
    }
    SSL_CTX_set_default_verify_paths(ctx);
    if (a->o && a->o->ca_file && a->o->ca_file[0] &&
        !SSL_CTX_load_verify_locations(ctx, a->o->ca_file, NULL)) {
        ERR_clear_error(); /* a bad --ca-file: as if not given */
    }
    verify_rec vr;
    memset(&vr, 0, sizeof vr);
    X509 *leaf = NULL;
    hs h;
    handshake(a, ctx, &vr, &leaf, &h);
    SSL_CTX_free(ctx);
    char host[300], port[16];
    dd__audit_split(a->host, host, sizeof host, port, sizeof port);
    if (!h.ok || !leaf) {
        if (curl_err[0]) { /* libcurl saw the problem, we could not */
            char ev[300];
            dd__audit_clean(ev, sizeof ev, curl_err);
            dd__audit_add(a, DD_SEV_HIGH, "registry.tls-untrusted", ev,
                          "the TLS certificate does not verify",
                          "install a certificate from a CA the clients "
                          "trust, valid for this host name");
        }
        X509_free(leaf);
        return;
    }
    char subj[200], iss[200], san[400], ev[900];
    name_str(X509_get_subject_name(leaf), subj, sizeof subj);
    name_str(X509_get_issuer_name(leaf), iss, sizeof iss);
    san_str(leaf, san, sizeof san);
    int days = 0, secs = 0;
    const ASN1_TIME *na = X509_get0_notAfter(leaf);
    char until[64] = "?";
    BIO *b = BIO_new(BIO_s_mem());
    if (b && ASN1_TIME_print(b, na) > 0) {
        int l = BIO_read(b, until, sizeof until - 1);
        until[l > 0 ? l : 0] = 0;
    }
    BIO_free(b);
    int have_days = ASN1_TIME_diff(&days, &secs, NULL, na);
    if (vr.flags & V_EXPIRED || (have_days && (days < 0 || secs < 0))) {
        snprintf(ev, sizeof ev, "notAfter=%s; subject %s", until, subj);
        dd__audit_add(a, DD_SEV_HIGH, "registry.tls-cert-expired", ev,
                      "the TLS certificate has expired: clients refuse it "
                      "or are told to skip verification",
                      "renew the certificate (and automate renewal, e.g. "
                      "ACME)");
    } else if (have_days && days < 30) {
        snprintf(ev, sizeof ev, "notAfter=%s (%d days left); subject %s", until,
                 days, subj);
        dd__audit_add(a, DD_SEV_MEDIUM, "registry.tls-cert-expiring", ev,
                      "the TLS certificate expires within 30 days",
                      "renew the certificate now and automate renewal "
                      "(e.g. ACME)");
    }
    if (vr.flags & V_NOT_YET) {
        snprintf(ev, sizeof ev, "subject %s: not yet valid", subj);
        dd__audit_add(a, DD_SEV_MEDIUM, "registry.tls-cert-not-yet-valid", ev,
                      "the TLS certificate is not valid yet",
                      "check the server's clock and the certificate's "
                      "notBefore");
    }
    if (vr.flags & V_SELF_SIGNED) {
        snprintf(ev, sizeof ev, "subject %s, issuer %s", subj, iss);
        dd__audit_add(a, DD_SEV_HIGH, "registry.tls-self-signed", ev,
                      "the TLS certificate is self-signed (or its chain ends "
                      "in an unknown self-signed root): clients must turn "
                      "verification off",
                      "use a certificate from a CA the clients trust (or "
                      "distribute your CA to every client: "
                      "/etc/docker/certs.d/HOST/ca.crt)");
    } else if (vr.flags & (V_UNTRUSTED | V_OTHER)) {
        snprintf(ev, sizeof ev, "%s; subject %s, issuer %s", vr.first, subj,
                 iss);
        dd__audit_add(a, DD_SEV_HIGH, "registry.tls-untrusted", ev,
                      "the TLS certificate chain does not verify against "
                      "the system store (and --ca-file)",
                      "serve the whole chain and use a CA the clients "
                      "trust");
    }
    if (vr.flags & V_HOSTNAME) {
        snprintf(ev, sizeof ev, "host %s; certificate subject %s, names %s",
                 host, subj, san[0] ? san : "(none)");
        dd__audit_add(a, DD_SEV_HIGH, "registry.tls-hostname-mismatch", ev,
                      "the TLS certificate is for another host name",
                      "issue the certificate for the name clients use "
                      "(subjectAltName)");
    }
    if (!vr.flags && curl_err[0]) { /* libcurl saw what OpenSSL did not */
        char ce[300];
        dd__audit_clean(ce, sizeof ce, curl_err);
        snprintf(ev, sizeof ev, "%s; subject %s, issuer %s", ce, subj, iss);
        dd__audit_add(a, DD_SEV_HIGH, "registry.tls-untrusted", ev,
                      "the TLS certificate does not verify",
                      "serve the whole chain and use a CA the clients "
                      "trust");
    } else if (!vr.flags && have_days && days >= 30) {
        snprintf(ev, sizeof ev, "%s %s; subject %s; notAfter=%s (%d days)",
                 h.proto, h.cipher, subj, until, days);
        dd__audit_add(a, DD_SEV_INFO, "registry.tls", ev,
                      "the TLS certificate verifies", NULL);
    }
    X509_free(leaf);
}

void dd__audit_tls(dd__audit *a, const char *curl_err)
{
    check_cert(a, curl_err);
    char skipped[300] = "";
    check_protocols(a, skipped, sizeof skipped);
    check_ciphers(a, skipped, sizeof skipped);
    if (skipped[0]) {
        char ev[400];
        snprintf(ev, sizeof ev, "not offered by the local %s: %s",
                 OpenSSL_version(OPENSSL_VERSION), skipped);
        dd__audit_add(a, DD_SEV_INFO, "registry.tls-not-checked", ev,
                      "these protocols or cipher classes could not be "
                      "offered, so whether the server accepts them was not "
                      "checked",
                      NULL);
    }
}
