/*
 * lib/pkg/apk_db.c - apk installed database (lib/apk/db/installed).
 *
 * Blocks of "X:value" lines separated by blank lines. P name, V version,
 * A arch, o origin (source package), L license, m maintainer, C checksum
 * ("Q1" + base64 sha1 of the control data, reported as "sha1:<hex>"),
 * F directory, R file in the last F directory. A block without P: or V: is
 * skipped with a warning naming its line.
 */
#include <string.h>

#include "pkgdb.h"

typedef struct blk {
    size_t first_line;
    const char *P, *V, *A, *o, *L, *m, *C;
    size_t nP, nV, nA, no, nL, nm, nC;
    dd__vec files; /* const char * */
    int any;
} blk;

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

/* "Q1<base64 sha1>" -> "sha1:<hex>", "Q2<base64 sha256>" -> "sha256:..";
 * anything else is kept as it is. */
static const char *checksum(dd__pkgdb *db, const char *c, size_t n)
{
    uint8_t raw[64];
    size_t out = 0;
    if (n > 2 && c[0] == 'Q' && (c[1] == '1' || c[1] == '2')) {
        unsigned acc = 0;
        int bits = 0, ok = 1;
        for (size_t i = 2; i < n && c[i] != '='; i++) {
            int v = b64val(c[i]);
            if (v < 0 || out >= sizeof raw) {
                ok = 0;
                break;
            }
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                raw[out++] = (uint8_t)(acc >> bits);
            }
        }
        size_t want = c[1] == '1' ? 20 : 32;
        if (ok && out == want) {
            char buf[8 + 2 * 32 + 1];
            size_t pl = c[1] == '1' ? 5 : 7;
            memcpy(buf, c[1] == '1' ? "sha1:" : "sha256:", pl);
            dd__hex(raw, out, buf + pl);
            return dd__pkgdb_strndup(db, buf, strlen(buf));
        }
    }
    return dd__pkgdb_strndup(db, c, n);
}

static int finish(dd__pkgdb *db, blk *b)
{
    if (!b->any) {
        return 0;
    }
    if (!b->nP || !b->nV) {
        dd__pkgdb_warn(db, "line %zu: entry %s%.*s%s without %s: skipped",
                       b->first_line, b->nP ? "'" : "",
                       (int)(b->nP > 100 ? 100 : b->nP), b->nP ? b->P : "",
                       b->nP ? "'" : "", b->nP ? "V (version)" : "P (name)");
        return 0;
    }
    dd_package *p = dd__pkgdb_add(db, DD_PKG_APK);
    if (!p) {
        return DD_ENOMEM;
    }
    p->name = dd__pkgdb_strndup(db, b->P, b->nP);
    p->version = dd__pkgdb_strndup(db, b->V, b->nV);
    p->upstream = p->version;
    p->arch = b->nA ? dd__pkgdb_strndup(db, b->A, b->nA) : NULL;
    p->source_name = b->no ? dd__pkgdb_strndup(db, b->o, b->no) : p->name;
    p->source_version = p->version;
    p->license = b->nL ? dd__pkgdb_strndup(db, b->L, b->nL) : NULL;
    p->maintainer = b->nm ? dd__pkgdb_strndup(db, b->m, b->nm) : NULL;
    p->checksum = b->nC ? checksum(db, b->C, b->nC) : NULL;
    if (b->files.len) {
        const char **f =
            dd__arena_alloc(&db->strings, b->files.len * sizeof(char *));
        if (!f) {
            db->oom = 1;
            return DD_ENOMEM;
        }
        memcpy(f, b->files.items, b->files.len * sizeof(char *));
        p->files = f;
        p->n_files = b->files.len;
    }
    return db->oom ? DD_ENOMEM : 0;
}

int dd__apk_parse(dd__pkgdb *db, const uint8_t *data, size_t len)
{
    const char *p = (const char *)data, *end = p + len;
    size_t line = 0;
    blk b;
    memset(&b, 0, sizeof b);
    dd__vec_init(&b.files, sizeof(const char *));
    const char *dir = NULL;
    size_t ndir = 0;
    int rc = 0;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *l = p, *le = nl ? nl : end;
        p = nl ? nl + 1 : end;
        line++;
        size_t n = (size_t)(le - l);
        if (n && l[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            rc = finish(db, &b);
            b.files.len = 0;
            dd__vec keep = b.files;
            memset(&b, 0, sizeof b);
            b.files = keep;
            dir = NULL;
            ndir = 0;
            continue;
        }
        if (!b.any) {
            b.any = 1;
            b.first_line = line;
        }
        if (n < 2 || l[1] != ':') {
            dd__pkgdb_warn(db, "line %zu: not a 'X:value' line", line);
            continue;
        }
        const char *v = l + 2;
        size_t vn = n - 2;
        switch (l[0]) {
        case 'P':
            b.P = v, b.nP = vn;
            break;
        case 'V':
            b.V = v, b.nV = vn;
            break;
        case 'A':
            b.A = v, b.nA = vn;
            break;
        case 'o':
            b.o = v, b.no = vn;
            break;
        case 'L':
            b.L = v, b.nL = vn;
            break;
        case 'm':
            b.m = v, b.nm = vn;
            break;
        case 'C':
            b.C = v, b.nC = vn;
            break;
        case 'F':
            dir = v, ndir = vn;
            break;
        case 'R': {
            size_t tot = ndir + (ndir ? 1 : 0) + vn;
            char *f = dd__arena_alloc(&db->strings, tot + 1);
            const char **slot = dd__vec_push(&b.files);
            if (!f || !slot) {
                rc = DD_ENOMEM;
                break;
            }
            if (ndir) {
                memcpy(f, dir, ndir);
                f[ndir] = '/';
            }
            memcpy(f + ndir + (ndir ? 1 : 0), v, vn);
            f[tot] = '\0';
            *slot = f;
            break;
        }
        default:
            break;
        }
    }
    if (!rc) {
        rc = finish(db, &b);
    }
    dd__vec_free(&b.files);
    return rc || db->oom ? DD_ENOMEM : 0;
}
