/*
 * lib/lang/zipdir.c - zip central directory and members over a buffer
 * (see zipdir.h). Layout per APPNOTE.TXT: local headers and data, the
 * central directory, [ZIP64 end record, ZIP64 locator,] end record.
 * Bytes prepended to the archive (a launcher script) are allowed: their
 * length is where the central directory really starts minus where the
 * end record says it starts, and is added to every stored offset.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "zipdir.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CDIR  0x02014b50u
#define SIG_END   0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define END_LEN   22u
#define LOC64_LEN 20u
#define END64_LEN 56u
#define CDIR_LEN  46u
#define LOCAL_LEN 30u
#define MAX_SCAN  (END_LEN + 65535u)

static uint16_t u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t u64(const uint8_t *p)
{
    return (uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32;
}

#define FAIL(code, ...)                        \
    do {                                       \
        if (why && why_n) {                    \
            snprintf(why, why_n, __VA_ARGS__); \
        }                                      \
        return (code);                         \
    } while (0)

/* the ZIP64 end record the locator before the end record at `eocd`
 * names: its position, or an error */
static int find_end64(const uint8_t *d,
                      size_t len,
                      size_t eocd,
                      uint64_t *pos,
                      char *why,
                      size_t why_n)
{
    if (eocd < LOC64_LEN || u32(d + eocd - LOC64_LEN) != SIG_LOC64) {
        FAIL(DD_EINVALID,
             "zip: end record at offset %zu has ZIP64 markers but no "
             "ZIP64 locator before it",
             eocd);
    }
    size_t loc = eocd - LOC64_LEN;
    if (u32(d + loc + 4) != 0 || u32(d + loc + 16) > 1) {
        FAIL(DD_EINVALID,
             "zip: ZIP64 locator at offset %zu: multi-disk "
             "archive",
             loc);
    }
    uint64_t off = u64(d + loc + 8);
    if (loc >= END64_LEN && off <= loc - END64_LEN &&
        u32(d + off) == SIG_END64) {
        *pos = off;
    } else if (loc >= END64_LEN && u32(d + loc - END64_LEN) == SIG_END64) {
        *pos = loc - END64_LEN; /* prepended bytes moved it */
    } else {
        FAIL(DD_EINVALID,
             "zip: ZIP64 locator at offset %zu names offset %llu, no "
             "ZIP64 end record there",
             loc, (unsigned long long)off);
    }
    (void)len;
    return 0;
}

int dd__zip_open(
    dd__zip *z, const uint8_t *data, size_t len, char *why, size_t why_n)
{
    memset(z, 0, sizeof *z);
    z->data = data;
    z->len = len;
    if (len < END_LEN) {
        FAIL(DD_EINVALID, "zip: %zu bytes, too short for an end record", len);
    }
    /* the last end record whose comment ends the buffer, else the last
     * one whose comment fits in it */
    size_t lo = len > MAX_SCAN ? len - MAX_SCAN : 0;
    size_t eocd = SIZE_MAX, loose = SIZE_MAX;
    for (size_t i = len - END_LEN + 1; i-- > lo;) {
        if (u32(data + i) != SIG_END) {
            continue;
        }
        size_t clen = u16(data + i + 20);
        if (i + END_LEN + clen == len) {
            eocd = i;
            break;
        }
        if (loose == SIZE_MAX && i + END_LEN + clen <= len) {
            loose = i;
        }
    }
    if (eocd == SIZE_MAX) {
        eocd = loose;
    }
    if (eocd == SIZE_MAX) {
        FAIL(DD_EINVALID,
             "zip: no end of central directory record in the last %zu "
             "bytes (offset %zu on)",
             len - lo, lo);
    }
    const uint8_t *e = data + eocd;
    uint64_t n_disk = u16(e + 8), n = u16(e + 10);
    uint64_t cd_size = u32(e + 12), cd_off = u32(e + 16);
    uint64_t end_pos = eocd;
    if (n == 0xffff || n_disk == 0xffff || cd_size == 0xffffffffu ||
        cd_off == 0xffffffffu) {
        uint64_t p;
        int rc = find_end64(data, len, eocd, &p, why, why_n);
        if (rc) {
            return rc;
        }
        const uint8_t *r = data + p;
        if (u32(r + 16) != 0 || u32(r + 20) != 0) {
            FAIL(DD_EINVALID,
                 "zip: ZIP64 end record at offset %llu: multi-disk archive",
                 (unsigned long long)p);
        }
        n_disk = u64(r + 24);
        n = u64(r + 32);
        cd_size = u64(r + 40);
        cd_off = u64(r + 48);
        end_pos = p;
    } else if (u16(e + 4) != 0 || u16(e + 6) != 0) {
        FAIL(DD_EINVALID, "zip: end record at offset %zu: multi-disk archive",
             eocd);
    }
    if (n_disk != n) {
        FAIL(DD_EINVALID,
             "zip: end record at offset %zu: %llu entries on this disk of "
             "%llu",
             eocd, (unsigned long long)n_disk, (unsigned long long)n);
    }
    if (n > DD_ZIP_MAX_ENTRIES) {
        FAIL(DD_ELIMIT,
             "zip: end record at offset %zu: %llu entries, over the limit "
             "of %u",
             eocd, (unsigned long long)n, DD_ZIP_MAX_ENTRIES);
    }
    if (cd_size > end_pos) {
        FAIL(DD_EINVALID,
             "zip: central directory of %llu bytes does not fit before the "
             "end record at offset %llu",
             (unsigned long long)cd_size, (unsigned long long)end_pos);
    }
    uint64_t start = end_pos - cd_size;
    if (cd_off > start) {
        FAIL(DD_EINVALID,
             "zip: central directory offset %llu past where it can start "
             "(%llu, before the end record at offset %llu)",
             (unsigned long long)cd_off, (unsigned long long)start,
             (unsigned long long)end_pos);
    }
    if (n * CDIR_LEN > cd_size) {
        FAIL(DD_EINVALID,
             "zip: %llu entries cannot fit in a central directory of %llu "
             "bytes at offset %llu",
             (unsigned long long)n, (unsigned long long)cd_size,
             (unsigned long long)start);
    }
    z->base = start - cd_off;
    z->cd_off = start;
    z->cd_end = end_pos;
    z->n_entries = n;
    z->next_off = start;
    z->next_i = 0;
    return 0;
}

