/*
 * lib/ignore.c - the ignore file (.trivyignore format), see scan_int.h.
 */
#include <errno.h>
#include <string.h>

#include "scan_int.h"
#include "drydock/vulndb.h"

void dd__ignores_init(dd__ignores *ig)
{
    dd__arena_init(&ig->strings);
    dd__vec_init(&ig->entries, sizeof(dd__ignore_entry));
}

void dd__ignores_free(dd__ignores *ig)
{
    dd__vec_free(&ig->entries);
    dd__arena_free(&ig->strings);
}

static int is_date(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n != 10) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-') {
            return 0;
        }
    }
    return 1;
}

static int printable_token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x21 || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

int dd__ignores_parse(dd__ignores *ig,
                      const char *name,
                      const char *text,
                      size_t len,
                      const char *today,
                      dd__buf *warn,
                      dd_error *err)
{
    if (len > DD_IGNORE_MAX_BYTES) {
        return dd__error_set(err, DD_ELIMIT,
                             "%s: %zu bytes, over the %u MiB "
                             "an ignore file may have",
                             name, len, DD_IGNORE_MAX_BYTES >> 20);
    }
    size_t line = 0;
    for (size_t at = 0; at < len;) {
        const char *p = text + at;
        const char *nl = memchr(p, '\n', len - at);
        size_t n = nl ? (size_t)(nl - p) : len - at;
        at += n + (nl != NULL);
        line++;
        if (memchr(p, '\0', n)) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "%s:%zu: NUL byte: not a text file", name,
                                 line);
        }
        const char *hash = memchr(p, '#', n);
        size_t body = hash ? (size_t)(hash - p) : n;
        const char *reason = hash ? hash + 1 : "";
        size_t rlen = hash ? n - body - 1 : 0;
        while (rlen && (*reason == ' ' || *reason == '\t')) {
            reason++, rlen--;
        }
        while (rlen && (reason[rlen - 1] == '\r' || reason[rlen - 1] == ' ')) {
            rlen--;
        }
        /* tokens of the body */
        const char *tok[8];
        size_t tl[8], nt = 0;
        for (size_t i = 0; i < body;) {
            while (i < body && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')) {
                i++;
            }
            size_t s = i;
            while (i < body && p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
                i++;
            }
            if (i > s) {
                if (nt == 8) {
                    return dd__error_set(err, DD_ECORRUPT,
                                         "%s:%zu: too many words (an id and "
                                         "exp:YYYY-MM-DD are expected)",
                                         name, line);
                }
                tok[nt] = p + s;
                tl[nt++] = i - s;
            }
        }
        if (!nt) {
            continue;
        }
        if (tl[0] > DD_IGNORE_MAX_ID || !printable_token(tok[0], tl[0])) {
            return dd__error_set(err, DD_ECORRUPT,
                                 "%s:%zu: the id is longer than %u bytes or "
                                 "holds control characters",
                                 name, line, DD_IGNORE_MAX_ID);
        }
        if (ig->entries.len >= DD_IGNORE_MAX_ENTRIES) {
            return dd__error_set(err, DD_ELIMIT, "%s:%zu: more than %u entries",
                                 name, line, DD_IGNORE_MAX_ENTRIES);
        }
        dd__ignore_entry *e = dd__vec_push(&ig->entries);
        if (!e) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        memset(e, 0, sizeof *e);
        e->line = line;
        e->id = dd__arena_strndup(&ig->strings, tok[0], tl[0]);
        e->reason = dd__arena_strndup(&ig->strings, reason, rlen);
        for (size_t k = 1; k < nt; k++) {
            if (tl[k] > 4 && !memcmp(tok[k], "exp:", 4) &&
                is_date(tok[k] + 4, tl[k] - 4)) {
                e->expires = dd__arena_strndup(&ig->strings, tok[k] + 4, 10);
            } else {
                return dd__error_set(
                    err, DD_ECORRUPT, "%s:%zu: '%.*s' is not exp:YYYY-MM-DD",
                    name, line, (int)(tl[k] > 40 ? 40 : tl[k]), tok[k]);
            }
        }
        if (!e->id || !e->reason || (nt > 1 && !e->expires)) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        if (e->expires && today && strcmp(today, e->expires) > 0) {
            e->expired = 1;
            dd__buf_printf(warn,
                           "%s:%zu: ignore of %s expired on %s; it no "
                           "longer applies\n",
                           name, line, e->id, e->expires);
        }
    }
    return 0;
}

int dd__ignores_load(dd__ignores *ig,
                     const char *path,
                     const char *today,
                     dd__buf *warn,
                     dd_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = dd__file_read(path, DD_IGNORE_MAX_BYTES + 1, &text, &len);
    if (rc) {
        return dd__error_set(
            err, rc == DD_ENOTFOUND ? DD_ENOTFOUND : rc, "ignore file %s: %s",
            path, rc == DD_ENOTFOUND ? "no such file" : dd_strerror(rc));
    }
    rc = dd__ignores_parse(ig, path, text, len, today, warn, err);
    dd__free(text);
    return rc;
}

static int ref_has(const char *refs, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = refs; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, id, n)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

dd__ignore_entry *dd__ignores_match(dd__ignores *ig, const dd_finding *f)
{
    for (size_t i = 0; i < ig->entries.len; i++) {
        dd__ignore_entry *e = DD_VEC_AT(&ig->entries, dd__ignore_entry, i);
        if (e->expired) {
            continue;
        }
        if (!strcmp(e->id, f->rule_id) ||
            (f->vuln && ref_has(f->vuln->references, e->id))) {
            e->used++;
            return e;
        }
    }
    return NULL;
}
