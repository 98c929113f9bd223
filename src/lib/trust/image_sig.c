/*
 * trust/image_sig.c - signatures of container images: cosign's legacy
 * tag layout (sha256-<hex>.sig: simple-signing payloads with the
 * signature, certificate, chain and Rekor bundle in layer annotations;
 * sha256-<hex>.att: DSSE attestations) and OCI 1.1 referrers holding
 * Sigstore bundles (the referrers API, else the sha256-<hex> referrers
 * tag). Images come from a registry or an OCI layout directory.
 *
 * Every signature found is turned into a Sigstore bundle (v0.1 for the
 * legacy annotations) and checked by dd_trust_verify_bundle (verify.c),
 * so the key, chain, SCT, log and identity checks are the same code.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "notation_int.h"
#include "trust_int.h"
#include "drydock/image.h"
#include "../findings_int.h"
#include "../registry/registry_int.h"

#define MAX_MANIFEST (4u << 20)
#define MAX_PAYLOAD  (1u << 20)
#define MAX_SIGS     64

static const char ACCEPT[] =
    "application/vnd.oci.image.index.v1+json,"
    "application/vnd.oci.image.manifest.v1+json,"
    "application/vnd.docker.distribution.manifest.list.v2+json,"
    "application/vnd.docker.distribution.manifest.v2+json";

static const char MT_SIMPLESIGN[] =
    "application/vnd.dev.cosign.simplesigning.v1+json";
static const char MT_DSSE[] = "application/vnd.dsse.envelope.v1+json";
static const char BUNDLE_PREFIX[] = "application/vnd.dev.sigstore.bundle";
static const char NOTATION_SIG[] = "application/vnd.cncf.notary.signature";

/* ---- simple-signing payload ------------------------------------------ */

/* `s` escaped for a terminal into dst (cap bytes), cut to fit. */
static void esc_copy(char *dst, size_t cap, const char *s)
{
    char *e = dd__printable(s, cap);
    snprintf(dst, cap, "%s", e ? e : "?");
    dd__free(e);
}

/* The member of `o` whose key is `k` in any case; NULL when none, and
 * *dup = 1 when two keys differ only in case (ambiguous: Go's decoder,
 * which cosign uses, would take either). */
static json_t *ci_get(json_t *o, const char *k, int *dup)
{
    const char *key;
    json_t *v, *hit = NULL;
    json_object_foreach(o, key, v)
    {
        if (strcasecmp(key, k) == 0) {
            if (hit) {
                *dup = 1;
            }
            hit = v;
        }
    }
    return hit;
}

int dd__trust_simplesign_parse(const char *p,
                               size_t n,
                               dd__simplesign *out,
                               dd_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *j = NULL;
    int rc =
        dd__json_parse(&j, p, n, MAX_PAYLOAD, "simple-signing payload", err);
    if (rc) {
        return rc;
    }
    int dup = 0;
    json_t *crit = ci_get(j, "critical", &dup);
    json_t *img = ci_get(crit, "image", &dup);
    json_t *ident = ci_get(crit, "identity", &dup);
    const char *d =
        json_string_value(ci_get(img, "docker-manifest-digest", &dup));
    const char *ref =
        json_string_value(ci_get(ident, "docker-reference", &dup));
    const char *type = json_string_value(ci_get(crit, "type", &dup));
    if (!json_is_object(j) || !json_is_object(crit)) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "simple-signing payload: no \"critical\" object");
    } else if (dup) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "simple-signing payload: a key appears twice "
                           "with different case");
    } else if (!d || !*d || strlen(d) >= sizeof out->digest) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "simple-signing payload: no "
                           "critical.image.docker-manifest-digest");
    } else if (!type || strlen(type) >= sizeof out->type) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "simple-signing payload: no critical.type");
    } else {
        snprintf(out->digest, sizeof out->digest, "%s", d);
        snprintf(out->type, sizeof out->type, "%s", type);
        if (ref) {
            esc_copy(out->reference, sizeof out->reference, ref);
        }
    }
    json_decref(j);
    return rc;
}

/* ---- image source: a registry or an OCI layout ------------------------ */

typedef struct isrc {
    dd__registry *reg;
    dd__ref ref;
    const char *layout; /* directory, or NULL */
    json_t *index;      /* layout's index.json */
    int64_t img_size;   /* the image manifest's length */
    char img_mt[128];   /* and its mediaType ("" when it names none) */
} isrc;

static int sha_ok(const char *digest, const char *data, size_t len)
{
    uint8_t h[32];
    char hex[72];
    EVP_Digest(data, len, h, NULL, EVP_sha256(), NULL);
    memcpy(hex, "sha256:", 7);
    dd__hex(h, 32, hex + 7);
    return strcmp(hex, digest) == 0;
}

