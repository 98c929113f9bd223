/*
 * tests/unit/test_tar.c - the streaming tar reader: formats, chunking,
 * hostile headers, limits.
 */
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "lib/formats/tar.h"

typedef struct seen {
    int entries, ends;
    char names[16][300];
    char links[16][120];
    char types[16];
    uint64_t sizes[16];
    size_t data_bytes;
    char data[4096];
    char rules[16][48];
    uint64_t offsets[16];
    int nanom;
} seen;

static int on_entry(void *p, const dd__tar_entry *e)
{
    seen *s = p;
    if (s->entries < 16) {
        snprintf(s->names[s->entries], 300, "%s", e->name);
        snprintf(s->links[s->entries], 120, "%s", e->linkname);
        s->types[s->entries] = e->typeflag;
        s->sizes[s->entries] = e->size;
    }
    s->entries++;
    return 0;
}
static int on_data(void *p, const uint8_t *d, size_t n)
{
    seen *s = p;
    if (s->data_bytes + n < sizeof s->data) {
        memcpy(s->data + s->data_bytes, d, n);
    }
    s->data_bytes += n;
    return 0;
}
static int on_end(void *p)
{
    ((seen *)p)->ends++;
    return 0;
}
static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    seen *s = p;
    (void)sev;
    (void)msg;
    if (s->nanom < 16) {
        snprintf(s->rules[s->nanom], 48, "%s", rule);
        s->offsets[s->nanom] = off;
    }
    s->nanom++;
}

/* Feed `b` in chunks of `chunk` bytes; returns feed/finish status. */
static int
run(const fx_buf *b, size_t chunk, const dd__tar_limits *lim, seen *s)
{
    memset(s, 0, sizeof *s);
    dd__tar_callbacks cb = {on_entry, on_data, on_end, on_anom, s};
    dd_tar *t = dd__tar_new(lim, &cb);
    int rc = 0;
    for (size_t o = 0; o < b->len && !rc; o += chunk) {
        size_t n = b->len - o < chunk ? b->len - o : chunk;
        rc = dd__tar_feed(t, b->p + o, n);
    }
    if (!rc) {
        rc = dd__tar_finish(t);
    }
    dd__tar_free(t);
    return rc;
}

static int has_rule(const seen *s, const char *rule)
{
    for (int i = 0; i < s->nanom && i < 16; i++) {
        if (strcmp(s->rules[i], rule) == 0) {
            return 1;
        }
    }
    return 0;
}

static void test_tar__basic_entries_any_chunking(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "etc/", '5', NULL, NULL, 0);
    fx_tar_entry(&b, "etc/hostname", '0', NULL, "box\n", 4);
    fx_tar_entry(&b, "bin/sh", '2', "busybox", NULL, 0);
    fx_tar_entry(&b, "bin/ash", '1', "bin/sh", NULL, 0);
    fx_tar_end(&b);
    size_t chunks[] = {1, 7, 511, 512, 513, 100000};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        seen s;
        CHECK(run(&b, chunks[i], NULL, &s) == 0);
        CHECK(s.entries == 4 && s.ends == 4 && s.nanom == 0);
        CHECK_STR(s.names[1], "etc/hostname");
        CHECK(s.sizes[1] == 4 && s.data_bytes == 4);
        CHECK(memcmp(s.data, "box\n", 4) == 0);
        CHECK_STR(s.links[2], "busybox");
        CHECK(s.types[3] == '1');
    }
    fx_buf_free(&b);
}

static void test_tar__missing_end_marker_is_accepted(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "a", '0', NULL, "x", 1);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == 0);
    CHECK(s.entries == 1 && s.nanom == 0);
    fx_buf_free(&b);
}

static void test_tar__gnu_longname_and_pax_path(void)
{
    char longname[300];
    memset(longname, 'a', 250);
    memcpy(longname, "usr/", 4);
    longname[250] = '\0';
    fx_buf b = {0};
    fx_tar_gnu_longname(&b, longname);
    fx_tar_entry(&b, "truncated-name", '0', NULL, "1", 1);
    fx_tar_pax(&b, "path", "opt/pax/name.txt");
    fx_tar_entry(&b, "ignored", '0', NULL, "22", 2);
    fx_tar_pax(&b, "linkpath", "target/of/link");
    fx_tar_entry(&b, "l", '2', "short", NULL, 0);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 3, NULL, &s) == 0);
    CHECK(s.entries == 3);
    CHECK_STR(s.names[0], longname);
    CHECK_STR(s.names[1], "opt/pax/name.txt");
    CHECK_STR(s.links[2], "target/of/link");
    CHECK(s.data_bytes == 3);
    fx_buf_free(&b);
}