/* refuse names that climb, are absolute or hold a NUL */
static int bad_name(const char *s, size_t n)
{
    if (!n || s[0] == '/' || s[0] == '\\' ||
        (n >= 2 && s[1] == ':' &&
         ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))) {
        return 1;
    }
    size_t c = 0; /* start of the current component */
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '\0') {
            return 1;
        }
        if (i == n || s[i] == '/' || s[i] == '\\') {
            if (i - c == 2 && s[c] == '.' && s[c + 1] == '.') {
                return 1;
            }
            c = i + 1;
        }
    }
    return 0;
}

int dd__zip_next(dd__zip *z, dd__zip_entry *e, char *why, size_t why_n)
{
    if (z->next_i == z->n_entries) {
        if (z->next_off != z->cd_end) {
            FAIL(DD_EINVALID,
                 "zip: %llu bytes after the last of %llu central entries "
                 "(offset %llu)",
                 (unsigned long long)(z->cd_end - z->next_off),
                 (unsigned long long)z->n_entries,
                 (unsigned long long)z->next_off);
        }
        return 0;
    }
    uint64_t o = z->next_off;
    if (z->cd_end - o < CDIR_LEN || u32(z->data + o) != SIG_CDIR) {
        FAIL(DD_EINVALID, "zip: central entry %llu of %llu at offset %llu: %s",
             (unsigned long long)z->next_i, (unsigned long long)z->n_entries,
             (unsigned long long)o,
             z->cd_end - o < CDIR_LEN ? "truncated" : "bad signature");
    }
    const uint8_t *p = z->data + o;
    size_t nlen = u16(p + 28), xlen = u16(p + 30), clen = u16(p + 32);
    uint64_t total = (uint64_t)CDIR_LEN + nlen + xlen + clen;
    if (total > z->cd_end - o) {
        FAIL(DD_EINVALID,
             "zip: central entry at offset %llu: name, extra and comment "
             "(%zu+%zu+%zu bytes) run past the central directory",
             (unsigned long long)o, nlen, xlen, clen);
    }
    memset(e, 0, sizeof *e);
    e->cd_pos = o;
    e->flags = u16(p + 8);
    e->method = u16(p + 10);
    e->crc = u32(p + 16);
    e->csize = u32(p + 20);
    e->usize = u32(p + 24);
    e->local_off = u32(p + 42);
    e->name = (const char *)p + CDIR_LEN;
    e->name_len = nlen;
    int need_u = e->usize == 0xffffffffu, need_c = e->csize == 0xffffffffu,
        need_o = e->local_off == 0xffffffffu;
    if (u16(p + 34) != 0 && u16(p + 34) != 0xffff) {
        FAIL(DD_EINVALID, "zip: central entry at offset %llu: on disk %u",
             (unsigned long long)o, u16(p + 34));
    }
    /* ZIP64 extended information: the 32-bit fields that are all ones */
    const uint8_t *x = p + CDIR_LEN + nlen, *xe = x + xlen;
    while (xe - x >= 4 && (need_u || need_c || need_o)) {
        unsigned id = u16(x), sz = u16(x + 2);
        if ((size_t)(xe - x - 4) < sz) {
            FAIL(DD_EINVALID,
                 "zip: central entry at offset %llu: extra field of %u "
                 "bytes runs past its end (offset %llu)",
                 (unsigned long long)o, sz, (unsigned long long)(x - z->data));
        }
        if (id == 1) {
            const uint8_t *f = x + 4, *fe = f + sz;
            uint64_t *slots[3] = {need_u ? &e->usize : NULL,
                                  need_c ? &e->csize : NULL,
                                  need_o ? &e->local_off : NULL};
            for (int k = 0; k < 3; k++) {
                if (!slots[k]) {
                    continue;
                }
                if (fe - f < 8) {
                    FAIL(DD_EINVALID,
                         "zip: central entry at offset %llu: ZIP64 extra "
                         "field too short",
                         (unsigned long long)o);
                }
                *slots[k] = u64(f);
                f += 8;
            }
            need_u = need_c = need_o = 0;
        }
        x += 4 + sz;
    }
    if (need_u || need_c || need_o) {
        FAIL(DD_EINVALID,
             "zip: central entry at offset %llu: 32-bit size or offset "
             "marked ZIP64 without a ZIP64 extra field",
             (unsigned long long)o);
    }
    if (bad_name(e->name, nlen)) {
        FAIL(DD_EINVALID,
             "zip: central entry at offset %llu: name refused (empty, "
             "absolute, \"..\" or NUL)",
             (unsigned long long)o);
    }
    if (e->local_off > z->cd_off - z->base ||
        z->cd_off - z->base - e->local_off < LOCAL_LEN) {
        FAIL(DD_EINVALID,
             "zip: central entry at offset %llu: local header offset %llu "
             "outside the archive's data",
             (unsigned long long)o, (unsigned long long)e->local_off);
    }
    e->local_off += z->base;
    z->next_off = o + total;
    z->next_i++;
    return 1;
}

