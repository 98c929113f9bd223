/*
 * util/jsonw.c - the streaming JSON writer (util/jsonw.h).
 */
#include "jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "drydock/errors.h"
#include "drydock/text.h"
#include "util.h"

static int fail(dd__jsonw *w, int err)
{
    if (!w->err) {
        w->err = err;
    }
    return w->err;
}

static void flush(dd__jsonw *w)
{
    if (!w->err && w->len) {
        if (w->write(w->payload, w->buf, w->len)) {
            fail(w, DD_EIO);
        }
    }
    w->len = 0;
}

static void put(dd__jsonw *w, const char *p, size_t n)
{
    while (n && !w->err) {
        if (w->len == DD_JSONW_BUF) {
            flush(w);
            continue;
        }
        size_t k = DD_JSONW_BUF - w->len;
        if (k > n) {
            k = n;
        }
        memcpy(w->buf + w->len, p, k);
        w->len += k;
        p += k;
        n -= k;
    }
}

static void putc_(dd__jsonw *w, char c)
{
    put(w, &c, 1);
}

static void newline(dd__jsonw *w, int depth)
{
    static const char sp[] = "                                ";
    putc_(w, '\n');
    size_t n = (size_t)depth * (size_t)w->indent;
    while (n && !w->err) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        put(w, sp, k);
        n -= k;
    }
}

int dd__jsonw_init(dd__jsonw *w,
                   int indent,
                   dd__jsonw_write_fn write,
                   void *payload)
{
    memset(w, 0, sizeof *w);
    w->write = write;
    w->payload = payload;
    w->indent = indent < 0 ? 0 : indent > 32 ? 32 : indent;
    w->buf = dd__malloc(DD_JSONW_BUF);
    return w->buf ? 0 : fail(w, DD_ENOMEM);
}

int dd__jsonw_finish(dd__jsonw *w)
{
    if (!w->err && (w->depth || !w->done)) {
        fail(w, DD_EINVALID);
    }
    flush(w);
    dd__free(w->buf);
    w->buf = NULL;
    return w->err;
}

/* what comes before a value (or a key) at the current level */
static int before(dd__jsonw *w, int is_key)
{
    if (w->err) {
        return w->err;
    }
    if (w->done) {
        return fail(w, DD_EINVALID);
    }
    if (!w->depth) {
        if (is_key) {
            return fail(w, DD_EINVALID);
        }
        return 0;
    }
    int d = w->depth - 1;
    if (w->kind[d] == '{') {
        if (is_key == w->want_value) {
            return fail(w, DD_EINVALID); /* a key twice, or a bare value */
        }
        if (!is_key) {
            w->want_value = 0;
            return 0; /* the value follows its key */
        }
    } else if (is_key) {
        return fail(w, DD_EINVALID);
    }
    if (w->count[d]++) {
        putc_(w, ',');
        if (!w->indent) {
            putc_(w, ' ');
        }
    }
    if (w->indent) {
        newline(w, w->depth);
    }
    return w->err;
}

/* a value is complete at the current level */
static int after(dd__jsonw *w)
{
    if (!w->depth) {
        w->done = 1;
    }
    return w->err;
}

static int begin(dd__jsonw *w, char kind)
{
    if (before(w, 0)) {
        return w->err;
    }
    if (w->depth >= DD_JSONW_MAX_DEPTH) {
        return fail(w, DD_ELIMIT);
    }
    w->kind[w->depth] = (unsigned char)kind;
    w->count[w->depth] = 0;
    w->depth++;
    putc_(w, kind);
    return w->err;
}

static int end(dd__jsonw *w, char kind)
{
    if (w->err) {
        return w->err;
    }
    if (!w->depth || w->kind[w->depth - 1] != (unsigned char)kind ||
        w->want_value) {
        return fail(w, DD_EINVALID);
    }
    w->depth--;
    if (w->count[w->depth] && w->indent) {
        newline(w, w->depth);
    }
    putc_(w, kind == '{' ? '}' : ']');
    return after(w);
}

int dd__jsonw_obj_begin(dd__jsonw *w)
{
    return begin(w, '{');
}

