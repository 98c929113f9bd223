/*
 * trust/verify.c - Sigstore bundle verification: signature, certificate
 * chain to a trusted Fulcio CA, SCTs, transparency-log entries (SET,
 * inclusion proof, checkpoint, body), RFC 3161 timestamps, signing time
 * inside the certificate validity, identity and issuer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <openssl/ct.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <pcre2.h>

#include "trust_int.h"

#define MAX_TIMES 16

typedef struct vctx {
    const dd_trust_root *root;
    const dd_trust_policy *pol;
    dd_trust_result *res;
    const uint8_t *digest;
    const uint8_t *artifact;
    size_t artifact_len;
    int version; /* bundle minor version: 1, 2, 3 */
    X509 *leaf;
    STACK_OF(X509) * chain; /* the bundle's certificates after the leaf */
    EVP_PKEY *key;          /* borrowed from leaf, or owned (managed) */
    int key_owned;
    uint8_t *sig;
    size_t sig_len;
    uint8_t md[64]; /* the bundle's verified message digest */
    unsigned md_len;
    uint8_t *payload; /* DSSE */
    size_t payload_len;
    int64_t times[MAX_TIMES];
    size_t ntimes;
} vctx;

static int fail(vctx *v, dd_trust_check c, const char *fmt, ...)
    DD_PRINTF(3, 4);
static int fail(vctx *v, dd_trust_check c, const char *fmt, ...)
{
    if (v->res->failed == DD_TRUST_OK) {
        va_list ap;
        int n = snprintf(v->res->message, sizeof v->res->message,
                         "%s: ", dd_trust_check_name(c));
        va_start(ap, fmt);
        vsnprintf(v->res->message + n, sizeof v->res->message - (size_t)n, fmt,
                  ap);
        va_end(ap);
        v->res->failed = c;
    }
    return 1;
}

const char *dd_trust_check_name(dd_trust_check c)
{
    switch (c) {
    case DD_TRUST_OK:
        return "verified";
    case DD_TRUST_BUNDLE:
        return "bundle";
    case DD_TRUST_ARTIFACT:
        return "artifact";
    case DD_TRUST_SIGNATURE:
        return "signature";
    case DD_TRUST_CHAIN:
        return "certificate chain";
    case DD_TRUST_SCT:
        return "certificate transparency";
    case DD_TRUST_TLOG:
        return "transparency log";
    case DD_TRUST_TSA:
        return "timestamp";
    case DD_TRUST_TIME:
        return "signing time";
    case DD_TRUST_IDENTITY:
        return "identity";
    case DD_TRUST_ISSUER:
        return "issuer";
    case DD_TRUST_EXTENSION:
        return "certificate extension";
    case DD_TRUST_EXPIRED:
        return "signature expiry";
    }
    return "unknown";
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* An integer given as a JSON string ("123") or number; -1 if neither. */
static int64_t jint(json_t *o, const char *k)
{
    json_t *x = json_object_get(o, k);
    if (json_is_integer(x)) {
        return json_integer_value(x);
    }
    const char *s = json_string_value(x);
    if (!s || !*s) {
        return -1;
    }
    int64_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > (INT64_MAX - 9) / 10) {
            return -1;
        }
        n = n * 10 + (*s - '0');
    }
    return n;
}

/* The same for a proto3 integer field: protobuf's JSON mapping leaves out
 * fields that hold their default, so an absent one is 0 (a log index or
 * an inclusion proof's leaf index can be 0: Sigstore's JavaScript signer
 * writes such proofs without "logIndex"). */
static int64_t jint0(json_t *o, const char *k)
{
    return json_object_get(o, k) ? jint(o, k) : 0;
}

static X509 *der_cert(const char *b64)
{
    size_t n = 0;
    uint8_t *der = b64 ? dd__trust_b64dec(b64, &n) : NULL;
    const unsigned char *p = der;
    X509 *x = der ? d2i_X509(NULL, &p, (long)n) : NULL;
    if (x && p != der + n) {
        X509_free(x);
        x = NULL;
    }
    dd__free(der);
    return x;
}

static int64_t asn1_unix(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
        return -1;
    }
    return (int64_t)timegm(&tm);
}

/* ---- verification material --------------------------------------- */

static int load_material(vctx *v, json_t *vm)
{
    json_t *certs = json_object_get(json_object_get(vm, "x509CertificateChain"),
                                    "certificates");
    json_t *one = json_object_get(vm, "certificate");
    if (one) {
        if (!(v->leaf = der_cert(jstr(one, "rawBytes")))) {
            return fail(v, DD_TRUST_BUNDLE, "certificate does not parse");
        }
    } else if (json_is_array(certs) && json_array_size(certs) > 0) {
        v->chain = sk_X509_new_null();
        for (size_t i = 0; i < json_array_size(certs); i++) {
            X509 *x = der_cert(jstr(json_array_get(certs, i), "rawBytes"));
            if (!x) {
                return fail(v, DD_TRUST_BUNDLE,
                            "certificate %zu of the chain does not parse", i);
            }
            if (i == 0) {
                v->leaf = x;
            } else if (!v->chain || !sk_X509_push(v->chain, x)) {
                X509_free(x);
                return fail(v, DD_TRUST_BUNDLE, "out of memory");
            }
        }
    } else if (!json_object_get(vm, "publicKey")) {
        return fail(v, DD_TRUST_BUNDLE,
                    "verificationMaterial has no certificate or publicKey");
    }
    if (v->chain) {
        for (int i = 0; i < sk_X509_num(v->chain); i++) {
            X509 *x = sk_X509_value(v->chain, i);
            if (X509_check_issued(x, x) == X509_V_OK) {
                return fail(v, DD_TRUST_CHAIN,
                            "the bundle carries a root certificate; roots "
                            "come only from the trusted root");
            }
        }
    }
    if (v->pol->key_pem) {
        BIO *bio = BIO_new_mem_buf(v->pol->key_pem, -1);
        v->key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
        if (!v->key && bio) {
            BIO_reset(bio);
            X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
            v->key = x ? X509_get_pubkey(x) : NULL;
            X509_free(x);
        }
        BIO_free(bio);
        if (!v->key) {
            return fail(v, DD_TRUST_SIGNATURE,
                        "the given key is not a PEM public key");
        }
        v->key_owned = 1;
    } else if (v->leaf) {
        v->key = X509_get0_pubkey(v->leaf);
        if (!v->key) {
            return fail(v, DD_TRUST_BUNDLE, "certificate has no usable key");
        }
    } else {
        return fail(v, DD_TRUST_SIGNATURE,
                    "the bundle names a public key but no --key was given");
    }
    return 0;
}

