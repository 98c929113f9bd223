/*
 * lib/formats/tar.c - hardened streaming tar reader. See tar.h.
 *
 * Design notes: header-only types (links, directories, devices, FIFOs)
 * carry no data whatever their size field says, as in Go's archive/tar;
 * a header whose checksum fails stops the layer (there is no safe way to
 * resynchronise on hostile input); PAX and GNU long-name records are capped
 * by limits.max_pax_size before a byte is buffered.
 *
 * Sparse files: the map (old GNU header + extension blocks, PAX 0.0/0.1
 * records, or the 1.0 map blocks at the start of the data) is read into
 * `sp` and validated as Go's validateSparseEntries does; the stored
 * fragments are then handed to `data` with the holes between them filled
 * with zeros, so analyzers see what extraction writes. Any form Go
 * rejects is reported and the entry is delivered with its stored bytes.
 */
#include <stdio.h>
#include <string.h>

#include "tar.h"
#include "../../util/util.h"

enum tar_state {
    ST_HEADER,
    ST_META,
    ST_SPARSE_EXT, /* old GNU sparse extension blocks */
    ST_SPARSE_MAP, /* PAX 1.0 map blocks at the start of the data */
    ST_DATA,
    ST_SKIP,
    ST_PAD,
    ST_END,
    ST_FAILED
};

typedef struct sp_frag {
    uint64_t off, len;
} sp_frag;

/* A short value of a GNU.sparse.* record (major, minor, numblocks). */
typedef struct sp_val {
    char s[24];
    size_t len;
    int present, toolong;
} sp_val;

struct dd_tar {
    dd__tar_limits lim;
    dd__tar_callbacks cb;
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
    dd__buf meta;
    /* pending per-entry overrides from 'L', 'K' and 'x' records */
    dd__buf long_name, long_link, pax_path, pax_link;
    int has_long_name, has_long_link, has_pax_path, has_pax_link;
    int has_pax_size, has_pax_uid, has_pax_gid, has_pax_mtime;
    int pax_empty_path, pax_empty_link; /* present with an empty value */
    uint64_t pax_size, pax_uid, pax_gid;
    int64_t pax_mtime;
    /* pending GNU.sparse.* records */
    sp_val sp_major, sp_minor, sp_numblocks;
    dd__buf sp_map;  /* 0.1 map, or the 0.0 offset/numbytes pairs joined */
    dd__buf sp_name; /* GNU.sparse.name */
    int has_sp_map, has_sp_name, has_sp_size, has_sp_realsize;
    int sp_size_bad, sp_00_bad, sp_keys;
    uint64_t sp_00_count;
    uint64_t sp_size, sp_realsize;
    /* the entry being read */
    dd__tar_header ehdr; /* old GNU sparse: kept while reading extensions */
    uint64_t sp_oldreal; /* old GNU sparse: the real size field */
    dd__tar_entry pend;  /* PAX 1.0: announced once the map is read */
    dd__vec sp;          /* sp_frag: the current sparse map */
    int sp_bad;          /* the map could not be parsed */
    uint64_t sp_real;    /* logical size */
    uint64_t sp_lpos;    /* logical bytes delivered (data + holes) */
    size_t sp_fi;        /* current fragment */
    uint64_t sp_unref;   /* stored bytes beyond the last fragment */
    int sparse_active;   /* ST_DATA expands through `sp` */
    int sp_capped;       /* max_sparse_expand reached */
    uint64_t sp_newlines, sp_need; /* 1.0 map: newlines seen / needed */
    uint64_t entries;
    int trailing_reported;
    dd__buf name_buf; /* final name of the current entry */
    dd__buf link_buf; /* final link target of the current entry */
};

static const uint8_t zeros[65536];

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

static dd__tar_limits resolve_limits(const dd__tar_limits *in)
{
    dd__tar_limits l;
    memset(&l, 0, sizeof l);
    if (in) {
        l = *in;
    }
    if (!l.max_file_size) {
        l.max_file_size = 16ULL << 30;
    }
    if (!l.max_entries) {
        l.max_entries = 200000;
    }
    if (!l.max_path_len) {
        l.max_path_len = 4096;
    }
    if (!l.max_pax_size) {
        l.max_pax_size = 1u << 20;
    }
    if (!l.max_sparse_entries) {
        l.max_sparse_entries = 65536;
    }
    if (!l.max_sparse_expand) {
        l.max_sparse_expand = 1ULL << 30;
    }
    return l;
}

dd_tar *dd__tar_new(const dd__tar_limits *limits, const dd__tar_callbacks *cb)
{
    dd_tar *t = dd__calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->lim = resolve_limits(limits);
    t->cb = *cb;
    size_t cap = (size_t)t->lim.max_pax_size;
    dd__buf_init(&t->meta, cap);
    dd__buf_init(&t->long_name, cap);
    dd__buf_init(&t->long_link, cap);
    dd__buf_init(&t->pax_path, cap);
    dd__buf_init(&t->pax_link, cap);
    dd__buf_init(&t->sp_map, cap);
    dd__buf_init(&t->sp_name, cap);
    dd__buf_init(&t->name_buf, cap + 512);
    dd__buf_init(&t->link_buf, cap + 512);
    dd__vec_init(&t->sp, sizeof(sp_frag));
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
    dd__buf_free(&t->sp_map);
    dd__buf_free(&t->sp_name);
    dd__buf_free(&t->name_buf);
    dd__buf_free(&t->link_buf);
    dd__vec_free(&t->sp);
    dd__free(t);
}

