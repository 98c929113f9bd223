/*
 * cli/cli_config.c - the config file (drydock.yaml or --config FILE): a
 * YAML mapping of option names to a scalar or a list of scalars, and
 * optionally one mapping per command ("scan:", "sbom:", ...) with the same
 * kind of entries, which win over the top-level ones for that command.
 *
 * Hostile input: at most CLI_CONF_MAX_BYTES and CLI_CONF_MAX_KEYS; anchors,
 * aliases, deeper nesting and non-scalar keys are refused with one line
 * naming the file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cli_config.h"

static int
fail(char *err, size_t n, const char *path, size_t line, const char *fmt, ...)
{
    char m[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    if (line) {
        snprintf(err, n, "%s: line %zu: %s", path, line, m);
    } else {
        snprintf(err, n, "%s: %s", path, m);
    }
    return -1;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* a new entry "section.key" (section may be NULL) */
static cli_kv *
add_kv(cli_conf *c, const char *section, const char *key, size_t line)
{
    if (c->n == CLI_CONF_MAX_KEYS) {
        return NULL;
    }
    cli_kv *nk = realloc(c->kv, (c->n + 1) * sizeof *nk);
    if (!nk) {
        return NULL;
    }
    c->kv = nk;
    cli_kv *kv = &c->kv[c->n];
    memset(kv, 0, sizeof *kv);
    size_t sl = section ? strlen(section) + 1 : 0, kl = strlen(key);
    kv->key = malloc(sl + kl + 1);
    if (!kv->key) {
        return NULL;
    }
    if (section) {
        memcpy(kv->key, section, sl - 1);
        kv->key[sl - 1] = '.';
    }
    memcpy(kv->key + sl, key, kl + 1);
    kv->line = line;
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->kv[i].key, kv->key)) {
            free(kv->key);
            return NULL; /* a duplicate key */
        }
    }
    c->n++;
    return kv;
}

static int add_val(cli_kv *kv, const char *v, size_t n)
{
    if (kv->n == CLI_CONF_MAX_VALUES) {
        return -1;
    }
    char **nv = realloc(kv->vals, (kv->n + 1) * sizeof *nv);
    if (!nv) {
        return -1;
    }
    kv->vals = nv;
    if (!(kv->vals[kv->n] = dup_n(v, n))) {
        return -1;
    }
    kv->n++;
    return 0;
}

void cli_conf_free(cli_conf *c)
{
    for (size_t i = 0; c && i < c->n; i++) {
        for (size_t k = 0; k < c->kv[i].n; k++) {
            free(c->kv[i].vals[k]);
        }
        free(c->kv[i].vals);
        free(c->kv[i].key);
    }
    if (c) {
        free(c->kv);
        c->kv = NULL;
        c->n = 0;
    }
}

int cli_conf_parse(cli_conf *c,
                   const char *path,
                   const char *text,
                   size_t len,
                   char *err,
                   size_t errn)
{
    memset(c, 0, sizeof *c);
    if (len > CLI_CONF_MAX_BYTES) {
        return fail(err, errn, path, 0, "larger than %u bytes",
                    (unsigned)CLI_CONF_MAX_BYTES);
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        return fail(err, errn, path, 0, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    /* state: 0 before the top mapping, 1 top-level key expected,
     * 2 top-level value expected, 3 in a top-level sequence,
     * 4 section key expected, 5 section value, 6 in a section sequence,
     * 7 after the top mapping */
    int state = 0, rc = 0;
    char section[128] = "", key[128] = "";
    cli_kv *kv = NULL;
    for (int done = 0; !done && !rc;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = fail(err, errn, path, p.problem_mark.line + 1, "%s",
                      p.problem ? p.problem : "invalid YAML");
            break;
        }
        size_t line = ev.start_mark.line + 1;
        const char *sv = (const char *)ev.data.scalar.value;
        size_t sn = ev.data.scalar.length;
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_DOCUMENT_END_EVENT:
            if (state == 7) {
                state = 8; /* one document only */
            }
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_ALIAS_EVENT:
            rc = fail(err, errn, path, line, "aliases are not allowed");
            break;
        case YAML_MAPPING_START_EVENT:
            if (state == 0) {
                state = 1;
            } else if (state == 2) {
                if (strlen(key) >= sizeof section) {
                    rc = fail(err, errn, path, line, "key too long");
                }
                snprintf(section, sizeof section, "%s", key);
                state = 4;
            } else {
                rc = fail(err, errn, path, line,
                          state == 8 ? "more than one document"
                                     : "'%s': nested too deeply (a value is a "
                                       "scalar or a list of scalars)",
                          key);
            }
            break;
        case YAML_MAPPING_END_EVENT:
            state = state == 4 ? 1 : 7;
            break;
        case YAML_SEQUENCE_START_EVENT:
            if (state == 2 || state == 5) {
                kv = add_kv(c, state == 5 ? section : NULL, key, line);
                if (!kv) {
                    rc = fail(err, errn, path, line,
                              "'%s': duplicate key (or too many keys)", key);
                }
                state = state == 2 ? 3 : 6;
            } else {
                rc = fail(err, errn, path, line,
                          state == 0 ? "the top level must be a mapping of "
                                       "option names to values"
                                     : "'%s': a list inside a list",
                          key);
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
            state = state == 3 ? 1 : 4;
            break;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.anchor) {
                rc = fail(err, errn, path, line, "anchors are not allowed");
            } else if (state == 1 || state == 4) {
                if (sn >= sizeof key || memchr(sv, '\0', sn)) {
                    rc = fail(err, errn, path, line, "bad key");
                    break;
                }
                memcpy(key, sv, sn);
                key[sn] = '\0';
                state = state == 1 ? 2 : 5;
            } else if (state == 2 || state == 5) {
                kv = add_kv(c, state == 5 ? section : NULL, key, line);
                if (!kv || add_val(kv, sv, sn)) {
                    rc = fail(err, errn, path, line,
                              "'%s': duplicate key (or too many keys)", key);
                }
                state = state == 2 ? 1 : 4;
            } else if (state == 3 || state == 6) {
                if (add_val(kv, sv, sn)) {
                    rc = fail(err, errn, path, line, "'%s': too many values",
                              key);
                }
            } else if (state == 0 && sn == 0) {
                state = 7; /* an empty document */
            } else {
                rc = fail(err, errn, path, line,
                          "the top level must be a mapping of option names "
                          "to values");
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc) {
        cli_conf_free(c);
    }
    return rc;
}

int cli_conf_load(cli_conf *c, const char *path, char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return fail(err, errn, path, 0, "%s", strerror(errno));
    }
    char *buf = malloc(CLI_CONF_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, CLI_CONF_MAX_BYTES + 1, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (!buf || rerr) {
        free(buf);
        return fail(err, errn, path, 0, buf ? "read error" : "out of memory");
    }
    int rc = cli_conf_parse(c, path, buf, n, err, errn);
    free(buf);
    return rc;
}

const cli_kv *
cli_conf_get(const cli_conf *c, const char *section, const char *key)
{
    char full[300];
    if (section) {
        snprintf(full, sizeof full, "%s.%s", section, key);
    }
    const cli_kv *found = NULL;
    for (size_t i = 0; c && i < c->n; i++) {
        if (!strcmp(c->kv[i].key, section ? full : key)) {
            found = &c->kv[i];
        }
    }
    return found;
}
