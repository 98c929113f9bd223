/*
 * config_mask.c - the image config texts as reports may show them: every
 * value of a secret-named assignment and every well-known token masked by
 * the secret engine's masker (issue 13, 6). The raw lists stay available
 * to analyzers in the *_raw members of dd_image_info.
 */
#include "../secret/secret.h"
#include "config_mask.h"
#include "../../util/util.h"

#include <string.h>

/* A masked copy of `s` in the arena; `s` itself when nothing changed.
 * Returns -1 on ENOMEM (s non-NULL and no copy could be made). */
static int mask_one(dd__arena *a, const char *s, const char **out)
{
    *out = s;
    if (!s) {
        return 0;
    }
    char *m = dd__secret_mask_text(s);
    if (!m) {
        return -1;
    }
    if (strcmp(m, s)) {
        *out = dd__arena_strdup(a, m);
    }
    dd__free(m);
    return *out ? 0 : -1;
}

static int mask_list(dd__arena *a,
                     const char *const *in,
                     size_t n,
                     const char *const **raw,
                     const char *const **out)
{
    *raw = in;
    if (!in) {
        return 0;
    }
    const char **v = dd__arena_alloc(a, (n + 1) * sizeof *v);
    if (!v) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (mask_one(a, in[i], &v[i])) {
            return -1;
        }
    }
    v[n] = NULL;
    *out = v;
    return 0;
}

int dd__image_info_mask(dd__arena *a, dd_image_info *in)
{
    if (mask_one(a, in->user, &in->user) ||
        mask_one(a, in->workdir, &in->workdir) ||
        mask_one(a, in->healthcheck, &in->healthcheck) ||
        mask_list(a, in->env, in->n_env, &in->env_raw, &in->env) ||
        mask_list(a, in->cmd, in->n_cmd, &in->cmd_raw, &in->cmd) ||
        mask_list(a, in->entrypoint, in->n_entrypoint, &in->entrypoint_raw,
                  &in->entrypoint)) {
        return -1;
    }
    in->labels_raw = in->labels;
    if (in->labels) {
        dd_kv *kv = dd__arena_alloc(a, (in->n_labels + 1) * sizeof *kv);
        if (!kv) {
            return -1;
        }
        memset(kv, 0, (in->n_labels + 1) * sizeof *kv);
        for (size_t i = 0; i < in->n_labels; i++) {
            kv[i].key = in->labels[i].key;
            /* a label's key names its value: mask "KEY=VALUE" as one text
             * so a secret-named key hides its value, then keep the value */
            const char *v = in->labels[i].value;
            if (mask_one(a, v, &kv[i].value)) {
                return -1;
            }
            if (kv[i].value == v && in->labels[i].key && v) {
                size_t kl = strlen(in->labels[i].key), vl = strlen(v);
                char *t = dd__malloc(kl + vl + 2);
                if (!t) {
                    return -1;
                }
                memcpy(t, in->labels[i].key, kl);
                t[kl] = '=';
                memcpy(t + kl + 1, v, vl + 1);
                char *m = dd__secret_mask_text(t);
                dd__free(t);
                if (!m) {
                    return -1;
                }
                if (strncmp(m + kl + 1, v, vl + 1)) {
                    kv[i].value = dd__arena_strdup(a, m + kl + 1);
                }
                dd__free(m);
                if (!kv[i].value) {
                    return -1;
                }
            }
        }
        in->labels = kv;
    }
    return 0;
}
