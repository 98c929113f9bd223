/*
 * lib/lang/ruby.c - installed Ruby gems: the gem specifications RubyGems
 * writes into specifications/NAME-VERSION.gemspec (and
 * specifications/default/ for default gems; Debian's
 * rubygems-integration trees hold the same files). A specification is
 * Ruby source; it is never evaluated. A small lexer (comments, =begin
 * blocks, strings with escapes and #{} interpolation, %q/%Q/%w
 * literals, heredocs, regexp literals) turns it into tokens, and the
 * literal assignments of the specification block are read from them:
 *
 *   Gem::Specification.new do |s|
 *     s.name = "rack".freeze
 *     s.version = "2.2.3"
 *     s.licenses = ["MIT".freeze]
 *
 * Anything that is not a literal (a constant, a method call, an
 * interpolated string) is not used; the "# stub: NAME VERSION ..." line
 * and the file name are the fallbacks for the name and the version.
 */
#include <stdio.h>
#include <string.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define NEST_MAX 16 /* interpolation / bracket nesting we follow */

enum tk { T_EOF, T_ID, T_STR, T_WORDS, T_NUM, T_NL, T_P, T_P2 };

typedef struct tok {
    int k;
    const char *s; /* T_STR/T_WORDS: the body between the delimiters */
    size_t n;
    char q;  /* T_STR: '"' (escapes), '\'' (single), 'q' (%q), 'h' heredoc;
                T_P: the character; T_P2: first of a two-char operator */
    int dyn; /* T_STR: interpolated */
    char c2; /* T_P2: second character */
} tok;

typedef struct lexer {
    const char *p, *end;
    dd__vec toks;
    const char *here[8]; /* pending heredoc terminators */
    size_t hn[8];
    int nhere;
    int prev_value; /* the previous token ends a value (for '/') */
} lexer;

static int idc(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int push(lexer *L, int k, const char *s, size_t n, char q, int dyn)
{
    tok *t = dd__vec_push(&L->toks);
    if (!t) {
        return DD_ENOMEM;
    }
    t->k = k;
    t->s = s;
    t->n = n;
    t->q = q;
    t->dyn = dyn;
    t->c2 = 0;
    L->prev_value =
        k == T_ID || k == T_STR || k == T_NUM || k == T_WORDS ||
        (k == T_P && n == 1 && (*s == ')' || *s == ']' || *s == '}'));
    return 0;
}

static char closer(char o)
{
    switch (o) {
    case '(':
        return ')';
    case '[':
        return ']';
    case '{':
        return '}';
    case '<':
        return '>';
    default:
        return o;
    }
}

/* skip a string body from p (after the opening delimiter) to its closing
 * delimiter `cl` (nesting `op` when it differs); `interp`: #{...} is code.
 * Returns the closing delimiter's position or NULL when unterminated. */
static const char *skip_body(const char *p,
                             const char *end,
                             char op,
                             char cl,
                             int interp,
                             int *dyn,
                             int depth)
{
    int nest = 0;
    while (p < end) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            p += 2;
            continue;
        }
        if (interp && c == '#' && p + 1 < end && p[1] == '{') {
            *dyn = 1;
            if (depth >= NEST_MAX) {
                return NULL;
            }
            /* code up to the matching '}', strings inside skipped */
            p += 2;
            int br = 0;
            while (p < end && !(*p == '}' && br == 0)) {
                if (*p == '{') {
                    br++;
                } else if (*p == '}') {
                    br--;
                } else if (*p == '"' || *p == '\'') {
                    int d2 = 0;
                    const char *e = skip_body(p + 1, end, *p, *p, *p == '"',
                                              &d2, depth + 1);
                    if (!e) {
                        return NULL;
                    }
                    p = e;
                }
                p++;
            }
            if (p >= end) {
                return NULL;
            }
            p++;
            continue;
        }
        if (op != cl && c == op) {
            nest++;
        } else if (c == cl) {
            if (nest == 0) {
                return p;
            }
            nest--;
        }
        p++;
    }
    return NULL;
}

/* at the start of a line after a newline: skip pending heredoc bodies */
static void skip_heredocs(lexer *L)
{
    for (int h = 0; h < L->nhere; h++) {
        while (L->p < L->end) {
            const char *e = memchr(L->p, '\n', (size_t)(L->end - L->p));
            const char *le = e ? e : L->end;
            const char *a = L->p, *b = le;
            while (a < b && (*a == ' ' || *a == '\t')) {
                a++;
            }
            while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) {
                b--;
            }
            L->p = e ? e + 1 : L->end;
            if ((size_t)(b - a) == L->hn[h] &&
                !memcmp(a, L->here[h], L->hn[h])) {
                break;
            }
        }
    }
    L->nhere = 0;
}

