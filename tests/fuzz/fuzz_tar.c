/*
 * tests/fuzz/fuzz_tar.c - libFuzzer target for the streaming tar reader.
 * The first byte picks the chunk size so that header/record boundaries
 * land everywhere. Invariants: data delivered never exceeds the input,
 * every entry_end follows an entry, status codes are from the known set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/formats/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct st {
    size_t entries, ends, bytes;
    int open;
} st;

static int on_entry(void *p, const dd__tar_entry *e)
{
    st *s = p;
    if (s->open || strlen(e->name) > e->name_len) {
        abort();
    }
    s->open = 1;
    s->entries++;
    return 0;
}
static int on_data(void *p, const uint8_t *d, size_t n)
{
    st *s = p;
    if (!s->open) {
        abort();
    }
    volatile uint8_t sink = n ? d[n - 1] : 0; /* touch the bytes (ASan) */
    (void)sink;
    s->bytes += n;
    return 0;
}
static int on_end(void *p)
{
    st *s = p;
    if (!s->open) {
        abort();
    }
    s->open = 0;
    s->ends++;
    return 0;
}
static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    (void)p;
    if (!rule || !msg || sev < DD_SEV_INFO || sev > DD_SEV_CRITICAL) {
        abort();
    }
    (void)off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    size_t chunk = (size_t)data[0] * 7 + 1;
    data++;
    size--;
    st s = {0, 0, 0, 0};
    dd__tar_limits lim = {0};
    lim.max_entries = 1000;
    lim.max_pax_size = 4096;
    lim.max_path_len = 1024;
    lim.max_sparse_expand = 1u << 20;
    dd__tar_callbacks cb = {on_entry, on_data, on_end, on_anom, &s};
    dd_tar *t = dd__tar_new(&lim, &cb);
    int rc = 0;
    for (size_t o = 0; o < size && !rc; o += chunk) {
        rc = dd__tar_feed(t, data + o, size - o < chunk ? size - o : chunk);
    }
    if (!rc) {
        rc = dd__tar_finish(t);
    }
    if (rc && rc != DD_ECORRUPT && rc != DD_ELIMIT && rc != DD_ENOMEM) {
        abort();
    }
    /* sparse entries expand holes: at most max_sparse_expand each */
    if (s.bytes > size + s.entries * (size_t)lim.max_sparse_expand ||
        s.ends > s.entries || s.entries > 1000) {
        abort();
    }
    dd__tar_free(t);
    return 0;
}
