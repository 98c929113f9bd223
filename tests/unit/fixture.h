/*
 * tests/unit/fixture.h - builders for test inputs: tar streams in memory
 * (any header field can be made hostile) and OCI layouts in a temporary
 * directory. Buffers are owned by the caller (fx_buf_free).
 */
#ifndef DD_TEST_FIXTURE_H
#define DD_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct fx_buf {
    uint8_t *p;
    size_t len, cap;
} fx_buf;

void fx_add(fx_buf *b, const void *data, size_t n);
void fx_buf_free(fx_buf *b);
/* Append a ustar header (+ data + padding). typeflag '0','5','2',...
 * `size_field` overrides the 12-byte size field when not NULL. */
void fx_tar_entry(fx_buf *b,
                  const char *name,
                  char typeflag,
                  const char *link,
                  const void *data,
                  size_t n);
void fx_tar_raw_header(fx_buf *b,
                       const char *name,
                       char typeflag,
                       const uint8_t size_field[12],
                       int bad_checksum);
void fx_tar_end(fx_buf *b);
/* PAX 'x' record set with one key=value, then nothing (caller adds the
 * entry it applies to). */
void fx_tar_pax(fx_buf *b, const char *key, const char *value);
void fx_tar_gnu_longname(fx_buf *b, const char *name);
/* gzip (ISA-L) and zstd compression of a buffer. */
void fx_gzip(const fx_buf *in, fx_buf *out);
void fx_zstd(const fx_buf *in, fx_buf *out);

/* Write an OCI layout under `dir` with the given layers (raw bytes, used
 * as stored blobs), config JSON built from `config_extra` (inserted in the
 * top-level object, may be "") and diff_ids computed from `tars`
 * (uncompressed tars, same order). Returns 0. `ref` names the image. */
int fx_oci_layout(const char *dir,
                  const char *ref,
                  const char *platform_arch,
                  const fx_buf *blobs,
                  const fx_buf *tars,
                  size_t n,
                  const char *config_extra);
/* mkdtemp under $TMPDIR; returns a static-lifetime copy the caller frees
 * with fx_rmtree. */
char *fx_tempdir(void);
void fx_rmtree(char *dir);
void fx_write_file(const char *dir, const char *rel, const void *p, size_t n);

#endif
