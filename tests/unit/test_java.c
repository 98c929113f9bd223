/*
 * tests/unit/test_java.c - the zip reader (lib/lang/zipdir.c) and the Java
 * archive reader (lib/lang/java.c) on zips built here: stored, deflate,
 * ZIP64, prepended bytes, a WAR with two jars (one stored, one deflated),
 * manifest-only and name-only jars, and hostile ones (a deflate bomb,
 * lying sizes and offsets, a truncated central directory, "../" and
 * absolute names, too many entries, nesting past the depth cap). Every
 * prefix and many byte flips of a valid archive are read or refused with
 * a reason, never a crash.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "drydock/drydock.h"
#include "fixture.h"
#include "harness.h"
#include "../../src/lib/lang/java.h"
#include "../../src/lib/lang/zipdir.h"
#include "../../src/util/util.h"

/* ---- a small zip writer --------------------------------------------- */

typedef struct zm {
    const char *name;
    const void *data;
    size_t n;
    int deflate;
} zm;

typedef struct zopt {
    int zip64;
    const char *prefix;   /* bytes before the archive */
    uint32_t lie_usize;   /* when set: declared size of member 0 */
    uint32_t lie_off;     /* when set: local offset of member 0 */
    uint16_t lie_count;   /* when set: entries in the end record */
    int name_mismatch;    /* local name of member 0 differs */
    const char *cd_name0; /* central name of member 0 (else its name) */
} zopt;

static void le16(fx_buf *b, unsigned v)
{
    uint8_t t[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    fx_add(b, t, 2);
}

static void le32(fx_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    fx_add(b, t, 4);
}

static void le64(fx_buf *b, uint64_t v)
{
    le32(b, (uint32_t)v);
    le32(b, (uint32_t)(v >> 32));
}

static void raw_deflate(const void *in, size_t n, fx_buf *out)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    deflateInit2(&s, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&s, n);
    uint8_t *o = malloc(cap);
    s.next_in = (Bytef *)(uintptr_t)in;
    s.avail_in = (uInt)n;
    s.next_out = o;
    s.avail_out = (uInt)cap;
    deflate(&s, Z_FINISH);
    fx_add(out, o, s.total_out);
    deflateEnd(&s);
    free(o);
}

