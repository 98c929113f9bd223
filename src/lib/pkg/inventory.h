/*
 * lib/pkg/inventory.h - the package analyzer (plugs into the walk) and the
 * inventory built from its per-layer results after the merge.
 *
 * Ownership: dd__inventory_build() returns an inventory owned by the
 * caller (dd__inventory_free); it borrows strings from the walk's layer
 * states, so the walk must outlive it.
 */
#ifndef DD_INVENTORY_H
#define DD_INVENTORY_H

#include "drydock/packages.h"
#include "drydock/walk.h"

struct dd__analyzer;
void dd__pkg_analyzer_init(struct dd__analyzer *a);
/* Per-scan state of the analyzer: package databases whose bytes are the
 * same in several layers (a status file copied through 32 layers) are
 * parsed once and shared. New: NULL on ENOMEM; set as the hooks' `self`
 * before the walk and freed after the inventory is built. */
typedef struct dd__pkg_dbcache dd__pkg_dbcache;
dd__pkg_dbcache *dd__pkg_dbcache_new(void);
void dd__pkg_dbcache_free(dd__pkg_dbcache *c);
/* `ai` is the analyzer's index in the walk's analyzer list. */
int dd__inventory_build(dd_inventory **out,
                        const dd_walk *w,
                        size_t ai,
                        const dd_image *img);
void dd__inventory_free(dd_inventory *inv);
/* For rows that add packages after the build (lib/lang): add a copy of
 * `p` (its strings are copied into the inventory; `files` is not kept),
 * a warning line (copied), mark the list incomplete, and sort again once
 * all are in. 0 or DD_ENOMEM. */
int dd__inventory_add(dd_inventory *inv, const dd_package *p);
int dd__inventory_warn(dd_inventory *inv, const char *line);
void dd__inventory_incomplete(dd_inventory *inv);
void dd__inventory_sort(dd_inventory *inv);
/* Remove the OS packages (dpkg, apk, rpm), keeping the OS itself: for
 * --pkg-types library. */
void dd__inventory_drop_os(dd_inventory *inv);
/* The OS from os-release text (`len` bytes, named `source`), as if the
 * image had that file: for inventories with no files (sbom:FILE).
 * 0, DD_ENOTFOUND (nothing recognisable), DD_ENOMEM. */
int dd__inventory_set_os(dd_inventory *inv,
                         const char *os_release,
                         size_t len,
                         const char *source);

#endif
