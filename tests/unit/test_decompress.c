/*
 * tests/unit/test_decompress.c - sniffing, gzip/zstd streaming, corrupt,
 * truncated and trailing data.
 */
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "lib/formats/decompress.h"

typedef struct out {
    fx_buf data;
    char rules[8][48];
    int nanom;
} out;

static int on_out(void *p, const uint8_t *d, size_t n)
{
    fx_add(&((out *)p)->data, d, n);
    return 0;
}
static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    out *o = p;
    (void)sev;
    (void)off;
    (void)msg;
    if (o->nanom < 8) {
        snprintf(o->rules[o->nanom], 48, "%s", rule);
    }
    o->nanom++;
}

static int run(const fx_buf *in, size_t chunk, out *o, dd_compression *kind)
{
    memset(o, 0, sizeof *o);
    dd__decomp_callbacks cb = {on_out, on_anom, o};
    dd_decomp *d = dd__decomp_new(&cb);
    int rc = 0;
    for (size_t i = 0; i < in->len && !rc; i += chunk) {
        size_t n = in->len - i < chunk ? in->len - i : chunk;
        rc = dd__decomp_feed(d, in->p + i, n);
    }
    if (!rc) {
        rc = dd__decomp_finish(d);
    }
    if (kind) {
        *kind = dd__decomp_kind(d);
    }
    dd__decomp_free(d);
    return rc;
}

static void sample(fx_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)("drydock layer data "[i % 19] ^ (i / 997));
        fx_add(b, &c, 1);
    }
}

static void test_decompress__gzip_roundtrip_chunked(void)
{
    fx_buf raw = {0}, gz = {0};
    sample(&raw, 3 << 20);
    fx_gzip(&raw, &gz);
    size_t chunks[] = {1 << 20, 4096, 7, 1};
    for (size_t i = 0; i < 4; i++) {
        if (chunks[i] == 1 && gz.len > 200000) {
            continue; /* byte-at-a-time on a small prefix only, below */
        }
        out o;
        dd_compression k;
        CHECK(run(&gz, chunks[i], &o, &k) == 0);
        CHECK(k == DD_COMP_GZIP && o.nanom == 0);
        CHECK(o.data.len == raw.len && memcmp(o.data.p, raw.p, raw.len) == 0);
        fx_buf_free(&o.data);
    }
    fx_buf small = {0}, sgz = {0};
    sample(&small, 5000);
    fx_gzip(&small, &sgz);
    out o;
    CHECK(run(&sgz, 1, &o, NULL) == 0 && o.data.len == 5000);
    fx_buf_free(&o.data);
    fx_buf_free(&small);
    fx_buf_free(&sgz);
    fx_buf_free(&raw);
    fx_buf_free(&gz);
}

static void test_decompress__gzip_multi_member(void)
{
    fx_buf a = {0}, b = {0}, gz = {0};
    sample(&a, 10000);
    sample(&b, 20000);
    fx_gzip(&a, &gz);
    fx_gzip(&b, &gz);
    out o;
    CHECK(run(&gz, 333, &o, NULL) == 0 && o.nanom == 0);
    CHECK(o.data.len == 30000);
    CHECK(memcmp(o.data.p + 10000, b.p, 20000) == 0);
    fx_buf_free(&o.data);
    fx_buf_free(&a);
    fx_buf_free(&b);
    fx_buf_free(&gz);
}

static void test_decompress__gzip_truncated(void)
{
    fx_buf raw = {0}, gz = {0};
    sample(&raw, 200000);
    fx_gzip(&raw, &gz);
    gz.len /= 2;
    out o;
    CHECK(run(&gz, 4096, &o, NULL) == DD_ECORRUPT);
    CHECK(o.nanom == 1);
    CHECK_STR(o.rules[0], "archive.truncated");
    CHECK(o.data.len < raw.len);
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&gz);
}

static void test_decompress__gzip_bad_crc(void)
{
    fx_buf raw = {0}, gz = {0};
    sample(&raw, 50000);
    fx_gzip(&raw, &gz);
    gz.p[gz.len - 8] ^= 0xff;
    out o;
    CHECK(run(&gz, 1000, &o, NULL) == DD_ECORRUPT);
    CHECK_STR(o.rules[0], "archive.corrupt-stream");
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&gz);
}

static void test_decompress__gzip_trailing_garbage(void)
{
    fx_buf raw = {0}, gz = {0};
    sample(&raw, 50000);
    fx_gzip(&raw, &gz);
    fx_add(&gz, "GARBAGE-GARBAGE", 15);
    out o;
    CHECK(run(&gz, 777, &o, NULL) == 0);
    CHECK(o.nanom == 1);
    CHECK_STR(o.rules[0], "archive.trailing-data");
    CHECK(o.data.len == raw.len);
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&gz);
}

