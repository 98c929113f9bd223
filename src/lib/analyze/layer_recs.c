/*
 * lib/analyze/layer_recs.c - per-layer records of file-reading analyzers
 * (layer_recs.h).
 */
#include <string.h>

#include "analyzer.h"
#include "layer_recs.h"

dd__layer_recs *dd__layer_recs_new(size_t rec_size)
{
    dd__layer_recs *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    dd__arena_init(&s->a);
    dd__vec_init(&s->recs, rec_size);
    if (dd__map_init(&s->index)) {
        dd__free(s);
        return NULL;
    }
    return s;
}

void dd__layer_recs_free(dd__layer_recs *s, void (*fini)(void *rec))
{
    if (!s) {
        return;
    }
    for (size_t i = 0; fini && i < s->recs.len; i++) {
        fini((char *)s->recs.items + i * s->recs.item_size);
    }
    dd__vec_free(&s->recs);
    dd__map_free(&s->index);
    dd__arena_free(&s->a);
    dd__free(s);
}

void *
dd__layer_recs_add(dd__layer_recs *s, const char *path, const char **path_out)
{
    char *p = dd__arena_strdup(&s->a, path);
    void *r = p ? dd__vec_push(&s->recs) : NULL;
    if (!r || dd__map_put(&s->index, p, strlen(p), (int64_t)s->recs.len - 1)) {
        return NULL;
    }
    if (path_out) {
        *path_out = p;
    }
    return r;
}

void *
dd__layer_recs_in(const dd_walk *w, size_t ai, size_t layer, const char *path)
{
    dd__layer_recs *s = dd__walk_layer_state(w, ai, layer);
    int64_t i;
    if (!s || !dd__map_get(&s->index, path, strlen(path), &i)) {
        return NULL;
    }
    return (char *)s->recs.items + (size_t)i * s->recs.item_size;
}

void *dd__layer_recs_visible(const dd_walk *w,
                             size_t ai,
                             const char *path,
                             int *layer)
{
    const dd_fs_node *n = dd__walk_find(w, path);
    if (!n || n->type != DD_ENTRY_FILE) {
        return NULL;
    }
    void *r = dd__layer_recs_in(w, ai, (size_t)n->layer, path);
    if (r) {
        *layer = n->layer;
    }
    return r;
}
