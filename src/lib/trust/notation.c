/*
 * trust/notation.c - Notary Project (Notation) signatures: the JWS JSON
 * serialization and COSE_Sign1 envelopes, their signature (RSASSA-PSS
 * or ECDSA with the hash the key's size implies), the signed descriptor,
 * the critical headers, signing time and expiry, the certificate chain
 * to an X.509 trust store in Notation's directory layout, the leaf's key
 * usage and code-signing EKU, and a trusted identity (x509.subject).
 *
 * The RFC 3161 countersignature (io.cncf.notary.timestampSignature) is
 * verified against the trust store's x509/tsa/ certificates when it has
 * any (else ignored). Not done: revocation; verification plugins
 * (io.cncf.notary.verificationPlugin) are refused.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "notation_int.h"

#define MAX_ENVELOPE (4u << 20)
#define MAX_PAYLOAD  (1u << 20)
#define MAX_CHAIN    10
#define MAX_STORE    512 /* certificate files read from a trust store */
#define MAX_HEADERS  64  /* entries of a COSE header map */

static const char CTY[] = "application/vnd.cncf.notary.payload.v1+json";
static const char H_SCHEME[] = "io.cncf.notary.signingScheme";
static const char H_TIME[] = "io.cncf.notary.signingTime";
static const char H_ATIME[] = "io.cncf.notary.authenticSigningTime";
static const char H_EXPIRY[] = "io.cncf.notary.expiry";
static const char H_TSA[] = "io.cncf.notary.timestampSignature";

/* ---- small helpers ---------------------------------------------------- */

int64_t dd__notation_time(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm) */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t i;
    for (i = 0; shape[i]; i++) {
        char c = s[i];
        if (shape[i] == 'd'
                ? !(c >= '0' && c <= '9')
                : (c != shape[i] && !(shape[i] == 'T' && c == 't'))) {
            return -1;
        }
    }
#define D2(k) ((s[k] - '0') * 10 + (s[(k) + 1] - '0'))
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = D2(0) * 100 + D2(2) - 1900;
    tm.tm_mon = D2(5) - 1;
    tm.tm_mday = D2(8);
    tm.tm_hour = D2(11);
    tm.tm_min = D2(14);
    tm.tm_sec = D2(17);
    const char *p = s + i;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) {
            return -1;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    int64_t off = 0;
    if ((*p == 'Z' || *p == 'z') && p[1] == 0) {
        off = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
               p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
               p[4] >= '0' && p[4] <= '9' && p[5] >= '0' && p[5] <= '9') {
        const char *q = p;
        off = ((q[1] - '0') * 10 + (q[2] - '0')) * 3600 +
              ((q[4] - '0') * 10 + (q[5] - '0')) * 60;
        if (*p == '-') {
            off = -off;
        }
    } else {
        return -1;
    }
#undef D2
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
        return -1;
    }
    return (int64_t)timegm(&tm) - off;
}

static void fmt_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        snprintf(out, 32, "%lld", (long long)t);
    }
}

static int64_t asn1_secs(const ASN1_TIME *a)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!a || !ASN1_TIME_to_tm(a, &tm)) {
        return -1;
    }
    return (int64_t)timegm(&tm);
}

static void name_text(X509_NAME *n, char *out, size_t cap)
{
    out[0] = 0;
    BIO *b = BIO_new(BIO_s_mem());
    if (b && X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
        char *p = NULL;
        long l = BIO_get_mem_data(b, &p);
        if (l > 0 && p) {
            char tmp[600];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(l < 599 ? l : 599), p);
            char *e = dd__printable(tmp, cap);
            snprintf(out, cap, "%s", e ? e : "?");
            dd__free(e);
        }
    }
    BIO_free(b);
}

/* base64url (no padding) into a new buffer; NULL when bad. */
static uint8_t *b64url(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *t = dd__malloc(n + 1);
    if (!t) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+' || c == '/' || c == '=') {
            dd__free(t);
            return NULL;
        }
        t[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    t[n] = 0;
    uint8_t *o = dd__trust_b64dec(t, len);
    dd__free(t);
    return o;
}

