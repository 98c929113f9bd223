/*
 * tests/fuzz/fuzz_feed_alpine.c - libFuzzer target for the Alpine secdb parser
 * (first byte: 0 JSON, else YAML), run against an importer that counts records
 * without writing a database.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/vuln/vuln_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__importer *im = dd__importer_dry();
    if (!im) {
        return 0;
    }
    if (size > 0) {
        (void)dd__feed_alpine(im, "fuzz", (const char *)data + 1, size - 1,
                              data[0] != 0);
    }
    size_t records = 0, malformed = 0;
    dd__importer_dry_free(im, &records, &malformed);
    if (records > size + 1 && records > 1000000) {
        abort(); /* records cannot come from nothing */
    }
    return 0;
}