uint64_t dd__tar_entries(const dd_tar *t)
{
    return t->entries;
}

/* Go's parser.parseOctal: trim NULs and spaces at both ends, cut at the
 * first NUL, then every byte must be an octal digit. */
static int parse_octal(const uint8_t *f, size_t n, uint64_t *out)
{
    size_t a = 0, b = n;
    while (a < b && (f[a] == ' ' || f[a] == '\0')) {
        a++;
    }
    while (b > a && (f[b - 1] == ' ' || f[b - 1] == '\0')) {
        b--;
    }
    const uint8_t *nul = a < b ? memchr(f + a, '\0', b - a) : NULL;
    if (nul) {
        b = (size_t)(nul - f);
    }
    uint64_t v = 0;
    for (size_t i = a; i < b; i++) {
        if (f[i] < '0' || f[i] > '7' || v > (UINT64_MAX >> 3)) {
            return -1;
        }
        v = (v << 3) | (uint64_t)(f[i] - '0');
    }
    *out = v;
    return 0;
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
    return parse_octal(f, n, out);
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

static int is_ascii(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 0x80) {
            return 0;
        }
    }
    return 1;
}

int dd__tar_parse_header(const uint8_t b[512], dd__tar_header *h)
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
    if (parse_octal(b + 148, 8, &want) != 0 ||
        (want != usum && (int64_t)want != ssum)) {
        return DD_TARH_BADSUM;
    }
    memset(h, 0, sizeof *h);
    if (memcmp(b + 257, "ustar\0", 6) == 0) {
        h->format =
            memcmp(b + 508, "tar\0", 4) == 0 ? DD_TARF_STAR : DD_TARF_USTAR;
    } else if (memcmp(b + 257, "ustar ", 6) == 0 &&
               memcmp(b + 263, " \0", 2) == 0) {
        h->format = DD_TARF_GNU;
    }
    size_t nlen = strnlen((const char *)b, 100);
    /* Python's tarfile prepends the 155-byte field to any header but
     * L/K/S; GNU tar to ustar ones; Go as below */
    size_t wide = strnlen((const char *)b + 345, 155);
    size_t plen = 0;
    if (h->format == DD_TARF_USTAR) {
        plen = wide;
    } else if (h->format == DD_TARF_STAR) {
        plen = strnlen((const char *)b + 345, 131);
    } else if (h->format == DD_TARF_GNU) {
        /* pre-Go 1.8 writers put a prefix where GNU keeps atime/ctime:
         * Go falls back to it when those do not parse */
        uint64_t tv;
        int bad = (b[345] && dd__tar_parse_number(b + 345, 12, &tv) != 0) ||
                  (b[357] && dd__tar_parse_number(b + 357, 12, &tv) != 0);
        if (bad && is_ascii(b + 345, wide)) {
            plen = wide;
        }
    }
    if (wide != plen && b[156] != 'L' && b[156] != 'K' && b[156] != 'S' &&
        b[156] != 'x' && b[156] != 'g') {
        h->prefix_differs = 1;
    }
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
    t->pax_empty_path = t->pax_empty_link = 0;
    t->has_pax_size = t->has_pax_uid = t->has_pax_gid = 0;
    t->has_pax_mtime = 0;
    memset(&t->sp_major, 0, sizeof t->sp_major);
    memset(&t->sp_minor, 0, sizeof t->sp_minor);
    memset(&t->sp_numblocks, 0, sizeof t->sp_numblocks);
    t->has_sp_map = t->has_sp_name = t->has_sp_size = 0;
    t->has_sp_realsize = t->sp_size_bad = t->sp_00_bad = t->sp_keys = 0;
    t->sp_00_count = 0;
    dd__buf_reset(&t->sp_map);
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

/* strconv.ParseInt(s, 10, 64) for a value that must not be negative:
 * an optional '+', digits only, at most INT64_MAX. */
static int parse_go_uint(const char *s, size_t n, uint64_t *out)
{
    if (n && s[0] == '+') {
        s++;
        n--;
    }
    uint64_t v;
    if (parse_decimal(s, n, &v, 0) != 0 || v > (uint64_t)INT64_MAX) {
        return -1;
    }
    *out = v;
    return 0;
}

static int set_buf(dd__buf *b, const char *s, size_t n)
{
    dd__buf_reset(b);
    return dd__buf_add(b, s, n);
}

static void set_val(sp_val *v, const char *s, size_t n)
{
    v->present = 1;
    v->toolong = n >= sizeof v->s;
    v->len = v->toolong ? 0 : n;
    if (!v->toolong) {
        memcpy(v->s, s, n);
        v->s[n] = '\0';
    }
}

