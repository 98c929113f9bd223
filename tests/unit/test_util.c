/*
 * tests/unit/test_util.c - path cleaning, capped buffers, hash map,
 * sha256, arena, allocation failure, the untrusted-JSON parser.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/arena.h"
#include "util/glob.h"
#include "util/map.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/util.h"

static void test_util__path_clean_table(void)
{
    static const struct {
        const char *in, *out;
        unsigned flags;
    } cases[] = {
        {"etc/passwd", "etc/passwd", 0},
        {"./etc/passwd", "etc/passwd", DD_PATH_UNCLEAN},
        {"etc/", "etc", 0},
        {"/etc/shadow", "etc/shadow", DD_PATH_ABSOLUTE},
        {"//tmp/x", "tmp/x", DD_PATH_ABSOLUTE},
        {"a//b", "a/b", DD_PATH_UNCLEAN},
        {"a/../b", "b", DD_PATH_DOTDOT},
        {"../x", "x", DD_PATH_DOTDOT | DD_PATH_ESCAPES},
        {"usr/../../../tmp/e", "tmp/e", DD_PATH_DOTDOT | DD_PATH_ESCAPES},
        {"./", "", DD_PATH_UNCLEAN},
        {"", "", 0},
        {"a/b/c/../../d", "a/d", DD_PATH_DOTDOT},
    };
    dd__buf b;
    dd__buf_init(&b, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned f = 0;
        CHECK(dd__path_clean(cases[i].in, strlen(cases[i].in), &b, &f) == 0);
        CHECK_STR(b.ptr, cases[i].out);
        CHECK((f & ~DD_PATH_UNCLEAN) == (cases[i].flags & ~DD_PATH_UNCLEAN));
    }
    unsigned f = 0;
    CHECK(dd__path_clean("a\0b", 3, &b, &f) == 0 && (f & DD_PATH_NUL));
    dd__buf_free(&b);
}

static void test_util__resolve_link(void)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    unsigned f;
    CHECK(dd__path_resolve_link("usr/bin/sh", "busybox", &b, &f) == 0);
    CHECK_STR(b.ptr, "usr/bin/busybox");
    CHECK(dd__path_resolve_link("d/up", "..", &b, &f) == 0);
    CHECK_STR(b.ptr, "");
    CHECK(!(f & DD_PATH_ESCAPES));
    CHECK(dd__path_resolve_link("escape", "../../tmp", &b, &f) == 0);
    CHECK(f & DD_PATH_ESCAPES);
    CHECK(dd__path_resolve_link("x/y", "/etc/shadow", &b, &f) == 0);
    CHECK_STR(b.ptr, "etc/shadow");
    dd__buf_free(&b);
}

static void test_util__buf_cap(void)
{
    dd__buf b;
    dd__buf_init(&b, 10);
    CHECK(dd__buf_add(&b, "0123456789", 10) == 0);
    CHECK(dd__buf_add(&b, "x", 1) == DD_ELIMIT);
    CHECK(b.len == 10);
    dd__buf_reset(&b);
    CHECK(dd__buf_printf(&b, "%d-%s", 42, "ok") == 0);
    CHECK_STR(b.ptr, "42-ok");
    char *d = dd__buf_detach(&b);
    CHECK_STR(d, "42-ok");
    dd__free(d);
    dd__buf_free(&b);
}

static void test_util__map_many_keys(void)
{
    dd__map m;
    CHECK(dd__map_init(&m) == 0);
    enum { N = 50000 };
    char **keys = calloc(N, sizeof *keys);
    for (int i = 0; i < N; i++) {
        keys[i] = malloc(24);
        snprintf(keys[i], 24, "path/%d/x", i);
        CHECK(dd__map_put(&m, keys[i], strlen(keys[i]), i) == 0);
    }
    CHECK(m.len == N);
    for (int i = 0; i < N; i += 7) {
        int64_t v = -1;
        CHECK(dd__map_get(&m, keys[i], strlen(keys[i]), &v) && v == i);
    }
    int64_t v;
    CHECK(!dd__map_get(&m, "nope", 4, &v));
    CHECK(dd__map_put(&m, keys[3], strlen(keys[3]), 99) == 0 && m.len == N);
    CHECK(dd__map_get(&m, keys[3], strlen(keys[3]), &v) && v == 99);
    dd__map_free(&m);
    for (int i = 0; i < N; i++) {
        free(keys[i]);
    }
    free(keys);
}

static void test_util__sha256_vectors(void)
{
    char d[72];
    dd__sha256_digest("abc", 3, d);
    CHECK_STR(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff"
                 "61f20015ad");
    dd_sha256 *h = dd__sha256_new();
    dd__sha256_update(h, "a", 1);
    dd__sha256_update(h, "bc", 2);
    char e[72];
    dd__sha256_final_digest(h, e);
    CHECK_STR(d, e);
    dd__sha256_free(h);
    CHECK(dd__is_sha256_digest(d));
    CHECK(!dd__is_sha256_digest("sha256:../../etc/passwd"));
    CHECK(!dd__is_sha256_digest("sha512:abc"));
}

static void test_util__arena(void)
{
    dd__arena a;
    dd__arena_init(&a);
    for (int i = 0; i < 10000; i++) {
        char *s = dd__arena_strdup(&a, "hello world");
        CHECK(s && strcmp(s, "hello world") == 0);
    }
    void *big = dd__arena_alloc(&a, 1 << 20);
    CHECK(big != NULL);
    memset(big, 1, 1 << 20);
    CHECK(dd__arena_strdup(&a, NULL) == NULL);
    dd__arena_free(&a);
}

static void test_util__alloc_failure_is_reported(void)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    dd__alloc_fail_after(1);
    CHECK(dd__buf_add(&b, "x", 1) == DD_ENOMEM);
    dd__alloc_fail_after(0);
    CHECK(dd__buf_add(&b, "x", 1) == 0);
    dd__buf_free(&b);
}

static void test_util__printable(void)
{
    char *p = dd__printable("a\nb\x01", 100);
    CHECK_STR(p, "a\\x0ab\\x01");
    dd__free(p);
    dd_error e;
    dd__error_set(&e, DD_ECORRUPT, "line1\nline2");
    CHECK(strchr(e.message, '\n') == NULL && e.code == DD_ECORRUPT);
    CHECK_STR(dd_strerror(DD_ELIMIT), "limit exceeded");
}

static void test_util__escape_terminal(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain/path.txt", "plain/path.txt"},
        {"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
        {"a\x1b]0;pwned\x07"
         "b",
         "a\\x1b]0;pwned\\x07b"},
        {"\t\n\r\x7f", "\\x09\\x0a\\x0d\\x7f"},
        {"\xc2\x85\xc2\x9b", "\\u0085\\u009b"},
        {"x\xe2\x80\xaey\xe2\x81\xa6z\xe2\x81\xa9", "x\\u202ey\\u2066z\\u2069"},
        {"\xe2\x80\xa8\xe2\x80\x8f\xd8\x9c", "\\u2028\\u200f\\u061c"},
        {"\x9b\xff\xc0\xaf", "\\x9b\\xff\\xc0\\xaf"}, /* raw C1, overlong */
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},          /* surrogate */
        {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, /* > U+10FFFF */
        {"\xe2\x80", "\\xe2\\x80"},                   /* truncated */
        {"\xf0\x9f\x98\x80 ok\\",
         "\xf0\x9f\x98\x80 ok\\"}, /* emoji, backslash */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[256];
        size_t n = dd_text_escape(out, sizeof out, cases[i].in,
                                  strlen(cases[i].in), DD_ESCAPE_TERMINAL);
        CHECK_STR(out, cases[i].out);
        CHECK(n == strlen(cases[i].out));
        CHECK(dd_text_is_utf8(out, strlen(out)));
        CHECK(n <= 4 * strlen(cases[i].in));
    }
    CHECK(dd_text_is_utf8("caf\xc3\xa9", 5));
    CHECK(!dd_text_is_utf8("\xc3", 1));
    CHECK(!dd_text_is_utf8("a\0b", 3));
    CHECK(dd_text_is_utf8(NULL, 0));
    /* cut only between whole escapes, NUL-terminated, length reported */
    char small[6];
    size_t need =
        dd_text_escape(small, sizeof small, "ab\x1b", 3, DD_ESCAPE_TERMINAL);
    CHECK(need == 6);
    CHECK_STR(small, "ab");
    need =
        dd_text_escape(small, sizeof small, "\xc2\x85", 2, DD_ESCAPE_TERMINAL);
    CHECK(need == 6);
    CHECK_STR(small, "");
    CHECK(dd_text_escape(NULL, 0, "abc", 3, DD_ESCAPE_TERMINAL) == 3);
    /* every single byte: output is valid UTF-8 without a control */
    for (int c = 1; c < 256; c++) {
        char in[2] = {(char)c, 0}, out[8];
        dd_text_escape(out, sizeof out, in, 1, DD_ESCAPE_TERMINAL);
        CHECK(dd_text_is_utf8(out, strlen(out)));
        for (const char *p = out; *p; p++) {
            CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
        }
    }
}

