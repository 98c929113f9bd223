/*
 * lib/version/composer_version.c - Composer (Packagist) versions.
 *
 * Both versions are first normalised as Composer's version parser does:
 * blanks trimmed, an " as ALIAS" and an "@stability" flag dropped,
 * "master"/"trunk"/"default" and "dev-*" kept as branches ("dev-NAME"),
 * "+build" metadata dropped, then either
 *   classical  v?N[.N[.N[.N]]] padded to four numbers, or
 *   date       v?YYYY followed by 1-6 two-digit and 0-2 1-3-digit
 *              groups ([.:-] separators become dots),
 * followed by an optional [._-]stability (stable, beta|b, RC, alpha|a,
 * patch|pl|p; any case) with numbers, and an optional [.-]dev; or a
 * numeric branch "1.x-dev" (x as 9999999). Anything else is invalid.
 * Normalised versions compare as PHP's version_compare(): parts split at
 * [-_+.] and digit/non-digit boundaries; numbers by value; words by
 * dev < alpha|a < beta|b < RC|rc < (a number) < pl|p, others below dev;
 * a longer version wins by a number and loses by a pre-release word
 * ("1.0.0.0-beta1" < "1.0.0.0" < "1.0.0.0-patch1"). Two different
 * branches ("dev-a", "dev-b") have no order in Composer; they compare
 * here by their names so that the order stays total.
 */
#include <string.h>

#include "version_int.h"
#include "../../util/util.h"

#define C_MAX 256 /* longer versions are invalid */

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static char lc(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int ispfx_ci(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k) {
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        if (lc(s[i]) != w[i]) {
            return 0;
        }
    }
    return 1;
}

static int ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\0';
}

typedef struct out {
    char s[C_MAX * 2 + 64];
    size_t n;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->n + n < sizeof o->s) {
        memcpy(o->s + o->n, s, n);
        o->n += n;
        o->s[o->n] = '\0';
    }
}

/* the modifier from s[i..n) to the end; 1 when it matches, appending the
 * normalised suffix ("-beta2", "-RC1-dev", ...) or, for "stable",
 * setting *stable */
static int modifier(const char *s, size_t i, size_t n, out *o)
{
    static const char *const st[] = {"stable", "beta",  "b",  "rc", "alpha",
                                     "a",      "patch", "pl", "p"};
    static const char *const ex[] = {"stable", "beta",  "beta",
                                     "RC",     "alpha", "alpha",
                                     "patch",  "patch", "patch"};
    for (int sep = 1; sep >= 0; sep--) {
        size_t j = i;
        if (sep) {
            if (j < n && (s[j] == '.' || s[j] == '_' || s[j] == '-')) {
                j++;
            } else {
                continue;
            }
        }
        /* w: -1 no stability word, else its index */
        for (int w = 0; w <= 9; w++) {
            size_t k = j;
            size_t ns = 0, ne = 0;
            int word = w < 9 ? w : -1;
            if (word >= 0) {
                if (!ispfx_ci(s + k, n - k, st[word])) {
                    continue;
                }
                k += strlen(st[word]);
                ns = k; /* ((?:[.-]?\d+)*+) */
                for (;;) {
                    size_t q = k;
                    if (q < n && (s[q] == '.' || s[q] == '-')) {
                        q++;
                    }
                    if (q < n && dig(s[q])) {
                        while (q < n && dig(s[q])) {
                            q++;
                        }
                        k = q;
                    } else {
                        break;
                    }
                }
                ne = k;
            }
            int dev = 0;
            if (k < n) {
                size_t q = k;
                if (s[q] == '.' || s[q] == '-') {
                    q++;
                }
                if (n - q == 3 && ispfx_ci(s + q, 3, "dev")) {
                    dev = 1;
                    k = n;
                } else if (n - k == 3 && ispfx_ci(s + k, 3, "dev")) {
                    dev = 1;
                    k = n;
                }
            }
            if (k != n) {
                continue;
            }
            if (word >= 0) {
                /* Composer compares the word "stable" case-sensitively */
                if (word == 0 && !memcmp(s + j, "stable", 6)) {
                    return 1;
                }
                put(o, "-", 1);
                if (word == 0) {
                    for (size_t q = j; q < j + 6; q++) {
                        char c = lc(s[q]);
                        put(o, &c, 1);
                    }
                } else {
                    put(o, ex[word], strlen(ex[word]));
                }
                size_t a = ns;
                while (a < ne && (s[a] == '.' || s[a] == '-')) {
                    a++;
                }
                put(o, s + a, ne - a);
            }
            if (dev) {
                put(o, "-dev", 4);
            }
            return 1;
        }
    }
    return 0;
}

/* date groups from s[i..n): stage 0 = {1,6} two-digit groups, stage 1 =
 * {0,2} one-to-three-digit groups, then the modifier */