static int lex(lexer *L)
{
    int rc = 0;
    int bol = 1; /* at the beginning of a line */
    while (!rc && L->p < L->end) {
        const char *p = L->p;
        char c = *p;
        if (bol && L->end - p >= 6 && !memcmp(p, "=begin", 6) &&
            (L->end - p == 6 || !idc((unsigned char)p[6]))) {
            /* block comment up to a line starting with =end */
            const char *q = p;
            for (;;) {
                const char *e = memchr(q, '\n', (size_t)(L->end - q));
                if (!e) {
                    q = L->end;
                    break;
                }
                q = e + 1;
                if (L->end - q >= 4 && !memcmp(q, "=end", 4)) {
                    e = memchr(q, '\n', (size_t)(L->end - q));
                    q = e ? e + 1 : L->end;
                    break;
                }
            }
            L->p = q;
            continue;
        }
        bol = 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            L->p++;
            continue;
        }
        if (c == '\\' && p + 1 < L->end && p[1] == '\n') {
            L->p += 2;
            continue;
        }
        if (c == '\n') {
            rc = push(L, T_NL, p, 1, 0, 0);
            L->p++;
            bol = 1;
            if (L->nhere) {
                skip_heredocs(L);
            }
            continue;
        }
        if (c == '#') {
            const char *e = memchr(p, '\n', (size_t)(L->end - p));
            L->p = e ? e : L->end;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            int dyn = 0;
            const char *e = skip_body(p + 1, L->end, c, c, c != '\'', &dyn, 0);
            if (!e) {
                return 0; /* unterminated: the tokens so far */
            }
            rc = push(L, T_STR, p + 1, (size_t)(e - p - 1),
                      c == '\'' ? '\'' : '"', dyn || c == '`');
            L->p = e + 1;
            continue;
        }
        if (c == '%' && p + 1 < L->end) {
            char t = p[1];
            const char *d = p + 1;
            if (strchr("qQwWiI", t) && p + 2 < L->end) {
                d = p + 2;
            } else {
                t = 'Q';
            }
            unsigned char dc = (unsigned char)*d;
            if (d < L->end && !idc(dc) && dc != ' ' && dc != '\n' &&
                dc != '\t' && dc != '=' &&
                (d != p + 1 || strchr("([{<|!/^", dc))) {
                int dyn = 0;
                const char *e =
                    skip_body(d + 1, L->end, *d, closer(*d),
                              t == 'Q' || t == 'W' || t == 'I', &dyn, 0);
                if (!e) {
                    return 0;
                }
                if (t == 'w' || t == 'W' || t == 'i' || t == 'I') {
                    rc = push(L, T_WORDS, d + 1, (size_t)(e - d - 1), 0, dyn);
                } else {
                    rc = push(L, T_STR, d + 1, (size_t)(e - d - 1),
                              t == 'q' ? 'q' : '"', dyn);
                }
                L->p = e + 1;
                continue;
            }
        }
        if (c == '<' && L->end - p > 2 && p[1] == '<') {
            const char *q = p + 2;
            if (q < L->end && (*q == '~' || *q == '-')) {
                q++;
            }
            char quote = 0;
            if (q < L->end && (*q == '"' || *q == '\'' || *q == '`')) {
                quote = *q++;
            }
            const char *is = q;
            while (q < L->end && idc((unsigned char)*q)) {
                q++;
            }
            if (q > is && !(*is >= '0' && *is <= '9') &&
                (!quote || (q < L->end && *q == quote))) {
                if (L->nhere < 8) {
                    L->here[L->nhere] = is;
                    L->hn[L->nhere++] = (size_t)(q - is);
                }
                rc = push(L, T_STR, is, 0, 'h', 1);
                L->p = quote ? q + 1 : q;
                continue;
            }
        }
        if (c == '/' && !L->prev_value) {
            /* a regexp literal, to the closing '/' on the same line */
            const char *q = p + 1;
            while (q < L->end && *q != '/' && *q != '\n') {
                q += *q == '\\' && q + 1 < L->end ? 2 : 1;
            }
            if (q < L->end && *q == '/') {
                q++;
                while (q < L->end && idc((unsigned char)*q)) {
                    q++;
                }
                rc = push(L, T_NUM, p, (size_t)(q - p), 0, 1);
                L->p = q;
                continue;
            }
        }
        if (idc((unsigned char)c)) {
            const char *q = p;
            int num = c >= '0' && c <= '9';
            while (q < L->end && (idc((unsigned char)*q) ||
                                  (num && *q == '.' && q + 1 < L->end &&
                                   q[1] >= '0' && q[1] <= '9'))) {
                q++;
            }
            if (!num && q < L->end && (*q == '?' || *q == '!') &&
                !(q + 1 < L->end && q[1] == '=')) {
                q++;
            }
            rc = push(L, num ? T_NUM : T_ID, p, (size_t)(q - p), 0, 0);
            L->p = q;
            continue;
        }
        if (p + 1 < L->end &&
            ((c == '=' && strchr("=~>", p[1])) ||
             (strchr("!<>", c) && p[1] == '=') || (c == ':' && p[1] == ':'))) {
            rc = push(L, T_P2, p, 2, c, 0);
            if (!rc) {
                DD_VEC_AT(&L->toks, tok, L->toks.len - 1)->c2 = p[1];
            }
            L->p += 2;
            continue;
        }
        rc = push(L, T_P, p, 1, c, 0);
        L->p++;
    }
    return rc;
}

