/*
 * tests/unit/test_notation.c - Notation signatures (trust/notation.c) and
 * the CBOR reader (trust/cbor.c): the envelopes in tests/data/notation/
 * (made by tests/unit/make-notation-vectors.sh with python3-cryptography)
 * verify, each broken one fails with its own check, and hostile CBOR and
 * every truncation of an envelope are refused with one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "harness.h"
#include "lib/trust/notation_int.h"

#define DATA DD_SRCDIR "/tests/data/notation"
#define DG \
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define MT "application/vnd.oci.image.manifest.v1+json"

static uint8_t *slurp(const char *name, size_t *len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", DATA, name);
    FILE *f = fopen(p, "rb");
    if (!f) {
        return NULL;
    }
    uint8_t *b = malloc(1 << 20);
    *len = b ? fread(b, 1, 1 << 20, f) : 0;
    fclose(f);
    return b;
}

/* The signing time of every vector (make-notation-vectors.sh). */
static int64_t t0(void)
{
    size_t n = 0;
    uint8_t *b = slurp("signing-time", &n);
    int64_t t = 0;
    for (size_t i = 0; b && i < n && b[i] >= '0' && b[i] <= '9'; i++) {
        t = t * 10 + (b[i] - '0');
    }
    free(b);
    return t;
}

static dd__notation_store *store(const char *name)
{
    dd__notation_store *s = NULL;
    dd_error e = {0};
    char p[512];
    snprintf(p, sizeof p, "%s/%s", DATA, name);
    return dd__notation_store_load(&s, p, &e) ? NULL : s;
}

/* Verify vector `name` against the image DG/1234 with store `st`. */
static dd_trust_check run(const char *name,
                          const dd__notation_store *st,
                          const char *digest,
                          int64_t size,
                          const char *identity,
                          int64_t now,
                          dd_trust_result *res)
{
    size_t n = 0;
    uint8_t *b = slurp(name, &n);
    if (!b) {
        snprintf(res->message, sizeof res->message, "cannot read %s", name);
        return (dd_trust_check)-1;
    }
    dd__notation_want w = {MT, digest, size, st, identity, now};
    dd__notation_verify(b, n, strstr(name, ".cose") != NULL, &w, res);
    free(b);
    return res->failed;
}

#define EXPECT(name, want, ...)                                        \
    do {                                                               \
        dd_trust_result r_;                                            \
        dd_trust_check got_ = run(name, __VA_ARGS__, &r_);             \
        if (got_ != (want)) {                                          \
            char m_[700];                                              \
            snprintf(m_, sizeof m_, "%s: check %d, want %d: %s", name, \
                     (int)got_, (int)(want), r_.message);              \
            dd_test_fail(__FILE__, __LINE__, m_);                      \
            return;                                                    \
        }                                                              \
    } while (0)

static void test_valid_envelopes(void)
{
    int64_t T0 = t0();
    CHECK(T0 > 1600000000);
    dd__notation_store *s = store("store");
    CHECK(s != NULL);
    EXPECT("ps256.jws", DD_TRUST_OK, s, DG, 1234, NULL, T0);
    EXPECT("es256.jws", DD_TRUST_OK, s, DG, 1234, NULL, T0);
    EXPECT("es256.cose", DD_TRUST_OK, s, DG, 1234, NULL, T0);
    dd_trust_result r;
    run("es256.cose", s, DG, 1234, NULL, T0, &r);
    CHECK(strstr(r.identity, "CN=drydock signer") != NULL);
    CHECK(r.signing_time > 1600000000);
    dd__notation_store_free(s);
    /* one PEM file as the trust store */
    s = store("ca.pem");
    CHECK(s != NULL && sk_X509_num(s->ca) == 1 && sk_X509_num(s->sa) == 1);
    EXPECT("ps256.jws", DD_TRUST_OK, s, DG, 1234, NULL, T0);
    dd__notation_store_free(s);
}

