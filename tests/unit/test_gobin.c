/*
 * tests/unit/test_gobin.c - the Go build-info reader (lib/lang/gobin.c) on
 * executables crafted here byte by byte: ELF 64-bit little-endian and
 * 32-bit big-endian, PE32+ and PE32, Mach-O 64 and 32 (both byte orders),
 * in the inline (Go >= 1.18) and pointer (Go 1.13-1.17) forms, with and
 * without the build-info section; then truncated copies, lying offsets and
 * lengths, and random byte flips (each buffer is a malloc of exactly its
 * length, so ASan sees any read past it). Also the purls of the packages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/eco/eco.h"
#include "../../src/lib/lang/lang.h"
#include "../../src/util/util.h"

#define SZ 0x2000

static const char SENT0[] = "0w\xaf\x0c\x92t\x08\x02"
                            "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char SENT1[] = "\xf9"
                            "2C1\x86\x18 r\x00\x82"
                            "B\x10"
                            "A\x16\xd8\xf2";

static const char MODS[] = "path\texample.com/app/cmd/app\n"
                           "mod\texample.com/app\tv1.2.3\th1:abc=\n"
                           "dep\tgithub.com/foo/bar\tv1.2.3\th1:x=\n"
                           "dep\tgolang.org/x/text\tv0.3.0\n"
                           "=>\tgithub.com/fork/text\tv0.3.1\th1:y=\n"
                           "dep\texample.com/local\tv0.1.0\n"
                           "=>\t../local\t(devel)\t\n"
                           "build\t-compiler=gc\n"
                           "build\tCGO_ENABLED=0\n";
/* what MODS gives with Go go1.21.5, in order */
static const char *const WANT[] = {"example.com/app",
                                   "v1.2.3",
                                   "github.com/foo/bar",
                                   "v1.2.3",
                                   "github.com/fork/text",
                                   "v0.3.1",
                                   "stdlib",
                                   "1.21.5"};

typedef struct img {
    uint8_t b[SZ];
    size_t len;
    int be;
} img;