static int push_der(dd__notation_env *env,
                    const uint8_t *der,
                    size_t n,
                    size_t idx,
                    const char *what,
                    dd_error *err)
{
    if (sk_X509_num(env->chain) >= MAX_CHAIN) {
        return dd__error_set(err, DD_EINVALID, "%s: more than %d certificates",
                             what, MAX_CHAIN);
    }
    const unsigned char *q = der;
    X509 *x = n <= (1u << 20) ? d2i_X509(NULL, &q, (long)n) : NULL;
    if (!x || q != der + n) {
        X509_free(x);
        return dd__error_set(err, DD_EINVALID,
                             "%s: certificate %zu is not DER X.509", what, idx);
    }
    if (!sk_X509_push(env->chain, x)) {
        X509_free(x);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    return 0;
}

void dd__notation_env_free(dd__notation_env *env)
{
    if (env) {
        dd__buf_free(&env->tbs);
        dd__free(env->payload);
        dd__free(env->sig);
        dd__free(env->tst);
        sk_X509_pop_free(env->chain, X509_free);
        memset(env, 0, sizeof *env);
    }
}

static int env_init(dd__notation_env *env, dd_error *err)
{
    memset(env, 0, sizeof *env);
    dd__buf_init(&env->tbs, 2 * MAX_ENVELOPE);
    env->chain = sk_X509_new_null();
    return env->chain ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
}

static const char *const ALGS[] = {"PS256", "PS384", "PS512",
                                   "ES256", "ES384", "ES512"};

/* ---- JWS -------------------------------------------------------------- */

static int jws_crit_ok(json_t *crit, const char *name)
{
    for (size_t i = 0; i < json_array_size(crit); i++) {
        const char *c = json_string_value(json_array_get(crit, i));
        if (c && strcmp(c, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The headers a verifier must understand when critical. */
static int known_crit(const char *c)
{
    return strcmp(c, H_SCHEME) == 0 || strcmp(c, H_ATIME) == 0 ||
           strcmp(c, H_EXPIRY) == 0;
}

static int jws_protected(json_t *h, dd__notation_env *env, dd_error *err)
{
    if (!json_is_object(h)) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: the protected header is not a JSON object");
    }
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const char *cty = json_string_value(json_object_get(h, "cty"));
    json_t *crit = json_object_get(h, "crit");
    const char *scheme = json_string_value(json_object_get(h, H_SCHEME));
    size_t na = 0;
    for (na = 0; alg && na < sizeof ALGS / sizeof ALGS[0]; na++) {
        if (strcmp(alg, ALGS[na]) == 0) {
            break;
        }
    }
    if (!alg || na == sizeof ALGS / sizeof ALGS[0]) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: protected header alg is missing or not one "
                             "of PS256 PS384 PS512 ES256 ES384 ES512");
    }
    snprintf(env->alg, sizeof env->alg, "%s", alg);
    if (!cty || strcmp(cty, CTY) != 0) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: protected header cty is not %s", CTY);
    }
    if (!json_is_array(crit) || json_array_size(crit) == 0) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: protected header has no crit list");
    }
    for (size_t i = 0; i < json_array_size(crit); i++) {
        const char *c = json_string_value(json_array_get(crit, i));
        if (!c) {
            return dd__error_set(err, DD_EINVALID,
                                 "JWS: crit entry %zu is not a string", i);
        }
        if (!known_crit(c)) {
            char *e = dd__printable(c, 80);
            int rc = dd__error_set(err, DD_EINVALID,
                                   "JWS: critical header \"%s\" is not "
                                   "understood",
                                   e ? e : "?");
            dd__free(e);
            return rc;
        }
        if (!json_object_get(h, c)) {
            return dd__error_set(err, DD_EINVALID,
                                 "JWS: critical header %s is listed in crit "
                                 "but absent",
                                 c);
        }
    }
    if (!jws_crit_ok(crit, H_SCHEME)) {
        return dd__error_set(err, DD_EINVALID, "JWS: crit does not list %s",
                             H_SCHEME);
    }
    if (json_object_get(h, "io.cncf.notary.verificationPlugin")) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: the signature needs a verification plugin "
                             "(io.cncf.notary.verificationPlugin), which "
                             "drydock does not run");
    }
    if (!scheme || (strcmp(scheme, "notary.x509") != 0 &&
                    strcmp(scheme, "notary.x509.signingAuthority") != 0)) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: %s is missing or not notary.x509 / "
                             "notary.x509.signingAuthority",
                             H_SCHEME);
    }
    env->scheme = strcmp(scheme, "notary.x509") == 0
                      ? DD_NOTATION_X509
                      : DD_NOTATION_SIGNING_AUTHORITY;
    const char *tk = env->scheme == DD_NOTATION_X509 ? H_TIME : H_ATIME;
    const char *ts = json_string_value(json_object_get(h, tk));
    if (!ts || (env->signing_time = dd__notation_time(ts)) < 0) {
        return dd__error_set(err, DD_EINVALID,
                             "JWS: %s is missing or not an RFC 3339 time", tk);
    }
    if (env->scheme == DD_NOTATION_SIGNING_AUTHORITY &&
        !jws_crit_ok(crit, H_ATIME)) {
        return dd__error_set(err, DD_EINVALID, "JWS: crit does not list %s",
                             H_ATIME);
    }
    json_t *ex = json_object_get(h, H_EXPIRY);
    if (ex) {
        const char *es = json_string_value(ex);
        if (!es || (env->expiry = dd__notation_time(es)) < 0) {
            return dd__error_set(err, DD_EINVALID,
                                 "JWS: %s is not an RFC 3339 time", H_EXPIRY);
        }
        if (!jws_crit_ok(crit, H_EXPIRY)) {
            return dd__error_set(err, DD_EINVALID,
                                 "JWS: %s is present but not critical",
                                 H_EXPIRY);
        }
    }
    return 0;
}

int dd__notation_parse_jws(const uint8_t *p,
                           size_t n,
                           dd__notation_env *env,
                           dd_error *err)
{
    int rc = env_init(env, err);
    json_t *j = NULL, *h = NULL;
    if (rc) {
        return rc;
    }
    if ((rc = dd__json_parse(&j, (const char *)p, n, MAX_ENVELOPE,
                             "JWS envelope", err))) {
        return rc == DD_ENOMEM ? rc : DD_EINVALID;
    }
    const char *pl = json_string_value(json_object_get(j, "payload"));
    const char *pr = json_string_value(json_object_get(j, "protected"));
    const char *sg = json_string_value(json_object_get(j, "signature"));
    json_t *uh = json_object_get(j, "header");
    json_t *x5c = json_object_get(uh, "x5c");
    uint8_t *ph = NULL;
    size_t phl = 0;
    if (!json_is_object(j) || !pl || !pr || !sg) {
        rc = dd__error_set(err, DD_EINVALID,
                           "JWS: not a JSON serialization with payload, "
                           "protected and signature strings");
    } else if (!json_is_object(uh) || !json_is_array(x5c) ||
               json_array_size(x5c) == 0) {
        rc = dd__error_set(err, DD_EINVALID,
                           "JWS: the unprotected header has no x5c chain");
    } else if (json_object_get(uh, "alg") || json_object_get(uh, "crit") ||
               json_object_get(uh, H_SCHEME)) {
        rc = dd__error_set(err, DD_EINVALID,
                           "JWS: the unprotected header repeats a protected "
                           "header");
    } else if (!(ph = b64url(pr, &phl))) {
        rc = dd__error_set(err, DD_EINVALID, "JWS: protected is not base64url");
    } else if (!(env->payload = b64url(pl, &env->payload_len))) {
        rc = dd__error_set(err, DD_EINVALID, "JWS: payload is not base64url");
    } else if (!(env->sig = b64url(sg, &env->sig_len))) {
        rc = dd__error_set(err, DD_EINVALID, "JWS: signature is not base64url");
    } else if ((rc = dd__json_parse(&h, (const char *)ph, phl, MAX_PAYLOAD,
                                    "JWS protected header", err))) {
        rc = rc == DD_ENOMEM ? rc : DD_EINVALID;
    } else if (!(rc = jws_protected(h, env, err))) {
        json_t *tj = json_object_get(uh, H_TSA);
        env->has_timestamp = tj != NULL;
        if (tj && (!json_is_string(tj) ||
                   !(env->tst = dd__trust_b64dec(json_string_value(tj),
                                                 &env->tst_len)))) {
            rc = dd__error_set(err, DD_EINVALID,
                               "JWS: %s is not a base64 string", H_TSA);
        }
        for (size_t i = 0; !rc && i < json_array_size(x5c); i++) {
            const char *c = json_string_value(json_array_get(x5c, i));
            size_t dl = 0;
            uint8_t *der = c ? dd__trust_b64dec(c, &dl) : NULL;
            rc = der ? push_der(env, der, dl, i, "JWS x5c", err)
                     : dd__error_set(err, DD_EINVALID,
                                     "JWS x5c: entry %zu is not base64", i);
            dd__free(der);
        }
        if (!rc &&
            (dd__buf_addstr(&env->tbs, pr) || dd__buf_add(&env->tbs, ".", 1) ||
             dd__buf_addstr(&env->tbs, pl))) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    dd__free(ph);
    json_decref(h);
    json_decref(j);
    return rc;
}

/* ---- COSE_Sign1 ------------------------------------------------------- */

static int put_head(dd__buf *b, int major, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    h[0] = (uint8_t)(major << 5);
    if (v < 24) {
        h[0] |= (uint8_t)v;
        n = 1;
    } else if (v <= 0xff) {
        h[0] |= 24;
        h[1] = (uint8_t)v;
        n = 2;
    } else if (v <= 0xffff) {
        h[0] |= 25;
        h[1] = (uint8_t)(v >> 8);
        h[2] = (uint8_t)v;
        n = 3;
    } else if (v <= 0xffffffffu) {
        h[0] |= 26;
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        }
        n = 5;
    } else {
        h[0] |= 27;
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        }
        n = 9;
    }
    return dd__buf_add(b, h, n);
}