static int
date_tail(const char *s, size_t i, size_t n, int stage, int cnt, out *o)
{
    size_t base = o->n;
    int max = stage == 0 ? 6 : 2;
    if (cnt < max) {
        size_t j = i;
        char sep = 0;
        if (j < n && (s[j] == '.' || s[j] == ':' || s[j] == '-')) {
            sep = s[j++];
        }
        int lo = stage == 0 ? 2 : 1, hi = stage == 0 ? 2 : 3;
        for (int d = hi; d >= lo; d--) {
            int ok = j + (size_t)d <= n;
            for (int k = 0; ok && k < d; k++) {
                ok = dig(s[j + (size_t)k]);
            }
            if (!ok) {
                continue;
            }
            if (sep) {
                put(o, ".", 1);
            }
            put(o, s + j, (size_t)d);
            if (date_tail(s, j + (size_t)d, n, stage, cnt + 1, o)) {
                return 1;
            }
            o->n = base;
            o->s[base] = '\0';
        }
        /* "[.:-]?" optional: without the separator the group starts at i,
         * which is the same as the above when there is no separator */
    }
    if (stage == 0 && cnt >= 1) {
        if (date_tail(s, i, n, 1, 0, o)) {
            return 1;
        }
        o->n = base;
        o->s[base] = '\0';
        return 0;
    }
    if (stage == 1) {
        if (modifier(s, i, n, o)) {
            return 1;
        }
        o->n = base;
        o->s[base] = '\0';
    }
    return 0;
}

/* normalizeBranch for the part before "-dev": 1 when numeric */
static int numeric_branch(const char *s, size_t n, out *o)
{
    while (n && ws(*s)) {
        s++, n--;
    }
    while (n && ws(s[n - 1])) {
        n--;
    }
    size_t i = 0;
    if (i < n && (s[i] == 'v' || s[i] == 'V')) {
        i++;
    }
    size_t st = i;
    while (i < n && dig(s[i])) {
        i++;
    }
    if (i == st) {
        return 0;
    }
    put(o, s + st, i - st);
    int parts = 1;
    while (i < n && parts < 4) {
        if (s[i] != '.' || i + 1 >= n) {
            return 0;
        }
        i++;
        if (s[i] == 'x' || s[i] == 'X' || s[i] == '*') {
            put(o, ".9999999", 8);
            i++;
        } else if (dig(s[i])) {
            size_t a = i;
            while (i < n && dig(s[i])) {
                i++;
            }
            put(o, ".", 1);
            put(o, s + a, i - a);
        } else {
            return 0;
        }
        parts++;
    }
    if (i != n) {
        return 0;
    }
    for (; parts < 4; parts++) {
        put(o, ".9999999", 8);
    }
    put(o, "-dev", 4);
    return 1;
}

int dd__composer_normalize(const char *v, char *buf, size_t bn)
{
    size_t n = strlen(v);
    while (n && ws(*v)) {
        v++, n--;
    }
    while (n && ws(v[n - 1])) {
        n--;
    }
    if (n == 0 || n > C_MAX) {
        return DD_EINVALID;
    }
    /* "X as Y": X and Y without blanks or commas, spaces around "as" */
    size_t xe = 0;
    while (xe < n && !ws(v[xe]) && v[xe] != ',') {
        xe++;
    }
    if (xe > 0 && xe < n && v[xe] == ' ') {
        size_t j = xe;
        while (j < n && v[j] == ' ') {
            j++;
        }
        if (j + 2 < n && v[j] == 'a' && v[j + 1] == 's' && v[j + 2] == ' ') {
            j += 2;
            while (j < n && v[j] == ' ') {
                j++;
            }
            size_t ys = j;
            while (j < n && !ws(v[j]) && v[j] != ',') {
                j++;
            }
            if (j == n && j > ys) {
                n = xe;
            }
        }
    }
    /* "@stability" */
    static const char *const flags[] = {"stable", "rc", "beta", "alpha", "dev"};
    for (size_t f = 0; f < 5; f++) {
        size_t k = strlen(flags[f]);
        if (n > k && v[n - k - 1] == '@' && ispfx_ci(v + n - k, k, flags[f])) {
            n -= k + 1;
            break;
        }
    }
    out o;
    o.n = 0;
    o.s[0] = '\0';
    if ((n == 6 && !memcmp(v, "master", 6)) ||
        (n == 5 && !memcmp(v, "trunk", 5)) ||
        (n == 7 && !memcmp(v, "default", 7))) {
        put(&o, "dev-", 4);
        put(&o, v, n);
        goto done;
    }
    if (ispfx_ci(v, n, "dev-")) {
        put(&o, "dev-", 4);
        put(&o, v + 4, n - 4);
        goto done;
    }
    const char *plus = memchr(v, '+', n);
    if (plus && plus > v && plus + 1 < v + n) {
        int ok = 1;
        for (const char *q = v; ok && q < plus; q++) {
            ok = !ws(*q) && *q != ',';
        }
        for (const char *q = plus + 1; ok && q < v + n; q++) {
            ok = !ws(*q);
        }
        if (ok) {
            n = (size_t)(plus - v);
        }
    }
    size_t i = 0;
    if (i < n && (v[i] == 'v' || v[i] == 'V')) {
        i++;
    }
    /* classical */
    size_t st = i;
    while (i < n && dig(v[i]) && i - st < 5) {
        i++;
    }
    if (i > st && !(i < n && dig(v[i]))) {
        put(&o, v + st, i - st);
        int parts = 1;
        while (parts < 4 && i + 1 < n && v[i] == '.' && dig(v[i + 1])) {
            size_t a = i++;
            while (i < n && dig(v[i])) {
                i++;
            }
            put(&o, v + a, i - a);
            parts++;
        }
        for (; parts < 4; parts++) {
            put(&o, ".0", 2);
        }
        if (modifier(v, i, n, &o)) {
            goto done;
        }
        o.n = 0;
        o.s[0] = '\0';
    }
    /* date */
    i = st;
    if (n - i >= 4 && dig(v[i]) && dig(v[i + 1]) && dig(v[i + 2]) &&
        dig(v[i + 3])) {
        put(&o, v + i, 4);
        if (date_tail(v, i + 4, n, 0, 0, &o)) {
            goto done;
        }
        o.n = 0;
        o.s[0] = '\0';
    }
    /* numeric branch "1.x-dev" */
    if (n >= 3 && ispfx_ci(v + n - 3, 3, "dev")) {
        size_t e = n - 3;
        if (e > 0 && (v[e - 1] == '.' || v[e - 1] == '-')) {
            e--;
        }
        if (numeric_branch(v, e, &o)) {
            goto done;
        }
    }
    return DD_EINVALID;
done:
    if (o.n + 1 > bn) {
        return DD_ELIMIT;
    }
    memcpy(buf, o.s, o.n + 1);
    return 0;
}

