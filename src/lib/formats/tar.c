/*
 * lib/formats/tar.c - hardened streaming tar reader. See tar.h.
 *
 * Design notes: header-only types (links, directories, devices, FIFOs)
 * carry no data whatever their size field says, as in Go's archive/tar;
 * a header whose checksum fails stops the layer (there is no safe way to
 * resynchronise on hostile input); PAX and GNU long-name records are capped
 * by limits.max_pax_size before a byte is buffered.
 */
#include <stdio.h>
#include <string.h>

#include "tar.h"
#include "../../util/util.h"

enum tar_state {
    ST_HEADER,
    ST_META,
    ST_DATA,
    ST_SKIP,
    ST_PAD,
    ST_END,
    ST_FAILED
};

struct dd_tar {
    dd_limits lim;
    dd_tar_callbacks cb;
    enum tar_state state;
    int zero_blocks; /* consecutive zero blocks seen */
    uint8_t hdr[512];
    size_t hdr_fill;
    uint64_t pos;       /* bytes consumed so far */
    uint64_t remaining; /* data left in the current record */
    uint64_t pad;
    uint64_t entry_offset;
    int have_entry_offset;
    int fail_code;
    char meta_type;
    dd_buf meta;
    /* pending per-entry overrides from 'L', 'K' and 'x' records */
    dd_buf long_name, long_link, pax_path, pax_link;
    int has_long_name, has_long_link, has_pax_path, has_pax_link;
    int has_pax_size, has_pax_uid, has_pax_gid, has_pax_mtime, pax_sparse;
    uint64_t pax_size, pax_uid, pax_gid;
    int64_t pax_mtime;
    uint64_t entries;
    int trailing_reported;
    dd_buf name_buf; /* final name of the current entry */
};

static void anomaly(
    dd_tar *t, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    if (t->cb.anomaly) {
        t->cb.anomaly(t->cb.payload, rule, sev, off, msg);
    }
}

static int fail(dd_tar *t, int code)
{
    t->state = ST_FAILED;
    t->fail_code = code;
    return code;
}

dd_tar *dd__tar_new(const dd_limits *limits, const dd_tar_callbacks *cb)
{
    dd_tar *t = dd__calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->lim = dd_limits_resolve(limits);
    t->cb = *cb;
    size_t cap = (size_t)t->lim.max_pax_size;
    dd__buf_init(&t->meta, cap);
    dd__buf_init(&t->long_name, cap);
    dd__buf_init(&t->long_link, cap);
    dd__buf_init(&t->pax_path, cap);
    dd__buf_init(&t->pax_link, cap);
    dd__buf_init(&t->name_buf, cap + 512);
    return t;
}

void dd__tar_free(dd_tar *t)
{
    if (!t) {
        return;
    }
    dd__buf_free(&t->meta);
    dd__buf_free(&t->long_name);
    dd__buf_free(&t->long_link);
    dd__buf_free(&t->pax_path);
    dd__buf_free(&t->pax_link);
    dd__buf_free(&t->name_buf);
    dd__free(t);
}

uint64_t dd__tar_entries(const dd_tar *t)
{
    return t->entries;
}

int dd__tar_parse_number(const uint8_t *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n && (f[0] & 0x80)) {
        /* GNU base-256: 0x80 positive, 0xff (bit 6 set) negative */
        if (f[0] & 0x40) {
            return -1;
        }
        v = f[0] & 0x3f;
        for (size_t i = 1; i < n; i++) {
            if (v > (UINT64_MAX >> 8)) {
                return -1;
            }
            v = (v << 8) | f[i];
        }
        if (v > (uint64_t)INT64_MAX) {
            return -1;
        }
        *out = v;
        return 0;
    }
    size_t i = 0;
    while (i < n && f[i] == ' ') {
        i++;
    }
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v > (UINT64_MAX >> 3)) {
            return -1;
        }
        v = (v << 3) | (uint64_t)(f[i] - '0');
    }
    for (; i < n; i++) {
        if (f[i] != ' ' && f[i] != '\0') {
            return -1;
        }
    }
    *out = v;
    return 0;
}

int dd__tar_header_only_type(char typeflag)
{
    switch (typeflag) {
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
        return 1;
    default:
        return 0;
    }
}

