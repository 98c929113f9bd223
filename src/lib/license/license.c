/*
 * lib/license/license.c - license text to SPDX expressions, and the
 * license policy (drydock/license.h, docs/licenses.md).
 *
 * The text is split into words and parentheses; "and"/"or"/"with" (any
 * case, also "&" and "|") are operators, except "or" before "later",
 * "newer" or "any" ("GPLv2 or later"). A run of other words is one
 * license name, looked up as a whole: SPDX ids (any case), the alias
 * table (names.c: Debian, rpm, PyPI classifiers, free text), then the GNU
 * family rule (GPL/LGPL/AGPL/GFDL, version, "+"/"or later"/"only"), else
 * it becomes LicenseRef-<name>. A parenthesised name right after a name is
 * its abbreviation ("GNU General Public License v3 (GPLv3)"). The tree is
 * parsed by recursive descent (OR below AND below WITH), at most
 * DD_LICENSE_MAX_DEPTH deep and DD_LICENSE_MAX_TERMS names, and printed
 * back with parentheses only where SPDX precedence needs them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "license_int.h"
#include "../../util/util.h"

/* ---- tokens ---------------------------------------------------------- */

enum { T_END, T_LP, T_RP, T_AND, T_OR, T_WITH, T_WORD };

typedef struct tok {
    int t;
    size_t at, n; /* span in the text */
} tok;

#define MAX_TOKS (DD_LICENSE_MAX_TERMS * 4)

static int lc(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int word_is(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++) {
        if (lc((unsigned char)s[i]) != w[i]) {
            return 0;
        }
    }
    return i == n && !w[i];
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
           c == ';';
}

/* 0, or DD_EINVALID with `why` */
/* Debian's ", and" / ", or": the comma binds loosest ("A or B, and C"
 * is "(A or B) and C"); 1 when s[i] is such a comma */
static int comma_op(const char *s, size_t len, size_t i)
{
    if (s[i] != ',') {
        return 0;
    }
    size_t j = i + 1;
    while (j < len && (s[j] == ' ' || s[j] == '\t')) {
        j++;
    }
    size_t k = j;
    while (k < len && !is_blank((unsigned char)s[k]) && s[k] != '(') {
        k++;
    }
    return word_is(s + j, k - j, "and") || word_is(s + j, k - j, "or");
}

static int lex(const char *s, size_t len, tok *toks, size_t *nt, dd_error *why)
{
    size_t n = 0, i = 0;
    int commas = 0;
    for (size_t q = 0; q < len; q++) {
        commas |= comma_op(s, len, q);
    }
    if (commas) {
        toks[n].t = T_LP;
        toks[n].at = 0;
        toks[n++].n = 0;
    }
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (commas && comma_op(s, len, i)) {
            if (n + 3 >= MAX_TOKS) {
                return dd__error_set(why, DD_EINVALID,
                                     "offset %zu: more than %d tokens", i,
                                     MAX_TOKS);
            }
            /* ") OP (" : the operator word follows */
            toks[n].t = T_RP;
            toks[n].at = i;
            toks[n++].n = 1;
            i++;
            while (i < len && (s[i] == ' ' || s[i] == '\t')) {
                i++;
            }
            size_t k = i;
            while (k < len && !is_blank((unsigned char)s[k]) && s[k] != '(') {
                k++;
            }
            toks[n].t = word_is(s + i, k - i, "and") ? T_AND : T_OR;
            toks[n].at = i;
            toks[n++].n = k - i;
            toks[n].t = T_LP;
            toks[n].at = k;
            toks[n++].n = 0;
            i = k;
            continue;
        }
        if (is_blank(c)) {
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            return dd__error_set(why, DD_EINVALID,
                                 "offset %zu: control byte 0x%02x", i, c);
        }
        if (n + 1 >= MAX_TOKS) {
            return dd__error_set(why, DD_EINVALID,
                                 "offset %zu: more than %d tokens", i,
                                 MAX_TOKS);
        }
        tok *t = &toks[n++];
        t->at = i;
        if (c == '(' || c == ')') {
            t->t = c == '(' ? T_LP : T_RP;
            t->n = 1;
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && !is_blank((unsigned char)s[j]) && s[j] != '(' &&
               s[j] != ')' && (unsigned char)s[j] >= 0x20 && s[j] != 0x7f) {
            j++;
        }
        t->n = j - i;
        t->t = T_WORD;
        const char *w = s + i;
        if (word_is(w, t->n, "and") || word_is(w, t->n, "&") ||
            word_is(w, t->n, "&&")) {
            t->t = T_AND;
        } else if (word_is(w, t->n, "or") || word_is(w, t->n, "|") ||
                   word_is(w, t->n, "||")) {
            t->t = T_OR;
        } else if (word_is(w, t->n, "with")) {
            t->t = T_WITH;
        } else if (word_is(w, t->n, "and/or")) {
            t->t = T_OR; /* the user may choose either */
        }
        i = j;
    }
    /* "or later", "or any later version", "or newer": part of the name */
    for (size_t k = 0; k + 1 < n; k++) {
        if (toks[k].t == T_OR && toks[k + 1].t == T_WORD && k > 0 &&
            toks[k - 1].t == T_WORD) {
            const char *w = s + toks[k + 1].at;
            size_t wn = toks[k + 1].n;
            if (word_is(w, wn, "later") || word_is(w, wn, "newer") ||
                word_is(w, wn, "any") || word_is(w, wn, "greater") ||
                word_is(w, wn, "later.")) {
                toks[k].t = T_WORD;
            }
        }
    }
    if (commas) {
        toks[n].t = T_RP;
        toks[n].at = len;
        toks[n++].n = 0;
    }
    toks[n].t = T_END;
    toks[n].at = len;
    toks[n].n = 0;
    *nt = n;
    return 0;
}