/* ---- content: message signature or DSSE -------------------------- */

static int subject_matches(vctx *v)
{
    json_t *st = NULL; /* not JSON: no subject matches */
    dd__json_parse(&st, (const char *)v->payload, v->payload_len,
                   DD_TRUST_MAX_JSON, "statement", NULL);
    json_t *subj = json_object_get(st, "subject");
    const char *pt = json_string_value(json_object_get(st, "predicateType"));
    size_t ptl = pt ? strlen(pt) : 0;
    for (size_t i = 0; i < ptl; i++) {
        ptl = pt[i] > ' ' && pt[i] < 0x7f ? ptl : 0; /* a URI, nothing else */
    }
    if (ptl && ptl < sizeof v->res->predicate_type) {
        snprintf(v->res->predicate_type, sizeof v->res->predicate_type, "%s",
                 pt);
    }
    char hex[65];
    dd__hex(v->digest, 32, hex);
    int found = 0;
    for (size_t i = 0; i < json_array_size(subj); i++) {
        const char *d =
            jstr(json_object_get(json_array_get(subj, i), "digest"), "sha256");
        if (d && strcasecmp(d, hex) == 0) {
            found = 1;
        }
    }
    int bad = !json_is_array(subj);
    json_decref(st);
    if (bad) {
        return fail(v, DD_TRUST_BUNDLE,
                    "DSSE payload is not an in-toto statement with subjects");
    }
    if (!found) {
        return fail(v, DD_TRUST_ARTIFACT,
                    "no in-toto subject has the artifact's digest sha256:%s",
                    hex);
    }
    return 0;
}

static int check_content(vctx *v, json_t *b)
{
    json_t *ms = json_object_get(b, "messageSignature");
    json_t *env = json_object_get(b, "dsseEnvelope");
    if (ms) {
        const char *alg =
            jstr(json_object_get(ms, "messageDigest"), "algorithm");
        const char *d = jstr(json_object_get(ms, "messageDigest"), "digest");
        const char *s = jstr(ms, "signature");
        if (!s || !(v->sig = dd__trust_b64dec(s, &v->sig_len))) {
            return fail(v, DD_TRUST_BUNDLE,
                        "messageSignature.signature missing or not base64");
        }
        if (d) {
            /* SHA2_384 / SHA2_512 digests (as Sigstore clients write for
             * P-384 / P-521 keys) need the artifact's bytes. */
            const EVP_MD *h = !alg || strcmp(alg, "SHA2_256") == 0
                                  ? EVP_sha256()
                              : strcmp(alg, "SHA2_384") == 0 ? EVP_sha384()
                              : strcmp(alg, "SHA2_512") == 0 ? EVP_sha512()
                                                             : NULL;
            if (!h) {
                return fail(v, DD_TRUST_ARTIFACT,
                            "unsupported message digest algorithm %s", alg);
            }
            if (h != EVP_sha256() && !v->artifact) {
                return fail(v, DD_TRUST_ARTIFACT,
                            "a %s message digest needs the artifact itself, "
                            "not only its SHA-256",
                            alg);
            }
            if (h == EVP_sha256()) {
                memcpy(v->md, v->digest, 32);
                v->md_len = 32;
            } else if (EVP_Digest(v->artifact, v->artifact_len, v->md,
                                  &v->md_len, h, NULL) != 1) {
                v->md_len = 0;
            }
            size_t n = 0;
            uint8_t *md = dd__trust_b64dec(d, &n);
            int same =
                md && v->md_len && n == v->md_len && memcmp(md, v->md, n) == 0;
            dd__free(md);
            if (!same) {
                return fail(v, DD_TRUST_ARTIFACT,
                            "the bundle's message digest is not the "
                            "artifact's %s",
                            alg ? alg : "SHA2_256");
            }
        }
        int ok = v->artifact
                     ? dd__trust_verify_msg(v->key, v->artifact,
                                            v->artifact_len, v->sig, v->sig_len)
                     : dd__trust_verify_digest(v->key, v->digest, v->sig,
                                               v->sig_len);
        if (!ok) {
            return fail(v, DD_TRUST_SIGNATURE,
                        "message signature does not verify with the %s",
                        v->key_owned ? "given key" : "certificate's key");
        }
        return 0;
    }
    if (env) {
        const char *type = jstr(env, "payloadType");
        const char *p = jstr(env, "payload");
        json_t *sigs = json_object_get(env, "signatures");
        if (!type || !p ||
            !(v->payload = dd__trust_b64dec(p, &v->payload_len))) {
            return fail(v, DD_TRUST_BUNDLE,
                        "dsseEnvelope payload or payloadType missing");
        }
        snprintf(v->res->payload_type, sizeof v->res->payload_type, "%s", type);
        if (json_array_size(sigs) != 1) {
            return fail(v, DD_TRUST_BUNDLE,
                        "dsseEnvelope must carry exactly one signature, "
                        "has %zu",
                        json_array_size(sigs));
        }
        const char *s = jstr(json_array_get(sigs, 0), "sig");
        if (!s || !(v->sig = dd__trust_b64dec(s, &v->sig_len))) {
            return fail(v, DD_TRUST_BUNDLE, "DSSE signature not base64");
        }
        dd__buf pae;
        dd__buf_init(&pae, DD_TRUST_MAX_JSON + 256);
        int rc = dd__trust_pae(type, v->payload, v->payload_len, &pae);
        int ok = rc == 0 && dd__trust_verify_msg(v->key, (uint8_t *)pae.ptr,
                                                 pae.len, v->sig, v->sig_len);
        dd__buf_free(&pae);
        if (!ok) {
            return fail(v, DD_TRUST_SIGNATURE,
                        "DSSE signature over the PAE does not verify");
        }
        if (strcmp(type, "application/vnd.in-toto+json") == 0) {
            return subject_matches(v);
        }
        return 0;
    }
    return fail(v, DD_TRUST_BUNDLE,
                "neither messageSignature nor dsseEnvelope");
}

