/*
 * lib/lang/python.c - Python installed metadata: the core-metadata
 * header block (RFC 822 style "Name: value" lines up to the first blank
 * line) of `*.dist-info/METADATA`, `*.egg-info` (a file, or its
 * PKG-INFO) and `EGG-INFO/PKG-INFO`. Only the header block is read, so
 * a long description after it does not matter (a truncated file whose
 * headers ended is complete).
 */
#include <stdio.h>
#include <string.h>

#include "drydock/license.h"

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

static int ieq(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        x = x >= 'A' && x <= 'Z' ? (char)(x - 'A' + 'a') : x;
        y = y >= 'A' && y <= 'Z' ? (char)(y - 'A' + 'a') : y;
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

static int clean(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int dd__py_metadata(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    int truncated,
                    dd__lang_pkg *out,
                    char *why,
                    size_t why_n)
{
    memset(out, 0, sizeof *out);
    const char *s = (const char *)data, *end = s + len;
    const char *nm = NULL, *ver = NULL, *lic = NULL, *lexp = NULL;
    size_t nl_ = 0, vl = 0, ll = 0, el = 0;
    /* "Classifier: License :: OSI Approved :: MIT License": the last
     * part of each, joined with " OR " (several = the user's choice) */
    char cls[512];
    size_t cn = 0;
    int ended = 0;
    size_t line = 0;
    if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
        s += 3; /* BOM */
    }
    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        const char *le = e ? e : end;
        line++;
        if (!e && truncated) {
            break; /* a cut line is not a header */
        }
        size_t n = (size_t)(le - s);
        if (n && s[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            ended = 1;
            break;
        }
        if (s[0] != ' ' && s[0] != '\t') {
            const char *c = memchr(s, ':', n);
            if (!c) {
                snprintf(why, why_n, "line %zu: not a \"Field: value\" header",
                         line);
                return DD_EINVALID;
            }
            size_t kn = (size_t)(c - s);
            const char *v = c + 1;
            while (v < s + n && (*v == ' ' || *v == '\t')) {
                v++;
            }
            size_t vn = (size_t)(s + n - v);
            while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) {
                vn--;
            }
            if (ieq(s, kn, "Name") && !nm) {
                nm = v, nl_ = vn;
            } else if (ieq(s, kn, "Version") && !ver) {
                ver = v, vl = vn;
            } else if (ieq(s, kn, "License-Expression") && !lexp) {
                lexp = v, el = vn;
            } else if (ieq(s, kn, "License") && !lic) {
                lic = v, ll = vn;
            } else if (ieq(s, kn, "Classifier") && vn > 11 &&
                       !memcmp(v, "License :: ", 11) && clean(v, vn)) {
                const char *last = v;
                for (size_t q = 0; q + 3 < vn; q++) {
                    if (!memcmp(v + q, " :: ", 4)) {
                        last = v + q + 4;
                    }
                }
                size_t ln = (size_t)(v + vn - last);
                /* "License :: OSI Approved" alone names no license */
                if (last != v + 11 || memcmp(last, "OSI Approved", 12)) {
                    if (ln && cn + ln + 5 < sizeof cls) {
                        if (cn) {
                            memcpy(cls + cn, " OR ", 4);
                            cn += 4;
                        }
                        memcpy(cls + cn, last, ln);
                        cn += ln;
                    }
                }
            }
        }
        s = e ? e + 1 : end;
    }
    if (!ended && truncated) {
        snprintf(why, why_n,
                 "the header block does not end within the "
                 "bytes read");
        return DD_ELIMIT;
    }
    if (!nm || !nl_ || !ver || !vl) {
        snprintf(why, why_n, "no %s header", !nm || !nl_ ? "Name" : "Version");
        return DD_EINVALID;
    }
    if (nl_ > 256 || vl > 256 || !clean(nm, nl_) || !clean(ver, vl)) {
        snprintf(why, why_n, "Name or Version too long or not printable");
        return DD_EINVALID;
    }
    if (lic &&
        (ll == 0 || ll > 256 || !clean(lic, ll) || ieq(lic, ll, "UNKNOWN"))) {
        lic = NULL;
    }
    if (lic && cn) {
        /* License: is often a sentence or a whole text: the classifiers
         * win unless it names a license we know */
        char *e = NULL;
        int rc = dd_license_normalize(lic, ll, &e, NULL);
        if (rc == DD_ENOMEM) {
            return rc;
        }
        if (!e || strstr(e, "LicenseRef-")) {
            lic = NULL;
        }
        dd__free(e);
    }
    if (!lic && cn) {
        lic = cls, ll = cn;
    }
    if (lexp) {
        lic = lexp, ll = el;
    }
    out->name = dd__arena_strndup(a, nm, nl_);
    out->version = dd__arena_strndup(a, ver, vl);
    out->license = lic ? dd__arena_strndup(a, lic, ll) : NULL;
    if (!out->name || !out->version || (lic && !out->license)) {
        return DD_ENOMEM;
    }
    return 0;
}

int dd__py_metadata_path(const char *path)
{
    const char *b = strrchr(path, '/');
    size_t bl = b ? (size_t)(b - path) : 0; /* parent's end */
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 9 && !strcmp(b + n - 9, ".egg-info")) {
        return 1; /* the single-file form */
    }
    if (!bl) {
        return 0;
    }
    size_t ps = bl;
    while (ps > 0 && path[ps - 1] != '/') {
        ps--;
    }
    const char *par = path + ps;
    size_t pl = bl - ps;
    if (!strcmp(b, "METADATA")) {
        return pl > 10 && !memcmp(par + pl - 10, ".dist-info", 10);
    }
    if (!strcmp(b, "PKG-INFO")) {
        return (pl > 9 && !memcmp(par + pl - 9, ".egg-info", 9)) ||
               (pl == 8 && !memcmp(par, "EGG-INFO", 8));
    }
    return 0;
}
