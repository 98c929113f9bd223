/*
 * lib/secret/secret_analyzer.c - the secret analyzer in the walk, and the scan
 * of the image configuration (Env, Labels, Cmd, Entrypoint, history).
 *
 * Every regular file of every layer is offered (up to 16 MiB; binary
 * files - a NUL in the first 8 KiB - only to the rules marked BINARY and
 * only in their first 64 KiB). Findings go to the layer's list, so a
 * secret in a file that a later layer deleted is reported with
 * deleted_in set: its bytes still ship in the lower layer.
 */
#include <stdio.h>
#include <string.h>

#include "secret_int.h"
#include "../analyze/analyzer.h"
#include "../findings_int.h"

#define MAX_FILE   (16u << 20)
#define MAX_BINARY (64u << 10)
/* findings listed per file: a file of 100,000 passwords is one problem,
 * reported as the first ones plus a count, not 100,000 findings */
#define MAX_PER_FILE 100

typedef struct lstate {
    dd__secret_analyzer *an;
    size_t layer;
    dd_findings *findings;
} lstate;

typedef struct cbctx {
    const dd_fs_node *n;
    int history;
    const char *where; /* config key, for image-level findings */
    dd_findings *out;
    int layer;
    const char *digest;
    size_t listed, more; /* findings in this file: listed, beyond the cap */
} cbctx;

static uint64_t wants(void *self, const dd_fs_node *n)
{
    (void)self;
    return n->size ? MAX_FILE : 0;
}

/* a binary file needs only its first MAX_BINARY bytes */
static uint64_t refine(void *self,
                       const dd_fs_node *n,
                       const uint8_t *head,
                       size_t len,
                       uint64_t want)
{
    (void)self;
    (void)n;
    return memchr(head, 0, len) && want > MAX_BINARY ? MAX_BINARY : want;
}

static void *layer_begin(void *self, size_t layer, dd_findings *findings)
{
    lstate *s = dd__calloc(1, sizeof *s);
    if (s) {
        s->an = self;
        s->layer = layer;
        s->findings = findings;
    }
    return s;
}

static void layer_free(void *self, void *st)
{
    (void)self;
    dd__free(st);
}

static int on_match(void *ctx, const dd__secret_match *m)
{
    cbctx *c = ctx;
    if (m->limit) {
        /* never a silent partial scan: one rule gave up on this text */
        dd__finding_spec lp = {DD_KIND_SECRET,
                               DD_SEV_MEDIUM,
                               "secret.partial",
                               c->n ? c->n->path : NULL,
                               c->digest,
                               NULL,
                               c->layer,
                               c->history,
                               c->n != NULL,
                               c->n ? c->n->offset : 0,
                               0,
                               "scan-limit",
                               NULL,
                               NULL};
        return dd__findings_add(c->out, &lp,
                                "secret rule %s hit its regular-expression "
                                "match limit at byte %llu of %s (crafted "
                                "input?); the rest was not checked for it",
                                m->rule_id, (unsigned long long)m->offset,
                                c->n ? "this file" : c->where);
    }
    if (c->n && c->listed >= MAX_PER_FILE) {
        c->more++;
        return 0;
    }
    c->listed++;
    dd__finding_spec sp = {DD_KIND_SECRET,
                           m->severity,
                           m->rule_id,
                           c->n ? c->n->path : NULL,
                           c->digest,
                           m->redacted,
                           c->layer,
                           c->history,
                           c->n != NULL,
                           c->n ? c->n->offset : 0,
                           c->n ? m->line : 0,
                           m->category,
                           NULL,
                           NULL};
    if (c->n) {
        return dd__findings_add(c->out, &sp, "%s (%s, line %zu)", m->title,
                                m->category, m->line);
    }
    return dd__findings_add(c->out, &sp, "%s in the image config %s (%s)",
                            m->title, c->where, m->category);
}