static const tok *at(const lexer *L, size_t i)
{
    static const tok eof = {T_EOF, "", 0, 0, 0, 0};
    return i < L->toks.len ? DD_VEC_AT(&L->toks, tok, i) : &eof;
}

static int is_id(const tok *t, const char *w)
{
    return t->k == T_ID && t->n == strlen(w) && !memcmp(t->s, w, t->n);
}

static int is_p(const tok *t, char c)
{
    return t->k == T_P && t->q == c;
}

static int is_p2(const tok *t, char a, char b)
{
    return t->k == T_P2 && t->q == a && t->c2 == b;
}

/* the value of a literal string token (escapes decoded) into the arena */
static char *str_value(dd__arena *a, const tok *t)
{
    if (t->k != T_STR || t->dyn || t->q == 'h' || t->n > 4096) {
        return NULL;
    }
    char buf[4100];
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        char c = t->s[i];
        if (c == '\\' && i + 1 < t->n) {
            char e = t->s[i + 1];
            if (t->q == '"') {
                i++;
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 's' ? ' ' : e;
            } else if (e == '\\' || e == '\'' ||
                       (t->q == 'q' && !idc((unsigned char)e))) {
                i++;
                c = e;
            }
        }
        buf[o++] = c;
    }
    return dd__arena_strndup(a, buf, o);
}

/* after a value: ".freeze" and friends, then the end of the statement */
static int value_end(const lexer *L, size_t *i)
{
    while (is_p(at(L, *i), '.') &&
           (is_id(at(L, *i + 1), "freeze") || is_id(at(L, *i + 1), "dup") ||
            is_id(at(L, *i + 1), "to_s") || is_id(at(L, *i + 1), "strip"))) {
        *i += 2;
    }
    const tok *t = at(L, *i);
    return t->k == T_EOF || t->k == T_NL || is_p(t, ';') || is_p(t, '}') ||
           is_id(t, "if") || is_id(t, "unless") || is_id(t, "end");
}

/* a scalar literal value at *i: "x", "x".freeze, Gem::Version.new("x") */
static char *scalar(dd__arena *a, const lexer *L, size_t i)
{
    if (is_id(at(L, i), "Gem") && is_p2(at(L, i + 1), ':', ':') &&
        is_id(at(L, i + 2), "Version") && is_p(at(L, i + 3), '.') &&
        (is_id(at(L, i + 4), "new") || is_id(at(L, i + 4), "create"))) {
        i += 5;
        int paren = is_p(at(L, i), '(');
        i += (size_t)paren;
        const tok *s = at(L, i++);
        if (paren && !is_p(at(L, i++), ')')) {
            return NULL;
        }
        return value_end(L, &i) ? str_value(a, s) : NULL;
    }
    const tok *s = at(L, i++);
    return value_end(L, &i) ? str_value(a, s) : NULL;
}

static int add_lic(dd__arena *a, dd__buf *b, const char *s, size_t n)
{
    (void)a;
    if (n == 0) {
        return 0;
    }
    if (b->len && dd__buf_add(b, " OR ", 4)) {
        return DD_ENOMEM;
    }
    return dd__buf_add(b, s, n);
}

