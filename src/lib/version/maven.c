/*
 * lib/version/maven.c - Maven version ordering (ComparableVersion, 3.9).
 *
 * A version is split into items at '.', '-' and at every change between
 * digits and letters; '-' (and a letter/digit change) opens a sub-list.
 * Items are numbers, qualifiers or lists. Qualifiers rank
 *   alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
 *   release < sp < anything else (alphabetically, case-insensitive),
 * with a/b/m followed by a digit meaning alpha/beta/milestone. Trailing
 * "null" items (0, "", empty lists) are dropped from every list before
 * comparing. Numbers beat qualifiers and lists; lists beat qualifiers.
 */
#include <string.h>

#include "version_int.h"
#include "../../util/util.h"

enum kind { K_INT, K_STR, K_LIST };

typedef struct item {
    enum kind k;
    const char *s; /* K_INT: digits (leading zeros stripped); K_STR: text */
    size_t n;
    int first, last; /* K_LIST: children (indices), -1 none */
    int next;        /* sibling */
} item;

typedef struct tree {
    item *it;
    size_t n, cap;
    char *low; /* lowercased copy */
} tree;

static int node(tree *t, enum kind k, const char *s, size_t n)
{
    if (t->n >= t->cap) {
        return -1;
    }
    item *x = &t->it[t->n];
    x->k = k;
    x->s = s;
    x->n = n;
    x->first = x->last = x->next = -1;
    return (int)t->n++;
}

static void append(tree *t, int list, int child)
{
    item *l = &t->it[list];
    if (l->last >= 0) {
        t->it[l->last].next = child;
    } else {
        l->first = child;
    }
    l->last = child;
}

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* canonical qualifier text */
static void alias(const char **s, size_t *n, int followed_by_digit)
{
    static const struct {
        const char *from, *to;
    } al[] = {{"ga", ""}, {"final", ""}, {"release", ""}, {"cr", "rc"}};
    if (followed_by_digit && *n == 1) {
        if (**s == 'a') {
            *s = "alpha", *n = 5;
        } else if (**s == 'b') {
            *s = "beta", *n = 4;
        } else if (**s == 'm') {
            *s = "milestone", *n = 9;
        }
    }
    for (size_t i = 0; i < sizeof al / sizeof *al; i++) {
        if (strlen(al[i].from) == *n && !memcmp(al[i].from, *s, *n)) {
            *s = al[i].to;
            *n = strlen(al[i].to);
        }
    }
}

static int add_item(tree *t,
                    int list,
                    int digit,
                    const char *s,
                    size_t n,
                    int followed_by_digit)
{
    int x;
    if (digit) {
        while (n > 1 && *s == '0') {
            s++, n--;
        }
        if (n == 1 && *s == '0') {
            n = 0;
        }
        x = node(t, K_INT, s, n);
    } else {
        alias(&s, &n, followed_by_digit);
        x = node(t, K_STR, s, n);
    }
    if (x < 0) {
        return -1;
    }
    append(t, list, x);
    return 0;
}

static int is_null(const tree *t, int i)
{
    const item *x = &t->it[i];
    return x->n == 0 && (x->k != K_LIST || x->first < 0);
}

/* From the end: drop null items (0, "", empty lists); skip over non-null
 * lists; stop at the first non-null number or qualifier. */
static void normalize(tree *t, int list)
{
    item *l = &t->it[list];
    int kids[4096];
    size_t n = 0;
    for (int c = l->first; c >= 0 && n < sizeof kids / sizeof *kids;
         c = t->it[c].next) {
        kids[n++] = c;
    }
    for (size_t i = n; i-- > 0;) {
        if (is_null(t, kids[i])) {
            memmove(kids + i, kids + i + 1, (n - i - 1) * sizeof *kids);
            n--;
        } else if (t->it[kids[i]].k != K_LIST) {
            break;
        }
    }
    l->first = n ? kids[0] : -1;
    l->last = n ? kids[n - 1] : -1;
    for (size_t i = 0; i < n; i++) {
        t->it[kids[i]].next = i + 1 < n ? kids[i + 1] : -1;
    }
}

#define MAX_DEPTH 1024

/* Append a new sub-list to *list and descend into it. */
static int open_list(tree *t, int *list, int *stack, size_t *sp)
{
    int nl = node(t, K_LIST, NULL, 0);
    if (nl < 0 || *sp >= MAX_DEPTH) {
        return -1;
    }
    append(t, *list, nl);
    *list = stack[(*sp)++] = nl;
    return 0;
}