static int on_file(void *self,
                   void *st,
                   const dd_fs_node *n,
                   const uint8_t *data,
                   size_t len,
                   int truncated)
{
    (void)self;
    lstate *s = st;
    const dd_image_info *info = s->an->info;
    const dd_layer_desc *ld = &info->layers[s->layer];
    int binary = memchr(data, 0, len < 8192 ? len : 8192) != NULL;
    cbctx c = {n,
               ld->history,
               NULL,
               s->findings,
               (int)s->layer,
               ld->diff_id ? ld->diff_id : ld->digest,
               0,
               0};
    int rc = dd__secret_scan(s->an->engine, n->path, data,
                             binary && len > MAX_BINARY ? MAX_BINARY : len,
                             on_match, &c);
    if (rc == 0 && c.more) {
        dd__finding_spec mp = {DD_KIND_SECRET, DD_SEV_HIGH, "secret.more",
                               n->path,        c.digest,    NULL,
                               c.layer,        c.history,   1,
                               n->offset,      0,           "summary",
                               NULL,           NULL};
        rc = dd__findings_add(s->findings, &mp,
                              "%zu further secret matches in this file are "
                              "not listed (the first %d are)",
                              c.more, MAX_PER_FILE);
    }
    if (rc != DD_ELIMIT && !(truncated && !binary)) {
        return rc;
    }
    /* never a silent partial scan: the file was read only in part */
    dd__finding_spec sp = {DD_KIND_SECRET,
                           DD_SEV_MEDIUM,
                           "secret.partial",
                           n->path,
                           c.digest,
                           NULL,
                           c.layer,
                           c.history,
                           1,
                           n->offset,
                           0,
                           "scan-limit",
                           NULL,
                           NULL};
    if (rc == DD_ELIMIT) {
        return dd__findings_add(s->findings, &sp,
                                "secret scan stopped: more than %u keyword "
                                "runs in one file",
                                (unsigned)DD__SECRET_MAX_RUNS);
    }
    return dd__findings_add(s->findings, &sp,
                            "secret scan read only the first %u MiB of a "
                            "%llu-byte text file",
                            MAX_FILE >> 20, (unsigned long long)n->size);
}

void dd__secret_analyzer_init(dd__analyzer *a, dd__secret_analyzer *sa)
{
    memset(a, 0, sizeof *a);
    a->name = "secrets";
    a->version = 1;
    a->self = sa;
    a->wants = wants;
    a->refine = refine;
    a->layer_begin = layer_begin;
    a->file = on_file;
    a->layer_free = layer_free;
}

static int scan_str(dd__secret_analyzer *sa,
                    dd_findings *out,
                    const char *where,
                    int history,
                    const char *text)
{
    if (!text || !*text) {
        return 0;
    }
    cbctx c = {NULL, history, where, out, -1, NULL, 0, 0};
    return dd__secret_scan(sa->engine, NULL, (const uint8_t *)text,
                           strlen(text), on_match, &c);
}

int dd__secret_scan_config(dd__secret_analyzer *sa, dd_findings *out)
{
    const dd_image_info *in = sa->info;
    int rc = 0;
    char where[256];
    for (size_t i = 0; i < in->n_env && !rc; i++) {
        dd__env_where(where, sizeof where, in->env[i]);
        rc = scan_str(sa, out, where, -1, in->env_raw[i]);
    }
    for (size_t i = 0; i < in->n_labels && !rc; i++) {
        char *kv = dd__asprintf("%s=%s", in->labels_raw[i].key,
                                in->labels_raw[i].value);
        snprintf(where, sizeof where, "Labels[%zu]", i);
        rc = kv ? scan_str(sa, out, where, -1, kv) : DD_ENOMEM;
        dd__free(kv);
    }
    for (size_t i = 0; i < in->n_cmd && !rc; i++) {
        snprintf(where, sizeof where, "Cmd[%zu]", i);
        rc = scan_str(sa, out, where, -1, in->cmd_raw[i]);
    }
    for (size_t i = 0; i < in->n_entrypoint && !rc; i++) {
        snprintf(where, sizeof where, "Entrypoint[%zu]", i);
        rc = scan_str(sa, out, where, -1, in->entrypoint_raw[i]);
    }
    for (size_t i = 0; i < in->n_history && !rc; i++) {
        snprintf(where, sizeof where, "history[%zu].created_by", i);
        rc = scan_str(sa, out, where, (int)i, in->history[i].created_by_raw);
    }
    return rc;
}
