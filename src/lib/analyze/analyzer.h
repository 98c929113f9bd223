/*
 * lib/analyze/analyzer.h - how analyzers plug into the layer walk.
 *
 * The walk decides, from an entry's metadata alone (path, type, size),
 * which analyzers want the file: wants() returns how many bytes of content
 * the analyzer needs (0 = not interested). The walk buffers the entry's
 * bytes once, up to the largest of those sizes, and hands the same buffer
 * to each interested analyzer's file() when the entry ends. A file larger
 * than an analyzer asked for is offered with truncated = 1 (the analyzer
 * reports it; nothing is skipped silently).
 *
 * Threads: each layer runs in its own worker thread. layer_begin() creates
 * the analyzer's state for one layer; file() only touches that state, so
 * analyzers need no locks. wants() must be thread-safe (pure).
 *
 * Ownership: the walk owns each layer state from layer_begin() until
 * layer_free(); the analyzer's `self` outlives the walk. `data` passed to
 * file() is borrowed for the duration of the call.
 */
#ifndef DD_ANALYZER_H
#define DD_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/finding.h"
#include "drydock/walk.h"

#define DD_REFINE_AT 8192

typedef struct dd__analyzer {
    const char *name;
    unsigned version; /* bump when results change (layer cache key) */
    void *self;
    uint64_t (*wants)(void *self, const dd_fs_node *n);
    /* optional: once the first REFINE_AT bytes of a wanted file are in,
     * the analyzer may lower its want from what they show (a binary file
     * needs less than a text file) */
    uint64_t (*refine)(void *self,
                       const dd_fs_node *n,
                       const uint8_t *head,
                       size_t len,
                       uint64_t want);
    /* NULL = ENOMEM; `findings` is the layer's finding list (borrowed,
     * same thread), where analyzers report what they find */
    void *(*layer_begin)(void *self, size_t layer, dd_findings *findings);
    /* 0, or DD_ENOMEM to abort the walk */
    int (*file)(void *self,
                void *layer_state,
                const dd_fs_node *n,
                const uint8_t *data,
                size_t len,
                int truncated);
    void (*layer_free)(void *self, void *layer_state);
} dd__analyzer;

/* Run the walk with analyzers (dd_walk_run() is this with none). */
int dd__walk_run_with(dd_walk **out,
                      const dd_image *img,
                      const dd_walk_opts *opts,
                      const dd__analyzer *const *analyzers,
                      size_t n_analyzers,
                      dd_error *err);
/* State analyzer `ai` kept for `layer` (borrowed, may be NULL). */
void *dd__walk_layer_state(const dd_walk *w, size_t ai, size_t layer);
/* Visible node at `path` (normalised, no leading '/'), or NULL. */
const dd_fs_node *dd__walk_find(const dd_walk *w, const char *path);

#endif