/* licenses: "MIT", ["MIT".freeze, "Ruby"], %w[MIT Ruby] */
static char *licenses(dd__arena *a, const lexer *L, size_t i)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    int ok = 0;
    const tok *t = at(L, i);
    if (t->k == T_STR) {
        char *v = scalar(a, L, i);
        dd__buf_free(&b);
        return v;
    }
    if (t->k == T_WORDS && !t->dyn) {
        i++;
        ok = value_end(L, &i);
        for (size_t k = 0; ok && k < t->n;) {
            while (k < t->n && strchr(" \t\r\n", t->s[k])) {
                k++;
            }
            size_t st = k;
            while (k < t->n && !strchr(" \t\r\n", t->s[k])) {
                k++;
            }
            ok = !add_lic(a, &b, t->s + st, k - st);
        }
    } else if (is_p(t, '[')) {
        i++;
        ok = 1;
        while (ok && !is_p(at(L, i), ']')) {
            while (at(L, i)->k == T_NL) {
                i++;
            }
            if (is_p(at(L, i), ']')) {
                break;
            }
            char *v = str_value(a, at(L, i));
            if (!v) {
                ok = 0;
                break;
            }
            i++;
            while (is_p(at(L, i), '.') && is_id(at(L, i + 1), "freeze")) {
                i += 2;
            }
            ok = !add_lic(a, &b, v, strlen(v));
            while (at(L, i)->k == T_NL) {
                i++;
            }
            if (is_p(at(L, i), ',')) {
                i++;
            } else if (!is_p(at(L, i), ']')) {
                ok = 0;
            }
        }
        if (ok) {
            i++;
            ok = value_end(L, &i);
        }
    }
    char *r = ok && b.len ? dd__arena_strndup(a, b.ptr, b.len) : NULL;
    dd__buf_free(&b);
    return r;
}

static int printable(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) {
        return 0;
    }
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* "# stub: NAME VERSION PLATFORM PATHS" (RubyGems' stub line) */
static void stub(dd__arena *a, const char *s, size_t len, char **nm, char **ver)
{
    const char *end = s + len;
    for (const char *p = s; p < end;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *le = e ? e : end;
        if (le - p > 8 && !memcmp(p, "# stub: ", 8)) {
            const char *q = p + 8;
            const char *n1 = q;
            while (q < le && *q != ' ') {
                q++;
            }
            size_t l1 = (size_t)(q - n1);
            while (q < le && *q == ' ') {
                q++;
            }
            const char *v1 = q;
            while (q < le && *q != ' ' && *q != '\r') {
                q++;
            }
            if (l1 && q > v1) {
                *nm = dd__arena_strndup(a, n1, l1);
                *ver = dd__arena_strndup(a, v1, (size_t)(q - v1));
            }
            return;
        }
        if (le - p > 0 && *p != '#' && *p != '\r') {
            return; /* the stub is in the leading comments */
        }
        p = e ? e + 1 : end;
    }
}

/* NAME-VERSION[-PLATFORM] from the file name (name known or not) */
static void from_file(
    dd__arena *a, const char *path, const char *nm, char **onm, char **over)
{
    if (!path) {
        return;
    }
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n <= 8 || strcmp(b + n - 8, ".gemspec")) {
        return;
    }
    n -= 8;
    const char *v = NULL;
    if (nm) {
        size_t k = strlen(nm);
        if (k + 1 < n && !memcmp(b, nm, k) && b[k] == '-') {
            v = b + k + 1;
        }
    } else {
        for (size_t i = 1; i + 1 < n; i++) {
            if (b[i] == '-' && b[i + 1] >= '0' && b[i + 1] <= '9') {
                v = b + i + 1;
                *onm = dd__arena_strndup(a, b, i);
                break;
            }
        }
    }
    if (v) {
        const char *e = memchr(v, '-', (size_t)(b + n - v));
        *over = dd__arena_strndup(a, v, (size_t)((e ? e : b + n) - v));
    }
}