static void put(img *m, size_t off, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        m->b[off + (m->be ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
    }
}

/* the module info with its sentinels into *n bytes at m->b + off */
static size_t put_mod(img *m, size_t off, const char *text)
{
    size_t tl = strlen(text);
    memcpy(m->b + off, SENT0, 16);
    memcpy(m->b + off + 16, text, tl);
    memcpy(m->b + off + 16 + tl, SENT1, 16);
    return tl + 32;
}

static size_t uvarint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* the 32-byte header and the inline strings at `off` */
static void put_inline(img *m, size_t off, const char *ver, const char *mods)
{
    memcpy(m->b + off, "\xff Go buildinf:", 14);
    m->b[off + 14] = 8;
    m->b[off + 15] = 2;
    size_t p = off + 32;
    p += uvarint(m->b + p, strlen(ver));
    memcpy(m->b + p, ver, strlen(ver));
    p += strlen(ver);
    uint8_t tmp[SZ / 2];
    img t;
    memset(&t, 0, sizeof t);
    size_t ml = mods ? put_mod(&t, 0, mods) : 0;
    memcpy(tmp, t.b, ml);
    p += uvarint(m->b + p, ml);
    memcpy(m->b + p, tmp, ml);
}

/* the pointer form at file offset `off` = address `va`: string headers
 * at +0x40, strings at +0x100 */
static void put_ptr(img *m,
                    size_t off,
                    uint64_t va,
                    unsigned ps,
                    const char *ver,
                    const char *mods)
{
    memcpy(m->b + off, "\xff Go buildinf:", 14);
    m->b[off + 14] = (uint8_t)ps;
    m->b[off + 15] = (uint8_t)(m->be ? 1 : 0);
    put(m, off + 16, va + 0x40, ps);
    put(m, off + 16 + ps, va + 0x40 + 2 * ps, ps);
    size_t vl = strlen(ver);
    memcpy(m->b + off + 0x100, ver, vl);
    size_t ml = put_mod(m, off + 0x100 + vl, mods);
    put(m, off + 0x40, va + 0x100, ps);
    put(m, off + 0x40 + ps, vl, ps);
    put(m, off + 0x40 + 2 * ps, va + 0x100 + vl, ps);
    put(m, off + 0x40 + 3 * ps, ml, ps);
}

/* ELF64 LE: text at 0 (0x400000, R+X), data at 0x1000 (0x401000, RW)
 * holding the build info; a section table with .go.buildinfo when
 * `sections` */
static void elf64(img *m, int sections, const char *ver, const char *mods)
{
    memset(m, 0, sizeof *m);
    m->len = SZ;
    memcpy(m->b,
           "\x7f"
           "ELF\x02\x01\x01",
           7);
    put(m, 16, 2, 2);  /* ET_EXEC */
    put(m, 18, 62, 2); /* x86-64 */
    put(m, 32, 64, 8); /* phoff */
    put(m, 54, 56, 2); /* phentsize */
    put(m, 56, 2, 2);  /* phnum */
    size_t ph = 64;
    put(m, ph, 1, 4);     /* PT_LOAD */
    put(m, ph + 4, 5, 4); /* R+X */
    put(m, ph + 8, 0, 8);
    put(m, ph + 16, 0x400000, 8);
    put(m, ph + 32, 0x1000, 8);
    put(m, ph + 40, 0x1000, 8);
    ph += 56;
    put(m, ph, 1, 4);
    put(m, ph + 4, 6, 4); /* RW */
    put(m, ph + 8, 0x1000, 8);
    put(m, ph + 16, 0x401000, 8);
    put(m, ph + 32, 0xc00, 8);
    put(m, ph + 40, 0x2000, 8);
    /* the magic in read-only data too (a Go tool's constant): ignored */
    memcpy(m->b + 0x800, "\xff Go buildinf:\x08\x02", 16);
    if (mods) {
        put_inline(m, 0x1010, ver, mods); /* after 16 bytes of other data */
    }
    if (sections) {
        size_t sh = 0x1c00, str = 0x1e00;
        memcpy(m->b + str, "\0.shstrtab\0.go.buildinfo\0", 25);
        put(m, 40, sh, 8); /* shoff */
        put(m, 58, 64, 2); /* shentsize */
        put(m, 60, 3, 2);  /* shnum */
        put(m, 62, 1, 2);  /* shstrndx */
        put(m, sh + 64, 1, 4);
        put(m, sh + 64 + 4, 3, 4); /* SHT_STRTAB */
        put(m, sh + 64 + 24, str, 8);
        put(m, sh + 64 + 32, 25, 8);
        put(m, sh + 128, 11, 4);
        put(m, sh + 128 + 4, 1, 4);
        put(m, sh + 128 + 16, 0x401010, 8);
        put(m, sh + 128 + 24, 0x1010, 8);
        put(m, sh + 128 + 32, 0x400, 8);
    }
}

/* ELF32 BE (mips): data at 0x1000 = 0x10001000, the pointer form */
static void elf32be(img *m, const char *ver, const char *mods)
{
    memset(m, 0, sizeof *m);
    m->len = SZ;
    m->be = 1;
    memcpy(m->b,
           "\x7f"
           "ELF\x01\x02\x01",
           7);
    put(m, 16, 2, 2);
    put(m, 18, 8, 2);
    put(m, 28, 52, 4); /* phoff */
    put(m, 42, 32, 2); /* phentsize */
    put(m, 44, 2, 2);  /* phnum */
    size_t ph = 52;
    put(m, ph, 1, 4);
    put(m, ph + 4, 0, 4);
    put(m, ph + 8, 0x10000000, 4);
    put(m, ph + 16, 0x1000, 4);
    put(m, ph + 20, 0x1000, 4);
    put(m, ph + 24, 5, 4);
    ph += 32;
    put(m, ph, 1, 4);
    put(m, ph + 4, 0x1000, 4);
    put(m, ph + 8, 0x10001000, 4);
    put(m, ph + 16, 0x1000, 4);
    put(m, ph + 20, 0x1000, 4);
    put(m, ph + 24, 6, 4);
    put_ptr(m, 0x1000, 0x10001000, 4, ver, mods);
}

/* PE32+ (pe64) or PE32: .text at RVA 0x1000, .data at RVA 0x2000 (file
 * 0x600); pointer form in PE32+, inline in PE32 */
static void pe(img *m, int pe64, const char *ver, const char *mods)
{
    memset(m, 0, sizeof *m);
    m->len = SZ;
    m->b[0] = 'M';
    m->b[1] = 'Z';
    size_t nt = 0x80;
    put(m, 0x3c, nt, 4);
    memcpy(m->b + nt, "PE\0\0", 4);
    put(m, nt + 4, pe64 ? 0x8664 : 0x14c, 2);
    put(m, nt + 6, 2, 2);
    size_t optsz = pe64 ? 240 : 224;
    put(m, nt + 20, optsz, 2);
    size_t opt = nt + 24;
    uint64_t base = pe64 ? 0x140000000ull : 0x400000;
    put(m, opt, pe64 ? 0x20b : 0x10b, 2);
    if (pe64) {
        put(m, opt + 24, base, 8);
    } else {
        put(m, opt + 28, base, 4);
    }
    size_t st = opt + optsz;
    memcpy(m->b + st, ".text", 5);
    put(m, st + 8, 0x200, 4);
    put(m, st + 12, 0x1000, 4);
    put(m, st + 16, 0x200, 4);
    put(m, st + 20, 0x400, 4);
    put(m, st + 36, 0x60000020, 4);
    st += 40;
    memcpy(m->b + st, ".data", 5);
    put(m, st + 8, 0x1000, 4);
    put(m, st + 12, 0x2000, 4);
    put(m, st + 16, 0x1000, 4);
    put(m, st + 20, 0x600, 4);
    put(m, st + 36, 0xC0600040, 4); /* with ALIGN_32BYTES */
    if (pe64) {
        put_ptr(m, 0x600, base + 0x2000, 8, ver, mods);
    } else {
        put_inline(m, 0x600, ver, mods);
    }
}

/* Mach-O 64 (LE, __DATA,__go_buildinfo section, inline) or 32 (BE, an rw
 * segment, pointer form) */
static void macho(img *m, int m64, const char *ver, const char *mods)
{
    memset(m, 0, sizeof *m);
    m->len = SZ;
    m->be = !m64;
    put(m, 0, m64 ? 0xfeedfacf : 0xfeedface, 4);
    size_t hs = m64 ? 32 : 28, p = hs;
    unsigned w = m64 ? 8 : 4;
    size_t segsz = m64 ? 72 : 56, secsz = m64 ? 80 : 68;
    /* __PAGEZERO, __TEXT, __DATA (+1 section in 64) */
    size_t c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = p;
        size_t sz = segsz + (m64 && i == 2 ? secsz : 0);
        put(m, p, m64 ? 0x19 : 0x1, 4);
        put(m, p + 4, sz, 4);
        p += sz;
    }
    put(m, 16, 3, 4);
    put(m, 20, p - hs, 4);
    uint64_t tva = m64 ? 0x100000000ull : 0x1000, dva = tva + 0x1000;
    memcpy(m->b + c[0] + 8, "__PAGEZERO", 10);
    put(m, c[0] + 24 + w, tva, w);
    memcpy(m->b + c[1] + 8, "__TEXT", 6);
    put(m, c[1] + 24, tva, w);
    put(m, c[1] + 24 + w, 0x1000, w);
    put(m, c[1] + 24 + 2 * w, 0, w);
    put(m, c[1] + 24 + 3 * w, 0x1000, w);
    put(m, c[1] + 24 + 4 * w, 5, 4);
    put(m, c[1] + 28 + 4 * w, 5, 4);
    memcpy(m->b + c[2] + 8, "__DATA", 6);
    put(m, c[2] + 24, dva, w);
    put(m, c[2] + 24 + w, 0x1000, w);
    put(m, c[2] + 24 + 2 * w, 0x1000, w);
    put(m, c[2] + 24 + 3 * w, 0x1000, w);
    put(m, c[2] + 24 + 4 * w, 3, 4);
    put(m, c[2] + 28 + 4 * w, 3, 4);
    if (m64) {
        put(m, c[2] + 32 + 4 * w, 1, 4);
        size_t s = c[2] + segsz;
        memcpy(m->b + s, "__go_buildinfo", 14);
        memcpy(m->b + s + 16, "__DATA", 6);
        put(m, s + 32, dva + 0x20, 8);
        put(m, s + 40, 0x200, 8);
        put(m, s + 48, 0x1020, 4);
        memcpy(m->b + 0x1000, "\xff Go buildinf:\x08\x02", 16); /* before
                                                                    it */
        put_inline(m, 0x1020, ver, mods);
    } else {
        put_ptr(m, 0x1000, dva, 4, ver, mods);
    }
}

