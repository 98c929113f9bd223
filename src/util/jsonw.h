/*
 * util/jsonw.h - a streaming JSON writer: documents of any size in
 * bounded memory (issue 23 section 3).
 *
 * Output matches jansson's json_dumps() byte for byte for the same
 * document: indent > 0 is JSON_INDENT(indent) (one value per line, ": "
 * after keys, "[]" and "{}" for empty containers), indent 0 the default
 * layout ("[1, 2]", {"a": 1}). Strings escape '"', '\\', and every byte
 * below 0x20 (\b \f \n \r \t or \u00XX); text that is not valid UTF-8
 * goes through the reversible escape of drydock/text.h
 * (DD_ESCAPE_LOSSLESS) first, the rule dd__json_text() applies, so no
 * string is ever dropped. Keys are escaped the same way.
 *
 * Bytes go through `write` in chunks of at most DD_JSONW_BUF. The first
 * error is sticky: every later call does nothing and returns it, and
 * dd__jsonw_finish() returns it: DD_EIO (the callback returned nonzero),
 * DD_ELIMIT (nesting deeper than DD_JSONW_MAX_DEPTH), DD_EINVALID (a
 * value where a key is due, a key in an array, an unbalanced end, a
 * second top-level value, an unfinished document at finish), DD_ENOMEM.
 *
 * Ownership: the writer owns its buffer from dd__jsonw_init() until
 * dd__jsonw_finish(), which always frees it; `payload` is the caller's.
 */
#ifndef DD_UTIL_JSONW_H
#define DD_UTIL_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define DD_JSONW_BUF       ((size_t)64 << 10)
#define DD_JSONW_MAX_DEPTH 64

/* 0 when all `len` bytes were taken, nonzero to stop (the same shape as
 * dd_write_fn in drydock/report.h) */
typedef int (*dd__jsonw_write_fn)(void *payload, const void *buf, size_t len);

typedef struct dd__jsonw {
    dd__jsonw_write_fn write;
    void *payload;
    int indent;
    int err;
    int depth;
    int want_value; /* a key was written, its value is due */
    int done;       /* the top-level value is complete */
    unsigned char kind[DD_JSONW_MAX_DEPTH]; /* '{' or '[' */
    size_t count[DD_JSONW_MAX_DEPTH];
    char *buf;
    size_t len;
} dd__jsonw;

/* 0 or DD_ENOMEM (then finish returns DD_ENOMEM too). */
int dd__jsonw_init(dd__jsonw *w,
                   int indent,
                   dd__jsonw_write_fn write,
                   void *payload);
/* Flushes what is buffered and frees the buffer; the sticky error, or
 * DD_EINVALID when the document is not complete. */
int dd__jsonw_finish(dd__jsonw *w);
/* Each returns the sticky error (0 while all is well). */
int dd__jsonw_obj_begin(dd__jsonw *w);
int dd__jsonw_obj_end(dd__jsonw *w);
int dd__jsonw_arr_begin(dd__jsonw *w);
int dd__jsonw_arr_end(dd__jsonw *w);
int dd__jsonw_key(dd__jsonw *w, const char *key);
/* a string value; NULL is written as null */
int dd__jsonw_str(dd__jsonw *w, const char *s);
int dd__jsonw_strn(dd__jsonw *w, const char *s, size_t len);
int dd__jsonw_int(dd__jsonw *w, int64_t v);
/* %.15g (9.8, not 9.8000000000000007), always with a fraction; NaN and
 * infinities are written as null */
int dd__jsonw_real(dd__jsonw *w, double v);
int dd__jsonw_bool(dd__jsonw *w, int v);
int dd__jsonw_null(dd__jsonw *w);
/* key + value shorthands */
int dd__jsonw_kstr(dd__jsonw *w, const char *key, const char *s);
int dd__jsonw_kint(dd__jsonw *w, const char *key, int64_t v);
int dd__jsonw_kbool(dd__jsonw *w, const char *key, int v);

#endif
