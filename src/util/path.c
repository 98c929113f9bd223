/*
 * util/path.c - lexical path cleaning (a stack of components).
 */
#include <string.h>

#include "path.h"

int dd__path_clean(const char *in, size_t len, dd__buf *out, unsigned *flags)
{
    unsigned f = 0;
    dd__buf_reset(out);
    if (!out->ptr) {
        int rc = dd__buf_add(out, "", 0);
        if (rc) {
            return rc;
        }
    }
    size_t i = 0;
    if (len && in[0] == '/') {
        f |= DD_PATH_ABSOLUTE;
    }
    while (i < len) {
        while (i < len && in[i] == '/') {
            i++;
        }
        size_t start = i;
        while (i < len && in[i] != '/') {
            unsigned char c = (unsigned char)in[i];
            if (c == 0 || c < 0x20) {
                f |= DD_PATH_NUL;
            }
            i++;
        }
        size_t n = i - start;
        if (n == 0) {
            continue;
        }
        const char *comp = in + start;
        if (n == 1 && comp[0] == '.') {
            f |= DD_PATH_UNCLEAN;
            continue;
        }
        if (n == 2 && comp[0] == '.' && comp[1] == '.') {
            f |= DD_PATH_DOTDOT;
            if (out->len == 0) {
                f |= DD_PATH_ESCAPES;
                continue;
            }
            char *slash = memrchr(out->ptr, '/', out->len);
            out->len = slash ? (size_t)(slash - out->ptr) : 0;
            out->ptr[out->len] = '\0';
            continue;
        }
        int rc;
        if (out->len && (rc = dd__buf_add(out, "/", 1)) != 0) {
            return rc;
        }
        if ((rc = dd__buf_add(out, comp, n)) != 0) {
            return rc;
        }
    }
    /* "a//b", "./a" or a trailing slash on a non-directory are unclean,
     * but a single trailing '/' is how tar marks directories: allow it */
    for (size_t k = 0; k + 1 < len; k++) {
        if (in[k] == '/' && in[k + 1] == '/' && k > 0) {
            f |= DD_PATH_UNCLEAN;
        }
    }
    *flags = f;
    return 0;
}

int dd__path_resolve_link(const char *linkpath,
                          const char *target,
                          dd__buf *out,
                          unsigned *flags)
{
    if (target[0] == '/') {
        return dd__path_clean(target, strlen(target), out, flags);
    }
    dd__buf tmp;
    dd__buf_init(&tmp, out->max);
    const char *slash = strrchr(linkpath, '/');
    int rc = 0;
    if (slash) {
        rc = dd__buf_add(&tmp, linkpath, (size_t)(slash - linkpath));
        if (!rc) {
            rc = dd__buf_add(&tmp, "/", 1);
        }
    }
    if (!rc) {
        rc = dd__buf_addstr(&tmp, target);
    }
    if (!rc) {
        rc = dd__path_clean(tmp.ptr, tmp.len, out, flags);
    }
    dd__buf_free(&tmp);
    return rc;
}
