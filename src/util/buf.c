/*
 * util/buf.c - capped growable buffers and vectors. Every buffer that grows
 * from untrusted input has a maximum; exceeding it is DD_ELIMIT.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void dd__buf_init(dd__buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

static int buf_grow(dd__buf *b, size_t need)
{
    if (need <= b->cap) {
        return 0;
    }
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 4) {
            return DD_ENOMEM;
        }
        ncap *= 2;
    }
    if (ncap > b->max + 1) {
        ncap = b->max + 1;
    }
    char *p = dd__realloc(b->ptr, ncap);
    if (!p) {
        return DD_ENOMEM;
    }
    b->ptr = p;
    b->cap = ncap;
    return 0;
}

int dd__buf_add(dd__buf *b, const void *data, size_t len)
{
    if (len > b->max || b->len > b->max - len) {
        return DD_ELIMIT;
    }
    int rc = buf_grow(b, b->len + len + 1);
    if (rc) {
        return rc;
    }
    if (len) {
        memcpy(b->ptr + b->len, data, len);
    }
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int dd__buf_addstr(dd__buf *b, const char *s)
{
    return dd__buf_add(b, s, strlen(s));
}

int dd__buf_printf(dd__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return DD_ERROR;
    }
    if ((size_t)n < sizeof small) {
        return dd__buf_add(b, small, (size_t)n);
    }
    char *big = dd__malloc((size_t)n + 1);
    if (!big) {
        return DD_ENOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = dd__buf_add(b, big, (size_t)n);
    dd__free(big);
    return rc;
}

void dd__buf_reset(dd__buf *b)
{
    b->len = 0;
    if (b->ptr) {
        b->ptr[0] = '\0';
    }
}

void dd__buf_free(dd__buf *b)
{
    dd__free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *dd__buf_detach(dd__buf *b)
{
    char *p = b->ptr;
    if (!p) {
        p = dd__strdup("");
    }
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void dd__vec_init(dd__vec *v, size_t item_size)
{
    v->items = NULL;
    v->len = v->cap = 0;
    v->item_size = item_size;
}

void *dd__vec_push(dd__vec *v)
{
    if (v->len == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 16;
        uint64_t bytes;
        if (dd__mul_overflow(ncap, v->item_size, &bytes) ||
            bytes > SIZE_MAX / 2) {
            return NULL;
        }
        void *p = dd__realloc(v->items, (size_t)bytes);
        if (!p) {
            return NULL;
        }
        v->items = p;
        v->cap = ncap;
    }
    char *slot = (char *)v->items + v->len * v->item_size;
    memset(slot, 0, v->item_size);
    v->len++;
    return slot;
}

void dd__vec_free(dd__vec *v)
{
    dd__free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

int dd__file_read(const char *path, size_t max, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return DD_ENOTFOUND;
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return DD_ELIMIT;
    }
    char *buf = dd__malloc((size_t)st.st_size + 1);
    if (!buf) {
        close(fd);
        return DD_ENOMEM;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (got != (size_t)st.st_size) {
        dd__free(buf);
        return DD_EIO;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}
