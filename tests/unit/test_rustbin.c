/*
 * tests/unit/test_rustbin.c - cargo-auditable dependency lists
 * (src/lib/lang/rustbin.c) in executables built here in memory: a
 * minimal ELF64 with a ".dep-v0" section, a PE32+ with a ".dep-v0"
 * section and a Mach-O 64 with "__DATA,__dep_v0", each holding
 * zlib-compressed JSON; bad zlib, a zlib bomb, bad JSON, a crate
 * without a version; every prefix of the ELF (never a crash, never past
 * the end: ASan); allocation failures as DD_ENOMEM without leaks; and
 * Go's build-info lookup unchanged by the shared section reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/lang/lang.h"
#include "../../src/util/util.h"

static const char GOOD[] =
    "{\"packages\":["
    "{\"name\":\"app\",\"version\":\"0.1.0\",\"source\":\"local\","
    "\"kind\":\"runtime\",\"dependencies\":[1,2],\"root\":true},"
    "{\"name\":\"serde\",\"version\":\"1.0.188\",\"source\":\"crates.io\","
    "\"kind\":\"runtime\",\"dependencies\":[]},"
    "{\"name\":\"cc\",\"version\":\"1.0.83\",\"source\":\"crates.io\","
    "\"kind\":\"build\"}]}";

static void put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* zlib of `s` (n bytes) into a new buffer */
static uint8_t *z(const char *s, size_t n, size_t *out)
{
    uLongf cap = compressBound((uLong)n);
    uint8_t *b = malloc(cap);
    compress2(b, &cap, (const Bytef *)s, (uLong)n, 9);
    *out = cap;
    return b;
}

/* ELF64 LE: header, section bytes at 0x100, .shstrtab, 3 section headers */
static uint8_t *elf(const uint8_t *sec, size_t sn, size_t *len)
{
    static const char strtab[] = "\0.dep-v0\0.shstrtab";
    size_t data = 0x100, str = data + sn, sh = (str + sizeof strtab + 7) & ~7u;
    *len = sh + 3 * 64;
    uint8_t *d = calloc(1, *len);
    memcpy(d,
           "\x7f"
           "ELF\x02\x01\x01",
           7);
    put(d + 16, 2, 2);  /* ET_EXEC */
    put(d + 18, 62, 2); /* x86-64 */
    put(d + 40, sh, 8); /* e_shoff */
    put(d + 52, 64, 2); /* e_ehsize */
    put(d + 58, 64, 2); /* e_shentsize */
    put(d + 60, 3, 2);  /* e_shnum */
    put(d + 62, 2, 2);  /* e_shstrndx */
    memcpy(d + data, sec, sn);
    memcpy(d + str, strtab, sizeof strtab);
    uint8_t *s1 = d + sh + 64, *s2 = d + sh + 128;
    put(s1, 1, 4); /* ".dep-v0" */
    put(s1 + 4, 1, 4);
    put(s1 + 24, data, 8);
    put(s1 + 32, sn, 8);
    put(s2, 9, 4); /* ".shstrtab" */
    put(s2 + 4, 3, 4);
    put(s2 + 24, str, 8);
    put(s2 + 32, sizeof strtab, 8);
    return d;
}

/* PE32+: DOS stub, NT headers at 0x40, one section ".dep-v0" */
static uint8_t *pe(const uint8_t *sec, size_t sn, size_t *len)
{
    size_t nt = 0x40, opt = nt + 24, optsz = 240, st = opt + optsz;
    size_t raw = 0x200;
    *len = raw + ((sn + 0x1ff) & ~(size_t)0x1ff);
    uint8_t *d = calloc(1, *len);
    d[0] = 'M';
    d[1] = 'Z';
    put(d + 0x3c, nt, 4);
    memcpy(d + nt, "PE\0\0", 4);
    put(d + nt + 4, 0x8664, 2);
    put(d + nt + 6, 1, 2); /* sections */
    put(d + nt + 20, optsz, 2);
    put(d + opt, 0x20b, 2);
    put(d + opt + 24, 0x140000000ull, 8);
    memcpy(d + st, ".dep-v0", 7);
    put(d + st + 8, sn, 4);                             /* VirtualSize */
    put(d + st + 12, 0x1000, 4);                        /* VirtualAddress */
    put(d + st + 16, (sn + 0x1ff) & ~(size_t)0x1ff, 4); /* raw size */
    put(d + st + 20, raw, 4);
    put(d + st + 36, 0x40000040, 4); /* initialised data, read */
    memcpy(d + raw, sec, sn);
    return d;
}

