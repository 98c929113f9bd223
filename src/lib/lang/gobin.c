/*
 * lib/lang/gobin.c - the Go modules of a Go executable, from the build
 * info the Go linker embeds in it (what `go version -m` prints; a
 * stripped binary keeps it).
 *
 * Where: ELF's ".go.buildinfo" section, Mach-O's "__go_buildinfo"
 * section, else the first writable data (ELF: the first PT_LOAD that is
 * writable and not executable; Mach-O: the first rw segment; PE: the
 * first initialised read-write data section), whose first 64 KiB are
 * searched for the 32-byte header at 16-byte alignment:
 *
 *   "\xff Go buildinf:"  pointer size (1 byte)  flags (1 byte)  16 bytes
 *
 * Flags bit 1 (0x2, Go >= 1.18): the version and the module info follow
 * the header inline, each a uvarint length and its bytes. Otherwise
 * (Go 1.13-1.17) bytes 16.. hold two pointers (pointer size, byte order
 * from flags bit 0: 1 = big-endian) to Go string headers {data, len},
 * which are virtual addresses: they are translated to file offsets
 * through the ELF PT_LOAD segments, the PE sections (image base + RVA)
 * or the Mach-O segments.
 *
 * The module info is text between two 16-byte sentinels; its lines are
 * tab-separated:
 *
 *   path  example.com/cmd/x
 *   mod   example.com/x  v1.0.0  h1:...       (the main module)
 *   dep   golang.org/x/text  v0.3.0  h1:...
 *   =>    example.com/fork  v0.3.1  h1:...    (replaces the line before)
 *   build -compiler=gc                         (ignored, as is anything else)
 *
 * Packages: each dep, and the main module, under its effective identity:
 * a replaced module is reported as its replacement's path and version,
 * as the Go tooling and Trivy report it (that is the code in the
 * binary). A module whose effective version is empty or "(devel)" (the
 * main module built from a checkout, a replacement by a local directory)
 * is no published version and is left out. The toolchain is "stdlib"
 * with the release as a v-less semver, the form the Go OSV ecosystem
 * uses for it: "go1.21.5" -> "1.21.5", "go1.20" -> "1.20.0", "go1.21rc2"
 * -> "1.21.0-rc.2" (a GOEXPERIMENT suffix " X:..." is dropped); a
 * development toolchain ("devel ...") gives no stdlib package.
 *
 * Work is bounded: header tables are walked once, at most MAPS_MAX
 * mappings are kept, the search covers 64 KiB, strings are at most
 * STR_MAX bytes. Nothing past `len` is read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define MAGIC      "\xff Go buildinf:"
#define MAGIC_N    14
#define HDR_N      32
#define ALIGN      16
#define SEARCH_MAX (64u << 10)
#define STR_MAX    (8u << 20)
#define MAPS_MAX   128
#define FIELD_MAX  1024

typedef struct gmap {
    uint64_t va, off, n; /* file bytes [off, off + n) are at va */
} gmap;

typedef struct gx {
    const uint8_t *d;
    size_t len;
    const char *fmt;
    gmap maps[MAPS_MAX];
    size_t nmaps;
    int have_data; /* where to search, by address */
    uint64_t data_va, data_n;
    int have_raw; /* ... or by file offset (an unmapped section) */
    uint64_t raw_off, raw_n;
    /* the section looked for: Go's build info unless dd__exe_section
     * names another (PE sections are looked up only then) */
    const char *want_elf, *want_pe, *want_macho;
} gx;

static int fail(char *why, size_t wn, const char *fmt, ...) DD_PRINTF(3, 4);
static int fail(char *why, size_t wn, const char *fmt, ...)
{
    if (why && wn) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, wn, fmt, ap);
        va_end(ap);
    }
    return DD_EINVALID;
}

static uint64_t rd(const uint8_t *p, unsigned n, int be)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
    }
    return v;
}

/* [off, off + n) lies in the file */
static int in(const gx *x, uint64_t off, uint64_t n)
{
    return off <= x->len && n <= x->len - off;
}

static void add_map(gx *x, uint64_t va, uint64_t off, uint64_t n)
{
    if (n && x->nmaps < MAPS_MAX) {
        x->maps[x->nmaps++] = (gmap){va, off, n};
    }
}