int dd__tar_parse_header(const uint8_t b[512], dd_tar_header *h)
{
    int all_zero = 1;
    uint64_t usum = 0;
    int64_t ssum = 0;
    for (size_t i = 0; i < 512; i++) {
        uint8_t c = (i >= 148 && i < 156) ? ' ' : b[i];
        if (b[i]) {
            all_zero = 0;
        }
        usum += c;
        ssum += (int8_t)c;
    }
    if (all_zero) {
        return DD_TARH_ZERO;
    }
    uint64_t want;
    if (dd__tar_parse_number(b + 148, 8, &want) != 0 ||
        (want != usum && (int64_t)want != ssum)) {
        return DD_TARH_BADSUM;
    }
    memset(h, 0, sizeof *h);
    int posix = memcmp(b + 257, "ustar\0", 6) == 0;
    size_t nlen = strnlen((const char *)b, 100);
    size_t plen = posix ? strnlen((const char *)b + 345, 155) : 0;
    size_t o = 0;
    if (plen) {
        memcpy(h->name, b + 345, plen);
        h->name[plen] = '/';
        o = plen + 1;
    }
    memcpy(h->name + o, b, nlen);
    h->name[o + nlen] = '\0';
    size_t llen = strnlen((const char *)b + 157, 100);
    memcpy(h->linkname, b + 157, llen);
    h->linkname[llen] = '\0';
    h->typeflag = (char)b[156];
    if (dd__tar_parse_number(b + 124, 12, &h->size) != 0) {
        return DD_TARH_BADSIZE;
    }
    uint64_t mode = 0, mtime = 0;
    int bad = 0;
    bad |= dd__tar_parse_number(b + 100, 8, &mode);
    bad |= dd__tar_parse_number(b + 108, 8, &h->uid);
    bad |= dd__tar_parse_number(b + 116, 8, &h->gid);
    bad |= dd__tar_parse_number(b + 136, 12, &mtime);
    h->mode = (uint32_t)(mode & 07777);
    h->mtime = (int64_t)mtime;
    return bad ? DD_TARH_BADFIELD : DD_TARH_OK;
}

static uint64_t pad512(uint64_t n)
{
    return (512 - (n % 512)) % 512;
}

static void reset_pending(dd_tar *t)
{
    t->has_long_name = t->has_long_link = 0;
    t->has_pax_path = t->has_pax_link = 0;
    t->has_pax_size = t->has_pax_uid = t->has_pax_gid = 0;
    t->has_pax_mtime = t->pax_sparse = 0;
    t->have_entry_offset = 0;
}

static int parse_decimal(const char *s, size_t n, uint64_t *out, int frac)
{
    uint64_t v = 0;
    size_t i = 0;
    if (n == 0) {
        return -1;
    }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10) {
            return -1;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == 0) {
        return -1;
    }
    if (i < n && !(frac && s[i] == '.')) {
        return -1;
    }
    *out = v;
    return 0;
}

static int set_buf(dd_buf *b, const char *s, size_t n)
{
    dd__buf_reset(b);
    return dd__buf_add(b, s, n);
}

int dd__tar_pax_next(const char **cursor, size_t *left, dd_pax_record *out)
{
    const char *p = *cursor;
    size_t n = *left;
    if (n == 0 || p[0] == '\0') {
        return 0; /* end, or NUL padding after the last record */
    }
    uint64_t reclen = 0;
    size_t i = 0;
    while (i < n && i < 20 && p[i] >= '0' && p[i] <= '9') {
        reclen = reclen * 10 + (uint64_t)(p[i] - '0');
        i++;
    }
    if (i == 0 || i >= n || p[i] != ' ' || reclen <= i + 1 || reclen > n ||
        p[reclen - 1] != '\n') {
        return -1;
    }
    const char *kv = p + i + 1;
    size_t kvlen = (size_t)reclen - i - 2;
    const char *eq = memchr(kv, '=', kvlen);
    if (!eq) {
        return -1;
    }
    out->key = kv;
    out->key_len = (size_t)(eq - kv);
    out->value = eq + 1;
    out->value_len = kvlen - out->key_len - 1;
    *cursor = p + reclen;
    *left = n - (size_t)reclen;
    return 1;
}

