/*
 * util/json.c - the one way the library parses JSON it did not write
 * itself: a size cap, duplicate object keys rejected, jansson's nesting
 * limit (JSON_PARSER_MAX_DEPTH), and one error line naming the document,
 * the line, column and byte offset (never the input bytes themselves).
 */
#include <jansson.h>
#include <string.h>

#include "util.h"

int dd__json_parse(json_t **out,
                   const char *buf,
                   size_t len,
                   size_t cap,
                   const char *what,
                   dd_error *err)
{
    *out = NULL;
    if (!what) {
        what = "JSON";
    }
    if (cap && len > cap) {
        return dd__error_set(err, DD_ELIMIT,
                             "%s: %zu bytes of JSON, over the %zu byte limit",
                             what, len, cap);
    }
    if (!buf) {
        return dd__error_set(err, DD_ECORRUPT, "%s: no JSON", what);
    }
    json_error_t je;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (json_error_code(&je) == json_error_out_of_memory) {
            return dd__error_set(err, DD_ENOMEM, "%s: out of memory", what);
        }
        /* jansson quotes the bytes "near '...'" the error: they may be a
         * credential (auth files, token answers), so they are left out;
         * line, column and offset locate the error. */
        char *near = strstr(je.text, " near '");
        if (near) {
            *near = '\0';
        }
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: line %d: invalid JSON at column %d (byte "
                             "offset %d): %s",
                             what, je.line, je.column, je.position, je.text);
    }
    *out = j;
    return 0;
}
