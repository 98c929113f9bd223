/*
 * lib/license/copyright.c - the licenses of a Debian copyright file
 * (usr/share/doc/PKG/copyright), see license_int.h.
 *
 * Machine-readable files (copyright-format 1.0, "DEP-5") are deb822
 * paragraphs; the License: field's first line is the short name. Only
 * the header paragraph and Files paragraphs count: stand-alone License
 * paragraphs hold the texts of names already used. Other files are free
 * text; only references to the system's license texts
 * (/usr/share/common-licenses/NAME) are trusted. Bounded: the caller gives
 * at most DD_COPYRIGHT_MAX bytes, every loop advances, at most
 * DD_COPYRIGHT_MAX_NAMES names and DD_LICENSE_MAX_TEXT bytes out.
 */
#include <string.h>

#include "license_int.h"
#include "../../util/util.h"

typedef struct names {
    const char *s[DD_COPYRIGHT_MAX_NAMES];
    size_t n[DD_COPYRIGHT_MAX_NAMES];
    size_t count;
} names;

static int lcase(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ci_prefix(const char *s, size_t n, const char *p)
{
    size_t i = 0;
    for (; p[i]; i++) {
        if (i >= n || lcase((unsigned char)s[i]) != p[i]) {
            return 0;
        }
    }
    return 1;
}

static int ci_contains(const char *s, size_t n, const char *p)
{
    size_t pn = strlen(p);
    for (size_t i = 0; i + pn <= n; i++) {
        if (ci_prefix(s + i, n - i, p)) {
            return 1;
        }
    }
    return 0;
}

static void add_name(names *v, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) {
        n--;
    }
    if (!n || v->count == DD_COPYRIGHT_MAX_NAMES) {
        return;
    }
    for (size_t i = 0; i < v->count; i++) {
        if (v->n[i] == n && !memcmp(v->s[i], s, n)) {
            return;
        }
    }
    v->s[v->count] = s;
    v->n[v->count++] = n;
}

static int join(const names *v, char **out)
{
    dd__buf b;
    dd__buf_init(&b, DD_LICENSE_MAX_TEXT);
    for (size_t i = 0; i < v->count; i++) {
        int paren = memchr(v->s[i], ' ', v->n[i]) != NULL ||
                    memchr(v->s[i], '\t', v->n[i]) != NULL;
        size_t before = b.len;
        int rc =
            dd__buf_printf(&b, "%s%s%.*s%s", i ? " AND " : "", paren ? "(" : "",
                           (int)v->n[i], v->s[i], paren ? ")" : "");
        if (rc == DD_ELIMIT) { /* keep what fits */
            b.len = before;
            if (b.ptr) {
                b.ptr[before] = '\0';
            }
            break;
        }
        if (rc) {
            dd__buf_free(&b);
            return DD_ENOMEM;
        }
    }
    if (!b.len) {
        dd__buf_free(&b);
        return 0;
    }
    *out = dd__buf_detach(&b);
    return *out ? 0 : DD_ENOMEM;
}

/* the value of field `f` ("license") on this line, or NULL */
static const char *field(const char *l, size_t n, const char *f, size_t *vn)
{
    size_t fn = strlen(f);
    if (n <= fn || !ci_prefix(l, n, f) || l[fn] != ':') {
        return NULL;
    }
    *vn = n - fn - 1;
    return l + fn + 1;
}

static void dep5(const char *s, size_t len, names *v)
{
    size_t i = 0;
    int header = 1, files = 0;
    const char *lic = NULL;
    size_t licn = 0;
    int any = 0; /* the paragraph has a field */
    while (i <= len) {
        const char *nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t)(nl - s) : len;
        const char *l = s + i;
        size_t n = e - i;
        size_t k = 0;
        while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r')) {
            k++;
        }
        if (k == n) { /* blank line, or the end: the paragraph ends */
            if (any) {
                if ((header || files) && lic) {
                    add_name(v, lic, licn);
                }
                header = 0;
            }
            files = 0;
            lic = NULL;
            any = 0;
        } else if (l[0] != ' ' && l[0] != '\t' && l[0] != '#') {
            size_t vn;
            const char *val;
            any = 1;
            if ((val = field(l, n, "license", &vn)) != NULL) {
                lic = val;
                licn = vn;
            } else if (field(l, n, "files", &vn)) {
                files = 1;
            }
        }
        if (!nl) {
            break;
        }
        i = e + 1;
    }
}

static const char *const COMMON[] = {
    "Apache-2.0", "Artistic", "BSD",   "CC0-1.0", "GFDL-1.2", "GFDL-1.3",
    "GFDL",       "GPL-1",    "GPL-2", "GPL-3",   "GPL",      "LGPL-2.1",
    "LGPL-2",     "LGPL-3",   "LGPL",  "MPL-1.1", "MPL-2.0"};

static void references(const char *s, size_t len, names *v)
{
    static const char ref[] = "/usr/share/common-licenses/";
    const size_t rn = sizeof ref - 1;
    int later = ci_contains(s, len, "any later version");
    static const char *const plus[] = {"GPL-1+",  "GPL-2+",    "GPL-3+",
                                       "LGPL-2+", "LGPL-2.1+", "LGPL-3+"};
    for (size_t i = 0; i + rn < len; i++) {
        if (memcmp(s + i, ref, rn)) {
            continue;
        }
        const char *w = s + i + rn;
        size_t left = len - i - rn, wn = 0;
        while (wn < left && ((w[wn] >= 'A' && w[wn] <= 'Z') ||
                             (w[wn] >= 'a' && w[wn] <= 'z') ||
                             (w[wn] >= '0' && w[wn] <= '9') || w[wn] == '-' ||
                             w[wn] == '.')) {
            wn++;
        }
        while (wn && w[wn - 1] == '.') {
            wn--;
        }
        for (size_t c = 0; c < sizeof COMMON / sizeof *COMMON; c++) {
            if (strlen(COMMON[c]) != wn || memcmp(w, COMMON[c], wn)) {
                continue;
            }
            const char *nm = COMMON[c];
            for (size_t p = 0; later && p < sizeof plus / sizeof *plus; p++) {
                if (strlen(plus[p]) == wn + 1 && !memcmp(plus[p], w, wn)) {
                    nm = plus[p];
                }
            }
            add_name(v, nm, strlen(nm));
            break;
        }
        i += rn - 1;
    }
}

int dd__license_copyright(const uint8_t *data,
                          size_t len,
                          char **out,
                          dd_error *why)
{
    dd__error_clear(why);
    *out = NULL;
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', len);
    if (nul) {
        return dd__error_set(why, DD_EINVALID, "offset %zu: NUL byte",
                             (size_t)(nul - s));
    }
    names v;
    v.count = 0;
    /* the first field of the first paragraph: Format: ...copyright-format */
    size_t i = 0;
    while (i < len &&
           (s[i] == '\n' || s[i] == '\r' || s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    const char *nl = memchr(s + i, '\n', len - i);
    size_t fl = nl ? (size_t)(nl - (s + i)) : len - i;
    if ((ci_prefix(s + i, fl, "format:") ||
         ci_prefix(s + i, fl, "format-specification:")) &&
        (ci_contains(s + i, fl, "copyright-format") ||
         ci_contains(s + i, fl, "dep5") || ci_contains(s + i, fl, "dep-5"))) {
        dep5(s, len, &v);
    } else {
        references(s, len, &v);
    }
    return join(&v, out);
}