/* the lossless escape undone: \\ -> \, \xNN -> the byte */
static size_t unescape(const char *s, char *out)
{
    size_t o = 0;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == '\\') {
            out[o++] = '\\';
            s++;
        } else if (s[0] == '\\' && s[1] == 'x') {
            out[o++] = (char)strtol((char[]){s[2], s[3], 0}, NULL, 16);
            s += 3;
        } else {
            out[o++] = *s;
        }
    }
    return o;
}

static void test_util__escape_lossless(void)
{
    const char in[] = "a\\b\xff\x1b\xc2\x85\xe2\x80\xae\x80\xc3\xa9\\x41";
    char out[256], back[256];
    size_t n =
        dd_text_escape(out, sizeof out, in, sizeof in - 1, DD_ESCAPE_LOSSLESS);
    CHECK_STR(out, "a\\\\b\\xff\x1b\xc2\x85\xe2\x80\xae\\x80\xc3\xa9\\\\x41");
    CHECK(n == strlen(out));
    CHECK(dd_text_is_utf8(out, n));
    size_t m = unescape(out, back);
    CHECK(m == sizeof in - 1 && memcmp(back, in, m) == 0);
    /* every byte pair round-trips */
    for (int a = 1; a < 256; a++) {
        for (int b = 1; b < 256; b += 7) {
            char x[3] = {(char)a, (char)b, 0};
            dd_text_escape(out, sizeof out, x, 2, DD_ESCAPE_LOSSLESS);
            CHECK(dd_text_is_utf8(out, strlen(out)));
            CHECK(unescape(out, back) == 2 && memcmp(back, x, 2) == 0);
        }
    }
}