/* file offset of virtual address `va` and how many file bytes follow it
 * in its mapping; -1 when no mapping holds it */
static int translate(const gx *x, uint64_t va, uint64_t *off, uint64_t *avail)
{
    for (size_t i = 0; i < x->nmaps; i++) {
        const gmap *m = &x->maps[i];
        if (va < m->va || va - m->va >= m->n || m->off > x->len) {
            continue;
        }
        uint64_t d = va - m->va;
        if (d >= x->len - m->off) {
            continue;
        }
        *off = m->off + d;
        *avail = m->n - d;
        if (*avail > x->len - *off) {
            *avail = x->len - *off;
        }
        return 0;
    }
    return -1;
}

static int elf(gx *x, char *why, size_t wn)
{
    const uint8_t *d = x->d;
    if (x->len < 16) {
        return fail(why, wn, "ELF identification truncated at offset %zu",
                    x->len);
    }
    int c64 = d[4] == 2, be = d[5] == 2;
    if ((d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2)) {
        return fail(why, wn, "ELF class %u / data %u at offset 4 unknown", d[4],
                    d[5]);
    }
    size_t eh = c64 ? 64 : 52;
    if (x->len < eh) {
        return fail(why, wn, "ELF header truncated at offset %zu", x->len);
    }
    unsigned w = c64 ? 8 : 4;
    uint64_t phoff = rd(d + (c64 ? 32 : 28), w, be);
    uint64_t shoff = rd(d + (c64 ? 40 : 32), w, be);
    const uint8_t *q = d + (c64 ? 54 : 42);
    uint64_t phent = rd(q, 2, be), phnum = rd(q + 2, 2, be);
    uint64_t shent = rd(q + 4, 2, be), shnum = rd(q + 6, 2, be);
    uint64_t shstr = rd(q + 8, 2, be);
    if (phnum && (phent < (c64 ? 56u : 32u) || !in(x, phoff, phent * phnum))) {
        return fail(why, wn,
                    "ELF program headers (%llu of %llu bytes) at offset %llu "
                    "past the end (%zu)",
                    (unsigned long long)phnum, (unsigned long long)phent,
                    (unsigned long long)phoff, x->len);
    }
    int wdata = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *p = d + phoff + i * phent;
        if (rd(p, 4, be) != 1) { /* PT_LOAD */
            continue;
        }
        uint64_t flags = rd(p + (c64 ? 4 : 24), 4, be);
        uint64_t off = rd(p + (c64 ? 8 : 4), w, be);
        uint64_t va = rd(p + (c64 ? 16 : 8), w, be);
        uint64_t fsz = rd(p + (c64 ? 32 : 16), w, be);
        uint64_t msz = rd(p + (c64 ? 40 : 20), w, be);
        add_map(x, va, off, fsz);
        if (!wdata && (flags & 3) == 2) { /* PF_W, not PF_X */
            wdata = 1;
            x->have_data = 1;
            x->data_va = va;
            x->data_n = msz;
        }
    }
    /* the section table is optional (and last in the file): when it is
     * unreadable, the segments are enough */
    uint64_t shsz = c64 ? 64 : 40;
    if (!shoff || !shnum || shent < shsz || !in(x, shoff, shent * shnum) ||
        shstr >= shnum) {
        return 0;
    }
    const uint8_t *ss = d + shoff + shstr * shent;
    uint64_t stroff = rd(ss + (c64 ? 24 : 16), w, be);
    uint64_t strn = rd(ss + (c64 ? 32 : 20), w, be);
    if (!in(x, stroff, strn)) {
        return 0;
    }
    const char *want = x->want_elf ? x->want_elf : ".go.buildinfo";
    size_t wl = strlen(want) + 1;
    for (uint64_t i = 0; i < shnum; i++) {
        const uint8_t *s = d + shoff + i * shent;
        uint64_t name = rd(s, 4, be);
        if (name >= strn || strn - name < wl ||
            memcmp(d + stroff + name, want, wl) ||
            rd(s + 4, 4, be) == 8 /* SHT_NOBITS */) {
            continue;
        }
        x->have_data = 1;
        x->data_va = rd(s + (c64 ? 16 : 12), w, be);
        x->data_n = rd(s + (c64 ? 32 : 20), w, be);
        x->have_raw = 1;
        x->raw_off = rd(s + (c64 ? 24 : 16), w, be);
        x->raw_n = x->data_n;
        break;
    }
    return 0;
}

