/*
 * lib/source/image_int.h - what the layer walker needs from an opened
 * image: where each layer's bytes are and what they must hash to.
 * A layer of an fs:/rootfs: input (fs_dir.c) is a directory (or one file)
 * on this machine instead: `dir` is 1, `path` names it, nothing is
 * expected of it and it has no region (the walk reads it with dirtree.c).
 */
#ifndef DD_IMAGE_INT_H
#define DD_IMAGE_INT_H

#include "drydock/image.h"
#include "store.h"

typedef struct dd__layer_src {
    const char *path;          /* inside the store */
    const char *expect_digest; /* blob digest to verify, NULL if none */
    int64_t expect_size;       /* -1 when unknown */
    const char *expect_diff_id;
    int dir; /* 1: path is a host directory or file, not in the store */
} dd__layer_src;

size_t dd__image_layer_count(const dd_image *img);
/* sbom:FILE (DD_SOURCE_SBOM): the package list read from the file
 * (sbom_input.h), borrowed from the image; NULL for every other source. */
struct dd__sbom_doc;
const struct dd__sbom_doc *dd__image_sbom(const dd_image *img);
/* 0 when a budget (dd_image_opts) cut the image's metadata short: a walk
 * of it is incomplete. */
int dd__image_complete(const dd_image *img);
const dd__layer_src *dd__image_layer_src(const dd_image *img, size_t i);
/* Open the bytes of layer i. Caller closes the region. */
int dd__image_layer_region(const dd_image *img,
                           size_t i,
                           dd__region *out,
                           dd_error *err);

#endif