static int val_is(const sp_val *v, const char *s)
{
    return v->present && !v->toolong && strcmp(v->s, s) == 0;
}

static int val_set(const sp_val *v)
{
    return v->present && (v->toolong || v->len > 0);
}

int dd__tar_pax_next(const char **cursor, size_t *left, dd__pax_record *out)
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

static int key_is(const dd__pax_record *r, const char *k)
{
    size_t n = strlen(k);
    return r->key_len == n && memcmp(r->key, k, n) == 0;
}

/* One GNU.sparse.* record (Go's parsePAX + readGNUSparsePAXHeaders). */
static int apply_sparse_key(dd_tar *t, const dd__pax_record *r)
{
    const char *v = r->value;
    size_t n = r->value_len;
    t->sp_keys = 1;
    if (key_is(r, "GNU.sparse.offset") || key_is(r, "GNU.sparse.numbytes")) {
        /* 0.0: offset, numbytes, offset, ... in this order, no commas */
        int want_off = t->sp_00_count % 2 == 0;
        if (want_off != key_is(r, "GNU.sparse.offset") || memchr(v, ',', n)) {
            t->sp_00_bad = 1;
            return 0;
        }
        int rc = 0;
        if (t->sp_00_count && (rc = dd__buf_add(&t->sp_map, ",", 1)) != 0) {
            return rc;
        }
        t->sp_00_count++;
        t->has_sp_map = 1;
        return dd__buf_add(&t->sp_map, v, n);
    }
    if (key_is(r, "GNU.sparse.map")) {
        if (t->sp_00_count) {
            /* Go: the joined 0.0 records replace it */
            return 0;
        }
        t->has_sp_map = 1;
        return set_buf(&t->sp_map, v, n);
    }
    if (key_is(r, "GNU.sparse.major")) {
        set_val(&t->sp_major, v, n);
    } else if (key_is(r, "GNU.sparse.minor")) {
        set_val(&t->sp_minor, v, n);
    } else if (key_is(r, "GNU.sparse.numblocks")) {
        set_val(&t->sp_numblocks, v, n);
    } else if (key_is(r, "GNU.sparse.name")) {
        t->has_sp_name = 1;
        return set_buf(&t->sp_name, v, n);
    } else if (key_is(r, "GNU.sparse.size") ||
               key_is(r, "GNU.sparse.realsize")) {
        int is_size = key_is(r, "GNU.sparse.size");
        uint64_t x = 0;
        int bad = n && parse_go_uint(v, n, &x) != 0;
        if (is_size) {
            t->has_sp_size = n > 0;
            t->sp_size = x;
        } else {
            t->has_sp_realsize = n > 0;
            t->sp_realsize = x;
        }
        t->sp_size_bad |= bad;
    }
    return 0;
}