static int pe(gx *x, char *why, size_t wn)
{
    const uint8_t *d = x->d;
    if (x->len < 0x40) {
        return fail(why, wn, "PE: DOS header truncated at offset %zu", x->len);
    }
    uint64_t nt = rd(d + 0x3c, 4, 0);
    if (!in(x, nt, 24) || memcmp(d + nt, "PE\0\0", 4)) {
        return fail(why, wn, "PE signature at offset %llu missing",
                    (unsigned long long)nt);
    }
    uint64_t nsec = rd(d + nt + 6, 2, 0), optsz = rd(d + nt + 20, 2, 0);
    uint64_t opt = nt + 24;
    if (!in(x, opt, 32)) {
        return fail(why, wn, "PE optional header at offset %llu truncated",
                    (unsigned long long)opt);
    }
    uint64_t magic = rd(d + opt, 2, 0), base;
    if (magic == 0x10b) {
        base = rd(d + opt + 28, 4, 0);
    } else if (magic == 0x20b) {
        base = rd(d + opt + 24, 8, 0);
    } else {
        return fail(why, wn, "PE optional header magic 0x%llx at offset %llu",
                    (unsigned long long)magic, (unsigned long long)opt);
    }
    uint64_t st = opt + optsz;
    if (!in(x, st, nsec * 40)) {
        return fail(why, wn,
                    "PE section table (%llu sections) at offset %llu past "
                    "the end (%zu)",
                    (unsigned long long)nsec, (unsigned long long)st, x->len);
    }
    for (uint64_t i = 0; i < nsec; i++) {
        const uint8_t *s = d + st + i * 40;
        uint64_t vsz = rd(s + 8, 4, 0), va = rd(s + 12, 4, 0);
        uint64_t rawsz = rd(s + 16, 4, 0), raw = rd(s + 20, 4, 0);
        uint64_t ch = rd(s + 36, 4, 0);
        add_map(x, base + va, raw, rawsz);
        char sname[9] = {0};
        memcpy(sname, s, 8);
        if (x->want_pe && !x->have_raw && !strcmp(sname, x->want_pe)) {
            x->have_raw = 1;
            x->raw_off = raw;
            x->raw_n = vsz && vsz < rawsz ? vsz : rawsz;
        }
        /* IMAGE_SCN_CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE, any
         * alignment bits of ALIGN_32BYTES */
        if (!x->have_data && va && vsz && (ch & ~0x600000ull) == 0xC0000040) {
            x->have_data = 1;
            x->data_va = base + va;
            x->data_n = vsz;
        }
    }
    return 0;
}

