/*
 * util/map.c - seeded open-addressing hash map keyed by byte strings.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "map.h"
#include "util.h"

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t hash_bytes(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    return mix(h ^ w ^ ((uint64_t)n << 56));
}

int dd__map_init(dd__map *m)
{
    m->cap = 64;
    m->len = 0;
    m->slots = dd__calloc(m->cap, sizeof *m->slots);
    if (getrandom(&m->seed, sizeof m->seed, GRND_NONBLOCK) !=
        (ssize_t)sizeof m->seed) {
        m->seed = mix((uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)m);
    }
    return m->slots ? 0 : DD_ENOMEM;
}

static dd__map_slot *find(
    dd__map_slot *slots, size_t cap, const char *key, size_t keylen, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        dd__map_slot *s = &slots[i];
        if (!s->key || (s->hash == h && s->keylen == keylen &&
                        memcmp(s->key, key, keylen) == 0)) {
            return s;
        }
        i = (i + 1) & (cap - 1);
    }
}

static int grow(dd__map *m)
{
    size_t ncap = m->cap * 2;
    dd__map_slot *ns = dd__calloc(ncap, sizeof *ns);
    if (!ns) {
        return DD_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        dd__map_slot *s = &m->slots[i];
        if (s->key) {
            *find(ns, ncap, s->key, s->keylen, s->hash) = *s;
        }
    }
    dd__free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int dd__map_put(dd__map *m, const char *key, size_t keylen, int64_t value)
{
    if ((m->len + 1) * 4 > m->cap * 3) {
        int rc = grow(m);
        if (rc) {
            return rc;
        }
    }
    uint64_t h = hash_bytes(m->seed, key, keylen);
    dd__map_slot *s = find(m->slots, m->cap, key, keylen, h);
    if (!s->key) {
        s->key = key;
        s->keylen = keylen;
        s->hash = h;
        m->len++;
    }
    s->value = value;
    return 0;
}

int dd__map_get(const dd__map *m,
                const char *key,
                size_t keylen,
                int64_t *value)
{
    uint64_t h = hash_bytes(m->seed, key, keylen);
    dd__map_slot *s = find(m->slots, m->cap, key, keylen, h);
    if (!s->key) {
        return 0;
    }
    *value = s->value;
    return 1;
}

void dd__map_free(dd__map *m)
{
    dd__free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}
