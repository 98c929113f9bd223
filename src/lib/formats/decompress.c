/*
 * lib/formats/decompress.c - gzip (ISA-L), zstd and plain pass-through.
 *
 * Why ISA-L: its igzip inflate runs 3-4x faster than zlib on the layers we
 * benchmark (bench/walk.sh) and streams, unlike libdeflate which needs the
 * whole member in memory.
 */
#include <stdio.h>
#include <string.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "decompress.h"
#include "../../util/util.h"

struct dd_decomp {
    dd__decomp_callbacks cb;
    dd_compression kind;
    int sniffed;
    uint8_t head[8]; /* bytes held until the format can be sniffed */
    size_t head_len;
    uint64_t in_pos; /* compressed bytes consumed */
    int failed, fail_code;
    int member_done; /* gzip: a member ended, waiting for the next */
    int trailing;    /* trailing garbage seen: ignore the rest */
    int any_output;
    struct inflate_state *gz;
    ZSTD_DCtx *zs;
    size_t zs_last; /* last ZSTD_decompressStream hint: 0 = frame end */
    uint8_t *out;
};

static void anomaly(dd_decomp *d,
                    const char *rule,
                    dd_severity sev,
                    uint64_t off,
                    const char *msg)
{
    if (d->cb.anomaly) {
        d->cb.anomaly(d->cb.payload, rule, sev, off, msg);
    }
}

static int fail(dd_decomp *d, int code)
{
    d->failed = 1;
    d->fail_code = code;
    return code;
}

dd_decomp *dd__decomp_new(const dd__decomp_callbacks *cb)
{
    dd_decomp *d = dd__calloc(1, sizeof *d);
    if (!d) {
        return NULL;
    }
    d->cb = *cb;
    d->out = dd__malloc(DD_DECOMP_CHUNK);
    if (!d->out) {
        dd__free(d);
        return NULL;
    }
    return d;
}

void dd__decomp_free(dd_decomp *d)
{
    if (!d) {
        return;
    }
    dd__free(d->gz);
    ZSTD_freeDCtx(d->zs);
    dd__free(d->out);
    dd__free(d);
}

dd_compression dd__decomp_kind(const dd_decomp *d)
{
    return d->kind;
}

dd_compression dd__decomp_sniff(const uint8_t *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        return DD_COMP_GZIP;
    }
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
        p[3] == 0xfd) {
        return DD_COMP_ZSTD;
    }
    /* a zstd skippable frame first is legal too */
    if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d &&
        p[3] == 0x18) {
        return DD_COMP_ZSTD;
    }
    return DD_COMP_NONE;
}

static int unsupported_magic(const uint8_t *p, size_t n)
{
    return (n >= 3 && memcmp(p, "BZh", 3) == 0) || (n >= 6 && memcmp(p,
                                                                     "\xfd"
                                                                     "7zXZ\0",
                                                                     6) == 0);
}

static int emit(dd_decomp *d, const uint8_t *p, size_t n)
{
    if (!n) {
        return 0;
    }
    d->any_output = 1;
    int rc = d->cb.output(d->cb.payload, p, n);
    return rc ? fail(d, rc) : 0;
}

static int gz_start_member(dd_decomp *d)
{
    isal_inflate_reset(d->gz);
    d->gz->crc_flag = ISAL_GZIP;
    d->member_done = 0;
    return 0;
}

static int gz_feed(dd_decomp *d, const uint8_t *in, size_t len)
{
    char msg[160];
    while (len && !d->trailing) {
        if (d->member_done) {
            /* another member must start with the gzip magic */
            if (len >= 2 ? (in[0] != 0x1f || in[1] != 0x8b) : in[0] != 0x1f) {
                snprintf(msg, sizeof msg,
                         "%zu+ bytes of trailing data after the last gzip "
                         "member (not analysed)",
                         len);
                anomaly(d, "archive.trailing-data", DD_SEV_MEDIUM, d->in_pos,
                        msg);
                d->trailing = 1;
                return 0;
            }
            gz_start_member(d);
        }
        uint32_t chunk = len > (1u << 30) ? (1u << 30) : (uint32_t)len;
        d->gz->next_in = (uint8_t *)in;
        d->gz->avail_in = chunk;
        for (;;) {
            uint32_t prev_avail = d->gz->avail_in;
            d->gz->next_out = d->out;
            d->gz->avail_out = DD_DECOMP_CHUNK;
            int r = isal_inflate(d->gz);
            /* isa-l reads ahead: the error lies at or before this offset */
            uint64_t before = d->in_pos + (chunk - d->gz->avail_in);
            size_t produced = DD_DECOMP_CHUNK - d->gz->avail_out;
            int rc = emit(d, d->out, produced);
            if (rc) {
                return rc;
            }
            if (r == ISAL_INCORRECT_CHECKSUM) {
                anomaly(d, "archive.corrupt-stream", DD_SEV_HIGH, before,
                        "gzip CRC32 or length check failed: layer data "
                        "corrupted or tampered");
                return fail(d, DD_ECORRUPT);
            }
            if (r < 0 || (produced == 0 && d->gz->avail_in &&
                          d->gz->avail_in == prev_avail &&
                          d->gz->block_state != ISAL_BLOCK_FINISH)) {
                snprintf(msg, sizeof msg,
                         "invalid gzip/deflate data at or before this offset "
                         "(isa-l error %d)",
                         r);
                anomaly(d, "archive.corrupt-stream", DD_SEV_HIGH, before, msg);
                return fail(d, DD_ECORRUPT);
            }
            if (d->gz->block_state == ISAL_BLOCK_FINISH) {
                break;
            }
            if (produced == 0 && d->gz->avail_in == 0) {
                break; /* needs more input */
            }
        }
        size_t used = chunk - d->gz->avail_in;
        d->in_pos += used;
        in += used;
        len -= used;
        if (d->gz->block_state == ISAL_BLOCK_FINISH) {
            d->member_done = 1;
        }
    }
    if (d->trailing) {
        d->in_pos += len;
    }
    return 0;
}