/* Parse "LEN key=value\n" records of a PAX extended header. */
static int apply_pax(dd_tar *t, int global)
{
    const char *p = t->meta.ptr ? t->meta.ptr : "";
    size_t left = t->meta.len;
    uint64_t off = t->entry_offset;
    dd__pax_record r;
    int more;
    while ((more = dd__tar_pax_next(&p, &left, &r)) > 0) {
        const char *val = r.value;
        size_t vlen = r.value_len;
        int rc = 0;
        if (global) {
            /* global records are legal but we apply none of them (Go and
             * containerd do not either) */
        } else if (key_is(&r, "path")) {
            /* Go: an empty value keeps the header's field */
            t->pax_empty_path = vlen == 0;
            t->has_pax_path = vlen > 0;
            rc = set_buf(&t->pax_path, val, vlen);
        } else if (key_is(&r, "linkpath")) {
            t->pax_empty_link = vlen == 0;
            t->has_pax_link = vlen > 0;
            rc = set_buf(&t->pax_link, val, vlen);
        } else if (key_is(&r, "size")) {
            if (vlen == 0) {
                t->has_pax_size = 0;
            } else if (parse_go_uint(val, vlen, &t->pax_size) != 0) {
                anomaly(t, "archive.bad-size", DD_SEV_HIGH, off,
                        "PAX size record is not a decimal number");
                return fail(t, DD_ECORRUPT);
            } else {
                t->has_pax_size = 1;
            }
        } else if (key_is(&r, "uid")) {
            t->has_pax_uid = parse_decimal(val, vlen, &t->pax_uid, 0) == 0;
        } else if (key_is(&r, "gid")) {
            t->has_pax_gid = parse_decimal(val, vlen, &t->pax_gid, 0) == 0;
        } else if (key_is(&r, "mtime")) {
            uint64_t m;
            if (parse_decimal(val, vlen, &m, 1) == 0 && m <= INT64_MAX) {
                t->pax_mtime = (int64_t)m;
                t->has_pax_mtime = 1;
            }
        } else if (r.key_len > 11 && memcmp(r.key, "GNU.sparse.", 11) == 0) {
            rc = apply_sparse_key(t, &r);
        }
        if (rc == DD_ELIMIT) {
            anomaly(t, "archive.limit", DD_SEV_HIGH, off,
                    "PAX record value longer than max-pax-size");
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
        t->has_long_name = t->long_name.len > 0; /* Go ignores "" */
        break;
    case 'K':
        rc = set_buf(&t->long_link, p, strnlen(p, t->meta.len));
        t->has_long_link = t->long_link.len > 0;
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

static void bad_sparse(dd_tar *t, const char *why)
{
    char msg[1024];
    snprintf(msg, sizeof msg,
             "GNU sparse file: %s; Go's archive/tar (containerd) rejects "
             "the layer, other extractors may not: entry analysed with its "
             "stored bytes, layer incomplete",
             why);
    anomaly(t, "archive.bad-sparse", DD_SEV_HIGH, t->entry_offset, msg);
    t->sp_bad = 1;
}

static void differential(dd_tar *t, const char *what)
{
    char msg[1024];
    snprintf(msg, sizeof msg,
             "%s; drydock reads it as Go's archive/tar (containerd) does",
             what);
    anomaly(t, "archive.parser-differential", DD_SEV_HIGH, t->entry_offset,
            msg);
}

static int push_frag(dd_tar *t, uint64_t off, uint64_t len)
{
    if (t->sp.len >= t->lim.max_sparse_entries) {
        if (!t->sp_bad) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "more than %llu fragments in one sparse map "
                     "(max-sparse-entries)",
                     (unsigned long long)t->lim.max_sparse_entries);
            anomaly(t, "archive.limit", DD_SEV_HIGH, t->entry_offset, msg);
            t->sp_bad = 1;
        }
        return 0;
    }
    sp_frag *f = dd__vec_push(&t->sp);
    if (!f) {
        return DD_ENOMEM;
    }
    f->off = off;
    f->len = len;
    return 0;
}

/* Entries of an old GNU sparse header or extension block: `n` slots of
 * offset(12) + numbytes(12); an offset starting with NUL ends the list. */
static int old_sparse_entries(dd_tar *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = p + i * 24;
        if (e[0] == 0) {
            break;
        }
        uint64_t off, len;
        if (dd__tar_parse_number(e, 12, &off) != 0 ||
            dd__tar_parse_number(e + 12, 12, &len) != 0) {
            if (!t->sp_bad) {
                bad_sparse(t, "a sparse map entry is not a number");
            }
            return 0;
        }
        int rc = push_frag(t, off, len);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Go's validateSparseEntries (also BSD tar's checks). */
static int sparse_valid(dd_tar *t, uint64_t size)
{
    uint64_t pre_end = 0;
    if (size > (uint64_t)INT64_MAX) {
        return 0;
    }
    for (size_t i = 0; i < t->sp.len; i++) {
        const sp_frag *f = DD_VEC_AT(&t->sp, sp_frag, i);
        if (f->off > (uint64_t)INT64_MAX || f->len > (uint64_t)INT64_MAX ||
            f->off > (uint64_t)INT64_MAX - f->len) {
            return 0;
        }
        if (f->off + f->len > size || pre_end > f->off) {
            return 0;
        }
        pre_end = f->off + f->len;
    }
    return 1;
}

/* Parse the 0.1 form: numblocks and "off,len,off,len". */
static void parse_map01(dd_tar *t)
{
    uint64_t nb;
    if (t->sp_numblocks.toolong ||
        parse_go_uint(t->sp_numblocks.s, t->sp_numblocks.len, &nb) != 0) {
        bad_sparse(t, "GNU.sparse.numblocks missing or not a number");
        return;
    }
    const char *p = t->sp_map.ptr ? t->sp_map.ptr : "";
    size_t n = t->sp_map.len;
    uint64_t count = 0;
    for (size_t i = 0; i < n; i++) {
        count += p[i] == ',';
    }
    count = n ? count + 1 : 0;
    if (nb > UINT64_MAX / 2 || count != 2 * nb) {
        bad_sparse(t, "GNU.sparse.map does not hold numblocks pairs");
        return;
    }
    const char *s = p, *end = p + n;
    while (s < end && !t->sp_bad) {
        const char *c1 = memchr(s, ',', (size_t)(end - s));
        const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(end - c1 - 1)) : 0;
        const char *e2 = c2 ? c2 : end;
        uint64_t off, len;
        if (!c1 || parse_go_uint(s, (size_t)(c1 - s), &off) != 0 ||
            parse_go_uint(c1 + 1, (size_t)(e2 - c1 - 1), &len) != 0) {
            bad_sparse(t, "a GNU.sparse.map value is not a number");
            return;
        }
        if (push_frag(t, off, len) != 0) {
            bad_sparse(t, "out of memory for the sparse map");
            return;
        }
        s = c2 ? c2 + 1 : end;
    }
}

/* Parse a complete 1.0 map held in t->meta (newline-ended decimals). */
static void parse_map10(dd_tar *t)
{
    const char *p = t->meta.ptr, *end = p + t->meta.len;
    uint64_t vals[2];
    uint64_t count = 0, k = 0;
    int first = 1;
    while (!t->sp_bad) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            break;
        }
        uint64_t v;
        if (parse_go_uint(p, (size_t)(nl - p), &v) != 0) {
            bad_sparse(t, "a 1.0 sparse map value is not a number");
            return;
        }
        p = nl + 1;
        if (first) {
            count = v;
            first = 0;
        } else {
            vals[k % 2] = v;
            if (k % 2 == 1 && push_frag(t, vals[0], vals[1]) != 0) {
                bad_sparse(t, "out of memory for the sparse map");
                return;
            }
            k++;
        }
        if (!first && k == 2 * count) {
            break;
        }
    }
}

