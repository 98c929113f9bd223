/*
 * lib/layer/walk.c - one streaming pass per layer, layers in parallel.
 *
 * Per layer (one worker thread): pread 1 MiB chunks of the blob -> sha256
 * of the stored bytes -> decompressor (sniffed) -> sha256 of the tar
 * stream (diff_id) -> hardened tar parser -> entry records (and optional
 * per-file sha256). Limits are checked on every chunk. When the tar or the
 * decompressor fails, the blob is still read to its end so that its digest
 * can be verified; when decompression fails, the diff_id cannot be.
 * What each entry means (traversal, whiteouts, link escapes, devices) is
 * judged by entry.c before it is recorded. Merging (whiteouts) happens
 * afterwards in layer order: see merge.c.
 *
 * A layer that is a directory on this machine (fs:/rootfs: inputs,
 * dd__layer_src.dir) has no blob: formats/dirtree.c walks it and calls the
 * same entry/data/end callbacks the tar parser would (read_dir_layer);
 * nothing is hashed or verified, the same limits and budgets apply.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "walk_int.h"
#include "entry.h"
#include "../analyze/analyzer.h"
#include "../formats/decompress.h"
#include "../formats/dirtree.h"
#include "../formats/tar.h"
#include "../source/image_int.h"
#include "../../util/glob.h"
#include "../../util/path.h"
#include "../../util/sha256.h"

#define READ_CHUNK (1u << 20)
/* image-wide budget defaults (dd_walk_opts, docs/budgets.md) */
#define DEFAULT_MAX_TOTAL_BYTES   (64ULL << 30)
#define DEFAULT_MAX_TOTAL_ENTRIES 1000000ULL
/* one blob referenced by more layers than this is reported even when the
 * repeats are adjacent */
#define MAX_QUIET_REPEATS 8

dd_limits dd_limits_resolve(const dd_limits *in)
{
    dd_limits l = {0, 0, 0, 0, 0, 0, 0};
    if (in) {
        l = *in;
    }
    if (!l.max_layer_bytes) {
        l.max_layer_bytes = 32ULL << 30;
    }
    if (!l.max_file_size) {
        l.max_file_size = 16ULL << 30;
    }
    if (!l.max_entries) {
        l.max_entries = 200000;
    }
    if (!l.max_ratio) {
        l.max_ratio = 200;
    }
    if (!l.ratio_grace) {
        l.ratio_grace = 64ULL << 20;
    }
    if (!l.max_path_len) {
        l.max_path_len = 4096;
    }
    if (!l.max_pax_size) {
        l.max_pax_size = 1u << 20;
    }
    return l;
}

typedef struct shared {
    const dd_image *img;
    const dd_walk_opts *opts;
    dd_limits lim;
    dd_walk *w;
    const dd__analyzer *const *analyzers;
    size_t n_analyzers;
    size_t *order;
    atomic_size_t next;
    atomic_int canceled; /* the cancel callback asked to stop */
    /* per layer: 0 digests not verified (stopped, failed), 1 blob
     * verified, 2 blob and diff_id verified */
    unsigned char *verified;
    /* image-wide budgets: what all layers have produced so far */
    uint64_t max_total_bytes, max_total_entries;
    _Atomic uint64_t total_bytes, total_entries;
    pthread_mutex_t progress_lock;
    uint64_t progress_done, progress_total, progress_last;
} shared;

typedef struct layer_ctx {
    shared *sh;
    dd__layer_result *res;
    const char *digest_label; /* for findings */
    dd_sha256 *tar_hash;
    dd_sha256 *file_hash;
    dd_decomp *decomp;
    dd_tar *tar;
    int tar_failed;
    int decomp_stopped;        /* bomb/limit: stop feeding the decompressor */
    int64_t cur;               /* index of the entry receiving data, -1 none */
    dd__entry_scratch scratch; /* for entry.c's normalisation */
    uint64_t entry_offset;     /* of the entry being judged */
    /* content dispatch to analyzers (see analyze/analyzer.h) */
    uint64_t *want;    /* bytes each analyzer wants of the current entry */
    uint64_t want_max; /* 0: nobody wants it */
    dd__buf content;   /* bytes buffered for them */
    /* this layer's share already added to the image-wide totals */
    uint64_t bytes_counted, entries_counted;
    int is_dir;           /* a directory layer (read_dir_layer) */
    uint64_t dir_entries; /* its entries so far (there is no dd_tar) */
} layer_ctx;

static void add_finding(layer_ctx *lc,
                        dd_finding_kind kind,
                        const char *rule,
                        dd_severity sev,
                        const char *path,
                        int has_offset,
                        uint64_t offset,
                        const char *evidence,
                        const char *msg)
{
    int layer = (int)lc->res->index;
    const dd_layer_desc *ld = &dd_image_info_get(lc->sh->img)->layers[layer];
    dd__finding_spec sp = {
        kind,     sev,   rule,        path,       lc->digest_label,
        evidence, layer, ld->history, has_offset, offset,
        0,        NULL,  NULL,        NULL};
    dd__findings_add(lc->res->findings, &sp, "%s", msg);
}