static int zs_feed(dd_decomp *d, const uint8_t *in, size_t len)
{
    ZSTD_inBuffer ib = {in, len, 0};
    while (ib.pos < ib.size && !d->trailing) {
        ZSTD_outBuffer ob = {d->out, DD_DECOMP_CHUNK, 0};
        size_t before = ib.pos;
        size_t r = ZSTD_decompressStream(d->zs, &ob, &ib);
        if (ZSTD_isError(r)) {
            char msg[200];
            if (d->zs_last == 0 && d->any_output &&
                ZSTD_getErrorCode(r) == ZSTD_error_prefix_unknown) {
                snprintf(msg, sizeof msg,
                         "trailing data after the last zstd frame "
                         "(not analysed)");
                anomaly(d, "archive.trailing-data", DD_SEV_MEDIUM,
                        d->in_pos + before, msg);
                d->trailing = 1;
                break;
            }
            snprintf(msg, sizeof msg, "invalid zstd data: %s",
                     ZSTD_getErrorName(r));
            anomaly(d, "archive.corrupt-stream", DD_SEV_HIGH,
                    d->in_pos + before, msg);
            return fail(d, DD_ECORRUPT);
        }
        d->zs_last = r;
        int rc = emit(d, d->out, ob.pos);
        if (rc) {
            return rc;
        }
    }
    d->in_pos += len;
    return 0;
}

static int start(dd_decomp *d, const uint8_t *p, size_t n)
{
    d->sniffed = 1;
    d->kind = dd__decomp_sniff(p, n);
    if (d->kind == DD_COMP_NONE && unsupported_magic(p, n)) {
        anomaly(d, "archive.unsupported-compression", DD_SEV_MEDIUM, 0,
                "layer is bzip2 or xz compressed: not a valid OCI layer "
                "compression, not analysed");
        return fail(d, DD_EUNSUPPORTED);
    }
    if (d->kind == DD_COMP_GZIP) {
        d->gz = dd__calloc(1, sizeof *d->gz);
        if (!d->gz) {
            return fail(d, DD_ENOMEM);
        }
        isal_inflate_init(d->gz);
        gz_start_member(d);
    } else if (d->kind == DD_COMP_ZSTD) {
        d->zs = ZSTD_createDCtx();
        if (!d->zs) {
            return fail(d, DD_ENOMEM);
        }
        /* refuse windows beyond 128 MiB (zstd's own default maximum) */
        ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, 27);
        d->zs_last = 1;
    }
    return 0;
}

static int feed_body(dd_decomp *d, const uint8_t *in, size_t len)
{
    switch (d->kind) {
    case DD_COMP_GZIP:
        return gz_feed(d, in, len);
    case DD_COMP_ZSTD:
        return zs_feed(d, in, len);
    default:
        d->in_pos += len;
        return emit(d, in, len);
    }
}

int dd__decomp_feed(dd_decomp *d, const uint8_t *in, size_t len)
{
    if (d->failed) {
        return d->fail_code;
    }
    if (!d->sniffed) {
        /* hold up to 6 bytes so that tiny first chunks still sniff right */
        while (len && d->head_len < 6) {
            d->head[d->head_len++] = *in++;
            len--;
        }
        if (d->head_len < 6) {
            return 0;
        }
        int rc = start(d, d->head, d->head_len);
        if (!rc) {
            rc = feed_body(d, d->head, d->head_len);
        }
        if (rc) {
            return rc;
        }
    }
    return len ? feed_body(d, in, len) : 0;
}

int dd__decomp_finish(dd_decomp *d)
{
    if (d->failed) {
        return d->fail_code;
    }
    if (!d->sniffed) {
        int rc = start(d, d->head, d->head_len);
        if (!rc && d->head_len) {
            rc = feed_body(d, d->head, d->head_len);
        }
        if (rc) {
            return rc;
        }
    }
    char msg[160];
    if (d->kind == DD_COMP_GZIP && !d->member_done && !d->trailing) {
        snprintf(msg, sizeof msg,
                 "gzip stream ends after %llu bytes, inside a member "
                 "(truncated blob)",
                 (unsigned long long)d->in_pos);
        anomaly(d, "archive.truncated", DD_SEV_HIGH, d->in_pos, msg);
        return fail(d, DD_ECORRUPT);
    }
    if (d->kind == DD_COMP_ZSTD && d->zs_last != 0 && !d->trailing) {
        snprintf(msg, sizeof msg,
                 "zstd stream ends after %llu bytes, inside a frame "
                 "(truncated blob)",
                 (unsigned long long)d->in_pos);
        anomaly(d, "archive.truncated", DD_SEV_HIGH, d->in_pos, msg);
        return fail(d, DD_ECORRUPT);
    }
    if ((d->kind == DD_COMP_GZIP || d->kind == DD_COMP_ZSTD) &&
        !d->any_output) {
        /* not even a tar end marker: nothing a runtime extracts, and the
         * blob's bytes (a skippable frame's payload) hidden from all */
        snprintf(msg, sizeof msg,
                 "%s stream of %llu bytes holds no data (%s): an empty "
                 "layer, not even a tar end marker",
                 d->kind == DD_COMP_GZIP ? "gzip" : "zstd",
                 (unsigned long long)d->in_pos,
                 d->kind == DD_COMP_GZIP ? "empty members only"
                                         : "skippable or empty frames only");
        anomaly(d, "archive.empty-stream", DD_SEV_MEDIUM, 0, msg);
    }
    return 0;
}
