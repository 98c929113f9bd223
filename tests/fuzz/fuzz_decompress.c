/*
 * tests/fuzz/fuzz_decompress.c - libFuzzer target for the decompression
 * front end (sniff, gzip via ISA-L, zstd, pass-through), with the output
 * fed into the tar reader as in a real walk. Output is capped so that a
 * small bomb cannot make a run slow.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/formats/decompress.h"
#include "lib/formats/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct st {
    dd_tar *tar;
    size_t out;
    int tar_failed;
} st;

static int on_out(void *p, const uint8_t *d, size_t n)
{
    st *s = p;
    s->out += n;
    if (s->out > (64u << 20)) {
        return DD_ELIMIT;
    }
    if (!s->tar_failed && dd__tar_feed(s->tar, d, n) != 0) {
        s->tar_failed = 1;
    }
    return 0;
}
static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    (void)p;
    (void)sev;
    (void)off;
    if (!rule || !msg) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    st s = {0, 0, 0};
    dd__tar_callbacks tcb = {NULL, NULL, NULL, on_anom, NULL};
    s.tar = dd__tar_new(NULL, &tcb);
    dd__decomp_callbacks cb = {on_out, on_anom, &s};
    dd_decomp *d = dd__decomp_new(&cb);
    size_t chunk = size > 0 ? (size_t)data[size - 1] * 13 + 1 : 1;
    int rc = 0;
    for (size_t o = 0; o < size && !rc; o += chunk) {
        rc = dd__decomp_feed(d, data + o, size - o < chunk ? size - o : chunk);
    }
    if (!rc) {
        rc = dd__decomp_finish(d);
    }
    if (rc && rc != DD_ECORRUPT && rc != DD_ELIMIT && rc != DD_EUNSUPPORTED &&
        rc != DD_ENOMEM) {
        abort();
    }
    if (!s.tar_failed) {
        dd__tar_finish(s.tar);
    }
    dd__decomp_free(d);
    dd__tar_free(s.tar);
    return 0;
}