/* run the reader on an exact-size copy */
static int
run(const img *m, size_t len, dd__arena *a, dd__vec *v, char *why, size_t wn)
{
    uint8_t *c = malloc(len ? len : 1);
    if (!c) {
        return DD_ENOMEM;
    }
    memcpy(c, m->b, len);
    v->len = 0;
    int rc = dd__gobin(a, c, len, v, why, wn);
    free(c);
    return rc;
}

/* the packages of *v are WANT */
static int is_want(const dd__vec *v)
{
    if (v->len != sizeof WANT / sizeof *WANT / 2) {
        return 0;
    }
    for (size_t i = 0; i < v->len; i++) {
        const dd__lang_pkg *p = DD_VEC_AT(v, dd__lang_pkg, i);
        if (strcmp(p->name, WANT[2 * i]) ||
            strcmp(p->version, WANT[2 * i + 1])) {
            return 0;
        }
    }
    return 1;
}

typedef struct fx {
    dd__arena a;
    dd__vec v;
    char why[256];
} fx;

static void fx_init(fx *f)
{
    dd__arena_init(&f->a);
    dd__vec_init(&f->v, sizeof(dd__lang_pkg));
    f->why[0] = '\0';
}

static void fx_free(fx *f)
{
    dd__vec_free(&f->v);
    dd__arena_free(&f->a);
}

