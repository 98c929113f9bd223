/*
 * trust/canon.c - RFC 8785 canonical JSON, RFC 6962 Merkle inclusion
 * proofs, DSSE PAE, base64 and signature primitives for the trust module.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ec.h>

#include "trust_int.h"

/* ---- RFC 8785 ---------------------------------------------------- */

/* Next UTF-16 code unit sequence of a UTF-8 string: returns the number
 * of units (1 or 2) written to u, advancing *p; 0 at the end. Invalid
 * bytes are taken as themselves (jansson has already checked UTF-8). */
static int
utf16_next(const unsigned char **p, const unsigned char *end, unsigned u[2])
{
    const unsigned char *s = *p;
    if (s >= end) {
        return 0;
    }
    unsigned cp = s[0];
    size_t n = 1;
    if (cp >= 0xf0 && end - s >= 4) {
        cp = ((cp & 7u) << 18) | ((s[1] & 63u) << 12) | ((s[2] & 63u) << 6) |
             (s[3] & 63u);
        n = 4;
    } else if (cp >= 0xe0 && end - s >= 3) {
        cp = ((cp & 15u) << 12) | ((s[1] & 63u) << 6) | (s[2] & 63u);
        n = 3;
    } else if (cp >= 0xc0 && end - s >= 2) {
        cp = ((cp & 31u) << 6) | (s[1] & 63u);
        n = 2;
    }
    *p = s + n;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        u[0] = 0xd800 + (cp >> 10);
        u[1] = 0xdc00 + (cp & 0x3ff);
        return 2;
    }
    u[0] = cp;
    return 1;
}

static int utf16_cmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a, *ea = pa + strlen(a);
    const unsigned char *pb = (const unsigned char *)b, *eb = pb + strlen(b);
    unsigned ua[2], ub[2];
    int na = 0, nb = 0, ia = 0, ib = 0;
    for (;;) {
        if (ia == na) {
            na = utf16_next(&pa, ea, ua);
            ia = 0;
        }
        if (ib == nb) {
            nb = utf16_next(&pb, eb, ub);
            ib = 0;
        }
        if (na == 0 || nb == 0) {
            return (na != 0) - (nb != 0);
        }
        if (ua[ia] != ub[ib]) {
            return ua[ia] < ub[ib] ? -1 : 1;
        }
        ia++;
        ib++;
    }
}

static int key_cmp(const void *a, const void *b)
{
    return utf16_cmp(*(const char *const *)a, *(const char *const *)b);
}

static int canon_string(const char *s, size_t len, dd__buf *b)
{
    int rc = dd__buf_add(b, "\"", 1);
    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            rc = dd__buf_add(b, "\\\"", 2);
            break;
        case '\\':
            rc = dd__buf_add(b, "\\\\", 2);
            break;
        case '\b':
            rc = dd__buf_add(b, "\\b", 2);
            break;
        case '\f':
            rc = dd__buf_add(b, "\\f", 2);
            break;
        case '\n':
            rc = dd__buf_add(b, "\\n", 2);
            break;
        case '\r':
            rc = dd__buf_add(b, "\\r", 2);
            break;
        case '\t':
            rc = dd__buf_add(b, "\\t", 2);
            break;
        default:
            if (c < 0x20) {
                rc = dd__buf_printf(b, "\\u%04x", c);
            } else {
                rc = dd__buf_add(b, &s[i], 1);
            }
        }
    }
    return rc ? rc : dd__buf_add(b, "\"", 1);
}

