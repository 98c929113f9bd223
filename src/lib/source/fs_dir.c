/*
 * lib/source/fs_dir.c - fs:PATH and rootfs:PATH: a directory on this
 * machine (fs: also one file) opened as an image of exactly one layer.
 *
 * There is no store, no manifest, no config and no history: the image's
 * info holds the source kind, the reference as its name ("rootfs:/srv/x",
 * what reports show where an image shows its digest), the path and one
 * layer without digest or diff_id. The layer's source is the path itself
 * (dd__layer_src.dir); the walk reads it with formats/dirtree.c and
 * nothing about it is verified (there is nothing to verify against).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "image_priv.h"

int dd__fs_dir_open(
    dd_image *img, const char *ref, const char *path, int rootfs, dd_error *err)
{
    const char *kind = rootfs ? "rootfs" : "fs";
    if (!*path) {
        return dd__error_set(err, DD_EINVALID, "%s: no path after '%s:'", ref,
                             kind);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR) {
            img->missing = 1;
            return dd__error_set(err, DD_ENOTFOUND,
                                 "%s: no such file or directory", ref);
        }
        return dd__error_set(err, DD_EIO, "%s: %s", ref, strerror(e));
    }
    if (rootfs ? !S_ISDIR(st.st_mode)
               : !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        return dd__error_set(err, DD_EUNSUPPORTED,
                             rootfs ? "%s: not a directory (rootfs: reads an "
                                      "unpacked root file system)"
                                    : "%s: neither a directory nor a "
                                      "regular file",
                             path);
    }
    img->info.source = rootfs ? DD_SOURCE_ROOTFS : DD_SOURCE_FS;
    img->info.path = dd__image_str(img, path);
    img->info.name = dd__image_str(img, ref);
    size_t n = 1;
    int rc = dd__image_alloc_layers(img, &n, err);
    if (rc) {
        return rc;
    }
    if (!img->info.path || !img->info.name) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    img->layers[0].history = -1;
    img->srcs[0].path = img->info.path;
    img->srcs[0].expect_size = -1;
    img->srcs[0].dir = 1;
    return 0;
}