int dd__gemspec(dd__arena *a,
                const uint8_t *data,
                size_t len,
                const char *path,
                dd__lang_pkg *out,
                char *why,
                size_t why_n)
{
    memset(out, 0, sizeof *out);
    lexer L;
    memset(&L, 0, sizeof L);
    L.p = (const char *)data;
    L.end = L.p + len;
    if (len >= 3 && !memcmp(L.p, "\xef\xbb\xbf", 3)) {
        L.p += 3;
    }
    dd__vec_init(&L.toks, sizeof(tok));
    int rc = lex(&L);
    if (rc) {
        dd__vec_free(&L.toks);
        return rc;
    }
    /* the block variable of Gem::Specification.new ... do |X| / { |X| */
    const tok *var = NULL;
    char *nm = NULL, *ver = NULL, *lic = NULL;
    int spec = 0;
    for (size_t i = 0; i + 5 < L.toks.len && !spec; i++) {
        if (!(is_id(at(&L, i), "Gem") && is_p2(at(&L, i + 1), ':', ':') &&
              is_id(at(&L, i + 2), "Specification") &&
              is_p(at(&L, i + 3), '.') && is_id(at(&L, i + 4), "new"))) {
            continue;
        }
        spec = 1;
        size_t j = i + 5;
        int paren = is_p(at(&L, j), '(');
        j += (size_t)paren;
        if (at(&L, j)->k == T_STR && is_p(at(&L, j + 1), ',') &&
            at(&L, j + 2)->k == T_STR) { /* new("name", "1.0") */
            nm = str_value(a, at(&L, j));
            ver = str_value(a, at(&L, j + 2));
        }
        for (size_t k = j; k < j + 64 && k < L.toks.len; k++) {
            if ((is_id(at(&L, k), "do") || is_p(at(&L, k), '{')) &&
                is_p(at(&L, k + 1), '|') && at(&L, k + 2)->k == T_ID &&
                is_p(at(&L, k + 3), '|')) {
                var = at(&L, k + 2);
                break;
            }
        }
    }
    char *snm = NULL, *sver = NULL;
    for (size_t i = 0; i + 3 < L.toks.len; i++) {
        const tok *t = at(&L, i);
        if (t->k != T_ID ||
            (var && (t->n != var->n || memcmp(t->s, var->s, t->n))) ||
            !is_p(at(&L, i + 1), '.') || at(&L, i + 2)->k != T_ID ||
            !is_p(at(&L, i + 3), '=') || (i > 0 && is_p(at(&L, i - 1), '.'))) {
            continue;
        }
        const tok *f = at(&L, i + 2);
        if (is_id(f, "name") && !snm) {
            snm = scalar(a, &L, i + 4);
            snm = snm ? snm : (char *)"";
        } else if (is_id(f, "version") && !sver) {
            sver = scalar(a, &L, i + 4);
            sver = sver ? sver : (char *)"";
        } else if ((is_id(f, "license") || is_id(f, "licenses")) && !lic) {
            lic = licenses(a, &L, i + 4);
        }
    }
    dd__vec_free(&L.toks);
    if (snm && *snm) {
        nm = snm;
    }
    if (sver && *sver) {
        ver = sver;
    }
    if (!nm || !ver) {
        char *tn = NULL, *tv = NULL;
        stub(a, (const char *)data, len, &tn, &tv);
        if (!nm && tn) {
            nm = tn;
        }
        if (!ver && tv && nm && tn && !strcmp(nm, tn)) {
            ver = tv;
        }
    }
    if (!nm || !ver) {
        char *fn = NULL, *fv = NULL;
        from_file(a, path, nm, &fn, &fv);
        if (!nm) {
            nm = fn;
        }
        if (!ver) {
            ver = fv;
        }
    }
    if (!nm || !ver) {
        snprintf(why, why_n,
                 "no literal %s in the gem specification (and no stub line "
                 "or NAME-VERSION file name)",
                 !nm ? "name" : "version");
        return DD_EINVALID;
    }
    if (!printable(nm, 256) || !printable(ver, 256)) {
        snprintf(why, why_n, "name or version too long or not printable");
        return DD_EINVALID;
    }
    out->name = nm;
    out->version = ver;
    out->license = lic && printable(lic, 512) ? lic : NULL;
    return 0;
}

int dd__gemspec_path(const char *path)
{
    size_t n = strlen(path);
    if (n < 9 || strcmp(path + n - 8, ".gemspec")) {
        return 0;
    }
    const char *b = strrchr(path, '/');
    if (!b) {
        return 0;
    }
    /* a "specifications" directory among the ancestors */
    for (const char *p = path; p < b;) {
        const char *e = memchr(p, '/', (size_t)(b - p) + 1);
        size_t l = (size_t)(e - p);
        if (l == 14 && !memcmp(p, "specifications", 14)) {
            return 1;
        }
        p = e + 1;
    }
    return 0;
}