/* ---- transparency log --------------------------------------------- */

static const dd__trust_key *
find_key(const dd__vec *keys, const uint8_t *id, size_t idn)
{
    for (size_t i = 0; i < keys->len; i++) {
        const dd__trust_key *k = DD_VEC_AT(keys, dd__trust_key, i);
        if (k->id_len == idn && memcmp(k->id, id, idn) == 0) {
            return k;
        }
    }
    return NULL;
}

static int in_window(int64_t t, int64_t start, int64_t end)
{
    return (start == 0 || t >= start) && (end == 0 || t <= end);
}

/* The PEM text of the signer (certificate or key) as Rekor stores it,
 * decoded from the base64 `b64`; 1 when it is our signer. */
static int names_signer(vctx *v, const char *b64)
{
    size_t n = 0;
    uint8_t *pem = b64 ? dd__trust_b64dec(b64, &n) : NULL;
    int same = 0;
    BIO *bio = pem ? BIO_new_mem_buf(pem, (int)n) : NULL;
    if (bio && v->leaf && !v->key_owned) {
        X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        same = x && X509_cmp(x, v->leaf) == 0;
        X509_free(x);
    } else if (bio) {
        EVP_PKEY *k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
        if (!k) {
            BIO_reset(bio);
            X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
            k = x ? X509_get_pubkey(x) : NULL;
            X509_free(x);
        }
        same = k && EVP_PKEY_eq(k, v->key) == 1;
        EVP_PKEY_free(k);
    }
    BIO_free(bio);
    dd__free(pem);
    return same;
}

static int same_b64(const char *b64, const uint8_t *bytes, size_t n)
{
    size_t m = 0;
    uint8_t *d = b64 ? dd__trust_b64dec(b64, &m) : NULL;
    int same = d && m == n && memcmp(d, bytes, n) == 0;
    dd__free(d);
    return same;
}

static int check_body(vctx *v, json_t *body, size_t idx)
{
    const char *kind = jstr(body, "kind");
    json_t *spec = json_object_get(body, "spec");
    char hex[65];
    if (kind && strcmp(kind, "hashedrekord") == 0) {
        json_t *sig = json_object_get(spec, "signature");
        const char *h = jstr(
            json_object_get(json_object_get(spec, "data"), "hash"), "value");
        char mdhex[129];
        if (v->md_len > 32) { /* a SHA-384 / SHA-512 message digest */
            dd__hex(v->md, v->md_len, mdhex);
        } else {
            dd__hex(v->digest, 32, mdhex);
        }
        if (!v->payload && (!h || strcasecmp(h, mdhex) != 0)) {
            return fail(v, DD_TRUST_TLOG,
                        "entry %zu records another artifact digest", idx);
        }
        if (!same_b64(jstr(sig, "content"), v->sig, v->sig_len)) {
            return fail(v, DD_TRUST_TLOG, "entry %zu records another signature",
                        idx);
        }
        if (!names_signer(v,
                          jstr(json_object_get(sig, "publicKey"), "content"))) {
            return fail(v, DD_TRUST_TLOG,
                        "entry %zu records another certificate or key", idx);
        }
        return 0;
    }
    if (kind && (strcmp(kind, "dsse") == 0 || strcmp(kind, "intoto") == 0)) {
        if (!v->payload) {
            return fail(v, DD_TRUST_TLOG,
                        "entry %zu is a %s entry for a message signature", idx,
                        kind);
        }
        uint8_t ph[32];
        EVP_Digest(v->payload, v->payload_len, ph, NULL, EVP_sha256(), NULL);
        dd__hex(ph, 32, hex);
        json_t *holder =
            strcmp(kind, "dsse") == 0 ? spec : json_object_get(spec, "content");
        const char *h = jstr(json_object_get(holder, "payloadHash"), "value");
        if (!h || strcasecmp(h, hex) != 0) {
            return fail(v, DD_TRUST_TLOG,
                        "entry %zu records another DSSE payload", idx);
        }
        if (strcmp(kind, "dsse") == 0) {
            json_t *sigs = json_object_get(spec, "signatures");
            for (size_t i = 0; i < json_array_size(sigs); i++) {
                json_t *s = json_array_get(sigs, i);
                if (same_b64(jstr(s, "signature"), v->sig, v->sig_len) &&
                    names_signer(v, jstr(s, "verifier"))) {
                    return 0;
                }
            }
            return fail(v, DD_TRUST_TLOG,
                        "entry %zu does not record this signature and "
                        "certificate",
                        idx);
        }
        return 0; /* intoto v0.0.2: payload hash checked above */
    }
    return fail(v, DD_TRUST_TLOG, "entry %zu: unsupported kind %s", idx,
                kind ? kind : "(none)");
}

