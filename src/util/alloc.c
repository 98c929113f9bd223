/*
 * util/alloc.c - the only place that calls the C allocator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef DD_UNITTEST
#include <stdatomic.h>
static _Atomic long fail_countdown; /* test hook only, never in release */
void dd__alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}
static int should_fail(void)
{
    long v = atomic_load(&fail_countdown);
    if (v <= 0) {
        return 0;
    }
    return atomic_fetch_sub(&fail_countdown, 1) == 1;
}
#else
static int should_fail(void)
{
    return 0;
}
#endif

void *dd__malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n ? n : 1);
}

void *dd__calloc(size_t n, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(n ? n : 1, size ? size : 1);
}

void *dd__realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n ? n : 1);
}

void dd__free(void *p)
{
    free(p);
}

char *dd__strndup(const char *s, size_t n)
{
    char *r = dd__malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

char *dd__strdup(const char *s)
{
    return s ? dd__strndup(s, strlen(s)) : NULL;
}

char *dd__asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return NULL;
    }
    char *r = dd__malloc((size_t)n + 1);
    if (!r) {
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(r, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return r;
}