/* ---- tree ------------------------------------------------------------ */

enum { N_TERM, N_AND, N_OR, N_WITH };

typedef struct node {
    int op;
    int a, b;         /* children (AND, OR), term and exception (WITH) */
    size_t at, n;     /* N_TERM: the name's span */
    size_t abbr, abn; /* N_TERM: a "(ABBR)" after the name, or abn 0 */
} node;

typedef struct parser {
    const char *s;
    const tok *toks;
    size_t pos, nt;
    size_t nn, terms;
    int depth;
    dd_error *why;
    int rc;
    node nodes[DD_LICENSE_MAX_TERMS * 2]; /* last: parse() clears the rest */
} parser;

static int fail(parser *p, const char *what)
{
    if (!p->rc) {
        p->rc = dd__error_set(p->why, DD_EINVALID, "offset %zu: %s",
                              p->toks[p->pos].at, what);
    }
    return -1;
}

static int new_node(parser *p, int op, int a, int b)
{
    if (p->nn == sizeof p->nodes / sizeof *p->nodes) {
        return fail(p, "too many licenses");
    }
    node *x = &p->nodes[p->nn];
    memset(x, 0, sizeof *x);
    x->op = op;
    x->a = a;
    x->b = b;
    return (int)p->nn++;
}

/* a run of words */
static int term(parser *p)
{
    const tok *t = &p->toks[p->pos];
    if (t->t != T_WORD) {
        return fail(p, t->t == T_END ? "license name expected at the end"
                                     : "license name expected");
    }
    if (++p->terms > DD_LICENSE_MAX_TERMS) {
        return fail(p, "too many licenses");
    }
    size_t at = t->at, end = t->at + t->n;
    while (p->toks[p->pos].t == T_WORD) {
        end = p->toks[p->pos].at + p->toks[p->pos].n;
        p->pos++;
    }
    int k = new_node(p, N_TERM, -1, -1);
    if (k < 0) {
        return k;
    }
    p->nodes[k].at = at;
    p->nodes[k].n = end - at;
    /* "(ABBR)": words only, then ')' */
    size_t q = p->pos;
    if (p->toks[q].t == T_LP && p->toks[q + 1].t == T_WORD) {
        size_t r = q + 1;
        while (p->toks[r].t == T_WORD) {
            r++;
        }
        if (p->toks[r].t == T_RP) {
            p->nodes[k].abbr = p->toks[q + 1].at;
            p->nodes[k].abn =
                p->toks[r - 1].at + p->toks[r - 1].n - p->toks[q + 1].at;
            p->pos = r + 1;
        }
    }
    return k;
}

static int or_expr(parser *p);

static int primary(parser *p)
{
    if (p->toks[p->pos].t == T_LP) {
        if (++p->depth > DD_LICENSE_MAX_DEPTH) {
            return fail(p, "parentheses nested too deep");
        }
        p->pos++;
        int k = or_expr(p);
        if (k < 0) {
            return k;
        }
        if (p->toks[p->pos].t != T_RP) {
            return fail(p, "')' expected");
        }
        p->pos++;
        p->depth--;
        return k;
    }
    return term(p);
}

static int with_expr(parser *p)
{
    int a = primary(p);
    if (a < 0 || p->toks[p->pos].t != T_WITH) {
        return a;
    }
    p->pos++;
    int e = term(p);
    return e < 0 ? e : new_node(p, N_WITH, a, e);
}

static int and_expr(parser *p)
{
    int a = with_expr(p);
    while (a >= 0 && p->toks[p->pos].t == T_AND) {
        p->pos++;
        int b = with_expr(p);
        a = b < 0 ? b : new_node(p, N_AND, a, b);
    }
    return a;
}

static int or_expr(parser *p)
{
    int a = and_expr(p);
    while (a >= 0 && p->toks[p->pos].t == T_OR) {
        p->pos++;
        int b = and_expr(p);
        a = b < 0 ? b : new_node(p, N_OR, a, b);
    }
    return a;
}

static int parse(parser *p, const char *s, size_t len, tok *toks)
{
    dd_error *why = p->why;
    memset(p, 0, offsetof(parser, nodes));
    p->s = s;
    p->toks = toks;
    p->why = why;
    if (lex(s, len, toks, &p->nt, why)) {
        return -1;
    }
    int root = or_expr(p);
    if (root >= 0 && toks[p->pos].t != T_END) {
        root = fail(p, toks[p->pos].t == T_RP ? "unbalanced ')'"
                                              : "operator expected");
    }
    return root;
}

/* ---- names ----------------------------------------------------------- */

typedef struct name {
    const char *id; /* static, or `buf` */
    char buf[96];
    int compound; /* id is an expression ("A OR B") */
} name;

/* LicenseRef-<s>: letters, digits, '.', '-' ('+' becomes "-plus"), runs
 * of anything else one '-', at most 64 characters after the prefix */