static int deliver(dd_tar *t, const uint8_t *p, size_t n)
{
    int rc;
    if (n && t->cb.data && (rc = t->cb.data(t->cb.payload, p, n)) != 0) {
        return fail(t, rc);
    }
    return 0;
}

/* Deliver `n` logical bytes (zeros when p is NULL) within the cap. */
static int sparse_emit(dd_tar *t, const uint8_t *p, uint64_t n)
{
    uint64_t room = t->lim.max_sparse_expand > t->sp_lpos
                        ? t->lim.max_sparse_expand - t->sp_lpos
                        : 0;
    uint64_t give = n < room ? n : room;
    t->sp_lpos += n;
    if (give < n && !t->sp_capped) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "sparse file expands to %llu bytes: only the first %llu "
                 "analysed (max-sparse-expand)",
                 (unsigned long long)t->sp_real,
                 (unsigned long long)t->lim.max_sparse_expand);
        anomaly(t, "archive.limit", DD_SEV_HIGH, t->entry_offset, msg);
        t->sp_capped = 1;
    }
    while (give) {
        size_t c = give < sizeof zeros ? (size_t)give : sizeof zeros;
        int rc = deliver(t, p ? p : zeros, c);
        if (rc) {
            return rc;
        }
        if (p) {
            p += c;
        }
        give -= c;
    }
    return 0;
}

/* Stored bytes of a sparse entry: fill holes, hand over fragments. */
static int sparse_feed(dd_tar *t, const uint8_t *p, size_t n)
{
    while (n) {
        while (t->sp_fi < t->sp.len &&
               DD_VEC_AT(&t->sp, sp_frag, t->sp_fi)->len == 0) {
            t->sp_fi++; /* empty fragments hold no data */
        }
        if (t->sp_fi >= t->sp.len) {
            t->sp_unref += n;
            return 0;
        }
        const sp_frag *f = DD_VEC_AT(&t->sp, sp_frag, t->sp_fi);
        int rc;
        if (t->sp_lpos < f->off &&
            (rc = sparse_emit(t, NULL, f->off - t->sp_lpos)) != 0) {
            return rc;
        }
        uint64_t left = f->off + f->len - t->sp_lpos;
        size_t take = left < n ? (size_t)left : n;
        if ((rc = sparse_emit(t, p, take)) != 0) {
            return rc;
        }
        p += take;
        n -= take;
        if (t->sp_lpos == f->off + f->len) {
            t->sp_fi++;
        }
    }
    return 0;
}

/* End of the stored bytes of a sparse entry. */
static int sparse_end(dd_tar *t)
{
    char msg[300];
    uint64_t missing = 0;
    for (size_t i = t->sp_fi; i < t->sp.len; i++) {
        const sp_frag *f = DD_VEC_AT(&t->sp, sp_frag, i);
        uint64_t done = t->sp_lpos > f->off ? t->sp_lpos - f->off : 0;
        missing += f->len > done ? f->len - done : 0;
    }
    if (missing || t->sp_unref) {
        snprintf(msg, sizeof msg,
                 "sparse file %s: its map %s (Go fails the layer with \"%s\"); "
                 "layer incomplete",
                 missing ? "is short" : "has extra data",
                 missing ? "references data the archive does not hold"
                         : "leaves stored bytes unreferenced",
                 missing ? "sparse file references non-existent data"
                         : "sparse file contains unreferenced data");
        anomaly(t, "archive.bad-sparse", DD_SEV_HIGH, t->entry_offset, msg);
    }
    int rc = 0;
    if (!missing && t->sp_lpos < t->sp_real) {
        rc = sparse_emit(t, NULL, t->sp_real - t->sp_lpos);
    }
    t->sparse_active = 0;
    return rc;
}

static int entry_limits(dd_tar *t, uint64_t stored, uint64_t logical)
{
    char msg[256];
    uint64_t big = stored > logical ? stored : logical;
    if (big > t->lim.max_file_size) {
        snprintf(msg, sizeof msg, "entry size %llu exceeds max-file-size %llu",
                 (unsigned long long)big,
                 (unsigned long long)t->lim.max_file_size);
        anomaly(t, "archive.limit", DD_SEV_HIGH, t->entry_offset, msg);
        return fail(t, DD_ELIMIT);
    }
    return 0;
}

/* Hand the entry in t->pend to the callback and move to its data. */
static int announce(dd_tar *t, int skip, uint64_t stored_left)
{
    int rc;
    if (!skip && t->cb.entry &&
        (rc = t->cb.entry(t->cb.payload, &t->pend)) != 0) {
        return fail(t, rc);
    }
    if (stored_left) {
        t->remaining = stored_left;
        t->state = skip ? ST_SKIP : ST_DATA;
        return 0;
    }
    if (!skip && t->sparse_active && (rc = sparse_end(t)) != 0) {
        return rc;
    }
    if (!skip && t->cb.entry_end &&
        (rc = t->cb.entry_end(t->cb.payload)) != 0) {
        return fail(t, rc);
    }
    t->state = t->pad ? ST_PAD : ST_HEADER;
    return 0;
}