int dd__jsonw_obj_end(dd__jsonw *w)
{
    return end(w, '{');
}

int dd__jsonw_arr_begin(dd__jsonw *w)
{
    return begin(w, '[');
}

int dd__jsonw_arr_end(dd__jsonw *w)
{
    return end(w, '[');
}

/* the JSON string body of valid UTF-8 (or of the lossless escape) */
static void quote(dd__jsonw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    putc_(w, '"');
    size_t run = 0; /* bytes that need no escape, written in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        put(w, s + run, i - run);
        run = i + 1;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t el = 2;
        switch (c) {
        case '"':
            e[1] = '"';
            break;
        case '\\':
            e[1] = '\\';
            break;
        case '\b':
            e[1] = 'b';
            break;
        case '\f':
            e[1] = 'f';
            break;
        case '\n':
            e[1] = 'n';
            break;
        case '\r':
            e[1] = 'r';
            break;
        case '\t':
            e[1] = 't';
            break;
        default:
            e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4],
            e[5] = hex[c & 15];
            el = 6;
        }
        put(w, e, el);
    }
    put(w, s + run, n - run);
    putc_(w, '"');
}

/* valid UTF-8 as it is, anything else through DD_ESCAPE_LOSSLESS */
static void text(dd__jsonw *w, const char *s, size_t n)
{
    if (dd_text_is_utf8(s, n)) {
        quote(w, s, n);
        return;
    }
    char *e = dd__text_escape_dup(s, n, DD_ESCAPE_LOSSLESS);
    if (!e) {
        fail(w, DD_ENOMEM);
        return;
    }
    quote(w, e, strlen(e));
    dd__free(e);
}

int dd__jsonw_key(dd__jsonw *w, const char *key)
{
    if (before(w, 1)) {
        return w->err;
    }
    text(w, key, key ? strlen(key) : 0);
    put(w, ": ", 2);
    w->want_value = 1;
    return w->err;
}

int dd__jsonw_strn(dd__jsonw *w, const char *s, size_t len)
{
    if (!s) {
        return dd__jsonw_null(w);
    }
    if (before(w, 0)) {
        return w->err;
    }
    text(w, s, len);
    return after(w);
}

int dd__jsonw_str(dd__jsonw *w, const char *s)
{
    return dd__jsonw_strn(w, s, s ? strlen(s) : 0);
}

static int raw(dd__jsonw *w, const char *s, size_t n)
{
    if (before(w, 0)) {
        return w->err;
    }
    put(w, s, n);
    return after(w);
}

int dd__jsonw_int(dd__jsonw *w, int64_t v)
{
    char num[24];
    int k = snprintf(num, sizeof num, "%" PRId64, v);
    return raw(w, num, k > 0 ? (size_t)k : 0);
}

int dd__jsonw_real(dd__jsonw *w, double v)
{
    if (v != v || v > 1e300 || v < -1e300) {
        return raw(w, "null", 4); /* JSON has no NaN or infinity */
    }
    char num[40];
    int k = snprintf(num, sizeof num, "%.15g", v);
    /* always a number with a fraction or exponent: 10 -> 10.0 */
    if (k > 0 && (size_t)k + 2 < sizeof num && !strpbrk(num, ".eEn")) {
        num[k++] = '.';
        num[k++] = '0';
        num[k] = '\0';
    }
    return raw(w, num, k > 0 ? (size_t)k : 0);
}

int dd__jsonw_bool(dd__jsonw *w, int v)
{
    return v ? raw(w, "true", 4) : raw(w, "false", 5);
}

int dd__jsonw_null(dd__jsonw *w)
{
    return raw(w, "null", 4);
}

int dd__jsonw_kstr(dd__jsonw *w, const char *key, const char *s)
{
    dd__jsonw_key(w, key);
    return dd__jsonw_str(w, s);
}

int dd__jsonw_kint(dd__jsonw *w, const char *key, int64_t v)
{
    dd__jsonw_key(w, key);
    return dd__jsonw_int(w, v);
}

int dd__jsonw_kbool(dd__jsonw *w, const char *key, int v)
{
    dd__jsonw_key(w, key);
    return dd__jsonw_bool(w, v);
}
