/*
 * tests/fuzz/fuzz_feed_alpine.c - libFuzzer target for the Alpine secdb parser
 * (first byte: 0 JSON, else YAML), emitting into a counting sink (no
 * database): aborts when the parser breaks the sink contract.
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
    int rc = dd__feed_alpine(&s, "fuzz", (const char *)data + 1, size - 1,
                             data[0] != 0);
    /* the parser begins and ends its one feed itself */
    if (n.violations || (!rc && (n.feeds != 1 || n.open)) ||
        n.affected != n.advisories || n.advisories > size) {
        abort();
    }
    return 0;
}
