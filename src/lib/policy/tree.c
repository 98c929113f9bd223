/*
 * lib/policy/tree.c - a policy document as a tree of maps, lists and
 * scalars: YAML read through libyaml's events (one document; anchors,
 * aliases and tags refused; duplicate keys refused; nesting at most
 * DD_POLICY_MAX_DEPTH), JSON through dd__json_parse (jansson) when the
 * first non-blank byte is '{'. Every node keeps its line for messages.
 *
 * Not util/yaml_json.c: a policy's messages name lines, a duplicate key
 * must be an error (a jansson object keeps the last one silently, which
 * could hide a stricter setting), aliases are refused rather than
 * budgeted, and a quoted "true" is a string, not a boolean.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "policy_int.h"

#define MAX_NODES    200000u
#define MAX_CHILDREN 10000u

typedef struct frame {
    dd__pnode *node;
    dd__vec keys; /* char * */
    dd__vec kids; /* dd__pnode * */
    char *key;    /* map: the key whose value is due, or NULL */
} frame;

typedef struct builder {
    dd__arena *a;
    const char *name;
    dd_error *err;
    frame st[DD_POLICY_MAX_DEPTH + 1];
    int depth; /* frames in use */
    dd__pnode *root;
    size_t nodes;
} builder;

static dd__pnode *node_new(builder *b, dd__pn_type t, size_t line)
{
    if (++b->nodes > MAX_NODES) {
        return NULL;
    }
    dd__pnode *n = dd__arena_alloc(b->a, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->type = t;
        n->line = line;
    }
    return n;
}

/* a finished value goes to its parent (or becomes the root) */
static int attach(builder *b, dd__pnode *v, size_t line)
{
    if (b->depth == 0) {
        if (b->root) {
            return dd__error_set(b->err, DD_EINVALID,
                                 "%s: line %zu: more than one document",
                                 b->name, line);
        }
        b->root = v;
        return 0;
    }
    frame *f = &b->st[b->depth - 1];
    if (f->kids.len >= MAX_CHILDREN) {
        return dd__error_set(b->err, DD_EINVALID,
                             "%s: line %zu: more than %u entries in one %s",
                             b->name, line, MAX_CHILDREN,
                             f->node->type == DD__PN_MAP ? "mapping" : "list");
    }
    if (f->node->type == DD__PN_MAP) {
        if (!f->key) {
            /* a value in key position: a mapping or list as a key */
            return dd__error_set(b->err, DD_EINVALID,
                                 "%s: line %zu: a key must be a plain string",
                                 b->name, line);
        }
        char **k = dd__vec_push(&f->keys);
        if (!k) {
            return dd__error_set(b->err, DD_ENOMEM, "out of memory");
        }
        *k = f->key;
        f->key = NULL;
    }
    dd__pnode **slot = dd__vec_push(&f->kids);
    if (!slot) {
        return dd__error_set(b->err, DD_ENOMEM, "out of memory");
    }
    *slot = v;
    return 0;
}