static void on_anomaly(void *payload,
                       const char *rule,
                       dd_severity sev,
                       uint64_t offset,
                       const char *msg)
{
    layer_ctx *lc = payload;
    add_finding(lc, DD_KIND_ARCHIVE, rule, sev, NULL, 1, offset, NULL, msg);
    /* stream-stopping problems already mark the layer through return
     * codes; a limit can also skip a single entry without stopping */
    if (strcmp(rule, "archive.limit") == 0 ||
        strcmp(rule, "archive.bad-sparse") == 0 ||
        strcmp(rule, "archive.unsupported-compression") == 0) {
        lc->res->stats.complete = 0;
    }
}

static int record(layer_ctx *lc,
                  const dd__tar_entry *e,
                  dd_entry_type type,
                  const char *path,
                  size_t plen,
                  const char *link)
{
    dd__layer_result *r = lc->res;
    dd_fs_node *n = dd__vec_push(&r->entries);
    if (!n) {
        return DD_ENOMEM;
    }
    n->path = dd__arena_strndup(&r->strings, path, plen);
    n->linkname = link ? dd__arena_strdup(&r->strings, link) : NULL;
    if (!n->path || (link && !n->linkname)) {
        return DD_ENOMEM;
    }
    n->type = type;
    n->mode = e->mode;
    n->uid = e->uid;
    n->gid = e->gid;
    n->size = e->size;
    n->mtime = e->mtime;
    n->layer = (int)r->index;
    n->deleted_in = -1;
    n->offset = e->offset;
    lc->cur = (int64_t)r->entries.len - 1;
    return 0;
}

/* --skip-dirs / --skip-files: no analyzer reads this path */
static int skipped(const dd_walk_opts *o, const char *path)
{
    for (size_t i = 0; o->skip_dirs && o->skip_dirs[i]; i++) {
        if (dd__glob_match_dir(o->skip_dirs[i], path)) {
            return 1;
        }
    }
    for (size_t i = 0; o->skip_files && o->skip_files[i]; i++) {
        if (dd__glob_match(o->skip_files[i], path)) {
            return 1;
        }
    }
    return 0;
}

/* Ask every analyzer whether it wants the entry just recorded. */
static int dispatch_begin(layer_ctx *lc)
{
    const shared *sh = lc->sh;
    const dd_fs_node *n =
        DD_VEC_AT(&lc->res->entries, dd_fs_node, (size_t)lc->cur);
    lc->want_max = 0;
    dd__buf_reset(&lc->content);
    if (sh->n_analyzers && skipped(sh->opts, n->path)) {
        memset(lc->want, 0, sh->n_analyzers * sizeof *lc->want);
        lc->res->skipped++;
        return 0;
    }
    for (size_t i = 0; i < sh->n_analyzers; i++) {
        const dd__analyzer *a = sh->analyzers[i];
        lc->want[i] = a->wants(a->self, n);
        if (lc->want[i] > lc->want_max) {
            lc->want_max = lc->want[i];
        }
    }
    dd__buf_reset(&lc->content);
    return 0;
}

/* The first DD_REFINE_AT bytes are in: analyzers may lower their want. */
static void refine(layer_ctx *lc)
{
    const shared *sh = lc->sh;
    const dd_fs_node *n =
        DD_VEC_AT(&lc->res->entries, dd_fs_node, (size_t)lc->cur);
    uint64_t mx = 0;
    for (size_t i = 0; i < sh->n_analyzers; i++) {
        const dd__analyzer *a = sh->analyzers[i];
        if (lc->want[i] > DD_REFINE_AT && a->refine) {
            lc->want[i] =
                a->refine(a->self, n, (const uint8_t *)lc->content.ptr,
                          lc->content.len, lc->want[i]);
        }
        mx = lc->want[i] > mx ? lc->want[i] : mx;
    }
    lc->want_max = mx ? mx : 1; /* keep dispatching to those who want it */
}

/* Hand the buffered content to every analyzer that wanted it. */
static int dispatch_end(layer_ctx *lc)
{
    const shared *sh = lc->sh;
    const dd_fs_node *n =
        DD_VEC_AT(&lc->res->entries, dd_fs_node, (size_t)lc->cur);
    const uint8_t *data = (const uint8_t *)lc->content.ptr;
    for (size_t i = 0; i < sh->n_analyzers; i++) {
        if (!lc->want[i]) {
            continue;
        }
        const dd__analyzer *a = sh->analyzers[i];
        size_t len = lc->content.len < lc->want[i] ? lc->content.len
                                                   : (size_t)lc->want[i];
        int rc = a->file(a->self, lc->res->astate[i], n,
                         data ? data : (const uint8_t *)"", len,
                         n->size > lc->want[i]);
        if (rc) {
            return rc;
        }
    }
    lc->want_max = 0;
    /* do not keep a big database's buffer for the rest of the layer */
    if (lc->content.cap > (4u << 20)) {
        dd__buf_free(&lc->content);
        dd__buf_init(&lc->content, 0);
    }
    return 0;
}

static void on_entry_finding(void *ctx,
                             const char *rule,
                             dd_severity sev,
                             const char *path,
                             const char *evidence,
                             const char *msg)
{
    layer_ctx *lc = ctx;
    add_finding(lc, DD_KIND_ARCHIVE, rule, sev, path, !lc->is_dir,
                lc->entry_offset, evidence, msg);
}

