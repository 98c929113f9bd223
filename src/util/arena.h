/*
 * util/arena.h - bump allocator for data that dies together (all entries of
 * one layer). Owned by its creator; dd__arena_free releases every block.
 */
#ifndef DD_ARENA_H
#define DD_ARENA_H

#include <stddef.h>

typedef struct dd_arena_block dd_arena_block;
typedef struct dd__arena {
    dd_arena_block *head;
    size_t used, avail;
} dd__arena;

void dd__arena_init(dd__arena *a);
void *dd__arena_alloc(dd__arena *a, size_t n); /* 8-aligned, NULL on ENOMEM */
char *dd__arena_strndup(dd__arena *a, const char *s, size_t n);
char *dd__arena_strdup(dd__arena *a, const char *s); /* NULL stays NULL */
void dd__arena_free(dd__arena *a);

#endif
