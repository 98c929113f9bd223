/*
 * lib/pkg/rpmdb.c - the three rpmdb storage formats, read from memory.
 *
 * Berkeley DB "Packages" (rpm <= 4.15, RHEL/CentOS <= 8, Amazon Linux 2):
 * a hash database read with our own read-only page walker - no libdb,
 * no writes, both byte orders. Every hash page's key/value pairs are
 * visited; values live inline or in chains of overflow pages whose length
 * and page numbers are checked and whose walk is bounded by the page count.
 *
 * NDB "Packages.db" (SUSE): a slot table (16-byte slots 'Slot', pkgidx,
 * block offset, block count) followed by blobs of 16-byte blocks, each
 * framed by a 'BlbS' head (pkgidx, generation, length) and a 'BlbE' tail.
 *
 * SQLite "rpmdb.sqlite" (Fedora >= 33, RHEL 9, Mariner): the bytes are
 * handed to SQLite with sqlite3_deserialize() - never written to disk - on
 * a connection in defensive mode with triggers, views and untrusted schema
 * functions disabled, read-only. A WAL-mode header is flipped to rollback
 * mode in our copy (uncheckpointed -wal content is not seen).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "pkgdb.h"
#include "../../util/map.h"

/* ---- Berkeley DB hash ------------------------------------------------ */

#define BDB_HASH_MAGIC  0x061561u
#define P_HASH_UNSORTED 2
#define P_OVERFLOW      7
#define P_HASHMETA      8
#define P_HASH          13
#define H_KEYDATA       1
#define H_OFFPAGE       3
#define PAGE_HDR        26

typedef struct bdb {
    const uint8_t *d;
    size_t len;
    uint32_t pagesize, npages;
    int swap; /* 1: big-endian file */
} bdb;

static uint32_t rd32(const bdb *b, const uint8_t *p)
{
    return b->swap ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                      (uint32_t)p[2] << 8 | p[3])
                   : ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
                      (uint32_t)p[1] << 8 | p[0]);
}

static uint16_t rd16(const bdb *b, const uint8_t *p)
{
    return b->swap ? (uint16_t)(p[0] << 8 | p[1])
                   : (uint16_t)(p[1] << 8 | p[0]);
}

/* Assemble an overflow chain into *out (caller frees). 0 ok, -1 corrupt,
 * DD_ENOMEM. */
