/*
 * tests/tools/tar_list.c - print the entry list drydock's tar reader sees
 * in a file (through the decompressor, as a layer is read), for the
 * differential test against Python's tarfile and GNU tar
 * (tests/integration/test_tar_diff.sh).
 *
 *   tar_list [--skip N] FILE
 *
 * --skip drops the first N bytes (the fuzz_tar corpus keeps a chunk-size
 * byte in front of the tar). One line per entry, then per anomaly, then
 * the status; names and link targets in hex (they are raw bytes):
 *   E <offset> <typeflag-hex> <size> <delivered> <name-hex> <link-hex|->
 *   A <offset> <SEVERITY> <rule>
 *   R <tar status> <decompressor status>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/formats/decompress.h"
#include "lib/formats/tar.h"
#include "util/util.h"

typedef struct st {
    dd_tar *tar;
    int tar_rc;
    int have;
    uint64_t off, size, got;
    char type;
    dd__buf name, link;
} st;

static void hex(FILE *o, const char *p, size_t n)
{
    if (!n) {
        fputc('-', o);
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(o, "%02x", (unsigned char)p[i]);
    }
}

static void flush_entry(st *s)
{
    if (!s->have) {
        return;
    }
    printf("E %llu %02x %llu %llu ", (unsigned long long)s->off,
           (unsigned char)s->type, (unsigned long long)s->size,
           (unsigned long long)s->got);
    hex(stdout, s->name.ptr, s->name.len);
    putchar(' ');
    hex(stdout, s->link.ptr, s->link.len);
    putchar('\n');
    s->have = 0;
}

static int on_entry(void *p, const dd__tar_entry *e)
{
    st *s = p;
    flush_entry(s);
    s->have = 1;
    s->off = e->offset;
    s->size = e->size;
    s->got = 0;
    s->type = e->typeflag;
    dd__buf_reset(&s->name);
    dd__buf_reset(&s->link);
    if (dd__buf_add(&s->name, e->name, e->name_len) ||
        dd__buf_addstr(&s->link, e->linkname)) {
        return DD_ENOMEM;
    }
    return 0;
}

static int on_data(void *p, const uint8_t *d, size_t n)
{
    (void)d;
    ((st *)p)->got += n;
    return 0;
}

static int on_end(void *p)
{
    flush_entry(p);
    return 0;
}

static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    (void)p;
    (void)msg;
    printf("A %llu %s %s\n", (unsigned long long)off, dd_severity_name(sev),
           rule);
}

static int on_output(void *p, const uint8_t *d, size_t n)
{
    st *s = p;
    if (s->tar_rc) {
        return 0; /* the tar stopped: drain the stream */
    }
    s->tar_rc = dd__tar_feed(s->tar, d, n);
    return 0;
}

int main(int argc, char **argv)
{
    long skip = 0;
    int a = 1;
    if (argc == 4 && strcmp(argv[1], "--skip") == 0) {
        skip = strtol(argv[2], NULL, 10);
        a = 3;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: %s [--skip N] FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[a], "rb");
    if (!f) {
        perror(argv[a]);
        return 2;
    }
    st s;
    memset(&s, 0, sizeof s);
    dd__buf_init(&s.name, 0);
    dd__buf_init(&s.link, 0);
    dd__tar_callbacks tcb = {on_entry, on_data, on_end, on_anom, &s};
    dd__tar_limits lim = {0, 0, 0, 0, 0, 0};
    s.tar = dd__tar_new(&lim, &tcb);
    dd__decomp_callbacks dcb = {on_output, on_anom, &s};
    dd_decomp *d = dd__decomp_new(&dcb);
    if (!s.tar || !d) {
        return 3;
    }
    static uint8_t buf[1 << 16];
    size_t n;
    int drc = 0;
    for (long k = 0; k < skip && fgetc(f) != EOF; k++) {
    }
    while (!drc && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        drc = dd__decomp_feed(d, buf, n);
    }
    fclose(f);
    if (!drc) {
        drc = dd__decomp_finish(d);
    }
    if (!drc && !s.tar_rc) {
        s.tar_rc = dd__tar_finish(s.tar);
    }
    flush_entry(&s);
    printf("R %d %d\n", s.tar_rc, drc);
    dd__decomp_free(d);
    dd__tar_free(s.tar);
    dd__buf_free(&s.name);
    dd__buf_free(&s.link);
    return 0;
}
