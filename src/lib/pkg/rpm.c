/*
 * lib/pkg/rpm.c - one rpm header blob, as an rpmdb stores it.
 *
 * Layout (rpm's headerImport): be32 il (index entries), be32 dl (data
 * bytes), il entries of {be32 tag, be32 type, be32 offset, be32 count},
 * then dl bytes of data. Every offset, count and string is checked against
 * the blob before use; a bad entry makes the whole header a warning, never
 * a guess. The region tags (63 immutable etc.) carry no package data and
 * are not needed to read the tags below, so they are not interpreted.
 */
#include <stdio.h>
#include <string.h>

#include "pkgdb.h"

enum {
    T_NULL = 0,
    T_CHAR,
    T_INT8,
    T_INT16,
    T_INT32,
    T_INT64,
    T_STRING,
    T_BIN,
    T_STRING_ARRAY,
    T_I18NSTRING
};

enum {
    TAG_SIGMD5 = 261,
    TAG_NAME = 1000,
    TAG_VERSION = 1001,
    TAG_RELEASE = 1002,
    TAG_EPOCH = 1003,
    TAG_VENDOR = 1011,
    TAG_LICENSE = 1014,
    TAG_PACKAGER = 1015,
    TAG_ARCH = 1022,
    TAG_OLDFILENAMES = 1027,
    TAG_SOURCERPM = 1044,
    TAG_DIRINDEXES = 1116,
    TAG_BASENAMES = 1117,
    TAG_DIRNAMES = 1118,
    TAG_MODULARITYLABEL = 5096
};

#define HDR_MAX_TAGS  0xffffu
#define HDR_MAX_DATA  0x0fffffffu
#define HDR_MAX_FILES 1000000u

typedef struct hdr {
    const uint8_t *index;
    const uint8_t *data;
    uint32_t il, dl;
} hdr;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

typedef struct entry {
    uint32_t type, offset, count;
} entry;

static int find(const hdr *h, uint32_t tag, entry *e)
{
    for (uint32_t i = 0; i < h->il; i++) {
        const uint8_t *x = h->index + 16u * i;
        if (be32(x) == tag) {
            e->type = be32(x + 4);
            e->offset = be32(x + 8);
            e->count = be32(x + 12);
            return e->offset < h->dl ? 1 : -1;
        }
    }
    return 0;
}

/* NUL-terminated string at data[off], or NULL when it runs off the end. */
static const char *str_at(const hdr *h, uint32_t off)
{
    if (off >= h->dl) {
        return NULL;
    }
    const char *s = (const char *)h->data + off;
    return memchr(s, '\0', h->dl - off) ? s : NULL;
}

/* 1 found, 0 absent, -1 malformed. */
static int get_str(const hdr *h, uint32_t tag, const char **out)
{
    entry e;
    int f = find(h, tag, &e);
    if (f <= 0) {
        return f;
    }
    if (e.type != T_STRING && e.type != T_I18NSTRING &&
        e.type != T_STRING_ARRAY) {
        return -1;
    }
    *out = str_at(h, e.offset);
    return *out ? 1 : -1;
}

static int get_i32(const hdr *h, uint32_t tag, uint32_t *out)
{
    entry e;
    int f = find(h, tag, &e);
    if (f <= 0) {
        return f;
    }
    if (e.type != T_INT32 || e.count < 1 || h->dl - e.offset < 4) {
        return -1;
    }
    *out = be32(h->data + e.offset);
    return 1;
}

/* String array: fills ptrs[0..count) walking consecutive strings. */
static int get_strv(dd__pkgdb *db,
                    const hdr *h,
                    uint32_t tag,
                    const char ***out,
                    uint32_t *count)
{
    entry e;
    int f = find(h, tag, &e);
    if (f <= 0) {
        return f;
    }
    if (e.type != T_STRING_ARRAY || e.count > HDR_MAX_FILES ||
        e.count > h->dl - e.offset) {
        return -1;
    }
    const char **v =
        dd__arena_alloc(&db->strings, (e.count ? e.count : 1) * sizeof *v);
    if (!v) {
        db->oom = 1;
        return -1;
    }
    uint32_t off = e.offset;
    for (uint32_t i = 0; i < e.count; i++) {
        v[i] = str_at(h, off);
        if (!v[i]) {
            return -1;
        }
        off += (uint32_t)strlen(v[i]) + 1;
    }
    *out = v;
    *count = e.count;
    return 1;
}

static const char *dup(dd__pkgdb *db, const char *s)
{
    return s ? dd__pkgdb_strndup(db, s, strlen(s)) : NULL;
}

static int files(dd__pkgdb *db, const hdr *h, dd_package *p)
{
    const char **base = NULL, **dirs = NULL;
    uint32_t nb = 0, nd = 0;
    int fb = get_strv(db, h, TAG_BASENAMES, &base, &nb);
    if (fb < 0) {
        return -1;
    }
    if (fb == 0) {
        const char **old = NULL;
        uint32_t no = 0;
        int fo = get_strv(db, h, TAG_OLDFILENAMES, &old, &no);
        if (fo < 0) {
            return -1;
        }
        for (uint32_t i = 0; i < no; i++) {
            while (*old[i] == '/') {
                old[i]++;
            }
            old[i] = dup(db, old[i]);
        }
        p->files = old;
        p->n_files = no;
        return 0;
    }
    entry di;
    if (get_strv(db, h, TAG_DIRNAMES, &dirs, &nd) <= 0 ||
        find(h, TAG_DIRINDEXES, &di) <= 0 || di.type != T_INT32 ||
        di.count != nb || (h->dl - di.offset) / 4 < nb) {
        return -1;
    }
    const char **f = dd__arena_alloc(&db->strings, (nb ? nb : 1) * sizeof *f);
    if (!f) {
        db->oom = 1;
        return -1;
    }
    for (uint32_t i = 0; i < nb; i++) {
        uint32_t k = be32(h->data + di.offset + 4u * i);
        if (k >= nd) {
            return -1;
        }
        const char *d = dirs[k];
        while (*d == '/') {
            d++;
        }
        size_t dl = strlen(d), bl = strlen(base[i]);
        char *s = dd__arena_alloc(&db->strings, dl + bl + 1);
        if (!s) {
            db->oom = 1;
            return -1;
        }
        memcpy(s, d, dl);
        memcpy(s + dl, base[i], bl + 1);
        f[i] = s;
    }
    p->files = f;
    p->n_files = nb;
    return 0;
}

