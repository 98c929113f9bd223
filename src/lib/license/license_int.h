/*
 * lib/license/license_int.h - license normalisation internals: the name
 * tables (names.c) and the copyright-file reader (copyright.c).
 *
 * Ownership: table lookups return static strings; dd__license_copyright
 * returns a string the caller frees with dd__free.
 */
#ifndef DD_LICENSE_INT_H
#define DD_LICENSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/license.h"

/* Case-insensitive lookups of `n` bytes at `k`; NULL when unknown. */
const char *dd__license_spdx_id(const char *k, size_t n);
const char *dd__license_alias(const char *k, size_t n);
const char *dd__license_exception(const char *k, size_t n);

/* Bytes of a copyright file read at most (the analyzer asks for this). */
#define DD_COPYRIGHT_MAX (256u << 10)
/* Most distinct license names kept from one copyright file. */
#define DD_COPYRIGHT_MAX_NAMES 64

/* Licenses of a Debian copyright file (usr/share/doc/PKG/copyright).
 * A machine-readable file (copyright-format 1.0: a "Format:" header
 * naming copyright-format) gives the distinct License: short names of its
 * header and Files paragraphs, in order, joined with " AND " (a name with
 * a blank in it is put in parentheses). Other files: the licenses named
 * by /usr/share/common-licenses/NAME references ("GPL-2", "GPL-2+" when
 * the text says "any later version"), else nothing.
 * 0 with *out (NULL when no license was found); DD_EINVALID with a line
 * in `why` when the file is not text (NUL bytes; *out NULL); DD_ENOMEM. */
int dd__license_copyright(const uint8_t *data,
                          size_t len,
                          char **out,
                          dd_error *why);

#endif
