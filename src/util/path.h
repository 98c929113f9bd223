/*
 * util/path.h - lexical normalisation of archive paths. Never touches the
 * host filesystem: an image path is a string, not a location on this
 * machine.
 */
#ifndef DD_PATH_H
#define DD_PATH_H

#include <stddef.h>

#include "util.h"

enum {
    DD_PATH_ABSOLUTE = 1 << 0, /* had leading '/' */
    DD_PATH_DOTDOT = 1 << 1,   /* contained a ".." component */
    DD_PATH_ESCAPES = 1 << 2,  /* ".." climbed above the root */
    DD_PATH_UNCLEAN = 1 << 3,  /* "." components, "//", trailing '/' */
    DD_PATH_NUL = 1 << 4       /* embedded NUL or control character */
};

/*
 * Normalise `in` (len bytes) into a relative path without leading or
 * trailing '/', "" meaning the root. ".." above the root is dropped (and
 * DD_PATH_ESCAPES set), like a chroot would. Result appended to `out`
 * (reset first). Returns 0, DD_ELIMIT, DD_ENOMEM. *flags gets DD_PATH_*.
 */
int dd__path_clean(const char *in, size_t len, dd__buf *out, unsigned *flags);

/* Resolve a symlink target written at `linkpath` lexically: absolute
 * targets start at the root, relative ones at dirname(linkpath). */
int dd__path_resolve_link(const char *linkpath,
                          const char *target,
                          dd__buf *out,
                          unsigned *flags);

#endif