/* A map key: an integer label (*is_int) or a text label (txt, tl). */
typedef struct ckey {
    int is_int;
    int64_t label;
    const uint8_t *txt;
    size_t tl;
} ckey;

static int ckey_is(const ckey *k, const char *s)
{
    return !k->is_int && k->tl == strlen(s) && memcmp(k->txt, s, k->tl) == 0;
}

static int read_key(const uint8_t *buf, const dd__cbor *it, ckey *k)
{
    (void)buf;
    memset(k, 0, sizeof *k);
    if (it->major == 0 && it->val <= INT64_MAX) {
        k->is_int = 1;
        k->label = (int64_t)it->val;
    } else if (it->major == 1 && it->val < INT64_MAX) {
        k->is_int = 1;
        k->label = -1 - (int64_t)it->val;
    } else if (it->major == 3) {
        k->txt = it->data;
        k->tl = (size_t)it->val;
    } else {
        return 0;
    }
    return 1;
}

/* A 1(epoch seconds) date. */
static int cose_time(const uint8_t *b, size_t n, const dd__cbor *v, int64_t *t)
{
    dd__cbor in;
    if (v->major != 6 || v->val != 1 ||
        dd__cbor_read(b, n, v->body, &in, NULL) || in.major != 0 ||
        in.val > (uint64_t)INT64_MAX / 2) {
        return 0;
    }
    *t = (int64_t)in.val;
    return 1;
}

/* Walk a header map at `m`; fn sees each (key, value). Duplicate keys are
 * refused. */
typedef int (*hdr_fn)(void *ctx,
                      const uint8_t *b,
                      size_t n,
                      const ckey *k,
                      const dd__cbor *v,
                      dd_error *err);

static int walk_map(const uint8_t *b,
                    size_t n,
                    const dd__cbor *m,
                    const char *what,
                    hdr_fn fn,
                    void *ctx,
                    dd_error *err)
{
    if (m->major != 5) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: %s header at offset %zu is not a map", what,
                             m->off);
    }
    if (m->val > MAX_HEADERS) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: %s header has more than %d entries", what,
                             MAX_HEADERS);
    }
    size_t koff[MAX_HEADERS], kend[MAX_HEADERS];
    size_t p = m->body;
    for (uint64_t i = 0; i < m->val; i++) {
        dd__cbor k, v;
        int rc = dd__cbor_read(b, n, p, &k, err);
        if (!rc) {
            rc = dd__cbor_read(b, n, k.end, &v, err);
        }
        if (rc) {
            return rc;
        }
        for (uint64_t j = 0; j < i; j++) {
            if (kend[j] - koff[j] == k.end - k.off &&
                memcmp(b + koff[j], b + k.off, k.end - k.off) == 0) {
                return dd__error_set(err, DD_EINVALID,
                                     "COSE: %s header key at offset %zu "
                                     "appears twice",
                                     what, k.off);
            }
        }
        koff[i] = k.off;
        kend[i] = k.end;
        ckey ck;
        if (!read_key(b, &k, &ck)) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: %s header key at offset %zu is not an "
                                 "integer or text",
                                 what, k.off);
        }
        if ((rc = fn(ctx, b, n, &ck, &v, err))) {
            return rc;
        }
        p = v.end;
    }
    return 0;
}

typedef struct prot {
    dd__notation_env *env;
    int have_alg, have_cty, have_scheme, have_time, have_atime, have_exp;
    dd__cbor crit;
    int have_crit;
    int64_t t, at;
} prot;

static int x5chain(dd__notation_env *env,
                   const uint8_t *b,
                   size_t n,
                   const dd__cbor *v,
                   dd_error *err)
{
    if (sk_X509_num(env->chain) > 0) {
        return dd__error_set(err, DD_EINVALID, "COSE: x5chain given twice");
    }
    if (v->major == 2) {
        return push_der(env, v->data, (size_t)v->val, 0, "COSE x5chain", err);
    }
    if (v->major != 4 || v->val == 0) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: x5chain at offset %zu is not a non-empty "
                             "array of byte strings",
                             v->off);
    }
    size_t p = v->body;
    for (uint64_t i = 0; i < v->val; i++) {
        dd__cbor c;
        int rc = dd__cbor_read(b, n, p, &c, err);
        if (rc) {
            return rc;
        }
        if (c.major != 2) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: x5chain entry at offset %zu is not a "
                                 "byte string",
                                 c.off);
        }
        if ((rc = push_der(env, c.data, (size_t)c.val, (size_t)i,
                           "COSE x5chain", err))) {
            return rc;
        }
        p = c.end;
    }
    return 0;
}

