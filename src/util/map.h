/*
 * util/map.h - string-keyed hash map (open addressing) with a per-map random
 * seed so crafted paths cannot force collisions. Keys are borrowed: they
 * must outlive the map. Values are opaque 64-bit integers.
 */
#ifndef DD_MAP_H
#define DD_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct dd__map_slot {
    const char *key;
    size_t keylen;
    uint64_t hash;
    int64_t value;
} dd__map_slot;

typedef struct dd__map {
    dd__map_slot *slots;
    size_t cap, len;
    uint64_t seed;
} dd__map;

int dd__map_init(dd__map *m);
/* Insert or replace. DD_ENOMEM on failure. */
int dd__map_put(dd__map *m, const char *key, size_t keylen, int64_t value);
/* 1 and *value when present, else 0. */
int dd__map_get(const dd__map *m,
                const char *key,
                size_t keylen,
                int64_t *value);
void dd__map_free(dd__map *m);

#endif
