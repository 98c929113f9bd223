/*
 * trust/cbor.c - a bounded CBOR (RFC 8949) reader for COSE_Sign1
 * envelopes: one item at a time, its extent found by walking every
 * nested item with a depth limit. Definite lengths only (COSE requires
 * deterministic encoding); nothing is allocated.
 */
#include <string.h>

#include "notation_int.h"

/* Items walked for one dd__cbor_read: bounds the work on hostile input
 * (each level re-walks its children once more, DD_CBOR_MAX_DEPTH deep). */
#define MAX_ITEMS 200000u

typedef struct walk {
    const uint8_t *buf;
    size_t len;
    unsigned items;
    dd_error *err;
} walk;

/* The head at off: major type, argument, offset after the head. */
static int head(walk *w, size_t off, int *major, uint64_t *val, size_t *next)
{
    if (off >= w->len) {
        return dd__error_set(w->err, DD_EINVALID,
                             "CBOR: truncated at offset %zu", off);
    }
    uint8_t b = w->buf[off];
    int ai = b & 0x1f;
    *major = b >> 5;
    size_t n = ai < 24 ? 0 : ai == 24 ? 1 : ai == 25 ? 2 : ai == 26 ? 4 : 8;
    if (ai >= 28) {
        return dd__error_set(w->err, DD_EINVALID, "CBOR: %s at offset %zu",
                             ai == 31 ? "indefinite length (not allowed)"
                                      : "reserved additional information",
                             off);
    }
    if (n > w->len - off - 1) {
        return dd__error_set(w->err, DD_EINVALID,
                             "CBOR: truncated head at offset %zu", off);
    }
    uint64_t v = ai < 24 ? (uint64_t)ai : 0;
    for (size_t i = 0; i < n; i++) {
        v = v << 8 | w->buf[off + 1 + i];
    }
    *val = v;
    *next = off + 1 + n;
    return 0;
}

/* Offset after the item at off. */
static int skip(walk *w, size_t off, int depth, size_t *end)
{
    int major = 0;
    uint64_t v = 0;
    size_t p = 0;
    if (++w->items > MAX_ITEMS) {
        return dd__error_set(w->err, DD_EINVALID,
                             "CBOR: too many items (at offset %zu)", off);
    }
    if (depth > DD_CBOR_MAX_DEPTH) {
        return dd__error_set(w->err, DD_EINVALID,
                             "CBOR: nested deeper than %d at offset %zu",
                             DD_CBOR_MAX_DEPTH, off);
    }
    int rc = head(w, off, &major, &v, &p);
    if (rc) {
        return rc;
    }
    switch (major) {
    case 0:
    case 1:
    case 7:
        *end = p;
        return 0;
    case 2:
    case 3:
        if (v > w->len - p) {
            return dd__error_set(w->err, DD_EINVALID,
                                 "CBOR: string of %llu bytes at offset %zu "
                                 "runs past the end",
                                 (unsigned long long)v, off);
        }
        *end = p + (size_t)v;
        return 0;
    case 4:
    case 5: {
        uint64_t n = v;
        if (major == 5 && dd__mul_overflow(n, 2, &n)) {
            return dd__error_set(w->err, DD_EINVALID,
                                 "CBOR: map too large at offset %zu", off);
        }
        /* every child takes at least one byte */
        if (n > w->len - p) {
            return dd__error_set(w->err, DD_EINVALID,
                                 "CBOR: %llu items at offset %zu run past "
                                 "the end",
                                 (unsigned long long)n, off);
        }
        for (uint64_t i = 0; i < n; i++) {
            if ((rc = skip(w, p, depth + 1, &p))) {
                return rc;
            }
        }
        *end = p;
        return 0;
    }
    default: /* 6: tag */
        return skip(w, p, depth + 1, end);
    }
}

int dd__cbor_read(
    const uint8_t *buf, size_t len, size_t off, dd__cbor *it, dd_error *err)
{
    walk w = {buf, len, 0, err};
    memset(it, 0, sizeof *it);
    int rc = head(&w, off, &it->major, &it->val, &it->body);
    if (!rc) {
        rc = skip(&w, off, 0, &it->end);
    }
    if (!rc) {
        it->off = off;
        it->data = buf + it->body;
    }
    return rc;
}