static int prot_fn(void *ctx,
                   const uint8_t *b,
                   size_t n,
                   const ckey *k,
                   const dd__cbor *v,
                   dd_error *err)
{
    prot *pr = ctx;
    dd__notation_env *env = pr->env;
    if (k->is_int && k->label == 1) {
        static const struct {
            int64_t l;
            const char *a;
        } m[] = {{-37, "PS256"}, {-38, "PS384"}, {-39, "PS512"},
                 {-7, "ES256"},  {-35, "ES384"}, {-36, "ES512"}};
        int64_t l = v->major == 1 && v->val < 64 ? -1 - (int64_t)v->val : 0;
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
            if (m[i].l == l) {
                snprintf(env->alg, sizeof env->alg, "%s", m[i].a);
                pr->have_alg = 1;
            }
        }
        if (!pr->have_alg) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: alg at offset %zu is not one of PS256 "
                                 "PS384 PS512 ES256 ES384 ES512",
                                 v->off);
        }
    } else if (k->is_int && k->label == 2) {
        if (v->major != 4 || v->val == 0) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: crit at offset %zu is not a non-empty "
                                 "array",
                                 v->off);
        }
        pr->crit = *v;
        pr->have_crit = 1;
    } else if (k->is_int && k->label == 3) {
        if (v->major != 3 || v->val != sizeof CTY - 1 ||
            memcmp(v->data, CTY, sizeof CTY - 1) != 0) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: content type is not %s", CTY);
        }
        pr->have_cty = 1;
    } else if (k->is_int && k->label == 33) {
        return x5chain(env, b, n, v, err);
    } else if (ckey_is(k, H_SCHEME)) {
        if (v->major == 3 && v->val == 11 &&
            !memcmp(v->data, "notary.x509", 11)) {
            env->scheme = DD_NOTATION_X509;
        } else if (v->major == 3 && v->val == 28 &&
                   !memcmp(v->data, "notary.x509.signingAuthority", 28)) {
            env->scheme = DD_NOTATION_SIGNING_AUTHORITY;
        } else {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: %s is not notary.x509 / "
                                 "notary.x509.signingAuthority",
                                 H_SCHEME);
        }
        pr->have_scheme = 1;
    } else if (ckey_is(k, H_TIME) || ckey_is(k, H_ATIME) ||
               ckey_is(k, H_EXPIRY)) {
        int64_t t = 0;
        if (!cose_time(b, n, v, &t)) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: the time at offset %zu is not "
                                 "1(integer seconds)",
                                 v->off);
        }
        if (ckey_is(k, H_TIME)) {
            pr->have_time = 1;
            pr->t = t;
        } else if (ckey_is(k, H_ATIME)) {
            pr->have_atime = 1;
            pr->at = t;
        } else {
            pr->have_exp = 1;
            env->expiry = t;
        }
    } else if (ckey_is(k, "io.cncf.notary.verificationPlugin")) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: the signature needs a verification plugin, "
                             "which drydock does not run");
    }
    return 0;
}

static int unprot_fn(void *ctx,
                     const uint8_t *b,
                     size_t n,
                     const ckey *k,
                     const dd__cbor *v,
                     dd_error *err)
{
    dd__notation_env *env = ctx;
    if (k->is_int && k->label == 33) {
        return x5chain(env, b, n, v, err);
    }
    if (k->is_int && (k->label == 1 || k->label == 2 || k->label == 3)) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: header %lld must be protected",
                             (long long)k->label);
    }
    if (ckey_is(k, H_TSA)) {
        if (v->major != 2) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: %s at offset %zu is not a byte string",
                                 H_TSA, v->off);
        }
        env->has_timestamp = 1;
        env->tst_len = (size_t)v->val;
        if (!(env->tst = dd__malloc(env->tst_len + 1))) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        memcpy(env->tst, v->data, env->tst_len);
    }
    return 0;
}

/* Every crit entry understood and present; signingScheme (and the
 * authentic time and expiry when present) listed. */
static int crit_check(prot *pr, const uint8_t *b, size_t n, dd_error *err)
{
    int seen_scheme = 0, seen_atime = 0, seen_exp = 0;
    size_t p = pr->crit.body;
    for (uint64_t i = 0; i < pr->crit.val; i++) {
        dd__cbor c;
        int rc = dd__cbor_read(b, n, p, &c, err);
        if (rc) {
            return rc;
        }
        p = c.end;
        ckey k;
        if (!read_key(b, &c, &k)) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: crit entry at offset %zu is not an "
                                 "integer or text",
                                 c.off);
        }
        if (k.is_int) {
            return dd__error_set(err, DD_EINVALID,
                                 "COSE: critical header %lld is not "
                                 "understood",
                                 (long long)k.label);
        }
        if (ckey_is(&k, H_SCHEME)) {
            seen_scheme = 1;
        } else if (ckey_is(&k, H_ATIME) && pr->have_atime) {
            seen_atime = 1;
        } else if (ckey_is(&k, H_EXPIRY) && pr->have_exp) {
            seen_exp = 1;
        } else {
            char t[100];
            snprintf(t, sizeof t, "%.*s", (int)(k.tl < 80 ? k.tl : 80),
                     (const char *)k.txt);
            char *e = dd__printable(t, 90);
            rc = dd__error_set(err, DD_EINVALID,
                               "COSE: critical header \"%s\" is not "
                               "understood%s",
                               e ? e : "?",
                               known_crit(t) ? " (listed but absent)" : "");
            dd__free(e);
            return rc;
        }
    }
    if (!seen_scheme) {
        return dd__error_set(err, DD_EINVALID, "COSE: crit does not list %s",
                             H_SCHEME);
    }
    if (pr->have_exp && !seen_exp) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: %s is present but not critical", H_EXPIRY);
    }
    if (pr->have_atime && !seen_atime) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: %s is present but not critical", H_ATIME);
    }
    return 0;
}