/* Parse "LEN key=value\n" records of a PAX extended header. */
static int apply_pax(dd_tar *t, int global)
{
    const char *p = t->meta.ptr ? t->meta.ptr : "";
    size_t left = t->meta.len;
    uint64_t off = t->entry_offset;
    dd_pax_record r;
    int more;
    while ((more = dd__tar_pax_next(&p, &left, &r)) > 0) {
        const char *kv = r.key, *val = r.value;
        size_t klen = r.key_len, vlen = r.value_len;
        int rc = 0;
        if (global) {
            /* global records are legal but we apply none of them */
        } else if (klen == 4 && memcmp(kv, "path", 4) == 0) {
            rc = set_buf(&t->pax_path, val, vlen);
            t->has_pax_path = 1;
        } else if (klen == 8 && memcmp(kv, "linkpath", 8) == 0) {
            rc = set_buf(&t->pax_link, val, vlen);
            t->has_pax_link = 1;
        } else if (klen == 4 && memcmp(kv, "size", 4) == 0) {
            if (parse_decimal(val, vlen, &t->pax_size, 0) != 0) {
                anomaly(t, "archive.bad-size", DD_SEV_HIGH, off,
                        "PAX size record is not a decimal number");
                return fail(t, DD_ECORRUPT);
            }
            t->has_pax_size = 1;
        } else if (klen == 3 && memcmp(kv, "uid", 3) == 0) {
            t->has_pax_uid = parse_decimal(val, vlen, &t->pax_uid, 0) == 0;
        } else if (klen == 3 && memcmp(kv, "gid", 3) == 0) {
            t->has_pax_gid = parse_decimal(val, vlen, &t->pax_gid, 0) == 0;
        } else if (klen == 5 && memcmp(kv, "mtime", 5) == 0) {
            uint64_t m;
            if (parse_decimal(val, vlen, &m, 1) == 0 && m <= INT64_MAX) {
                t->pax_mtime = (int64_t)m;
                t->has_pax_mtime = 1;
            }
        } else if (klen > 11 && memcmp(kv, "GNU.sparse.", 11) == 0) {
            t->pax_sparse = 1;
        }
        if (rc == DD_ELIMIT) {
            anomaly(t, "archive.limit", DD_SEV_HIGH, off,
                    "PAX path longer than max-pax-size");
            return fail(t, rc);
        } else if (rc) {
            return fail(t, rc);
        }
    }
    if (more < 0) {
        anomaly(t, "archive.bad-pax", DD_SEV_MEDIUM, off,
                "malformed PAX extended header record");
    }
    return 0;
}

static int finish_meta(dd_tar *t)
{
    int rc = 0;
    const char *p = t->meta.ptr ? t->meta.ptr : "";
    switch (t->meta_type) {
    case 'L':
        rc = set_buf(&t->long_name, p, strnlen(p, t->meta.len));
        t->has_long_name = 1;
        break;
    case 'K':
        rc = set_buf(&t->long_link, p, strnlen(p, t->meta.len));
        t->has_long_link = 1;
        break;
    case 'x':
        rc = apply_pax(t, 0);
        break;
    case 'g':
        rc = apply_pax(t, 1);
        break;
    }
    if (rc && t->state != ST_FAILED) {
        return fail(t, rc);
    }
    return rc;
}

static void after_record(dd_tar *t, uint64_t size)
{
    t->pad = pad512(size);
    t->state = t->pad ? ST_PAD : ST_HEADER;
}

