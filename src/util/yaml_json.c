/*
 * util/yaml_json.c - a YAML document as a jansson tree (yaml_json.h).
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "yaml_json.h"

typedef struct conv {
    yaml_document_t *doc;
    size_t budget;
    int too_deep, too_big;
} conv;

static json_t *node_json(conv *cv, yaml_node_t *n, int depth)
{
    if (!n) {
        return NULL;
    }
    if (depth > DD_YAML_MAX_DEPTH) {
        cv->too_deep = 1;
        return NULL;
    }
    if (!cv->budget) {
        cv->too_big = 1;
        return NULL;
    }
    cv->budget--;
    if (n->type == YAML_SCALAR_NODE) {
        return json_stringn_nocheck((const char *)n->data.scalar.value,
                                    n->data.scalar.length);
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        json_t *r = json_array();
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             r && it < n->data.sequence.items.top && !cv->too_deep &&
             !cv->too_big;
             it++) {
            json_t *c =
                node_json(cv, yaml_document_get_node(cv->doc, *it), depth + 1);
            if (c) {
                json_array_append_new(r, c);
            }
        }
        return r;
    }
    if (n->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    json_t *r = json_object();
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         r && p < n->data.mapping.pairs.top && !cv->too_deep && !cv->too_big;
         p++) {
        yaml_node_t *k = yaml_document_get_node(cv->doc, p->key);
        if (!k || k->type != YAML_SCALAR_NODE ||
            memchr(k->data.scalar.value, 0, k->data.scalar.length)) {
            continue;
        }
        json_t *c =
            node_json(cv, yaml_document_get_node(cv->doc, p->value), depth + 1);
        char *key = dd__strndup((const char *)k->data.scalar.value,
                                k->data.scalar.length);
        if (c && key) {
            json_object_set_new_nocheck(r, key, c);
        } else {
            json_decref(c);
        }
        dd__free(key);
    }
    return r;
}

int dd__yaml_to_json(
    json_t **out, const void *data, size_t len, char *why, size_t why_n)
{
    *out = NULL;
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        return DD_ENOMEM;
    }
    yaml_parser_set_input_string(
        &p, data ? (const unsigned char *)data : (const unsigned char *)"",
        len);
    int rc = 0;
    if (yaml_parser_load(&p, &doc)) {
        size_t nodes = (size_t)(doc.nodes.top - doc.nodes.start);
        conv cv = {&doc, 2 * nodes + 1024, 0, 0};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        *out = root ? node_json(&cv, root, 0) : NULL;
        if (cv.too_deep || cv.too_big) {
            json_decref(*out);
            *out = NULL;
            if (cv.too_deep) {
                snprintf(why, why_n, "YAML nested deeper than %d levels",
                         DD_YAML_MAX_DEPTH);
            } else {
                snprintf(why, why_n,
                         "YAML aliases expand past %zu nodes (an alias bomb?)",
                         2 * nodes + 1024);
            }
            rc = DD_EINVALID;
        } else if (root && !*out) {
            rc = DD_ENOMEM;
        }
        yaml_document_delete(&doc);
    } else if (p.error == YAML_MEMORY_ERROR) {
        rc = DD_ENOMEM;
    } else {
        snprintf(why, why_n, "YAML error at line %zu: %s",
                 p.problem_mark.line + 1, p.problem ? p.problem : "?");
        rc = DD_EINVALID;
    }
    yaml_parser_delete(&p);
    return rc;
}
