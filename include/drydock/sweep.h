/*
 * drydock/sweep.h - a whole registry (or one repository) scanned: every
 * tag listed, each distinct manifest digest scanned once, several images
 * at a time on one shared engine, results handed back in a fixed order.
 *
 * Order: images are numbered by repository (catalog order), then tag
 * order; the callback sees them in that order whatever --parallel is, so
 * a sweep with 1 worker and one with 8 report the same thing.
 *
 * Threads: the callback is never called concurrently (one at a time,
 * from a worker thread or the caller's), and the sweep returns only when
 * every worker has stopped.
 *
 * Ownership: everything a dd_sweep_image points at (its scan included)
 * is borrowed for the duration of the callback only.
 */
#ifndef DRYDOCK_SWEEP_H
#define DRYDOCK_SWEEP_H

#include <stdint.h>

#include "common.h"
#include "engine.h"
#include "errors.h"
#include "image.h"
#include "scan.h"

DD_BEGIN_DECLS

#define DD_SWEEP_OPTS_VERSION 1
typedef struct dd_sweep_opts {
    unsigned version;
    /* "HOST[:PORT]" alone sweeps the catalog; "HOST/REPO" one repository */
    const char *target;
    const char *repos; /* glob over repository names, NULL all */
    const char *tags;  /* glob over tags ("v1.*"), NULL all */
    size_t max_images; /* distinct images scanned at most; 0 = no cap */
    /* images whose config says they were created before this time (Unix
     * seconds) are listed as skipped, not scanned; 0 = none */
    int64_t since;
    unsigned parallel; /* images scanned at once; 0 = online CPUs */
    /* per image; .walk.threads 0 = the cores divided among the workers */
    dd_scan_opts scan;
    dd_image_opts image; /* registry access (.registry), platform */
} dd_sweep_opts;
#define DD_SWEEP_OPTS_INIT                                                   \
    {                                                                        \
        DD_SWEEP_OPTS_VERSION, NULL, NULL, NULL, 0, 0, 0, DD_SCAN_OPTS_INIT, \
            DD_IMAGE_OPTS_INIT                                               \
    }

typedef struct dd_sweep_image {
    size_t index;            /* 0, 1, ... in sweep order */
    const char *ref;         /* "HOST/REPO:TAG" of its first tag */
    const char *repo;        /* "REPO" */
    const char *digest;      /* "sha256:..." manifest digest */
    const char *const *also; /* the other tags with this digest */
    size_t n_also;
    /* a cosign signature tag (sha256-<hex>.sig) names this digest: the
     * image carries a signature; whether it verifies is drydock verify's
     * question */
    int signature_tag;
    const char *created; /* config "created", or NULL */
    int skipped;         /* created before opts.since: not scanned */
    const dd_scan *scan; /* NULL when skipped or not readable */
    const char *error;   /* why it could not be read, or NULL */
} dd_sweep_image;

/* Nonzero stops the sweep (no further image is started; the sweep
 * returns DD_ECANCELED). */
typedef int (*dd_sweep_fn)(const dd_sweep_image *im, void *payload);

typedef struct dd_sweep_stats {
    size_t repositories;   /* swept */
    size_t tags;           /* listed and matching the globs */
    size_t images;         /* distinct digests handed to the callback */
    size_t capped;         /* matching tags not examined: max_images hit */
    size_t signature_tags; /* cosign tags, not images: never scanned */
} dd_sweep_stats;

/* 0 when the sweep ran (an image that cannot be read is an error in its
 * dd_sweep_image, not of the sweep); DD_EIO when the registry cannot be
 * listed; DD_EINVALID (bad target, glob or version); DD_ENOMEM;
 * DD_ECANCELED. stats may be NULL. */
DD_API int dd_sweep_run(dd_engine *eng,
                        const dd_sweep_opts *opts,
                        dd_sweep_fn fn,
                        void *payload,
                        dd_sweep_stats *stats,
                        dd_error *err);

/* "2024-05-01", "2024-05-01T10:00:00Z" or with a "+02:00" offset, to Unix
 * seconds (UTC). 0, or DD_EINVALID. */
DD_API int dd_sweep_parse_time(const char *s, int64_t *out);

DD_END_DECLS

#endif
