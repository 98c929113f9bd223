/*
 * util/str.c - error records and string helpers.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

int dd__error_set(dd_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        char raw[sizeof err->message];
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* one line, nothing a terminal acts on: names from an image are
         * shown escaped (drydock/text.h) */
        dd_text_escape(err->message, sizeof err->message, raw, strlen(raw),
                       DD_ESCAPE_TERMINAL);
        err->code = code;
    }
    return code;
}

void dd__error_clear(dd_error *err)
{
    if (err) {
        err->code = 0;
        err->message[0] = '\0';
    }
}

const char *dd_strerror(int code)
{
    switch (code) {
    case DD_OK:
        return "success";
    case DD_ENOTFOUND:
        return "not found";
    case DD_EINVALID:
        return "invalid argument";
    case DD_ECORRUPT:
        return "corrupt input";
    case DD_ELIMIT:
        return "limit exceeded";
    case DD_EUNSUPPORTED:
        return "unsupported";
    case DD_ENOMEM:
        return "out of memory";
    case DD_EIO:
        return "I/O error";
    case DD_ENET:
        return "network error";
    case DD_EUSER:
        return "stopped by callback";
    case DD_EAMBIGUOUS:
        return "ambiguous";
    case DD_ECANCELED:
        return "canceled";
    default:
        return "error";
    }
}

void dd__hex(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int dd__is_sha256_digest(const char *s)
{
    if (!s || strncmp(s, "sha256:", 7) != 0) {
        return 0;
    }
    s += 7;
    size_t i = 0;
    for (; s[i]; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return i == 64;
}

size_t dd__printable_bound(const char *s, size_t max)
{
    size_t n = 0;
    while (s && s[n] && n < max) {
        n++;
    }
    return n * 4 + 4; /* \xNN per byte at most, "..." and the NUL */
}

char *dd__printable_into(char *o, const char *s, size_t max)
{
    size_t n = 0;
    while (s && s[n] && n < max) {
        n++;
    }
    int cut = s && s[n];
    /* cut before a character, not inside one */
    for (size_t k = 0;
         cut && k < 3 && n && ((unsigned char)s[n] & 0xc0) == 0x80; k++) {
        n--;
    }
    o += dd_text_escape(o, n * 4 + 1, s, n, DD_ESCAPE_TERMINAL);
    if (cut) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o++ = '\0';
    return o;
}

char *dd__printable(const char *s, size_t max)
{
    char *out = dd__malloc(dd__printable_bound(s, max));
    if (out) {
        dd__printable_into(out, s, max);
    }
    return out;
}

void dd__env_where(char *out, size_t n, const char *kv)
{
    char name[49], esc[4 * 48 + 8];
    size_t k = kv ? strcspn(kv, "=") : 0;
    k = k > 48 ? 48 : k;
    memcpy(name, kv ? kv : "", k);
    name[k] = '\0';
    dd__printable_into(esc, name, 48);
    snprintf(out, n, "Env %s", k ? esc : "(unnamed)");
}