static void zip_build(fx_buf *z, const zm *m, size_t nm, const zopt *o)
{
    static const zopt none;
    if (!o) {
        o = &none;
    }
    if (o->prefix) {
        fx_add(z, o->prefix, strlen(o->prefix));
    }
    size_t base = z->len;
    uint64_t *offs = calloc(nm, sizeof *offs);
    uint64_t *csz = calloc(nm, sizeof *csz);
    uint32_t *crcs = calloc(nm, sizeof *crcs);
    for (size_t i = 0; i < nm; i++) {
        fx_buf c = {0};
        if (m[i].deflate) {
            raw_deflate(m[i].data, m[i].n, &c);
        } else {
            fx_add(&c, m[i].data, m[i].n);
        }
        crcs[i] = (uint32_t)crc32(0, m[i].data, (uInt)m[i].n);
        csz[i] = c.len;
        offs[i] = z->len - base;
        le32(z, 0x04034b50u);
        le16(z, 20);
        le16(z, 0);
        le16(z, m[i].deflate ? 8 : 0);
        le32(z, 0);
        le32(z, crcs[i]);
        le32(z, (uint32_t)c.len);
        le32(z, (uint32_t)m[i].n);
        le16(z, (unsigned)strlen(m[i].name));
        le16(z, 0);
        if (i == 0 && o->name_mismatch) {
            fx_add(z, "X", 1);
            fx_add(z, m[i].name + 1, strlen(m[i].name) - 1);
        } else {
            fx_add(z, m[i].name, strlen(m[i].name));
        }
        fx_add(z, c.p, c.len);
        fx_buf_free(&c);
    }
    size_t cd = z->len;
    for (size_t i = 0; i < nm; i++) {
        const char *nm0 = i == 0 && o->cd_name0 ? o->cd_name0 : m[i].name;
        uint32_t us = i == 0 && o->lie_usize ? o->lie_usize : (uint32_t)m[i].n;
        uint64_t off = i == 0 && o->lie_off ? o->lie_off : offs[i];
        le32(z, 0x02014b50u);
        le16(z, 45);
        le16(z, 45);
        le16(z, 0);
        le16(z, m[i].deflate ? 8 : 0);
        le32(z, 0);
        le32(z, crcs[i]);
        le32(z, o->zip64 ? 0xffffffffu : (uint32_t)csz[i]);
        le32(z, o->zip64 ? 0xffffffffu : us);
        le16(z, (unsigned)strlen(nm0));
        le16(z, o->zip64 ? 4 + 24 : 0);
        le16(z, 0);
        le16(z, 0);
        le16(z, 0);
        le32(z, 0);
        le32(z, o->zip64 ? 0xffffffffu : (uint32_t)off);
        fx_add(z, nm0, strlen(nm0));
        if (o->zip64) {
            le16(z, 1);
            le16(z, 24);
            le64(z, us);
            le64(z, csz[i]);
            le64(z, off);
        }
    }
    size_t cd_end = z->len;
    uint16_t count = o->lie_count ? o->lie_count : (uint16_t)nm;
    if (o->zip64) {
        size_t rec = z->len;
        le32(z, 0x06064b50u);
        le64(z, 44);
        le16(z, 45);
        le16(z, 45);
        le32(z, 0);
        le32(z, 0);
        le64(z, count);
        le64(z, count);
        le64(z, cd_end - cd);
        le64(z, cd - base);
        le32(z, 0x07064b50u);
        le32(z, 0);
        le64(z, rec - base);
        le32(z, 1);
    }
    le32(z, 0x06054b50u);
    le16(z, 0);
    le16(z, 0);
    le16(z, o->zip64 ? 0xffff : count);
    le16(z, o->zip64 ? 0xffff : count);
    le32(z, o->zip64 ? 0xffffffffu : (uint32_t)(cd_end - cd));
    le32(z, o->zip64 ? 0xffffffffu : (uint32_t)(cd - base));
    le16(z, 0);
    free(offs);
    free(csz);
    free(crcs);
}

#define M(name, s, d)         \
    {                         \
        name, s, strlen(s), d \
    }

static const char TEXT[] =
    "The quick brown fox jumps over the lazy dog. The quick brown fox "
    "jumps over the lazy dog. The quick brown fox jumps over the lazy dog.";

/* member `name` of the zip (0) or an error code */
static int read_member(const fx_buf *z,
                       const char *name,
                       dd__buf *sc,
                       const uint8_t **d,
                       size_t *n,
                       char *why,
                       size_t why_n)
{
    dd__zip zz;
    int rc = dd__zip_open(&zz, z->p, z->len, why, why_n);
    if (rc) {
        return rc;
    }
    dd__zip_entry e;
    int found = 0;
    dd__zip_entry hit;
    while ((rc = dd__zip_next(&zz, &e, why, why_n)) == 1) {
        if (dd__zip_name_is(&e, name)) {
            hit = e;
            found = 1;
        }
    }
    if (rc) {
        return rc;
    }
    if (!found) {
        return DD_ENOTFOUND;
    }
    dd__zip_budget b = {1ull << 30};
    return dd__zip_member(&zz, &hit, 1ull << 30, &b, sc, d, n, why, why_n);
}

