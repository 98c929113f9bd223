/*
 * tests/fuzz/fuzz_lang_python.c - libFuzzer target for the Python core
 * metadata reader (first byte: 0 a whole file, 1 its first bytes only)
 * and the metadata-path matcher on the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lang/lang.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    dd__arena a;
    dd__arena_init(&a);
    char why[256];
    dd__lang_pkg p;
    int rc = dd__py_metadata(&a, data + 1, size - 1, data[0] & 1, &p, why,
                             sizeof why);
    if (rc == 0 && (!p.name || !*p.name || !p.version || !*p.version)) {
        abort(); /* success means a name and a version */
    }
    char *s = dd__malloc(size);
    if (s) {
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        (void)dd__py_metadata_path(s);
        dd__free(s);
    }
    dd__arena_free(&a);
    return 0;
}