static int push(builder *b, dd__pn_type t, size_t line)
{
    if (b->depth >= DD_POLICY_MAX_DEPTH) {
        return dd__error_set(b->err, DD_EINVALID,
                             "%s: line %zu: nested deeper than %d levels",
                             b->name, line, DD_POLICY_MAX_DEPTH);
    }
    dd__pnode *n = node_new(b, t, line);
    if (!n) {
        return dd__error_set(b->err,
                             b->nodes > MAX_NODES ? DD_EINVALID : DD_ENOMEM,
                             "%s: line %zu: too many nodes (at most %u)",
                             b->name, line, MAX_NODES);
    }
    frame *f = &b->st[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    dd__vec_init(&f->keys, sizeof(char *));
    dd__vec_init(&f->kids, sizeof(dd__pnode *));
    return 0;
}

static int pop(builder *b, size_t line)
{
    frame *f = &b->st[b->depth - 1];
    dd__pnode *n = f->node;
    int rc = 0;
    if (f->key) {
        rc = dd__error_set(b->err, DD_EINVALID,
                           "%s: line %zu: key without value", b->name, line);
    }
    n->n = f->kids.len;
    if (!rc && n->n) {
        n->kids = dd__arena_alloc(b->a, n->n * sizeof *n->kids);
        if (n->type == DD__PN_MAP) {
            n->keys = dd__arena_alloc(b->a, n->n * sizeof *n->keys);
        }
        if (!n->kids || (n->type == DD__PN_MAP && !n->keys)) {
            rc = dd__error_set(b->err, DD_ENOMEM, "out of memory");
        } else {
            memcpy(n->kids, f->kids.items, n->n * sizeof *n->kids);
            if (n->keys) {
                memcpy(n->keys, f->keys.items, n->n * sizeof *n->keys);
            }
        }
    }
    dd__vec_free(&f->keys);
    dd__vec_free(&f->kids);
    b->depth--;
    return rc ? rc : attach(b, n, line);
}

static int scalar(builder *b, const char *s, size_t len, int plain, size_t line)
{
    if (memchr(s, '\0', len)) {
        return dd__error_set(b->err, DD_EINVALID,
                             "%s: line %zu: a NUL byte in a string", b->name,
                             line);
    }
    frame *f = b->depth ? &b->st[b->depth - 1] : NULL;
    if (f && f->node->type == DD__PN_MAP && !f->key) {
        char *k = dd__arena_strndup(b->a, s, len);
        if (!k) {
            return dd__error_set(b->err, DD_ENOMEM, "out of memory");
        }
        char **keys = f->keys.items;
        for (size_t i = 0; i < f->keys.len; i++) {
            if (!strcmp(keys[i], k)) {
                char *p = dd__printable(k, 64);
                dd__error_set(b->err, DD_EINVALID,
                              "%s: line %zu: duplicate key '%s'", b->name, line,
                              p ? p : "?");
                dd__free(p);
                return DD_EINVALID;
            }
        }
        f->key = k;
        return 0;
    }
    dd__pnode *n = node_new(b, DD__PN_SCALAR, line);
    if (!n || !(n->s = dd__arena_strndup(b->a, s, len))) {
        return dd__error_set(
            b->err, n || b->nodes <= MAX_NODES ? DD_ENOMEM : DD_EINVALID,
            "%s: line %zu: too many nodes", b->name, line);
    }
    n->plain = plain;
    return attach(b, n, line);
}

static void unwind(builder *b)
{
    while (b->depth > 0) {
        frame *f = &b->st[--b->depth];
        dd__vec_free(&f->keys);
        dd__vec_free(&f->kids);
    }
}

static int from_yaml(builder *b, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        return dd__error_set(b->err, DD_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0, docs = 0;
    for (int done = 0; !done && !rc;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = dd__error_set(b->err, DD_EINVALID, "%s: line %zu: %s", b->name,
                               (size_t)p.problem_mark.line + 1,
                               p.problem ? p.problem : "invalid YAML");
            break;
        }
        size_t line = ev.start_mark.line + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                rc = dd__error_set(b->err, DD_EINVALID,
                                   "%s: line %zu: more than one document",
                                   b->name, line);
            }
            break;
        case YAML_ALIAS_EVENT:
            rc = dd__error_set(b->err, DD_EINVALID,
                               "%s: line %zu: aliases are not allowed", b->name,
                               line);
            break;
        case YAML_SCALAR_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT: {
            const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT
                                            ? ev.data.scalar.anchor
                                        : ev.type == YAML_MAPPING_START_EVENT
                                            ? ev.data.mapping_start.anchor
                                            : ev.data.sequence_start.anchor;
            const yaml_char_t *tag = ev.type == YAML_SCALAR_EVENT
                                         ? ev.data.scalar.tag
                                     : ev.type == YAML_MAPPING_START_EVENT
                                         ? ev.data.mapping_start.tag
                                         : ev.data.sequence_start.tag;
            if (anchor || tag) {
                rc = dd__error_set(b->err, DD_EINVALID,
                                   "%s: line %zu: %s are not allowed", b->name,
                                   line, anchor ? "anchors" : "tags");
            } else if (ev.type == YAML_SCALAR_EVENT) {
                rc = scalar(b, (const char *)ev.data.scalar.value,
                            ev.data.scalar.length,
                            ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE,
                            line);
            } else {
                rc = push(b,
                          ev.type == YAML_MAPPING_START_EVENT ? DD__PN_MAP
                                                              : DD__PN_SEQ,
                          line);
            }
            break;
        }
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            rc = pop(b, line);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int from_json(builder *b, json_t *j, int depth)
{
    char num[64];
    switch (json_typeof(j)) {
    case JSON_OBJECT:
    case JSON_ARRAY: {
        int rc = push(b, json_is_object(j) ? DD__PN_MAP : DD__PN_SEQ, 0);
        if (rc) {
            return rc;
        }
        if (json_is_object(j)) {
            const char *k;
            json_t *v;
            json_object_foreach(j, k, v)
            {
                if ((rc = scalar(b, k, strlen(k), 0, 0)) ||
                    (rc = from_json(b, v, depth + 1))) {
                    return rc;
                }
            }
        } else {
            size_t i;
            json_t *v;
            json_array_foreach(j, i, v)
            {
                if ((rc = from_json(b, v, depth + 1))) {
                    return rc;
                }
            }
        }
        return pop(b, 0);
    }
    case JSON_STRING:
        return scalar(b, json_string_value(j), json_string_length(j), 0, 0);
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(j));
        return scalar(b, num, strlen(num), 1, 0);
    case JSON_REAL:
        snprintf(num, sizeof num, "%.17g", json_real_value(j));
        return scalar(b, num, strlen(num), 1, 0);
    case JSON_TRUE:
        return scalar(b, "true", 4, 1, 0);
    case JSON_FALSE:
        return scalar(b, "false", 5, 1, 0);
    default:
        return scalar(b, "null", 4, 1, 0);
    }
}

int dd__policy_tree(dd__arena *a,
                    const char *name,
                    const char *text,
                    size_t len,
                    dd__pnode **root,
                    dd_error *err)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.name = name;
    b.err = err;
    *root = NULL;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                       text[i] == '\r')) {
        i++;
    }
    int rc;
    if (i < len && text[i] == '{') {
        json_t *j = NULL;
        dd_error je;
        rc = dd__json_parse(&j, text, len, DD_POLICY_MAX_BYTES, name, &je);
        if (rc) {
            return dd__error_set(err, rc == DD_ENOMEM ? DD_ENOMEM : DD_EINVALID,
                                 "%s", je.message);
        }
        rc = from_json(&b, j, 0);
        json_decref(j);
    } else {
        rc = from_yaml(&b, text, len);
    }
    unwind(&b);
    if (!rc && !b.root) {
        return dd__error_set(err, DD_EINVALID, "%s: the document is empty",
                             name);
    }
    *root = rc ? NULL : b.root;
    return rc;
}
