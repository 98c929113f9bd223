/*
 * lib/analyze/layer_recs.h - the per-layer state of an analyzer that keeps
 * one record per file it read (package databases, language manifests,
 * lockfiles): the records in archive order, an index from path to record
 * and an arena for their strings. After the walk, a finisher finds the
 * record of the file that is visible at a path.
 *
 * Ownership: dd__layer_recs_new() returns a state the walk owns as the
 * analyzer's layer state until the analyzer's layer_free() calls
 * dd__layer_recs_free(). Records and their paths live as long as the
 * state; a record pointer is valid until the next dd__layer_recs_add().
 */
#ifndef DD_LAYER_RECS_H
#define DD_LAYER_RECS_H

#include <stddef.h>

#include "drydock/walk.h"
#include "../../util/arena.h"
#include "../../util/map.h"
#include "../../util/util.h"

typedef struct dd__layer_recs {
    dd__arena a;   /* strings of the records */
    dd__vec recs;  /* records of rec_size bytes, archive order */
    dd__map index; /* path -> index in recs */
} dd__layer_recs;

/* NULL when out of memory. */
dd__layer_recs *dd__layer_recs_new(size_t rec_size);
/* fini (may be NULL) frees what a record owns; s may be NULL. */
void dd__layer_recs_free(dd__layer_recs *s, void (*fini)(void *rec));
/* A zeroed record for `path`, indexed; *path_out (may be NULL) gets the
 * arena copy of the path. NULL when out of memory. */
void *
dd__layer_recs_add(dd__layer_recs *s, const char *path, const char **path_out);
/* The record analyzer `ai` kept for the visible regular file at `path`
 * in the layer that wrote it (*layer set), or NULL. */
void *dd__layer_recs_visible(const dd_walk *w,
                             size_t ai,
                             const char *path,
                             int *layer);
/* The record for `path` in layer `layer`'s state, or NULL. */
void *
dd__layer_recs_in(const dd_walk *w, size_t ai, size_t layer, const char *path);

#endif
