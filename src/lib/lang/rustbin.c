/*
 * lib/lang/rustbin.c - the crates of a Rust executable built with
 * cargo-auditable, which embeds its dependency list in the binary:
 * section ".dep-v0" (ELF, PE) or "__dep_v0" (Mach-O), found with
 * gobin.c's object readers (dd__exe_section), holding zlib-compressed
 * JSON:
 *
 *   {"packages": [{"name": "serde", "version": "1.0.188",
 *                  "source": "crates.io", "kind": "runtime",
 *                  "dependencies": [3, 5], "root": false}, ...]}
 *
 * Every package is listed (build dependencies and the root crate too,
 * as the binary's authors shipped them); crates whose source is no
 * registry ("local", "git") are counted for a warning. The inflated text
 * is at most INFLATE_MAX bytes, at most PKGS_MAX crates are read; the
 * JSON goes through dd__json_parse. Nothing past `len` is read.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "lang.h"
#include "drydock/errors.h"
#include "../../util/util.h"

#define INFLATE_MAX (8u << 20)
#define PKGS_MAX    100000u
#define FIELD_MAX   512

static int fail(char *why, size_t wn, const char *fmt, ...) DD_PRINTF(3, 4);
static int fail(char *why, size_t wn, const char *fmt, ...)
{
    if (why && wn) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, wn, fmt, ap);
        va_end(ap);
    }
    return DD_EINVALID;
}

/* inflate zlib data [in, in + n) into a new buffer of at most
 * INFLATE_MAX bytes */
static int inflate_all(const uint8_t *in,
                       uint64_t n,
                       uint64_t at,
                       char **out,
                       size_t *olen,
                       char *why,
                       size_t wn)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) {
        return DD_ENOMEM;
    }
    size_t cap = 64u << 10, used = 0;
    char *buf = dd__malloc(cap);
    int rc = buf ? 0 : DD_ENOMEM;
    uint64_t left = n;
    z.next_in = (Bytef *)in;
    while (!rc) {
        if (!z.avail_in && left) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            z.avail_in = chunk;
            left -= chunk;
        }
        if (used == cap) {
            if (cap >= INFLATE_MAX) {
                rc = fail(why, wn,
                          ".dep-v0 at offset %llu inflates past %u bytes",
                          (unsigned long long)at, INFLATE_MAX);
                break;
            }
            size_t nc = cap * 2 > INFLATE_MAX ? INFLATE_MAX : cap * 2;
            char *nb = dd__realloc(buf, nc);
            if (!nb) {
                rc = DD_ENOMEM;
                break;
            }
            buf = nb;
            cap = nc;
        }
        z.next_out = (Bytef *)buf + used;
        z.avail_out = (uInt)(cap - used);
        int zr = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (zr == Z_STREAM_END) {
            break;
        }
        if (zr == Z_OK) {
            continue;
        }
        if (zr == Z_BUF_ERROR && z.avail_out) {
            rc = fail(why, wn,
                      ".dep-v0 at offset %llu: zlib stream truncated after "
                      "%llu of %llu bytes",
                      (unsigned long long)at, (unsigned long long)z.total_in,
                      (unsigned long long)n);
        } else if (zr == Z_MEM_ERROR) {
            rc = DD_ENOMEM;
        } else if (zr != Z_BUF_ERROR) {
            rc = fail(why, wn,
                      ".dep-v0 at offset %llu: bad zlib data at byte %llu: %s",
                      (unsigned long long)at, (unsigned long long)z.total_in,
                      z.msg ? z.msg : "error");
        }
    }
    inflateEnd(&z);
    if (rc) {
        dd__free(buf);
        return rc;
    }
    *out = buf;
    *olen = used;
    return 0;
}

/* a name or version: non-empty, at most FIELD_MAX bytes, no blanks or
 * control bytes */
static int field_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > FIELD_MAX) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int dd__rustbin(dd__arena *a,
                const uint8_t *data,
                size_t len,
                dd__vec *out,
                size_t *other,
                char *why,
                size_t why_n)
{
    if (why && why_n) {
        why[0] = '\0';
    }
    *other = 0;
    uint64_t off = 0, n = 0;
    char ow[256];
    int rc = dd__exe_section(data, len, ".dep-v0", ".dep-v0", "__dep_v0", &off,
                             &n, ow, sizeof ow);
    if (rc == DD_EINVALID) {
        return DD_ENOTFOUND; /* broken headers and no section to go by */
    }
    if (rc) {
        return rc;
    }
    if (!n) {
        return fail(why, why_n, ".dep-v0 at offset %llu is empty",
                    (unsigned long long)off);
    }
    char *text = NULL;
    size_t tn = 0;
    if ((rc = inflate_all(data + off, n, off, &text, &tn, why, why_n))) {
        return rc;
    }
    char what[64];
    snprintf(what, sizeof what, ".dep-v0 at offset %llu",
             (unsigned long long)off);
    json_t *root = NULL;
    dd_error e;
    rc = dd__json_parse(&root, text, tn, INFLATE_MAX, what, &e);
    dd__free(text);
    if (rc) {
        return rc == DD_ENOMEM ? rc : fail(why, why_n, "%s", e.message);
    }
    json_t *pk =
        json_is_object(root) ? json_object_get(root, "packages") : NULL;
    if (!json_is_array(pk)) {
        json_decref(root);
        return fail(why, why_n, "%s: no \"packages\" array", what);
    }
    if (json_array_size(pk) > PKGS_MAX) {
        size_t np = json_array_size(pk);
        json_decref(root);
        return fail(why, why_n, "%s: %zu crates, over the %u limit", what, np,
                    PKGS_MAX);
    }
    size_t before = out->len, i;
    json_t *o;
    json_array_foreach(pk, i, o)
    {
        json_t *nm = json_object_get(o, "name"),
               *vr = json_object_get(o, "version");
        const char *name = json_is_string(nm) ? json_string_value(nm) : NULL;
        const char *ver = json_is_string(vr) ? json_string_value(vr) : NULL;
        if (!field_ok(name) || !field_ok(ver)) {
            rc = fail(why, why_n, "%s: packages[%zu]: no usable %s", what, i,
                      field_ok(name) ? "version" : "name");
            break;
        }
        json_t *src = json_object_get(o, "source");
        const char *s = json_is_string(src) ? json_string_value(src) : NULL;
        if (s && strcmp(s, "crates.io") && strcmp(s, "registry")) {
            (*other)++;
        }
        dd__lang_pkg *p = dd__vec_push(out);
        if (!p || !(p->name = dd__arena_strdup(a, name)) ||
            !(p->version = dd__arena_strdup(a, ver))) {
            rc = DD_ENOMEM;
            break;
        }
    }
    json_decref(root);
    if (rc) {
        out->len = before; /* all or nothing */
        *other = 0;
    }
    return rc;
}