static void test_java__stored_deflate_zip64(void)
{
    for (int v = 0; v < 3; v++) {
        zm m[] = {M("a/dir/", "", 0), M("a/stored.txt", TEXT, 0),
                  M("a/deflated.txt", TEXT, 1)};
        zopt o = {0};
        o.zip64 = v == 1;
        o.prefix = v == 2 ? "#!/bin/sh\nexec java -jar \"$0\"\n" : NULL;
        fx_buf z = {0};
        zip_build(&z, m, 3, &o);
        dd__buf sc;
        dd__buf_init(&sc, 1u << 20);
        const uint8_t *d;
        size_t n;
        char why[256] = "";
        for (int k = 1; k < 3; k++) {
            int rc = read_member(&z, m[k].name, &sc, &d, &n, why, sizeof why);
            if (rc) {
                fprintf(stderr, "variant %d %s: %s\n", v, m[k].name, why);
            }
            CHECK(rc == 0);
            CHECK(n == strlen(TEXT) && !memcmp(d, TEXT, n));
            /* stored members are a slice of the archive */
            CHECK((k == 1) == (d >= z.p && d < z.p + z.len));
        }
        dd__zip zz;
        CHECK(dd__zip_open(&zz, z.p, z.len, why, sizeof why) == 0);
        CHECK(zz.n_entries == 3);
        CHECK(zz.base == (o.prefix ? strlen(o.prefix) : 0));
        dd__buf_free(&sc);
        fx_buf_free(&z);
    }
}

static void test_java__hostile(void)
{
    char why[256];
    dd__buf sc;
    dd__buf_init(&sc, 64u << 20);
    const uint8_t *d;
    size_t n;
    zm one[] = {M("x.txt", TEXT, 1)};
    /* a deflate bomb: 32 MiB of zeros from ~32 KiB */
    size_t bn = 32u << 20;
    char *zeros = calloc(1, bn);
    zm bomb[] = {{"bomb.bin", zeros, bn, 1}};
    fx_buf z = {0};
    zip_build(&z, bomb, 1, NULL);
    why[0] = '\0';
    CHECK(read_member(&z, "bomb.bin", &sc, &d, &n, why, sizeof why) ==
          DD_ELIMIT);
    CHECK(strstr(why, "bomb") && strstr(why, "offset 0"));
    fx_buf_free(&z);
    free(zeros);
    /* declared smaller than it inflates: stopped there */
    zopt o = {0};
    o.lie_usize = 10;
    zip_build(&z, one, 1, &o);
    CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "past its declared 10 bytes") != NULL);
    fx_buf_free(&z);
    /* declared larger */
    o.lie_usize = 100000;
    zip_build(&z, one, 1, &o);
    CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
          DD_EINVALID);
    fx_buf_free(&z);
    /* a local offset inside the central directory, or elsewhere */
    memset(&o, 0, sizeof o);
    o.lie_off = 60;
    zip_build(&z, one, 1, &o);
    CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "offset") != NULL);
    fx_buf_free(&z);
    o.lie_off = 0x7fffffff;
    zip_build(&z, one, 1, &o);
    CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "local header offset 2147483647") != NULL);
    fx_buf_free(&z);
    /* local header's name differs from the central one */
    memset(&o, 0, sizeof o);
    o.name_mismatch = 1;
    zip_build(&z, one, 1, &o);
    CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "disagrees") && strstr(why, "(name)"));
    fx_buf_free(&z);
    /* names that climb or are absolute, or hold a NUL */
    static const char *const bad[] = {"../evil", "a/../../b", "/etc/passwd",
                                      "C:\\x",   "a\\..\\b",  ".."};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&o, 0, sizeof o);
        o.cd_name0 = bad[i];
        zip_build(&z, one, 1, &o);
        CHECK(read_member(&z, "x.txt", &sc, &d, &n, why, sizeof why) ==
              DD_EINVALID);
        CHECK(strstr(why, "name refused") != NULL);
        fx_buf_free(&z);
    }
    /* a NUL in a name */
    zm ok[] = {M("a.b", TEXT, 0)};
    zip_build(&z, ok, 1, NULL);
    for (size_t i = 0; i + 3 <= z.len; i++) {
        if (!memcmp(z.p + i, "a.b", 3)) {
            z.p[i + 1] = '\0';
        }
    }
    dd__zip zz;
    dd__zip_entry e;
    CHECK(dd__zip_open(&zz, z.p, z.len, why, sizeof why) == 0);
    CHECK(dd__zip_next(&zz, &e, why, sizeof why) == DD_EINVALID);
    fx_buf_free(&z);
    /* too many entries, or more than the directory holds */
    memset(&o, 0, sizeof o);
    o.lie_count = 0xfffe;
    zip_build(&z, one, 1, &o);
    CHECK(dd__zip_open(&zz, z.p, z.len, why, sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "cannot fit") != NULL);
    fx_buf_free(&z);
    o.zip64 = 1;
    zip_build(&z, one, 1, &o);
    /* the ZIP64 record's count is 64-bit: past the limit */
    for (size_t i = 0; i + 4 <= z.len; i++) {
        if (!memcmp(z.p + i, "PK\x06\x06", 4)) {
            memset(z.p + i + 24, 0, 16);
            z.p[i + 24 + 3] = 1; /* 2^24 entries */
            z.p[i + 32 + 3] = 1;
        }
    }
    CHECK(dd__zip_open(&zz, z.p, z.len, why, sizeof why) == DD_ELIMIT);
    CHECK(strstr(why, "over the limit of 131072") != NULL);
    fx_buf_free(&z);
    /* two entries declared, one present: the walk ends with an error */
    zm two[] = {M("a", TEXT, 0), M("b", TEXT, 0)};
    zip_build(&z, two, 2, NULL);
    CHECK(dd__zip_open(&zz, z.p, z.len, why, sizeof why) == 0);
    zz.n_entries = 3; /* as if the end record said so */
    int rc, k = 0;
    while ((rc = dd__zip_next(&zz, &e, why, sizeof why)) == 1) {
        k++;
    }
    CHECK(k == 2 && rc == DD_EINVALID && strstr(why, "offset"));
    /* truncated central directory: every cut is refused with a reason */
    for (size_t cut = 0; cut < z.len; cut++) {
        why[0] = '\0';
        rc = dd__zip_open(&zz, z.p, cut, why, sizeof why);
        while (rc == 0 && (rc = dd__zip_next(&zz, &e, why, sizeof why)) == 1) {
        }
        CHECK(rc == DD_EINVALID && why[0]);
    }
    /* the end record intact, the directory before it cut short */
    size_t cd = 0;
    for (size_t i = 0; i + 4 <= z.len; i++) {
        if (!memcmp(z.p + i, "PK\x01\x02", 4)) {
            cd = i;
            break;
        }
    }
    fx_buf t = {0};
    fx_add(&t, z.p, cd + 50);
    fx_add(&t, z.p + z.len - 22, 22);
    CHECK(dd__zip_open(&zz, t.p, t.len, why, sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "past where it can start") != NULL);
    fx_buf_free(&t);
    fx_buf_free(&z);
    dd__buf_free(&sc);
}