static void make_ref(name *m, const char *s, size_t n)
{
    static const char pre[] = "LicenseRef-";
    size_t o = sizeof pre - 1, lim = o + 64;
    memcpy(m->buf, pre, o);
    int dash = 1;
    for (size_t i = 0; i < n && o < lim; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '.') {
            m->buf[o++] = (char)c;
            dash = 0;
        } else if (c == '+' && o + 5 <= lim) {
            if (!dash) {
                m->buf[o++] = '-';
            }
            memcpy(m->buf + o, "plus", 4);
            o += 4;
            dash = 0;
        } else if (!dash) {
            m->buf[o++] = '-';
            dash = 1;
        }
    }
    /* no trailing '-' or '.': a name's trailing dot is dropped when it
     * is read again, and the result must be stable */
    while (o > sizeof pre - 1 &&
           (m->buf[o - 1] == '-' || m->buf[o - 1] == '.')) {
        o--;
    }
    if (o == sizeof pre - 1) {
        memcpy(m->buf + o, "unknown", 7);
        o += 7;
    }
    m->buf[o] = '\0';
    m->id = m->buf;
    m->compound = 0;
}

static int set_id(name *m, const char *id)
{
    if (!id) {
        return 0;
    }
    m->id = id;
    m->compound = strchr(id, ' ') != NULL;
    return 1;
}

/* `id` with "or later": GPL-2.0-only -> GPL-2.0-or-later, MPL-1.1 ->
 * MPL-1.1+; 0 when that makes no sense (an expression, a LicenseRef) */
static int or_later(name *m, const char *id)
{
    size_t n = strlen(id);
    if (strchr(id, ' ') || !strncmp(id, "LicenseRef-", 11) ||
        n + 10 > sizeof m->buf) {
        return 0;
    }
    if (n > 9 && !strcmp(id + n - 9, "-or-later")) {
        return set_id(m, id);
    }
    if (n > 5 && !strcmp(id + n - 5, "-only")) {
        snprintf(m->buf, sizeof m->buf, "%.*s-or-later", (int)(n - 5), id);
    } else if (id[n - 1] == '+') {
        snprintf(m->buf, sizeof m->buf, "%s", id);
    } else {
        snprintf(m->buf, sizeof m->buf, "%s+", id);
    }
    m->id = m->buf;
    m->compound = 0;
    return 1;
}

/* GNU licenses by their words: family (GPL, LGPL, AGPL, GFDL), version,
 * "or later" / "+" / "only". Every word must be one of these. */
static int gnu(name *m, const char *k, size_t n)
{
    enum { NONE, GPL, LGPL, AGPL, GFDL } fam = NONE;
    int general = 0, lesser = 0, affero = 0, fdl = 0, later = 0;
    char ver[8] = "";
    size_t i = 0;
    while (i < n) {
        while (i < n &&
               (k[i] == ' ' || k[i] == '-' || k[i] == '_' || k[i] == '(' ||
                k[i] == ')' || k[i] == ',' || k[i] == '/')) {
            i++;
        }
        size_t j = i;
        while (j < n && !strchr(" -_(),/", k[j])) {
            j++;
        }
        if (j == i) {
            break;
        }
        char w[40];
        size_t wn = j - i < sizeof w - 1 ? j - i : sizeof w - 1;
        for (size_t q = 0; q < wn; q++) {
            w[q] = (char)lc((unsigned char)k[i + q]);
        }
        w[wn] = '\0';
        i = j;
        while (wn && w[wn - 1] == '+') {
            later = 1;
            w[--wn] = '\0';
        }
        while (wn && w[wn - 1] == '.') {
            w[--wn] = '\0';
        }
        const char *v = NULL;
        if (!wn) {
            continue;
        } else if (!strcmp(w, "gnu") || !strcmp(w, "license") ||
                   !strcmp(w, "licence") || !strcmp(w, "the") ||
                   !strcmp(w, "version") || !strcmp(w, "v") ||
                   !strcmp(w, "or") || !strcmp(w, "any") || !strcmp(w, "at") ||
                   !strcmp(w, "your") || !strcmp(w, "option") ||
                   !strcmp(w, "public")) {
            continue;
        } else if (!strcmp(w, "general")) {
            general = 1;
        } else if (!strcmp(w, "lesser") || !strcmp(w, "library")) {
            lesser = 1;
        } else if (!strcmp(w, "affero")) {
            affero = 1;
        } else if (!strcmp(w, "free") || !strcmp(w, "documentation")) {
            fdl = 1;
        } else if (!strcmp(w, "later") || !strcmp(w, "newer") ||
                   !strcmp(w, "greater")) {
            later = 1;
        } else if (!strcmp(w, "only")) {
            later = 0;
        } else if (!strncmp(w, "agpl", 4)) {
            fam = AGPL;
            v = w + 4;
        } else if (!strncmp(w, "lgpl", 4)) {
            fam = LGPL;
            v = w + 4;
        } else if (!strncmp(w, "gfdl", 4)) {
            fam = GFDL;
            v = w + 4;
        } else if (!strncmp(w, "fdl", 3)) {
            fam = GFDL;
            v = w + 3;
        } else if (!strncmp(w, "gpl", 3)) {
            if (fam == NONE) {
                fam = GPL;
            }
            v = w + 3;
        } else if ((w[0] == 'v' && isdigit((unsigned char)w[1])) ||
                   isdigit((unsigned char)w[0])) {
            v = w;
        } else {
            return 0;
        }
        if (v && *v) {
            if (*v == 'v') {
                v++;
            }
            size_t q = 0;
            while (v[q] && (isdigit((unsigned char)v[q]) || v[q] == '.')) {
                q++;
            }
            if (v[q] || !q || q >= sizeof ver || ver[0]) {
                return 0;
            }
            memcpy(ver, v, q);
            ver[q] = '\0';
        }
    }
    if (fam == NONE && general) {
        fam = affero ? AGPL : lesser ? LGPL : GPL;
    } else if (fam == NONE && fdl) {
        fam = GFDL;
    }
    if (fam == NONE) {
        return 0;
    }
    if (fam == GPL && lesser) {
        fam = LGPL;
    } else if (fam == GPL && affero) {
        fam = AGPL;
    }
    const char *fn[] = {"", "GPL", "LGPL", "AGPL", "GFDL"};
    const char *norm = NULL;
    if (!ver[0]) {
        static const char *const bare[] = {"", "1.0", "2.0", "3.0", "1.1"};
        norm = bare[fam];
        later = 1;
    } else if (!strcmp(ver, "1") || !strcmp(ver, "1.0")) {
        norm = fam == GPL || fam == AGPL ? "1.0" : NULL;
    } else if (!strcmp(ver, "2") || !strcmp(ver, "2.0")) {
        norm = fam == GPL || fam == LGPL ? "2.0" : NULL;
    } else if (!strcmp(ver, "2.1")) {
        norm = fam == LGPL ? "2.1" : NULL;
    } else if (!strcmp(ver, "3") || !strcmp(ver, "3.0")) {
        norm = fam != GFDL ? "3.0" : NULL;
    } else if (!strcmp(ver, "1.1") || !strcmp(ver, "1.2") ||
               !strcmp(ver, "1.3")) {
        norm = fam == GFDL ? ver : NULL;
    }
    if (!norm) {
        return 0;
    }
    snprintf(m->buf, sizeof m->buf, "%s-%s-%s", fn[fam], norm,
             later ? "or-later" : "only");
    m->id = m->buf;
    m->compound = 0;
    return 1;
}