static int on_entry(void *payload, const dd__tar_entry *e)
{
    layer_ctx *lc = payload;
    lc->cur = -1;
    lc->entry_offset = e->offset;
    dd__entry_rec rec;
    int rc = dd__entry_judge(e, &lc->scratch, on_entry_finding, lc, &rec);
    if (rc || !rec.keep) {
        return rc;
    }
    rc = record(lc, e, rec.type, rec.path, rec.plen, rec.link);
    if (!rc && lc->file_hash && rec.type == DD_ENTRY_FILE) {
        dd__sha256_reset(lc->file_hash);
    }
    if (!rc && rec.type == DD_ENTRY_FILE && lc->sh->n_analyzers) {
        rc = dispatch_begin(lc);
    }
    return rc;
}

static int on_data(void *payload, const uint8_t *p, size_t n)
{
    layer_ctx *lc = payload;
    if (lc->file_hash && lc->cur >= 0) {
        dd__sha256_update(lc->file_hash, p, n);
    }
    if (lc->want_max && lc->content.len < lc->want_max) {
        size_t before = lc->content.len;
        size_t room = (size_t)(lc->want_max - lc->content.len);
        if (dd__buf_add(&lc->content, p, n < room ? n : room) != 0) {
            return DD_ENOMEM;
        }
        if (before < DD_REFINE_AT && lc->content.len >= DD_REFINE_AT) {
            refine(lc);
        }
    }
    return 0;
}

static int on_entry_end(void *payload)
{
    layer_ctx *lc = payload;
    if (lc->file_hash && lc->cur >= 0) {
        dd_fs_node *n =
            DD_VEC_AT(&lc->res->entries, dd_fs_node, (size_t)lc->cur);
        if (n->type == DD_ENTRY_FILE) {
            char d[72];
            dd__sha256_final_digest(lc->file_hash, d);
            n->sha256 = dd__arena_strdup(&lc->res->strings, d + 7);
            if (!n->sha256) {
                return DD_ENOMEM;
            }
        }
    }
    if (lc->want_max && lc->cur >= 0) {
        int rc = dispatch_end(lc);
        if (rc) {
            return rc;
        }
    }
    lc->cur = -1;
    return 0;
}

static int on_output(void *payload, const uint8_t *p, size_t n)
{
    layer_ctx *lc = payload;
    dd__layer_result *r = lc->res;
    const dd_limits *lim = &lc->sh->lim;
    char msg[256];
    dd__sha256_update(lc->tar_hash, p, n);
    r->stats.tar_bytes += n;
    if (r->stats.tar_bytes > lim->max_layer_bytes) {
        snprintf(msg, sizeof msg,
                 "layer expands past max-layer-bytes (%llu); reading "
                 "stopped",
                 (unsigned long long)lim->max_layer_bytes);
        on_anomaly(lc, "archive.limit", DD_SEV_HIGH, r->stats.stored_bytes,
                   msg);
        return DD_ELIMIT;
    }
    if (r->stats.compression != DD_COMP_NONE &&
        r->stats.tar_bytes > lim->ratio_grace &&
        r->stats.tar_bytes /
                (r->stats.stored_bytes ? r->stats.stored_bytes : 1) >
            lim->max_ratio) {
        snprintf(msg, sizeof msg,
                 "decompression bomb: %llu bytes expanded from %llu "
                 "(ratio over %llu); reading stopped",
                 (unsigned long long)r->stats.tar_bytes,
                 (unsigned long long)r->stats.stored_bytes,
                 (unsigned long long)lim->max_ratio);
        add_finding(lc, DD_KIND_ARCHIVE, "archive.decompression-bomb",
                    DD_SEV_HIGH, NULL, 1, r->stats.stored_bytes, NULL, msg);
        r->stats.complete = 0;
        return DD_ELIMIT;
    }
    if (!lc->tar_failed) {
        int rc = dd__tar_feed(lc->tar, p, n);
        if (rc == DD_ENOMEM) {
            return rc;
        }
        if (rc) {
            lc->tar_failed = 1;
            r->stats.complete = 0;
        }
    }
    return 0;
}

static void report_progress(layer_ctx *lc, uint64_t n)
{
    shared *sh = lc->sh;
    if (!sh->opts->progress) {
        return;
    }
    pthread_mutex_lock(&sh->progress_lock);
    sh->progress_done += n;
    if (sh->progress_done - sh->progress_last >= (8u << 20) ||
        sh->progress_done == sh->progress_total) {
        sh->progress_last = sh->progress_done;
        sh->opts->progress(sh->progress_done, sh->progress_total,
                           sh->opts->progress_payload);
    }
    pthread_mutex_unlock(&sh->progress_lock);
}