/* ---- Java archives -------------------------------------------------- */

static void sha1_hex(const fx_buf *b, char out[41])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned l;
    EVP_Digest(b->p, b->len, md, &l, EVP_sha1(), NULL);
    for (unsigned i = 0; i < 20; i++) {
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    }
}

static const dd__java_pkg *find(const dd__vec *v, const char *path)
{
    for (size_t i = 0; i < v->len; i++) {
        const dd__java_pkg *p = DD_VEC_AT(v, dd__java_pkg, i);
        if (!strcmp(p->path, path)) {
            return p;
        }
    }
    return NULL;
}

static void jar(fx_buf *out, const char *g, const char *a, const char *v)
{
    char pp[256], props[512];
    snprintf(pp, sizeof pp, "META-INF/maven/%s/%s/pom.properties", g, a);
    snprintf(props, sizeof props,
             "#Generated by Maven\n#Thu Jan 01 00:00:00 UTC 1970\n"
             "groupId=%s\nartifactId=%s\nversion=%s\n",
             g, a, v);
    zm m[] = {M("META-INF/", "", 0),
              M("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n", 1),
              {"org/x/A.class", TEXT, sizeof TEXT, 1},
              {pp, props, strlen(props), 1}};
    zip_build(out, m, 4, NULL);
}

