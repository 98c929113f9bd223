/*
 * tests/unit/fixture.c - see fixture.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "fixture.h"
#include "util/sha256.h"

void fx_add(fx_buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->len + n) {
            c *= 2;
        }
        b->p = realloc(b->p, c);
        b->cap = c;
    }
    if (n) {
        memcpy(b->p + b->len, data, n);
    }
    b->len += n;
}

void fx_buf_free(fx_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void pad(fx_buf *b)
{
    static const uint8_t z[512];
    size_t r = b->len % 512;
    if (r) {
        fx_add(b, z, 512 - r);
    }
}

static void header(fx_buf *b,
                   const char *name,
                   char typeflag,
                   const char *link,
                   const uint8_t *size_field,
                   uint64_t size,
                   int bad_checksum)
{
    uint8_t h[512];
    memset(h, 0, sizeof h);
    snprintf((char *)h, 100, "%s", name);
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    if (size_field) {
        memcpy(h + 124, size_field, 12);
    } else {
        snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
    }
    memcpy(h + 136, "14634010540", 12);
    memset(h + 148, ' ', 8);
    h[156] = (uint8_t)typeflag;
    if (link) {
        snprintf((char *)h + 157, 100, "%s", link);
    }
    memcpy(h + 257,
           "ustar\0"
           "00",
           8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++) {
        sum += h[i];
    }
    if (bad_checksum) {
        sum += 1;
    }
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
    fx_add(b, h, 512);
}

void fx_tar_entry(fx_buf *b,
                  const char *name,
                  char typeflag,
                  const char *link,
                  const void *data,
                  size_t n)
{
    header(b, name, typeflag, link, NULL, n, 0);
    if (n) {
        fx_add(b, data, n);
        pad(b);
    }
}

void fx_tar_raw_header(fx_buf *b,
                       const char *name,
                       char typeflag,
                       const uint8_t size_field[12],
                       int bad_checksum)
{
    header(b, name, typeflag, NULL, size_field, 0, bad_checksum);
}

void fx_tar_end(fx_buf *b)
{
    static const uint8_t z[1024];
    fx_add(b, z, sizeof z);
}

void fx_tar_pax(fx_buf *b, const char *key, const char *value)
{
    char rec[8192];
    size_t body = strlen(key) + strlen(value) + 3; /* ' ' '=' '\n' */
    size_t len = body + 1;
    while (1) {
        size_t digits = (size_t)snprintf(NULL, 0, "%zu", len);
        if (digits + body == len) {
            break;
        }
        len = digits + body;
    }
    snprintf(rec, sizeof rec, "%zu %s=%s\n", len, key, value);
    header(b, "PaxHeader", 'x', NULL, NULL, strlen(rec), 0);
    fx_add(b, rec, strlen(rec));
    pad(b);
}

void fx_tar_gnu_longname(fx_buf *b, const char *name)
{
    header(b, "././@LongLink", 'L', NULL, NULL, strlen(name) + 1, 0);
    fx_add(b, name, strlen(name) + 1);
    pad(b);
}

void fx_gzip(const fx_buf *in, fx_buf *out)
{
    struct isal_zstream s;
    isal_deflate_init(&s);
    s.gzip_flag = IGZIP_GZIP;
    s.end_of_stream = 1;
    s.flush = NO_FLUSH;
    s.level = 1;
    s.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    s.level_buf = malloc(s.level_buf_size);
    size_t cap = in->len + in->len / 2 + 1024;
    uint8_t *o = malloc(cap);
    s.next_in = in->p;
    s.avail_in = (uint32_t)in->len;
    s.next_out = o;
    s.avail_out = (uint32_t)cap;
    isal_deflate(&s);
    fx_add(out, o, s.total_out);
    free(o);
    free(s.level_buf);
}

void fx_zstd(const fx_buf *in, fx_buf *out)
{
    size_t cap = ZSTD_compressBound(in->len);
    uint8_t *o = malloc(cap);
    size_t n = ZSTD_compress(o, cap, in->p, in->len, 3);
    fx_add(out, o, n);
    free(o);
}

char *fx_tempdir(void)
{
    const char *t = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/ddtest.XXXXXX", t ? t : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

void fx_rmtree(char *dir)
{
    char cmd[700];
    if (dir && strncmp(dir, "/", 1) == 0 && strstr(dir, "ddtest.")) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", dir);
        }
    }
    free(dir);
}

void fx_write_file(const char *dir, const char *rel, const void *p, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

static void put_blob(const char *dir, const void *p, size_t n, char dg[72])
{
    dd__sha256_digest(p, n, dg);
    char rel[128];
    snprintf(rel, sizeof rel, "blobs/sha256/%s", dg + 7);
    fx_write_file(dir, rel, p, n);
}

int fx_oci_layout(const char *dir,
                  const char *ref,
                  const char *platform_arch,
                  const fx_buf *blobs,
                  const fx_buf *tars,
                  size_t n,
                  const char *config_extra)
{
    char cfg[16384], man[16384], idx[4096], dg[72];
    size_t o = 0;
    o += (size_t)snprintf(cfg + o, sizeof cfg - o,
                          "{\"architecture\":\"%s\",\"os\":\"linux\","
                          "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
                          platform_arch);
    for (size_t i = 0; i < n; i++) {
        dd__sha256_digest(tars[i].p, tars[i].len, dg);
        o += (size_t)snprintf(cfg + o, sizeof cfg - o, "%s\"%s\"", i ? "," : "",
                              dg);
    }
    o += (size_t)snprintf(cfg + o, sizeof cfg - o, "]}%s%s}",
                          config_extra[0] ? "," : "", config_extra);
    char cfg_dg[72];
    put_blob(dir, cfg, strlen(cfg), cfg_dg);
    o = 0;
    o += (size_t)snprintf(man + o, sizeof man - o,
                          "{\"schemaVersion\":2,\"mediaType\":\"application/"
                          "vnd.oci.image.manifest.v1+json\",\"config\":{"
                          "\"mediaType\":\"application/"
                          "vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
                          "\"size\":%zu},\"layers\":[",
                          cfg_dg, strlen(cfg));
    for (size_t i = 0; i < n; i++) {
        put_blob(dir, blobs[i].p, blobs[i].len, dg);
        o += (size_t)snprintf(man + o, sizeof man - o,
                              "%s{\"mediaType\":\"application/"
                              "vnd.oci.image.layer.v1.tar+gzip\","
                              "\"digest\":\"%s\",\"size\":%zu}",
                              i ? "," : "", dg, blobs[i].len);
    }
    o += (size_t)snprintf(man + o, sizeof man - o, "]}");
    char man_dg[72];
    put_blob(dir, man, strlen(man), man_dg);
    snprintf(idx, sizeof idx,
             "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
             "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
             "\"%s\",\"size\":%zu,\"annotations\":{"
             "\"org.opencontainers.image.ref.name\":\"%s\"},"
             "\"platform\":{\"os\":\"linux\",\"architecture\":\"%s\"}}]}",
             man_dg, strlen(man), ref, platform_arch);
    fx_write_file(dir, "index.json", idx, strlen(idx));
    fx_write_file(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
    return 0;
}