static int macho(gx *x, char *why, size_t wn)
{
    const uint8_t *d = x->d;
    int be = d[0] == 0xfe, m64 = (d[be ? 3 : 0] & 1) != 0;
    uint64_t hs = m64 ? 32 : 28;
    if (x->len < hs) {
        return fail(why, wn, "Mach-O header truncated at offset %zu", x->len);
    }
    uint64_t ncmds = rd(d + 16, 4, be), sizeofcmds = rd(d + 20, 4, be);
    if (!in(x, hs, sizeofcmds)) {
        return fail(why, wn,
                    "Mach-O load commands (%llu bytes) at offset %llu past the "
                    "end (%zu)",
                    (unsigned long long)sizeofcmds, (unsigned long long)hs,
                    x->len);
    }
    uint64_t p = hs, end = hs + sizeofcmds;
    int rw = 0;
    for (uint64_t k = 0; k < ncmds; k++) {
        if (end - p < 8) {
            return fail(why, wn,
                        "Mach-O load command %llu at offset %llu "
                        "truncated",
                        (unsigned long long)k, (unsigned long long)p);
        }
        uint64_t cmd = rd(d + p, 4, be), sz = rd(d + p + 4, 4, be);
        if (sz < 8 || sz > end - p) {
            return fail(why, wn,
                        "Mach-O load command %llu at offset %llu: "
                        "size %llu",
                        (unsigned long long)k, (unsigned long long)p,
                        (unsigned long long)sz);
        }
        const uint8_t *c = d + p;
        int seg64 = cmd == 0x19, seg32 = cmd == 0x1;
        uint64_t need = seg64 ? 72 : 56;
        if ((seg64 || seg32) && sz >= need) {
            unsigned w = seg64 ? 8 : 4;
            uint64_t va = rd(c + 24, w, be), vsz = rd(c + 24 + w, w, be);
            uint64_t off = rd(c + 24 + 2 * w, w, be);
            uint64_t fsz = rd(c + 24 + 3 * w, w, be);
            uint64_t maxp = rd(c + 24 + 4 * w, 4, be);
            uint64_t initp = rd(c + 28 + 4 * w, 4, be);
            uint64_t nsect = rd(c + 32 + 4 * w, 4, be);
            if (memcmp(c + 8, "__PAGEZERO", 11)) {
                add_map(x, va, off, fsz);
            }
            uint64_t ssz = seg64 ? 80 : 68;
            if (nsect > (sz - need) / ssz) {
                return fail(why, wn,
                            "Mach-O segment at offset %llu: %llu sections "
                            "do not fit its %llu bytes",
                            (unsigned long long)p, (unsigned long long)nsect,
                            (unsigned long long)sz);
            }
            const char *want = x->want_macho ? x->want_macho : "__go_buildinfo";
            size_t wl = strlen(want) + 1; /* under 16: NUL-padded */
            for (uint64_t j = 0; j < nsect; j++) {
                const uint8_t *s = c + need + j * ssz;
                if (memcmp(s, want, wl)) {
                    continue;
                }
                x->have_data = 1;
                x->data_va = rd(s + 32, w, be);
                x->data_n = rd(s + 32 + w, w, be);
                x->have_raw = 1;
                x->raw_off = rd(s + 32 + 2 * w, 4, be);
                x->raw_n = x->data_n;
                rw = 2;
            }
            if (!rw && va && fsz && maxp == 3 && initp == 3) {
                rw = 1;
                x->have_data = 1;
                x->data_va = va;
                x->data_n = vsz;
            }
        }
        p += sz;
    }
    return 0;
}

int dd__gobin_magic(const uint8_t *h, size_t n)
{
    if (n >= 4 && !memcmp(h,
                          "\x7f"
                          "ELF",
                          4)) {
        return 1;
    }
    if (n >= 2 && h[0] == 'M' && h[1] == 'Z') {
        return 1;
    }
    if (n >= 4 && ((h[0] == 0xfe && h[1] == 0xed && h[2] == 0xfa &&
                    (h[3] == 0xce || h[3] == 0xcf)) ||
                   ((h[0] == 0xce || h[0] == 0xcf) && h[1] == 0xfa &&
                    h[2] == 0xed && h[3] == 0xfe))) {
        return 1;
    }
    return 0;
}

/* 1 when the build-info magic is anywhere in the file at 16-byte
 * alignment (a Go binary whose object headers are broken) */
static int aligned_magic(const uint8_t *d, size_t len)
{
    for (size_t i = 0; len >= MAGIC_N && i <= len - MAGIC_N; i += ALIGN) {
        if (d[i] == 0xff && !memcmp(d + i, MAGIC, MAGIC_N)) {
            return 1;
        }
    }
    return 0;
}

static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* read a uvarint-prefixed string at file offset *p, below `end` */
static int inl_str(const gx *x,
                   uint64_t *p,
                   uint64_t end,
                   const char *what,
                   const char **s,
                   uint64_t *n,
                   char *why,
                   size_t wn)
{
    uint64_t v = 0, at = *p;
    for (unsigned sh = 0;; sh += 7) {
        if (*p >= end) {
            return fail(why, wn,
                        "build info: %s length at offset %llu "
                        "truncated",
                        what, (unsigned long long)at);
        }
        uint8_t b = x->d[(*p)++];
        if (sh > 56 || (sh == 56 && b > 0x7f)) {
            return fail(why, wn,
                        "build info: %s length at offset %llu "
                        "overflows",
                        what, (unsigned long long)at);
        }
        v |= (uint64_t)(b & 0x7f) << sh;
        if (!(b & 0x80)) {
            break;
        }
    }
    if (v > STR_MAX || v > end - *p) {
        return fail(why, wn,
                    "build info: %s of %llu bytes at offset %llu past the "
                    "end of its data (%llu)",
                    what, (unsigned long long)v, (unsigned long long)*p,
                    (unsigned long long)end);
    }
    *s = (const char *)x->d + *p;
    *n = v;
    *p += v;
    return 0;
}

