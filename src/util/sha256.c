/*
 * util/sha256.c - SHA-256 through OpenSSL's EVP interface.
 */
#include <string.h>

#include <openssl/evp.h>

#include "sha256.h"
#include "util.h"

struct dd_sha256 {
    EVP_MD_CTX *ctx;
};

dd_sha256 *dd__sha256_new(void)
{
    dd_sha256 *h = dd__calloc(1, sizeof *h);
    if (!h) {
        return NULL;
    }
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
        dd__sha256_free(h);
        return NULL;
    }
    return h;
}

void dd__sha256_reset(dd_sha256 *h)
{
    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
}

void dd__sha256_update(dd_sha256 *h, const void *data, size_t len)
{
    if (len) {
        EVP_DigestUpdate(h->ctx, data, len);
    }
}

void dd__sha256_final_digest(dd_sha256 *h, char out[72])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    memcpy(out, "sha256:", 7);
    dd__hex(md, 32, out + 7);
    dd__sha256_reset(h);
}

void dd__sha256_free(dd_sha256 *h)
{
    if (h) {
        EVP_MD_CTX_free(h->ctx);
        dd__free(h);
    }
}

void dd__sha256_digest(const void *data, size_t len, char out[72])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    memcpy(out, "sha256:", 7);
    dd__hex(md, 32, out + 7);
}