static int begin_entry(dd_tar *t, const dd__tar_header *h)
{
    char msg[600];
    uint64_t off = t->entry_offset;
    dd__tar_entry *e = &t->pend;
    memset(e, 0, sizeof *e);
    int rc;

    t->entries++;
    if (t->entries > t->lim.max_entries) {
        snprintf(msg, sizeof msg,
                 "more than %llu entries in one layer (max-entries)",
                 (unsigned long long)t->lim.max_entries);
        anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
        return fail(t, DD_ELIMIT);
    }
    /* Go's order: PAX path over the header, then a GNU long name over
     * both (Python and GNU tar let the PAX path win) */
    dd__buf_reset(&t->name_buf);
    if (t->has_long_name) {
        rc = dd__buf_add(&t->name_buf, t->long_name.ptr, t->long_name.len);
        if (t->has_pax_path && (t->pax_path.len != t->long_name.len ||
                                memcmp(t->pax_path.ptr, t->long_name.ptr,
                                       t->long_name.len) != 0)) {
            char *a = dd__printable(t->long_name.ptr, 120);
            char *b = dd__printable(t->pax_path.ptr, 120);
            snprintf(msg, sizeof msg,
                     "entry has a GNU long name '%s' and a different PAX "
                     "path '%s' (Go extracts the first, GNU tar and Python "
                     "the second)",
                     a ? a : "", b ? b : "");
            dd__free(a);
            dd__free(b);
            differential(t, msg);
        }
    } else if (t->has_pax_path) {
        rc = dd__buf_add(&t->name_buf, t->pax_path.ptr, t->pax_path.len);
    } else {
        rc = dd__buf_addstr(&t->name_buf, h->name);
        if (t->pax_empty_path && h->name[0]) {
            differential(t, "empty PAX path record (Go keeps the header "
                            "name, Python uses the empty name)");
        }
    }
    if (!rc && h->prefix_differs && !t->has_long_name && !t->has_pax_path) {
        differential(t, "header prefix field read differently by Go, GNU "
                        "tar and Python (star/GNU header with a prefix)");
    }
    dd__buf_reset(&t->link_buf);
    if (!rc) {
        if (t->has_long_link) {
            rc = dd__buf_add(&t->link_buf, t->long_link.ptr, t->long_link.len);
        } else if (t->has_pax_link) {
            rc = dd__buf_add(&t->link_buf, t->pax_link.ptr, t->pax_link.len);
        } else {
            rc = dd__buf_addstr(&t->link_buf, h->linkname);
        }
        if (!rc && t->has_long_link && t->has_pax_link &&
            strcmp(t->long_link.ptr, t->pax_link.ptr) != 0) {
            differential(t, "entry has a GNU long link and a different PAX "
                            "linkpath (Go uses the first, GNU tar and "
                            "Python the second)");
        }
    }
    if (rc) {
        return fail(t, rc == DD_ELIMIT ? DD_ENOMEM : rc);
    }
    char tf = h->typeflag;
    if (tf == '\0' && t->name_buf.len &&
        t->name_buf.ptr[t->name_buf.len - 1] == '/') {
        tf = '5'; /* v7: a regular file named "dir/" is a directory */
    }
    uint64_t size = t->has_pax_size ? t->pax_size : h->size;
    uint64_t stored = dd__tar_header_only_type(tf) ? 0 : size;
    uint64_t logical = stored;
    /* which sparse form, as Go's handleSparseFile decides */
    int sparse = 0, is10 = 0;
    if (tf == 'S') {
        if (h->format != DD_TARF_GNU) {
            t->sp.len = 0;
            bad_sparse(t, "type 'S' header without the GNU magic");
        } else if (!t->sp_bad) {
            sparse = 1;
            logical = t->sp_oldreal;
        }
    } else {
        t->sp.len = 0;
        t->sp_bad = 0;
    }
    if (tf != 'S' && t->sp_keys) {
        if (val_is(&t->sp_major, "0") &&
            (val_is(&t->sp_minor, "0") || val_is(&t->sp_minor, "1"))) {
            sparse = 1;
        } else if (val_is(&t->sp_major, "1") && val_is(&t->sp_minor, "0")) {
            sparse = is10 = 1;
        } else if (val_set(&t->sp_major) || val_set(&t->sp_minor)) {
            snprintf(msg, sizeof msg,
                     "unknown GNU sparse version %.20s.%.20s (Go extracts the "
                     "stored bytes as they are, GNU tar may expand them)",
                     t->sp_major.toolong ? "?" : t->sp_major.s,
                     t->sp_minor.toolong ? "?" : t->sp_minor.s);
            bad_sparse(t, msg);
        } else if (t->has_sp_map && t->sp_map.len) {
            sparse = 1;
        } else if (t->has_sp_size || t->has_sp_realsize || t->has_sp_name) {
            differential(t, "GNU.sparse.name/size records without a sparse "
                            "map (Go extracts a plain entry, Python renames "
                            "or resizes it)");
        }
        if (t->sp_00_bad) {
            bad_sparse(t, "GNU.sparse.offset/numbytes records out of order");
            sparse = 0;
        }
        if (sparse && dd__tar_header_only_type(tf)) {
            snprintf(msg, sizeof msg,
                     "sparse records on a header-only entry (type '%c')", tf);
            bad_sparse(t, msg);
            sparse = 0;
        }
        if (sparse) {
            if (t->has_sp_name && t->sp_name.len) {
                dd__buf_reset(&t->name_buf);
                if ((rc = dd__buf_add(&t->name_buf, t->sp_name.ptr,
                                      t->sp_name.len)) != 0) {
                    return fail(t, rc == DD_ELIMIT ? DD_ENOMEM : rc);
                }
            }
            if (t->sp_size_bad) {
                bad_sparse(t, "GNU.sparse.size/realsize is not a number");
                sparse = 0;
            } else {
                logical = t->has_sp_size       ? t->sp_size
                          : t->has_sp_realsize ? t->sp_realsize
                                               : stored;
            }
            if (sparse && !is10) {
                parse_map01(t);
                sparse = !t->sp_bad;
            }
        }
        if (!sparse) {
            logical = stored;
        }
    }
    if (sparse && !is10 && !sparse_valid(t, logical)) {
        bad_sparse(t, "the map's fragments overlap, are out of order or "
                      "extend past the file size");
        sparse = 0;
        logical = stored;
    }
    if ((rc = entry_limits(t, stored, sparse ? logical : stored)) != 0) {
        return rc;
    }
    e->name = t->name_buf.ptr;
    e->name_len = t->name_buf.len;
    e->linkname = t->link_buf.ptr ? t->link_buf.ptr : "";
    e->typeflag = tf;
    e->mode = h->mode;
    e->uid = t->has_pax_uid ? t->pax_uid : h->uid;
    e->gid = t->has_pax_gid ? t->pax_gid : h->gid;
    e->mtime = t->has_pax_mtime ? t->pax_mtime : h->mtime;
    e->offset = off;
    e->stored = stored;
    e->sparse = sparse;
    e->size =
        sparse ? (logical < t->lim.max_sparse_expand ? logical
                                                     : t->lim.max_sparse_expand)
               : stored;
    t->sp_real = logical;
    t->sp_lpos = 0;
    t->sp_fi = 0;
    t->sp_unref = 0;
    t->sp_capped = 0;
    t->sparse_active = sparse && !is10;
    int skip = 0;
    if (tf == 'V' || tf == 'M') {
        anomaly(t, "archive.unsupported-entry", DD_SEV_LOW, off,
                "GNU volume or multi-volume header skipped");
        skip = 1;
    } else if (!strchr("0123456 7S", tf) || tf == ' ') {
        if (tf != '\0') {
            snprintf(msg, sizeof msg,
                     "unknown tar type flag 0x%02x, entry skipped",
                     (unsigned char)tf);
            anomaly(t, "archive.unsupported-entry", DD_SEV_LOW, off, msg);
            skip = 1;
        }
    }
    if (e->name_len > t->lim.max_path_len) {
        snprintf(msg, sizeof msg,
                 "path of %zu bytes exceeds max-path-len %llu, entry skipped",
                 e->name_len, (unsigned long long)t->lim.max_path_len);
        anomaly(t, "archive.limit", DD_SEV_HIGH, off, msg);
        skip = 1;
    }
    reset_pending(t);
    t->pad = pad512(stored);
    if (is10 && !skip) {
        /* the map is in the first data blocks: announce after reading it */
        dd__buf_reset(&t->meta);
        t->sp_newlines = 0;
        t->sp_need = 1;
        t->remaining = stored;
        if (stored == 0) {
            bad_sparse(t, "1.0 sparse map missing (no data)");
            t->pend.sparse = 0;
            t->pend.size = 0;
            t->sp_bad = 0;
            return announce(t, 0, 0);
        }
        t->state = ST_SPARSE_MAP;
        return 0;
    }
    return announce(t, skip, stored);
}