/* the Go string whose header is at virtual address `va` */
static int ptr_str(const gx *x,
                   unsigned ps,
                   int be,
                   uint64_t va,
                   const char *what,
                   const char **s,
                   uint64_t *n,
                   uint64_t *at,
                   char *why,
                   size_t wn)
{
    uint64_t off, av;
    if (translate(x, va, &off, &av) || av < 2 * ps) {
        return fail(why, wn,
                    "build info: %s string header at address 0x%llx is not "
                    "in the file",
                    what, (unsigned long long)va);
    }
    uint64_t dva = rd(x->d + off, ps, be), dn = rd(x->d + off + ps, ps, be);
    if (dn > STR_MAX) {
        return fail(why, wn,
                    "build info: %s string at offset %llu: length %llu over "
                    "the limit",
                    what, (unsigned long long)off, (unsigned long long)dn);
    }
    if (!dn) {
        *s = "";
        *n = 0;
        *at = off;
        return 0;
    }
    if (translate(x, dva, at, &av) || av < dn) {
        return fail(why, wn,
                    "build info: %s string (header at offset %llu) at "
                    "address 0x%llx, %llu bytes, is not in the file",
                    what, (unsigned long long)off, (unsigned long long)dva,
                    (unsigned long long)dn);
    }
    *s = (const char *)x->d + *at;
    *n = dn;
    return 0;
}

static int push(dd__arena *a,
                dd__vec *out,
                const char *name,
                size_t nn,
                const char *ver,
                size_t vn)
{
    dd__lang_pkg *o = dd__vec_push(out);
    if (!o) {
        return DD_ENOMEM;
    }
    memset(o, 0, sizeof *o);
    o->name = dd__arena_strndup(a, name, nn);
    o->version = dd__arena_strndup(a, ver, vn);
    return o->name && o->version ? 0 : DD_ENOMEM;
}

