/*
 * util/dir.c - the sorted file list of a directory (rule and hash-list
 * directories).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void dd__dir_list_free(dd__vec *v)
{
    for (size_t i = 0; i < v->len; i++) {
        dd__free(*DD_VEC_AT(v, char *, i));
    }
    dd__vec_free(v);
}

int dd__dir_list(const char *dir,
                 int (*keep)(const char *name),
                 size_t max,
                 dd__vec *out,
                 dd_error *err)
{
    dd__vec_init(out, sizeof(char *));
    DIR *d = opendir(dir);
    if (!d) {
        return dd__error_set(err, DD_EIO, "%s: %s", dir, strerror(errno));
    }
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !keep(e->d_name)) {
            continue;
        }
        if (out->len >= max) {
            rc = dd__error_set(err, DD_ELIMIT, "%s: more than %zu files", dir,
                               max);
            break;
        }
        char *full = dd__asprintf("%s/%s", dir, e->d_name);
        char **slot = full ? dd__vec_push(out) : NULL;
        if (!slot) {
            dd__free(full);
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            break;
        }
        *slot = full;
    }
    closedir(d);
    if (rc) {
        dd__dir_list_free(out);
    } else if (out->len) {
        qsort(out->items, out->len, sizeof(char *), cmp_str);
    }
    return rc;
}