static void test_util__base64(void)
{
    char out[16];
    CHECK(dd_text_base64(out, sizeof out, "", 0) == 0);
    CHECK_STR(out, "");
    CHECK(dd_text_base64(out, sizeof out, "f", 1) == 4);
    CHECK_STR(out, "Zg==");
    dd_text_base64(out, sizeof out, "fo", 2);
    CHECK_STR(out, "Zm8=");
    dd_text_base64(out, sizeof out, "foobar", 6);
    CHECK_STR(out, "Zm9vYmFy");
    dd_text_base64(out, sizeof out, "\xff\x00\x1b", 3);
    CHECK_STR(out, "/wAb");
    /* too small: whole quads only, still NUL-terminated */
    CHECK(dd_text_base64(out, 6, "foobar", 6) == 8);
    CHECK_STR(out, "Zm9v");
}

static void test_util__printable_c1_bidi(void)
{
    char *p = dd__printable("x\xc2\x9b\xe2\x80\xae\xff", 100);
    CHECK_STR(p, "x\\u009b\\u202e\\xff");
    dd__free(p);
    /* cut at max, not inside a character */
    p = dd__printable("ab\xc3\xa9"
                      "cd",
                      3);
    CHECK_STR(p, "ab...");
    dd__free(p);
    dd_error e;
    dd__error_set(&e, DD_ECORRUPT, "name '%s'", "\x1b[2J\xe2\x80\xae\xff");
    CHECK_STR(e.message, "name '\\x1b[2J\\u202e\\xff'");
}