/* Signed note (checkpoint): "origin\nsize\nroot\n[ext\n]\n— name sig\n".
 * 1 when a tlog key signs it and it names `size` and `root`. */
static int check_checkpoint(vctx *v,
                            const char *note,
                            const dd__trust_key *k,
                            int64_t size,
                            const uint8_t root[32])
{
    const char *sep = strstr(note, "\n\n");
    if (!sep) {
        return 0;
    }
    size_t body_len = (size_t)(sep - note) + 1;
    /* the body's second and third lines */
    const char *l2 = memchr(note, '\n', body_len);
    const char *l3 =
        l2 ? memchr(l2 + 1, '\n', body_len - (size_t)(l2 + 1 - note)) : NULL;
    const char *l4 =
        l3 ? memchr(l3 + 1, '\n', body_len - (size_t)(l3 + 1 - note)) : NULL;
    if (!l4) {
        return 0;
    }
    char tmp[128];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)size);
    if ((size_t)(l3 - l2 - 1) != (size_t)n || memcmp(l2 + 1, tmp, (size_t)n)) {
        return 0;
    }
    char *rb = dd__strndup(l3 + 1, (size_t)(l4 - l3 - 1));
    int root_ok = rb && same_b64(rb, root, 32);
    dd__free(rb);
    if (!root_ok) {
        return 0;
    }
    /* signature lines: "\u2014 name base64(keyhint[4] || sig)" */
    const char *p = sep + 2;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        const char *sp = memchr(p, ' ', ll);
        const char *sp2 =
            sp ? memchr(sp + 1, ' ', ll - (size_t)(sp + 1 - p)) : NULL;
        if (sp2) {
            char *b64 = dd__strndup(sp2 + 1, ll - (size_t)(sp2 + 1 - p));
            size_t sl = 0;
            uint8_t *sig = b64 ? dd__trust_b64dec(b64, &sl) : NULL;
            int ok = sig && sl > 4 &&
                     dd__trust_verify_msg(k->key, (const uint8_t *)note,
                                          body_len, sig + 4, sl - 4);
            dd__free(sig);
            dd__free(b64);
            if (ok) {
                return 1;
            }
        }
        if (!eol) {
            break;
        }
        p = eol + 1;
    }
    (void)v;
    return 0;
}

