/*
 * util/glob.h - path globs, as in Trivy's --skip-dirs / --skip-files and
 * in .gitignore-style tools.
 *
 *   *      any run of characters within one path segment (not '/')
 *   ?      one character other than '/'
 *   [abc] [a-z] [!a-z] [^a-z]   one character of (or not of) a set
 *   \c     the character c itself
 *   **     as a whole segment: zero or more whole segments; elsewhere
 *          the same as *
 *
 * Paths and patterns are compared segment by segment after dropping a
 * leading "/" or "./" and a trailing "/". Matching takes O(len(pattern) *
 * len(path)) steps at most: no backtracking blow-up on hostile input.
 *
 * Pure functions; no allocation, no state.
 */
#ifndef DD_GLOB_H
#define DD_GLOB_H

#include <stddef.h>

/* 0 when `pat` is a well-formed glob; else DD_EINVALID and, when why is
 * not NULL, a short reason ("unclosed [ at 3") in why (n bytes). */
int dd__glob_check(const char *pat, char *why, size_t n);

/* 1 when `path` matches the whole of `pat`, else 0 (also for a malformed
 * pattern). */
int dd__glob_match(const char *pat, const char *path);

/* 1 when `path` or one of its parent directories matches `pat`:
 * "usr/lib" and "usr/lib/" followed by two stars both cover "usr/lib/x/y". */
int dd__glob_match_dir(const char *pat, const char *path);

#endif