/* ECMAScript Number.prototype.toString for a finite double. */
static int canon_real(double d, dd__buf *b)
{
    if (!isfinite(d)) {
        return DD_EUNSUPPORTED;
    }
    if (d == 0) {
        return dd__buf_add(b, "0", 1);
    }
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) {
            break;
        }
    }
    /* tmp is "[-]D.DDDDe[+-]XX": digits and exponent */
    char digits[24];
    size_t nd = 0;
    const char *p = tmp;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (; *p && *p != 'e'; p++) {
        if (*p != '.') {
            digits[nd++] = *p;
        }
    }
    while (nd > 1 && digits[nd - 1] == '0') {
        nd--;
    }
    int e = (int)strtol(p + 1, NULL, 10); /* value = 0.d * 10^(e+1) */
    int n = e + 1;
    int rc = neg ? dd__buf_add(b, "-", 1) : 0;
    if (rc) {
        return rc;
    }
    if ((int)nd <= n && n <= 21) {
        rc = dd__buf_add(b, digits, nd);
        for (int i = (int)nd; i < n && rc == 0; i++) {
            rc = dd__buf_add(b, "0", 1);
        }
    } else if (0 < n && n <= 21) {
        rc = dd__buf_add(b, digits, (size_t)n);
        if (rc == 0) {
            rc = dd__buf_add(b, ".", 1);
        }
        if (rc == 0) {
            rc = dd__buf_add(b, digits + n, nd - (size_t)n);
        }
    } else if (-6 < n && n <= 0) {
        rc = dd__buf_add(b, "0.", 2);
        for (int i = n; i < 0 && rc == 0; i++) {
            rc = dd__buf_add(b, "0", 1);
        }
        if (rc == 0) {
            rc = dd__buf_add(b, digits, nd);
        }
    } else {
        rc = dd__buf_add(b, digits, 1);
        if (rc == 0 && nd > 1) {
            rc = dd__buf_add(b, ".", 1);
            if (rc == 0) {
                rc = dd__buf_add(b, digits + 1, nd - 1);
            }
        }
        if (rc == 0) {
            rc = dd__buf_printf(b, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
        }
    }
    return rc;
}

int dd__trust_canon_json(const json_t *v, dd__buf *b)
{
    int rc = 0;
    switch (json_typeof(v)) {
    case JSON_NULL:
        return dd__buf_add(b, "null", 4);
    case JSON_TRUE:
        return dd__buf_add(b, "true", 4);
    case JSON_FALSE:
        return dd__buf_add(b, "false", 5);
    case JSON_INTEGER:
        return dd__buf_printf(b, "%lld", (long long)json_integer_value(v));
    case JSON_REAL:
        return canon_real(json_real_value(v), b);
    case JSON_STRING:
        return canon_string(json_string_value(v), json_string_length(v), b);
    case JSON_ARRAY: {
        rc = dd__buf_add(b, "[", 1);
        for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
            if (i) {
                rc = dd__buf_add(b, ",", 1);
            }
            if (rc == 0) {
                rc = dd__trust_canon_json(json_array_get(v, i), b);
            }
        }
        return rc ? rc : dd__buf_add(b, "]", 1);
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = dd__calloc(n ? n : 1, sizeof *keys);
        if (!keys) {
            return DD_ENOMEM;
        }
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)v, k, val)
        {
            keys[i++] = k;
        }
        qsort(keys, n, sizeof *keys, key_cmp);
        rc = dd__buf_add(b, "{", 1);
        for (i = 0; rc == 0 && i < n; i++) {
            if (i) {
                rc = dd__buf_add(b, ",", 1);
            }
            if (rc == 0) {
                rc = canon_string(keys[i], strlen(keys[i]), b);
            }
            if (rc == 0) {
                rc = dd__buf_add(b, ":", 1);
            }
            if (rc == 0) {
                rc = dd__trust_canon_json(json_object_get(v, keys[i]), b);
            }
        }
        dd__free(keys);
        return rc ? rc : dd__buf_add(b, "}", 1);
    }
    }
    return DD_EUNSUPPORTED;
}

/* ---- RFC 6962 ---------------------------------------------------- */

/* SHA-256 of prefix || a || b (b may be NULL). */
static void hash3(uint8_t prefix,
                  const uint8_t *a,
                  size_t alen,
                  const uint8_t *b,
                  size_t blen,
                  uint8_t out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(c, &prefix, 1) != 1 ||
        EVP_DigestUpdate(c, a, alen) != 1 ||
        (b && EVP_DigestUpdate(c, b, blen) != 1) ||
        EVP_DigestFinal_ex(c, out, NULL) != 1) {
        memset(out, 0, 32); /* never matches a real root */
    }
    EVP_MD_CTX_free(c);
}

