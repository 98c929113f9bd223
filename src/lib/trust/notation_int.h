/*
 * trust/notation_int.h - Notary Project (Notation) signatures: a bounded
 * CBOR reader (cbor.c), the JWS and COSE_Sign1 envelope parsers and the
 * verifier (notation.c), the X.509 trust store. Shared by image_sig.c,
 * the unit tests and the fuzz targets.
 *
 * Ownership: a dd__notation_store is the caller's (dd__notation_store_free);
 * a dd__notation_env borrows the envelope bytes it was parsed from and
 * owns its certificate stack and buffers (dd__notation_env_free).
 */
#ifndef DD_NOTATION_INT_H
#define DD_NOTATION_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "trust_int.h"

/* ---- CBOR (RFC 8949), definite lengths only --------------------------- */

#define DD_CBOR_MAX_DEPTH 16

typedef struct dd__cbor {
    int major;           /* 0..7 */
    uint64_t val;        /* uint / -1-val / length / count / tag / simple */
    const uint8_t *data; /* bstr/tstr bytes; array/map/tag: first child */
    size_t off;          /* offset of the head */
    size_t body;         /* offset after the head (first child, bytes) */
    size_t end;          /* offset after the whole item */
} dd__cbor;

/* Read the item at `off` of buf[0..len) and find where it ends (every
 * nested item checked: at most DD_CBOR_MAX_DEPTH deep, no indefinite
 * lengths, no reads past len). 0, or DD_EINVALID with the offset in err. */
int dd__cbor_read(
    const uint8_t *buf, size_t len, size_t off, dd__cbor *it, dd_error *err);

/* ---- trust store ------------------------------------------------------ */

typedef struct dd__notation_store {
    STACK_OF(X509) * ca;  /* x509/ca/NAME/ (scheme notary.x509) */
    STACK_OF(X509) * sa;  /* x509/signingAuthority/NAME/ */
    STACK_OF(X509) * tsa; /* x509/tsa/NAME/ (RFC 3161 timestamp authorities) */
} dd__notation_store;

/* `path`: a directory in Notation's layout (x509/ca/NAME/FILE.pem or .crt .cer,
 * x509/signingAuthority/NAME/...) or one PEM/DER file (trusted for both
 * schemes). DD_ENOTFOUND when nothing is there, DD_ECORRUPT for a file
 * that holds no certificate, DD_ENOMEM. */
int dd__notation_store_load(dd__notation_store **out,
                            const char *path,
                            dd_error *err);
void dd__notation_store_free(dd__notation_store *s);

/* ---- envelopes -------------------------------------------------------- */

enum { DD_NOTATION_X509 = 1, DD_NOTATION_SIGNING_AUTHORITY = 2 };

typedef struct dd__notation_env {
    int cose;             /* 0 JWS, 1 COSE_Sign1 */
    char alg[8];          /* "PS256" ... "ES512" */
    int scheme;           /* DD_NOTATION_X509 / _SIGNING_AUTHORITY */
    int64_t signing_time; /* signingTime or authenticSigningTime */
    int64_t expiry;       /* 0 = none */
    int has_timestamp;    /* io.cncf.notary.timestampSignature present */
    uint8_t *tst;         /* its TimeStampToken DER (owned), or NULL */
    size_t tst_len;
    dd__buf tbs;      /* the signing input / Sig_structure */
    uint8_t *payload; /* decoded payload (owned) */
    size_t payload_len;
    uint8_t *sig; /* raw signature (owned) */
    size_t sig_len;
    STACK_OF(X509) * chain; /* x5c / x5chain, leaf first (owned) */
} dd__notation_env;

/* Parse (never verify) an envelope. 0, or DD_EINVALID / DD_ENOMEM with
 * one line in err naming the field or offset. env is always safe to
 * free afterwards. */
int dd__notation_parse_jws(const uint8_t *p,
                           size_t n,
                           dd__notation_env *env,
                           dd_error *err);
int dd__notation_parse_cose(const uint8_t *p,
                            size_t n,
                            dd__notation_env *env,
                            dd_error *err);
void dd__notation_env_free(dd__notation_env *env);

/* What the signature must be for. */
typedef struct dd__notation_want {
    const char *media_type; /* the image manifest descriptor */
    const char *digest;
    int64_t size;
    const dd__notation_store *store; /* NULL: no trust store */
    const char *identity; /* "x509.subject: CN=..,O=..", "*" or NULL */
    int64_t now;          /* Unix seconds, for io.cncf.notary.expiry */
} dd__notation_want;

/* Parse and verify one envelope (cose: application/cose, else
 * application/jose+json); the verdict in res (failed == DD_TRUST_OK:
 * verified, identity = the leaf's subject). Never fails otherwise. */
void dd__notation_verify(const uint8_t *p,
                         size_t n,
                         int cose,
                         const dd__notation_want *w,
                         dd_trust_result *res);

/* RFC 3339 with a Z or +hh:mm offset to Unix seconds; -1 when bad. */
int64_t dd__notation_time(const char *s);

/* 1 when every attribute of the DN `want` ("CN=a, O=b") is in `name`
 * with the same value, 0 when not, -1 when `want` does not parse. */
int dd__notation_dn_match(const char *want, X509_NAME *name);

#endif
