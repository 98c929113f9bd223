/*
 * drydock/trust.h - offline verification of Sigstore bundles (v0.1, v0.2,
 * v0.3; message signatures and DSSE envelopes) against a pinned
 * trusted_root.json (Fulcio CAs, Rekor and CT log keys, TSAs), or against
 * a managed public key (ECDSA P-256/P-384, RSA, Ed25519).
 *
 * Nothing here touches the network or the wall clock: the signing time
 * comes from a verified transparency-log entry or RFC 3161 timestamp.
 * (One exception: a Notation signature's io.cncf.notary.expiry is checked
 * against dd_trust_policy.now, the wall clock when that is 0.)
 *
 * Ownership: a dd_trust_root returned through `out` belongs to the caller,
 * who frees it with dd_trust_root_free() (NULL is a no-op). A root is
 * immutable once loaded and may be shared by threads. Input buffers are
 * borrowed for the length of the call only. Results are written into the
 * caller's dd_trust_result; it holds no pointers.
 */
#ifndef DD_TRUST_H
#define DD_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "errors.h"

DD_BEGIN_DECLS

typedef struct dd_trust_root dd_trust_root;

/* Largest trusted_root.json / bundle accepted (bytes). */
#define DD_TRUST_MAX_JSON (4u << 20)

/* Parse a trusted_root.json held in memory. 0; DD_ECORRUPT (malformed,
 * duplicate keys, a key or certificate that does not parse), DD_ELIMIT
 * (over DD_TRUST_MAX_JSON), DD_ENOMEM. */
DD_API int dd_trust_root_parse(dd_trust_root **out,
                               const char *json,
                               size_t len,
                               dd_error *err);
/* The same from a file (DD_ENOTFOUND, DD_EIO as well). */
DD_API int
dd_trust_root_load(dd_trust_root **out, const char *path, dd_error *err);
/* The Sigstore public-good trusted root built into the library (taken
 * from the TUF seeds of @sigstore/tuf, see docs/trust.md). */
DD_API int dd_trust_root_builtin(dd_trust_root **out, dd_error *err);
DD_API void dd_trust_root_free(dd_trust_root *root);

/* What the signer must be. Either key_pem (a managed key: PEM public key
 * or certificate) or identity + issuer (keyless, Fulcio certificate);
 * for images also (or only) trust_store for Notation signatures. */
typedef struct dd_trust_policy {
    const char *key_pem;  /* NUL-terminated PEM, borrowed */
    const char *identity; /* SAN: email, URI or OtherName */
    int identity_regex;   /* identity is a PCRE2 pattern (whole match) */
    const char *issuer;   /* OIDC issuer (Fulcio OID .1.8, legacy .1.1) */
    int issuer_regex;
    /* Optional Fulcio extension matches (exact), NULL = any. */
    const char *source_repository; /* 1.3.6.1.4.1.57264.1.12 */
    const char *source_ref;        /* 1.3.6.1.4.1.57264.1.14 */
    const char *build_config;      /* 1.3.6.1.4.1.57264.1.18 (workflow) */
    /* Notation (Notary Project) signatures, images only: checked against
     * trust_store, a directory in Notation's layout (x509/ca/NAME/FILE.pem,
     * x509/signingAuthority/NAME/) or one PEM file; NULL = not checked. */
    const char *trust_store;
    /* Trusted identity as in a Notation trust policy: "x509.subject: CN=
     * ..,O=.." (every attribute given must be in the leaf's subject);
     * NULL or "*" = any signer the trust store vouches for. */
    const char *notation_identity;
    /* Unix seconds to check io.cncf.notary.expiry against; 0 = the wall
     * clock (the only place this module reads it). */
    int64_t now;
    /* The user asked for Docker Content Trust (--dct,
     * DOCKER_CONTENT_TRUST=1): Notary v1 is retired and not checked; the
     * verdict says so. */
    int dct;
} dd_trust_policy;

/* The check that failed (DD_TRUST_OK when the bundle verified). */
typedef enum dd_trust_check {
    DD_TRUST_OK = 0,
    DD_TRUST_BUNDLE,    /* bundle malformed or unsupported */
    DD_TRUST_ARTIFACT,  /* the bundle is for another artifact */
    DD_TRUST_SIGNATURE, /* signature does not verify */
    DD_TRUST_CHAIN,     /* certificate chain / EKU / root in bundle */
    DD_TRUST_SCT,       /* no valid SCT from a trusted CT log */
    DD_TRUST_TLOG,      /* SET, inclusion proof, checkpoint or body */
    DD_TRUST_TSA,       /* RFC 3161 timestamp */
    DD_TRUST_TIME,      /* signing time outside the certificate validity */
    DD_TRUST_IDENTITY,  /* SAN does not match */
    DD_TRUST_ISSUER,    /* OIDC issuer does not match */
    DD_TRUST_EXTENSION, /* a Fulcio extension does not match */
    DD_TRUST_EXPIRED    /* Notation: io.cncf.notary.expiry has passed */
} dd_trust_check;

