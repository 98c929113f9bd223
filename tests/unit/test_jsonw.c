/*
 * tests/unit/test_jsonw.c - the streaming JSON writer (util/jsonw.c):
 * the same bytes as jansson's json_dumps() for the same document,
 * escaping of every control byte, quotes, backslash and invalid UTF-8
 * (the reversible escape of drydock/text.h), the nesting limit, misuse,
 * and a failing write callback stopping the writer with DD_EIO.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "drydock/drydock.h"
#include "util/jsonw.h"
#include "util/util.h"

typedef struct out {
    dd__buf b;
    size_t calls, fail_at; /* fail the call numbered fail_at (1-based) */
    size_t biggest;
} out;

static int to_buf(void *p, const void *data, size_t n)
{
    out *o = p;
    o->calls++;
    if (o->fail_at && o->calls >= o->fail_at) {
        return -1;
    }
    if (n > o->biggest) {
        o->biggest = n;
    }
    return dd__buf_add(&o->b, data, n);
}

static void out_init(out *o)
{
    memset(o, 0, sizeof *o);
    dd__buf_init(&o->b, 0);
}

/* json_dumps() of v with the writer's flags, as a malloc'd string */
static char *jansson(json_t *v, int indent)
{
    size_t fl = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
    if (indent) {
        fl |= JSON_INDENT(indent);
    }
    char *s = json_dumps(v, fl);
    json_decref(v);
    return s;
}

/* a string with every byte 0x01..0x7f and some multi-byte characters */
static void all_bytes(char *s)
{
    size_t o = 0;
    for (int c = 1; c < 0x80; c++) {
        s[o++] = (char)c;
    }
    memcpy(s + o, "\xc3\xa9\xe2\x80\xae\xf0\x9f\x98\x80", 9);
    s[o + 9] = '\0';
}

static void writes_what_jansson_writes(void)
{
    char every[160];
    all_bytes(every);
    for (int indent = 0; indent <= 2; indent += 2) {
        out o;
        out_init(&o);
        dd__jsonw w;
        CHECK(dd__jsonw_init(&w, indent, to_buf, &o) == 0);
        dd__jsonw_obj_begin(&w);
        dd__jsonw_kstr(&w, "s", every);
        dd__jsonw_kstr(&w, "quote\"key\\", "a\"b\\c/d");
        dd__jsonw_kint(&w, "n", -9223372036854775807LL - 1);
        dd__jsonw_kint(&w, "m", 42);
        dd__jsonw_kbool(&w, "t", 1);
        dd__jsonw_kbool(&w, "f", 0);
        dd__jsonw_key(&w, "z");
        dd__jsonw_null(&w);
        dd__jsonw_key(&w, "empty_a");
        dd__jsonw_arr_begin(&w);
        dd__jsonw_arr_end(&w);
        dd__jsonw_key(&w, "empty_o");
        dd__jsonw_obj_begin(&w);
        dd__jsonw_obj_end(&w);
        dd__jsonw_key(&w, "list");
        dd__jsonw_arr_begin(&w);
        dd__jsonw_str(&w, "");
        dd__jsonw_str(&w, NULL);
        dd__jsonw_obj_begin(&w);
        dd__jsonw_kstr(&w, "k", "v");
        dd__jsonw_key(&w, "deep");
        dd__jsonw_arr_begin(&w);
        dd__jsonw_arr_begin(&w);
        dd__jsonw_int(&w, 1);
        dd__jsonw_arr_end(&w);
        dd__jsonw_arr_end(&w);
        dd__jsonw_obj_end(&w);
        dd__jsonw_arr_end(&w);
        dd__jsonw_obj_end(&w);
        CHECK(dd__jsonw_finish(&w) == 0);

        json_t *j = json_object();
        json_object_set_new(j, "s", json_string(every));
        json_object_set_new(j, "quote\"key\\", json_string("a\"b\\c/d"));
        json_object_set_new(j, "n", json_integer(-9223372036854775807LL - 1));
        json_object_set_new(j, "m", json_integer(42));
        json_object_set_new(j, "t", json_true());
        json_object_set_new(j, "f", json_false());
        json_object_set_new(j, "z", json_null());
        json_object_set_new(j, "empty_a", json_array());
        json_object_set_new(j, "empty_o", json_object());
        json_t *l = json_array(), *o2 = json_object(), *d = json_array(),
               *d2 = json_array();
        json_array_append_new(l, json_string(""));
        json_array_append_new(l, json_null());
        json_object_set_new(o2, "k", json_string("v"));
        json_array_append_new(d2, json_integer(1));
        json_array_append_new(d, d2);
        json_object_set_new(o2, "deep", d);
        json_array_append_new(l, o2);
        json_object_set_new(j, "list", l);
        char *want = jansson(j, indent);
        CHECK(want);
        int same = !strcmp(o.b.ptr, want);
        if (!same) {
            fprintf(stderr, "got:\n%s\nwant:\n%s\n", o.b.ptr, want);
        }
        free(want);
        dd__buf_free(&o.b);
        CHECK(same);
    }
}

