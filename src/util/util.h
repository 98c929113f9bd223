/*
 * util/util.h - small helpers every module uses: allocation wrappers,
 * checked arithmetic, error records, strings. Depends on nothing in
 * drydock except the public error codes.
 *
 * All heap memory of the library goes through dd__malloc/dd__calloc/
 * dd__realloc/dd__free so that an allocation-failure test hook can be
 * installed (DD_UNITTEST builds) and raw malloc stays out of the code.
 */
#ifndef DD_UTIL_H
#define DD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/text.h"

#if defined(__GNUC__) || defined(__clang__)
#define DD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DD_PRINTF(a, b)
#endif

void *dd__malloc(size_t n);
void *dd__calloc(size_t n, size_t size);
void *dd__realloc(void *p, size_t n);
void dd__free(void *p);
char *dd__strdup(const char *s);
char *dd__strndup(const char *s, size_t n);
/* Allocating printf. NULL on allocation failure. */
char *dd__asprintf(const char *fmt, ...) DD_PRINTF(1, 2);

#ifdef DD_UNITTEST
/* Make the n-th allocation from now fail (0 disables). */
void dd__alloc_fail_after(long n);
#endif

/* Checked arithmetic: return 1 on overflow. */
static inline int dd__add_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_add_overflow(a, b, out);
}
static inline int dd__mul_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

/* Set an error record (err may be NULL). Returns `code` for tail calls. */
int dd__error_set(dd_error *err, int code, const char *fmt, ...)
    DD_PRINTF(3, 4);
void dd__error_clear(dd_error *err);

/* Growable byte buffer with a hard cap (curl dynbuf). */
typedef struct dd__buf {
    char *ptr;
    size_t len, cap, max;
} dd__buf;
void dd__buf_init(dd__buf *b, size_t max);
/* DD_ELIMIT when the cap would be exceeded, DD_ENOMEM. Always NUL-ends. */
int dd__buf_add(dd__buf *b, const void *data, size_t len);
int dd__buf_addstr(dd__buf *b, const char *s);
int dd__buf_printf(dd__buf *b, const char *fmt, ...) DD_PRINTF(2, 3);
void dd__buf_reset(dd__buf *b);
void dd__buf_free(dd__buf *b);
/* Hand the contents to the caller (NUL-terminated, never NULL unless
 * allocation fails) and reset the buffer. */
char *dd__buf_detach(dd__buf *b);

/* Growable pointer-free vector of fixed-size items. */
typedef struct dd__vec {
    void *items;
    size_t len, cap, item_size;
} dd__vec;
void dd__vec_init(dd__vec *v, size_t item_size);
/* Returns a pointer to a zeroed new slot, NULL on ENOMEM. */
void *dd__vec_push(dd__vec *v);
void dd__vec_free(dd__vec *v);
#define DD_VEC_AT(v, type, i) (&((type *)(v)->items)[i])

/* Read a whole regular file into a NUL-terminated buffer (caller frees).
 * 0; DD_ENOTFOUND (errno says why), DD_ELIMIT over `max` bytes, DD_EIO,
 * DD_ENOMEM. */
int dd__file_read(const char *path, size_t max, char **out, size_t *len);
/* "dir/name" for each entry of `dir` that keep(name) accepts (names
 * starting with '.' never), sorted; DD_ELIMIT past `max` entries. Free
 * with dd__dir_list_free(). */
int dd__dir_list(const char *dir,
                 int (*keep)(const char *name),
                 size_t max,
                 dd__vec *out,
                 dd_error *err);
void dd__dir_list_free(dd__vec *v);

/* Lowercase hex of `n` bytes into `out` (2n+1 bytes). */
void dd__hex(const uint8_t *in, size_t n, char *out);
/* 1 when s is "sha256:" followed by 64 lowercase hex digits. */
int dd__is_sha256_digest(const char *s);
/* Append the escape of `len` bytes at s (drydock/text.h) to b: 0,
 * DD_ELIMIT, DD_ENOMEM. */
int dd__text_escape(dd__buf *b, const char *s, size_t len, dd_escape_mode mode);
/* The escape as a new string (dd__free); NULL on ENOMEM. */
char *dd__text_escape_dup(const char *s, size_t len, dd_escape_mode mode);

/* Copy of at most `max` bytes of s escaped for a terminal
 * (DD_ESCAPE_TERMINAL), "..." when cut, for one-line messages. */
char *dd__printable(const char *s, size_t max);
/* The same into a caller's buffer of at least dd__printable_bound()
 * bytes; returns the byte after the NUL. */
size_t dd__printable_bound(const char *s, size_t max);
char *dd__printable_into(char *out, const char *s, size_t max);
/* "Env NAME" for the environment entry "NAME=value" into out (at least
 * 256 bytes): the variable's name, escaped and cut at 48 bytes, never
 * its value. */
void dd__env_where(char *out, size_t n, const char *kv);

/* Parse JSON from outside the library (util/json.c): at most `cap` bytes
 * (0: no cap; DD_JSON_MAX is the default for documents without a tighter
 * limit), duplicate object keys rejected, nesting limited by jansson.
 * On success *out is a new reference the caller json_decref()s; on
 * failure *out is NULL and err (may be NULL) holds one line naming
 * `what`, the line, column and byte offset: DD_ECORRUPT, DD_ELIMIT over
 * the cap, DD_ENOMEM. util.h does not include jansson: struct json_t is
 * jansson's json_t. */
#define DD_JSON_MAX ((size_t)64 << 20)
struct json_t;
int dd__json_parse(struct json_t **out,
                   const char *buf,
                   size_t len,
                   size_t cap,
                   const char *what,
                   dd_error *err);

#endif