static void
verify_digests(layer_ctx *lc, const dd__layer_src *src, int stream_done)
{
    dd__layer_result *r = lc->res;
    char msg[400];
    if (src->expect_digest && strcmp(src->expect_digest, r->blob_digest)) {
        snprintf(msg, sizeof msg,
                 "layer blob does not match its digest: expected %s, "
                 "content hashes to %s (tampered or corrupted)",
                 src->expect_digest, r->blob_digest);
        add_finding(lc, DD_KIND_INTEGRITY, "integrity.blob-digest", DD_SEV_HIGH,
                    NULL, 0, 0, NULL, msg);
    }
    if (src->expect_size >= 0 &&
        (uint64_t)src->expect_size != r->stats.stored_bytes) {
        snprintf(msg, sizeof msg,
                 "layer blob is %llu bytes, descriptor says %lld",
                 (unsigned long long)r->stats.stored_bytes,
                 (long long)src->expect_size);
        add_finding(lc, DD_KIND_INTEGRITY, "integrity.blob-size", DD_SEV_HIGH,
                    NULL, 0, 0, NULL, msg);
    }
    if (!stream_done) {
        return; /* the diff_id of a stream we could not finish is unknown */
    }
    if (!src->expect_diff_id) {
        add_finding(lc, DD_KIND_INTEGRITY, "integrity.diff-id-missing",
                    DD_SEV_MEDIUM, NULL, 0, 0, NULL,
                    "config has no diff_id for this layer: its content "
                    "cannot be verified");
    } else if (strcmp(src->expect_diff_id, r->diff_digest) != 0) {
        snprintf(msg, sizeof msg,
                 "uncompressed layer does not match the config's diff_id: "
                 "expected %s, content hashes to %s",
                 src->expect_diff_id, r->diff_digest);
        add_finding(lc, DD_KIND_INTEGRITY, "integrity.diff-id", DD_SEV_HIGH,
                    NULL, 0, 0, NULL, msg);
    }
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Add what this layer produced since the last call to the image-wide
 * totals. */
static void account(layer_ctx *lc)
{
    shared *sh = lc->sh;
    uint64_t b = lc->res->stats.tar_bytes;
    uint64_t e = lc->is_dir ? lc->dir_entries
                 : lc->tar  ? dd__tar_entries(lc->tar)
                            : 0;
    if (b > lc->bytes_counted) {
        atomic_fetch_add(&sh->total_bytes, b - lc->bytes_counted);
        lc->bytes_counted = b;
    }
    if (e > lc->entries_counted) {
        atomic_fetch_add(&sh->total_entries, e - lc->entries_counted);
        lc->entries_counted = e;
    }
}

/* An image-wide budget is spent: HIGH finding, this layer stops. */
static int budget_spent(layer_ctx *lc, uint64_t off)
{
    shared *sh = lc->sh;
    account(lc);
    const char *rule = NULL, *what = NULL;
    uint64_t lim = 0;
    if (atomic_load(&sh->total_bytes) > sh->max_total_bytes) {
        rule = "budget.bytes", what = "decompressed bytes";
        lim = sh->max_total_bytes;
    } else if (atomic_load(&sh->total_entries) > sh->max_total_entries) {
        rule = "budget.entries", what = "archive entries";
        lim = sh->max_total_entries;
    }
    if (!rule) {
        return 0;
    }
    char msg[300];
    snprintf(msg, sizeof msg,
             "image-wide budget of %llu %s (all layers together) spent: "
             "layer read only to blob offset %llu; the rest of it was not "
             "analysed",
             (unsigned long long)lim, what, (unsigned long long)off);
    add_finding(lc, DD_KIND_ARCHIVE, rule, DD_SEV_HIGH, NULL, 1, off, NULL,
                msg);
    lc->res->stats.complete = 0;
    return 1;
}

/* Cancel, deadline and image-wide budgets, polled between reads.
 * 1: stop this layer. */
static int must_stop(layer_ctx *lc, uint64_t off)
{
    shared *sh = lc->sh;
    if (atomic_load(&sh->canceled)) {
        return 1;
    }
    if (budget_spent(lc, off)) {
        return 1;
    }
    if (sh->opts->cancel && sh->opts->cancel(sh->opts->cancel_payload)) {
        atomic_store(&sh->canceled, 1);
        return 1;
    }
    if (sh->opts->deadline_ns && now_ns() >= sh->opts->deadline_ns) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "scan deadline reached: layer read only to blob offset "
                 "%llu; the rest of it was not analysed",
                 (unsigned long long)off);
        add_finding(lc, DD_KIND_ARCHIVE, "scan.timeout", DD_SEV_HIGH, NULL, 1,
                    off, NULL, msg);
        lc->res->stats.complete = 0;
        return 1;
    }
    return 0;
}

/* dirtree.c's poll: the counts so far, then budgets, cancel, deadline. */
static int dir_poll(void *payload, const dd__dirtree_stats *st)
{
    layer_ctx *lc = payload;
    lc->res->stats.tar_bytes = lc->res->stats.stored_bytes = st->bytes;
    lc->dir_entries = st->entries;
    return must_stop(lc, st->bytes) ? DD_EUSER : 0;
}

/* Bytes of the current file someone still wants: all when files are
 * hashed, else what the analyzers asked for (refine may lower it). */
static uint64_t dir_want(void *payload)
{
    const layer_ctx *lc = payload;
    if (lc->file_hash && lc->cur >= 0) {
        return UINT64_MAX;
    }
    return lc->want_max;
}

/* dirtree.c's anomalies name the entry: the finding gets its path. */
static void dir_anomaly(void *payload,
                        const char *rule,
                        dd_severity sev,
                        const char *path,
                        const char *msg)
{
    layer_ctx *lc = payload;
    add_finding(lc, DD_KIND_ARCHIVE, rule, sev, path, 0, 0, NULL, msg);
    if (strcmp(rule, "archive.limit") == 0 ||
        strcmp(rule, "fs.unreadable") == 0) {
        lc->res->stats.complete = 0;
    }
}

