/*
 * util/glob.c - path globs (glob.h). Two levels of the same linear
 * wildcard algorithm: characters within a segment ('*'), and segments
 * within a path ('**'). Each level keeps a single backtrack point, which
 * is enough because a later star can absorb anything an earlier one
 * would have: the work stays O(pattern * subject).
 */
#include <stdio.h>
#include <string.h>

#include "glob.h"
#include "util.h"

/* A character class at p[i] == '['; sets *ok when c is in it, returns
 * the index after ']' or (size_t)-1 when the class is not closed. */
static size_t class_at(const char *p, size_t plen, size_t i, char c, int *ok)
{
    size_t k = i + 1;
    int neg = 0, hit = 0;
    if (k < plen && (p[k] == '!' || p[k] == '^')) {
        neg = 1;
        k++;
    }
    int first = 1;
    while (k < plen && (p[k] != ']' || first)) {
        char lo = p[k];
        if (lo == '\\' && k + 1 < plen) {
            lo = p[++k];
        }
        char hi = lo;
        if (k + 2 < plen && p[k + 1] == '-' && p[k + 2] != ']') {
            hi = p[k + 2];
            if (hi == '\\' && k + 3 < plen) {
                hi = p[k + 3];
                k++;
            }
            k += 2;
        }
        if ((unsigned char)c >= (unsigned char)lo &&
            (unsigned char)c <= (unsigned char)hi) {
            hit = 1;
        }
        first = 0;
        k++;
    }
    if (k >= plen) {
        return (size_t)-1;
    }
    *ok = hit != neg;
    return k + 1;
}

/* One pattern segment against one subject segment. */
static int seg_match(const char *p, size_t plen, const char *s, size_t slen)
{
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    while (j < slen) {
        if (i < plen && p[i] == '*') {
            while (i < plen && p[i] == '*') {
                i++;
            }
            star = i;
            mark = j;
            continue;
        }
        if (i < plen) {
            int ok = 0;
            size_t next = i + 1;
            if (p[i] == '?') {
                ok = 1;
            } else if (p[i] == '[') {
                next = class_at(p, plen, i, s[j], &ok);
                if (next == (size_t)-1) {
                    return 0;
                }
            } else if (p[i] == '\\' && i + 1 < plen) {
                ok = p[i + 1] == s[j];
                next = i + 2;
            } else {
                ok = p[i] == s[j];
            }
            if (ok) {
                i = next;
                j++;
                continue;
            }
        }
        if (star == (size_t)-1) {
            return 0;
        }
        i = star;
        j = ++mark;
    }
    while (i < plen && p[i] == '*') {
        i++;
    }
    return i == plen;
}

/* The segment of s[0..n) starting at or after *off (slashes skipped):
 * sets *len and returns its start, or n when there is none. */
static size_t seg_at(const char *s, size_t n, size_t off, size_t *len)
{
    while (off < n && s[off] == '/') {
        off++;
    }
    size_t e = off;
    while (e < n && s[e] != '/') {
        e++;
    }
    *len = e - off;
    return off;
}

/* Offset where matching starts: after "/" and "./" prefixes. */
static size_t skip_prefix(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        if (i < n && s[i] == '/') {
            i++;
        } else if (i + 1 < n && s[i] == '.' && s[i + 1] == '/') {
            i += 2;
        } else if (i + 1 == n && s[i] == '.') {
            return n;
        } else {
            return i;
        }
    }
}

static int match_n(const char *pat, size_t pn, const char *path, size_t sn)
{
    size_t i = skip_prefix(pat, pn), j = skip_prefix(path, sn);
    size_t star = (size_t)-1, mark = 0;
    for (;;) {
        size_t sl, pl;
        size_t sj = seg_at(path, sn, j, &sl);
        if (sj >= sn) {
            break;
        }
        size_t pi = seg_at(pat, pn, i, &pl);
        if (pi < pn && pl == 2 && pat[pi] == '*' && pat[pi + 1] == '*') {
            star = pi + pl;
            mark = sj;
            i = star;
            continue;
        }
        if (pi < pn && seg_match(pat + pi, pl, path + sj, sl)) {
            i = pi + pl;
            j = sj + sl;
            continue;
        }
        if (star == (size_t)-1) {
            return 0;
        }
        i = star;
        mark = seg_at(path, sn, mark, &sl) + sl;
        j = mark;
    }
    for (;;) {
        size_t pl;
        size_t pi = seg_at(pat, pn, i, &pl);
        if (pi >= pn) {
            return 1;
        }
        if (!(pl == 2 && pat[pi] == '*' && pat[pi + 1] == '*')) {
            return 0;
        }
        i = pi + pl;
    }
}

int dd__glob_match(const char *pat, const char *path)
{
    if (dd__glob_check(pat, NULL, 0)) {
        return 0;
    }
    return match_n(pat, strlen(pat), path, strlen(path));
}

int dd__glob_match_dir(const char *pat, const char *path)
{
    if (dd__glob_check(pat, NULL, 0)) {
        return 0;
    }
    size_t pn = strlen(pat), n = strlen(path);
    for (size_t e = 0; e <= n; e++) {
        if ((e == n || path[e] == '/') && e > 0 && path[e - 1] != '/' &&
            match_n(pat, pn, path, e)) {
            return 1;
        }
    }
    return 0;
}

int dd__glob_check(const char *pat, char *why, size_t n)
{
    size_t len = strlen(pat);
    const char *bad = NULL;
    size_t at = 0;
    if (!len) {
        bad = "empty pattern";
    }
    for (size_t i = 0; i < len && !bad; i++) {
        if (pat[i] == '\\') {
            if (i + 1 >= len || pat[i + 1] == '/') {
                bad = "a trailing or misplaced \\";
                at = i;
            }
            i++;
        } else if (pat[i] == '[') {
            size_t e = len;
            for (size_t k = i + 1; k < len; k++) {
                if (pat[k] == '/') {
                    break;
                }
                if (pat[k] == '\\') {
                    k++;
                    continue;
                }
                if (pat[k] == ']' &&
                    k > i + 1 + (pat[i + 1] == '!' || pat[i + 1] == '^')) {
                    e = k;
                    break;
                }
            }
            if (e == len) {
                bad = "unclosed [";
                at = i;
            } else {
                i = e;
            }
        }
    }
    if (!bad) {
        return 0;
    }
    if (why && n) {
        snprintf(why, n, "%s at %zu", bad, at);
    }
    return DD_EINVALID;
}
