/*
 * trust/root.c - Sigstore trusted_root.json: transparency-log and CT-log
 * keys, Fulcio CA chains and TSA chains, each with its validity window.
 */
#include <string.h>

#include <openssl/x509.h>

#include "trust_int.h"

extern const char dd__trust_builtin_root[];

static int64_t window(json_t *o, const char *which)
{
    json_t *vf = json_object_get(o, "validFor");
    const char *s = json_string_value(json_object_get(vf, which));
    return s ? dd__trust_time(s) : 0;
}

static void free_keys(dd__vec *v)
{
    for (size_t i = 0; i < v->len; i++) {
        EVP_PKEY_free(DD_VEC_AT(v, dd__trust_key, i)->key);
    }
    dd__vec_free(v);
}

static void free_cas(dd__vec *v)
{
    for (size_t i = 0; i < v->len; i++) {
        sk_X509_pop_free(DD_VEC_AT(v, dd__trust_ca, i)->chain, X509_free);
    }
    dd__vec_free(v);
}

void dd_trust_root_free(dd_trust_root *r)
{
    if (!r) {
        return;
    }
    free_keys(&r->tlogs);
    free_keys(&r->ctlogs);
    free_cas(&r->cas);
    free_cas(&r->tsas);
    dd__free(r);
}

static int
parse_keys(json_t *arr, const char *name, dd__vec *out, dd_error *err)
{
    if (!arr) {
        return 0;
    }
    if (!json_is_array(arr)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "trusted root: %s is not an array", name);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        json_t *pk = json_object_get(e, "publicKey");
        const char *raw = json_string_value(json_object_get(pk, "rawBytes"));
        const char *id = json_string_value(
            json_object_get(json_object_get(e, "logId"), "keyId"));
        size_t n = 0, idn = 0;
        uint8_t *der = raw ? dd__trust_b64dec(raw, &n) : NULL;
        const unsigned char *p = der;
        EVP_PKEY *key = der ? d2i_PUBKEY(NULL, &p, (long)n) : NULL;
        dd__free(der);
        if (!key) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "trusted root: %s[%zu]: bad public key", name,
                                 i);
        }
        dd__trust_key *k = dd__vec_push(out);
        if (!k) {
            EVP_PKEY_free(key);
            return DD_ENOMEM;
        }
        k->key = key;
        uint8_t *idb = id ? dd__trust_b64dec(id, &idn) : NULL;
        if (idb && idn <= sizeof k->id) {
            memcpy(k->id, idb, idn);
            k->id_len = idn;
        }
        dd__free(idb);
        k->start = window(pk, "start");
        k->end = window(pk, "end");
    }
    return 0;
}

static int parse_cas(json_t *arr, const char *name, dd__vec *out, dd_error *err)
{
    if (!arr) {
        return 0;
    }
    if (!json_is_array(arr)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "trusted root: %s is not an array", name);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *e = json_array_get(arr, i);
        json_t *certs =
            json_object_get(json_object_get(e, "certChain"), "certificates");
        if (!json_is_array(certs) || json_array_size(certs) == 0) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "trusted root: %s[%zu]: no certChain", name,
                                 i);
        }
        dd__trust_ca *ca = dd__vec_push(out);
        if (!ca || !(ca->chain = sk_X509_new_null())) {
            return DD_ENOMEM;
        }
        ca->start = window(e, "start");
        ca->end = window(e, "end");
        for (size_t j = 0; j < json_array_size(certs); j++) {
            const char *raw = json_string_value(
                json_object_get(json_array_get(certs, j), "rawBytes"));
            size_t n = 0;
            uint8_t *der = raw ? dd__trust_b64dec(raw, &n) : NULL;
            const unsigned char *p = der;
            X509 *x = der ? d2i_X509(NULL, &p, (long)n) : NULL;
            dd__free(der);
            if (!x) {
                return dd__error_set(
                    err, DD_ECORRUPT,
                    "trusted root: %s[%zu]: certificate %zu does not parse",
                    name, i, j);
            }
            if (!sk_X509_push(ca->chain, x)) {
                X509_free(x);
                return DD_ENOMEM;
            }
        }
    }
    return 0;
}

int dd_trust_root_parse(dd_trust_root **out,
                        const char *json,
                        size_t len,
                        dd_error *err)
{
    *out = NULL;
    json_t *j = NULL;
    int prc =
        dd__json_parse(&j, json, len, DD_TRUST_MAX_JSON, "trusted root", err);
    if (prc || !json_is_object(j)) {
        json_decref(j);
        return prc ? prc
                   : dd__error_set(err, DD_ECORRUPT,
                                   "trusted root: not a JSON object");
    }
    dd_trust_root *r = dd__calloc(1, sizeof *r);
    if (!r) {
        json_decref(j);
        return DD_ENOMEM;
    }
    dd__vec_init(&r->tlogs, sizeof(dd__trust_key));
    dd__vec_init(&r->ctlogs, sizeof(dd__trust_key));
    dd__vec_init(&r->cas, sizeof(dd__trust_ca));
    dd__vec_init(&r->tsas, sizeof(dd__trust_ca));
    int rc = parse_keys(json_object_get(j, "tlogs"), "tlogs", &r->tlogs, err);
    if (rc == 0) {
        rc =
            parse_keys(json_object_get(j, "ctlogs"), "ctlogs", &r->ctlogs, err);
    }
    if (rc == 0) {
        rc = parse_cas(json_object_get(j, "certificateAuthorities"),
                       "certificateAuthorities", &r->cas, err);
    }
    if (rc == 0) {
        rc = parse_cas(json_object_get(j, "timestampAuthorities"),
                       "timestampAuthorities", &r->tsas, err);
    }
    json_decref(j);
    if (rc) {
        if (rc == DD_ENOMEM) {
            dd__error_set(err, rc, "trusted root: out of memory");
        }
        dd_trust_root_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int dd_trust_root_load(dd_trust_root **out, const char *path, dd_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = dd__file_read(path, DD_TRUST_MAX_JSON, &buf, &len);
    if (rc) {
        return dd__error_set(err, rc, "%s: cannot read trusted root (%s)", path,
                             dd_strerror(rc));
    }
    rc = dd_trust_root_parse(out, buf, len, err);
    dd__free(buf);
    return rc;
}

int dd_trust_root_builtin(dd_trust_root **out, dd_error *err)
{
    return dd_trust_root_parse(out, dd__trust_builtin_root,
                               strlen(dd__trust_builtin_root), err);
}