static int lookup_key(name *m, const char *k, size_t n)
{
    if (set_id(m, dd__license_spdx_id(k, n)) ||
        set_id(m, dd__license_alias(k, n)) || gnu(m, k, n)) {
        return 1;
    }
    if (n > 1 && k[n - 1] == '+') {
        name base;
        if (lookup_key(&base, k, n - 1) && or_later(m, base.id)) {
            return 1;
        }
    }
    static const char *const tails[] = {" license", " licence", "-license"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t tn = strlen(tails[i]);
        if (n > tn && word_is(k + n - tn, tn, tails[i])) {
            return lookup_key(m, k, n - tn);
        }
    }
    if (n > 4 && word_is(k, 4, "the ")) {
        return lookup_key(m, k + 4, n - 4);
    }
    return 0;
}

/* The name at s[0..n): a key with single blanks and no trailing dot. */
static void map_name(name *m, const char *s, size_t n)
{
    char k[256];
    size_t kn = 0;
    const char *cls = NULL;
    /* PyPI classifiers: the last "::" part */
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == ':' && s[i + 1] == ':') {
            cls = s + i + 2;
        }
    }
    if (cls) {
        n -= (size_t)(cls - s);
        s = cls;
    }
    for (size_t i = 0; i < n && kn < sizeof k - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            if (kn && k[kn - 1] != ' ') {
                k[kn++] = ' ';
            }
        } else {
            k[kn++] = (char)c;
        }
    }
    while (kn && (k[kn - 1] == ' ' || k[kn - 1] == '.' || k[kn - 1] == ':' ||
                  k[kn - 1] == '"' || k[kn - 1] == '\'')) {
        kn--;
    }
    size_t st = 0;
    while (st < kn && (k[st] == '"' || k[st] == '\'')) {
        st++;
    }
    if (kn - st > 11 && word_is(k + st, 11, "licenseref-")) {
        make_ref(m, k + st + 11, kn - st - 11);
        return;
    }
    if (n < sizeof k && lookup_key(m, k + st, kn - st)) {
        return;
    }
    make_ref(m, k + st, kn - st);
}

static void map_term(const parser *p, const node *x, name *m)
{
    map_name(m, p->s + x->at, x->n);
    if (!strncmp(m->id, "LicenseRef-", 11) && x->abn) {
        name a;
        map_name(&a, p->s + x->abbr, x->abn);
        if (strncmp(a.id, "LicenseRef-", 11)) {
            *m = a;
            if (m->id == a.buf) {
                m->id = m->buf;
            }
        }
    }
}

/* the exception id for `e` after license `base`, or NULL */
static const char *map_exception(const char *s, size_t n, const char *base)
{
    char k[96];
    size_t kn = 0;
    for (size_t i = 0; i < n && kn < sizeof k - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        k[kn++] = isspace(c) ? ' ' : (char)c;
    }
    while (kn && (k[kn - 1] == '.' || k[kn - 1] == ' ')) {
        kn--;
    }
    const char *e = dd__license_exception(k, kn);
    if (e) {
        return e;
    }
    if (word_is(k, kn, "autoconf exception") ||
        word_is(k, kn, "autoconf-exception") || word_is(k, kn, "autoconf")) {
        return !strncmp(base, "GPL-3", 5) ? "Autoconf-exception-3.0"
                                          : "Autoconf-exception-2.0";
    }
    return NULL;
}

/* ---- printing -------------------------------------------------------- */

static int render_chain(const parser *p, int k, int parent, dd__buf *b);

