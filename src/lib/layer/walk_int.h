/*
 * lib/layer/walk_int.h - state shared by the layer reader (walk.c) and the
 * whiteout merge (merge.c).
 */
#ifndef DD_WALK_INT_H
#define DD_WALK_INT_H

#include "drydock/walk.h"
#include "../findings_int.h"
#include "../../util/arena.h"
#include "../../util/util.h"

/* Result of reading one layer (filled by one worker thread). */
typedef struct dd__layer_result {
    size_t index;
    dd__vec entries;   /* dd_fs_node, archive order */
    dd__arena strings; /* every string of `entries` */
    dd_findings *findings;
    dd_layer_stats stats;
    char blob_digest[72], diff_digest[72];
    int io_failed;
    dd_error err;
    void **astate; /* per analyzer layer state (analyze/analyzer.h) */
    /* -1; or the earlier layer whose blob this one repeats: it was not
     * read again, its astate pointers are that layer's (not owned) and
     * its entries are copies (strings borrowed from that layer) */
    long same_as;
    uint64_t skipped; /* entries kept from the analyzers (--skip-*) */
} dd__layer_result;

struct dd__analyzer;
struct dd_walk {
    const struct dd__analyzer *const *analyzers; /* borrowed */
    size_t n_analyzers;
    dd__layer_result *layers;
    size_t n_layers;
    dd__vec files;   /* dd_fs_node, visible, sorted by path */
    dd__vec deleted; /* dd_fs_node with deleted_in set */
    dd_findings *findings;
    int complete;
};

/* Apply all layers in order into w->files / w->deleted and add the
 * cross-layer findings (write through symlinks, missing hardlink targets)
 * to each layer's findings. Returns 0 or DD_ENOMEM. */
int dd__merge_layers(dd_walk *w);

#endif