/* digits without a leading zero, 1..9 of them; their count or 0 */
static size_t num(const char *s, size_t i, size_t n)
{
    size_t st = i;
    while (i < n && i - st < 10 && s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    if (i == st || i - st > 9 || (i - st > 1 && s[st] == '0')) {
        return 0;
    }
    return i - st;
}

/* "go1.21.5" -> "1.21.5" and friends (see the top); 0 when `v` is no
 * release tag */
static int go_semver(const char *v, size_t n, char *out, size_t on)
{
    if (n < 3 || memcmp(v, "go", 2)) {
        return 0;
    }
    size_t sp = 0;
    while (sp < n && v[sp] != ' ') {
        sp++;
    }
    n = sp; /* " X:boringcrypto" */
    const char *part[3] = {"0", "0", "0"};
    size_t pl[3] = {1, 1, 1}, i = 2;
    for (int k = 0; k < 3; k++) {
        size_t l = num(v, i, n);
        if (!l) {
            return 0;
        }
        part[k] = v + i;
        pl[k] = l;
        i += l;
        if (i == n || v[i] != '.' || k == 2) {
            break;
        }
        i++;
    }
    const char *pre = NULL;
    size_t prel = 0, pn = 0;
    static const char *const pres[] = {"rc", "beta", "alpha"};
    for (size_t k = 0; i < n && k < 3; k++) {
        size_t l = strlen(pres[k]);
        if (n - i > l && !memcmp(v + i, pres[k], l) &&
            (pn = num(v, i + l, n)) && i + l + pn == n) {
            pre = v + i;
            prel = l;
            i = n;
        }
    }
    if (i != n) {
        return 0;
    }
    int w = pre ? snprintf(out, on, "%.*s.%.*s.%.*s-%.*s.%.*s", (int)pl[0],
                           part[0], (int)pl[1], part[1], (int)pl[2], part[2],
                           (int)prel, pre, (int)pn, pre + prel)
                : snprintf(out, on, "%.*s.%.*s.%.*s", (int)pl[0], part[0],
                           (int)pl[1], part[1], (int)pl[2], part[2]);
    return w > 0 && (size_t)w < on;
}

typedef struct pend {
    const char *p, *v;
    size_t pn, vn;
    int open; /* a "=>" line may follow */
} pend;

static int flush(dd__arena *a, dd__vec *out, pend *m)
{
    int rc = 0;
    if (m->pn && m->vn && !(m->vn == 7 && !memcmp(m->v, "(devel)", 7))) {
        rc = push(a, out, m->p, m->pn, m->v, m->vn);
    }
    memset(m, 0, sizeof *m);
    return rc;
}

/* the module lines of `s` (n bytes at file offset `at`) */
static int modinfo(dd__arena *a,
                   const char *s,
                   size_t n,
                   uint64_t at,
                   dd__vec *out,
                   char *why,
                   size_t wn)
{
    if (n == 0) {
        return 0; /* built without modules (GOPATH mode) */
    }
    if (n < 33 || s[n - 17] != '\n') {
        return fail(why, wn,
                    "build info: module info of %zu bytes at offset %llu "
                    "lacks its 16-byte sentinels",
                    n, (unsigned long long)at);
    }
    s += 16;
    n -= 32;
    pend m;
    memset(&m, 0, sizeof m);
    size_t line = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl) {
            break; /* as Go: an unterminated last line is not read */
        }
        const char *l = s + i;
        size_t ll = (size_t)(nl - l);
        i += ll + 1;
        line++;
        int dep = ll >= 4 && !memcmp(l, "dep\t", 4);
        int mod = ll >= 4 && !memcmp(l, "mod\t", 4);
        int rep = ll >= 3 && !memcmp(l, "=>\t", 3);
        if (!dep && !mod && !rep) {
            continue; /* path, build, go and what a later Go adds */
        }
        size_t skip = rep ? 3 : 4;
        const char *f[4];
        size_t fl[4], nf = 0;
        for (size_t j = skip, st = skip;; j++) {
            if (j == ll || l[j] == '\t') {
                if (nf == 4) {
                    nf++;
                    break;
                }
                f[nf] = l + st;
                fl[nf++] = j - st;
                st = j + 1;
                if (j == ll) {
                    break;
                }
            }
        }
        for (size_t k = 0; k < nf && k < 4; k++) {
            if (fl[k] > FIELD_MAX || !printable(f[k], fl[k])) {
                return fail(why, wn,
                            "build info: module info line %zu (offset "
                            "%llu): a field is too long or has control "
                            "characters",
                            line, (unsigned long long)(at + 16 + (l - s)));
            }
        }
        if (rep) {
            if (nf != 3) {
                return fail(why, wn,
                            "build info: module info line %zu (offset "
                            "%llu): replacement has %zu columns, not 3",
                            line, (unsigned long long)(at + 16 + (l - s)), nf);
            }
            if (!m.open) {
                return fail(why, wn,
                            "build info: module info line %zu (offset "
                            "%llu): replacement without a module before it",
                            line, (unsigned long long)(at + 16 + (l - s)));
            }
            m.p = f[0];
            m.pn = fl[0];
            m.v = f[1];
            m.vn = fl[1];
            rc = flush(a, out, &m);
            continue;
        }
        if (nf != 2 && nf != 3) {
            return fail(why, wn,
                        "build info: module info line %zu (offset %llu): "
                        "%zu columns, not 2 or 3",
                        line, (unsigned long long)(at + 16 + (l - s)), nf);
        }
        if ((rc = flush(a, out, &m))) {
            break;
        }
        m.p = f[0];
        m.pn = fl[0];
        m.v = f[1];
        m.vn = fl[1];
        m.open = 1;
    }
    return rc ? rc : flush(a, out, &m);
}