static void test_tar__pax_size_overrides_header(void)
{
    fx_buf b = {0};
    fx_tar_pax(&b, "size", "5");
    uint8_t zero[12] = "00000000000";
    fx_tar_raw_header(&b, "big", '0', zero, 0);
    fx_add(&b, "hello", 5);
    uint8_t padz[507] = {0};
    fx_add(&b, padz, sizeof padz);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 64, NULL, &s) == 0);
    CHECK(s.entries == 1 && s.sizes[0] == 5 && s.data_bytes == 5);
    fx_buf_free(&b);
}

static void test_tar__header_only_types_ignore_size(void)
{
    /* a symlink whose size field claims 100 bytes carries no data */
    fx_buf b = {0};
    uint8_t sz[12] = "00000000144";
    fx_tar_raw_header(&b, "link", '2', sz, 0);
    fx_tar_entry(&b, "after", '0', NULL, "z", 1);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == 0);
    CHECK(s.entries == 2 && s.sizes[0] == 0);
    CHECK_STR(s.names[1], "after");
    fx_buf_free(&b);
}

static void test_tar__truncated_data_is_reported(void)
{
    fx_buf b = {0};
    uint8_t sz[12] = "00000001000";
    fx_tar_raw_header(&b, "cut", '0', sz, 0);
    fx_add(&b, "only-a-little", 13);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == DD_ECORRUPT);
    CHECK(has_rule(&s, "archive.truncated"));
    fx_buf_free(&b);
}

static void test_tar__truncated_header_is_reported(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "a", '0', NULL, "x", 1);
    uint8_t half[200];
    memset(half, 'q', sizeof half);
    fx_add(&b, half, sizeof half);
    seen s;
    CHECK(run(&b, 100, NULL, &s) == DD_ECORRUPT);
    CHECK(has_rule(&s, "archive.truncated"));
    CHECK(s.offsets[0] == 1024);
    fx_buf_free(&b);
}

static void test_tar__bad_checksum_stops(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "ok", '0', NULL, "x", 1);
    uint8_t sz[12] = "00000000000";
    fx_tar_raw_header(&b, "bad", '0', sz, 1);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == DD_ECORRUPT);
    CHECK(s.entries == 1 && has_rule(&s, "archive.bad-header"));
    CHECK(s.offsets[0] == 1024);
    fx_buf_free(&b);
}

static void test_tar__bogus_size_fields(void)
{
    const uint8_t garbage[12] = "zz9-\x01\xff abc\0";
    uint8_t negative[12];
    memset(negative, 0xff, 12);
    uint8_t huge[12] = {0x80, 0,    0,    0,    0x7f, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const uint8_t *fields[] = {garbage, negative, huge};
    const char *rules[] = {"archive.bad-size", "archive.bad-size",
                           "archive.limit"};
    for (int i = 0; i < 3; i++) {
        fx_buf b = {0};
        fx_tar_raw_header(&b, "bogus", '0', fields[i], 0);
        fx_add(&b, "AAAA", 4);
        seen s;
        int rc = run(&b, 512, NULL, &s);
        CHECK(rc == DD_ECORRUPT || rc == DD_ELIMIT);
        CHECK(has_rule(&s, rules[i]));
        CHECK(s.entries == 0);
        fx_buf_free(&b);
    }
}

static void test_tar__entry_limit(void)
{
    fx_buf b = {0};
    for (int i = 0; i < 10; i++) {
        char n[16];
        snprintf(n, sizeof n, "f%d", i);
        fx_tar_entry(&b, n, '0', NULL, NULL, 0);
    }
    fx_tar_end(&b);
    dd__tar_limits lim = {0};
    lim.max_entries = 5;
    seen s;
    CHECK(run(&b, 512, &lim, &s) == DD_ELIMIT);
    CHECK(s.entries == 5 && has_rule(&s, "archive.limit"));
    fx_buf_free(&b);
}

static void test_tar__oversized_pax_record_is_a_limit(void)
{
    fx_buf b = {0};
    char big[3000];
    memset(big, 'p', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    fx_tar_pax(&b, "path", big);
    fx_tar_entry(&b, "x", '0', NULL, NULL, 0);
    fx_tar_end(&b);
    dd__tar_limits lim = {0};
    lim.max_pax_size = 1024;
    seen s;
    CHECK(run(&b, 512, &lim, &s) == DD_ELIMIT);
    CHECK(has_rule(&s, "archive.limit"));
    fx_buf_free(&b);
}

static void test_tar__malformed_pax_record_reported(void)
{
    fx_buf b = {0};
    const char *rec = "99 path=short\n";
    uint8_t sz[12];
    snprintf((char *)sz, 12, "%011o", (unsigned)strlen(rec));
    fx_tar_raw_header(&b, "PaxHeader", 'x', sz, 0);
    fx_add(&b, rec, strlen(rec));
    uint8_t z[512] = {0};
    fx_add(&b, z, 512 - strlen(rec));
    fx_tar_entry(&b, "plain", '0', NULL, NULL, 0);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == 0);
    CHECK(has_rule(&s, "archive.bad-pax"));
    CHECK_STR(s.names[0], "plain");
    fx_buf_free(&b);
}

static void test_tar__trailing_data_after_end(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "a", '0', NULL, NULL, 0);
    fx_tar_end(&b);
    fx_add(&b, "hidden payload", 14);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == 0);
    CHECK(has_rule(&s, "archive.trailing-data"));
    CHECK(s.offsets[0] == 1536);
    fx_buf_free(&b);
}