static void test_untrusted_and_invalid(void)
{
    int64_t T0 = t0();
    CHECK(T0 > 1600000000);
    dd__notation_store *s = store("store"), *o = store("other.pem");
    CHECK(s && o);
    EXPECT("ps256.jws", DD_TRUST_CHAIN, o, DG, 1234, NULL, T0);
    EXPECT("es256.cose", DD_TRUST_CHAIN, o, DG, 1234, NULL, T0);
    EXPECT("es256.cose", DD_TRUST_CHAIN, NULL, DG, 1234, NULL, T0);
    EXPECT("flip.jws", DD_TRUST_SIGNATURE, s, DG, 1234, NULL, T0);
    EXPECT("flip.cose", DD_TRUST_SIGNATURE, s, DG, 1234, NULL, T0);
    EXPECT("crit.jws", DD_TRUST_BUNDLE, s, DG, 1234, NULL, T0);
    EXPECT("crit.cose", DD_TRUST_BUNDLE, s, DG, 1234, NULL, T0);
    EXPECT("es256.jws", DD_TRUST_ARTIFACT, s,
           "sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789"
           "abcdef",
           1234, NULL, T0);
    EXPECT("es256.cose", DD_TRUST_ARTIFACT, s, DG, 1235, NULL, T0);
    dd__notation_store_free(s);
    dd__notation_store_free(o);
}

static void test_expiry(void)
{
    int64_t T0 = t0();
    CHECK(T0 > 1600000000);
    dd__notation_store *s = store("store");
    CHECK(s != NULL);
    dd_trust_result r;
    CHECK(run("expiry.jws", s, DG, 1234, NULL, T0, &r) == DD_TRUST_OK);
    int64_t t = r.signing_time;
    CHECK(t == T0);
    /* expiry is a day after signing */
    EXPECT("expiry.jws", DD_TRUST_OK, s, DG, 1234, NULL, t + 86399);
    EXPECT("expiry.jws", DD_TRUST_EXPIRED, s, DG, 1234, NULL, t + 86400);
    EXPECT("expiry.cose", DD_TRUST_EXPIRED, s, DG, 1234, NULL, t + 90000);
    EXPECT("expiry.cose", DD_TRUST_OK, s, DG, 1234, NULL, t);
    dd__notation_store_free(s);
}

/* notary.x509: the chain must be valid at the signing time and now;
 * notary.x509.signingAuthority: at the (authentic) signing time, against
 * x509/signingAuthority; alg must be the key's. */
static void test_time_scheme_alg(void)
{
    int64_t T0 = t0(), later = T0 + 2 * 366 * 86400;
    dd__notation_store *s = store("store"), *sa = store("store-sa");
    CHECK(s && sa && sk_X509_num(sa->sa) == 1 && sk_X509_num(sa->ca) == 0);
    EXPECT("es256.jws", DD_TRUST_TIME, s, DG, 1234, NULL, later);
    EXPECT("es256.cose", DD_TRUST_TIME, s, DG, 1234, NULL, T0 - 3 * 86400);
    EXPECT("sa.jws", DD_TRUST_OK, sa, DG, 1234, NULL, T0);
    EXPECT("sa.cose", DD_TRUST_OK, sa, DG, 1234, NULL, later);
    EXPECT("sa.jws", DD_TRUST_CHAIN, s, DG, 1234, NULL, T0);
    EXPECT("es256.jws", DD_TRUST_CHAIN, sa, DG, 1234, NULL, T0);
    EXPECT("alg.jws", DD_TRUST_SIGNATURE, s, DG, 1234, NULL, T0);
    EXPECT("alg.cose", DD_TRUST_SIGNATURE, s, DG, 1234, NULL, T0);
    dd_trust_result r;
    run("alg.jws", s, DG, 1234, NULL, T0, &r);
    CHECK(strstr(r.message, "alg ES384 does not match the signing key (EC "
                            "P-256: ES256)") != NULL);
    dd__notation_store_free(s);
    dd__notation_store_free(sa);
}

/* RFC 3161 countersignatures from the store's x509/tsa: a verified one
 * lets a notary.x509 chain be checked at its time, not now. */
