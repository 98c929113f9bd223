/*
 * lib/registry/ref.c - image references, as the distribution project's
 * grammar defines them:
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] component ( "/" component )*
 *   domain    := host [ ":" port ], where the first part of a name is a
 *                domain only when it has a "." or ":" or is "localhost"
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 lower-case hex digits
 *
 * Normalisation: no domain -> docker.io (index.docker.io too); a one-part
 * Docker Hub name -> library/<name>; no tag and no digest -> latest.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "registry_int.h"
#include "../../util/util.h"

static int alnum_lower(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* separators between alphanumeric runs: ".", "_", "__" or "-"+ */
static int component_ok(const char *s, size_t n)
{
    if (!n || !alnum_lower((unsigned char)s[0]) ||
        !alnum_lower((unsigned char)s[n - 1])) {
        return 0;
    }
    for (size_t i = 0; i < n;) {
        if (alnum_lower((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t k = i;
        while (k < n && !alnum_lower((unsigned char)s[k])) {
            k++;
        }
        size_t run = k - i;
        int ok = (run == 1 && (s[i] == '.' || s[i] == '_')) ||
                 (run == 2 && s[i] == '_' && s[i + 1] == '_');
        for (size_t j = i; !ok && j < k && s[j] == '-'; j++) {
            ok = j + 1 == k;
        }
        if (!ok) {
            return 0;
        }
        i = k;
    }
    return 1;
}

static int domain_ok(const char *s, size_t n)
{
    if (!n || n >= DD_REF_MAX) {
        return 0;
    }
    size_t i = 0;
    if (s[0] == '[') { /* [IPv6]:port */
        const char *e = memchr(s, ']', n);
        if (!e) {
            return 0;
        }
        for (const char *p = s + 1; p < e; p++) {
            if (!isxdigit((unsigned char)*p) && *p != ':') {
                return 0;
            }
        }
        i = (size_t)(e - s) + 1;
    } else {
        for (; i < n && s[i] != ':'; i++) {
            unsigned char c = (unsigned char)s[i];
            if (!isalnum(c) && c != '.' && c != '-') {
                return 0;
            }
        }
    }
    if (i < n) {
        if (s[i] != ':' || i + 1 == n || n - i - 1 > 5) {
            return 0;
        }
        for (size_t k = i + 1; k < n; k++) {
            if (!isdigit((unsigned char)s[k])) {
                return 0;
            }
        }
    }
    return 1;
}

int dd__ref_parse(const char *s, dd__ref *out, dd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(s);
    if (!len || len > 1024) {
        return dd__error_set(err, DD_EINVALID, "'%.80s': %s", s,
                             len ? "reference too long" : "empty reference");
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f) {
            return dd__error_set(err, DD_EINVALID,
                                 "'%.80s': space or control byte in the "
                                 "reference",
                                 s);
        }
    }
    /* digest */
    const char *at = strchr(s, '@');
    size_t name_end = at ? (size_t)(at - s) : len;
    if (at) {
        const char *d = at + 1;
        if (strncmp(d, "sha256:", 7) || strlen(d) != 71 ||
            strspn(d + 7, "0123456789abcdef") != 64) {
            return dd__error_set(err, DD_EINVALID,
                                 "'%.200s': the digest must be sha256: and "
                                 "64 lower-case hex digits",
                                 s);
        }
        memcpy(out->digest, d, 72);
    }
    /* tag: a ':' after the last '/' */
    const char *slash = NULL;
    for (const char *p = s; p < s + name_end; p++) {
        if (*p == '/') {
            slash = p;
        }
    }
    const char *colon = NULL;
    for (const char *p = slash ? slash : s; p < s + name_end; p++) {
        if (*p == ':') {
            colon = p;
        }
    }
    if (colon) {
        size_t tl = (size_t)(s + name_end - colon - 1);
        const char *t = colon + 1;
        if (!tl || tl > 128 || !(isalnum((unsigned char)t[0]) || t[0] == '_')) {
            return dd__error_set(err, DD_EINVALID, "'%.200s': invalid tag", s);
        }
        for (size_t i = 0; i < tl; i++) {
            unsigned char c = (unsigned char)t[i];
            if (!isalnum(c) && c != '_' && c != '.' && c != '-') {
                return dd__error_set(err, DD_EINVALID, "'%.200s': invalid tag",
                                     s);
            }
        }
        memcpy(out->tag, t, tl);
        out->tag[tl] = 0;
        name_end = (size_t)(colon - s);
    }
    /* domain */
    const char *first_slash = memchr(s, '/', name_end);
    const char *name = s;
    size_t nl = name_end;
    if (first_slash) {
        size_t dl = (size_t)(first_slash - s);
        int is_domain = memchr(s, '.', dl) || memchr(s, ':', dl) ||
                        (dl == 9 && !strncmp(s, "localhost", 9)) || s[0] == '[';
        if (is_domain) {
            if (!domain_ok(s, dl)) {
                return dd__error_set(err, DD_EINVALID,
                                     "'%.200s': invalid registry host", s);
            }
            memcpy(out->domain, s, dl);
            out->domain[dl] = 0;
            name = first_slash + 1;
            nl = name_end - dl - 1;
        }
    }
    if (!out->domain[0] || !strcmp(out->domain, "index.docker.io") ||
        !strcmp(out->domain, "registry-1.docker.io")) {
        snprintf(out->domain, sizeof out->domain, "docker.io");
    }
    /* repository ("library/" is added to one-part Docker Hub names) */
    int hub = !strcmp(out->domain, "docker.io");
    size_t prefix = hub && !memchr(name, '/', nl) ? 8 : 0;
    if (!nl || nl + prefix >= DD_REF_MAX) {
        return dd__error_set(err, DD_EINVALID,
                             "'%.200s': missing or too long repository name",
                             s);
    }
    for (const char *p = name; p < name + nl;) {
        const char *e = memchr(p, '/', (size_t)(name + nl - p));
        size_t cl = (size_t)((e ? e : name + nl) - p);
        if (!component_ok(p, cl)) {
            return dd__error_set(err, DD_EINVALID,
                                 "'%.200s': invalid repository name (lower "
                                 "case letters, digits and . _ - only)",
                                 s);
        }
        p += cl + (e != NULL);
        if (e && p == name + nl) {
            return dd__error_set(err, DD_EINVALID,
                                 "'%.200s': repository name ends with '/'", s);
        }
    }
    snprintf(out->repo, sizeof out->repo, "%s%.*s", prefix ? "library/" : "",
             (int)nl, name);
    if (!out->tag[0] && !out->digest[0]) {
        snprintf(out->tag, sizeof out->tag, "latest");
    }
    return 0;
}

void dd__ref_string(const dd__ref *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s%s%s%s%s", r->domain, r->repo, r->tag[0] ? ":" : "",
             r->tag, r->digest[0] ? "@" : "", r->digest);
}

int dd__ref_looks_remote(const char *s)
{
    struct stat st;
    if (stat(s, &st) == 0) {
        return 0;
    }
    const char *slash = strchr(s, '/');
    if (!slash) {
        return 0;
    }
    size_t dl = (size_t)(slash - s);
    int domain = memchr(s, '.', dl) || memchr(s, ':', dl) ||
                 (dl == 9 && !strncmp(s, "localhost", 9));
    dd__ref r;
    dd_error e;
    return domain && s[0] != '.' && s[0] != '/' &&
           dd__ref_parse(s, &r, &e) == 0;
}