static char *one_string(const char *s, size_t n)
{
    out o;
    out_init(&o);
    dd__jsonw w;
    if (dd__jsonw_init(&w, 2, to_buf, &o) || dd__jsonw_strn(&w, s, n) ||
        dd__jsonw_finish(&w)) {
        dd__buf_free(&o.b);
        return NULL;
    }
    return dd__buf_detach(&o.b);
}

static void escapes_control_bytes(void)
{
    char *s = one_string("\x01\x1f\x7f\b\f\n\r\t\"\\", 10);
    CHECK_STR(s, "\"\\u0001\\u001F\x7f\\b\\f\\n\\r\\t\\\"\\\\\"");
    dd__free(s);
    /* each control byte alone round-trips through jansson's parser */
    for (int c = 1; c < 0x20; c++) {
        char in[2] = {(char)c, 0};
        s = one_string(in, 1);
        CHECK(s);
        json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
        dd__free(s);
        CHECK(j && json_is_string(j) && !strcmp(json_string_value(j), in));
        json_decref(j);
    }
}

static void invalid_utf8_reversible(void)
{
    /* not UTF-8: the lossless escape (a backslash doubled, \xNN per bad
     * byte), then JSON's escaping of that text; never dropped */
    static const char bad[] = "a\\b\xff\xc0\xaf\xed\xa0\x80\n\xe2\x80";
    char *s = one_string(bad, sizeof bad - 1);
    CHECK_STR(s, "\"a\\\\\\\\b\\\\xff\\\\xc0\\\\xaf\\\\xed\\\\xa0\\\\x80\\n"
                 "\\\\xe2\\\\x80\"");
    json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
    dd__free(s);
    CHECK(j && json_is_string(j));
    char want[128];
    dd_text_escape(want, sizeof want, bad, sizeof bad - 1, DD_ESCAPE_LOSSLESS);
    CHECK_STR(json_string_value(j), want);
    json_decref(j);
    /* an embedded NUL is not text either: escaped, not cut */
    s = one_string("a\0b", 3);
    CHECK_STR(s, "\"a\\\\x00b\"");
    dd__free(s);
    /* a valid string keeps its backslash single (no lossless escape) */
    s = one_string("a\\b\xc3\xa9", 5);
    CHECK_STR(s, "\"a\\\\b\xc3\xa9\"");
    dd__free(s);
}

static void nesting_limit(void)
{
    out o;
    out_init(&o);
    dd__jsonw w;
    CHECK(dd__jsonw_init(&w, 2, to_buf, &o) == 0);
    for (int i = 0; i < DD_JSONW_MAX_DEPTH; i++) {
        CHECK(dd__jsonw_arr_begin(&w) == 0);
    }
    CHECK(dd__jsonw_arr_begin(&w) == DD_ELIMIT);
    /* sticky: nothing more is accepted */
    CHECK(dd__jsonw_arr_end(&w) == DD_ELIMIT);
    CHECK(dd__jsonw_finish(&w) == DD_ELIMIT);
    dd__buf_free(&o.b);

    /* exactly the limit is fine */
    out_init(&o);
    CHECK(dd__jsonw_init(&w, 0, to_buf, &o) == 0);
    for (int i = 0; i < DD_JSONW_MAX_DEPTH; i++) {
        dd__jsonw_arr_begin(&w);
    }
    for (int i = 0; i < DD_JSONW_MAX_DEPTH; i++) {
        dd__jsonw_arr_end(&w);
    }
    CHECK(dd__jsonw_finish(&w) == 0);
    CHECK(o.b.len == 2 * DD_JSONW_MAX_DEPTH);
    dd__buf_free(&o.b);
}