/* Mach-O 64 LE: one LC_SEGMENT_64 "__DATA" with section "__dep_v0" */
static uint8_t *macho(const uint8_t *sec, size_t sn, size_t *len)
{
    size_t hs = 32, cmdsz = 72 + 80, data = 0x200;
    *len = data + sn;
    uint8_t *d = calloc(1, *len);
    memcpy(d, "\xcf\xfa\xed\xfe", 4);
    put(d + 4, 0x01000007, 4); /* x86-64 */
    put(d + 12, 2, 4);         /* MH_EXECUTE */
    put(d + 16, 1, 4);         /* ncmds */
    put(d + 20, cmdsz, 4);
    uint8_t *c = d + hs;
    put(c, 0x19, 4);
    put(c + 4, cmdsz, 4);
    memcpy(c + 8, "__DATA", 6);
    put(c + 24, 0x100000000ull, 8);
    put(c + 32, 0x1000, 8);
    put(c + 40, data, 8);
    put(c + 48, sn, 8);
    put(c + 56, 1, 4); /* maxprot r: not the rw data Go looks for */
    put(c + 60, 1, 4);
    put(c + 64, 1, 4); /* nsects */
    uint8_t *s = c + 72;
    memcpy(s, "__dep_v0", 8);
    memcpy(s + 16, "__DATA", 6);
    put(s + 32, 0x100000000ull, 8);
    put(s + 40, sn, 8);
    put(s + 48, data, 4);
    memcpy(d + data, sec, sn);
    return d;
}

typedef uint8_t *(*builder)(const uint8_t *, size_t, size_t *);

static dd__arena arena; /* the crates' strings, freed at exit */

static void arena_free(void)
{
    dd__arena_free(&arena);
}

static int
run(const uint8_t *d, size_t len, dd__vec *out, size_t *other, char *why)
{
    static int inited;
    if (!inited) {
        dd__arena_init(&arena);
        atexit(arena_free);
        inited = 1;
    }
    return dd__rustbin(&arena, d, len, out, other, why, 256);
}