/* PHP's canonical form: [-_+] and other non-alphanumerics become '.',
 * a '.' between digit/non-digit transitions */
static size_t canon(const char *v, char *o)
{
    size_t q = 0;
    if (!*v) {
        o[0] = '\0';
        return 0;
    }
    char lp = *v;
    o[q++] = *v++;
    for (; *v; lp = *v++) {
        int d = dig(*v), ld = dig(lp);
        int an = d || (lc(*v) >= 'a' && lc(*v) <= 'z');
        if (*v == '-' || *v == '_' || *v == '+') {
            if (o[q - 1] != '.') {
                o[q++] = '.';
            }
        } else if ((lp != '.' && !ld && d) || (ld && !d && *v != '.')) {
            if (o[q - 1] != '.') {
                o[q++] = '.';
            }
            o[q++] = *v;
        } else if (!an) {
            if (o[q - 1] != '.') {
                o[q++] = '.';
            }
        } else {
            o[q++] = *v;
        }
    }
    o[q] = '\0';
    return q;
}

static int special(const char *f, size_t n)
{
    static const struct {
        const char *w;
        int ord;
    } t[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
             {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        size_t k = strlen(t[i].w);
        if (n >= k && !memcmp(f, t[i].w, k)) {
            return t[i].ord;
        }
    }
    return -1;
}

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

/* version_compare of two canonical strings */
static int php_cmp(const char *a, const char *b)
{
    if (!*a || !*b) {
        return !*a && !*b ? 0 : *a ? 1 : -1;
    }
    const char *p1 = a, *p2 = b;
    int c = 0;
    const char *n1 = p1, *n2 = p2; /* non-NULL: enter */
    while (*p1 && *p2 && n1 && n2) {
        n1 = strchr(p1, '.');
        n2 = strchr(p2, '.');
        size_t l1 = n1 ? (size_t)(n1 - p1) : strlen(p1);
        size_t l2 = n2 ? (size_t)(n2 - p2) : strlen(p2);
        if (dig(*p1) && dig(*p2)) {
            while (l1 > 1 && *p1 == '0') {
                p1++, l1--;
            }
            while (l2 > 1 && *p2 == '0') {
                p2++, l2--;
            }
            c = dd__numcmp(p1, l1, p2, l2);
        } else if (!dig(*p1) && !dig(*p2)) {
            c = sgn(special(p1, l1) - special(p2, l2));
        } else if (dig(*p1)) {
            c = sgn(special("#N#", 3) - special(p2, l2));
        } else {
            c = sgn(special(p1, l1) - special("#N#", 3));
        }
        if (c) {
            break;
        }
        if (n1) {
            p1 = n1 + 1;
        }
        if (n2) {
            p2 = n2 + 1;
        }
    }
    if (!c) {
        if (n1) {
            c = dig(*p1) ? 1 : php_cmp(p1, "#N#");
        } else if (n2) {
            c = dig(*p2) ? -1 : php_cmp("#N#", p2);
        }
    }
    return c;
}

int dd__vercmp_composer(const char *a, const char *b, int *cmp)
{
    char na[C_MAX * 2 + 64], nb[C_MAX * 2 + 64];
    if (dd__composer_normalize(a, na, sizeof na) ||
        dd__composer_normalize(b, nb, sizeof nb)) {
        return DD_EINVALID;
    }
    if (!strncmp(na, "dev-", 4) && !strncmp(nb, "dev-", 4)) {
        int c = strcmp(na, nb);
        *cmp = sgn(c);
        return 0;
    }
    char ca[sizeof na * 2], cb[sizeof nb * 2];
    canon(na, ca);
    canon(nb, cb);
    *cmp = php_cmp(ca, cb);
    return 0;
}