int dd__notation_parse_cose(const uint8_t *b,
                            size_t n,
                            dd__notation_env *env,
                            dd_error *err)
{
    int rc = env_init(env, err);
    if (rc) {
        return rc;
    }
    if (n > MAX_ENVELOPE) {
        return dd__error_set(err, DD_EINVALID, "COSE: envelope over %u bytes",
                             MAX_ENVELOPE);
    }
    dd__cbor top, arr, ph, uh, pl, sg, pm;
    if ((rc = dd__cbor_read(b, n, 0, &top, err))) {
        return rc;
    }
    if (top.major != 6 || top.val != 18) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: not a COSE_Sign1_Tagged item (tag 18) at "
                             "offset 0");
    }
    if (top.end != n) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: %zu trailing bytes at offset %zu",
                             n - top.end, top.end);
    }
    if ((rc = dd__cbor_read(b, n, top.body, &arr, err))) {
        return rc;
    }
    if (arr.major != 4 || arr.val != 4) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: COSE_Sign1 at offset %zu is not an array "
                             "of 4",
                             arr.off);
    }
    if ((rc = dd__cbor_read(b, n, arr.body, &ph, err)) ||
        (rc = dd__cbor_read(b, n, ph.end, &uh, err)) ||
        (rc = dd__cbor_read(b, n, uh.end, &pl, err)) ||
        (rc = dd__cbor_read(b, n, pl.end, &sg, err))) {
        return rc;
    }
    if (ph.major != 2 || ph.val == 0) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: protected header at offset %zu is not a "
                             "non-empty byte string",
                             ph.off);
    }
    if (pl.major != 2) {
        return dd__error_set(
            err, DD_EINVALID, "COSE: payload at offset %zu is %s", pl.off,
            pl.major == 7 && pl.val == 22 ? "detached (nil), not supported"
                                          : "not a byte string");
    }
    if (sg.major != 2) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: signature at offset %zu is not a byte "
                             "string",
                             sg.off);
    }
    /* the protected map lives inside the byte string */
    const uint8_t *pb = ph.data;
    size_t pn = (size_t)ph.val;
    if ((rc = dd__cbor_read(pb, pn, 0, &pm, err))) {
        return rc;
    }
    if (pm.end != pn) {
        return dd__error_set(err, DD_EINVALID,
                             "COSE: protected header has trailing bytes");
    }
    prot pr;
    memset(&pr, 0, sizeof pr);
    pr.env = env;
    if ((rc = walk_map(pb, pn, &pm, "protected", prot_fn, &pr, err)) ||
        (rc = walk_map(b, n, &uh, "unprotected", unprot_fn, env, err))) {
        return rc;
    }
    if (!pr.have_alg) {
        return dd__error_set(err, DD_EINVALID, "COSE: no alg header");
    }
    if (!pr.have_cty) {
        return dd__error_set(err, DD_EINVALID, "COSE: no content type header");
    }
    if (!pr.have_crit) {
        return dd__error_set(err, DD_EINVALID, "COSE: no crit header");
    }
    if (!pr.have_scheme) {
        return dd__error_set(err, DD_EINVALID, "COSE: no %s header", H_SCHEME);
    }
    if ((rc = crit_check(&pr, pb, pn, err))) {
        return rc;
    }
    if (env->scheme == DD_NOTATION_X509 ? !pr.have_time : !pr.have_atime) {
        return dd__error_set(err, DD_EINVALID, "COSE: no %s header",
                             env->scheme == DD_NOTATION_X509 ? H_TIME
                                                             : H_ATIME);
    }
    env->signing_time = env->scheme == DD_NOTATION_X509 ? pr.t : pr.at;
    if (sk_X509_num(env->chain) == 0) {
        return dd__error_set(err, DD_EINVALID, "COSE: no x5chain header");
    }
    env->payload_len = (size_t)pl.val;
    env->sig_len = (size_t)sg.val;
    env->payload = dd__malloc(env->payload_len + 1);
    env->sig = dd__malloc(env->sig_len + 1);
    if (!env->payload || !env->sig) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    memcpy(env->payload, pl.data, env->payload_len);
    memcpy(env->sig, sg.data, env->sig_len);
    /* Sig_structure = ["Signature1", protected, h'', payload] */
    dd__buf *t = &env->tbs;
    if (put_head(t, 4, 4) || put_head(t, 3, 10) ||
        dd__buf_add(t, "Signature1", 10) || put_head(t, 2, ph.val) ||
        dd__buf_add(t, pb, pn) || put_head(t, 2, 0) || put_head(t, 2, pl.val) ||
        dd__buf_add(t, pl.data, (size_t)pl.val)) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- trust store ------------------------------------------------------ */

void dd__notation_store_free(dd__notation_store *s)
{
    if (s) {
        sk_X509_pop_free(s->ca, X509_free);
        sk_X509_pop_free(s->sa, X509_free);
        sk_X509_pop_free(s->tsa, X509_free);
        dd__free(s);
    }
}

/* The certificates of one file onto `sk` (PEM, else one DER). */
static int load_file(const char *path,
                     STACK_OF(X509) * sk,
                     STACK_OF(X509) * also,
                     dd_error *err)
{
    char *d = NULL;
    size_t l = 0;
    int rc = dd__file_read(path, 1u << 20, &d, &l);
    if (rc) {
        return dd__error_set(err, rc, "trust store %s: %s", path,
                             rc == DD_ENOTFOUND ? "not found"
                             : rc == DD_ELIMIT  ? "too large"
                                                : "cannot read");
    }
    int got = 0;
    BIO *bio = BIO_new_mem_buf(d, (int)l);
    X509 *x;
    while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
        if (also && X509_up_ref(x) && !sk_X509_push(also, x)) {
            X509_free(x);
        }
        if (!sk_X509_push(sk, x)) {
            X509_free(x);
        }
        got++;
    }
    BIO_free(bio);
    if (!got) {
        const unsigned char *q = (const unsigned char *)d;
        x = d2i_X509(NULL, &q, (long)l);
        if (x && q == (const unsigned char *)d + l) {
            if (also && X509_up_ref(x) && !sk_X509_push(also, x)) {
                X509_free(x);
            }
            if (!sk_X509_push(sk, x)) {
                X509_free(x);
            }
            got++;
        } else {
            X509_free(x);
        }
    }
    dd__free(d);
    return got ? 0
               : dd__error_set(err, DD_ECORRUPT,
                               "trust store %s: no certificate in it", path);
}

static int cert_name(const char *n)
{
    size_t l = strlen(n);
    return l > 4 && (strcasecmp(n + l - 4, ".pem") == 0 ||
                     strcasecmp(n + l - 4, ".crt") == 0 ||
                     strcasecmp(n + l - 4, ".cer") == 0);
}

