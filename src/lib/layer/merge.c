/*
 * lib/layer/merge.c - apply layers in order into one filesystem view.
 *
 * OCI semantics: within a layer, whiteouts apply to the lower layers only,
 * so each layer's whiteouts run first, then its entries. The view is a
 * tree (parent / first-child / sibling links in one array) plus a path map,
 * so deleting a directory with 100k children is linear in their number.
 * Every entry that disappears - by whiteout, opaque whiteout, replacement
 * or a later duplicate in the same tar - is kept in the `deleted` list:
 * its bytes still ship in the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk_int.h"
#include "../../util/map.h"

#define NONE (-1)

typedef struct mnode {
    dd_fs_node n;
    int64_t parent, first_child, next_sib, prev_sib;
    int alive;
    int implicit; /* parent directory created because a child needed it */
} mnode;

typedef struct merger {
    dd_walk *w;
    dd_vec nodes;   /* mnode */
    dd_map map;     /* path -> node index (check .alive) */
    dd_arena names; /* implicit directory paths */
    int rc;
} merger;

static mnode *N(merger *m, int64_t i)
{
    return DD_VEC_AT(&m->nodes, mnode, (size_t)i);
}

static int64_t lookup(merger *m, const char *p, size_t len)
{
    int64_t v;
    if (dd__map_get(&m->map, p, len, &v) && N(m, v)->alive) {
        return v;
    }
    return NONE;
}

static void unlink_node(merger *m, int64_t i)
{
    mnode *x = N(m, i);
    if (x->prev_sib != NONE) {
        N(m, x->prev_sib)->next_sib = x->next_sib;
    } else if (x->parent != NONE) {
        N(m, x->parent)->first_child = x->next_sib;
    }
    if (x->next_sib != NONE) {
        N(m, x->next_sib)->prev_sib = x->prev_sib;
    }
    x->prev_sib = x->next_sib = NONE;
}

static int64_t
add_node(merger *m, const dd_fs_node *src, int64_t parent, int implicit)
{
    mnode *x = dd__vec_push(&m->nodes);
    if (!x) {
        m->rc = DD_ENOMEM;
        return NONE;
    }
    int64_t i = (int64_t)m->nodes.len - 1;
    x->n = *src;
    x->parent = parent;
    x->first_child = x->next_sib = x->prev_sib = NONE;
    x->alive = 1;
    x->implicit = implicit;
    if (parent != NONE) {
        mnode *p = N(m, parent);
        x->next_sib = p->first_child;
        if (p->first_child != NONE) {
            N(m, p->first_child)->prev_sib = i;
        }
        p->first_child = i;
    }
    if (dd__map_put(&m->map, x->n.path, strlen(x->n.path), i) != 0) {
        m->rc = DD_ENOMEM;
    }
    return i;
}

/* Remove node i and everything below it, remembering real entries. */
static void delete_subtree(merger *m, int64_t i, int by_layer)
{
    unlink_node(m, i);
    N(m, i)->parent = NONE;
    int64_t cur = i;
    /* iterative post-order over the detached subtree */
    while (cur != NONE) {
        mnode *x = N(m, cur);
        if (x->first_child != NONE) {
            int64_t c = x->first_child;
            x->first_child = N(m, c)->next_sib;
            N(m, c)->next_sib = NONE;
            N(m, c)->prev_sib = NONE;
            N(m, c)->parent = cur;
            cur = c;
            continue;
        }
        x->alive = 0;
        if (!x->implicit) {
            dd_fs_node *d = dd__vec_push(&m->w->deleted);
            if (!d) {
                m->rc = DD_ENOMEM;
            } else {
                *d = x->n;
                d->deleted_in = by_layer;
            }
        }
        int64_t up = cur == i ? NONE : x->parent;
        cur = up;
    }
}

static void layer_finding(merger *m,
                          const dd_fs_node *e,
                          const char *rule,
                          dd_severity sev,
                          const char *msg)
{
    dd_layer_result *r = &m->w->layers[e->layer];
    const char *digest = r->stats.blob_sha256;
    dd_finding_spec sp = {DD_KIND_ARCHIVE,
                          sev,
                          rule,
                          e->path,
                          digest,
                          e->linkname,
                          e->layer,
                          -1,
                          1,
                          e->offset,
                          0,
                          NULL,
                          NULL,
                          NULL};
    if (dd__findings_add(r->findings, &sp, "%s", msg) != 0) {
        m->rc = DD_ENOMEM;
    }
}

