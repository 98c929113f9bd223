/*
 * util/sha256.h - streaming SHA-256 (OpenSSL EVP; uses SHA-NI/AVX2 code
 * paths when the CPU has them). A dd_sha256 is owned by whoever created it
 * and freed with dd__sha256_free (NULL ok). Not thread-safe per object.
 */
#ifndef DD_SHA256_H
#define DD_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct dd_sha256 dd_sha256;

dd_sha256 *dd__sha256_new(void); /* NULL on ENOMEM */
void dd__sha256_reset(dd_sha256 *h);
void dd__sha256_update(dd_sha256 *h, const void *data, size_t len);
/* Writes "sha256:" + 64 hex + NUL (72 bytes) and resets the state. */
void dd__sha256_final_digest(dd_sha256 *h, char out[72]);
void dd__sha256_free(dd_sha256 *h);
/* One-shot helper. */
void dd__sha256_digest(const void *data, size_t len, char out[72]);

#endif