static int begin_entry(dd_tar *t, const dd_tar_header *h)
{
    char msg[256];
    uint64_t off = t->entry_offset;
    dd_tar_entry e;
    memset(&e, 0, sizeof e);
    int rc;

    t->entries++;
    if (t->entries > t->lim.max_entries) {
        snprintf(msg, sizeof msg,
                 "more than %llu entries in one layer (max-entries)",
                 (unsigned long long)t->lim.max_entries);
        anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
        return fail(t, DD_ELIMIT);
    }
    dd__buf_reset(&t->name_buf);
    if (t->has_pax_path) {
        rc = dd__buf_add(&t->name_buf, t->pax_path.ptr, t->pax_path.len);
    } else if (t->has_long_name) {
        rc = dd__buf_add(&t->name_buf, t->long_name.ptr, t->long_name.len);
    } else {
        rc = dd__buf_addstr(&t->name_buf, h->name);
    }
    if (rc) {
        return fail(t, rc);
    }
    e.name = t->name_buf.ptr;
    e.name_len = t->name_buf.len;
    e.linkname = t->has_pax_link    ? t->pax_link.ptr
                 : t->has_long_link ? t->long_link.ptr
                                    : h->linkname;
    if (!e.linkname) {
        e.linkname = "";
    }
    e.typeflag = h->typeflag;
    e.mode = h->mode;
    e.uid = t->has_pax_uid ? t->pax_uid : h->uid;
    e.gid = t->has_pax_gid ? t->pax_gid : h->gid;
    e.mtime = t->has_pax_mtime ? t->pax_mtime : h->mtime;
    e.offset = off;
    uint64_t size = t->has_pax_size ? t->pax_size : h->size;
    /* what follows the header in the stream is the stored size */
    uint64_t stored = dd__tar_header_only_type(h->typeflag) ? 0 : size;
    if (dd__tar_header_only_type(h->typeflag)) {
        size = 0;
    }
    e.size = size;
    if (stored > t->lim.max_file_size) {
        snprintf(msg, sizeof msg, "entry size %llu exceeds max-file-size %llu",
                 (unsigned long long)stored,
                 (unsigned long long)t->lim.max_file_size);
        anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
        return fail(t, DD_ELIMIT);
    }
    int skip = 0;
    if (h->typeflag == 'S' || t->pax_sparse) {
        anomaly(t, "archive.unsupported-entry", DD_SEV_MEDIUM, off,
                "GNU sparse file: contents not analysed");
        skip = 1;
    } else if (h->typeflag == 'V' || h->typeflag == 'M') {
        anomaly(t, "archive.unsupported-entry", DD_SEV_LOW, off,
                "GNU volume or multi-volume header skipped");
        skip = 1;
    } else if (!strchr("0123456 7", h->typeflag) || h->typeflag == ' ') {
        if (h->typeflag != '\0') {
            snprintf(msg, sizeof msg,
                     "unknown tar type flag 0x%02x, entry skipped",
                     (unsigned char)h->typeflag);
            anomaly(t, "archive.unsupported-entry", DD_SEV_LOW, off, msg);
            skip = 1;
        }
    }
    if (e.name_len > t->lim.max_path_len) {
        snprintf(msg, sizeof msg,
                 "path of %zu bytes exceeds max-path-len %llu, entry skipped",
                 e.name_len, (unsigned long long)t->lim.max_path_len);
        anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
        skip = 1;
    }
    reset_pending(t);
    if (!skip && t->cb.entry && (rc = t->cb.entry(t->cb.payload, &e)) != 0) {
        return fail(t, rc);
    }
    if (stored) {
        t->remaining = stored;
        t->pad = pad512(stored);
        t->state = skip ? ST_SKIP : ST_DATA;
        return 0;
    }
    if (!skip && t->cb.entry_end &&
        (rc = t->cb.entry_end(t->cb.payload)) != 0) {
        return fail(t, rc);
    }
    t->state = ST_HEADER;
    return 0;
}

static int process_header(dd_tar *t)
{
    dd_tar_header h;
    char msg[200];
    uint64_t off = t->pos - 512;
    int r = dd__tar_parse_header(t->hdr, &h);
    t->hdr_fill = 0;
    if (r == DD_TARH_ZERO) {
        if (t->have_entry_offset) {
            anomaly(t, "archive.bad-header", DD_SEV_MEDIUM, off,
                    "end of archive right after a PAX/long-name record");
            reset_pending(t);
        }
        if (++t->zero_blocks >= 2) {
            t->state = ST_END;
        }
        return 0;
    }
    if (t->zero_blocks == 1) {
        anomaly(t, "archive.bad-header", DD_SEV_LOW, off - 512,
                "lone zero block inside the archive");
    }
    t->zero_blocks = 0;
    if (r == DD_TARH_BADSUM) {
        anomaly(t, "archive.bad-header", DD_SEV_HIGH, off,
                "tar header checksum mismatch: not a valid tar header");
        return fail(t, DD_ECORRUPT);
    }
    if (r == DD_TARH_BADSIZE) {
        anomaly(t, "archive.bad-size", DD_SEV_HIGH, off,
                "tar size field is not a valid non-negative number");
        return fail(t, DD_ECORRUPT);
    }
    if (r == DD_TARH_BADFIELD) {
        anomaly(t, "archive.bad-header", DD_SEV_MEDIUM, off,
                "garbage in a numeric tar header field (mode/uid/gid/mtime)");
    }
    if (!t->have_entry_offset) {
        t->entry_offset = off;
        t->have_entry_offset = 1;
    }
    switch (h.typeflag) {
    case 'L':
    case 'K':
    case 'x':
    case 'g':
        if (h.size > t->lim.max_pax_size) {
            snprintf(msg, sizeof msg,
                     "%s record of %llu bytes exceeds max-pax-size",
                     h.typeflag == 'x' || h.typeflag == 'g' ? "PAX"
                                                            : "GNU long-name",
                     (unsigned long long)h.size);
            anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
            return fail(t, DD_ELIMIT);
        }
        t->meta_type = h.typeflag;
        dd__buf_reset(&t->meta);
        t->remaining = h.size;
        t->pad = pad512(h.size);
        if (h.size == 0) {
            int rc = finish_meta(t);
            t->state = ST_HEADER;
            return rc;
        }
        t->state = ST_META;
        return 0;
    default:
        return begin_entry(t, &h);
    }
}