/* A directory layer: the tree instead of a blob, the same callbacks. */
static void read_dir_layer(layer_ctx *lc, const dd__layer_src *src)
{
    const shared *sh = lc->sh;
    dd__layer_result *r = lc->res;
    dd__dirtree_limits dl = {sh->lim.max_file_size, sh->lim.max_entries,
                             sh->lim.max_path_len, 0, sh->lim.max_layer_bytes};
    dd__tar_callbacks tcb = {on_entry, on_data, on_entry_end, on_anomaly, lc};
    dd__dirtree_stats st;
    lc->is_dir = 1;
    r->stats.compression = DD_COMP_NONE;
    dd__dirtree_hooks hooks = {dir_poll, dir_want, dir_anomaly};
    int rc = dd__dirtree_read(src->path, &dl, &tcb, &hooks, &st, &r->err);
    r->stats.entries = st.entries;
    r->stats.tar_bytes = r->stats.stored_bytes = st.bytes;
    lc->dir_entries = st.entries;
    account(lc);
    if (rc == DD_ENOMEM || rc == DD_ENOTFOUND || rc == DD_EIO ||
        rc == DD_EUNSUPPORTED || rc == DD_EINVALID) {
        if (!r->err.code) {
            dd__error_set(&r->err, rc, "%s: %s", src->path, dd_strerror(rc));
        }
        r->io_failed = 1;
    } else if (rc) {
        r->stats.complete = 0; /* a limit or a stop, already reported */
    }
}

static void process_layer(shared *sh, dd__layer_result *r, uint8_t *buf)
{
    const dd__layer_src *src = dd__image_layer_src(sh->img, r->index);
    layer_ctx lc;
    memset(&lc, 0, sizeof lc);
    lc.sh = sh;
    lc.res = r;
    lc.cur = -1;
    lc.digest_label =
        src->expect_digest ? src->expect_digest : src->expect_diff_id;
    dd__buf_init(&lc.scratch.path, (size_t)sh->lim.max_pax_size + 512);
    dd__buf_init(&lc.scratch.link, (size_t)sh->lim.max_pax_size + 512);
    dd__buf_init(&lc.scratch.target, 0);
    dd__buf_init(&lc.content, 0);
    r->stats.complete = 1;
    dd__region reg;
    dd_sha256 *blob_hash = dd__sha256_new();
    lc.tar_hash = dd__sha256_new();
    lc.file_hash = sh->opts->hash_files ? dd__sha256_new() : NULL;
    dd__decomp_callbacks dcb = {on_output, on_anomaly, &lc};
    dd__tar_callbacks tcb = {on_entry, on_data, on_entry_end, on_anomaly, &lc};
    lc.decomp = dd__decomp_new(&dcb);
    dd__tar_limits tl = {sh->lim.max_file_size,
                         sh->lim.max_entries,
                         sh->lim.max_path_len,
                         sh->lim.max_pax_size,
                         0,
                         0};
    lc.tar = dd__tar_new(&tl, &tcb);
    if (!blob_hash || !lc.tar_hash || !lc.decomp || !lc.tar ||
        (sh->opts->hash_files && !lc.file_hash)) {
        dd__error_set(&r->err, DD_ENOMEM, "out of memory");
        r->io_failed = 1;
        goto out;
    }
    if (sh->n_analyzers) {
        lc.want = dd__calloc(sh->n_analyzers, sizeof *lc.want);
        if (!lc.want) {
            dd__error_set(&r->err, DD_ENOMEM, "out of memory");
            r->io_failed = 1;
            goto out;
        }
        for (size_t i = 0; i < sh->n_analyzers; i++) {
            const dd__analyzer *a = sh->analyzers[i];
            r->astate[i] = a->layer_begin(a->self, r->index, r->findings);
            if (!r->astate[i]) {
                dd__error_set(&r->err, DD_ENOMEM, "out of memory");
                r->io_failed = 1;
                goto out;
            }
        }
    }
    if (src->dir) {
        read_dir_layer(&lc, src);
        goto out;
    }
    if (dd__image_layer_region(sh->img, r->index, &reg, &r->err) != 0) {
        r->io_failed = 1;
        goto out;
    }
    uint64_t off = 0;
    int decomp_ok = 1, stopped = 0;
    for (;;) {
        if (must_stop(&lc, off)) {
            stopped = 1;
            break;
        }
        long long n = dd__region_read(&reg, off, buf, READ_CHUNK);
        if (n < 0) {
            dd__error_set(&r->err, DD_EIO,
                          "layer %zu (%s): read error at offset %llu", r->index,
                          src->path, (unsigned long long)off);
            r->io_failed = 1;
            break;
        }
        if (n == 0) {
            break;
        }
        if (off == 0) {
            r->stats.compression = dd__decomp_sniff(buf, (size_t)n);
        }
        dd__sha256_update(blob_hash, buf, (size_t)n);
        off += (uint64_t)n;
        r->stats.stored_bytes = off;
        if (decomp_ok) {
            int rc = dd__decomp_feed(lc.decomp, buf, (size_t)n);
            if (rc) {
                decomp_ok = 0;
                r->stats.complete = 0;
                if (rc == DD_ENOMEM) {
                    dd__error_set(&r->err, DD_ENOMEM, "out of memory");
                    r->io_failed = 1;
                    break;
                }
            }
        }
        report_progress(&lc, (uint64_t)n);
    }
    dd__region_close(&reg);
    account(&lc);
    if (stopped) {
        decomp_ok = 0; /* the rest of the stream was not read */
    }
    if (decomp_ok && !r->io_failed && dd__decomp_finish(lc.decomp) != 0) {
        decomp_ok = 0;
        r->stats.complete = 0;
    }
    if (decomp_ok && !lc.tar_failed && dd__tar_finish(lc.tar) != 0) {
        r->stats.complete = 0;
    }
    r->stats.entries = dd__tar_entries(lc.tar);
    dd__sha256_final_digest(blob_hash, r->blob_digest);
    dd__sha256_final_digest(lc.tar_hash, r->diff_digest);
    r->stats.blob_sha256 = r->blob_digest;
    r->stats.diff_sha256 = decomp_ok ? r->diff_digest : NULL;
    if (!r->io_failed && !stopped) {
        verify_digests(&lc, src, decomp_ok);
        sh->verified[r->index] = decomp_ok ? 2 : 1;
    }
out:
    for (size_t i = 0; i < sh->n_analyzers; i++) {
        const dd__analyzer *a = sh->analyzers[i];
        if (a->layer_end && r->astate[i]) {
            a->layer_end(a->self, r->astate[i]);
        }
    }
    if (r->io_failed) {
        r->stats.complete = 0;
    }
    dd__sha256_free(blob_hash);
    dd__sha256_free(lc.tar_hash);
    dd__sha256_free(lc.file_hash);
    dd__decomp_free(lc.decomp);
    dd__tar_free(lc.tar);
    dd__buf_free(&lc.scratch.path);
    dd__buf_free(&lc.scratch.link);
    dd__buf_free(&lc.scratch.target);
    dd__buf_free(&lc.content);
    dd__free(lc.want);
}