static int render(const parser *p, int k, int parent, dd__buf *b)
{
    const node *x = &p->nodes[k];
    if (x->op == N_TERM) {
        name m;
        map_term(p, x, &m);
        int paren = m.compound && parent != N_TERM;
        return dd__buf_printf(b, "%s%s%s", paren ? "(" : "", m.id,
                              paren ? ")" : "");
    }
    if (x->op == N_WITH) {
        name m;
        const node *t = &p->nodes[x->a];
        if (t->op != N_TERM) {
            /* "(A OR B) WITH E": not SPDX; keep the operands */
            return render(p, x->a, parent, b);
        }
        map_term(p, t, &m);
        const node *e = &p->nodes[x->b];
        const char *ex = map_exception(p->s + e->at, e->n, m.id);
        if (ex && !m.compound && strncmp(m.id, "LicenseRef-", 11)) {
            return dd__buf_printf(b, "%s WITH %s", m.id, ex);
        }
        /* an exception SPDX does not list: one LicenseRef for both */
        char tmp[200];
        int w = snprintf(tmp, sizeof tmp, "%s with %.*s",
                         !strncmp(m.id, "LicenseRef-", 11) ? m.id + 11 : m.id,
                         (int)(e->n > 80 ? 80 : e->n), p->s + e->at);
        name r;
        make_ref(&r, tmp,
                 w < 0                     ? 0
                 : (size_t)w >= sizeof tmp ? sizeof tmp - 1
                                           : (size_t)w);
        return dd__buf_addstr(b, r.id);
    }
    return render_chain(p, k, parent, b);
}

/* the operands of the chain of x->op rooted at k, in order */
static void flatten(const parser *p, int k, int op, int *out, size_t *n)
{
    const node *x = &p->nodes[k];
    if (x->op == op) {
        flatten(p, x->a, op, out, n);
        flatten(p, x->b, op, out, n);
    } else if (*n < DD_LICENSE_MAX_TERMS * 2) {
        out[(*n)++] = k;
    }
}

/* "A AND B AND A" once each: "A AND B" (the same for OR; SPDX says
 * nothing against repeats, but DEP-5 files name the same license in
 * many paragraphs) */
static int render_chain(const parser *p, int k, int parent, dd__buf *b)
{
    int op = p->nodes[k].op;
    /* on the heap: chains nest DD_LICENSE_MAX_DEPTH deep */
    struct {
        int idx[DD_LICENSE_MAX_TERMS * 2];
        size_t offs[DD_LICENSE_MAX_TERMS * 2], lens[DD_LICENSE_MAX_TERMS * 2];
    } *w = dd__malloc(sizeof *w);
    if (!w) {
        return DD_ENOMEM;
    }
    int *idx = w->idx;
    size_t *offs = w->offs, *lens = w->lens;
    size_t n = 0;
    flatten(p, k, op, idx, &n);
    dd__buf parts[2]; /* the text so far, and one operand */
    dd__buf_init(&parts[0], 64u << 10);
    dd__buf_init(&parts[1], 64u << 10);
    size_t kept = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        dd__buf_reset(&parts[1]);
        rc = render(p, idx[i], op, &parts[1]);
        if (rc || !parts[1].ptr) {
            rc = rc ? rc : DD_ENOMEM;
            break;
        }
        const char *sep = op == N_AND ? " AND " : " OR ";
        size_t ol = parts[1].len;
        int dup = 0;
        for (size_t j = 0; j < kept && !dup; j++) {
            dup = lens[j] == ol &&
                  !memcmp(parts[0].ptr + offs[j], parts[1].ptr, ol);
        }
        if (dup) {
            continue;
        }
        rc = kept ? dd__buf_addstr(&parts[0], sep) : 0;
        offs[kept] = parts[0].len;
        lens[kept] = ol;
        rc = rc ? rc : dd__buf_add(&parts[0], parts[1].ptr, ol);
        kept++;
    }
    int paren = op == N_OR && parent == N_AND && kept > 1;
    if (!rc) {
        rc = paren ? dd__buf_addstr(b, "(") : 0;
        rc = rc ? rc : dd__buf_add(b, parts[0].ptr, parts[0].len);
        rc = rc ? rc : paren ? dd__buf_addstr(b, ")") : 0;
    }
    dd__buf_free(&parts[0]);
    dd__buf_free(&parts[1]);
    dd__free(w);
    return rc;
}

static int has_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_blank((unsigned char)s[i]) || s[i] == '(' || s[i] == ')') {
            return 1;
        }
    }
    return 0;
}