/* DIR/x509/<type>/NAME/<files> onto sk. */
static int load_type(const char *dir,
                     const char *type,
                     STACK_OF(X509) * sk,
                     unsigned *files,
                     dd_error *err)
{
    char *tp = dd__asprintf("%s/x509/%s", dir, type);
    DIR *d = tp ? opendir(tp) : NULL;
    struct dirent *e;
    int rc = tp ? 0 : DD_ENOMEM;
    while (!rc && d && (e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char *np = dd__asprintf("%s/%s", tp, e->d_name);
        DIR *d2 = np ? opendir(np) : NULL;
        struct dirent *f;
        while (!rc && d2 && (f = readdir(d2))) {
            if (f->d_name[0] == '.' || !cert_name(f->d_name)) {
                continue;
            }
            if (++*files > MAX_STORE) {
                rc = dd__error_set(err, DD_ELIMIT,
                                   "trust store %s: more than %d files", dir,
                                   MAX_STORE);
                break;
            }
            char *fp = dd__asprintf("%s/%s", np, f->d_name);
            rc = fp ? load_file(fp, sk, NULL, err) : DD_ENOMEM;
            dd__free(fp);
        }
        if (d2) {
            closedir(d2);
        }
        dd__free(np);
    }
    if (d) {
        closedir(d);
    }
    dd__free(tp);
    return rc == DD_ENOMEM ? dd__error_set(err, rc, "out of memory") : rc;
}

int dd__notation_store_load(dd__notation_store **out,
                            const char *path,
                            dd_error *err)
{
    *out = NULL;
    dd__notation_store *s = dd__calloc(1, sizeof *s);
    if (!s || !(s->ca = sk_X509_new_null()) || !(s->sa = sk_X509_new_null()) ||
        !(s->tsa = sk_X509_new_null())) {
        dd__notation_store_free(s);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    struct stat st;
    int rc = 0;
    unsigned files = 0;
    if (stat(path, &st) != 0) {
        rc =
            dd__error_set(err, DD_ENOTFOUND, "trust store %s: not found", path);
    } else if (S_ISDIR(st.st_mode)) {
        rc = load_type(path, "ca", s->ca, &files, err);
        if (!rc) {
            rc = load_type(path, "signingAuthority", s->sa, &files, err);
        }
        if (!rc) {
            rc = load_type(path, "tsa", s->tsa, &files, err);
        }
        if (!rc && sk_X509_num(s->ca) + sk_X509_num(s->sa) == 0) {
            rc = dd__error_set(err, DD_ENOTFOUND,
                               "trust store %s: no certificates in "
                               "x509/ca/NAME/ or x509/signingAuthority/NAME/",
                               path);
        }
    } else {
        rc = load_file(path, s->ca, s->sa, err);
    }
    if (rc) {
        dd__notation_store_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ---- identity --------------------------------------------------------- */

static void trim(char *s)
{
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t')) {
        s[--l] = 0;
    }
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t') {
        i++;
    }
    memmove(s, s + i, l - i + 1);
}

static int has_attr(X509_NAME *name, int nid, const char *val)
{
    int idx = -1;
    while ((idx = X509_NAME_get_index_by_NID(name, nid, idx)) >= 0) {
        X509_NAME_ENTRY *e = X509_NAME_get_entry(name, idx);
        unsigned char *u = NULL;
        int ul = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
        int ok = ul >= 0 && (size_t)ul == strlen(val) &&
                 memcmp(u, val, (size_t)ul) == 0;
        OPENSSL_free(u);
        if (ok) {
            return 1;
        }
    }
    return 0;
}

int dd__notation_dn_match(const char *want, X509_NAME *name)
{
    char part[512];
    size_t pl = 0, attrs = 0;
    for (const char *p = want;; p++) {
        if (*p == '\\' && p[1]) {
            if (pl + 1 >= sizeof part) {
                return -1;
            }
            part[pl++] = *++p;
            continue;
        }
        if (*p && *p != ',') {
            if (pl + 1 >= sizeof part) {
                return -1;
            }
            part[pl++] = *p;
            continue;
        }
        part[pl] = 0;
        char *eq = strchr(part, '=');
        if (!eq) {
            return -1;
        }
        *eq = 0;
        char *k = part, *v = eq + 1;
        trim(k);
        trim(v);
        int nid = OBJ_txt2nid(k);
        if (nid == NID_undef || !*v) {
            return -1;
        }
        if (!has_attr(name, nid, v)) {
            return 0;
        }
        attrs++;
        pl = 0;
        if (!*p) {
            break;
        }
    }
    return attrs ? 1 : -1;
}

/* ---- verification ----------------------------------------------------- */

static void fail(dd_trust_result *r, dd_trust_check c, const char *fmt, ...)
    DD_PRINTF(3, 4);
static void fail(dd_trust_result *r, dd_trust_check c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    r->failed = c;
}

/* The alg the key calls for (Notation's algorithm selection), or NULL. */
static const char *key_alg(EVP_PKEY *k, char *desc, size_t cap)
{
    int bits = EVP_PKEY_get_bits(k);
    const char *a = NULL;
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
        a = bits == 2048   ? "PS256"
            : bits == 3072 ? "PS384"
            : bits == 4096 ? "PS512"
                           : NULL;
        snprintf(desc, cap, "RSA %d", bits);
    } else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
        a = bits == 256   ? "ES256"
            : bits == 384 ? "ES384"
            : bits == 521 ? "ES512"
                          : NULL;
        snprintf(desc, cap, "EC P-%d", bits);
    } else {
        snprintf(desc, cap, "key type %d", EVP_PKEY_get_base_id(k));
    }
    return a;
}

static int sig_ok(EVP_PKEY *k, const char *alg, const dd__notation_env *env)
{
    const EVP_MD *md = strstr(alg, "256")   ? EVP_sha256()
                       : strstr(alg, "384") ? EVP_sha384()
                                            : EVP_sha512();
    uint8_t *der = NULL;
    const uint8_t *sig = env->sig;
    size_t sl = env->sig_len;
    int ok = 0;
    if (alg[0] == 'E') {
        size_t half = (size_t)(EVP_PKEY_get_bits(k) + 7) / 8;
        if (env->sig_len != 2 * half) {
            return 0;
        }
        ECDSA_SIG *es = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(env->sig, (int)half, NULL);
        BIGNUM *s = BN_bin2bn(env->sig + half, (int)half, NULL);
        int dl = -1;
        if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
            r = s = NULL;
            dl = i2d_ECDSA_SIG(es, &der);
        }
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        if (dl <= 0) {
            return 0;
        }
        sig = der;
        sl = (size_t)dl;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    if (ctx && EVP_DigestVerifyInit(ctx, &pc, md, NULL, k) == 1 &&
        (alg[0] == 'E' ||
         (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) == 1 &&
          EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) == 1 &&
          EVP_PKEY_CTX_set_rsa_mgf1_md(pc, md) == 1))) {
        ok = EVP_DigestVerify(ctx, sig, sl, (const uint8_t *)env->tbs.ptr,
                              env->tbs.len) == 1;
    }
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return ok;
}

