/*
 * lib/formats/decompress.h - streaming decompression front end.
 *
 * The format is sniffed from the first bytes, never from a media type:
 * gzip (1f 8b, ISA-L igzip, multi-member), zstd (28 b5 2f fd, libzstd,
 * multi-frame, skippable frames), anything else is passed through as a
 * plain tar. bzip2/xz magic is recognised and reported as unsupported.
 *
 * Output goes to a callback in chunks of at most DD_DECOMP_CHUNK bytes.
 * Problems are reported through the anomaly callback (rule id + offset in
 * the compressed stream) and end the stream with DD_ECORRUPT:
 * "archive.corrupt-stream" (invalid data, bad CRC), "archive.truncated"
 * (stream ends early, from dd__decomp_finish) and "archive.trailing-data"
 * (bytes after the last member that are not another member; reported, not
 * fatal: the tar data already produced stands) and "archive.empty-stream"
 * (a gzip or zstd stream that decompresses to nothing, e.g. one skippable
 * frame; reported, not fatal).
 *
 * Ownership: the dd_decomp is owned by its creator (dd__decomp_free, NULL
 * ok); it never keeps pointers to input or output beyond a call.
 */
#ifndef DD_DECOMPRESS_H
#define DD_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/finding.h"
#include "anomaly.h"
#include "drydock/image.h"

#define DD_DECOMP_CHUNK (1u << 20)

typedef struct dd_decomp dd_decomp;

typedef struct dd__decomp_callbacks {
    /* non-zero return aborts and is passed back */
    int (*output)(void *payload, const uint8_t *p, size_t n);
    dd_anomaly_fn anomaly;
    void *payload;
} dd__decomp_callbacks;

dd_decomp *dd__decomp_new(const dd__decomp_callbacks *cb);
/* Sniff from the first bytes (up to 6 are looked at). */
dd_compression dd__decomp_sniff(const uint8_t *p, size_t n);
int dd__decomp_feed(dd_decomp *d, const uint8_t *in, size_t len);
int dd__decomp_finish(dd_decomp *d);
dd_compression dd__decomp_kind(const dd_decomp *d);
void dd__decomp_free(dd_decomp *d);

#endif
