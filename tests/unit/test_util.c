/*
 * tests/unit/test_util.c - path cleaning, capped buffers, hash map,
 * sha256, arena, allocation failure.
 */
#include <stdlib.h>

#include "harness.h"
#include "util/arena.h"
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
    dd_buf b;
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
    dd_buf b;
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
    dd_buf b;
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
    dd_map m;
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
    dd_arena a;
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
    dd_buf b;
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

TEST_LIST(T(test_util__path_clean_table),
          T(test_util__resolve_link),
          T(test_util__buf_cap),
          T(test_util__map_many_keys),
          T(test_util__sha256_vectors),
          T(test_util__arena),
          T(test_util__alloc_failure_is_reported),
          T(test_util__printable))