static int overflow(const bdb *b, uint32_t pgno, uint32_t tlen, uint8_t **out)
{
    if (tlen == 0 || tlen > b->len) {
        return -1;
    }
    uint8_t *buf = dd__malloc(tlen);
    if (!buf) {
        return DD_ENOMEM;
    }
    uint32_t got = 0, steps = 0;
    while (pgno && got < tlen) {
        if (pgno >= b->npages || ++steps > b->npages) {
            break; /* out of range or a cycle */
        }
        const uint8_t *pg = b->d + (size_t)pgno * b->pagesize;
        if (pg[25] != P_OVERFLOW) {
            break;
        }
        uint32_t n = rd16(b, pg + 22);
        if (n > b->pagesize - PAGE_HDR || n > tlen - got) {
            break;
        }
        memcpy(buf + got, pg + PAGE_HDR, n);
        got += n;
        pgno = rd32(b, pg + 16);
    }
    if (got != tlen) {
        dd__free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

int dd__rpmdb_bdb(dd__pkgdb *db, const uint8_t *data, size_t len)
{
    bdb b = {data, len, 0, 0, 0};
    if (len < 512) {
        dd__pkgdb_warn(db, "%zu bytes: too short for a Berkeley DB", len);
        db->complete = 0;
        return 0;
    }
    if (rd32(&b, data + 12) != BDB_HASH_MAGIC) {
        b.swap = 1;
        if (rd32(&b, data + 12) != BDB_HASH_MAGIC) {
            dd__pkgdb_warn(db, "not a Berkeley DB hash database (magic at "
                               "offset 12)");
            db->complete = 0;
            return 0;
        }
    }
    b.pagesize = rd32(&b, data + 20);
    if (b.pagesize < 512 || b.pagesize > 65536 ||
        (b.pagesize & (b.pagesize - 1)) || data[25] != P_HASHMETA ||
        data[24] != 0) {
        dd__pkgdb_warn(db,
                       "unsupported Berkeley DB metadata page (page size "
                       "%u, type %u, encryption %u)",
                       b.pagesize, data[25], data[24]);
        db->complete = 0;
        return 0;
    }
    uint64_t last = (uint64_t)rd32(&b, data + 32) + 1;
    uint64_t have = len / b.pagesize;
    if (last > have) {
        dd__pkgdb_warn(db,
                       "file holds %llu pages, metadata says %llu: "
                       "truncated",
                       (unsigned long long)have, (unsigned long long)last);
        db->complete = 0;
        last = have;
    }
    b.npages = (uint32_t)last;
    dd__map seen;
    if (dd__map_init(&seen)) {
        return DD_ENOMEM;
    }
    int rc = 0;
    char where[64];
    for (uint32_t pg = 1; pg < b.npages && !rc; pg++) {
        const uint8_t *p = data + (size_t)pg * b.pagesize;
        if (p[25] != P_HASH && p[25] != P_HASH_UNSORTED) {
            continue;
        }
        uint32_t n = rd16(&b, p + 20);
        if (PAGE_HDR + 2ull * n > b.pagesize) {
            dd__pkgdb_warn(db, "page %u: %u entries do not fit the page", pg,
                           n);
            db->complete = 0;
            continue;
        }
        for (uint32_t i = 0; i + 1 < n && !rc; i += 2) {
            uint32_t ko = rd16(&b, p + PAGE_HDR + 2 * i);
            uint32_t vo = rd16(&b, p + PAGE_HDR + 2 * (i + 1));
            /* items grow down from the page end: item i ends where item
             * i-1 starts */
            uint32_t kend =
                i ? rd16(&b, p + PAGE_HDR + 2 * (i - 1)) : b.pagesize;
            if (ko >= kend || vo >= ko || kend > b.pagesize) {
                dd__pkgdb_warn(db, "page %u: item %u has a bad offset", pg, i);
                db->complete = 0;
                break;
            }
            const uint8_t *key = p + ko;
            size_t klen = kend - ko;
            if (key[0] != H_KEYDATA || klen < 2) {
                continue;
            }
            /* key 0 holds rpm's "next header number", not a package */
            int zero = 1;
            for (size_t k = 1; k < klen; k++) {
                zero &= key[k] == 0;
            }
            if (zero) {
                continue;
            }
            char kh[64];
            size_t kl = klen - 1 > 31 ? 31 : klen - 1;
            dd__hex(key + 1, kl, kh);
            int64_t dummy;
            if (dd__map_get(&seen, kh, 2 * kl, &dummy)) {
                continue; /* stale copy after a bucket split */
            }
            char *keep = dd__arena_strndup(&db->strings, kh, 2 * kl);
            if (!keep || dd__map_put(&seen, keep, 2 * kl, 1)) {
                rc = DD_ENOMEM;
                break;
            }
            snprintf(where, sizeof where, "page %u item %u", pg, i + 1);
            const uint8_t *val = p + vo;
            if (val[0] == H_KEYDATA) {
                rc = dd__rpm_header_parse(db, val + 1, ko - vo - 1, where);
            } else if (val[0] == H_OFFPAGE) {
                if ((size_t)vo + 12 > ko) {
                    dd__pkgdb_warn(db, "%s: truncated overflow reference",
                                   where);
                    db->complete = 0;
                    continue;
                }
                uint8_t *blob = NULL;
                uint32_t tlen = rd32(&b, val + 8);
                int o = overflow(&b, rd32(&b, val + 4), tlen, &blob);
                if (o == DD_ENOMEM) {
                    rc = o;
                } else if (o) {
                    dd__pkgdb_warn(db,
                                   "%s: broken overflow chain from page "
                                   "%u (%u bytes)",
                                   where, rd32(&b, val + 4), tlen);
                    db->complete = 0;
                } else {
                    rc = dd__rpm_header_parse(db, blob, tlen, where);
                    dd__free(blob);
                }
            }
        }
    }
    dd__map_free(&seen);
    return rc;
}

/* ---- NDB ------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 |
           p[0];
}

#define NDB_MAGIC  0x506d7052u /* "RpmP" */
#define SLOT_MAGIC 0x746f6c53u /* "Slot" */
#define BLOB_HEAD  0x53626c42u /* "BlbS" */
#define BLOB_TAIL  0x45626c42u /* "BlbE" */
#define NDB_PAGE   4096u
#define NDB_BLK    16u

int dd__rpmdb_ndb(dd__pkgdb *db, const uint8_t *data, size_t len)
{
    if (len < 32 || le32(data) != NDB_MAGIC || le32(data + 4) != 0) {
        dd__pkgdb_warn(db, "not an rpm NDB database (magic/version)");
        db->complete = 0;
        return 0;
    }
    uint64_t slot_end = (uint64_t)le32(data + 12) * NDB_PAGE;
    if (slot_end < 32 || slot_end > len) {
        dd__pkgdb_warn(db, "slot area of %llu bytes exceeds the file (%zu)",
                       (unsigned long long)slot_end, len);
        db->complete = 0;
        slot_end = len - len % 16;
    }
    char where[64];
    for (uint64_t off = 32; off + 16 <= slot_end; off += 16) {
        const uint8_t *s = data + off;
        if (le32(s) != SLOT_MAGIC) {
            dd__pkgdb_warn(db, "slot at offset %llu: bad magic",
                           (unsigned long long)off);
            db->complete = 0;
            continue;
        }
        uint32_t idx = le32(s + 4);
        uint64_t boff = (uint64_t)le32(s + 8) * NDB_BLK;
        uint64_t bcnt = (uint64_t)le32(s + 12) * NDB_BLK;
        if (idx == 0) {
            continue; /* free slot */
        }
        snprintf(where, sizeof where, "package %u", idx);
        if (boff < slot_end || bcnt < 16 + 12 || boff + bcnt > len) {
            dd__pkgdb_warn(db, "%s: blob at %llu+%llu lies outside the file",
                           where, (unsigned long long)boff,
                           (unsigned long long)bcnt);
            db->complete = 0;
            continue;
        }
        const uint8_t *h = data + boff;
        uint32_t blen = le32(h + 12);
        const uint8_t *t = data + boff + bcnt - 12;
        if (le32(h) != BLOB_HEAD || le32(h + 4) != idx ||
            16ull + blen + 12 > bcnt || le32(t + 4) != blen ||
            le32(t + 8) != BLOB_TAIL) {
            dd__pkgdb_warn(db, "%s: blob framing is corrupt", where);
            db->complete = 0;
            continue;
        }
        int rc = dd__rpm_header_parse(db, h + 16, blen, where);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* ---- SQLite ---------------------------------------------------------- */

int dd__rpmdb_sqlite(dd__pkgdb *db, const uint8_t *data, size_t len)
{
    static const char magic[] = "SQLite format 3";
    if (len < 100 || memcmp(data, magic, sizeof magic) != 0) {
        dd__pkgdb_warn(db, "not an SQLite database");
        db->complete = 0;
        return 0;
    }
    sqlite3 *d = NULL;
    if (sqlite3_open_v2(":memory:", &d,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL) != SQLITE_OK) {
        sqlite3_close(d);
        return DD_ENOMEM;
    }
    sqlite3_db_config(d, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(d, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(d, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
    sqlite3_db_config(d, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
    sqlite3_limit(d, SQLITE_LIMIT_LENGTH, 256 << 20);
    uint8_t *copy = sqlite3_malloc64(len);
    if (!copy) {
        sqlite3_close(d);
        return DD_ENOMEM;
    }
    memcpy(copy, data, len);
    if (copy[18] == 2 && copy[19] == 2) {
        copy[18] = copy[19] = 1; /* WAL -> rollback journal, in our copy */
    }
    int rc = sqlite3_deserialize(
        d, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(d, "SELECT hnum, blob FROM Packages", -1, &st,
                                NULL);
    }
    if (rc != SQLITE_OK) {
        dd__pkgdb_warn(db, "cannot read table Packages: %s", sqlite3_errmsg(d));
        db->complete = 0;
        sqlite3_finalize(st);
        sqlite3_close(d);
        return 0;
    }
    char where[64];
    int out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(where, sizeof where, "hnum %lld",
                 (long long)sqlite3_column_int64(st, 0));
        const void *blob = sqlite3_column_blob(st, 1);
        int n = sqlite3_column_bytes(st, 1);
        if (!blob || n <= 0) {
            dd__pkgdb_warn(db, "%s: empty header blob", where);
            db->complete = 0;
            continue;
        }
        out = dd__rpm_header_parse(db, blob, (size_t)n, where);
        if (out) {
            break;
        }
    }
    if (!out && rc != SQLITE_DONE) {
        dd__pkgdb_warn(db, "reading stopped: %s", sqlite3_errmsg(d));
        db->complete = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(d);
    return out;
}