#define RUN(m, len) run((m), (len), &f.a, &f.v, f.why, sizeof f.why)

static img M; /* large: not on the stack */

static void test_gobin__elf64_inline(void)
{
    fx f;
    fx_init(&f);
    elf64(&M, 1, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    /* stripped of its section table: the first writable segment */
    elf64(&M, 0, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    /* a section that no segment maps: read at its file offset */
    elf64(&M, 1, "go1.21.5", MODS);
    M.b[64 + 56] = 0; /* the RW segment is no PT_LOAD now */
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    /* the magic only in read-only data: no Go binary */
    elf64(&M, 0, "go1.21.5", NULL);
    CHECK(RUN(&M, M.len) == DD_ENOTFOUND);
    fx_free(&f);
}

static void test_gobin__elf32be_pointer(void)
{
    fx f;
    fx_init(&f);
    elf32be(&M, "go1.16.15", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(f.v.len == 4);
    const dd__lang_pkg *p = DD_VEC_AT(&f.v, dd__lang_pkg, 3);
    CHECK_STR(p->name, "stdlib");
    CHECK_STR(p->version, "1.16.15");
    p = DD_VEC_AT(&f.v, dd__lang_pkg, 2);
    CHECK_STR(p->name, "github.com/fork/text");
    fx_free(&f);
}

static void test_gobin__pe(void)
{
    fx f;
    fx_init(&f);
    pe(&M, 1, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    pe(&M, 0, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    /* a DOS program, a text file starting with MZ */
    CHECK(RUN(&M, 0x3c) == DD_ENOTFOUND);
    memcpy(M.b, "MZ is a text file\n", 18);
    CHECK(RUN(&M, 18) == DD_ENOTFOUND);
    fx_free(&f);
}

static void test_gobin__macho(void)
{
    fx f;
    fx_init(&f);
    macho(&M, 1, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    macho(&M, 0, "go1.21.5", MODS);
    CHECK(RUN(&M, M.len) == 0);
    CHECK(is_want(&f.v));
    fx_free(&f);
}

static void test_gobin__versions(void)
{
    static const struct {
        const char *go, *want; /* NULL: no stdlib package */
    } t[] = {
        {"go1.20", "1.20.0"},
        {"go1.21rc2", "1.21.0-rc.2"},
        {"go1.20beta1", "1.20.0-beta.1"},
        {"go1.22.1 X:boringcrypto", "1.22.1"},
        {"go1", "1.0.0"},
        {"devel go1.23-abc123 Tue Jan 2", NULL},
        {"go1.021", NULL},
        {"go1.21.5-custom", NULL},
        {"go1.21.", NULL},
    };
    fx f;
    fx_init(&f);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        elf64(&M, 0, t[i].go, "mod\tx\t(devel)\t\n");
        CHECK(RUN(&M, M.len) == 0);
        if (!t[i].want) {
            CHECK(f.v.len == 0);
            continue;
        }
        CHECK(f.v.len == 1);
        CHECK_STR(DD_VEC_AT(&f.v, dd__lang_pkg, 0)->name, "stdlib");
        CHECK_STR(DD_VEC_AT(&f.v, dd__lang_pkg, 0)->version, t[i].want);
    }
    /* no module info (a GOPATH build): only stdlib */
    elf64(&M, 0, "go1.19.8", "");
    M.b[0x1010 + 32 + 1 + 8] = 0; /* module info length 0 */
    CHECK(RUN(&M, M.len) == 0);
    CHECK(f.v.len == 1);
    fx_free(&f);
}

static void test_gobin__bad(void)
{
    fx f;
    fx_init(&f);
    /* module info without sentinels, bad columns, orphan replacement */
    static const char *const bad[] = {
        "dep\ta\n", "dep\ta\tb\tc\td\n", "=>\ta\tb\tc\n",
        "dep\ta\tv1\n=>\tb\tv2\n", "dep\ta\x01\tv1\t\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        elf64(&M, 1, "go1.21.5", bad[i]);
        f.why[0] = '\0';
        CHECK(RUN(&M, M.len) == DD_EINVALID);
        CHECK(strstr(f.why, "line 1") || strstr(f.why, "line 2"));
        CHECK(f.v.len == 0); /* all or nothing */
    }
    elf64(&M, 1, "go1.21.5", MODS);
    /* header, length 1, "go1.21.5", length 2, sentinel: the last '\n' */
    M.b[0x1010 + 32 + 1 + 8 + 2 + 16 + sizeof MODS - 2] = 'x';
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "sentinels") != NULL);
    /* a huge inline length */
    elf64(&M, 1, "go1.21.5", MODS);
    memcpy(M.b + 0x1010 + 32, "\xff\xff\xff\xff\x0f", 5);
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "version of 4294967295 bytes") != NULL);
    memcpy(M.b + 0x1010 + 32, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10);
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "offset 4144 overflows") != NULL);
    /* pointer form: lying addresses, a huge length, a bad pointer size */
    elf32be(&M, "go1.16", MODS);
    M.be = 1;
    put(&M, 0x1000 + 16, 0x20000000, 4);
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "0x20000000") != NULL);
    elf32be(&M, "go1.16", MODS);
    put(&M, 0x1040 + 12, 0x7fffffff, 4); /* module info length */
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    elf32be(&M, "go1.16", MODS);
    put(&M, 0x1040 + 12, 0x1000, 4); /* past its segment's file bytes */
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "not in the file") != NULL);
    elf32be(&M, "go1.16", MODS);
    M.b[0x1000 + 14] = 3;
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "pointer size 3") != NULL);
    elf32be(&M, "go1.16", MODS);
    put(&M, 0x1040 + 4, 0, 4); /* empty version */
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    /* broken program headers: no Go binary, unless the magic is there */
    elf64(&M, 0, "go1.21.5", MODS);
    M.be = 0;
    put(&M, 32, 0xfffffff0, 8);
    CHECK(RUN(&M, M.len) == DD_EINVALID);
    CHECK(strstr(f.why, "program headers") != NULL);
    elf64(&M, 0, "go1.21.5", NULL);
    memset(M.b + 0x800, 0, 16);
    put(&M, 32, 0xfffffff0, 8);
    CHECK(RUN(&M, M.len) == DD_ENOTFOUND);
    /* a lying section: the segments still know the data */
    elf64(&M, 1, "go1.21.5", MODS);
    put(&M, 0x1c00 + 128 + 16, 0x7000000, 8);
    put(&M, 0x1c00 + 128 + 24, 0x7000000, 8);
    CHECK(RUN(&M, M.len) == DD_ENOTFOUND);
    /* header cut at the data's end */
    elf64(&M, 1, "go1.21.5", MODS);
    CHECK(RUN(&M, 0x1010 + 20) == DD_EINVALID);
    CHECK(strstr(f.why, "truncated") != NULL);
    fx_free(&f);
}

