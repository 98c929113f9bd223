/*
 * drydock/text.h - the one rule for showing text that came from an image.
 *
 * Names, tags, labels, history steps and evidence are bytes an attacker
 * chose. Two escapes cover every output:
 *
 *  - DD_ESCAPE_TERMINAL, for people (tables, messages): control
 *    characters (C0, DEL), C1 controls (U+0080..U+009F), bidirectional
 *    overrides, embeddings, isolates and marks (U+061C, U+200E, U+200F,
 *    U+202A..U+202E, U+2066..U+2069), the line and paragraph separators
 *    (U+2028, U+2029) and every byte that is not part of valid UTF-8 are
 *    shown visibly: `\xNN` for a byte, `\uNNNN` for a code point. The
 *    result is valid UTF-8 and can move neither the cursor nor the
 *    terminal's state. Lossy: a backslash in the input stays as it is.
 *  - DD_ESCAPE_LOSSLESS, for documents (JSON, SARIF, SBOMs), applied to
 *    strings that are not valid UTF-8: a backslash becomes `\\`, a byte
 *    that is not part of valid UTF-8 becomes `\xNN`, everything else stays.
 *    Reversible; documents add the raw bytes as base64 beside paths
 *    (`path_bytes`, docs/scan-json.md).
 *
 * Valid UTF-8 here is RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF (what Python's and jansson's decoders accept).
 *
 * Nothing here allocates; the functions are thread-safe.
 */
#ifndef DRYDOCK_TEXT_H
#define DRYDOCK_TEXT_H

#include "common.h"

DD_BEGIN_DECLS

typedef enum dd_escape_mode {
    DD_ESCAPE_TERMINAL = 0,
    DD_ESCAPE_LOSSLESS = 1
} dd_escape_mode;

/* 1 when the `len` bytes at `s` are valid UTF-8 (NUL bytes count as
 * invalid: no C string holds one), else 0. */
DD_API int dd_text_is_utf8(const char *s, size_t len);

/* Escape the `len` bytes at `s` (s may be NULL when len is 0) into `out`
 * of `n` bytes, always NUL-terminated when n > 0, cut only between whole
 * escapes or characters. Returns the length the whole escape needs (not
 * counting the NUL), like snprintf: the output was cut when it is >= n.
 * At most 4 * len + 1 bytes are ever needed. */
DD_API size_t dd_text_escape(
    char *out, size_t n, const char *s, size_t len, dd_escape_mode mode);

/* Standard base64 (RFC 4648, with padding) of `len` bytes into `out` of
 * `n` bytes, NUL-terminated; returns the length needed without the NUL
 * (4 * ceil(len / 3)); nothing is written past out[n - 1]. */
DD_API size_t dd_text_base64(char *out, size_t n, const void *data, size_t len);

DD_END_DECLS

#endif