/* The payload's targetArtifact against the image descriptor. */
static void check_payload(const dd__notation_env *env,
                          const dd__notation_want *w,
                          dd_trust_result *res)
{
    json_t *j = NULL;
    dd_error e = {0};
    if (dd__json_parse(&j, (const char *)env->payload, env->payload_len,
                       MAX_PAYLOAD, "Notation payload", &e)) {
        fail(res, DD_TRUST_BUNDLE, "notation: %s", e.message);
        return;
    }
    json_t *ta = json_object_get(j, "targetArtifact");
    const char *d = json_string_value(json_object_get(ta, "digest"));
    const char *mt = json_string_value(json_object_get(ta, "mediaType"));
    json_t *sz = json_object_get(ta, "size");
    if (!json_is_object(ta) || !d || !mt || !json_is_integer(sz)) {
        fail(res, DD_TRUST_BUNDLE,
             "notation: the payload has no targetArtifact with mediaType, "
             "digest and size");
    } else if (strcmp(d, w->digest) != 0) {
        char *pd = dd__printable(d, 80);
        fail(res, DD_TRUST_ARTIFACT,
             "notation: the signature is for another artifact: the payload "
             "names %s, the image is %s",
             pd ? pd : "?", w->digest);
        dd__free(pd);
    } else if (json_integer_value(sz) != w->size) {
        fail(res, DD_TRUST_ARTIFACT,
             "notation: the payload's targetArtifact size %lld is not the "
             "manifest's %lld",
             (long long)json_integer_value(sz), (long long)w->size);
    } else if (w->media_type && strcmp(mt, w->media_type) != 0) {
        char *pm = dd__printable(mt, 100);
        fail(res, DD_TRUST_ARTIFACT,
             "notation: the payload's targetArtifact mediaType %s is not the "
             "manifest's %s",
             pm ? pm : "?", w->media_type);
        dd__free(pm);
    }
    json_decref(j);
}

/* Key usage digitalSignature, code signing EKU when an EKU is present,
 * not a CA. 0 and a message when not. */
static int leaf_ok(X509 *leaf, char *why, size_t cap)
{
    uint32_t fl = X509_get_extension_flags(leaf);
    if (!(fl & EXFLAG_KUSAGE) ||
        !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
        snprintf(why, cap,
                 "the signing certificate's key usage does not "
                 "allow digitalSignature");
        return 0;
    }
    if ((fl & EXFLAG_XKUSAGE) &&
        !(X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN)) {
        snprintf(why, cap,
                 "the signing certificate's extended key usage has "
                 "no code signing (1.3.6.1.5.5.7.3.3)");
        return 0;
    }
    if (X509_check_ca(leaf) == 1 || (fl & EXFLAG_CA)) {
        snprintf(why, cap, "the signing certificate is a CA certificate");
        return 0;
    }
    return 1;
}

/* The RFC 3161 TimeStampToken over the signature value, from a TSA of
 * `tsa`: 1 and its time in *at, or 0. */
static int
verify_tst(const dd__notation_env *env, STACK_OF(X509) * tsa, int64_t *at)
{
    const unsigned char *p = env->tst;
    PKCS7 *tok = env->tst_len < (1u << 20)
                     ? d2i_PKCS7(NULL, &p, (long)env->tst_len)
                     : NULL;
    if (!tok || p != env->tst + env->tst_len) {
        PKCS7_free(tok);
        return 0;
    }
    TS_TST_INFO *ti = PKCS7_to_TS_TST_INFO(tok);
    int64_t g = ti ? asn1_secs(TS_TST_INFO_get_time(ti)) : -1;
    TS_TST_INFO_free(ti);
    int ok = 0;
    X509_STORE *st = g > 0 ? X509_STORE_new() : NULL;
    TS_VERIFY_CTX *c = st ? TS_VERIFY_CTX_new() : NULL;
    BIO *data = c ? BIO_new_mem_buf(env->sig, (int)env->sig_len) : NULL;
    if (data) {
        for (int i = 0; i < sk_X509_num(tsa); i++) {
            X509_STORE_add_cert(st, sk_X509_value(tsa, i));
        }
        X509_VERIFY_PARAM *vp = X509_STORE_get0_param(st);
        X509_VERIFY_PARAM_set_time(vp, (time_t)g);
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_PARTIAL_CHAIN);
        TS_VERIFY_CTX_set_flags(c, TS_VFY_SIGNATURE | TS_VFY_DATA |
                                       TS_VFY_VERSION);
        TS_VERIFY_CTX_set_store(c, st); /* now owned by c */
        st = NULL;
        TS_VERIFY_CTX_set_data(c, data); /* now owned by c */
        data = NULL;
        ok = TS_RESP_verify_token(c, tok) == 1;
    }
    TS_VERIFY_CTX_free(c);
    X509_STORE_free(st);
    BIO_free(data);
    PKCS7_free(tok);
    if (ok) {
        *at = g;
    }
    return ok;
}

static void check_chain(const dd__notation_env *env,
                        const dd__notation_want *w,
                        int64_t at,
                        dd_trust_result *res)
{
    X509 *leaf = sk_X509_value(env->chain, 0);
    const char *type =
        env->scheme == DD_NOTATION_X509 ? "ca" : "signingAuthority";
    STACK_OF(X509) *anchors = !w->store                         ? NULL
                              : env->scheme == DD_NOTATION_X509 ? w->store->ca
                                                                : w->store->sa;
    if (!w->store) {
        fail(res, DD_TRUST_CHAIN,
             "notation: no trust store given (--trust-store): the signer "
             "cannot be trusted");
        return;
    }
    if (sk_X509_num(anchors) == 0) {
        fail(res, DD_TRUST_CHAIN,
             "notation: the trust store has no x509/%s certificates (the "
             "signature's scheme is %s)",
             type,
             env->scheme == DD_NOTATION_X509 ? "notary.x509"
                                             : "notary.x509.signingAuthority");
        return;
    }
    X509_STORE *st = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *un = sk_X509_new_null();
    int ok = -1, e = 0;
    for (int i = 0; st && i < sk_X509_num(anchors); i++) {
        X509_STORE_add_cert(st, sk_X509_value(anchors, i));
    }
    for (int i = 1; un && i < sk_X509_num(env->chain); i++) {
        sk_X509_push(un, sk_X509_value(env->chain, i));
    }
    if (st && ctx && un && X509_STORE_CTX_init(ctx, st, leaf, un) == 1) {
        X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_time(vp, (time_t)at);
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_PARTIAL_CHAIN);
        ok = X509_verify_cert(ctx);
        e = X509_STORE_CTX_get_error(ctx);
    }
    if (ok < 0) {
        fail(res, DD_TRUST_CHAIN,
             "notation: cannot check the chain (out of "
             "memory)");
    } else if (ok != 1) {
        fail(res, DD_TRUST_CHAIN,
             "notation: the certificate chain does not lead to a certificate "
             "in the trust store (x509/%s): %s",
             type, X509_verify_cert_error_string(e));
    }
    sk_X509_free(un);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(st);
}

