/*
 * tests/fuzz/fuzz_feed_osv.c - libFuzzer target for the OSV record parser,
 * emitting into a counting sink (no database): aborts when the parser
 * breaks the sink contract or reports more than one record per input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_feed_sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_feed_count n;
    dd__vuln_sink s = fuzz_feed_sink(&n);
    /* as the dispatcher does: the caller begins and ends the feed */
    s.feed_begin(s.ctx, "fuzz", "fuzz", "fuzz");
    int rc = dd__feed_osv_json(&s, "fuzz", (const char *)data, size);
    s.feed_end(s.ctx);
    /* one input is one record: an advisory, or one malformed line */
    if (n.violations || (rc && rc != DD_ENOMEM) ||
        (!rc && n.advisories + (n.malformed && !n.advisories) != 1) ||
        n.advisories > 1 || n.affected > size) {
        abort();
    }
    return 0;
}
