/*
 * tests/fuzz/fuzz_feed_debian.c - libFuzzer target for the Debian tracker
 * parsers (first byte: 0 JSON export, else DSA/DLA list), emitting into a
 * counting sink (no database): aborts when a parser breaks the sink
 * contract.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_feed_sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    fuzz_feed_count n;
    dd__vuln_sink s = fuzz_feed_sink(&n);
    /* as the dispatcher does: the caller begins and ends the feed */
    s.feed_begin(s.ctx, "fuzz", "fuzz", "fuzz");
    int rc =
        data[0] == 0
            ? dd__feed_debian_json(&s, "fuzz", (const char *)data + 1, size - 1)
            : dd__feed_debian_list(&s, "fuzz", (const char *)data + 1,
                                   size - 1);
    s.feed_end(s.ctx);
    if (n.violations || (rc && rc != DD_ENOMEM) || n.feeds != 1 ||
        n.advisories > size || n.affected > size) {
        abort();
    }
    return 0;
}