static int check_tlog(vctx *v, json_t *e, size_t idx)
{
    const char *cb = jstr(e, "canonicalizedBody");
    const char *lid = jstr(json_object_get(e, "logId"), "keyId");
    int64_t index = jint0(e, "logIndex");
    int64_t itime = jint(e, "integratedTime");
    size_t body_len = 0, idn = 0;
    uint8_t *body = cb ? dd__trust_b64dec(cb, &body_len) : NULL;
    uint8_t *id = lid ? dd__trust_b64dec(lid, &idn) : NULL;
    int r = 0;
    json_t *bj = NULL, *set_obj = NULL;
    if (!body || !id || index < 0) {
        r = fail(v, DD_TRUST_BUNDLE,
                 "tlog entry %zu lacks canonicalizedBody, logId or logIndex",
                 idx);
        goto out;
    }
    const dd__trust_key *k = find_key(&v->root->tlogs, id, idn);
    if (!k) {
        r = fail(v, DD_TRUST_TLOG,
                 "entry %zu is from a log not in the trusted root", idx);
        goto out;
    }
    if (dd__json_parse(&bj, (const char *)body, body_len, DD_TRUST_MAX_JSON,
                       "tlog body", NULL)) {
        r = fail(v, DD_TRUST_TLOG, "entry %zu body is not JSON", idx);
        goto out;
    }
    if ((r = check_body(v, bj, idx))) {
        goto out;
    }
    int have_set = 0, have_proof = 0;
    json_t *prom = json_object_get(e, "inclusionPromise");
    if (prom && itime > 0) {
        char idhex[2 * 32 + 1];
        dd__hex(id, idn, idhex);
        set_obj = json_pack("{s:s, s:I, s:s, s:I}", "body", cb,
                            "integratedTime", (json_int_t)itime, "logID", idhex,
                            "logIndex", (json_int_t)index);
        dd__buf cj;
        dd__buf_init(&cj, DD_TRUST_MAX_JSON * 2);
        size_t sl = 0;
        const char *s64 = jstr(prom, "signedEntryTimestamp");
        uint8_t *sig = s64 ? dd__trust_b64dec(s64, &sl) : NULL;
        int ok =
            set_obj && sig && dd__trust_canon_json(set_obj, &cj) == 0 &&
            dd__trust_verify_msg(k->key, (uint8_t *)cj.ptr, cj.len, sig, sl);
        dd__buf_free(&cj);
        dd__free(sig);
        if (!ok) {
            r = fail(v, DD_TRUST_TLOG,
                     "entry %zu: signed entry timestamp does not verify "
                     "with the log key",
                     idx);
            goto out;
        }
        if (!in_window(itime, k->start, k->end)) {
            r = fail(v, DD_TRUST_TLOG,
                     "entry %zu: integrated time outside the log key's "
                     "validity",
                     idx);
            goto out;
        }
        have_set = 1;
    }
    json_t *pr = json_object_get(e, "inclusionProof");
    if (pr) {
        json_t *hs = json_object_get(pr, "hashes");
        int64_t size = jint(pr, "treeSize"), pidx = jint0(pr, "logIndex");
        size_t rl = 0, n = json_array_size(hs);
        const char *r64 = jstr(pr, "rootHash");
        uint8_t *root = r64 ? dd__trust_b64dec(r64, &rl) : NULL;
        uint8_t(*path)[32] = dd__calloc(n ? n : 1, 32);
        int ok = root && rl == 32 && path && size > 0 && pidx >= 0 && n <= 64;
        for (size_t i = 0; ok && i < n; i++) {
            size_t hl = 0;
            const char *h = json_string_value(json_array_get(hs, i));
            uint8_t *hb = h ? dd__trust_b64dec(h, &hl) : NULL;
            ok = hb && hl == 32;
            if (ok) {
                memcpy(path[i], hb, 32);
            }
            dd__free(hb);
        }
        uint8_t leaf[32];
        dd__trust_leaf_hash(body, body_len, leaf);
        if (ok) {
            ok = dd__trust_merkle_verify(leaf, (uint64_t)pidx, (uint64_t)size,
                                         (const uint8_t(*)[32])path, n, root);
        }
        dd__free(path);
        if (!ok) {
            dd__free(root);
            r = fail(v, DD_TRUST_TLOG,
                     "entry %zu: inclusion proof does not lead to the root "
                     "hash",
                     idx);
            goto out;
        }
        const char *cp = jstr(json_object_get(pr, "checkpoint"), "envelope");
        ok = cp && check_checkpoint(v, cp, k, size, root);
        dd__free(root);
        if (!ok) {
            r = fail(v, DD_TRUST_TLOG,
                     "entry %zu: checkpoint missing, for another tree, or "
                     "not signed by the log",
                     idx);
            goto out;
        }
        have_proof = 1;
    }
    if (!have_set && !have_proof) {
        r = fail(v, DD_TRUST_TLOG,
                 "entry %zu has neither a signed entry timestamp nor an "
                 "inclusion proof",
                 idx);
        goto out;
    }
    if (v->version >= 2 && !have_proof) {
        r = fail(v, DD_TRUST_TLOG,
                 "entry %zu: bundle v0.%d requires an inclusion proof", idx,
                 v->version);
        goto out;
    }
    if (have_set && v->ntimes < MAX_TIMES) {
        v->times[v->ntimes++] = itime;
    }
    v->res->tlog_entries++;
out:
    json_decref(bj);
    json_decref(set_obj);
    dd__free(body);
    dd__free(id);
    return r;
}

/* ---- RFC 3161 ------------------------------------------------------- */

static int check_tsa(vctx *v, const char *b64, size_t idx)
{
    size_t n = 0;
    uint8_t *der = dd__trust_b64dec(b64, &n);
    const unsigned char *p = der;
    TS_RESP *resp = der ? d2i_TS_RESP(NULL, &p, (long)n) : NULL;
    PKCS7 *tok = NULL;
    if (resp) {
        tok = PKCS7_dup(TS_RESP_get_token(resp));
    } else if (der) {
        p = der;
        tok = d2i_PKCS7(NULL, &p, (long)n);
    }
    TS_RESP_free(resp);
    dd__free(der);
    TS_TST_INFO *ti = tok ? PKCS7_to_TS_TST_INFO(tok) : NULL;
    int64_t gen = ti ? asn1_unix(TS_TST_INFO_get_time(ti)) : -1;
    TS_TST_INFO_free(ti);
    int ok = 0;
    for (size_t i = 0; gen > 0 && !ok && i < v->root->tsas.len; i++) {
        const dd__trust_ca *ca = DD_VEC_AT(&v->root->tsas, dd__trust_ca, i);
        if (!in_window(gen, ca->start, ca->end)) {
            continue;
        }
        X509_STORE *st = X509_STORE_new();
        STACK_OF(X509) *inter = sk_X509_new_null();
        int nc = sk_X509_num(ca->chain);
        for (int j = 0; st && inter && j < nc; j++) {
            X509 *x = sk_X509_value(ca->chain, j);
            if (j == nc - 1) {
                X509_STORE_add_cert(st, x);
            } else {
                X509_up_ref(x);
                sk_X509_push(inter, x);
            }
        }
        if (st) {
            X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(st), (time_t)gen);
        }
        TS_VERIFY_CTX *c = TS_VERIFY_CTX_new();
        BIO *data = BIO_new_mem_buf(v->sig, (int)v->sig_len);
        if (c && st && data && inter) {
            TS_VERIFY_CTX_set_flags(c, TS_VFY_SIGNATURE | TS_VFY_DATA |
                                           TS_VFY_VERSION);
            TS_VERIFY_CTX_set_store(c, st); /* now owned by c */
            st = NULL;
            TS_VERIFY_CTS_set_certs(c, inter); /* now owned by c */
            inter = NULL;
            TS_VERIFY_CTX_set_data(c, data); /* now owned by c */
            data = NULL;
            ok = TS_RESP_verify_token(c, tok) == 1;
        }
        TS_VERIFY_CTX_free(c);
        X509_STORE_free(st);
        sk_X509_pop_free(inter, X509_free);
        BIO_free(data);
    }
    PKCS7_free(tok);
    if (!ok) {
        return fail(v, DD_TRUST_TSA,
                    "RFC 3161 timestamp %zu does not verify against the "
                    "trusted TSAs (or is not over this signature)",
                    idx);
    }
    if (v->ntimes < MAX_TIMES) {
        v->times[v->ntimes++] = gen;
    }
    v->res->timestamps++;
    return 0;
}