/* every prefix, and random flips: read, refused with a reason, or no Go
 * binary; never a crash */
static void test_gobin__robust(void)
{
    fx f;
    fx_init(&f);
    uint32_t seed = 12345;
    for (int k = 0; k < 6; k++) {
        img base;
        switch (k) {
        case 0:
            elf64(&base, 1, "go1.21.5", MODS);
            break;
        case 1:
            elf32be(&base, "go1.16", MODS);
            break;
        case 2:
            pe(&base, 1, "go1.21.5", MODS);
            break;
        case 3:
            pe(&base, 0, "go1.21.5", MODS);
            break;
        case 4:
            macho(&base, 1, "go1.21.5", MODS);
            break;
        default:
            macho(&base, 0, "go1.21.5", MODS);
            break;
        }
        for (size_t n = 0; n <= base.len; n += (n < 0x1200 ? 1 : 61)) {
            f.why[0] = '\0';
            int rc = RUN(&base, n);
            CHECK(rc == 0 || rc == DD_ENOTFOUND ||
                  (rc == DD_EINVALID && f.why[0]));
        }
        for (int r = 0; r < 3000; r++) {
            M = base;
            for (int j = 0; j < 1 + r % 4; j++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % (r & 1 ? 0x1200u : SZ);
                seed = seed * 1103515245u + 12345u;
                M.b[at] = (uint8_t)(seed >> 16);
            }
            f.why[0] = '\0';
            int rc = RUN(&M, M.len);
            CHECK(rc == 0 || rc == DD_ENOTFOUND ||
                  (rc == DD_EINVALID && f.why[0]));
            for (size_t i = 0; rc == 0 && i < f.v.len; i++) {
                const dd__lang_pkg *p = DD_VEC_AT(&f.v, dd__lang_pkg, i);
                CHECK(p->name[0] && p->version[0]);
            }
        }
    }
    fx_free(&f);
}