static void *worker(void *arg)
{
    shared *sh = arg;
    uint8_t *buf = dd__malloc(READ_CHUNK);
    for (;;) {
        size_t k = atomic_fetch_add(&sh->next, 1);
        if (k >= sh->w->n_layers) {
            break;
        }
        dd__layer_result *r = &sh->w->layers[sh->order[k]];
        if (r->same_as >= 0) {
            continue; /* a repeat of an earlier blob: see reuse_repeats() */
        }
        if (!buf) {
            dd__error_set(&r->err, DD_ENOMEM, "out of memory");
            r->io_failed = 1;
            continue;
        }
        process_layer(sh, r, buf);
    }
    dd__free(buf);
    return NULL;
}

static int by_path(const void *a, const void *b, void *img)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(dd__image_layer_src(img, x)->path,
                   dd__image_layer_src(img, y)->path);
    return c ? c : x < y ? -1 : x > y;
}

/* Layers whose bytes are those of an earlier layer (the same blob in the
 * store) get same_as = that layer: they are not read again. */
static int find_repeats(dd_walk *w, const dd_image *img)
{
    size_t n = w->n_layers;
    size_t *ix = dd__calloc(n + 1, sizeof *ix);
    if (!ix) {
        return DD_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        ix[i] = i;
        w->layers[i].same_as = -1;
    }
    qsort_r(ix, n, sizeof *ix, by_path, (void *)img);
    for (size_t k = 1; k < n; k++) {
        const char *a = dd__image_layer_src(img, ix[k - 1])->path;
        const char *b = dd__image_layer_src(img, ix[k])->path;
        if (strcmp(a, b) == 0) {
            dd__layer_result *first = &w->layers[ix[k - 1]];
            w->layers[ix[k]].same_as =
                first->same_as >= 0 ? first->same_as : (long)ix[k - 1];
        }
    }
    dd__free(ix);
    return 0;
}

/* After the workers: give every repeated layer the result of the layer
 * whose blob it repeats, as the runtime would apply it a second time.
 * A repeat right above the same blob changes nothing and is left empty;
 * elsewhere its entries are copied (they count against the entries
 * budget). Returns 0 or DD_ENOMEM. */