/* ---- certificate ---------------------------------------------------- */

static int check_chain(vctx *v, int64_t t)
{
    uint32_t xku = X509_get_extended_key_usage(v->leaf);
    if (!(X509_get_extension_flags(v->leaf) & EXFLAG_XKUSAGE) ||
        !(xku & XKU_CODE_SIGN)) {
        return fail(v, DD_TRUST_CHAIN,
                    "certificate lacks the codeSigning extended key usage");
    }
    for (size_t i = 0; i < v->root->cas.len; i++) {
        const dd__trust_ca *ca = DD_VEC_AT(&v->root->cas, dd__trust_ca, i);
        if (!in_window(t, ca->start, ca->end)) {
            continue;
        }
        X509_STORE *st = X509_STORE_new();
        STACK_OF(X509) *un =
            v->chain ? sk_X509_dup(v->chain) : sk_X509_new_null();
        X509_STORE_CTX *c = X509_STORE_CTX_new();
        int nc = sk_X509_num(ca->chain), ok = 0;
        for (int j = 0; st && un && j < nc; j++) {
            X509 *x = sk_X509_value(ca->chain, j);
            if (j == nc - 1) {
                X509_STORE_add_cert(st, x);
            } else {
                sk_X509_push(un, x);
            }
        }
        if (st && un && c && X509_STORE_CTX_init(c, st, v->leaf, un) == 1) {
            X509_STORE_CTX_set_time(c, 0, (time_t)t);
            ok = X509_verify_cert(c) == 1;
        }
        X509_STORE_CTX_free(c);
        sk_X509_free(un);
        X509_STORE_free(st);
        if (ok) {
            return 0;
        }
    }
    return fail(v, DD_TRUST_CHAIN,
                "certificate does not chain to a Fulcio CA of the trusted "
                "root valid at the signing time");
}

/* The issuer certificate of the leaf (bundle chain or trusted root). */
static X509 *leaf_issuer(vctx *v)
{
    for (int i = 0; v->chain && i < sk_X509_num(v->chain); i++) {
        if (X509_check_issued(sk_X509_value(v->chain, i), v->leaf) ==
            X509_V_OK) {
            return sk_X509_value(v->chain, i);
        }
    }
    for (size_t i = 0; i < v->root->cas.len; i++) {
        const dd__trust_ca *ca = DD_VEC_AT(&v->root->cas, dd__trust_ca, i);
        for (int j = 0; j < sk_X509_num(ca->chain); j++) {
            if (X509_check_issued(sk_X509_value(ca->chain, j), v->leaf) ==
                X509_V_OK) {
                return sk_X509_value(ca->chain, j);
            }
        }
    }
    return NULL;
}

/* RFC 6962 section 3.2: the SCT signs the precertificate TBS (the leaf's
 * TBS without the SCT list) and the issuer's key hash. */
static int sct_ok(vctx *v, SCT *sct, X509 *issuer)
{
    const unsigned char *lid = NULL;
    size_t lidn = SCT_get0_log_id(sct, (unsigned char **)&lid);
    const dd__trust_key *k = find_key(&v->root->ctlogs, lid, lidn);
    if (!k || SCT_get_version(sct) != SCT_VERSION_V1) {
        return 0;
    }
    uint64_t ts = SCT_get_timestamp(sct);
    if (!in_window((int64_t)(ts / 1000), k->start, k->end)) {
        return 0;
    }
    X509 *pre = X509_dup(v->leaf);
    int ok = 0;
    unsigned char *tbs = NULL, *spki = NULL;
    dd__buf m;
    dd__buf_init(&m, 1u << 20);
    if (!pre) {
        goto out;
    }
    int loc = X509_get_ext_by_NID(pre, NID_ct_precert_scts, -1);
    if (loc >= 0) {
        X509_EXTENSION_free(X509_delete_ext(pre, loc));
    }
    int tl = i2d_re_X509_tbs(pre, &tbs);
    int sl = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
    if (tl <= 0 || sl <= 0) {
        goto out;
    }
    uint8_t ikh[32];
    EVP_Digest(spki, (size_t)sl, ikh, NULL, EVP_sha256(), NULL);
    uint8_t hdr[12] = {0, 0};
    for (int i = 0; i < 8; i++) {
        hdr[2 + i] = (uint8_t)(ts >> (56 - 8 * i));
    }
    hdr[10] = 0;
    hdr[11] = 1; /* precert_entry */
    uint8_t tlen[3] = {(uint8_t)(tl >> 16), (uint8_t)(tl >> 8), (uint8_t)tl};
    unsigned char *ext = NULL;
    size_t el = SCT_get0_extensions(sct, &ext);
    uint8_t elen[2] = {(uint8_t)(el >> 8), (uint8_t)el};
    unsigned char *sig = NULL;
    size_t sgl = SCT_get0_signature(sct, &sig);
    if (dd__buf_add(&m, hdr, sizeof hdr) || dd__buf_add(&m, ikh, 32) ||
        dd__buf_add(&m, tlen, 3) || dd__buf_add(&m, tbs, (size_t)tl) ||
        dd__buf_add(&m, elen, 2) || (el && dd__buf_add(&m, ext, el))) {
        goto out;
    }
    ok = dd__trust_verify_msg(k->key, (uint8_t *)m.ptr, m.len, sig, sgl);
out:
    dd__buf_free(&m);
    OPENSSL_free(tbs);
    OPENSSL_free(spki);
    X509_free(pre);
    return ok;
}