static void test_java__war(void)
{
    fx_buf j1 = {0}, j2 = {0}, j3 = {0}, j4 = {0}, war = {0};
    jar(&j1, "org.apache.commons", "commons-lang3", "3.12.0");
    jar(&j2, "com.google.guava", "guava", "31.1-jre");
    /* a manifest only: continuation lines, a symbolic name directive */
    zm m3[] = {M("META-INF/MANIFEST.MF",
                 "Manifest-Version: 1.0\r\nImplementation-Title: foo-co\r\n "
                 "re\r\nBundle-SymbolicName: org.example.foo-core;singleton:="
                 "true\r\nImplementation-Version: 2.0\r\n\r\nName: x\r\n"
                 "Implementation-Version: 9.9\r\n",
                 1)};
    zip_build(&j3, m3, 1, NULL);
    /* nothing inside: the file name */
    zm m4[] = {M("README", "hi", 0)};
    zip_build(&j4, m4, 1, NULL);
    zm w[] = {M("WEB-INF/web.xml", "<web-app/>", 1),
              {"WEB-INF/lib/commons-lang3-3.12.0.jar", j1.p, j1.len, 0},
              {"WEB-INF/lib/guava-31.1-jre.jar", j2.p, j2.len, 1},
              {"WEB-INF/lib/foo.jar", j3.p, j3.len, 1},
              {"WEB-INF/lib/bar-baz-1.2.3.jar", j4.p, j4.len, 0},
              M("WEB-INF/lib/broken.jar", "not a zip at all", 1)};
    zip_build(&war, w, 6, NULL);
    dd__arena a;
    dd__arena_init(&a);
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__java_pkg));
    char why[256] = "";
    CHECK(dd__java_archive(&a, war.p, war.len, "srv/app.war", &v, why,
                           sizeof why) == 0);
    char h[41];
    const dd__java_pkg *p =
        find(&v, "srv/app.war!/WEB-INF/lib/commons-lang3-3.12.0.jar");
    CHECK(p && p->name);
    CHECK_STR(p->name, "org.apache.commons:commons-lang3");
    CHECK_STR(p->version, "3.12.0");
    sha1_hex(&j1, h);
    CHECK_STR(p->sha1, h);
    p = find(&v, "srv/app.war!/WEB-INF/lib/guava-31.1-jre.jar");
    CHECK(p && p->name);
    CHECK_STR(p->name, "com.google.guava:guava");
    CHECK_STR(p->version, "31.1-jre");
    sha1_hex(&j2, h);
    CHECK_STR(p->sha1, h);
    p = find(&v, "srv/app.war!/WEB-INF/lib/foo.jar");
    CHECK(p && p->name);
    CHECK_STR(p->name, "org.example:foo-core");
    CHECK_STR(p->version, "2.0");
    p = find(&v, "srv/app.war!/WEB-INF/lib/bar-baz-1.2.3.jar");
    CHECK(p && p->name);
    CHECK_STR(p->name, "bar-baz:bar-baz");
    CHECK_STR(p->version, "1.2.3");
    p = find(&v, "srv/app.war!/WEB-INF/lib/broken.jar");
    CHECK(p && !p->name && p->why && strstr(p->why, "end record"));
    /* the WAR itself: no pom, no manifest, no version in its name */
    CHECK(!find(&v, "srv/app.war"));
    CHECK(v.len == 5);
    /* every prefix and many byte flips: read or refused, with a reason */
    for (size_t cut = 0; cut < war.len; cut += 7) {
        size_t before = v.len;
        why[0] = '\0';
        int rc = dd__java_archive(&a, war.p, cut, "w.war", &v, why, sizeof why);
        CHECK(rc == 0 || ((rc == DD_EINVALID || rc == DD_ELIMIT) && why[0] &&
                          v.len == before));
    }
    for (size_t i = 0; i < war.len; i += 3) {
        uint8_t keep = war.p[i];
        war.p[i] ^= (uint8_t)(0x55 + i);
        why[0] = '\0';
        int rc =
            dd__java_archive(&a, war.p, war.len, "w.war", &v, why, sizeof why);
        war.p[i] = keep;
        CHECK(rc == 0 || ((rc == DD_EINVALID || rc == DD_ELIMIT) && why[0]));
    }
    dd__vec_free(&v);
    dd__arena_free(&a);
    fx_buf_free(&j1);
    fx_buf_free(&j2);
    fx_buf_free(&j3);
    fx_buf_free(&j4);
    fx_buf_free(&war);
}