void dd__notation_verify(const uint8_t *p,
                         size_t n,
                         int cose,
                         const dd__notation_want *w,
                         dd_trust_result *res)
{
    memset(res, 0, sizeof *res);
    dd__notation_env env;
    dd_error e = {0};
    int rc = cose ? dd__notation_parse_cose(p, n, &env, &e)
                  : dd__notation_parse_jws(p, n, &env, &e);
    if (rc) {
        fail(res, DD_TRUST_BUNDLE, "notation: %s", e.message);
        dd__notation_env_free(&env);
        return;
    }
    X509 *leaf = sk_X509_value(env.chain, 0);
    EVP_PKEY *k = X509_get0_pubkey(leaf);
    char desc[64], why[200];
    const char *want_alg = k ? key_alg(k, desc, sizeof desc) : NULL;
    res->signing_time = env.signing_time;
    name_text(X509_get_subject_name(leaf), res->identity, sizeof res->identity);
    name_text(X509_get_issuer_name(leaf), res->issuer, sizeof res->issuer);
    char ts[32];
    fmt_time(env.signing_time, ts);
    if (!k || !want_alg) {
        fail(res, DD_TRUST_SIGNATURE,
             "notation: the signing key (%s) is not one Notation allows",
             k ? desc : "unreadable");
    } else if (strcmp(want_alg, env.alg) != 0) {
        fail(res, DD_TRUST_SIGNATURE,
             "notation: alg %s does not match the signing key (%s: %s)",
             env.alg, desc, want_alg);
    } else if (!sig_ok(k, env.alg, &env)) {
        fail(res, DD_TRUST_SIGNATURE,
             "notation: the %s signature does not verify with the signing "
             "certificate's key",
             env.alg);
    } else if (check_payload(&env, w, res), res->failed) {
        /* res says what */
    } else if (!leaf_ok(leaf, why, sizeof why)) {
        fail(res, DD_TRUST_CHAIN, "notation: %s", why);
    } else {
        for (int i = 0; i < sk_X509_num(env.chain) && !res->failed; i++) {
            X509 *x = sk_X509_value(env.chain, i);
            int64_t nb = asn1_secs(X509_get0_notBefore(x));
            int64_t na = asn1_secs(X509_get0_notAfter(x));
            if (nb < 0 || na < 0 || env.signing_time < nb ||
                env.signing_time > na) {
                char s[200], a[32], b[32];
                name_text(X509_get_subject_name(x), s, sizeof s);
                fmt_time(nb, b);
                fmt_time(na, a);
                fail(res, DD_TRUST_TIME,
                     "notation: signing time %s is outside the validity of "
                     "certificate %d (%s: %s to %s)",
                     ts, i, s, b, a);
            }
        }
        /* notary.x509's signing time is the signer's word: as Notation
         * does, the chain must be valid at the time of a verified RFC 3161
         * countersignature (TSAs from x509/tsa/), else now */
        int64_t at = w->now;
        int stamped = 0;
        if (!res->failed && env.scheme == DD_NOTATION_X509 && env.tst &&
            w->store && sk_X509_num(w->store->tsa) > 0) {
            if (!verify_tst(&env, w->store->tsa, &at)) {
                fail(res, DD_TRUST_TSA,
                     "notation: the timestamp countersignature does not "
                     "verify against the trust store's x509/tsa "
                     "certificates (or is not over this signature)");
            } else {
                stamped = 1;
                res->timestamps = 1;
            }
        }
        for (int i = 0; env.scheme == DD_NOTATION_X509 &&
                        i < sk_X509_num(env.chain) && !res->failed;
             i++) {
            X509 *x = sk_X509_value(env.chain, i);
            int64_t nb = asn1_secs(X509_get0_notBefore(x));
            int64_t na = asn1_secs(X509_get0_notAfter(x));
            if (at < nb || at > na) {
                char s[200], a[32], b[32], t[32];
                name_text(X509_get_subject_name(x), s, sizeof s);
                fmt_time(nb, b);
                fmt_time(na, a);
                fmt_time(at, t);
                if (stamped) {
                    fail(res, DD_TRUST_TIME,
                         "notation: certificate %d (%s: %s to %s) was not "
                         "valid at the timestamp's time %s",
                         i, s, b, a, t);
                } else {
                    fail(res, DD_TRUST_TIME,
                         "notation: certificate %d (%s: %s to %s) is not "
                         "valid now; a notary.x509 signing time is not "
                         "authenticated (and no timestamp countersignature "
                         "verified against x509/tsa)",
                         i, s, b, a);
                }
            }
        }
        if (!res->failed && env.expiry && w->now >= env.expiry) {
            char ex[32];
            fmt_time(env.expiry, ex);
            fail(res, DD_TRUST_EXPIRED,
                 "notation: the signature expired at %s "
                 "(io.cncf.notary.expiry)",
                 ex);
        }
        if (!res->failed) {
            check_chain(&env, w,
                        env.scheme == DD_NOTATION_X509 ? at : env.signing_time,
                        res);
        }
        if (!res->failed && w->identity && strcmp(w->identity, "*") != 0) {
            const char *id = w->identity;
            int m = strncmp(id, "x509.subject:", 13) == 0
                        ? dd__notation_dn_match(id + 13,
                                                X509_get_subject_name(leaf))
                        : -1;
            char *pi = dd__printable(id, 200);
            if (m < 0) {
                fail(res, DD_TRUST_IDENTITY,
                     "notation: the trusted identity \"%s\" is not "
                     "\"x509.subject: DN\"",
                     pi ? pi : "?");
            } else if (m == 0) {
                fail(res, DD_TRUST_IDENTITY,
                     "notation: the signer %s is not the trusted identity "
                     "\"%s\"",
                     res->identity, pi ? pi : "?");
            }
            dd__free(pi);
        }
    }
    dd__notation_env_free(&env);
}
