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
#include "drydock/packages.h"
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
    /* optional: the layer's stream has ended (same worker thread); give
     * back per-thread resources (scanners, connections) here, results
     * stay until layer_free */
    void (*layer_end)(void *self, void *layer_state);
    void (*layer_free)(void *self, void *layer_state);
} dd__analyzer;

/*
 * The analyzer table (table.c). Each row is one analyzer: its name and
 * version (the layer cache key), the scanner bit it serves (0: it only
 * serves other rows), the rows it needs, and three hooks:
 *   setup    per scan: allocate the row's state and, when the analyzer
 *            reads files during the walk, fill `hooks` (else leave
 *            hooks->wants NULL);
 *   finish   after the walk, in table order: read the merged view and
 *            what earlier rows built (inventory, owners), add findings
 *            to ctx->findings;
 *   teardown free the state (also after a failed setup or finish).
 * Adding an analyzer: docs/NEW-ANALYZER.md.
 */
struct dd__owner_map;
struct dd__vuln_report;
typedef struct dd__scan_ctx {
    struct dd_engine *eng; /* borrowed */
    const dd_image *img;
    const dd_image_info *info;
    unsigned scanners;  /* DD_SCANNER_* asked for */
    int lockfiles;      /* dd_scan_opts.lockfiles */
    unsigned pkg_types; /* dd_scan_opts.pkg_types, never 0 */
    dd_walk *walk;      /* set before the finishers run */
    /* built by the "packages" and "owners" rows */
    dd_inventory *inv;
    struct dd__owner_map *owners;
    /* where finishers add findings (the walk's list) */
    dd_findings *findings;
    /* set by the "vuln" row */
    struct dd__vuln_report *vrep;
    int64_t db_age; /* seconds since the DB's last import, -1 unknown */
    /* walk index of each row's hooks (when it has some) */
    size_t walk_index[16];
} dd__scan_ctx;

#define DD__ROW_PACKAGES 0x1u /* needs the package inventory */
#define DD__ROW_OWNERS   0x2u /* needs the owned-files map */

typedef struct dd__analyzer_def {
    const char *name;  /* unique; "--scanners" name when scanner != 0 */
    unsigned version;  /* bump when its results change */
    unsigned scanner;  /* DD_SCANNER_* bit, 0 for support rows */
    unsigned provides; /* DD__ROW_* it builds for others, or 0 */
    unsigned needs;    /* DD__ROW_* it reads */
    int libraries;     /* lists application packages: off for --pkg-types os */
    int (*setup)(dd__scan_ctx *c,
                 void **state,
                 dd__analyzer *hooks,
                 dd_error *err);
    int (*finish)(dd__scan_ctx *c, void *state, size_t ai, dd_error *err);
    void (*teardown)(dd__scan_ctx *c, void *state);
} dd__analyzer_def;

/* The rows, in finishing order. */
size_t dd__analyzer_count(void);
const dd__analyzer_def *dd__analyzer_get(size_t i);

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