/* One 512-byte block of a 1.0 map is in t->meta's tail. */
static int map10_block(dd_tar *t)
{
    const char *blk = t->meta.ptr + t->meta.len - 512;
    for (size_t i = 0; i < 512; i++) {
        t->sp_newlines += blk[i] == '\n';
    }
    if (t->sp_need == 1 && t->sp_newlines >= 1) {
        const char *nl = memchr(t->meta.ptr, '\n', t->meta.len);
        uint64_t count = 0;
        if (parse_go_uint(t->meta.ptr, (size_t)(nl - t->meta.ptr), &count) !=
                0 ||
            count > t->lim.max_sparse_entries) {
            bad_sparse(t, count > t->lim.max_sparse_entries
                              ? "1.0 map holds more fragments than "
                                "max-sparse-entries"
                              : "1.0 map count is not a number");
            return 1;
        }
        t->sp_need = 1 + 2 * count;
    }
    if (t->sp_newlines >= t->sp_need) {
        parse_map10(t);
        if (!t->sp_bad && !sparse_valid(t, t->sp_real)) {
            bad_sparse(t, "the map's fragments overlap, are out of order or "
                          "extend past the file size");
        }
        return 1;
    }
    return 0;
}

/* The 1.0 map is read (or failed): announce the entry, deliver data. */
static int map10_done(dd_tar *t)
{
    int rc;
    if (t->sp_bad) {
        /* plain entry with its stored bytes, map blocks included */
        t->pend.sparse = 0;
        t->pend.size = t->pend.stored;
        t->sp_bad = 0;
        t->sparse_active = 0;
        if (t->cb.entry && (rc = t->cb.entry(t->cb.payload, &t->pend)) != 0) {
            return fail(t, rc);
        }
        if ((rc = deliver(t, (const uint8_t *)t->meta.ptr, t->meta.len)) != 0) {
            return rc;
        }
        dd__buf_reset(&t->meta);
        if (t->remaining) {
            t->state = ST_DATA;
            return 0;
        }
        if (t->cb.entry_end && (rc = t->cb.entry_end(t->cb.payload)) != 0) {
            return fail(t, rc);
        }
        t->state = t->pad ? ST_PAD : ST_HEADER;
        return 0;
    }
    if ((rc = entry_limits(t, t->pend.stored, t->sp_real)) != 0) {
        return rc;
    }
    dd__buf_reset(&t->meta);
    t->sparse_active = 1;
    return announce(t, 0, t->remaining);
}

