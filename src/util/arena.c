/*
 * util/arena.c - chunked bump allocator.
 */
#include <string.h>

#include "arena.h"
#include "util.h"

#define ARENA_BLOCK (64 * 1024)

struct dd_arena_block {
    dd_arena_block *next;
    size_t size;
    /* data follows, aligned to 16 */
    _Alignas(16) unsigned char data[];
};

void dd__arena_init(dd__arena *a)
{
    a->head = NULL;
    a->used = a->avail = 0;
}

void *dd__arena_alloc(dd__arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n == 0) {
        n = 8;
    }
    if (!a->head || a->avail - a->used < n) {
        size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        dd_arena_block *b = dd__malloc(sizeof *b + size);
        if (!b) {
            return NULL;
        }
        b->size = size;
        if (a->head && size != ARENA_BLOCK) {
            /* oversized one-off: keep the current block for small ones */
            b->next = a->head->next;
            a->head->next = b;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->avail = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
}

char *dd__arena_strndup(dd__arena *a, const char *s, size_t n)
{
    char *p = dd__arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *dd__arena_strdup(dd__arena *a, const char *s)
{
    return s ? dd__arena_strndup(a, s, strlen(s)) : NULL;
}

void dd__arena_free(dd__arena *a)
{
    dd_arena_block *b = a->head;
    while (b) {
        dd_arena_block *n = b->next;
        dd__free(b);
        b = n;
    }
    a->head = NULL;
    a->used = a->avail = 0;
}