static void formats(void)
{
    size_t zn;
    uint8_t *zs = z(GOOD, strlen(GOOD), &zn);
    builder b[] = {elf, pe, macho};
    for (int i = 0; i < 3; i++) {
        size_t len;
        uint8_t *d = b[i](zs, zn, &len);
        dd__vec out;
        dd__vec_init(&out, sizeof(dd__lang_pkg));
        size_t other = 9;
        char why[256];
        int rc = run(d, len, &out, &other, why);
        free(d);
        if (rc || out.len != 3) {
            char m[400];
            snprintf(m, sizeof m, "format %d: rc %d, %zu crates: %s", i, rc,
                     out.len, why);
            dd__vec_free(&out);
            free(zs);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
        const dd__lang_pkg *p = DD_VEC_AT(&out, dd__lang_pkg, 1);
        int ok = !strcmp(p->name, "serde") && !strcmp(p->version, "1.0.188") &&
                 other == 1;
        dd__vec_free(&out);
        if (!ok) {
            free(zs);
            dd_test_fail(__FILE__, __LINE__, "crate or source count wrong");
            return;
        }
    }
    free(zs);
}

static void refusals(void)
{
    static const struct {
        const char *json; /* NULL: raw bytes below */
        const char *raw;
        const char *why;
    } C[] = {
        {NULL, "not zlib at all, just bytes", "bad zlib data"},
        {"{not json", NULL, "invalid JSON"},
        {"[1, 2]", NULL, "no \"packages\" array"},
        {"{\"packages\":[{\"name\":\"x\"}]}", NULL,
         "packages[0]: no usable version"},
        {"{\"packages\":[{\"name\":\"a b\",\"version\":\"1\"}]}", NULL,
         "packages[0]: no usable name"},
    };
    for (size_t i = 0; i < sizeof C / sizeof *C; i++) {
        size_t zn;
        uint8_t *zs = C[i].json ? z(C[i].json, strlen(C[i].json), &zn)
                                : (uint8_t *)strdup(C[i].raw);
        if (!C[i].json) {
            zn = strlen(C[i].raw);
        }
        size_t len;
        uint8_t *d = elf(zs, zn, &len);
        dd__vec out;
        dd__vec_init(&out, sizeof(dd__lang_pkg));
        size_t other;
        char why[256];
        int rc = run(d, len, &out, &other, why);
        free(d);
        free(zs);
        size_t n = out.len;
        dd__vec_free(&out);
        if (rc != DD_EINVALID || n || !strstr(why, C[i].why) ||
            !strstr(why, "offset 256")) {
            char m[400];
            snprintf(m, sizeof m, "case %zu: rc %d n %zu why '%s'", i, rc, n,
                     why);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
    }
}

/* 9 MiB of JSON in a few KiB of zlib: refused at the 8 MiB cap */
static void bomb(void)
{
    size_t n = 9u << 20;
    char *s = malloc(n);
    memset(s, ' ', n);
    s[0] = '[';
    s[n - 1] = ']';
    size_t zn;
    uint8_t *zs = z(s, n, &zn);
    free(s);
    CHECK(zn < 64u << 10);
    size_t len;
    uint8_t *d = elf(zs, zn, &len);
    free(zs);
    dd__vec out;
    dd__vec_init(&out, sizeof(dd__lang_pkg));
    size_t other;
    char why[256];
    int rc = run(d, len, &out, &other, why);
    free(d);
    dd__vec_free(&out);
    CHECK(rc == DD_EINVALID);
    CHECK(strstr(why, "inflates past 8388608 bytes"));
}

static void prefixes(void)
{
    size_t zn;
    uint8_t *zs = z(GOOD, strlen(GOOD), &zn);
    builder b[] = {elf, pe, macho};
    int ok = 1;
    for (int i = 0; i < 3 && ok; i++) {
        size_t len;
        uint8_t *d = b[i](zs, zn, &len);
        for (size_t k = 0; k <= len && ok; k++) {
            uint8_t *cut = malloc(k ? k : 1); /* exact size: ASan bounds */
            memcpy(cut, d, k);
            dd__vec out;
            dd__vec_init(&out, sizeof(dd__lang_pkg));
            size_t other;
            char why[256];
            int rc = run(cut, k, &out, &other, why);
            ok = (rc == 0 && out.len == 3) ||
                 ((rc == DD_ENOTFOUND || rc == DD_EINVALID) && !out.len);
            dd__vec_free(&out);
            free(cut);
        }
        free(d);
    }
    free(zs);
    CHECK(ok);
}

static void not_rust(void)
{
    dd__vec out;
    dd__vec_init(&out, sizeof(dd__lang_pkg));
    size_t other;
    char why[256];
    CHECK(run((const uint8_t *)"#!/bin/sh\n", 10, &out, &other, why) ==
          DD_ENOTFOUND);
    size_t len, zn;
    uint8_t *zs = z(GOOD, strlen(GOOD), &zn);
    uint8_t *d = elf(zs, zn, &len);
    free(zs);
    /* ".dep-v1" is no cargo-auditable section */
    uint8_t *strtab = NULL;
    for (size_t i = 0; i + 8 <= len; i++) {
        if (!memcmp(d + i, ".dep-v0", 8)) {
            strtab = d + i;
        }
    }
    CHECK(strtab);
    strtab[6] = '1';
    CHECK(run(d, len, &out, &other, why) == DD_ENOTFOUND);
    free(d);
    CHECK(out.len == 0);
    dd__vec_free(&out);
}

static void alloc_failures(void)
{
    size_t zn;
    uint8_t *zs = z(GOOD, strlen(GOOD), &zn);
    size_t len;
    uint8_t *d = elf(zs, zn, &len);
    free(zs);
    int saw = 0, done = 0;
    for (long k = 1; k < 1000 && !done; k++) {
        dd__arena a;
        dd__arena_init(&a);
        dd__vec out;
        dd__vec_init(&out, sizeof(dd__lang_pkg));
        size_t other;
        char why[256];
        dd__alloc_fail_after(k);
        int rc = dd__rustbin(&a, d, len, &out, &other, why, sizeof why);
        dd__alloc_fail_after(0);
        if (rc == DD_ENOMEM) {
            saw = 1;
        } else if (rc == 0 && out.len == 3) {
            done = 1;
        } else {
            k = 100000; /* neither: fail below */
        }
        dd__vec_free(&out);
        dd__arena_free(&a);
    }
    free(d);
    CHECK(saw && done);
}

TEST_LIST(T(formats),
          T(refusals),
          T(bomb),
          T(prefixes),
          T(not_rust),
          T(alloc_failures))
