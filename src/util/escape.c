/*
 * util/escape.c - the one escaping rule for text from an image
 * (drydock/text.h): visible escapes for terminals, a reversible escape for
 * documents, and base64 for raw bytes.
 */
#include <string.h>

#include "drydock/text.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at s (1..4) and its code point, or
 * 0 when the byte at s does not start one (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return c ? 1 : 0;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > len) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        return 0;
    }
    *cp = v;
    return n;
}

int dd_text_is_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_seq(p + i, len - i, &cp);
        if (!k) {
            return 0;
        }
        i += k;
    }
    return 1;
}

/* code points a terminal must not receive raw */
static int hostile_cp(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
           cp == 0x061c || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

typedef struct sink {
    char *out;
    size_t n, need, wrote;
    int cut;
} sink;

static void put(sink *k, const char *p, size_t len)
{
    if (!k->cut && k->out && k->need + len < k->n) {
        memcpy(k->out + k->need, p, len);
        k->wrote = k->need + len;
    } else {
        k->cut = 1;
    }
    k->need += len;
}

size_t dd_text_escape(
    char *out, size_t n, const char *s, size_t len, dd_escape_mode mode)
{
    static const char hex[] = "0123456789abcdef";
    sink k = {out, n, 0, 0, 0};
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; p && i < len;) {
        uint32_t cp = 0;
        size_t sl = utf8_seq(p + i, len - i, &cp);
        char e[8];
        if (!sl) {
            e[0] = '\\', e[1] = 'x', e[2] = hex[p[i] >> 4],
            e[3] = hex[p[i] & 15];
            put(&k, e, 4);
            i++;
            continue;
        }
        if (mode == DD_ESCAPE_LOSSLESS) {
            put(&k, cp == '\\' ? "\\\\" : (const char *)p + i,
                cp == '\\' ? 2 : sl);
        } else if (cp < 0x80 && hostile_cp(cp)) {
            e[0] = '\\', e[1] = 'x', e[2] = hex[cp >> 4], e[3] = hex[cp & 15];
            put(&k, e, 4);
        } else if (hostile_cp(cp)) {
            e[0] = '\\', e[1] = 'u';
            for (int d = 0; d < 4; d++) {
                e[2 + d] = hex[(cp >> (12 - 4 * d)) & 15];
            }
            put(&k, e, 6);
        } else {
            put(&k, (const char *)p + i, sl);
        }
        i += sl;
    }
    if (out && n) {
        out[k.wrote] = '\0';
    }
    return k.need;
}

size_t dd_text_base64(char *out, size_t n, const void *data, size_t len)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    size_t need = (len + 2) / 3 * 4, o = 0;
    for (size_t i = 0; i < len && o + 4 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len) {
            v |= (uint32_t)p[i + 1] << 8;
        }
        if (i + 2 < len) {
            v |= p[i + 2];
        }
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    if (n) {
        out[o] = '\0';
    }
    return need;
}

int dd__text_escape(dd__buf *b, const char *s, size_t len, dd_escape_mode mode)
{
    size_t need = dd_text_escape(NULL, 0, s, len, mode);
    /* grow (and check the cap) with the escape's length, then write it */
    size_t at = b->len;
    int rc = dd__buf_add(b, NULL, 0);
    if (!rc && need) {
        if (need > b->max || at > b->max - need) {
            return DD_ELIMIT;
        }
        char *tmp = dd__malloc(need + 1);
        if (!tmp) {
            return DD_ENOMEM;
        }
        dd_text_escape(tmp, need + 1, s, len, mode);
        rc = dd__buf_add(b, tmp, need);
        dd__free(tmp);
    }
    return rc;
}

char *dd__text_escape_dup(const char *s, size_t len, dd_escape_mode mode)
{
    size_t need = dd_text_escape(NULL, 0, s, len, mode);
    char *o = dd__malloc(need + 1);
    if (o) {
        dd_text_escape(o, need + 1, s, len, mode);
    }
    return o;
}