static int reuse_repeats(shared *sh)
{
    dd_walk *w = sh->w;
    size_t *count = dd__calloc(w->n_layers + 1, sizeof *count);
    unsigned char *told = dd__calloc(w->n_layers + 1, 1);
    int rc = count && told ? 0 : DD_ENOMEM;
    for (size_t j = 0; !rc && j < w->n_layers; j++) {
        if (w->layers[j].same_as >= 0) {
            count[w->layers[j].same_as]++; /* references beyond the first */
        }
    }
    for (size_t j = 0; !rc && j < w->n_layers; j++) {
        dd__layer_result *r = &w->layers[j];
        if (r->same_as < 0) {
            continue;
        }
        size_t i = (size_t)r->same_as;
        const dd__layer_result *o = &w->layers[i];
        layer_ctx lc;
        memset(&lc, 0, sizeof lc);
        lc.sh = sh;
        lc.res = r;
        const dd__layer_src *src = dd__image_layer_src(sh->img, j);
        lc.digest_label =
            src->expect_digest ? src->expect_digest : src->expect_diff_id;
        r->stats = o->stats;
        memcpy(r->blob_digest, o->blob_digest, sizeof r->blob_digest);
        memcpy(r->diff_digest, o->diff_digest, sizeof r->diff_digest);
        r->stats.blob_sha256 = o->stats.blob_sha256 ? r->blob_digest : NULL;
        r->stats.diff_sha256 = o->stats.diff_sha256 ? r->diff_digest : NULL;
        if (o->io_failed) {
            r->stats.complete = 0;
            continue; /* the first layer's error is reported */
        }
        for (size_t a = 0; r->astate && a < sh->n_analyzers; a++) {
            r->astate[a] = o->astate[a];
        }
        if (sh->verified[i]) {
            verify_digests(&lc, src, sh->verified[i] == 2);
        }
        int adjacent = w->layers[j - 1].same_as == (long)i || j - 1 == i;
        if (!told[i] && o->entries.len &&
            (!adjacent || count[i] > MAX_QUIET_REPEATS)) {
            told[i] = 1;
            char msg[400];
            snprintf(msg, sizeof msg,
                     "layer %zu is the blob of layer %zu again%s (%zu "
                     "layers use that blob); it was read once and its "
                     "entries applied again, as a runtime would",
                     j, i, adjacent ? "" : ", with other layers between",
                     count[i] + 1);
            add_finding(&lc, DD_KIND_ARCHIVE, "archive.repeated-layer",
                        DD_SEV_HIGH, NULL, 0, 0, NULL, msg);
        }
        if (adjacent) {
            continue; /* applying the same layer twice in a row: no-op */
        }
        uint64_t n = o->entries.len;
        uint64_t before = atomic_fetch_add(&sh->total_entries, n);
        if (before + n > sh->max_total_entries) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "image-wide budget of %llu archive entries (all layers "
                     "together) spent: this repeat of layer %zu was not "
                     "applied",
                     (unsigned long long)sh->max_total_entries, i);
            add_finding(&lc, DD_KIND_ARCHIVE, "budget.entries", DD_SEV_HIGH,
                        NULL, 0, 0, NULL, msg);
            r->stats.complete = 0;
            continue;
        }
        for (size_t k = 0; k < o->entries.len; k++) {
            dd_fs_node *e = dd__vec_push(&r->entries);
            if (!e) {
                rc = DD_ENOMEM;
                break;
            }
            *e = *DD_VEC_AT(&o->entries, dd_fs_node, k);
            e->layer = (int)j;
        }
    }
    dd__free(count);
    dd__free(told);
    return rc;
}

static int by_size_desc(const void *a, const void *b, void *info)
{
    const dd_image_info *in = info;
    uint64_t sa = in->layers[*(const size_t *)a].size;
    uint64_t sb = in->layers[*(const size_t *)b].size;
    return sa < sb ? 1 : sa > sb ? -1 : 0;
}

static int check_skips(const char *const *v, const char *what, dd_error *err)
{
    for (size_t i = 0; v && v[i]; i++) {
        char why[64];
        if (dd__glob_check(v[i], why, sizeof why)) {
            return dd__error_set(err, DD_EINVALID, "--%s '%s': %s", what, v[i],
                                 why);
        }
    }
    return 0;
}

int dd_walk_run(dd_walk **out,
                const dd_image *img,
                const dd_walk_opts *opts,
                dd_error *err)
{
    return dd__walk_run_with(out, img, opts, NULL, 0, err);
}

int dd__walk_run_with(dd_walk **out,
                      const dd_image *img,
                      const dd_walk_opts *opts,
                      const dd__analyzer *const *analyzers,
                      size_t n_analyzers,
                      dd_error *err)
{
    dd__error_clear(err);
    if (!out || !img) {
        return dd__error_set(err, DD_EINVALID, "dd_walk_run: NULL argument");
    }
    dd_walk_opts defaults = DD_WALK_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    if (check_skips(opts->skip_dirs, "skip-dirs", err) ||
        check_skips(opts->skip_files, "skip-files", err)) {
        return DD_EINVALID;
    }
    const dd_image_info *info = dd_image_info_get(img);
    dd_walk *w = dd__calloc(1, sizeof *w);
    if (!w) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__vec_init(&w->files, sizeof(dd_fs_node));
    dd__vec_init(&w->deleted, sizeof(dd_fs_node));
    w->n_layers = info->n_layers;
    w->analyzers = analyzers;
    w->n_analyzers = n_analyzers;
    w->layers = dd__calloc(w->n_layers + 1, sizeof *w->layers);
    w->findings = dd__findings_new();
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.order = dd__calloc(w->n_layers + 1, sizeof *sh.order);
    int rc = 0;
    sh.verified = dd__calloc(w->n_layers + 1, 1);
    if (!w->layers || !w->findings || !sh.order || !sh.verified ||
        find_repeats(w, img) != 0) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < w->n_layers; i++) {
        dd__layer_result *r = &w->layers[i];
        r->index = i;
        dd__vec_init(&r->entries, sizeof(dd_fs_node));
        dd__arena_init(&r->strings);
        r->findings = dd__findings_new();
        r->astate =
            n_analyzers ? dd__calloc(n_analyzers, sizeof(void *)) : NULL;
        if (!r->findings || (n_analyzers && !r->astate)) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            goto fail;
        }
        sh.order[i] = i;
        if (r->same_as < 0) {
            sh.progress_total += info->layers[i].size;
        }
    }
    /* biggest layers first: the slowest one starts at once */
    qsort_r(sh.order, w->n_layers, sizeof *sh.order, by_size_desc,
            (void *)info);
    sh.img = img;
    sh.opts = opts;
    sh.lim = dd_limits_resolve(&opts->limits);
    sh.max_total_bytes =
        opts->max_total_bytes ? opts->max_total_bytes : DEFAULT_MAX_TOTAL_BYTES;
    sh.max_total_entries = opts->max_total_entries ? opts->max_total_entries
                                                   : DEFAULT_MAX_TOTAL_ENTRIES;
    atomic_init(&sh.total_bytes, 0);
    atomic_init(&sh.total_entries, 0);
    sh.w = w;
    sh.analyzers = analyzers;
    sh.n_analyzers = n_analyzers;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.canceled, 0);
    pthread_mutex_init(&sh.progress_lock, NULL);
    unsigned nt = opts->threads;
    if (!nt) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nt = c > 0 ? (unsigned)c : 1;
    }
    if (nt > w->n_layers) {
        nt = (unsigned)w->n_layers;
    }
    if (nt > 64) {
        nt = 64;
    }
    pthread_t tids[64];
    unsigned started = 0;
    for (unsigned t = 1; t < nt; t++) {
        if (pthread_create(&tids[started], NULL, worker, &sh) == 0) {
            started++;
        }
    }
    worker(&sh); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
    }
    pthread_mutex_destroy(&sh.progress_lock);
    if (atomic_load(&sh.canceled)) {
        rc = dd__error_set(err, DD_ECANCELED, "scan canceled");
        goto fail;
    }
    for (size_t i = 0; i < w->n_layers; i++) {
        dd__layer_result *r = &w->layers[i];
        if (r->io_failed) {
            rc = dd__error_set(err, r->err.code ? r->err.code : DD_EIO, "%s",
                               r->err.message);
            goto fail;
        }
    }
    if (reuse_repeats(&sh) != 0 || dd__merge_layers(w) != 0) {
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        goto fail;
    }
    w->complete = dd__image_complete(img);
    for (size_t i = 0; i < w->n_layers; i++) {
        if (!w->layers[i].stats.complete) {
            w->complete = 0;
        }
        if (dd__findings_move(w->findings, w->layers[i].findings) != 0) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            goto fail;
        }
    }
    dd__free(sh.order);
    dd__free(sh.verified);
    *out = w;
    return 0;
