/*
 * lib/version/rubygems_version.c - RubyGems versions (Gem::Version).
 *
 *   N(.X)*[-Y(.Y)*]   X alphanumeric, Y alphanumeric or '-'; blanks around
 *
 * A blank string is "0". Each "-"-part after the first becomes a dotted
 * part, prefixed with "pre." when its first identifier has no letter
 * ("1.0.0-1" is "1.0.0.pre.1", "1.0.0-beta.1" is "1.0.0.beta.1"). The
 * compared segments are the runs of digits (numbers) and of letters
 * (strings) of the canonical form: trailing zero segments dropped, in a
 * prerelease (any letter) the zero segments before its first letter
 * dropped, and a "pre" that precedes a string segment skipped. Segments
 * compare pairwise (a string sorts below a number, strings bytewise,
 * numbers by value); past the shorter list a string makes the longer
 * version lower, a non-zero number makes it higher ("1.0.a" < "1.0" <
 * "1.0.1"), as RubyGems' own comparison does.
 */
#include <string.h>

#include "version_int.h"
#include "../../util/util.h"

typedef struct seg {
    const char *s;
    size_t n;
    int num;
} seg;

typedef struct gv {
    char *buf; /* normalised string, then the canonical form */
    seg *segs;
    size_t n;
} gv;

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static int alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int alnum(char c)
{
    return dig(c) || alpha(c);
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* the version pattern, on s[0..n) (blanks already trimmed) */
static int valid(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0) {
        return 1;
    }
    while (i < n && dig(s[i])) {
        i++;
    }
    if (i == 0) {
        return 0;
    }
    while (i + 1 < n && s[i] == '.' && alnum(s[i + 1])) {
        i++;
        while (i < n && alnum(s[i])) {
            i++;
        }
    }
    if (i < n && s[i] == '-') {
        for (;;) {
            size_t st = ++i;
            while (i < n && (alnum(s[i]) || s[i] == '-')) {
                i++;
            }
            if (i == st || i >= n || s[i] != '.') {
                return i > st && i == n;
            }
        }
    }
    return i == n;
}

/* "-" parts as dotted parts ("pre." before a part without a letter in
 * its first identifier); Ruby's split drops trailing empty parts */
static size_t hyphens(const char *s, size_t n, char *out)
{
    size_t o = 0, end = n;
    while (end > 0 && s[end - 1] == '-') {
        end--;
    }
    size_t i = 0;
    int first = 1;
    while (i <= end) {
        const char *h = memchr(s + i, '-', end - i);
        size_t pe = h ? (size_t)(h - s) : end;
        if (first) {
            memcpy(out + o, s + i, pe - i);
            o += pe - i;
            first = 0;
        } else {
            size_t k = i;
            int letter = 0;
            while (k < pe && s[k] != '.') {
                letter |= alpha(s[k++]);
            }
            out[o++] = '.';
            if (!letter) {
                memcpy(out + o, "pre.", 4);
                o += 4;
            }
            memcpy(out + o, s + i, pe - i);
            o += pe - i;
        }
        if (!h) {
            break;
        }
        i = pe + 1;
    }
    out[o] = '\0';
    return o;
}

static int parse(const char *v, gv *g)
{
    memset(g, 0, sizeof *g);
    size_t n = strlen(v);
    while (n && blank(*v)) {
        v++, n--;
    }
    while (n && blank(v[n - 1])) {
        n--;
    }
    if (!valid(v, n)) {
        return DD_EINVALID;
    }
    if (n == 0) {
        v = "0", n = 1;
    }
    if (n > ((size_t)-1 >> 3)) {
        return DD_ENOMEM;
    }
    g->buf = dd__malloc(n * 5 + 2);
    g->segs = dd__malloc(sizeof(seg) * (n * 5 + 2));
    if (!g->buf || !g->segs) {
        return DD_ENOMEM;
    }
    char *s = g->buf;
    size_t len = hyphens(v, n, s);
    int pre = 0;
    for (size_t i = 0; i < len; i++) {
        pre |= alpha(s[i]);
    }
    /* trailing [.0] run after a letter or a dot */
    size_t t = len;
    while (t > 0 && (s[t - 1] == '.' || s[t - 1] == '0')) {
        t--;
    }
    for (size_t p = t; p < len; p++) {
        if (p > 0 && (alpha(s[p - 1]) || s[p - 1] == '.')) {
            len = p;
            s[len] = '\0';
            break;
        }
    }
    /* in a prerelease, the first [0.] run (at the start or after a dot)
     * that a letter follows */
    for (size_t p = 0; pre && p < len; p++) {
        if ((p == 0 || s[p - 1] == '.') && (s[p] == '0' || s[p] == '.')) {
            size_t q = p;
            while (q < len && (s[q] == '0' || s[q] == '.')) {
                q++;
            }
            if (q < len && alpha(s[q])) {
                memmove(s + p, s + q, len - q + 1);
                len -= q - p;
                break;
            }
        }
    }
    for (size_t i = 0; i < len;) {
        if (!alnum(s[i])) {
            i++;
            continue;
        }
        size_t st = i;
        int num = dig(s[i]);
        while (i < len && (num ? dig(s[i]) : alpha(s[i]))) {
            i++;
        }
        seg sg = {s + st, i - st, num};
        if (num) {
            while (sg.n > 1 && *sg.s == '0') {
                sg.s++, sg.n--;
            }
        }
        g->segs[g->n++] = sg;
    }
    /* skip a "pre" that precedes a string segment */
    size_t o = 0;
    for (size_t i = 0; i < g->n; i++) {
        seg *x = &g->segs[i];
        if (!x->num && x->n == 3 && !memcmp(x->s, "pre", 3) && i + 1 < g->n &&
            !g->segs[i + 1].num) {
            continue;
        }
        g->segs[o++] = *x;
    }
    g->n = o;
    return 0;
}

static void gv_free(gv *g)
{
    dd__free(g->buf);
    dd__free(g->segs);
}

static int zero(const seg *x)
{
    return x->num && x->n == 1 && x->s[0] == '0';
}

static int segcmp(const seg *a, const seg *b)
{
    if (a->num != b->num) {
        return a->num ? 1 : -1;
    }
    if (a->num) {
        return dd__numcmp(a->s, a->n, b->s, b->n);
    }
    size_t m = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->s, b->s, m);
    if (c) {
        return c < 0 ? -1 : 1;
    }
    return (a->n > b->n) - (a->n < b->n);
}

int dd__vercmp_rubygems(const char *a, const char *b, int *cmp)
{
    gv x, y;
    int rc = parse(a, &x);
    if (!rc) {
        rc = parse(b, &y);
        if (rc) {
            gv_free(&y);
        }
    }
    if (rc) {
        gv_free(&x);
        return rc;
    }
    size_t lim = x.n < y.n ? x.n : y.n, i;
    int c = 0;
    for (i = 0; i < lim && !c; i++) {
        c = segcmp(&x.segs[i], &y.segs[i]);
    }
    for (; !c && i < x.n; i++) { /* x is longer */
        c = !x.segs[i].num ? -1 : zero(&x.segs[i]) ? 0 : 1;
    }
    for (; !c && i < y.n; i++) {
        c = !y.segs[i].num ? 1 : zero(&y.segs[i]) ? 0 : -1;
    }
    gv_free(&x);
    gv_free(&y);
    *cmp = c;
    return 0;
}