int dd__zip_name_is(const dd__zip_entry *e, const char *name)
{
    size_t n = strlen(name);
    return n == e->name_len && !memcmp(e->name, name, n);
}

/* zlib's stream lengths are 32-bit: feed at most this much at once */
#define STEP (1u << 30)

static int inflate_into(const dd__zip_entry *e,
                        const uint8_t *in,
                        uint8_t *out,
                        char *why,
                        size_t why_n)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -15) != Z_OK) {
        return DD_ENOMEM;
    }
    uint64_t in_left = e->csize, out_done = 0;
    int zr = Z_OK;
    while (zr == Z_OK) {
        if (!s.avail_in && in_left) {
            s.next_in = (Bytef *)(uintptr_t)(in + (e->csize - in_left));
            s.avail_in = (uInt)(in_left > STEP ? STEP : in_left);
            in_left -= s.avail_in;
        }
        /* one spare byte: output past the declared size is an error */
        uint64_t room = e->usize + 1 - out_done;
        s.next_out = out + out_done;
        s.avail_out = (uInt)(room > STEP ? STEP : room);
        uInt before = s.avail_out;
        zr = inflate(&s, Z_NO_FLUSH);
        out_done += before - s.avail_out;
        if (out_done > e->usize) {
            inflateEnd(&s);
            FAIL(DD_EINVALID,
                 "zip: member at offset %llu inflates past its declared %llu "
                 "bytes",
                 (unsigned long long)e->local_off,
                 (unsigned long long)e->usize);
        }
        if (zr == Z_BUF_ERROR && (s.avail_in || in_left)) {
            zr = Z_OK; /* more output room needed: loop */
        }
    }
    inflateEnd(&s);
    if (zr != Z_STREAM_END || out_done != e->usize) {
        FAIL(DD_EINVALID,
             "zip: member at offset %llu: %s after %llu of %llu bytes",
             (unsigned long long)e->local_off,
             zr == Z_STREAM_END   ? "deflate stream ended"
             : zr == Z_DATA_ERROR ? "corrupt deflate data"
                                  : "truncated deflate data",
             (unsigned long long)out_done, (unsigned long long)e->usize);
    }
    return 0;
}