/* A type 'S' header without the GNU magic is one Go rejects: reported,
 * and its stored bytes are still analysed; unknown types are skipped. */
static void test_tar__bad_sparse_delivered_unknown_types_skipped(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "sparse", 'S', NULL, "data", 4);
    fx_tar_entry(&b, "weird", 'Z', NULL, "data", 4);
    fx_tar_entry(&b, "ok", '0', NULL, "y", 1);
    fx_tar_end(&b);
    seen s;
    CHECK(run(&b, 512, NULL, &s) == 0);
    CHECK(s.entries == 2 && s.data_bytes == 5);
    CHECK_STR(s.names[0], "sparse");
    CHECK(has_rule(&s, "archive.bad-sparse"));
    CHECK(has_rule(&s, "archive.unsupported-entry"));
    fx_buf_free(&b);
}

static void test_tar__parse_number(void)
{
    uint64_t v;
    CHECK(dd__tar_parse_number((const uint8_t *)"0000644\0", 8, &v) == 0 &&
          v == 0644);
    CHECK(dd__tar_parse_number((const uint8_t *)"  17 \0\0\0", 8, &v) == 0 &&
          v == 017);
    CHECK(dd__tar_parse_number((const uint8_t *)"\0\0\0\0\0\0\0\0", 8, &v) ==
              0 &&
          v == 0);
    CHECK(dd__tar_parse_number((const uint8_t *)"0008\0\0\0\0", 8, &v) != 0);
    CHECK(dd__tar_parse_number((const uint8_t *)"12 3\0\0\0\0", 8, &v) != 0);
    const uint8_t b256[8] = {0x80, 0, 0, 0, 0, 0, 1, 0};
    CHECK(dd__tar_parse_number(b256, 8, &v) == 0 && v == 256);
    const uint8_t neg[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    CHECK(dd__tar_parse_number(neg, 8, &v) != 0);
    /* 22 octal digits overflow 64 bits */
    CHECK(dd__tar_parse_number((const uint8_t *)"7777777777777777777777", 22,
                               &v) != 0);
}

static void test_tar__callback_abort_propagates(void)
{
    fx_buf b = {0};
    fx_tar_entry(&b, "a", '0', NULL, "x", 1);
    fx_tar_end(&b);
    dd__tar_callbacks cb = {NULL, NULL, NULL, NULL, NULL};
    dd_tar *t = dd__tar_new(NULL, &cb);
    CHECK(dd__tar_feed(t, b.p, b.len) == 0); /* NULL callbacks are fine */
    CHECK(dd__tar_finish(t) == 0);
    dd__tar_free(t);
    fx_buf_free(&b);
}

TEST_LIST(T(test_tar__basic_entries_any_chunking),
          T(test_tar__missing_end_marker_is_accepted),
          T(test_tar__gnu_longname_and_pax_path),
          T(test_tar__pax_size_overrides_header),
          T(test_tar__header_only_types_ignore_size),
          T(test_tar__truncated_data_is_reported),
          T(test_tar__truncated_header_is_reported),
          T(test_tar__bad_checksum_stops),
          T(test_tar__bogus_size_fields),
          T(test_tar__entry_limit),
          T(test_tar__oversized_pax_record_is_a_limit),
          T(test_tar__malformed_pax_record_reported),
          T(test_tar__trailing_data_after_end),
          T(test_tar__bad_sparse_delivered_unknown_types_skipped),
          T(test_tar__parse_number),
          T(test_tar__callback_abort_propagates))