typedef struct dd_trust_result {
    dd_trust_check failed;
    char message[512];    /* one line naming the failed check */
    int64_t signing_time; /* Unix seconds, from the log or the TSA */
    char identity[512];   /* the certificate's first SAN */
    char issuer[512];
    char payload_type[128]; /* DSSE payloadType, "" for messageSignature */
    unsigned tlog_entries;  /* verified transparency-log entries */
    unsigned timestamps;    /* verified RFC 3161 timestamps */
    /* the in-toto statement's predicateType of a DSSE attestation ("" if
     * none); to be trusted only when failed == DD_TRUST_OK */
    char predicate_type[256];
} dd_trust_result;

/* Static short name of a check ("signature", "certificate chain", ...). */
DD_API const char *dd_trust_check_name(dd_trust_check c);

/* Verify `bundle` (JSON) for an artifact: `artifact` (may be NULL when
 * only its digest is known; Ed25519 message signatures need the bytes)
 * and its SHA-256 `digest`. `root` may be NULL with a managed key.
 * Returns 0 when the verification ran (the verdict is in `res`: failed ==
 * DD_TRUST_OK means verified); DD_EINVALID for bad arguments, DD_ENOMEM. */
DD_API int dd_trust_verify_bundle(const dd_trust_root *root,
                                  const char *bundle,
                                  size_t bundle_len,
                                  const uint8_t *artifact,
                                  size_t artifact_len,
                                  const uint8_t digest[32],
                                  const dd_trust_policy *pol,
                                  dd_trust_result *res,
                                  dd_error *err);

/* ------------------------------------------------------------ images */
struct dd_registry_opts;
struct dd_findings;

/* Where a signature of an image was found. */
typedef enum dd_trust_sig_kind {
    DD_TRUST_SIG_COSIGN = 0,  /* cosign tag sha256-<hex>.sig (simple signing) */
    DD_TRUST_SIG_ATTESTATION, /* cosign tag sha256-<hex>.att (DSSE) */
    DD_TRUST_SIG_BUNDLE,      /* OCI 1.1 referrer holding a Sigstore bundle */
    DD_TRUST_SIG_NOTATION_JWS, /* Notation referrer, application/jose+json */
    DD_TRUST_SIG_NOTATION_COSE /* Notation referrer, application/cose */
} dd_trust_sig_kind;

typedef struct dd_trust_sig {
    dd_trust_sig_kind kind;
    char where[320];     /* "tag sha256-<hex>.sig, layer 0", "referrer ..." */
    char reference[256]; /* simple signing critical.identity.docker-reference */
    dd_trust_result res; /* res.failed == DD_TRUST_OK: this one verified */
    int unchecked;       /* found but not checked: nothing to check it with (no
                            --key/identity for cosign, no trust store for
                            Notation); res.failed is DD_TRUST_CHAIN */
} dd_trust_sig;

/* The verdict on one image. */
typedef struct dd_trust_image {
    char image[512];       /* the reference or layout as given (escaped) */
    char digest[80];       /* manifest digest, "sha256:<hex>" */
    int verified;          /* 1: at least one signature verified */
    dd_trust_check failed; /* not verified: check of the first failure,
                              DD_TRUST_OK when nothing was found */
    char message[640];     /* one line: what verified, or which check failed */
    size_t n;              /* signatures and attestations found */
    dd_trust_sig *sigs;
} dd_trust_image;

/* Find and check the signatures of an image: cosign's legacy tags
 * (sha256-<hex>.sig with simple-signing payloads, .att DSSE
 * attestations), OCI 1.1 referrers holding Sigstore bundles or Notation
 * signatures (JWS, COSE; the referrers API, else the sha256-<hex>
 * referrers tag). `pol` needs a key, an identity and issuer, or a
 * trust_store (or several: any signature that verifies will do); dct
 * alone is accepted too (nothing verifies: the verdict says DCT is
 * retired). `image` is a
 * registry reference ("HOST/REPO:TAG", "...@sha256:...") read with
 * `ropts` (may be NULL), or an OCI layout directory (`tag` picks the
 * org.opencontainers.image.ref.name; NULL: the only image in it) that
 * carries the same tags or referrers. `root` may be NULL with a managed
 * key. *out is new, owned by the caller (dd_trust_image_free). Returns 0
 * when the image could be read (the verdict is in *out); DD_EINVALID,
 * DD_ENOTFOUND, DD_ENET, DD_ECORRUPT, DD_ENOMEM otherwise. */
DD_API int dd_trust_verify_image(dd_trust_image **out,
                                 const char *image,
                                 const char *tag,
                                 const struct dd_registry_opts *ropts,
                                 const dd_trust_root *root,
                                 const dd_trust_policy *pol,
                                 dd_error *err);
DD_API void dd_trust_image_free(dd_trust_image *r);

/* The verdict as findings of kind DD_KIND_TRUST: trust.unsigned (nothing
 * found), trust.signature-invalid (a signature, payload, digest or log
 * entry does not verify), trust.signer-untrusted (valid, but not by the
 * wanted key or identity), trust.attestation-missing (when
 * `want_attestation` and no attestation verified). Nothing when the
 * image verified. *out is a new list owned by the caller
 * (dd_findings_free). 0 or DD_ENOMEM. */
DD_API int dd_trust_image_findings(const dd_trust_image *r,
                                   int want_attestation,
                                   struct dd_findings **out,
                                   dd_error *err);

DD_END_DECLS

#endif