int dd__zip_member(const dd__zip *z,
                   const dd__zip_entry *e,
                   uint64_t cap,
                   dd__zip_budget *b,
                   dd__buf *scratch,
                   const uint8_t **out,
                   size_t *out_len,
                   char *why,
                   size_t why_n)
{
    uint64_t lo = e->local_off;
    if (z->cd_off < LOCAL_LEN || lo > z->cd_off - LOCAL_LEN ||
        u32(z->data + lo) != SIG_LOCAL) {
        FAIL(DD_EINVALID, "zip: no local header at offset %llu",
             (unsigned long long)lo);
    }
    const uint8_t *p = z->data + lo;
    size_t nlen = u16(p + 26), xlen = u16(p + 28);
    uint64_t data = lo + LOCAL_LEN + nlen + xlen;
    if (data > z->cd_off || nlen != e->name_len ||
        memcmp(p + LOCAL_LEN, e->name, nlen) != 0 || u16(p + 8) != e->method) {
        FAIL(DD_EINVALID,
             "zip: local header at offset %llu disagrees with its central "
             "entry at offset %llu (%s)",
             (unsigned long long)lo, (unsigned long long)e->cd_pos,
             data > z->cd_off ? "runs into the central directory"
             : u16(p + 8) != e->method && nlen == e->name_len ? "method"
                                                              : "name");
    }
    if (e->csize > z->cd_off - data) {
        FAIL(DD_EINVALID,
             "zip: member at offset %llu: %llu stored bytes run past the "
             "central directory at offset %llu",
             (unsigned long long)lo, (unsigned long long)e->csize,
             (unsigned long long)z->cd_off);
    }
    if (e->flags & 1) {
        FAIL(DD_EINVALID, "zip: member at offset %llu is encrypted",
             (unsigned long long)lo);
    }
    if (e->method != 0 && e->method != 8) {
        FAIL(DD_EINVALID,
             "zip: member at offset %llu: compression method %u (only stored "
             "and deflate are read)",
             (unsigned long long)lo, e->method);
    }
    if (e->method == 0 && e->csize != e->usize) {
        FAIL(DD_EINVALID,
             "zip: stored member at offset %llu: %llu bytes stored, %llu "
             "declared",
             (unsigned long long)lo, (unsigned long long)e->csize,
             (unsigned long long)e->usize);
    }
    if (e->usize > DD_ZIP_RATIO_GRACE &&
        e->usize / (e->csize ? e->csize : 1) > DD_ZIP_MAX_RATIO) {
        FAIL(DD_ELIMIT,
             "zip: member at offset %llu: %llu bytes from %llu, over the "
             "ratio %u (decompression bomb)",
             (unsigned long long)lo, (unsigned long long)e->usize,
             (unsigned long long)e->csize, DD_ZIP_MAX_RATIO);
    }
    if (e->usize > cap || e->usize > SIZE_MAX - 1) {
        FAIL(DD_ELIMIT,
             "zip: member at offset %llu: %llu bytes, over the limit of %llu",
             (unsigned long long)lo, (unsigned long long)e->usize,
             (unsigned long long)cap);
    }
    if (e->usize > b->left) {
        FAIL(DD_ELIMIT,
             "zip: member at offset %llu: %llu bytes, over what the "
             "archive may still produce (%llu)",
             (unsigned long long)lo, (unsigned long long)e->usize,
             (unsigned long long)b->left);
    }
    b->left -= e->usize;
    const uint8_t *res = z->data + data;
    if (e->method == 8) {
        dd__buf_reset(scratch);
        if (e->usize + 1 > scratch->max) {
            FAIL(DD_ELIMIT,
                 "zip: member at offset %llu: %llu bytes, over the buffer "
                 "limit",
                 (unsigned long long)lo, (unsigned long long)e->usize);
        }
        size_t need = (size_t)e->usize + 1;
        if (scratch->cap < need) {
            char *np = dd__realloc(scratch->ptr, need);
            if (!np) {
                return DD_ENOMEM;
            }
            scratch->ptr = np;
            scratch->cap = need;
        }
        int rc = inflate_into(e, res, (uint8_t *)scratch->ptr, why, why_n);
        if (rc) {
            return rc;
        }
        scratch->len = (size_t)e->usize;
        scratch->ptr[scratch->len] = '\0';
        res = (const uint8_t *)scratch->ptr;
    }
    uLong crc = crc32_z(0L, Z_NULL, 0);
    crc = crc32_z(crc, res, (z_size_t)e->usize);
    if ((uint32_t)crc != e->crc) {
        FAIL(DD_EINVALID,
             "zip: member at offset %llu: CRC-32 %08x, central entry says "
             "%08x",
             (unsigned long long)lo, (unsigned)crc, (unsigned)e->crc);
    }
    *out = res;
    *out_len = (size_t)e->usize;
    return 0;
}