static void test_gobin__magic_purl(void)
{
    CHECK(dd__gobin_magic((const uint8_t *)"\x7f"
                                           "ELF",
                          4));
    CHECK(dd__gobin_magic((const uint8_t *)"MZ", 2));
    CHECK(dd__gobin_magic((const uint8_t *)"\xcf\xfa\xed\xfe", 4));
    CHECK(dd__gobin_magic((const uint8_t *)"\xfe\xed\xfa\xce", 4));
    CHECK(!dd__gobin_magic((const uint8_t *)"#!/bin/sh", 9));
    CHECK(!dd__gobin_magic((const uint8_t *)"\x7f"
                                            "EL",
                           3));
    const dd__eco *e = dd__eco_by_pkg_type(DD_PKG_GOLANG);
    CHECK(e != NULL);
    char *p = dd__eco_purl(e, "github.com/foo/bar", "v1.2.3");
    CHECK(p != NULL);
    int ok = !strcmp(p, "pkg:golang/github.com/foo/bar@v1.2.3");
    dd__free(p);
    CHECK(ok);
    p = dd__eco_purl(e, "stdlib", "1.21.5");
    CHECK(p != NULL);
    ok = !strcmp(p, "pkg:golang/stdlib@1.21.5");
    dd__free(p);
    CHECK(ok);
    /* the Go order takes both forms */
    int cmp = 0;
    CHECK(dd_version_compare(DD_VER_GO, "1.21.5", "v1.21.10", &cmp) == 0);
    CHECK(cmp < 0);
    CHECK(dd_version_compare(DD_VER_GO, "1.21.0-rc.2", "1.21.0", &cmp) == 0);
    CHECK(cmp < 0);
}

TEST_LIST(T(test_gobin__elf64_inline),
          T(test_gobin__elf32be_pointer),
          T(test_gobin__pe),
          T(test_gobin__macho),
          T(test_gobin__versions),
          T(test_gobin__bad),
          T(test_gobin__robust),
          T(test_gobin__magic_purl))