static int empty_text(const char *s, size_t n)
{
    while (n && is_blank((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && is_blank((unsigned char)s[n - 1])) {
        n--;
    }
    return !n || word_is(s, n, "none") || word_is(s, n, "unknown") ||
           word_is(s, n, "noassertion") || word_is(s, n, "unlicensed") ||
           word_is(s, n, "see license") || word_is(s, n, "see license file") ||
           word_is(s, n, "license.txt") || word_is(s, n, "undefined");
}

int dd_license_normalize(const char *text,
                         size_t len,
                         char **out,
                         dd_error *why)
{
    dd__error_clear(why);
    *out = NULL;
    if (!text || empty_text(text, len)) {
        return DD_ENOTFOUND;
    }
    int rc = 0;
    dd__buf b;
    dd__buf_init(&b, 64u << 10);
    if (len > DD_LICENSE_MAX_TEXT) {
        rc = dd__error_set(why, DD_EINVALID, "offset %d: longer than %d bytes",
                           DD_LICENSE_MAX_TEXT, DD_LICENSE_MAX_TEXT);
    } else {
        /* the whole text as one name first: "Apache License, Version
         * 2.0", "Historical Permission Notice and Disclaimer" */
        name m;
        size_t n = len;
        int ctl = 0;
        for (size_t i = 0; i < len; i++) {
            ctl |= (unsigned char)text[i] < 0x20 &&
                   !isspace((unsigned char)text[i]);
        }
        if (!ctl && n < 256) {
            map_name(&m, text, n);
            if (strncmp(m.id, "LicenseRef-", 11) ||
                (n > 11 && word_is(text, 11, "licenseref-") &&
                 !has_blank(text, n))) {
                int r2 = dd__buf_addstr(&b, m.id);
                if (r2) {
                    dd__buf_free(&b);
                    return DD_ENOMEM;
                }
                *out = dd__buf_detach(&b);
                return *out ? 0 : DD_ENOMEM;
            }
        }
        parser *p = dd__malloc(sizeof *p);
        tok *toks = dd__malloc(sizeof(tok) * (MAX_TOKS + 1));
        if (!p || !toks) {
            dd__free(p);
            dd__free(toks);
            return DD_ENOMEM;
        }
        p->why = why;
        int root = parse(p, text, len, toks);
        if (root >= 0) {
            int r2 = render(p, root, N_TERM, &b);
            if (r2 == DD_ENOMEM) {
                rc = DD_ENOMEM;
            } else if (r2) {
                rc = dd__error_set(why, DD_EINVALID, "offset 0: too long");
            }
        } else {
            rc = p->rc ? p->rc : DD_EINVALID;
        }
        dd__free(p);
        dd__free(toks);
    }
    if (rc == DD_EINVALID) {
        name r;
        make_ref(&r, text, len > 256 ? 256 : len);
        dd__buf_reset(&b);
        if (dd__buf_addstr(&b, r.id)) {
            rc = DD_ENOMEM;
        }
    }
    if (rc == DD_ENOMEM) {
        dd__buf_free(&b);
        return rc;
    }
    *out = dd__buf_detach(&b);
    return *out ? rc : DD_ENOMEM;
}

/* ---- categories ------------------------------------------------------ */

static const char *const CAT_NAMES[DD_LICENSE_CATEGORY_COUNT] = {
    "unknown",    "unencumbered", "permissive", "notice",
    "reciprocal", "restricted",   "forbidden"};

const char *dd_license_category_name(dd_license_category c)
{
    return (unsigned)c < DD_LICENSE_CATEGORY_COUNT ? CAT_NAMES[c] : "unknown";
}

int dd_license_category_parse(const char *s)
{
    for (int i = 0; s && i < DD_LICENSE_CATEGORY_COUNT; i++) {
        if (word_is(s, strlen(s), CAT_NAMES[i])) {
            return i;
        }
    }
    return -1;
}

/* how restrictive: OR takes the least, AND the most */
static int rank(dd_license_category c)
{
    static const int r[DD_LICENSE_CATEGORY_COUNT] = {3, 0, 1, 2, 4, 5, 6};
    return r[c];
}

/* The built-in table (docs/licenses.md): an id or a prefix with '*'. */
static const struct {
    const char *pat;
    dd_license_category c;
} BUILTIN[] = {
    {"AGPL-*", DD_LICENSE_FORBIDDEN},
    {"SSPL-*", DD_LICENSE_FORBIDDEN},
    {"CC-BY-NC-*", DD_LICENSE_FORBIDDEN},
    {"LicenseRef-Commons-Clause", DD_LICENSE_FORBIDDEN},
    {"Commons-Clause", DD_LICENSE_FORBIDDEN},
    {"BUSL-1.1", DD_LICENSE_FORBIDDEN},
    {"Elastic-2.0", DD_LICENSE_FORBIDDEN},
    {"WTFPL", DD_LICENSE_FORBIDDEN},
    {"Facebook-*", DD_LICENSE_FORBIDDEN},
    {"GPL-*", DD_LICENSE_RESTRICTED},
    {"LGPL-*", DD_LICENSE_RESTRICTED},
    {"GFDL-*", DD_LICENSE_RESTRICTED},
    {"CC-BY-SA-*", DD_LICENSE_RESTRICTED},
    {"CC-BY-ND-*", DD_LICENSE_RESTRICTED},
    {"NPL-*", DD_LICENSE_RESTRICTED},
    {"OSL-*", DD_LICENSE_RESTRICTED},
    {"QPL-1.0", DD_LICENSE_RESTRICTED},
    {"Sleepycat", DD_LICENSE_RESTRICTED},
    {"CECILL-*", DD_LICENSE_RESTRICTED},
    {"RPL-*", DD_LICENSE_RESTRICTED},
    {"BCL", DD_LICENSE_RESTRICTED},
    {"MPL-*", DD_LICENSE_RECIPROCAL},
    {"MPL-2.0-no-copyleft-exception", DD_LICENSE_RECIPROCAL},
    {"EPL-*", DD_LICENSE_RECIPROCAL},
    {"CDDL-*", DD_LICENSE_RECIPROCAL},
    {"CPL-1.0", DD_LICENSE_RECIPROCAL},
    {"IPL-1.0", DD_LICENSE_RECIPROCAL},
    {"APSL-*", DD_LICENSE_RECIPROCAL},
    {"EUPL-*", DD_LICENSE_RECIPROCAL},
    {"MS-RL", DD_LICENSE_RECIPROCAL},
    {"CPAL-1.0", DD_LICENSE_RECIPROCAL},
    {"ODbL-1.0", DD_LICENSE_RECIPROCAL},
    {"Ruby", DD_LICENSE_RECIPROCAL},
    {"LPL-1.02", DD_LICENSE_RECIPROCAL},
    {"IPA", DD_LICENSE_RECIPROCAL},
    {"RPSL-1.0", DD_LICENSE_RECIPROCAL},
    {"MIT", DD_LICENSE_NOTICE},
    {"MIT-*", DD_LICENSE_NOTICE},
    {"MIT-0", DD_LICENSE_PERMISSIVE},
    {"BSD-*", DD_LICENSE_NOTICE},
    {"Apache-*", DD_LICENSE_NOTICE},
    {"AFL-*", DD_LICENSE_NOTICE},
    {"Artistic-*", DD_LICENSE_NOTICE},
    {"BSL-1.0", DD_LICENSE_NOTICE},
    {"CC-BY-1.0", DD_LICENSE_NOTICE},
    {"CC-BY-2.0", DD_LICENSE_NOTICE},
    {"CC-BY-2.5", DD_LICENSE_NOTICE},
    {"CC-BY-3.0", DD_LICENSE_NOTICE},
    {"CC-BY-4.0", DD_LICENSE_NOTICE},
    {"ISC", DD_LICENSE_NOTICE},
    {"NCSA", DD_LICENSE_NOTICE},
    {"OpenSSL", DD_LICENSE_NOTICE},
    {"PHP-*", DD_LICENSE_NOTICE},
    {"PostgreSQL", DD_LICENSE_NOTICE},
    {"PSF-2.0", DD_LICENSE_NOTICE},
    {"Python-*", DD_LICENSE_NOTICE},
    {"Unicode-*", DD_LICENSE_NOTICE},
    {"W3C*", DD_LICENSE_NOTICE},
    {"X11*", DD_LICENSE_NOTICE},
    {"Zlib", DD_LICENSE_NOTICE},
    {"zlib-acknowledgement", DD_LICENSE_NOTICE},
    {"ZPL-*", DD_LICENSE_NOTICE},
    {"curl", DD_LICENSE_NOTICE},
    {"Libpng", DD_LICENSE_NOTICE},
    {"libpng-2.0", DD_LICENSE_NOTICE},
    {"libtiff", DD_LICENSE_NOTICE},
    {"HPND*", DD_LICENSE_NOTICE},
    {"FTL", DD_LICENSE_NOTICE},
    {"IJG", DD_LICENSE_NOTICE},
    {"Info-ZIP", DD_LICENSE_NOTICE},
    {"bzip2-1.0.6", DD_LICENSE_NOTICE},
    {"NTP", DD_LICENSE_NOTICE},
    {"TCL", DD_LICENSE_NOTICE},
    {"UPL-1.0", DD_LICENSE_NOTICE},
    {"BlueOak-1.0.0", DD_LICENSE_NOTICE},
    {"JSON", DD_LICENSE_NOTICE},
    {"Vim", DD_LICENSE_NOTICE},
    {"MirOS", DD_LICENSE_NOTICE},
    {"Sendmail", DD_LICENSE_NOTICE},
    {"SMLNJ", DD_LICENSE_NOTICE},
    {"SSH-*", DD_LICENSE_NOTICE},
    {"FSFUL*", DD_LICENSE_NOTICE},
    {"FSFAP", DD_LICENSE_NOTICE},
    {"ECL-2.0", DD_LICENSE_NOTICE},
    {"EFL-2.0", DD_LICENSE_NOTICE},
    {"MS-PL", DD_LICENSE_NOTICE},
    {"OLDAP-*", DD_LICENSE_NOTICE},
    {"Net-SNMP", DD_LICENSE_NOTICE},
    {"XFree86-1.1", DD_LICENSE_NOTICE},
    {"Xnet", DD_LICENSE_NOTICE},
    {"OFL-*", DD_LICENSE_NOTICE},
    {"UCL-1.0", DD_LICENSE_NOTICE},
    {"SGI-B-2.0", DD_LICENSE_NOTICE},
    {"LGPLLR", DD_LICENSE_NOTICE},
    {"CC0-1.0", DD_LICENSE_UNENCUMBERED},
    {"Unlicense", DD_LICENSE_UNENCUMBERED},
    {"0BSD", DD_LICENSE_UNENCUMBERED},
    {"CC-PDDC", DD_LICENSE_UNENCUMBERED},
    {"LicenseRef-public-domain", DD_LICENSE_UNENCUMBERED},
};

typedef struct rule {
    char *pat;
    dd_license_category c;
} rule;

struct dd_license_policy {
    dd__vec rules; /* rule, later ones win */
};

static int ci_eq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i])) {
            return 0;
        }
    }
    return 1;
}

