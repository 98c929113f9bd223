/*
 * tests/fuzz/fuzz_feed_debian.c - libFuzzer target for the Debian tracker
 * parsers (first byte: 0 JSON export, else DSA/DLA list), run against an
 * importer that counts records without writing a database.
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
        if (data[0] == 0) {
            (void)dd__feed_debian_json(im, "fuzz", (const char *)data + 1,
                                       size - 1);
        } else {
            (void)dd__feed_debian_list(im, "fuzz", (const char *)data + 1,
                                       size - 1);
        }
    }
    size_t records = 0, malformed = 0;
    dd__importer_dry_free(im, &records, &malformed);
    if (records > size + 1 && records > 1000000) {
        abort(); /* records cannot come from nothing */
    }
    return 0;
}