/* A blob (or a manifest by digest) of the layout, its digest checked. */
static int layout_blob(isrc *s,
                       const char *digest,
                       size_t max,
                       char **data,
                       size_t *len,
                       dd_error *err)
{
    if (!dd__is_sha256_digest(digest)) {
        return dd__error_set(err, DD_ECORRUPT, "%s: bad digest %.80s",
                             s->layout, digest);
    }
    char *p = dd__asprintf("%s/blobs/sha256/%s", s->layout, digest + 7);
    if (!p) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    int rc = dd__file_read(p, max, data, len);
    if (rc) {
        dd__error_set(err, rc, "%s: %s", p,
                      rc == DD_ENOTFOUND ? "no such blob"
                      : rc == DD_ELIMIT  ? "too large"
                                         : "cannot read");
    } else if (!sha_ok(digest, *data, *len)) {
        rc = dd__error_set(err, DD_ECORRUPT,
                           "%s: content does not match its digest", p);
        dd__free(*data);
        *data = NULL;
    }
    dd__free(p);
    return rc;
}

/* The layout's index.json entry named `tag`, or NULL. */
static json_t *layout_entry(isrc *s, const char *tag)
{
    json_t *m = json_object_get(s->index, "manifests");
    for (size_t i = 0; i < json_array_size(m); i++) {
        json_t *e = json_array_get(m, i);
        const char *n = json_string_value(
            json_object_get(json_object_get(e, "annotations"),
                            "org.opencontainers.image.ref.name"));
        if (n && strcmp(n, tag) == 0) {
            return e;
        }
    }
    return NULL;
}

static int src_blob(isrc *s,
                    const char *digest,
                    size_t max,
                    char **data,
                    size_t *len,
                    dd_error *err)
{
    if (s->layout) {
        return layout_blob(s, digest, max, data, len, err);
    }
    if (!dd__is_sha256_digest(digest)) {
        return dd__error_set(err, DD_ECORRUPT, "bad digest %.80s", digest);
    }
    char p[DD_REF_MAX + 120];
    snprintf(p, sizeof p, "%s/blobs/%s", s->ref.repo, digest);
    int rc = dd__registry_get(s->reg, p, NULL, max, data, len, NULL, 0, err);
    if (!rc && !sha_ok(digest, *data, *len)) {
        dd__free(*data);
        *data = NULL;
        rc =
            dd__error_set(err, DD_ECORRUPT,
                          "blob %s: content does not match its digest", digest);
    }
    return rc;
}

/* A manifest by tag or digest; DD_ENOTFOUND when there is none. */
static int
src_manifest(isrc *s, const char *tag, char **data, size_t *len, dd_error *err)
{
    if (s->layout) {
        if (strncmp(tag, "sha256:", 7) == 0) {
            return layout_blob(s, tag, MAX_MANIFEST, data, len, err);
        }
        json_t *e = layout_entry(s, tag);
        const char *d = json_string_value(json_object_get(e, "digest"));
        if (!d) {
            return dd__error_set(err, DD_ENOTFOUND, "%s: no %s", s->layout,
                                 tag);
        }
        return layout_blob(s, d, MAX_MANIFEST, data, len, err);
    }
    char p[DD_REF_MAX + 160];
    snprintf(p, sizeof p, "%s/manifests/%s", s->ref.repo, tag);
    int rc = dd__registry_get(s->reg, p, ACCEPT, MAX_MANIFEST, data, len, NULL,
                              0, err);
    if (!rc && strncmp(tag, "sha256:", 7) == 0 && !sha_ok(tag, *data, *len)) {
        dd__free(*data);
        *data = NULL;
        rc = dd__error_set(err, DD_ECORRUPT,
                           "manifest %s: content does not match its digest",
                           tag);
    }
    return rc;
}

/* The image manifest's size and mediaType (its own field, else `dflt`). */
static void manifest_type(isrc *s, const char *m, size_t ml, const char *dflt)
{
    json_t *j = NULL;
    s->img_size = (int64_t)ml;
    if (!dd__json_parse(&j, m, ml, MAX_MANIFEST, "manifest", NULL)) {
        const char *mt = json_string_value(json_object_get(j, "mediaType"));
        dflt = mt ? mt : dflt;
        if (dflt && strlen(dflt) < sizeof s->img_mt) {
            snprintf(s->img_mt, sizeof s->img_mt, "%s", dflt);
        }
    }
    json_decref(j);
}