/* length of the match of `pat` on `id` (exact: strlen + 1), 0 none */
static size_t match(const char *pat, const char *id)
{
    size_t n = strlen(pat), m = strlen(id);
    if (n && pat[n - 1] == '*') {
        return m >= n - 1 && ci_eq(id, pat, n - 1) ? n : 0;
    }
    return m == n && ci_eq(id, pat, n) ? n + 1 : 0;
}

static dd_license_category category_of(const dd_license_policy *p,
                                       const char *id)
{
    char base[128];
    size_t n = strlen(id);
    if (n && id[n - 1] == '+' && n < sizeof base) { /* "MPL-1.1+" */
        memcpy(base, id, n - 1);
        base[n - 1] = '\0';
        id = base;
    }
    for (size_t i = p ? p->rules.len : 0; i-- > 0;) {
        const rule *r = DD_VEC_AT(&p->rules, rule, i);
        if (match(r->pat, id)) {
            return r->c;
        }
    }
    size_t best = 0;
    dd_license_category c = DD_LICENSE_UNKNOWN;
    for (size_t i = 0; i < sizeof BUILTIN / sizeof *BUILTIN; i++) {
        size_t l = match(BUILTIN[i].pat, id);
        if (l > best) {
            best = l;
            c = BUILTIN[i].c;
        }
    }
    return c;
}

static dd_license_category
pick(dd_license_category a, dd_license_category b, int most)
{
    int ra = rank(a), rb = rank(b);
    return (most ? ra >= rb : ra <= rb) ? a : b;
}

static dd_license_category classify_text(const dd_license_policy *pol,
                                         const char *s,
                                         size_t len,
                                         int depth);