int dd__gobin(dd__arena *a,
              const uint8_t *data,
              size_t len,
              dd__vec *out,
              char *why,
              size_t why_n)
{
    if (why && why_n) {
        why[0] = '\0';
    }
    if (!dd__gobin_magic(data, len)) {
        return DD_ENOTFOUND;
    }
    gx *x = dd__calloc(1, sizeof *x);
    if (!x) {
        return DD_ENOMEM;
    }
    x->d = data;
    x->len = len;
    int rc = data[0] == 0x7f  ? elf(x, why, why_n)
             : data[0] == 'M' ? pe(x, why, why_n)
                              : macho(x, why, why_n);
    if (rc) { /* a Go binary with broken headers, or no Go binary */
        rc = aligned_magic(data, len) ? DD_EINVALID : DD_ENOTFOUND;
        goto done;
    }
    uint64_t off = 0, avail = 0;
    int have = x->have_data && !translate(x, x->data_va, &off, &avail);
    if (!have && x->have_raw && x->raw_off < x->len) {
        off = x->raw_off; /* a section outside every segment */
        avail = x->len - off;
        avail = avail < x->raw_n ? avail : x->raw_n;
        have = 1;
    }
    if (!have) {
        rc = DD_ENOTFOUND;
        goto done;
    }
    uint64_t n = avail < x->data_n ? avail : x->data_n;
    n = n < SEARCH_MAX ? n : SEARCH_MAX;
    uint64_t h = 0;
    int found = 0;
    for (uint64_t i = 0; n >= MAGIC_N && i <= n - MAGIC_N; i += ALIGN) {
        if (!memcmp(data + off + i, MAGIC, MAGIC_N)) {
            h = i;
            found = 1;
            break;
        }
    }
    if (!found) {
        rc = DD_ENOTFOUND;
        goto done;
    }
    uint64_t end = off + avail; /* the mapping's last file byte + 1 */
    h += off;
    if (end - h < HDR_N) {
        rc = fail(why, why_n, "build info header at offset %llu truncated",
                  (unsigned long long)h);
        goto done;
    }
    const uint8_t *hd = data + h;
    const char *vs, *ms;
    uint64_t vn, mn, mat;
    if (hd[15] & 2) {
        uint64_t p = h + HDR_N;
        rc = inl_str(x, &p, end, "version", &vs, &vn, why, why_n);
        mat = p;
        if (!rc) {
            rc = inl_str(x, &p, end, "module info", &ms, &mn, why, why_n);
        }
    } else {
        unsigned ps = hd[14];
        int be = hd[15] & 1;
        if (ps != 4 && ps != 8) {
            rc = fail(why, why_n,
                      "build info at offset %llu: pointer size %u, not 4 "
                      "or 8",
                      (unsigned long long)h, ps);
            goto done;
        }
        uint64_t vat;
        rc = ptr_str(x, ps, be, rd(hd + 16, ps, be), "version", &vs, &vn, &vat,
                     why, why_n);
        if (!rc) {
            rc = ptr_str(x, ps, be, rd(hd + 16 + ps, ps, be), "module info",
                         &ms, &mn, &mat, why, why_n);
        }
    }
    if (rc) {
        goto done;
    }
    if (!vn || vn > 256 || !printable(vs, vn)) {
        rc = fail(why, why_n,
                  "build info at offset %llu: Go version of %llu bytes "
                  "is empty, too long or has control characters",
                  (unsigned long long)h, (unsigned long long)vn);
        goto done;
    }
    size_t before = out->len;
    if ((rc = modinfo(a, ms, (size_t)mn, mat, out, why, why_n))) {
        out->len = before; /* all or nothing */
        goto done;
    }
    char sv[64];
    if (go_semver(vs, (size_t)vn, sv, sizeof sv)) {
        rc = push(a, out, "stdlib", 6, sv, strlen(sv));
    }
done:
    dd__free(x);
    return rc;
}

int dd__exe_section(const uint8_t *data,
                    size_t len,
                    const char *elf_name,
                    const char *pe_name,
                    const char *macho_name,
                    uint64_t *off,
                    uint64_t *n,
                    char *why,
                    size_t why_n)
{
    if (why && why_n) {
        why[0] = '\0';
    }
    if (!dd__gobin_magic(data, len)) {
        return DD_ENOTFOUND;
    }
    gx *x = dd__calloc(1, sizeof *x);
    if (!x) {
        return DD_ENOMEM;
    }
    x->d = data;
    x->len = len;
    x->want_elf = elf_name;
    x->want_pe = pe_name;
    x->want_macho = macho_name;
    int rc = data[0] == 0x7f  ? elf(x, why, why_n)
             : data[0] == 'M' ? pe(x, why, why_n)
                              : macho(x, why, why_n);
    if (!rc && !(x->have_raw && x->raw_off < len)) {
        rc = DD_ENOTFOUND;
    }
    if (!rc) {
        *off = x->raw_off;
        *n = x->raw_n < len - x->raw_off ? x->raw_n : len - x->raw_off;
    }
    dd__free(x);
    return rc;
}