int dd__tar_feed(dd_tar *t, const uint8_t *data, size_t len)
{
    int rc;
    while (len) {
        size_t n;
        switch (t->state) {
        case ST_FAILED:
            return t->fail_code;
        case ST_HEADER:
            n = 512 - t->hdr_fill;
            n = n < len ? n : len;
            memcpy(t->hdr + t->hdr_fill, data, n);
            t->hdr_fill += n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->hdr_fill == 512 && (rc = process_header(t)) != 0) {
                return rc;
            }
            break;
        case ST_META:
            n = t->remaining < len ? (size_t)t->remaining : len;
            if ((rc = dd__buf_add(&t->meta, data, n)) != 0) {
                return fail(t, rc);
            }
            t->remaining -= n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->remaining == 0) {
                uint64_t sz = t->meta.len;
                if ((rc = finish_meta(t)) != 0) {
                    return rc;
                }
                after_record(t, sz);
            }
            break;
        case ST_DATA:
        case ST_SKIP:
            n = t->remaining < len ? (size_t)t->remaining : len;
            if (t->state == ST_DATA && t->cb.data &&
                (rc = t->cb.data(t->cb.payload, data, n)) != 0) {
                return fail(t, rc);
            }
            t->remaining -= n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->remaining == 0) {
                if (t->state == ST_DATA && t->cb.entry_end &&
                    (rc = t->cb.entry_end(t->cb.payload)) != 0) {
                    return fail(t, rc);
                }
                t->state = t->pad ? ST_PAD : ST_HEADER;
            }
            break;
        case ST_PAD:
            n = t->pad < len ? (size_t)t->pad : len;
            t->pad -= n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->pad == 0) {
                t->state = ST_HEADER;
            }
            break;
        case ST_END:
            for (size_t i = 0; i < len && !t->trailing_reported; i++) {
                if (data[i]) {
                    anomaly(t, "archive.trailing-data", DD_SEV_LOW, t->pos + i,
                            "non-zero bytes after the tar end-of-archive "
                            "marker (hidden data is not analysed)");
                    t->trailing_reported = 1;
                }
            }
            t->pos += len;
            len = 0;
            break;
        }
    }
    return t->state == ST_FAILED ? t->fail_code : 0;
}

int dd__tar_finish(dd_tar *t)
{
    char msg[200];
    switch (t->state) {
    case ST_FAILED:
        return t->fail_code;
    case ST_END:
        return 0;
    case ST_HEADER:
        if (t->hdr_fill == 0) {
            if (t->have_entry_offset) {
                anomaly(t, "archive.truncated", DD_SEV_HIGH, t->pos,
                        "stream ended after a PAX/long-name record");
                return fail(t, DD_ECORRUPT);
            }
            return 0; /* missing end-of-archive blocks: accepted */
        }
        snprintf(msg, sizeof msg,
                 "stream ended inside a tar header (%zu of 512 bytes)",
                 t->hdr_fill);
        anomaly(t, "archive.truncated", DD_SEV_HIGH, t->pos - t->hdr_fill, msg);
        return fail(t, DD_ECORRUPT);
    case ST_PAD:
        anomaly(t, "archive.truncated", DD_SEV_LOW, t->pos,
                "stream ended inside the padding of the last entry");
        return 0;
    case ST_META:
    case ST_DATA:
    case ST_SKIP:
        snprintf(msg, sizeof msg,
                 "stream ended %llu bytes before the end of the entry "
                 "whose header is at offset %llu",
                 (unsigned long long)t->remaining,
                 (unsigned long long)t->entry_offset);
        anomaly(t, "archive.truncated", DD_SEV_HIGH, t->pos, msg);
        return fail(t, DD_ECORRUPT);
    }
    return 0;
}