static int src_open(isrc *s,
                    const char *image,
                    const char *tag,
                    const dd_registry_opts *ropts,
                    char digest[80],
                    dd_error *err)
{
    char *p = dd__asprintf("%s/index.json", image);
    char *idx = NULL, *m = NULL;
    size_t il = 0, ml = 0;
    int rc = p ? 0 : DD_ENOMEM;
    if (!rc && dd__file_read(p, MAX_MANIFEST, &idx, &il) == 0) {
        s->layout = image;
        rc = dd__json_parse(&s->index, idx, il, MAX_MANIFEST, p, err);
        dd__free(idx);
        json_t *ms = json_object_get(s->index, "manifests");
        json_t *pick = NULL;
        size_t nimg = 0;
        for (size_t i = 0; !rc && i < json_array_size(ms); i++) {
            json_t *e = json_array_get(ms, i);
            const char *n = json_string_value(
                json_object_get(json_object_get(e, "annotations"),
                                "org.opencontainers.image.ref.name"));
            if (tag ? (n && strcmp(n, tag) == 0)
                    : !(n && strncmp(n, "sha256-", 7) == 0) &&
                          !json_object_get(e, "artifactType") &&
                          !json_object_get(json_object_get(e, "annotations"),
                                           "kind")) {
                pick = e;
                nimg++;
            }
        }
        const char *d = json_string_value(json_object_get(pick, "digest"));
        if (!rc && nimg != 1) {
            rc = dd__error_set(
                err, DD_EINVALID, "%s: %s", image,
                nimg ? "holds several images; name one with --tag"
                     : (tag ? "no image with that tag" : "holds no image"));
        } else if (!rc && (!d || !dd__is_sha256_digest(d))) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: the image's digest is missing or bad", p);
        } else if (!rc) {
            snprintf(digest, 80, "%s", d);
            rc = layout_blob(s, d, MAX_MANIFEST, &m, &ml, err);
            const char *emt =
                json_string_value(json_object_get(pick, "mediaType"));
            if (!rc) {
                manifest_type(s, m, ml, emt);
            }
        }
        dd__free(m);
        dd__free(p);
        return rc;
    }
    dd__free(p);
    if (rc) {
        return dd__error_set(err, rc, "out of memory");
    }
    if ((rc = dd__ref_parse(image, &s->ref, err)) ||
        (rc = dd__registry_new(&s->reg, &s->ref, ropts, err))) {
        return rc;
    }
    rc = src_manifest(s, s->ref.digest[0] ? s->ref.digest : s->ref.tag, &m, &ml,
                      err);
    if (!rc) {
        uint8_t h[32];
        EVP_Digest(m, ml, h, NULL, EVP_sha256(), NULL);
        memcpy(digest, "sha256:", 7);
        dd__hex(h, 32, digest + 7);
        manifest_type(s, m, ml, NULL);
    }
    dd__free(m);
    return rc;
}

static void src_close(isrc *s)
{
    dd__registry_free(s->reg);
    json_decref(s->index);
}

/* ---- building bundles ------------------------------------------------- */

/* PEM certificates -> array of {"rawBytes": b64(DER)}; self-signed ones
 * (roots) are left out: roots come from the trusted root only. */
static int pem_certs(const char *pem, json_t *arr)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x;
    int n = 0;
    while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
        unsigned char *der = NULL;
        int dl = i2d_X509(x, &der);
        int root = X509_check_issued(x, x) == X509_V_OK;
        char *b = dl > 0 && !root ? dd__trust_b64enc(der, (size_t)dl) : NULL;
        if (b) {
            json_array_append_new(arr, json_pack("{s:s}", "rawBytes", b));
            n++;
        }
        dd__free(b);
        OPENSSL_free(der);
        X509_free(x);
    }
    BIO_free(bio);
    return n;
}

static int unhex(const char *s, uint8_t *out, size_t cap, size_t *n)
{
    size_t l = strlen(s);
    if (l % 2 || l / 2 > cap) {
        return 0;
    }
    for (size_t i = 0; i < l / 2; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0) {
                return 0;
            }
            v = v << 4 | (unsigned)d;
        }
        out[i] = (uint8_t)v;
    }
    *n = l / 2;
    return 1;
}

/* cosign's Rekor bundle annotation {"SignedEntryTimestamp", "Payload":
 * {body, integratedTime, logIndex, logID}} as a bundle tlog entry. */
