/*
 * trust/trust_int.h - pieces of the trust module shared by its files and
 * the unit tests: RFC 8785 canonical JSON, RFC 6962 Merkle inclusion
 * proofs, the DSSE pre-authentication encoding, base64.
 */
#ifndef DD_TRUST_INT_H
#define DD_TRUST_INT_H

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "drydock/trust.h"
#include "util/util.h"

/* RFC 8785 (JCS) serialisation of `v` appended to `b`. 0, DD_ELIMIT,
 * DD_ENOMEM, DD_EUNSUPPORTED (a non-finite real). */
int dd__trust_canon_json(const json_t *v, dd__buf *b);

/* RFC 6962 / RFC 9162 inclusion proof check: 1 when `leaf` (the leaf
 * hash) at `index` in a tree of `size` leaves hashes up to `root` through
 * `proof` (n hashes of 32 bytes), 0 otherwise. */
int dd__trust_merkle_verify(const uint8_t leaf[32],
                            uint64_t index,
                            uint64_t size,
                            const uint8_t (*proof)[32],
                            size_t n,
                            const uint8_t root[32]);
/* SHA-256(0x00 || data). */
void dd__trust_leaf_hash(const uint8_t *data, size_t len, uint8_t out[32]);

/* DSSE PAE: "DSSEv1 <len(type)> <type> <len(body)> <body>". */
int dd__trust_pae(const char *type,
                  const uint8_t *body,
                  size_t body_len,
                  dd__buf *out);

/* Standard base64 (padding optional) into a new buffer; NULL when `s` is
 * not base64 or on ENOMEM. `*len` gets the decoded length. */
uint8_t *dd__trust_b64dec(const char *s, size_t *len);
/* Base64 of `n` bytes, caller frees; NULL on ENOMEM. */
char *dd__trust_b64enc(const uint8_t *in, size_t n);

/* Verify `sig` over `msg` with `key`: ECDSA (SHA-256 on P-256, SHA-384
 * on P-384), RSA PKCS#1 v1.5 SHA-256, Ed25519. 1 valid, 0 not. */
int dd__trust_verify_msg(EVP_PKEY *key,
                         const uint8_t *msg,
                         size_t len,
                         const uint8_t *sig,
                         size_t sig_len);
/* The same for a SHA-256 pre-hash (not for Ed25519). */
int dd__trust_verify_digest(EVP_PKEY *key,
                            const uint8_t digest[32],
                            const uint8_t *sig,
                            size_t sig_len);

/* A key from the trusted root with its validity window (0 = open). */
typedef struct dd__trust_key {
    EVP_PKEY *key;
    uint8_t id[32]; /* logId.keyId (SHA-256 of the DER key) */
    size_t id_len;
    int64_t start, end;
} dd__trust_key;

typedef struct dd__trust_ca {
    STACK_OF(X509) * chain; /* leaf-most first, root last */
    int64_t start, end;
} dd__trust_ca;

struct dd_trust_root {
    dd__vec tlogs;  /* dd__trust_key */
    dd__vec ctlogs; /* dd__trust_key */
    dd__vec cas;    /* dd__trust_ca */
    dd__vec tsas;   /* dd__trust_ca */
};

/* cosign's simple-signing payload: the fields drydock checks. Keys are
 * matched in any case (as cosign's Go decoder does); two keys equal but
 * for case are refused. Strings escaped for display where noted. */
typedef struct dd__simplesign {
    char digest[80];     /* critical.image.docker-manifest-digest, raw */
    char type[128];      /* critical.type, raw */
    char reference[256]; /* critical.identity.docker-reference, escaped */
} dd__simplesign;
/* 0, or DD_ECORRUPT / DD_ELIMIT / DD_ENOMEM with one line in err. */
int dd__trust_simplesign_parse(const char *p,
                               size_t n,
                               dd__simplesign *out,
                               dd_error *err);

/* RFC 3339 "2021-01-12T11:53:27.000Z" to Unix seconds; -1 when bad. */
int64_t dd__trust_time(const char *s);

#endif