static void misuse_is_einvalid(void)
{
    dd__jsonw w;
    out o;
    out_init(&o);
    /* a value where a key is due */
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_obj_begin(&w);
    CHECK(dd__jsonw_str(&w, "x") == DD_EINVALID);
    CHECK(dd__jsonw_finish(&w) == DD_EINVALID);
    /* a key in an array */
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_arr_begin(&w);
    CHECK(dd__jsonw_key(&w, "k") == DD_EINVALID);
    dd__jsonw_finish(&w);
    /* a key without its value */
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_obj_begin(&w);
    dd__jsonw_key(&w, "k");
    CHECK(dd__jsonw_obj_end(&w) == DD_EINVALID);
    dd__jsonw_finish(&w);
    /* the wrong end, two top-level values, an unfinished document */
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_arr_begin(&w);
    CHECK(dd__jsonw_obj_end(&w) == DD_EINVALID);
    dd__jsonw_finish(&w);
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_int(&w, 1);
    CHECK(dd__jsonw_int(&w, 2) == DD_EINVALID);
    dd__jsonw_finish(&w);
    dd__jsonw_init(&w, 2, to_buf, &o);
    dd__jsonw_arr_begin(&w);
    CHECK(dd__jsonw_finish(&w) == DD_EINVALID);
    dd__buf_free(&o.b);
}

/* a document of several MiB: chunks of at most DD_JSONW_BUF reach the
 * callback; a callback failing midway stops everything with DD_EIO */
static void write_errors_propagate(void)
{
    for (size_t fail_at = 0; fail_at <= 3; fail_at += 3) {
        out o;
        out_init(&o);
        o.fail_at = fail_at;
        dd__jsonw w;
        CHECK(dd__jsonw_init(&w, 2, to_buf, &o) == 0);
        dd__jsonw_arr_begin(&w);
        int rc = 0;
        size_t i;
        for (i = 0; i < 100000 && !rc; i++) {
            rc = dd__jsonw_str(&w, "forty bytes of filler for each string..");
        }
        dd__jsonw_arr_end(&w);
        int frc = dd__jsonw_finish(&w);
        if (fail_at) {
            CHECK(rc == DD_EIO && frc == DD_EIO);
            CHECK(o.calls == fail_at); /* no call after the failure */
            CHECK(o.b.len == 2 * DD_JSONW_BUF);
            CHECK(i < 100000);
        } else {
            CHECK(rc == 0 && frc == 0);
            CHECK(o.biggest == DD_JSONW_BUF);
            json_t *j = json_loads(o.b.ptr, 0, NULL);
            CHECK(j && json_array_size(j) == 100000);
            json_decref(j);
        }
        dd__buf_free(&o.b);
    }
}

/* allocation failure of the buffer: DD_ENOMEM, and finish says so */
static void enomem(void)
{
    out o;
    out_init(&o);
    dd__jsonw w;
    dd__alloc_fail_after(1); /* the next allocation fails */
    int rc = dd__jsonw_init(&w, 2, to_buf, &o);
    dd__alloc_fail_after(0);
    CHECK(rc == DD_ENOMEM);
    CHECK(dd__jsonw_null(&w) == DD_ENOMEM);
    CHECK(dd__jsonw_finish(&w) == DD_ENOMEM);
    CHECK(o.calls == 0);
}

/* reals: shortest form of a CVSS score, always with a fraction, NaN and
 * infinity as null; each parses back to the same double */
static void reals(void)
{
    static const struct {
        double v;
        const char *want;
    } V[] = {{9.8, "9.8"},       {10.0, "10.0"}, {0.0, "0.0"},
             {-1.5, "-1.5"},     {7.25, "7.25"}, {1e20, "1e+20"},
             {0.1 + 0.2, "0.3"}, {3.0, "3.0"}};
    for (size_t i = 0; i < sizeof V / sizeof *V; i++) {
        out o;
        out_init(&o);
        dd__jsonw w;
        CHECK(dd__jsonw_init(&w, 2, to_buf, &o) == 0);
        CHECK(dd__jsonw_real(&w, V[i].v) == 0);
        CHECK(dd__jsonw_finish(&w) == 0);
        char *s = dd__buf_detach(&o.b);
        CHECK_STR(s, V[i].want);
        json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
        CHECK(j && json_is_number(j));
        json_decref(j);
        dd__free(s);
    }
    out o;
    out_init(&o);
    dd__jsonw w;
    CHECK(dd__jsonw_init(&w, 2, to_buf, &o) == 0);
    dd__jsonw_arr_begin(&w);
    dd__jsonw_real(&w, 0.0 / 0.0);
    dd__jsonw_real(&w, 1.0 / 0.0);
    dd__jsonw_arr_end(&w);
    CHECK(dd__jsonw_finish(&w) == 0);
    char *s = dd__buf_detach(&o.b);
    CHECK(s && strstr(s, "null") && !strstr(s, "nan") && !strstr(s, "inf"));
    dd__free(s);
}

TEST_LIST(T(writes_what_jansson_writes),
          T(reals),
          T(escapes_control_bytes),
          T(invalid_utf8_reversible),
          T(nesting_limit),
          T(misuse_is_einvalid),
          T(write_errors_propagate),
          T(enomem))
