/*
 * tests/fuzz/fuzz_glob.c - libFuzzer target for the path globs
 * (util/glob.h): input is a pattern, a NUL, then a path. Checks that a
 * pattern dd__glob_check rejects never matches, that a match implies a
 * directory match, and that every pattern matches itself once its
 * special characters are escaped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/glob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048) {
        return 0;
    }
    char *buf = malloc(2 * size + 2);
    if (!buf) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *pat = buf;
    size_t pl = strlen(pat);
    const char *path = pl < size ? buf + pl + 1 : "";
    int ok = dd__glob_check(pat, NULL, 0) == 0;
    int m = dd__glob_match(pat, path), d = dd__glob_match_dir(pat, path);
    if ((!ok && (m || d)) || (m && !d && path[0] && path[0] != '/')) {
        abort();
    }
    /* a literal path escaped character by character matches itself */
    char *esc = buf + size + 1;
    size_t k = 0, i = 0;
    for (; path[i] && k + 2 <= size; i++) {
        if (strchr("*?[]\\", path[i])) {
            esc[k++] = '\\';
        }
        esc[k++] = path[i];
    }
    esc[k] = '\0';
    size_t n = strlen(path);
    int plain = n && path[0] != '/' && path[n - 1] != '/' &&
                !strstr(path, "//") && strncmp(path, "./", 2) &&
                strcmp(path, ".") && !path[i];
    if (plain && !dd__glob_match(esc, path)) {
        abort();
    }
    free(buf);
    return 0;
}
