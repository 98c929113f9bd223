/*
 * lib/layer/entry.h - the rules one archive entry is judged by before the
 * walk records it (entry.c): path cleaning (traversal, absolute, '..',
 * control characters), whiteouts (opaque, aufs bookkeeping, whiteouts
 * that name no file), symlink and hardlink escapes, device nodes.
 *
 * No state of its own: the caller owns the scratch buffers (reused from
 * one entry to the next) and receives each finding through `report`.
 * The record it fills points into those buffers or into the entry, valid
 * until the next call.
 */
#ifndef DD_LAYER_ENTRY_H
#define DD_LAYER_ENTRY_H

#include "drydock/finding.h"
#include "drydock/walk.h"
#include "../formats/tar.h"
#include "../../util/util.h"

/* one finding about the entry; `path` and `evidence` may be NULL; the
 * offset is the entry's own (dd__tar_entry.offset) */
typedef void (*dd__entry_report_fn)(void *ctx,
                                    const char *rule,
                                    dd_severity sev,
                                    const char *path,
                                    const char *evidence,
                                    const char *msg);

typedef struct dd__entry_scratch {
    dd__buf path, link, target; /* caller-owned, dd__buf_init'ed */
} dd__entry_scratch;

typedef struct dd__entry_rec {
    int keep; /* 0: the entry is ignored (reported, or meaningless) */
    dd_entry_type type;
    const char *path; /* cleaned, relative, no leading "./" */
    size_t plen;
    const char *link; /* symlink target as stored, hardlink target cleaned,
                         else NULL */
} dd__entry_rec;

/* Judge entry `e`. Returns 0 (see rec->keep) or DD_ENOMEM. */
int dd__entry_judge(const dd__tar_entry *e,
                    dd__entry_scratch *s,
                    dd__entry_report_fn report,
                    void *ctx,
                    dd__entry_rec *rec);

/* The entry type of a tar type flag ('0' file ... '6' fifo). */
dd_entry_type dd__entry_type_of(char typeflag);

#endif