static void test_timestamp(void)
{
    int64_t T0 = t0(), later = T0 + 2 * 366 * 86400;
    dd__notation_store *s = store("store"), *f = store("ca.pem");
    CHECK(s && f && sk_X509_num(s->tsa) == 1 && sk_X509_num(f->tsa) == 0);
    dd_trust_result r;
    CHECK(run("ts.jws", s, DG, 1234, NULL, T0, &r) == DD_TRUST_OK);
    CHECK(r.timestamps == 1);
    EXPECT("ts.jws", DD_TRUST_OK, s, DG, 1234, NULL, later);
    EXPECT("ts.cose", DD_TRUST_OK, s, DG, 1234, NULL, later);
    EXPECT("tsbad.jws", DD_TRUST_TSA, s, DG, 1234, NULL, T0);
    /* without x509/tsa the countersignature is not used: valid now only */
    EXPECT("ts.jws", DD_TRUST_OK, f, DG, 1234, NULL, T0);
    EXPECT("ts.cose", DD_TRUST_TIME, f, DG, 1234, NULL, later);
    EXPECT("tsbad.jws", DD_TRUST_OK, f, DG, 1234, NULL, T0);
    CHECK(run("ts.jws", f, DG, 1234, NULL, T0, &r) == DD_TRUST_OK);
    CHECK(r.timestamps == 0);
    dd__notation_store_free(s);
    dd__notation_store_free(f);
}

static void test_identity(void)
{
    int64_t T0 = t0();
    CHECK(T0 > 1600000000);
    dd__notation_store *s = store("store");
    CHECK(s != NULL);
    EXPECT("es256.jws", DD_TRUST_OK, s, DG, 1234,
           "x509.subject: C=US, ST=WA, O=drydock tests, CN=drydock signer", T0);
    EXPECT("es256.jws", DD_TRUST_OK, s, DG, 1234,
           "x509.subject: O=drydock tests", T0);
    EXPECT("es256.jws", DD_TRUST_OK, s, DG, 1234, "*", T0);
    EXPECT("es256.cose", DD_TRUST_IDENTITY, s, DG, 1234,
           "x509.subject: CN=drydock signer, O=other", T0);
    EXPECT("es256.cose", DD_TRUST_IDENTITY, s, DG, 1234, "CN=drydock signer",
           T0);
    EXPECT("es256.cose", DD_TRUST_IDENTITY, s, DG, 1234, "x509.subject: NOPE=x",
           T0);
    dd__notation_store_free(s);
}

static void test_dn_and_time(void)
{
    X509_NAME *n = X509_NAME_new();
    CHECK(n);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
                               (const unsigned char *)"a, b", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                               (const unsigned char *)"x", -1, -1, 0);
    CHECK(dd__notation_dn_match("O=a\\, b, CN=x", n) == 1);
    CHECK(dd__notation_dn_match("CN=x", n) == 1);
    CHECK(dd__notation_dn_match("CN=y", n) == 0);
    CHECK(dd__notation_dn_match("O=a", n) == 0);
    CHECK(dd__notation_dn_match("", n) == -1);
    CHECK(dd__notation_dn_match("CN", n) == -1);
    X509_NAME_free(n);
    CHECK(dd__notation_time("2022-08-29T13:50:00-07:00") == 1661806200);
    CHECK(dd__notation_time("2022-08-29T20:50:00Z") == 1661806200);
    CHECK(dd__notation_time("2022-08-29T20:50:00.123Z") == 1661806200);
    CHECK(dd__notation_time("2022-08-29T20:50:00") == -1);
    CHECK(dd__notation_time("2022-13-29T20:50:00Z") == -1);
    CHECK(dd__notation_time("2022-08-29 20:50:00Z") == -1);
    CHECK(dd__notation_time("") == -1);
}

