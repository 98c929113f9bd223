/*
 * tests/fuzz/fuzz_feed_sink.h - a counting dd__vuln_sink for the feed
 * parsers (no SQLite): counts advisories, affected entries and malformed
 * lines, and counts as `violations` every call that breaks the sink
 * contract of lib/vuln/vuln_int.h (an advisory outside a feed, an affected
 * entry before any advisory, a missing id/namespace/package/status, an
 * unknown status, a feed begun twice or ended unopened, a message that is
 * not one printable line). The fuzz targets abort on a violation; the
 * unit tests assert there are none.
 */
#ifndef FUZZ_FEED_SINK_H
#define FUZZ_FEED_SINK_H

#include <string.h>

#include "lib/vuln/vuln_int.h"

typedef struct fuzz_feed_count {
    size_t feeds, advisories, affected, malformed, violations;
    int open, have_advisory;
} fuzz_feed_count;

static int
ffc_begin(void *c, const char *name, const char *kind, const char *src)
{
    fuzz_feed_count *n = c;
    n->violations += n->open || !name || !*name || !kind || !src;
    n->open = 1;
    n->have_advisory = 0;
    n->feeds++;
    return 0;
}

static int ffc_advisory(void *c, const dd__advisory *a)
{
    fuzz_feed_count *n = c;
    n->violations +=
        !n->open || !a->id || !*a->id || (a->n_aliases && !a->aliases);
    for (size_t i = 0; a->aliases && i < a->n_aliases; i++) {
        n->violations += !a->aliases[i];
    }
    n->have_advisory = 1;
    n->advisories++;
    return 0;
}

static int ffc_status_known(const char *s)
{
    static const char *const known[] = {"fixed",        "affected",
                                        "will-not-fix", "deferred",
                                        "end-of-life",  "not-affected"};
    for (size_t i = 0; s && i < sizeof known / sizeof *known; i++) {
        if (!strcmp(s, known[i])) {
            return 1;
        }
    }
    return 0;
}

static int ffc_affected(void *c, const dd__affected *a)
{
    fuzz_feed_count *n = c;
    n->violations += !n->open || !n->have_advisory || !a->ns || !*a->ns ||
                     !a->package || !*a->package ||
                     !ffc_status_known(a->status);
    n->affected++;
    return 0;
}

static void ffc_malformed(void *c, const char *msg)
{
    fuzz_feed_count *n = c;
    size_t l = msg ? strlen(msg) : 0;
    n->violations += !msg || !l || l >= 600;
    for (size_t i = 0; i < l; i++) {
        n->violations += (unsigned char)msg[i] < 0x20;
    }
    n->malformed++;
}

static int ffc_end(void *c)
{
    fuzz_feed_count *n = c;
    n->violations += !n->open;
    n->open = 0;
    return 0;
}

static inline dd__vuln_sink fuzz_feed_sink(fuzz_feed_count *n)
{
    memset(n, 0, sizeof *n);
    dd__vuln_sink s = {
        n, ffc_begin, ffc_advisory, ffc_affected, ffc_malformed, ffc_end};
    return s;
}

#endif