static void test_java__depth_and_props(void)
{
    /* jar in jar in jar in jar: the fourth level is not read */
    fx_buf lv[5] = {{0}};
    jar(&lv[0], "g", "level4", "4");
    for (int i = 1; i < 5; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "lib/in%d.jar", i);
        zm m[] = {{nm, lv[i - 1].p, lv[i - 1].len, i % 2}};
        zip_build(&lv[i], m, 1, NULL);
    }
    dd__arena a;
    dd__arena_init(&a);
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__java_pkg));
    char why[256] = "";
    CHECK(dd__java_archive(&a, lv[4].p, lv[4].len, "x.ear", &v, why,
                           sizeof why) == 0);
    const dd__java_pkg *p =
        find(&v, "x.ear!/lib/in4.jar!/lib/in3.jar!/lib/in2.jar!/lib/in1.jar");
    CHECK(p && !p->name && strstr(p->why, "nested more than 3 deep"));
    CHECK(v.len == 1);
    v.len = 0;
    /* pom.properties: escapes, continuation, ':' and ' ' separators; the
     * directory names when groupId/artifactId are missing */
    const char props[] = "! comment\n  version : 1.0\\\n    .1\r\n"
                         "artifactId=ab\\u0063\ngroupId org.\\\n   x\n";
    zm m[] = {M("META-INF/maven/org.x/abc/pom.properties", props, 1),
              M("META-INF/maven/org.y/only/pom.properties", "version=7\n", 0),
              M("META-INF/maven/org.z/nov/pom.properties", "groupId=q\n", 0)};
    fx_buf z = {0};
    zip_build(&z, m, 3, NULL);
    CHECK(dd__java_archive(&a, z.p, z.len, "abc-1.0.1.jar", &v, why,
                           sizeof why) == 0);
    CHECK(v.len == 2);
    const dd__java_pkg *p0 = DD_VEC_AT(&v, dd__java_pkg, 0);
    const dd__java_pkg *p1 = DD_VEC_AT(&v, dd__java_pkg, 1);
    CHECK_STR(p0->name, "org.x:abc");
    CHECK_STR(p0->version, "1.0.1");
    CHECK(p0->sha1 != NULL); /* the file is named after it */
    CHECK_STR(p1->name, "org.y:only");
    CHECK_STR(p1->version, "7");
    CHECK(p1->sha1 == NULL);
    fx_buf_free(&z);
    for (int i = 0; i < 5; i++) {
        fx_buf_free(&lv[i]);
    }
    /* many broken nested jars: 64 warnings, then one line for the rest */
    zm many[70];
    char names[70][32];
    for (int i = 0; i < 70; i++) {
        snprintf(names[i], sizeof names[i], "lib/b%02d.jar", i);
        many[i] = (zm){names[i], "not a zip", 9, 0};
    }
    zip_build(&z, many, 70, NULL);
    v.len = 0;
    CHECK(dd__java_archive(&a, z.p, z.len, "m.war", &v, why, sizeof why) == 0);
    CHECK(v.len == 65);
    p = DD_VEC_AT(&v, dd__java_pkg, 64);
    CHECK(!p->name && strstr(p->why, "6 more warning(s) not shown"));
    CHECK_STR(p->path, "m.war");
    fx_buf_free(&z);
    CHECK(dd__java_path("usr/share/java/x.JAR"));
    CHECK(dd__java_path("a/b.war") && dd__java_path("c.ear") &&
          dd__java_path("d.par"));
    CHECK(!dd__java_path("a/.jar") && !dd__java_path("a/x.jar.sha1") &&
          !dd__java_path("a/jar"));
    dd__vec_free(&v);
    dd__arena_free(&a);
}

TEST_LIST(T(test_java__stored_deflate_zip64),
          T(test_java__hostile),
          T(test_java__war),
          T(test_java__depth_and_props))
