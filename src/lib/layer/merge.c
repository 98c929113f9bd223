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
#include "../../util/path.h"

#define NONE (-1)

typedef struct mnode {
    dd_fs_node n;
    int64_t parent, first_child, next_sib, prev_sib;
    int64_t inode; /* the node whose content this is (hardlinks share) */
    int alive;
    int implicit; /* parent directory created because a child needed it */
} mnode;

typedef struct merger {
    dd_walk *w;
    dd__vec nodes;   /* mnode */
    dd__map map;     /* path -> node index (check .alive) */
    dd__arena names; /* implicit directory paths */
    dd__vec ends;    /* size_t: component ends of the path being looked at */
    dd__buf rpath, rtmp; /* symlink resolution scratch */
    dd__vec del_nodes;   /* int64_t: the node of each w->deleted entry */
    int rc;
} merger;

/* Symlinks followed in one resolution, as Linux allows (ELOOP). */
#define MAX_HOPS 40

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
    x->inode = i;
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
            int64_t *dn = d ? dd__vec_push(&m->del_nodes) : NULL;
            if (!dn) {
                m->rc = DD_ENOMEM;
                if (d) {
                    m->w->deleted.len--;
                }
            } else {
                *d = x->n;
                d->deleted_in = by_layer;
                *dn = cur;
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
    dd__layer_result *r = &m->w->layers[e->layer];
    const char *digest = r->stats.blob_sha256;
    dd__finding_spec sp = {DD_KIND_ARCHIVE,
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

/* Split p[0..len) into components: m->ends gets the end offset of each.
 * Returns the number of components (0 for the root), or (size_t)-1 when
 * out of memory. */
static size_t split(merger *m, const char *p, size_t len)
{
    m->ends.len = 0;
    if (len == 0) {
        return 0;
    }
    for (size_t i = 0; i <= len; i++) {
        if (i == len || p[i] == '/') {
            size_t *e = dd__vec_push(&m->ends);
            if (!e) {
                m->rc = DD_ENOMEM;
                return (size_t)-1;
            }
            *e = i;
        }
    }
    return m->ends.len;
}

#define END(m, k) (*DD_VEC_AT(&(m)->ends, size_t, (k)))

/* The deepest prefix of p (split into n components by split()) that is an
 * alive node: returns its component count k (0 = the root) and *at. An
 * alive node's parents are alive directories, so existence is monotone
 * in k and a binary search finds it with O(log depth) lookups. */
static size_t deepest(merger *m, const char *p, size_t n, int64_t *at)
{
    size_t lo = 0, hi = n;
    *at = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        int64_t i = lookup(m, p, END(m, mid - 1));
        if (i != NONE) {
            lo = mid;
            *at = i;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

/* How a path resolved through the symlinks of the merged view. */
typedef struct resolved {
    int64_t node;        /* what the path names, or NONE */
    int64_t first_link;  /* first symlink followed, or NONE */
    int64_t escape_link; /* first followed symlink whose target climbs
                            above the root, or NONE */
    int loop;            /* more than MAX_HOPS links, or a path too long */
} resolved;

/* Resolve `path` (clean, relative) in the merged view as the kernel does
 * inside the root: every symlink met on the way is replaced by its target
 * with dd__path_resolve_link - the rule the per-entry symlink check uses -
 * so ".." above the root is clamped there (what containerd and a chroot
 * do) and reported in escape_link (what a naive extractor on the host
 * follows out of the root). The last component is followed only when
 * follow_last is set (link(2) does not follow it). The resolved path is
 * left in m->rpath. */
static void
resolve(merger *m, const char *path, size_t len, int follow_last, resolved *r)
{
    r->node = r->first_link = r->escape_link = NONE;
    r->loop = 0;
    dd__buf_reset(&m->rpath);
    if (dd__buf_add(&m->rpath, path, len) != 0) {
        r->loop = 1;
        return;
    }
    for (int hops = 0;;) {
        const char *p = m->rpath.ptr;
        size_t n = split(m, p, m->rpath.len);
        if (n == (size_t)-1) {
            return;
        }
        int64_t at;
        size_t k = deepest(m, p, n, &at);
        const mnode *x = N(m, at);
        if (x->n.type != DD_ENTRY_SYMLINK || !x->n.linkname ||
            (k == n && !follow_last)) {
            r->node = k == n ? at : NONE;
            return;
        }
        if (++hops > MAX_HOPS) {
            r->loop = 1;
            return;
        }
        unsigned lf = 0;
        size_t plen = END(m, k - 1); /* k >= 1: the root is no symlink */
        if (dd__path_resolve_link(x->n.path, x->n.linkname, &m->rtmp, &lf) !=
            0) {
            r->loop = 1;
            return;
        }
        if (r->first_link == NONE) {
            r->first_link = at;
        }
        if ((lf & DD_PATH_ESCAPES) && r->escape_link == NONE) {
            r->escape_link = at;
        }
        const char *rest = p + plen; /* "" or "/more" */
        if (m->rtmp.len == 0 && *rest == '/') {
            rest++;
        }
        if (dd__buf_addstr(&m->rtmp, rest) != 0) {
            r->loop = 1;
            return;
        }
        dd__buf t = m->rpath;
        m->rpath = m->rtmp;
        m->rtmp = t;
    }
}

/* Make sure every parent directory of `path` exists. Returns the parent
 * index, or NONE when a parent is a symlink (write-through). Directories
 * that exist cost one binary search, so a deep tree is not depth^2. */
static int64_t ensure_parents(merger *m, const dd_fs_node *e)
{
    const char *p = e->path;
    const char *slash = strrchr(p, '/');
    if (!slash) {
        return 0; /* root */
    }
    size_t dlen = (size_t)(slash - p);
    /* the common case: the parent directory is there */
    int64_t d = lookup(m, p, dlen);
    if (d != NONE && N(m, d)->n.type == DD_ENTRY_DIR) {
        return d;
    }
    size_t n = split(m, p, dlen);
    if (n == (size_t)-1) {
        return NONE;
    }
    int64_t at;
    size_t k = deepest(m, p, n, &at);
    if (N(m, at)->n.type == DD_ENTRY_SYMLINK) {
        size_t len = END(m, k - 1);
        char msg[1024];
        resolved r;
        resolve(m, p, dlen, 1, &r);
        const mnode *via = N(m, at);
        if (r.escape_link != NONE) {
            const mnode *x = N(m, r.escape_link);
            snprintf(msg, sizeof msg,
                     "entry is written through the symlink '%.200s' -> "
                     "'%.200s', which climbs above the image root (a naive "
                     "extractor writes outside the root, on the host); "
                     "entry ignored",
                     x->n.path, x->n.linkname ? x->n.linkname : "");
            layer_finding(m, e, "archive.write-escape", DD_SEV_HIGH, msg);
        } else {
            snprintf(msg, sizeof msg,
                     "entry is written through the symlink '%.*s' -> '%.200s' "
                     "(extraction would write where the link points); "
                     "entry ignored",
                     (int)(len > 200 ? 200 : len), p,
                     via->n.linkname ? via->n.linkname : "");
            layer_finding(m, e, "archive.write-through-symlink", DD_SEV_HIGH,
                          msg);
        }
        return NONE;
    }
    if (N(m, at)->n.type != DD_ENTRY_DIR) {
        /* a file where a directory must be: the directory wins */
        int64_t up = N(m, at)->parent;
        delete_subtree(m, at, e->layer);
        at = up;
        k--;
    }
    int64_t parent = at;
    for (size_t j = k; j < n; j++) {
        size_t len = END(m, j);
        dd_fs_node dn;
        memset(&dn, 0, sizeof dn);
        dn.path = dd__arena_strndup(&m->names, p, len);
        if (!dn.path) {
            m->rc = DD_ENOMEM;
            return NONE;
        }
        dn.type = DD_ENTRY_DIR;
        dn.mode = 0755;
        dn.layer = e->layer;
        dn.deleted_in = -1;
        parent = add_node(m, &dn, parent, 1);
        if (parent == NONE) {
            return NONE;
        }
    }
    return parent;
}

static void apply_whiteouts(merger *m, dd__layer_result *r)
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
    int64_t t = NONE;
    if (e->type == DD_ENTRY_HARDLINK) {
        resolved r;
        resolve(m, e->linkname, strlen(e->linkname), 0, &r);
        if (r.escape_link != NONE) {
            const mnode *x = N(m, r.escape_link);
            char msg[1024];
            snprintf(msg, sizeof msg,
                     "hardlink target '%.200s' goes through the symlink "
                     "'%.200s' -> '%.200s', which climbs above the image root "
                     "(naive extractors link a host file such as "
                     "/etc/shadow); entry ignored",
                     e->linkname, x->n.path, x->n.linkname);
            layer_finding(m, e, "archive.hardlink-escape", DD_SEV_HIGH, msg);
            return;
        }
        t = r.node;
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
    int64_t i = add_node(m, e, parent, 0);
    if (i != NONE && t != NONE && N(m, t)->n.type != DD_ENTRY_DIR) {
        N(m, i)->inode = N(m, t)->inode;
    }
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

/* (path, layer, position) order over w->deleted, for binary search */
static int cmp_del_idx(const void *a, const void *b, void *ctx)
{
    const dd__vec *del = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const dd_fs_node *x = DD_VEC_AT(del, dd_fs_node, i);
    const dd_fs_node *y = DD_VEC_AT(del, dd_fs_node, j);
    int c = strcmp(x->path, y->path);
    if (c) {
        return c;
    }
    if (x->layer != y->layer) {
        return x->layer < y->layer ? -1 : 1;
    }
    return i < j ? -1 : i > j;
}

/* The first entry of w->deleted (in deletion order) with this path and
 * layer, or (size_t)-1. */
static size_t
find_deleted(const dd__vec *del, const size_t *idx, const char *path, int layer)
{
    size_t lo = 0, hi = del->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const dd_fs_node *x = DD_VEC_AT(del, dd_fs_node, idx[mid]);
        int c = strcmp(x->path, path);
        if (c == 0) {
            c = x->layer < layer ? -1 : x->layer > layer;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < del->len) {
        const dd_fs_node *x = DD_VEC_AT(del, dd_fs_node, idx[lo]);
        if (x->layer == layer && strcmp(x->path, path) == 0) {
            return idx[lo];
        }
    }
    return (size_t)-1;
}

/* A finding about a path is "deleted" when that layer's version of the
 * path is no longer what the final filesystem shows - unless a hardlink
 * made with it is still there: then the content is visible under the
 * link's name, and a content finding moves there. O((F + D) log D). */
static void mark_deleted_findings(merger *m)
{
    const dd__vec *del = &m->w->deleted;
    size_t *idx = NULL;
    int64_t *vis = NULL;
    if (del->len) {
        idx = dd__calloc(del->len, sizeof *idx);
        vis = dd__calloc(m->nodes.len, sizeof *vis);
        if (!idx || !vis) {
            m->rc = DD_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < del->len; i++) {
            idx[i] = i;
        }
        qsort_r(idx, del->len, sizeof *idx, cmp_del_idx, (void *)del);
        /* the alive name of each content (smallest path of a link group) */
        for (size_t i = 0; i < m->nodes.len; i++) {
            vis[i] = NONE;
        }
        for (size_t i = 1; i < m->nodes.len; i++) {
            const mnode *x = N(m, (int64_t)i);
            if (!x->alive || x->implicit || x->inode == (int64_t)i) {
                continue;
            }
            int64_t *v = &vis[x->inode];
            if (*v == NONE || strcmp(x->n.path, N(m, *v)->n.path) < 0) {
                *v = (int64_t)i;
            }
        }
    }
    for (size_t l = 0; l < m->w->n_layers; l++) {
        dd_findings *fl = m->w->layers[l].findings;
        for (size_t k = 0; k < dd_findings_count(fl); k++) {
            dd_finding *f = dd__findings_at(fl, k);
            if (!f->path || !del->len) {
                continue;
            }
            int64_t i = lookup(m, f->path, strlen(f->path));
            if (i != NONE && N(m, i)->n.layer == f->layer) {
                continue;
            }
            size_t d = find_deleted(del, idx, f->path, f->layer);
            if (d == (size_t)-1) {
                continue;
            }
            int64_t node = *DD_VEC_AT(&m->del_nodes, int64_t, d);
            int64_t v = vis[N(m, node)->inode];
            if (v != NONE && f->kind != DD_KIND_ARCHIVE &&
                f->kind != DD_KIND_INTEGRITY) {
                if (dd__findings_set_path(fl, k, N(m, v)->n.path) != 0) {
                    m->rc = DD_ENOMEM;
                    goto out;
                }
                continue;
            }
            f->deleted_in = DD_VEC_AT(del, dd_fs_node, d)->deleted_in;
        }
    }
out:
    dd__free(idx);
    dd__free(vis);
}

int dd__merge_layers(dd_walk *w)
{
    merger m;
    memset(&m, 0, sizeof m);
    m.w = w;
    dd__vec_init(&m.nodes, sizeof(mnode));
    dd__arena_init(&m.names);
    dd__vec_init(&m.ends, sizeof(size_t));
    dd__vec_init(&m.del_nodes, sizeof(int64_t));
    dd__buf_init(&m.rpath, 1u << 16);
    dd__buf_init(&m.rtmp, 1u << 16);
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
        dd__layer_result *r = &w->layers[l];
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
    dd__vec_free(&m.ends);
    dd__vec_free(&m.del_nodes);
    dd__buf_free(&m.rpath);
    dd__buf_free(&m.rtmp);
    return rc;
}