void dd__trust_leaf_hash(const uint8_t *data, size_t len, uint8_t out[32])
{
    hash3(0, data, len, NULL, 0, out);
}

static void node_hash(const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    uint8_t tmp[32];
    hash3(1, l, 32, r, 32, tmp);
    memcpy(out, tmp, 32);
}

int dd__trust_merkle_verify(const uint8_t leaf[32],
                            uint64_t index,
                            uint64_t size,
                            const uint8_t (*proof)[32],
                            size_t n,
                            const uint8_t root[32])
{
    if (index >= size) {
        return 0;
    }
    uint64_t fn = index, sn = size - 1;
    uint8_t r[32];
    memcpy(r, leaf, 32);
    for (size_t i = 0; i < n; i++) {
        if (sn == 0) {
            return 0;
        }
        if ((fn & 1) || fn == sn) {
            node_hash(proof[i], r, r);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            node_hash(r, proof[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp(r, root, 32) == 0;
}

/* ---- DSSE ---------------------------------------------------------- */

int dd__trust_pae(const char *type,
                  const uint8_t *body,
                  size_t body_len,
                  dd__buf *out)
{
    int rc =
        dd__buf_printf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, body_len);
    return rc ? rc : dd__buf_add(out, body, body_len);
}

/* ---- base64 -------------------------------------------------------- */

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

uint8_t *dd__trust_b64dec(const char *s, size_t *len)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '=') {
        n--;
    }
    uint8_t *out = dd__malloc(n / 4 * 3 + 3);
    if (!out) {
        return NULL;
    }
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) {
            dd__free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    if (bits >= 6) { /* a lone trailing character */
        dd__free(out);
        return NULL;
    }
    *len = o;
    return out;
}

char *dd__trust_b64enc(const uint8_t *in, size_t n)
{
    char *out = dd__malloc((n + 2) / 3 * 4 + 1);
    if (out) {
        EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    }
    return out;
}

/* ---- signatures ---------------------------------------------------- */

static const EVP_MD *key_md(EVP_PKEY *key)
{
    if (EVP_PKEY_is_a(key, "ED25519")) {
        return NULL;
    }
    if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) > 256) {
        return EVP_PKEY_get_bits(key) > 384 ? EVP_sha512() : EVP_sha384();
    }
    return EVP_sha256();
}

int dd__trust_verify_msg(EVP_PKEY *key,
                         const uint8_t *msg,
                         size_t len,
                         const uint8_t *sig,
                         size_t sig_len)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = 0;
    if (c && EVP_DigestVerifyInit(c, NULL, key_md(key), NULL, key) == 1) {
        ok = EVP_DigestVerify(c, sig, sig_len, msg, len) == 1;
    }
    EVP_MD_CTX_free(c);
    return ok;
}

int dd__trust_verify_digest(EVP_PKEY *key,
                            const uint8_t digest[32],
                            const uint8_t *sig,
                            size_t sig_len)
{
    if (EVP_PKEY_is_a(key, "ED25519")) {
        return 0;
    }
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    int ok = 0;
    if (c && EVP_PKEY_verify_init(c) == 1 &&
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1) {
        ok = EVP_PKEY_verify(c, sig, sig_len, digest, 32) == 1;
    }
    EVP_PKEY_CTX_free(c);
    return ok;
}

int64_t dd__trust_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *p = s;
    long v[6];
    const char sep[] = "--T::";
    for (int i = 0; i < 6; i++) {
        char *end;
        v[i] = strtol(p, &end, 10);
        if (end == p) {
            return -1;
        }
        p = end;
        if (i < 5) {
            if (*p != sep[i]) {
                return -1;
            }
            p++;
        }
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (strcmp(p, "Z") != 0) {
        return -1;
    }
    tm.tm_year = (int)v[0] - 1900;
    tm.tm_mon = (int)v[1] - 1;
    tm.tm_mday = (int)v[2];
    tm.tm_hour = (int)v[3];
    tm.tm_min = (int)v[4];
    tm.tm_sec = (int)v[5];
    return (int64_t)timegm(&tm);
}