static int check_sct(vctx *v)
{
    if (v->root->ctlogs.len == 0) {
        return 0; /* a trusted root without CT logs asks for no SCT */
    }
    STACK_OF(SCT) *scts =
        X509_get_ext_d2i(v->leaf, NID_ct_precert_scts, NULL, NULL);
    X509 *issuer = leaf_issuer(v);
    int ok = 0;
    for (int i = 0; scts && issuer && !ok && i < sk_SCT_num(scts); i++) {
        ok = sct_ok(v, sk_SCT_value(scts, i), issuer);
    }
    int had = scts && sk_SCT_num(scts) > 0;
    SCT_LIST_free(scts);
    if (!ok) {
        return fail(v, DD_TRUST_SCT,
                    had ? "no embedded SCT verifies with a trusted CT log key"
                        : "certificate has no embedded SCT");
    }
    return 0;
}

/* Fulcio extension value as text: legacy (.1.1 ..1.6) raw bytes, newer
 * ones DER UTF8String. */
static char *fulcio_ext(X509 *x, const char *oid, int raw)
{
    ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
    int loc = o ? X509_get_ext_by_OBJ(x, o, -1) : -1;
    ASN1_OBJECT_free(o);
    if (loc < 0) {
        return NULL;
    }
    ASN1_OCTET_STRING *d = X509_EXTENSION_get_data(X509_get_ext(x, loc));
    const unsigned char *p = ASN1_STRING_get0_data(d);
    int n = ASN1_STRING_length(d);
    if (raw) {
        return dd__strndup((const char *)p, (size_t)n);
    }
    ASN1_UTF8STRING *u = d2i_ASN1_UTF8STRING(NULL, &p, n);
    char *s = u ? dd__strndup((const char *)ASN1_STRING_get0_data(u),
                              (size_t)ASN1_STRING_length(u))
                : NULL;
    ASN1_UTF8STRING_free(u);
    return s;
}

static int text_match(const char *want, int regex, const char *have)
{
    if (!regex) {
        return strcmp(want, have) == 0;
    }
    int e;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile(
        (PCRE2_SPTR)want, PCRE2_ZERO_TERMINATED,
        PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &e, &off, NULL);
    if (!re) {
        return -1;
    }
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc =
        md ? pcre2_match(re, (PCRE2_SPTR)have, strlen(have), 0, 0, md, NULL)
           : -1;
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0;
}

static int check_identity(vctx *v)
{
    GENERAL_NAMES *gn =
        X509_get_ext_d2i(v->leaf, NID_subject_alt_name, NULL, NULL);
    int matched = 0, bad_re = 0;
    for (int i = 0; gn && i < sk_GENERAL_NAME_num(gn); i++) {
        GENERAL_NAME *g = sk_GENERAL_NAME_value(gn, i);
        ASN1_STRING *s = NULL;
        if (g->type == GEN_EMAIL || g->type == GEN_URI) {
            s = g->d.ia5;
        } else if (g->type == GEN_OTHERNAME &&
                   g->d.otherName->value->type == V_ASN1_UTF8STRING) {
            s = g->d.otherName->value->value.utf8string;
        }
        if (!s) {
            continue;
        }
        char *txt = dd__strndup((const char *)ASN1_STRING_get0_data(s),
                                (size_t)ASN1_STRING_length(s));
        if (!txt) {
            continue;
        }
        if (!v->res->identity[0]) {
            snprintf(v->res->identity, sizeof v->res->identity, "%s", txt);
        }
        if (v->pol->identity && !matched) {
            int m = text_match(v->pol->identity, v->pol->identity_regex, txt);
            bad_re |= m < 0;
            matched = m > 0;
        }
        dd__free(txt);
    }
    GENERAL_NAMES_free(gn);
    if (bad_re) {
        return fail(v, DD_TRUST_IDENTITY,
                    "--certificate-identity is not a valid regular "
                    "expression");
    }
    if (v->pol->identity && !matched) {
        return fail(v, DD_TRUST_IDENTITY,
                    "certificate identity %s does not match %s",
                    v->res->identity[0] ? v->res->identity : "(none)",
                    v->pol->identity);
    }
    char *iss = fulcio_ext(v->leaf, "1.3.6.1.4.1.57264.1.8", 0);
    if (!iss) {
        iss = fulcio_ext(v->leaf, "1.3.6.1.4.1.57264.1.1", 1);
    }
    if (iss) {
        snprintf(v->res->issuer, sizeof v->res->issuer, "%s", iss);
    }
    int im = v->pol->issuer && iss
                 ? text_match(v->pol->issuer, v->pol->issuer_regex, iss)
                 : 1;
    dd__free(iss);
    if (v->pol->issuer && im <= 0) {
        return fail(
            v, DD_TRUST_ISSUER, "certificate OIDC issuer %s does not match %s",
            v->res->issuer[0] ? v->res->issuer : "(none)", v->pol->issuer);
    }
    const struct {
        const char *want, *oid, *name;
    } ext[] = {
        {v->pol->source_repository, "1.3.6.1.4.1.57264.1.12",
         "source repository"},
        {v->pol->source_ref, "1.3.6.1.4.1.57264.1.14", "source ref"},
        {v->pol->build_config, "1.3.6.1.4.1.57264.1.18", "build config"},
    };
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        if (!ext[i].want) {
            continue;
        }
        char *have = fulcio_ext(v->leaf, ext[i].oid, 0);
        int same = have && strcmp(have, ext[i].want) == 0;
        dd__free(have);
        if (!same) {
            return fail(v, DD_TRUST_EXTENSION, "%s is not %s", ext[i].name,
                        ext[i].want);
        }
    }
    return 0;
}