fail:
    dd__free(sh.order);
    dd__free(sh.verified);
    dd_walk_free(w);
    return rc;
}

void dd_walk_free(dd_walk *w)
{
    if (!w) {
        return;
    }
    for (size_t i = 0; w->layers && i < w->n_layers; i++) {
        dd__vec_free(&w->layers[i].entries);
        dd__arena_free(&w->layers[i].strings);
        dd_findings_free(w->layers[i].findings);
        for (size_t a = 0; w->layers[i].astate && a < w->n_analyzers &&
                           w->layers[i].same_as < 0;
             a++) {
            if (w->layers[i].astate[a]) {
                w->analyzers[a]->layer_free(w->analyzers[a]->self,
                                            w->layers[i].astate[a]);
            }
        }
        dd__free(w->layers[i].astate);
    }
    dd__free(w->layers);
    dd__vec_free(&w->files);
    dd__vec_free(&w->deleted);
    dd_findings_free(w->findings);
    dd__free(w);
}

size_t dd_walk_file_count(const dd_walk *w)
{
    return w->files.len;
}

const dd_fs_node *dd_walk_file(const dd_walk *w, size_t i)
{
    return i < w->files.len ? DD_VEC_AT(&w->files, dd_fs_node, i) : NULL;
}

size_t dd_walk_deleted_count(const dd_walk *w)
{
    return w->deleted.len;
}

const dd_fs_node *dd_walk_deleted(const dd_walk *w, size_t i)
{
    return i < w->deleted.len ? DD_VEC_AT(&w->deleted, dd_fs_node, i) : NULL;
}

size_t dd_walk_layer_entry_count(const dd_walk *w, size_t layer)
{
    return layer < w->n_layers ? w->layers[layer].entries.len : 0;
}

const dd_fs_node *dd_walk_layer_entry(const dd_walk *w, size_t layer, size_t i)
{
    if (layer >= w->n_layers || i >= w->layers[layer].entries.len) {
        return NULL;
    }
    return DD_VEC_AT(&w->layers[layer].entries, dd_fs_node, i);
}

const dd_layer_stats *dd_walk_layer_stats(const dd_walk *w, size_t layer)
{
    return layer < w->n_layers ? &w->layers[layer].stats : NULL;
}

const dd_findings *dd_walk_findings(const dd_walk *w)
{
    return w->findings;
}

uint64_t dd_walk_skipped_count(const dd_walk *w)
{
    uint64_t n = 0;
    for (size_t i = 0; i < w->n_layers; i++) {
        if (w->layers[i].same_as < 0) {
            n += w->layers[i].skipped;
        }
    }
    return n;
}

int dd_walk_complete(const dd_walk *w)
{
    return w->complete;
}

void *dd__walk_layer_state(const dd_walk *w, size_t ai, size_t layer)
{
    if (layer >= w->n_layers || ai >= w->n_analyzers ||
        !w->layers[layer].astate) {
        return NULL;
    }
    return w->layers[layer].astate[ai];
}

const dd_fs_node *dd__walk_find(const dd_walk *w, const char *path)
{
    size_t lo = 0, hi = w->files.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const dd_fs_node *n = DD_VEC_AT(&w->files, dd_fs_node, mid);
        int c = strcmp(n->path, path);
        if (c == 0) {
            return n;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}