static json_t *rekor_entry(const char *ann)
{
    json_t *j = NULL;
    if (dd__json_parse(&j, ann, strlen(ann), MAX_PAYLOAD, "rekor bundle",
                       NULL)) {
        return NULL;
    }
    json_t *pl = json_object_get(j, "Payload");
    const char *set =
        json_string_value(json_object_get(j, "SignedEntryTimestamp"));
    const char *body = json_string_value(json_object_get(pl, "body"));
    const char *lid = json_string_value(json_object_get(pl, "logID"));
    json_t *it = json_object_get(pl, "integratedTime");
    json_t *li = json_object_get(pl, "logIndex");
    uint8_t id[64];
    size_t idn = 0;
    json_t *e = NULL;
    if (set && body && lid && json_is_integer(it) && json_is_integer(li) &&
        unhex(lid, id, sizeof id, &idn)) {
        char *id64 = dd__trust_b64enc(id, idn);
        char its[32], lis[32];
        snprintf(its, sizeof its, "%lld", (long long)json_integer_value(it));
        snprintf(lis, sizeof lis, "%lld", (long long)json_integer_value(li));
        if (id64) {
            e = json_pack("{s:s, s:{s:s}, s:s, s:{s:s}, s:s}", "logIndex", lis,
                          "logId", "keyId", id64, "integratedTime", its,
                          "inclusionPromise", "signedEntryTimestamp", set,
                          "canonicalizedBody", body);
        }
        dd__free(id64);
    }
    json_decref(j);
    return e;
}

/* verificationMaterial from a layer's annotations (key or certificate). */
static json_t *material(json_t *ann, const dd_trust_policy *pol)
{
    json_t *vm = json_object();
    const char *cert = json_string_value(
        json_object_get(ann, "dev.sigstore.cosign/certificate"));
    const char *chain =
        json_string_value(json_object_get(ann, "dev.sigstore.cosign/chain"));
    const char *rb =
        json_string_value(json_object_get(ann, "dev.sigstore.cosign/bundle"));
    if (!vm) {
        return NULL;
    }
    json_t *certs = json_array();
    if (cert && !pol->key_pem && certs) {
        pem_certs(cert, certs);
        if (chain) {
            pem_certs(chain, certs);
        }
    }
    if (json_array_size(certs) > 0) {
        json_object_set_new(vm, "x509CertificateChain",
                            json_pack("{s:o}", "certificates", certs));
    } else {
        json_decref(certs);
        json_object_set_new(vm, "publicKey", json_pack("{s:s}", "hint", ""));
    }
    json_t *e = rb ? rekor_entry(rb) : NULL;
    if (e) {
        json_object_set_new(vm, "tlogEntries", json_pack("[o]", e));
    }
    return vm;
}

static char *bundle_text(json_t *vm, const char *content_key, json_t *content)
{
    json_t *b = json_pack("{s:s, s:o, s:o}", "mediaType",
                          "application/vnd.dev.sigstore.bundle+json;"
                          "version=0.1",
                          "verificationMaterial", vm, content_key, content);
    char *s = b ? json_dumps(b, JSON_COMPACT) : NULL;
    json_decref(b);
    return s;
}

/* ---- the walk ---------------------------------------------------------- */

typedef struct ictx {
    isrc src;
    const dd_trust_root *root;
    const dd_trust_policy *pol;
    dd_trust_image *out;
    uint8_t digest[32];
    dd__vec sigs; /* dd_trust_sig */
    dd_error *err;
    int cosign;                 /* pol has a key or identity + issuer */
    dd__notation_store *nstore; /* pol->trust_store loaded, or NULL */
} ictx;

static dd_trust_sig *
add_sig(ictx *c, dd_trust_sig_kind k, const char *what, size_t layer)
{
    if (c->sigs.len >= MAX_SIGS) {
        return NULL;
    }
    dd_trust_sig *s = dd__vec_push(&c->sigs);
    if (s) {
        s->kind = k;
        if (layer == (size_t)-1) {
            snprintf(s->where, sizeof s->where, "%.200s", what);
        } else {
            snprintf(s->where, sizeof s->where, "tag %.200s, layer %zu", what,
                     layer);
        }
    }
    return s;
}

static void sig_fail(dd_trust_sig *s, dd_trust_check c, const char *msg)
{
    s->res.failed = c;
    snprintf(s->res.message, sizeof s->res.message, "%.500s", msg);
}

/* A cosign signature with nothing to check it against. */
static void unchecked(dd_trust_sig *s)
{
    s->unchecked = 1;
    sig_fail(s, DD_TRUST_CHAIN,
             "not checked: no --key, or --certificate-identity and "
             "--certificate-oidc-issuer, for cosign signatures");
}