static int process_header(dd_tar *t)
{
    dd__tar_header h;
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
                "lone zero block inside the archive (Python and Go stop "
                "there, GNU tar warns)");
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
    case 'S':
        t->ehdr = h;
        t->sp.len = 0;
        t->sp_bad = 0;
        if (h.format == DD_TARF_GNU) {
            int rc = old_sparse_entries(t, t->hdr + 386, 4);
            if (rc) {
                return fail(t, rc);
            }
            if (dd__tar_parse_number(t->hdr + 483, 12, &t->sp_oldreal) != 0) {
                bad_sparse(t, "the real size field is not a number");
            }
            if (t->hdr[482]) {
                t->state = ST_SPARSE_EXT;
                return 0;
            }
        }
        return begin_entry(t, &h);
    default:
        return begin_entry(t, &h);
    }
}

/* One old GNU sparse extension block is in t->hdr. */
static int process_ext(dd_tar *t)
{
    t->hdr_fill = 0;
    int rc = old_sparse_entries(t, t->hdr, 21);
    if (rc) {
        return fail(t, rc);
    }
    if (t->hdr[504]) {
        return 0; /* another one follows */
    }
    t->state = ST_HEADER;
    return begin_entry(t, &t->ehdr);
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
        case ST_SPARSE_EXT:
            n = 512 - t->hdr_fill;
            n = n < len ? n : len;
            memcpy(t->hdr + t->hdr_fill, data, n);
            t->hdr_fill += n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->hdr_fill == 512) {
                rc = t->state == ST_HEADER ? process_header(t) : process_ext(t);
                if (rc) {
                    return rc;
                }
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
        case ST_SPARSE_MAP: {
            /* whole 512-byte blocks, as Go reads them */
            size_t inblk = t->meta.len % 512;
            if (t->remaining < 512 - inblk) {
                bad_sparse(t, "the 1.0 sparse map runs past the entry's data");
                if ((rc = map10_done(t)) != 0) {
                    return rc;
                }
                break;
            }
            n = 512 - inblk;
            n = n < len ? n : len;
            rc = dd__buf_add(&t->meta, data, n);
            if (rc == DD_ELIMIT) {
                anomaly(t, "archive.limit", DD_SEV_HIGH, t->entry_offset,
                        "1.0 sparse map larger than max-pax-size");
                return fail(t, rc);
            } else if (rc) {
                return fail(t, rc);
            }
            t->remaining -= n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->meta.len % 512 == 0 && map10_block(t) &&
                (rc = map10_done(t)) != 0) {
                return rc;
            }
            break;
        }
        case ST_DATA:
        case ST_SKIP:
            n = t->remaining < len ? (size_t)t->remaining : len;
            if (t->state == ST_DATA) {
                rc = t->sparse_active ? sparse_feed(t, data, n)
                                      : deliver(t, data, n);
                if (rc) {
                    return rc;
                }
            }
            t->remaining -= n;
            t->pos += n;
            data += n;
            len -= n;
            if (t->remaining == 0) {
                if (t->state == ST_DATA && t->sparse_active &&
                    (rc = sparse_end(t)) != 0) {
                    return rc;
                }
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
    case ST_SPARSE_EXT:
        anomaly(t, "archive.truncated", DD_SEV_HIGH, t->pos,
                "stream ended inside the sparse extension blocks of the "
                "entry whose header is at this offset");
        return fail(t, DD_ECORRUPT);
    case ST_META:
    case ST_SPARSE_MAP:
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