/* Make sure every parent directory of `path` exists. Returns the parent
 * index, or NONE when a parent is a symlink (write-through). */
static int64_t ensure_parents(merger *m, const dd_fs_node *e)
{
    const char *p = e->path;
    int64_t parent = 0; /* root */
    const char *s = p;
    for (;;) {
        const char *slash = strchr(s, '/');
        if (!slash) {
            return parent;
        }
        size_t len = (size_t)(slash - p);
        int64_t i = lookup(m, p, len);
        if (i != NONE && N(m, i)->n.type == DD_ENTRY_SYMLINK) {
            char msg[600];
            snprintf(msg, sizeof msg,
                     "entry is written through the symlink '%.*s' -> '%.200s' "
                     "(extraction would write where the link points); "
                     "entry ignored",
                     (int)(len > 200 ? 200 : len), p,
                     N(m, i)->n.linkname ? N(m, i)->n.linkname : "");
            layer_finding(m, e, "archive.write-through-symlink", DD_SEV_HIGH,
                          msg);
            return NONE;
        }
        if (i != NONE && N(m, i)->n.type != DD_ENTRY_DIR) {
            /* a file where a directory must be: the directory wins */
            delete_subtree(m, i, e->layer);
            i = NONE;
        }
        if (i == NONE) {
            dd_fs_node d;
            memset(&d, 0, sizeof d);
            d.path = dd__arena_strndup(&m->names, p, len);
            if (!d.path) {
                m->rc = DD_ENOMEM;
                return NONE;
            }
            d.type = DD_ENTRY_DIR;
            d.mode = 0755;
            d.layer = e->layer;
            d.deleted_in = -1;
            i = add_node(m, &d, parent, 1);
            if (i == NONE) {
                return NONE;
            }
        }
        parent = i;
        s = slash + 1;
    }
}

static void apply_whiteouts(merger *m, dd_layer_result *r)
{
    for (size_t k = 0; k < r->entries.len; k++) {
        dd_fs_node *e = DD_VEC_AT(&r->entries, dd_fs_node, k);
        if (e->type == DD_ENTRY_WHITEOUT) {
            int64_t i = lookup(m, e->path, strlen(e->path));
            if (i != NONE && i != 0) {
                delete_subtree(m, i, e->layer);
            }
        } else if (e->type == DD_ENTRY_OPAQUE_WHITEOUT) {
            int64_t d = lookup(m, e->path, strlen(e->path));
            if (d == NONE || N(m, d)->n.type != DD_ENTRY_DIR) {
                continue;
            }
            while (N(m, d)->first_child != NONE) {
                delete_subtree(m, N(m, d)->first_child, e->layer);
            }
        }
    }
}

static void apply_entry(merger *m, dd_fs_node *e)
{
    if (e->type == DD_ENTRY_WHITEOUT || e->type == DD_ENTRY_OPAQUE_WHITEOUT) {
        return;
    }
    int64_t parent = ensure_parents(m, e);
    if (parent == NONE) {
        return;
    }
    int64_t old = lookup(m, e->path, strlen(e->path));
    if (old != NONE) {
        mnode *o = N(m, old);
        if (o->n.type == DD_ENTRY_DIR && e->type == DD_ENTRY_DIR) {
            o->n = *e; /* new metadata, children stay */
            o->implicit = 0;
            return;
        }
        if (o->n.type == DD_ENTRY_HARDLINK && o->n.layer == e->layer &&
            e->type == DD_ENTRY_FILE) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "regular file written over a hardlink to '%.200s' in "
                     "the same layer (extraction writes into the link "
                     "target)",
                     o->n.linkname ? o->n.linkname : "");
            layer_finding(m, e, "archive.write-through-hardlink", DD_SEV_HIGH,
                          msg);
        }
        delete_subtree(m, old, e->layer);
    }
    if (e->type == DD_ENTRY_HARDLINK) {
        int64_t t = lookup(m, e->linkname, strlen(e->linkname));
        if (t == NONE || N(m, t)->n.type == DD_ENTRY_DIR) {
            char msg[400];
            snprintf(msg, sizeof msg, "hardlink target '%.200s' %s",
                     e->linkname,
                     t == NONE ? "does not exist in the image at this point"
                               : "is a directory");
            layer_finding(m, e, "archive.hardlink-missing", DD_SEV_MEDIUM, msg);
        } else {
            /* a hardlink is the same file: give it the target's size */
            e->size = N(m, t)->n.size;
            if (!e->sha256) {
                e->sha256 = N(m, t)->n.sha256;
            }
        }
    }
    add_node(m, e, parent, 0);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const dd_fs_node *)a)->path, ((const dd_fs_node *)b)->path);
}

