/*
 * tests/fuzz/fuzz_image_json.c - libFuzzer target for the image metadata
 * parsers: index.json, manifest and config JSON, selection logic. The
 * input is split on "\n--\n" into index, manifest and config; manifest and
 * config are stored under their real digests in a private OCI layout so
 * that references can resolve, and "@M@"/"@C@" in the text are replaced
 * by those digests (the seeds use them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/drydock.h"
#include "util/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[256];

static void put(const char *rel, const char *p, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

/* Replace every "@X@" by `digest` into a fresh buffer. */
static char *
subst(const char *s, size_t n, const char *tok, const char *dg, size_t *outn)
{
    size_t cap = n * 80 + 1;
    char *o = malloc(cap);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (i + 3 <= n && memcmp(s + i, tok, 3) == 0) {
            size_t dl = strlen(dg);
            memcpy(o + k, dg, dl);
            k += dl;
            i += 3;
        } else {
            o[k++] = s[i++];
        }
    }
    *outn = k;
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/ddfuzz-json.%d", (int)getpid());
        mkdir(root, 0700);
        char b[300];
        snprintf(b, sizeof b, "%s/blobs", root);
        mkdir(b, 0700);
        snprintf(b, sizeof b, "%s/blobs/sha256", root);
        mkdir(b, 0700);
    }
    const char *parts[3] = {"", "", ""};
    size_t lens[3] = {0, 0, 0};
    const char *p = (const char *)data;
    size_t left = size;
    for (int i = 0; i < 3; i++) {
        const char *sep = i < 2 ? memmem(p, left, "\n--\n", 4) : NULL;
        parts[i] = p;
        lens[i] = sep ? (size_t)(sep - p) : left;
        if (!sep) {
            break;
        }
        left -= lens[i] + 4;
        p = sep + 4;
    }
    char cdg[72], mdg[72], rel[512];
    dd__sha256_digest(parts[2], lens[2], cdg);
    size_t mn;
    char *man = subst(parts[1], lens[1], "@C@", cdg, &mn);
    dd__sha256_digest(man, mn, mdg);
    size_t in;
    char *idx = subst(parts[0], lens[0], "@M@", mdg, &in);
    put("index.json", idx, in);
    snprintf(rel, sizeof rel, "blobs/sha256/%s", mdg + 7);
    put(rel, man, mn);
    snprintf(rel, sizeof rel, "blobs/sha256/%s", cdg + 7);
    put(rel, parts[2], lens[2]);
    dd_image *img = NULL;
    dd_error err;
    dd_image_opts o = DD_IMAGE_OPTS_INIT;
    o.max_json_size = 1 << 20;
    if (dd_image_open(&img, root, &o, &err) == 0) {
        const dd_image_info *info = dd_image_info_get(img);
        for (size_t i = 0; i < info->n_history; i++) {
            if (info->history[i].layer >= (int)info->n_layers) {
                abort();
            }
        }
        dd_image_free(img);
    } else if (!err.message[0]) {
        abort(); /* every failure must say why */
    }
    free(man);
    free(idx);
    /* blobs named by digests accumulate; keep the directory small */
    snprintf(rel, sizeof rel, "%s/blobs/sha256/%s", root, mdg + 7);
    unlink(rel);
    snprintf(rel, sizeof rel, "%s/blobs/sha256/%s", root, cdg + 7);
    unlink(rel);
    return 0;
}
