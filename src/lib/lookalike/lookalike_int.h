/*
 * lib/lookalike/lookalike_int.h - the built-in name lists (internal).
 *   official.c   Docker official images (generated, gen-official.sh)
 *   lookalike.c  canonicalisation and the signals
 *   finding.c    the scan's finding
 */
#ifndef DD_LOOKALIKE_INT_H
#define DD_LOOKALIKE_INT_H

#include <stddef.h>

#include "drydock/finding.h"
#include "drydock/image.h"

typedef struct dd__official {
    const char *name;
    int deprecated;
} dd__official;

extern const dd__official dd__official_images[];
extern const size_t dd__official_count;

/* scan.c's hook: when the image came from a registry, add a
 * trust.lookalike-name finding to `out` if its reference imitates a
 * well-known name (finding.c). 0 or DD_ENOMEM. */
int dd__lookalike_finding(dd_findings *out, const dd_image_info *info);

#endif