static dd_license_category
classify_name(const dd_license_policy *pol, const name *m, int depth)
{
    if (m->compound && depth < 2) {
        return classify_text(pol, m->id, strlen(m->id), depth + 1);
    }
    return category_of(pol, m->id);
}

static dd_license_category
classify_node(const dd_license_policy *pol, const parser *p, int k, int depth)
{
    const node *x = &p->nodes[k];
    name m;
    switch (x->op) {
    case N_TERM:
        map_term(p, x, &m);
        return classify_name(pol, &m, depth);
    case N_WITH:
        return classify_node(pol, p, x->a, depth);
    default:
        return pick(classify_node(pol, p, x->a, depth),
                    classify_node(pol, p, x->b, depth), x->op == N_AND);
    }
}

static dd_license_category classify_text(const dd_license_policy *pol,
                                         const char *s,
                                         size_t len,
                                         int depth)
{
    if (len > DD_LICENSE_MAX_TEXT || empty_text(s, len)) {
        return DD_LICENSE_UNKNOWN;
    }
    name m;
    if (len < 256) {
        map_name(&m, s, len);
        if (strncmp(m.id, "LicenseRef-", 11) ||
            (len > 11 && word_is(s, 11, "licenseref-") && !has_blank(s, len))) {
            return classify_name(pol, &m, depth);
        }
    }
    parser *p = dd__malloc(sizeof *p);
    tok *toks = dd__malloc(sizeof(tok) * (MAX_TOKS + 1));
    dd_license_category c = DD_LICENSE_UNKNOWN;
    if (p && toks) {
        p->why = NULL;
        int root = parse(p, s, len, toks);
        if (root >= 0) {
            c = classify_node(pol, p, root, depth);
        }
    }
    dd__free(p);
    dd__free(toks);
    return c;
}

dd_license_category dd_license_classify(const dd_license_policy *p,
                                        const char *text)
{
    return text ? classify_text(p, text, strlen(text), 0) : DD_LICENSE_UNKNOWN;
}

/* ---- policy ---------------------------------------------------------- */

int dd_license_policy_new(dd_license_policy **out, dd_error *err)
{
    *out = dd__calloc(1, sizeof **out);
    if (!*out) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__vec_init(&(*out)->rules, sizeof(rule));
    return 0;
}

void dd_license_policy_free(dd_license_policy *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; i < p->rules.len; i++) {
        dd__free(DD_VEC_AT(&p->rules, rule, i)->pat);
    }
    dd__vec_free(&p->rules);
    dd__free(p);
}

int dd_license_policy_set(dd_license_policy *p,
                          const char *pattern,
                          dd_license_category c,
                          dd_error *err)
{
    size_t n = pattern ? strlen(pattern) : 0;
    if (!p || !n || n > 100 || (unsigned)c >= DD_LICENSE_CATEGORY_COUNT) {
        return dd__error_set(err, DD_EINVALID,
                             "license pattern must be 1 to 100 characters");
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)pattern[i];
        if (!(isalnum(ch) || ch == '.' || ch == '-' || ch == '+' ||
              (ch == '*' && i == n - 1))) {
            return dd__error_set(err, DD_EINVALID,
                                 "license pattern '%.100s': only letters, "
                                 "digits, '.', '-', '+' and a final '*'",
                                 pattern);
        }
    }
    rule *r = dd__vec_push(&p->rules);
    if (!r || !(r->pat = dd__strdup(pattern))) {
        if (r) {
            p->rules.len--;
        }
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    r->c = c;
    return 0;
}

int dd_license_policy_set_list(dd_license_policy *p,
                               const char *list,
                               dd_license_category c,
                               dd_error *err)
{
    for (const char *q = list ? list : ""; *q;) {
        size_t k = strcspn(q, ", \t\n");
        if (k) {
            char pat[128];
            if (k >= sizeof pat) {
                return dd__error_set(err, DD_EINVALID,
                                     "license pattern '%.40s...' is over 100 "
                                     "characters",
                                     q);
            }
            memcpy(pat, q, k);
            pat[k] = '\0';
            int rc = dd_license_policy_set(p, pat, c, err);
            if (rc) {
                return rc;
            }
        }
        q += k + (q[k] != '\0');
    }
    return 0;
}

int dd_license_policy_load(dd_license_policy *p,
                           const char *path,
                           dd_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = dd__file_read(path, 1u << 20, &text, &len);
    if (rc) {
        return dd__error_set(err, rc, "license config %s: %s", path,
                             dd_strerror(rc));
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    dd__free(text);
    if (!root || !json_is_object(root)) {
        rc = dd__error_set(err, DD_EINVALID, "license config %s: line %d: %s",
                           path, root ? 1 : je.line,
                           root ? "not a JSON object" : je.text);
        json_decref(root);
        return rc;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        int c = dd_license_category_parse(key);
        if (c < 0 || !json_is_array(v)) {
            rc = dd__error_set(err, DD_EINVALID,
                               "license config %s: \"%.64s\": %s", path, key,
                               c < 0 ? "not a category (forbidden, "
                                       "restricted, reciprocal, notice, "
                                       "permissive, unencumbered, unknown)"
                                     : "not a list of licenses");
            break;
        }
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e)) {
                rc = dd__error_set(err, DD_EINVALID,
                                   "license config %s: \"%.64s\"[%zu]: not a "
                                   "string",
                                   path, key, i);
                break;
            }
            dd_error e2;
            if (dd_license_policy_set(p, json_string_value(e),
                                      (dd_license_category)c, &e2)) {
                rc = dd__error_set(err, e2.code, "license config %s: %s", path,
                                   e2.message);
                break;
            }
        }
        if (rc) {
            break;
        }
    }
    json_decref(root);
    return rc;
}
