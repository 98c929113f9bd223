/*
 * lib/findings_int.h - building dd_findings lists inside the library.
 * A list is not thread-safe: each layer worker fills its own and the
 * walker appends them in layer order (dd__findings_move).
 */
#ifndef DD_FINDINGS_INT_H
#define DD_FINDINGS_INT_H

#include "drydock/finding.h"
#include "../util/util.h"

struct dd_findings {
    dd__vec items; /* dd_finding, every string owned */
};

dd_findings *dd__findings_new(void);

/* Describes one finding to add; strings are copied. */
typedef struct dd__finding_spec {
    dd_finding_kind kind;
    dd_severity severity;
    const char *rule_id;
    const char *path;
    const char *layer_digest;
    const char *evidence;
    int layer;
    int history;
    int has_offset;
    uint64_t offset;
    size_t line;          /* 0: unknown */
    const char *category; /* or NULL */
    const char *engine;   /* malware: "yara", "hash", ...; or NULL */
    const char *sha256;   /* hex of the file's content, or NULL */
} dd__finding_spec;

/* Add a finding with a printf-style title. Returns 0 or DD_ENOMEM. */
int dd__findings_add(dd_findings *list,
                     const dd__finding_spec *spec,
                     const char *fmt,
                     ...) DD_PRINTF(3, 4);
/* Attach a copy of `v` to the last finding added (DD_KIND_VULN). */
struct dd_vuln_info;
int dd__findings_set_vuln(dd_findings *list, const struct dd_vuln_info *v);
/* The same with a ready title (no formatting). */
int dd__findings_add_text(dd_findings *list,
                          const dd__finding_spec *spec,
                          const char *title);
/* Move every finding of `from` to the end of `to` (from is emptied). */
int dd__findings_move(dd_findings *to, dd_findings *from);
/* Append a deep copy of `f` (its vulnerability details too). */
int dd__findings_copy(dd_findings *to, const dd_finding *f);
/* Move the findings of `from` that keep() accepts to the end of `to`,
 * free the others; `from` is emptied either way. 0 or DD_ENOMEM. */
int dd__findings_filter_move(dd_findings *to,
                             dd_findings *from,
                             int (*keep)(void *ctx, const dd_finding *f),
                             void *ctx);
/* Stable sort. 0 or DD_ENOMEM (the list is unchanged then). */
int dd__findings_sort(dd_findings *l,
                      int (*cmp)(const dd_finding *, const dd_finding *));
/* Replace the path of finding i (the walker, when a deleted file is still
 * visible under a hardlink's name). 0, DD_EINVALID or DD_ENOMEM. */
int dd__findings_set_path(dd_findings *list, size_t i, const char *path);
/* Mutable access, for the walker to set deleted_in after merging. */
dd_finding *dd__findings_at(dd_findings *list, size_t i);

#endif