static int check_times(vctx *v)
{
    if (v->ntimes == 0) {
        return fail(v, DD_TRUST_TIME,
                    "no trusted signing time (no verified log entry with a "
                    "signed entry timestamp, no verified RFC 3161 "
                    "timestamp)");
    }
    int64_t nb = asn1_unix(X509_get0_notBefore(v->leaf));
    int64_t na = asn1_unix(X509_get0_notAfter(v->leaf));
    for (size_t i = 0; i < v->ntimes; i++) {
        if (v->times[i] < nb || v->times[i] > na) {
            return fail(v, DD_TRUST_TIME,
                        "signing time %lld is outside the certificate's "
                        "validity %lld..%lld",
                        (long long)v->times[i], (long long)nb, (long long)na);
        }
    }
    v->res->signing_time = v->times[0];
    return 0;
}

static int bundle_version(const char *mt)
{
    static const char *const known[] = {
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "application/vnd.dev.sigstore.bundle.v0.3+json",
    };
    for (int i = 0; mt && i < 4; i++) {
        if (strcmp(mt, known[i]) == 0) {
            return i < 3 ? i + 1 : 3;
        }
    }
    return 0;
}

static void run(vctx *v, const char *bundle, size_t len)
{
    json_t *b = NULL;
    dd_error je;
    if (dd__json_parse(&b, bundle, len, DD_TRUST_MAX_JSON, "bundle", &je) ||
        !json_is_object(b)) {
        fail(v, DD_TRUST_BUNDLE, "%s", b ? "not a JSON object" : je.message);
        goto out;
    }
    const char *mt = jstr(b, "mediaType");
    if (!(v->version = bundle_version(mt))) {
        fail(v, DD_TRUST_BUNDLE, "unsupported mediaType %s",
             mt ? mt : "(none)");
        goto out;
    }
    json_t *vm = json_object_get(b, "verificationMaterial");
    if (!json_is_object(vm)) {
        fail(v, DD_TRUST_BUNDLE, "no verificationMaterial");
        goto out;
    }
    if (load_material(v, vm) || check_content(v, b)) {
        goto out;
    }
    json_t *tl = json_object_get(vm, "tlogEntries");
    if (tl && !json_is_array(tl)) {
        fail(v, DD_TRUST_BUNDLE, "tlogEntries is not an array");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(tl); i++) {
        if (!v->root) {
            fail(v, DD_TRUST_TLOG,
                 "the bundle has log entries but no trusted root is given");
            goto out;
        }
        if (check_tlog(v, json_array_get(tl, i), i)) {
            goto out;
        }
    }
    json_t *ts = json_object_get(
        json_object_get(vm, "timestampVerificationData"), "rfc3161Timestamps");
    for (size_t i = 0; v->root && i < json_array_size(ts); i++) {
        const char *st = jstr(json_array_get(ts, i), "signedTimestamp");
        if (!st || check_tsa(v, st, i)) {
            if (!st) {
                fail(v, DD_TRUST_BUNDLE,
                     "timestamp %zu has no "
                     "signedTimestamp",
                     i);
            }
            goto out;
        }
    }
    if (v->key_owned) {
        goto out; /* managed key: signature (and any log entry) checked */
    }
    if (!v->root) {
        fail(v, DD_TRUST_CHAIN, "a certificate needs a trusted root");
        goto out;
    }
    if (v->res->tlog_entries == 0 && v->res->timestamps == 0) {
        fail(v, DD_TRUST_TLOG,
             "keyless bundle with no transparency-log entry or timestamp");
        goto out;
    }
    if (check_times(v) || check_chain(v, v->res->signing_time) ||
        check_sct(v) || check_identity(v)) {
        goto out;
    }
out:
    json_decref(b);
}

int dd_trust_verify_bundle(const dd_trust_root *root,
                           const char *bundle,
                           size_t bundle_len,
                           const uint8_t *artifact,
                           size_t artifact_len,
                           const uint8_t digest[32],
                           const dd_trust_policy *pol,
                           dd_trust_result *res,
                           dd_error *err)
{
    if (!bundle || !digest || !pol || !res ||
        (!pol->key_pem && (!pol->identity || !pol->issuer))) {
        return dd__error_set(err, DD_EINVALID,
                             "verify: need a bundle, a digest and either a "
                             "key or an identity and issuer");
    }
    memset(res, 0, sizeof *res);
    vctx v;
    memset(&v, 0, sizeof v);
    v.root = root;
    v.pol = pol;
    v.res = res;
    v.digest = digest;
    v.artifact = artifact;
    v.artifact_len = artifact_len;
    run(&v, bundle, bundle_len);
    if (!v.key_owned && v.res->failed == DD_TRUST_OK && v.ntimes) {
        v.res->signing_time = v.times[0];
    }
    X509_free(v.leaf);
    sk_X509_pop_free(v.chain, X509_free);
    if (v.key_owned) {
        EVP_PKEY_free(v.key);
    }
    dd__free(v.sig);
    dd__free(v.payload);
    return 0;
}