static void test_util__json_parse(void)
{
    json_t *j = NULL;
    dd_error e;
    const char ok[] = "{\"a\": [1, {\"b\": \"c\"}], \"d\": null}";
    CHECK(dd__json_parse(&j, ok, sizeof ok - 1, 64, "ok.json", &e) == 0);
    CHECK(json_is_object(j) && json_object_size(j) == 2);
    json_decref(j);
    /* duplicate keys, at the top and nested */
    const char dup[] = "{\"a\": 1,\n \"a\": 2}";
    j = (json_t *)1;
    CHECK(dd__json_parse(&j, dup, sizeof dup - 1, 0, "dup.json", &e) ==
          DD_ECORRUPT);
    CHECK(j == NULL && e.code == DD_ECORRUPT);
    CHECK(strncmp(e.message, "dup.json: line 2: invalid JSON at column ", 41) ==
          0);
    CHECK(strstr(e.message, "duplicate object key") != NULL);
    CHECK(strstr(e.message, "byte offset ") != NULL);
    const char dup2[] = "{\"x\": {\"k\": 1, \"k\": 1}}";
    CHECK(dd__json_parse(&j, dup2, sizeof dup2 - 1, 0, "d2", &e) ==
          DD_ECORRUPT);
    /* over the cap: refused before parsing, the sizes named */
    CHECK(dd__json_parse(&j, ok, sizeof ok - 1, 10, "big.json", &e) ==
          DD_ELIMIT);
    CHECK(j == NULL);
    CHECK(strstr(e.message, "big.json: ") == e.message &&
          strstr(e.message, "over the 10 byte limit") != NULL);
    /* truncated at every length: never a value, always one message */
    for (size_t n = 0; n < sizeof ok - 1; n++) {
        e.message[0] = 0;
        CHECK(dd__json_parse(&j, ok, n, 0, "cut.json", &e) == DD_ECORRUPT);
        CHECK(j == NULL && strncmp(e.message, "cut.json: line 1: ", 18) == 0);
    }
    /* deep nesting: jansson's depth limit, reported, not a stack overflow */
    size_t depth = 100000;
    char *deep = dd__malloc(2 * depth);
    CHECK(deep != NULL);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    CHECK(dd__json_parse(&j, deep, 2 * depth, 0, "deep.json", &e) ==
          DD_ECORRUPT);
    CHECK(j == NULL && strstr(e.message, "depth") != NULL);
    /* moderate nesting parses */
    CHECK(dd__json_parse(&j, deep + depth - 100, 200, 0, "d", &e) == 0);
    json_decref(j);
    dd__free(deep);
    /* the bytes near the error (maybe a credential) are not quoted */
    const char sec[] = "{\"auth\": ghp_SECRETSECRET}";
    CHECK(dd__json_parse(&j, sec, sizeof sec - 1, 0, "auth.json", &e) ==
          DD_ECORRUPT);
    CHECK(strstr(e.message, "SECRET") == NULL);
    /* NUL inside the buffer, NULL buffer, NULL what, NULL err */
    CHECK(dd__json_parse(&j, "{\"a\":1}\0", 8, 0, NULL, &e) == DD_ECORRUPT);
    CHECK(strncmp(e.message, "JSON: ", 6) == 0);
    CHECK(dd__json_parse(&j, NULL, 0, 0, "none", &e) == DD_ECORRUPT);
    CHECK(dd__json_parse(&j, "[", 1, 0, "x", NULL) == DD_ECORRUPT);
}

/* tests/data/glob/cases.tsv: pattern, path, file|dir|no */
static void test_util__glob_table(void)
{
    FILE *fp = fopen(DD_SRCDIR "/tests/data/glob/cases.tsv", "r");
    CHECK(fp != NULL);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || !line[0]) {
            continue;
        }
        char *pat = line, *path = strchr(line, '\t');
        CHECK(path != NULL);
        *path++ = '\0';
        char *want = strchr(path, '\t');
        CHECK(want != NULL);
        *want++ = '\0';
        int f = dd__glob_match(pat, path), d = dd__glob_match_dir(pat, path);
        int ok = !strcmp(want, "file")  ? f && d
                 : !strcmp(want, "dir") ? !f && d
                                        : !f && !d;
        if (!ok) {
            char what[1200];
            snprintf(what, sizeof what,
                     "'%s' vs '%s': match %d dir %d, want %s", pat, path, f, d,
                     want);
            dd_test_fail(__FILE__, __LINE__, what);
            fclose(fp);
            return;
        }
        n++;
    }
    fclose(fp);
    CHECK(n >= 50);
    char why[64];
    CHECK(dd__glob_check("a[bc", why, sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "unclosed [") != NULL);
    CHECK(dd__glob_check("a\\", why, sizeof why) == DD_EINVALID);
    CHECK(dd__glob_check("", why, sizeof why) == DD_EINVALID);
    CHECK(dd__glob_check("[a/b]", why, sizeof why) == DD_EINVALID);
    CHECK(dd__glob_match("a[bc", "ab") == 0);
}