static void test_cbor(void)
{
    dd__cbor it;
    dd_error e = {0};
    static const uint8_t ok[] = {0x83, 0x01, 0x42, 0xaa, 0xbb,
                                 0xa1, 0x61, 'k',  0x20};
    CHECK(dd__cbor_read(ok, sizeof ok, 0, &it, &e) == 0);
    CHECK(it.major == 4 && it.val == 3 && it.end == sizeof ok);
    CHECK(dd__cbor_read(ok, sizeof ok, 2, &it, &e) == 0);
    CHECK(it.major == 2 && it.val == 2 && it.data == ok + 3 && it.end == 5);
    /* every truncation fails, with the offset */
    for (size_t n = 0; n < sizeof ok; n++) {
        e.message[0] = 0;
        CHECK(dd__cbor_read(ok, n, 0, &it, &e) == DD_EINVALID);
        CHECK(strstr(e.message, "offset") != NULL);
    }
    static const uint8_t indef[] = {0x9f, 0x01, 0xff};
    CHECK(dd__cbor_read(indef, sizeof indef, 0, &it, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "indefinite") != NULL);
    static const uint8_t huge[] = {0x5b, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0x00};
    CHECK(dd__cbor_read(huge, sizeof huge, 0, &it, &e) == DD_EINVALID);
    static const uint8_t bigmap[] = {0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0};
    CHECK(dd__cbor_read(bigmap, sizeof bigmap, 0, &it, &e) == DD_EINVALID);
    uint8_t deep[64];
    memset(deep, 0x81, sizeof deep); /* [[[[...]]]] */
    deep[63] = 0x00;
    CHECK(dd__cbor_read(deep, sizeof deep, 0, &it, &e) == DD_EINVALID);
    CHECK(strstr(e.message, "deeper") != NULL);
    CHECK(dd__cbor_read(deep + 64 - 10, 10, 0, &it, &e) == 0);
}

/* Every prefix of a valid envelope is refused by the parser. */
static void test_truncations(void)
{
    static const char *const names[] = {"es256.cose", "es256.jws"};
    for (size_t k = 0; k < 2; k++) {
        size_t n = 0;
        uint8_t *b = slurp(names[k], &n);
        CHECK(b && n > 100);
        for (size_t l = 0; l < n; l += (l < 64 ? 1 : 7)) {
            dd__notation_env env;
            dd_error e = {0};
            uint8_t *c = malloc(l ? l : 1);
            memcpy(c, b, l);
            int rc = k == 0 ? dd__notation_parse_cose(c, l, &env, &e)
                            : dd__notation_parse_jws(c, l, &env, &e);
            dd__notation_env_free(&env);
            free(c);
            if (rc == 0 || !e.message[0]) {
                free(b);
                char m[100];
                snprintf(m, sizeof m, "%s cut at %zu accepted", names[k], l);
                dd_test_fail(__FILE__, __LINE__, m);
                return;
            }
        }
        dd__notation_env env;
        dd_error e = {0};
        int rc = k == 0 ? dd__notation_parse_cose(b, n, &env, &e)
                        : dd__notation_parse_jws(b, n, &env, &e);
        CHECK(rc == 0 && sk_X509_num(env.chain) == 2 && env.tbs.len > 0);
        CHECK(env.scheme == DD_NOTATION_X509 && !strcmp(env.alg, "ES256"));
        dd__notation_env_free(&env);
        free(b);
    }
}

static void test_store_errors(void)
{
    dd__notation_store *s = NULL;
    dd_error e = {0};
    CHECK(dd__notation_store_load(&s, DATA "/nope", &e) == DD_ENOTFOUND);
    CHECK(s == NULL && strstr(e.message, "not found"));
    /* a directory without x509/: nothing trusted */
    CHECK(dd__notation_store_load(&s, DATA, &e) == DD_ENOTFOUND);
    CHECK(strstr(e.message, "x509/ca") != NULL);
    /* a file that is not a certificate */
    CHECK(dd__notation_store_load(&s, DATA "/es256.jws", &e) == DD_ECORRUPT);
}

TEST_LIST(T(test_valid_envelopes),
          T(test_untrusted_and_invalid),
          T(test_expiry),
          T(test_time_scheme_alg),
          T(test_timestamp),
          T(test_identity),
          T(test_dn_and_time),
          T(test_cbor),
          T(test_truncations),
          T(test_store_errors))