static void check_simplesign(ictx *c, json_t *layer, dd_trust_sig *s)
{
    json_t *ann = json_object_get(layer, "annotations");
    const char *ld = json_string_value(json_object_get(layer, "digest"));
    const char *sig = json_string_value(
        json_object_get(ann, "dev.cosignproject.cosign/signature"));
    char *p = NULL;
    size_t pl = 0;
    dd_error e = {0};
    if (!ld || !sig) {
        sig_fail(s, DD_TRUST_BUNDLE,
                 "layer has no digest or no "
                 "dev.cosignproject.cosign/signature annotation");
        return;
    }
    if (src_blob(&c->src, ld, MAX_PAYLOAD, &p, &pl, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
        return;
    }
    uint8_t h[32];
    EVP_Digest(p, pl, h, NULL, EVP_sha256(), NULL);
    char *h64 = dd__trust_b64enc(h, 32);
    json_t *vm = material(ann, c->pol);
    json_t *ms =
        h64 ? json_pack("{s:{s:s, s:s}, s:s}", "messageDigest", "algorithm",
                        "SHA2_256", "digest", h64, "signature", sig)
            : NULL;
    char *bt = vm && ms ? bundle_text(vm, "messageSignature", ms) : NULL;
    dd__free(h64);
    if (!bt) {
        sig_fail(s, DD_TRUST_BUNDLE, "out of memory");
        free(bt); /* json_dumps() result: jansson's allocator */
        dd__free(p);
        return;
    }
    if (dd_trust_verify_bundle(c->root, bt, strlen(bt), (uint8_t *)p, pl, h,
                               c->pol, &s->res, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
    } else if (s->res.failed == DD_TRUST_OK) {
        /* the signature is good: now what does it sign? */
        dd__simplesign ss;
        if (dd__trust_simplesign_parse(p, pl, &ss, &e)) {
            sig_fail(s, DD_TRUST_BUNDLE, e.message);
        } else {
            snprintf(s->reference, sizeof s->reference, "%s", ss.reference);
            if (strcmp(ss.type, "cosign container image signature") != 0) {
                char m[300];
                snprintf(m, sizeof m,
                         "simple-signing payload has critical.type \"%.100s\", "
                         "not a cosign container image signature",
                         ss.type);
                sig_fail(s, DD_TRUST_ARTIFACT, m);
            } else if (strcmp(ss.digest, c->out->digest) != 0) {
                char m[400];
                char *pd = dd__printable(ss.digest, 80);
                snprintf(m, sizeof m,
                         "the signature is for another image: payload names "
                         "%s, the image is %s",
                         pd ? pd : "?", c->out->digest);
                dd__free(pd);
                sig_fail(s, DD_TRUST_ARTIFACT, m);
            }
        }
    }
    free(bt); /* json_dumps() result: jansson's allocator */
    dd__free(p);
}

static void check_dsse(ictx *c, json_t *layer, dd_trust_sig *s)
{
    json_t *ann = json_object_get(layer, "annotations");
    const char *ld = json_string_value(json_object_get(layer, "digest"));
    char *p = NULL;
    size_t pl = 0;
    dd_error e = {0};
    json_t *env = NULL;
    if (!ld || src_blob(&c->src, ld, MAX_PAYLOAD, &p, &pl, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, ld ? e.message : "layer has no digest");
        return;
    }
    if (dd__json_parse(&env, p, pl, MAX_PAYLOAD, "DSSE envelope", &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
        dd__free(p);
        return;
    }
    dd__free(p);
    /* cosign's DSSE signatures carry "sig" (and "keyid"), as the bundle */
    json_t *vm = material(ann, c->pol);
    char *bt = vm ? bundle_text(vm, "dsseEnvelope", env) : NULL;
    if (!bt) {
        sig_fail(s, DD_TRUST_BUNDLE, "out of memory");
        return;
    }
    if (dd_trust_verify_bundle(c->root, bt, strlen(bt), NULL, 0, c->digest,
                               c->pol, &s->res, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
    }
    free(bt); /* json_dumps() result: jansson's allocator */
}

/* The cosign tag `sha256-<hex><suffix>`: 0 (absent is fine), or an error
 * reading the registry. */
static int legacy_tag(ictx *c, const char *suffix, dd_trust_sig_kind kind)
{
    char tag[128];
    snprintf(tag, sizeof tag, "sha256-%s%s", c->out->digest + 7, suffix);
    char *m = NULL;
    size_t ml = 0;
    dd_error e = {0};
    int rc = src_manifest(&c->src, tag, &m, &ml, &e);
    if (rc == DD_ENOTFOUND) {
        return 0;
    }
    if (rc) {
        return dd__error_set(c->err, rc, "%s", e.message);
    }
    json_t *j = NULL;
    rc = dd__json_parse(&j, m, ml, MAX_MANIFEST, tag, &e);
    dd__free(m);
    json_t *layers = json_object_get(j, "layers");
    if (rc || !json_is_array(layers)) {
        dd_trust_sig *s = add_sig(c, kind, tag, (size_t)-1);
        if (s) {
            sig_fail(s, DD_TRUST_BUNDLE,
                     rc ? e.message : "signature manifest has no layers");
        }
        json_decref(j);
        return 0;
    }
    const char *want = kind == DD_TRUST_SIG_COSIGN ? MT_SIMPLESIGN : MT_DSSE;
    for (size_t i = 0; i < json_array_size(layers); i++) {
        json_t *l = json_array_get(layers, i);
        const char *mt = json_string_value(json_object_get(l, "mediaType"));
        if (!mt || strcmp(mt, want) != 0) {
            continue;
        }
        dd_trust_sig *s = add_sig(c, kind, tag, i);
        if (!s) {
            break;
        }
        if (!c->cosign) {
            unchecked(s);
        } else if (kind == DD_TRUST_SIG_COSIGN) {
            check_simplesign(c, l, s);
        } else {
            check_dsse(c, l, s);
        }
    }
    json_decref(j);
    return 0;
}

/* A referrer manifest (digest `d`) as a new signature record of `kind`
 * (*sp) and its parsed JSON; NULL when out of memory or unreadable (the
 * record then says why). */
static json_t *
open_referrer(ictx *c, const char *d, dd_trust_sig_kind kind, dd_trust_sig **sp)
{
    char what[120];
    snprintf(what, sizeof what, "referrer %.80s", d);
    dd_trust_sig *s = *sp = add_sig(c, kind, what, (size_t)-1);
    if (!s) {
        return NULL;
    }
    char *m = NULL;
    size_t ml = 0;
    dd_error e = {0};
    json_t *j = NULL;
    if (src_manifest(&c->src, d, &m, &ml, &e) ||
        dd__json_parse(&j, m, ml, MAX_MANIFEST, d, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
        j = NULL;
    }
    dd__free(m);
    return j;
}

/* One referrer manifest (digest `d`) that holds a Sigstore bundle. */
static void check_referrer(ictx *c, const char *d)
{
    dd_trust_sig *s = NULL;
    json_t *j = open_referrer(c, d, DD_TRUST_SIG_BUNDLE, &s);
    if (!j) {
        return;
    }
    char *b = NULL;
    size_t bl = 0;
    dd_error e = {0};
    const char *sd = json_string_value(
        json_object_get(json_object_get(j, "subject"), "digest"));
    json_t *l0 = json_array_get(json_object_get(j, "layers"), 0);
    const char *ld = json_string_value(json_object_get(l0, "digest"));
    if (!sd || strcmp(sd, c->out->digest) != 0) {
        sig_fail(s, DD_TRUST_ARTIFACT,
                 "the referrer's subject is not this image");
    } else if (!c->cosign) {
        unchecked(s);
    } else if (!ld) {
        sig_fail(s, DD_TRUST_BUNDLE, "the referrer has no bundle layer");
    } else if (src_blob(&c->src, ld, DD_TRUST_MAX_JSON, &b, &bl, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
    } else {
        if (dd_trust_verify_bundle(c->root, b, bl, NULL, 0, c->digest, c->pol,
                                   &s->res, &e)) {
            sig_fail(s, DD_TRUST_BUNDLE, e.message);
        }
        if (s->res.payload_type[0]) {
            s->kind = DD_TRUST_SIG_ATTESTATION;
        }
        dd__free(b);
    }
    json_decref(j);
}

static int is_bundle_type(const char *t)
{
    return t && strncmp(t, BUNDLE_PREFIX, sizeof BUNDLE_PREFIX - 1) == 0;
}

/* One Notation signature manifest (digest `d`): its subject must be the
 * image, its one layer a JWS or COSE envelope. */
static void check_notation(ictx *c, const char *d)
{
    dd_trust_sig *s = NULL;
    json_t *j = open_referrer(c, d, DD_TRUST_SIG_NOTATION_JWS, &s);
    if (!j) {
        return;
    }
    char *b = NULL;
    size_t bl = 0;
    dd_error e = {0};
    json_t *sub = json_object_get(j, "subject");
    const char *sd = json_string_value(json_object_get(sub, "digest"));
    json_t *ls = json_object_get(j, "layers");
    json_t *l0 = json_array_get(ls, 0);
    const char *ld = json_string_value(json_object_get(l0, "digest"));
    const char *lmt = json_string_value(json_object_get(l0, "mediaType"));
    int cose = lmt && strcmp(lmt, "application/cose") == 0;
    if (cose) {
        s->kind = DD_TRUST_SIG_NOTATION_COSE;
    }
    if (!sd || strcmp(sd, c->out->digest) != 0) {
        sig_fail(s, DD_TRUST_ARTIFACT,
                 "notation: the signature manifest's subject is not this "
                 "image");
    } else if (json_array_size(ls) != 1 || !ld || !lmt ||
               (!cose && strcmp(lmt, "application/jose+json") != 0)) {
        sig_fail(s, DD_TRUST_BUNDLE,
                 "notation: the signature manifest needs one layer of type "
                 "application/jose+json or application/cose");
    } else if (src_blob(&c->src, ld, DD_TRUST_MAX_JSON, &b, &bl, &e)) {
        sig_fail(s, DD_TRUST_BUNDLE, e.message);
    } else {
        dd__notation_want w;
        memset(&w, 0, sizeof w);
        w.media_type = c->src.img_mt[0] ? c->src.img_mt : NULL;
        w.digest = c->out->digest;
        w.size = c->src.img_size;
        w.store = c->nstore;
        w.identity = c->pol->notation_identity;
        w.now = c->pol->now ? c->pol->now : (int64_t)time(NULL);
        dd__notation_verify((const uint8_t *)b, bl, cose, &w, &s->res);
        if (!c->nstore && s->res.failed == DD_TRUST_CHAIN) {
            s->unchecked = 1;
        }
        dd__free(b);
    }
    json_decref(j);
}

/* A referrer descriptor: a Sigstore bundle or a Notation signature. */
static void check_any(ictx *c, json_t *x)
{
    const char *at = json_string_value(json_object_get(x, "artifactType"));
    const char *d = json_string_value(json_object_get(x, "digest"));
    if (d && is_bundle_type(at)) {
        check_referrer(c, d);
    } else if (d && at && strcmp(at, NOTATION_SIG) == 0) {
        check_notation(c, d);
    }
}

/* Referrers: the API, else the referrers tag; in a layout, every index
 * entry whose manifest has this image as subject. */
static int referrers(ictx *c)
{
    char *m = NULL;
    size_t ml = 0;
    dd_error e = {0};
    json_t *j = NULL;
    int rc = 0;
    if (c->src.layout) {
        json_t *ms = json_object_get(c->src.index, "manifests");
        for (size_t i = 0; i < json_array_size(ms); i++) {
            check_any(c, json_array_get(ms, i));
        }
        return 0;
    }
    char p[DD_REF_MAX + 160];
    snprintf(p, sizeof p, "%s/referrers/%s", c->src.ref.repo, c->out->digest);
    rc = dd__registry_get(c->src.reg, p,
                          "application/vnd.oci.image.index.v1+json",
                          MAX_MANIFEST, &m, &ml, NULL, 0, &e);
    if (rc == DD_ENOTFOUND) {
        char tag[80];
        snprintf(tag, sizeof tag, "sha256-%s", c->out->digest + 7);
        rc = src_manifest(&c->src, tag, &m, &ml, &e);
    }
    if (rc == DD_ENOTFOUND) {
        return 0;
    }
    if (rc) {
        return dd__error_set(c->err, rc, "%s", e.message);
    }
    if (dd__json_parse(&j, m, ml, MAX_MANIFEST, "referrers index", &e)) {
        dd__free(m);
        return dd__error_set(c->err, DD_ECORRUPT, "%s", e.message);
    }
    dd__free(m);
    json_t *ms = json_object_get(j, "manifests");
    for (size_t i = 0; i < json_array_size(ms); i++) {
        check_any(c, json_array_get(ms, i));
    }
    json_decref(j);
    return 0;
}

static void verdict(ictx *c)
{
    dd_trust_image *o = c->out;
    const dd_trust_sig *first_bad = NULL, *good = NULL, *first_unchecked = NULL;
    for (size_t i = 0; i < o->n; i++) {
        const dd_trust_sig *s = &o->sigs[i];
        if (s->kind == DD_TRUST_SIG_ATTESTATION) {
            continue;
        }
        if (s->res.failed == DD_TRUST_OK) {
            good = good ? good : s;
        } else if (!s->unchecked) {
            first_bad = first_bad ? first_bad : s;
        } else {
            first_unchecked = first_unchecked ? first_unchecked : s;
        }
    }
    first_bad = first_bad ? first_bad : first_unchecked;
    if (good) {
        o->verified = 1;
        snprintf(o->message, sizeof o->message, "verified %s (%.200s)%s%.300s",
                 o->digest, good->where, good->res.identity[0] ? ": " : "",
                 good->res.identity);
    } else if (first_bad) {
        o->failed = first_bad->res.failed;
        snprintf(o->message, sizeof o->message, "%s: %.150s: %.400s", o->digest,
                 first_bad->where, first_bad->res.message);
    } else {
        snprintf(o->message, sizeof o->message,
                 "%s: no signature found (no cosign sha256-<hex>.sig tag, no "
                 "Sigstore bundle or Notation referrer; Docker Content Trust "
                 "/ Notary v1 signatures are not checked: Notary v1 is "
                 "retired)%s",
                 o->digest,
                 c->pol->dct ? "; Docker Content Trust was asked for, but "
                               "Notary v1 is retired: the image counts as "
                               "unsigned"
                             : "");
    }
    if (!o->verified && c->pol->dct && first_bad) {
        size_t l = strlen(o->message);
        snprintf(o->message + l, sizeof o->message - l, "%s",
                 "; Docker Content Trust (Notary v1) is retired and not "
                 "checked");
    }
}

int dd_trust_verify_image(dd_trust_image **out,
                          const char *image,
                          const char *tag,
                          const dd_registry_opts *ropts,
                          const dd_trust_root *root,
                          const dd_trust_policy *pol,
                          dd_error *err)
{
    if (!out || !image || !pol ||
        (!pol->key_pem && (!pol->identity || !pol->issuer) &&
         !pol->trust_store && !pol->dct)) {
        return dd__error_set(err, DD_EINVALID,
                             "verify: need an image and a key, an identity "
                             "and issuer, a Notation trust store, or dct");
    }
    *out = NULL;
    ictx c;
    memset(&c, 0, sizeof c);
    c.root = root;
    c.pol = pol;
    c.err = err;
    c.cosign = pol->key_pem || (pol->identity && pol->issuer);
    if (pol->trust_store) {
        int lrc = dd__notation_store_load(&c.nstore, pol->trust_store, err);
        if (lrc) {
            return lrc;
        }
    }
    dd__vec_init(&c.sigs, sizeof(dd_trust_sig));
    dd_trust_image *o = dd__calloc(1, sizeof *o);
    if (!o) {
        dd__notation_store_free(c.nstore);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    c.out = o;
    esc_copy(o->image, sizeof o->image, image);
    int rc = src_open(&c.src, image, tag, ropts, o->digest, err);
    if (!rc) {
        size_t n = 0;
        unhex(o->digest + 7, c.digest, 32, &n);
        rc = legacy_tag(&c, ".sig", DD_TRUST_SIG_COSIGN);
    }
    if (!rc) {
        rc = legacy_tag(&c, ".att", DD_TRUST_SIG_ATTESTATION);
    }
    if (!rc) {
        rc = referrers(&c);
    }
    src_close(&c.src);
    dd__notation_store_free(c.nstore);
    if (rc) {
        dd__vec_free(&c.sigs);
        dd__free(o);
        return rc;
    }
    o->sigs = c.sigs.items;
    o->n = c.sigs.len;
    verdict(&c);
    *out = o;
    return 0;
}

void dd_trust_image_free(dd_trust_image *r)
{
    if (r) {
        dd__free(r->sigs);
        dd__free(r);
    }
}

static int untrusted_check(dd_trust_check k)
{
    return k == DD_TRUST_CHAIN || k == DD_TRUST_IDENTITY ||
           k == DD_TRUST_ISSUER || k == DD_TRUST_EXTENSION;
}

int dd_trust_image_findings(const dd_trust_image *r,
                            int want_attestation,
                            dd_findings **out,
                            dd_error *err)
{
    dd_findings *l = dd__findings_new();
    if (!l) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__finding_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = DD_KIND_TRUST;
    sp.layer = -1;
    sp.history = -1;
    sp.layer_digest = r->digest;
    int rc = 0;
    if (!r->verified) {
        size_t found = 0;
        for (size_t i = 0; i < r->n; i++) {
            found += r->sigs[i].kind != DD_TRUST_SIG_ATTESTATION;
        }
        if (!found) {
            sp.rule_id = "trust.unsigned";
            sp.severity = DD_SEV_HIGH;
            rc =
                dd__findings_add(l, &sp, "image is not signed: %s", r->message);
        } else if (untrusted_check(r->failed)) {
            sp.rule_id = "trust.signer-untrusted";
            sp.severity = DD_SEV_HIGH;
            rc = dd__findings_add(l, &sp,
                                  "image signed by an untrusted "
                                  "signer: %s",
                                  r->message);
        } else {
            sp.rule_id = "trust.signature-invalid";
            sp.severity = DD_SEV_CRITICAL;
            rc = dd__findings_add(l, &sp, "image signature does not verify: %s",
                                  r->message);
        }
    }
    if (!rc && want_attestation) {
        int ok = 0;
        for (size_t i = 0; i < r->n; i++) {
            ok |= r->sigs[i].kind == DD_TRUST_SIG_ATTESTATION &&
                  r->sigs[i].res.failed == DD_TRUST_OK;
        }
        if (!ok) {
            sp.rule_id = "trust.attestation-missing";
            sp.severity = DD_SEV_MEDIUM;
            rc = dd__findings_add(l, &sp, "no verified attestation for %s",
                                  r->digest);
        }
    }
    if (rc) {
        dd_findings_free(l);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    *out = l;
    return 0;
}