/* "name-version-release.src.rpm" -> name, "version-release" */
static void split_srpm(dd__pkgdb *db, dd_package *p)
{
    const char *s = p->source_rpm;
    size_t n = strlen(s);
    if (n > 8 && strcmp(s + n - 8, ".src.rpm") == 0) {
        n -= 8;
    } else if (n > 10 && strcmp(s + n - 10, ".nosrc.rpm") == 0) {
        n -= 10;
    }
    const char *r = NULL, *v = NULL;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == '-') {
            if (!r) {
                r = s + i;
            } else {
                v = s + i;
                break;
            }
        }
    }
    if (!v) {
        return;
    }
    p->source_name = dd__pkgdb_strndup(db, s, (size_t)(v - s));
    p->source_version = dd__pkgdb_strndup(db, v + 1, (size_t)(s + n - v - 1));
}

int dd__rpm_header_parse(dd__pkgdb *db,
                         const uint8_t *blob,
                         size_t len,
                         const char *where)
{
    hdr h;
    if (len < 8) {
        dd__pkgdb_warn(db, "%s: header blob of %zu bytes is truncated", where,
                       len);
        db->complete = 0;
        return 0;
    }
    h.il = be32(blob);
    h.dl = be32(blob + 4);
    if (h.il < 1 || h.il > HDR_MAX_TAGS || h.dl > HDR_MAX_DATA ||
        (uint64_t)8 + 16ull * h.il + h.dl > len) {
        dd__pkgdb_warn(db,
                       "%s: header claims %u tags and %u data bytes but "
                       "the blob has %zu bytes",
                       where, h.il, h.dl, len);
        db->complete = 0;
        return 0;
    }
    h.index = blob + 8;
    h.data = h.index + 16u * h.il;
    const char *name = NULL, *ver = NULL, *rel = NULL, *arch = NULL,
               *lic = NULL, *vendor = NULL, *pk = NULL, *srpm = NULL,
               *mod = NULL;
    uint32_t epoch = 0;
    int bad = get_str(&h, TAG_NAME, &name) <= 0 ||
              get_str(&h, TAG_VERSION, &ver) <= 0 ||
              get_str(&h, TAG_RELEASE, &rel) < 0 ||
              get_str(&h, TAG_ARCH, &arch) < 0 ||
              get_str(&h, TAG_LICENSE, &lic) < 0 ||
              get_str(&h, TAG_VENDOR, &vendor) < 0 ||
              get_str(&h, TAG_PACKAGER, &pk) < 0 ||
              get_str(&h, TAG_SOURCERPM, &srpm) < 0 ||
              get_str(&h, TAG_MODULARITYLABEL, &mod) < 0;
    int has_epoch = bad ? 0 : get_i32(&h, TAG_EPOCH, &epoch);
    if (bad || has_epoch < 0) {
        dd__pkgdb_warn(db,
                       "%s: header lacks a name/version or has a "
                       "malformed tag: skipped",
                       where);
        db->complete = 0;
        return 0;
    }
    if (strcmp(name, "gpg-pubkey") == 0) {
        return 0; /* imported signing keys, not software */
    }
    dd_package *p = dd__pkgdb_add(db, DD_PKG_RPM);
    if (!p) {
        return DD_ENOMEM;
    }
    p->name = dup(db, name);
    p->upstream = dup(db, ver);
    p->release = rel && *rel ? dup(db, rel) : NULL;
    p->arch = dup(db, arch);
    p->license = dup(db, lic);
    p->vendor = dup(db, vendor);
    p->maintainer = dup(db, pk);
    p->modularity = mod && *mod ? dup(db, mod) : NULL;
    if (has_epoch > 0) {
        char e[16];
        int n = snprintf(e, sizeof e, "%u", epoch);
        p->epoch = dd__pkgdb_strndup(db, e, (size_t)n);
    }
    entry md5;
    if (find(&h, TAG_SIGMD5, &md5) > 0 && md5.type == T_BIN &&
        md5.count == 16 && h.dl - md5.offset >= 16) {
        char hex[33];
        dd__hex(h.data + md5.offset, 16, hex);
        p->checksum = dd__pkgdb_strndup(db, hex, 32);
    }
    if (dd__pkgdb_full_version(db, p)) {
        return DD_ENOMEM;
    }
    if (srpm && *srpm) {
        p->source_rpm = dup(db, srpm);
        if (p->source_rpm) {
            split_srpm(db, p);
        }
    }
    if (!p->source_name) {
        p->source_name = p->name;
        p->source_version = p->version;
    }
    if (files(db, &h, p) < 0 && !db->oom) {
        dd__pkgdb_warn(db, "%s: package '%.100s': malformed file list", where,
                       p->name);
        db->complete = 0;
    }
    return db->oom ? DD_ENOMEM : 0;
}