/* A plain recursive matcher (exponential, fine for short strings) as the
 * oracle for random patterns: segments split on '/', "**" any number of
 * segments, '*' and '?' within one. */
static int ref_seg(const char *p, size_t pl, const char *s, size_t sl)
{
    if (!pl) {
        return !sl;
    }
    if (*p == '*') {
        for (size_t k = 0; k <= sl; k++) {
            if (ref_seg(p + 1, pl - 1, s + k, sl - k)) {
                return 1;
            }
        }
        return 0;
    }
    return sl && (*p == '?' || *p == *s) &&
           ref_seg(p + 1, pl - 1, s + 1, sl - 1);
}

static int ref_match(char **ps, size_t np, char **ss, size_t ns)
{
    if (!np) {
        return !ns;
    }
    if (!strcmp(ps[0], "**")) {
        for (size_t k = 0; k <= ns; k++) {
            if (ref_match(ps + 1, np - 1, ss + k, ns - k)) {
                return 1;
            }
        }
        return 0;
    }
    return ns && ref_seg(ps[0], strlen(ps[0]), ss[0], strlen(ss[0])) &&
           ref_match(ps + 1, np - 1, ss + 1, ns - 1);
}

static size_t split(char *s, char **out, size_t max)
{
    size_t n = 0;
    for (char *t = s; *t && n < max;) {
        char *e = strchr(t, '/');
        if (e) {
            *e = '\0';
        }
        if (*t) {
            out[n++] = t;
        }
        if (!e) {
            break;
        }
        t = e + 1;
    }
    return n;
}

static void append(char *dst, size_t cap, const char *t)
{
    size_t n = strlen(dst);
    snprintf(dst + n, cap - n, "%s", t);
}

static void test_util__glob_random(void)
{
    static const char *ptok[] = {"a", "b", "*", "?", "/", "**/", "ab"};
    static const char *stok[] = {"a", "b", "/", "ab", "ba"};
    unsigned seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        char pat[64] = "", path[64] = "";
        seed = seed * 1103515245u + 12345u;
        int np = 1 + (int)((seed >> 16) % 6);
        for (int k = 0; k < np; k++) {
            seed = seed * 1103515245u + 12345u;
            append(pat, sizeof pat, ptok[(seed >> 16) % 7]);
        }
        seed = seed * 1103515245u + 12345u;
        int ns = (int)((seed >> 16) % 7);
        for (int k = 0; k < ns; k++) {
            seed = seed * 1103515245u + 12345u;
            append(path, sizeof path, stok[(seed >> 16) % 5]);
        }
        /* the oracle knows "**" only as a whole segment */
        char pc[64], sc[64];
        memcpy(pc, pat, sizeof pc);
        memcpy(sc, path, sizeof sc);
        char *ps[64], *ss[64];
        size_t npp = split(pc, ps, 64), nss = split(sc, ss, 64);
        int odd = 0;
        for (size_t k = 0; k < npp; k++) {
            if (strstr(ps[k], "**") && strcmp(ps[k], "**")) {
                odd = 1;
            }
        }
        if (odd || !npp) {
            continue;
        }
        int want = ref_match(ps, npp, ss, nss);
        if (dd__glob_match(pat, path) != want) {
            char what[200];
            snprintf(what, sizeof what, "'%s' vs '%s': want %d", pat, path,
                     want);
            dd_test_fail(__FILE__, __LINE__, what);
            return;
        }
    }
}

TEST_LIST(T(test_util__path_clean_table),
          T(test_util__resolve_link),
          T(test_util__buf_cap),
          T(test_util__map_many_keys),
          T(test_util__sha256_vectors),
          T(test_util__arena),
          T(test_util__alloc_failure_is_reported),
          T(test_util__printable),
          T(test_util__escape_terminal),
          T(test_util__escape_lossless),
          T(test_util__base64),
          T(test_util__printable_c1_bidi),
          T(test_util__json_parse),
          T(test_util__glob_table),
          T(test_util__glob_random))