static int cmp_deleted(const void *a, const void *b)
{
    const dd_fs_node *x = a, *y = b;
    if (x->deleted_in != y->deleted_in) {
        return x->deleted_in < y->deleted_in ? -1 : 1;
    }
    int c = strcmp(x->path, y->path);
    if (c) {
        return c;
    }
    return x->layer < y->layer ? -1 : x->layer > y->layer;
}

/* A finding about a path is "deleted" when that layer's version of the
 * path is no longer what the final filesystem shows. */
static void mark_deleted_findings(merger *m)
{
    for (size_t l = 0; l < m->w->n_layers; l++) {
        dd_findings *fl = m->w->layers[l].findings;
        for (size_t k = 0; k < dd_findings_count(fl); k++) {
            dd_finding *f = dd__findings_at(fl, k);
            if (!f->path) {
                continue;
            }
            int64_t i = lookup(m, f->path, strlen(f->path));
            if (i != NONE && N(m, i)->n.layer == f->layer) {
                continue;
            }
            for (size_t d = 0; d < m->w->deleted.len; d++) {
                dd_fs_node *x = DD_VEC_AT(&m->w->deleted, dd_fs_node, d);
                if (x->layer == f->layer && strcmp(x->path, f->path) == 0) {
                    f->deleted_in = x->deleted_in;
                    break;
                }
            }
        }
    }
}

int dd__merge_layers(dd_walk *w)
{
    merger m;
    memset(&m, 0, sizeof m);
    m.w = w;
    dd__vec_init(&m.nodes, sizeof(mnode));
    dd__arena_init(&m.names);
    if (dd__map_init(&m.map) != 0) {
        return DD_ENOMEM;
    }
    dd_fs_node root;
    memset(&root, 0, sizeof root);
    root.path = "";
    root.type = DD_ENTRY_DIR;
    root.mode = 0755;
    root.deleted_in = -1;
    add_node(&m, &root, NONE, 1);
    for (size_t l = 0; l < w->n_layers && !m.rc; l++) {
        dd_layer_result *r = &w->layers[l];
        apply_whiteouts(&m, r);
        for (size_t k = 0; k < r->entries.len && !m.rc; k++) {
            apply_entry(&m, DD_VEC_AT(&r->entries, dd_fs_node, k));
        }
    }
    for (size_t i = 1; i < m.nodes.len && !m.rc; i++) {
        mnode *x = N(&m, (int64_t)i);
        if (!x->alive) {
            continue;
        }
        dd_fs_node *f = dd__vec_push(&w->files);
        if (!f) {
            m.rc = DD_ENOMEM;
            break;
        }
        *f = x->n;
        if (x->implicit) {
            /* implicit directory paths live in m.names, which dies here */
            f->path =
                dd__arena_strdup(&w->layers[x->n.layer].strings, x->n.path);
            if (!f->path) {
                m.rc = DD_ENOMEM;
            }
        }
    }
    if (!m.rc) {
        if (w->files.len > 1) {
            qsort(w->files.items, w->files.len, sizeof(dd_fs_node), cmp_path);
        }
        mark_deleted_findings(&m);
        /* implicit dirs never reach `deleted`, so no dangling names */
        if (w->deleted.len > 1) {
            qsort(w->deleted.items, w->deleted.len, sizeof(dd_fs_node),
                  cmp_deleted);
        }
    }
    int rc = m.rc;
    dd__vec_free(&m.nodes);
    dd__map_free(&m.map);
    dd__arena_free(&m.names);
    return rc;
}