static void test_decompress__gzip_garbage_body(void)
{
    fx_buf gz = {0};
    fx_add(&gz, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    for (int i = 0; i < 200; i++) {
        uint8_t c = 0xff;
        fx_add(&gz, &c, 1);
    }
    out o;
    CHECK(run(&gz, 64, &o, NULL) == DD_ECORRUPT);
    CHECK(o.nanom == 1);
    fx_buf_free(&o.data);
    fx_buf_free(&gz);
}

static void test_decompress__zstd_roundtrip_and_frames(void)
{
    fx_buf raw = {0}, zs = {0};
    sample(&raw, 1 << 20);
    fx_zstd(&raw, &zs);
    fx_zstd(&raw, &zs); /* two frames */
    out o;
    dd_compression k;
    CHECK(run(&zs, 10000, &o, &k) == 0 && k == DD_COMP_ZSTD);
    CHECK(o.data.len == 2 * raw.len && o.nanom == 0);
    fx_buf_free(&o.data);
    zs.len -= 10;
    CHECK(run(&zs, 10000, &o, NULL) == DD_ECORRUPT);
    CHECK_STR(o.rules[0], "archive.truncated");
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&zs);
}

static void test_decompress__zstd_trailing_garbage(void)
{
    fx_buf raw = {0}, zs = {0};
    sample(&raw, 4000);
    fx_zstd(&raw, &zs);
    fx_add(&zs, "not a frame at all", 18);
    out o;
    CHECK(run(&zs, 100, &o, NULL) == 0);
    CHECK_STR(o.rules[0], "archive.trailing-data");
    CHECK(o.data.len == raw.len);
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&zs);
}

/* a blob that decompresses to nothing is reported, never a silent empty
 * layer */
static void test_decompress__no_data_frame(void)
{
    fx_buf zs = {0}, gz = {0}, none = {0};
    fx_add(&zs, "\x50\x2a\x4d\x18\x05\x00\x00\x00hello", 13);
    out o;
    dd_compression k;
    CHECK(run(&zs, 3, &o, &k) == 0 && k == DD_COMP_ZSTD);
    CHECK(o.nanom == 1 && o.data.len == 0);
    CHECK_STR(o.rules[0], "archive.empty-stream");
    fx_zstd(&none, &zs); /* an empty frame after it */
    CHECK(run(&zs, 100, &o, NULL) == 0 && o.nanom == 1);
    CHECK_STR(o.rules[0], "archive.empty-stream");
    fx_gzip(&none, &gz);
    fx_gzip(&none, &gz);
    CHECK(run(&gz, 5, &o, &k) == 0 && k == DD_COMP_GZIP);
    CHECK(o.nanom == 1 && o.data.len == 0);
    CHECK_STR(o.rules[0], "archive.empty-stream");
    /* a skippable frame before data is fine */
    fx_buf raw = {0}, mixed = {0};
    sample(&raw, 3000);
    fx_add(&mixed, "\x50\x2a\x4d\x18\x01\x00\x00\x00x", 9);
    fx_zstd(&raw, &mixed);
    CHECK(run(&mixed, 100, &o, NULL) == 0 && o.nanom == 0);
    CHECK(o.data.len == raw.len);
    fx_buf_free(&o.data);
    fx_buf_free(&raw);
    fx_buf_free(&mixed);
    fx_buf_free(&zs);
    fx_buf_free(&gz);
}

static void test_decompress__plain_and_tiny(void)
{
    fx_buf p = {0};
    fx_add(&p, "abc", 3);
    out o;
    dd_compression k;
    CHECK(run(&p, 1, &o, &k) == 0 && k == DD_COMP_NONE);
    CHECK(o.data.len == 3 && memcmp(o.data.p, "abc", 3) == 0);
    fx_buf_free(&o.data);
    fx_buf empty = {0};
    CHECK(run(&empty, 1, &o, &k) == 0 && o.data.len == 0);
    fx_buf_free(&p);
}

static void test_decompress__bzip2_unsupported(void)
{
    fx_buf p = {0};
    fx_add(&p, "BZh91AY&SY....", 14);
    out o;
    CHECK(run(&p, 100, &o, NULL) == DD_EUNSUPPORTED);
    CHECK_STR(o.rules[0], "archive.unsupported-compression");
    fx_buf_free(&p);
}

static void test_decompress__sniff(void)
{
    CHECK(dd__decomp_sniff((const uint8_t *)"\x1f\x8b", 2) == DD_COMP_GZIP);
    CHECK(dd__decomp_sniff((const uint8_t *)"\x28\xb5\x2f\xfd", 4) ==
          DD_COMP_ZSTD);
    CHECK(dd__decomp_sniff((const uint8_t *)"\x50\x2a\x4d\x18", 4) ==
          DD_COMP_ZSTD);
    CHECK(dd__decomp_sniff((const uint8_t *)"usta", 4) == DD_COMP_NONE);
    CHECK(dd__decomp_sniff((const uint8_t *)"\x1f", 1) == DD_COMP_NONE);
}

TEST_LIST(T(test_decompress__gzip_roundtrip_chunked),
          T(test_decompress__gzip_multi_member),
          T(test_decompress__gzip_truncated),
          T(test_decompress__gzip_bad_crc),
          T(test_decompress__gzip_trailing_garbage),
          T(test_decompress__gzip_garbage_body),
          T(test_decompress__zstd_roundtrip_and_frames),
          T(test_decompress__zstd_trailing_garbage),
          T(test_decompress__no_data_frame),
          T(test_decompress__plain_and_tiny),
          T(test_decompress__bzip2_unsupported),
          T(test_decompress__sniff))