static int build(tree *t, const char *v)
{
    size_t len = strlen(v);
    if (len > 2000) {
        len = 2000; /* longer versions compare on their first 2000 bytes */
    }
    t->cap = 2 * len + 8;
    t->it = dd__calloc(t->cap, sizeof(item));
    t->low = dd__malloc(len + 1);
    if (!t->it || !t->low) {
        return DD_ENOMEM;
    }
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        t->low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    t->low[len] = '\0';
    const char *s = t->low;
    int stack[MAX_DEPTH];
    size_t sp = 0;
    int list = node(t, K_LIST, NULL, 0);
    stack[sp++] = list;
    int digit = 0;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '.' || c == '-') {
            if (i == start) {
                int z = node(t, K_INT, "", 0);
                if (z < 0) {
                    return DD_ENOMEM;
                }
                append(t, list, z);
            } else if (add_item(t, list, digit, s + start, i - start, 0)) {
                return DD_ENOMEM;
            }
            start = i + 1;
            if (c == '-') {
                if (open_list(t, &list, stack, &sp)) {
                    return DD_ENOMEM;
                }
            }
        } else if (isdig(c)) {
            if (!digit && i > start) {
                /* "X1": the qualifier, then a sub-list for the number */
                if (t->it[list].first >= 0) {
                    if (open_list(t, &list, stack, &sp)) {
                        return DD_ENOMEM;
                    }
                }
                if (add_item(t, list, 0, s + start, i - start, 1)) {
                    return DD_ENOMEM;
                }
                start = i;
                if (open_list(t, &list, stack, &sp)) {
                    return DD_ENOMEM;
                }
            }
            digit = 1;
        } else {
            if (digit && i > start) {
                if (add_item(t, list, 1, s + start, i - start, 0)) {
                    return DD_ENOMEM;
                }
                start = i;
                if (open_list(t, &list, stack, &sp)) {
                    return DD_ENOMEM;
                }
            }
            digit = 0;
        }
    }
    if (len > start) {
        if (!digit && t->it[list].first >= 0) {
            if (open_list(t, &list, stack, &sp)) {
                return DD_ENOMEM;
            }
        }
        if (add_item(t, list, digit, s + start, len - start, 0)) {
            return DD_ENOMEM;
        }
    }
    while (sp) {
        normalize(t, stack[--sp]);
    }
    return 0;
}

static const char *const QUAL[] = {"alpha",    "beta", "milestone", "rc",
                                   "snapshot", "",     "sp"};

/* rank of a qualifier: index, or 7 for unknown ones */
static int qrank(const char *s, size_t n)
{
    for (int i = 0; i < 7; i++) {
        if (strlen(QUAL[i]) == n && !memcmp(QUAL[i], s, n)) {
            return i;
        }
    }
    return 7;
}

static int str_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int ra = qrank(a, an), rb = qrank(b, bn);
    if (ra != rb) {
        return ra < rb ? -1 : 1;
    }
    if (ra < 7) {
        return 0;
    }
    int c = memcmp(a, b, an < bn ? an : bn);
    if (!c && an != bn) {
        c = an < bn ? -1 : 1;
    }
    return c < 0 ? -1 : c > 0;
}

/* compare item i of ta with item j of tb (-1 = null item) */
static int cmp_item(const tree *ta, int i, const tree *tb, int j)
{
    if (i < 0 && j < 0) {
        return 0;
    }
    if (i < 0) {
        return -cmp_item(tb, j, ta, i);
    }
    const item *x = &ta->it[i];
    if (j < 0) {
        switch (x->k) {
        case K_INT:
            return x->n ? 1 : 0;
        case K_STR:
            return str_cmp(x->s, x->n, "", 0);
        case K_LIST:
            return x->first < 0 ? 0 : cmp_item(ta, x->first, tb, -1);
        }
    }
    const item *y = &tb->it[j];
    if (x->k != y->k) {
        /* int > list > string */
        static const int rank[] = {2, 0, 1};
        return rank[x->k] > rank[y->k] ? 1 : -1;
    }
    if (x->k == K_INT) {
        if (x->n != y->n) {
            return x->n < y->n ? -1 : 1;
        }
        int c = x->n ? memcmp(x->s, y->s, x->n) : 0;
        return c < 0 ? -1 : c > 0;
    }
    if (x->k == K_STR) {
        return str_cmp(x->s, x->n, y->s, y->n);
    }
    int a = x->first, b = y->first;
    while (a >= 0 || b >= 0) {
        int c = cmp_item(ta, a, tb, b);
        if (c) {
            return c;
        }
        a = a >= 0 ? ta->it[a].next : -1;
        b = b >= 0 ? tb->it[b].next : -1;
    }
    return 0;
}

int dd__vercmp_maven(const char *a, const char *b)
{
    tree x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    int c = 0;
    if (build(&x, a) == 0 && build(&y, b) == 0) {
        c = cmp_item(&x, 0, &y, 0);
    } else {
        c = strcmp(a, b); /* out of memory: a stable answer */
        c = c < 0 ? -1 : c > 0;
    }
    dd__free(x.it);
    dd__free(x.low);
    dd__free(y.it);
    dd__free(y.low);
    return c;
}
