/*
 * lib/vuln/db_feed.c - feed dispatch: walks the import inputs, detects the
 * format of each file by its first bytes and runs the right parser into a
 * sink.
 *
 *   PK\3\4                             OSV zip (osv.dev all.zip): one feed
 *   { ... "distroversion" ... }         Alpine secdb JSON
 *   distroversion: ...                  Alpine secdb YAML
 *   { ... "releases" (no "affected") }  Debian tracker JSON export
 *   { ... "id" ... }                    one OSV record
 *   [DD Mon YYYY] DSA-/DLA-/DTSA- ...   Debian DSA/DLA list
 *
 * Feeds: an OSV file given alone is feed "osv:<file>", the OSV records of
 * one directory make feed "osv:<directory>", a zip "osv:<zip>", the
 * tracker "debian-tracker", a list "debian-dsa:<file>" or
 * "debian-dla:<file>", an Alpine document names its own feed. Inside a
 * directory, files that are no feed are skipped, except a .json file,
 * which is reported as malformed (never dropped silently); given alone,
 * such a file fails the import.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "db_int.h"

#define MAX_FEED_FILE (1024ull << 20)
#define MAX_ZIP_ENTRY (64u << 20)
#define MAX_DEPTH     8

typedef struct dd__feed_walk {
    const dd__vuln_sink *out;
    dd__vuln_sink sink; /* what the parsers get: out, messages prefixed */
    const char *where;  /* file being read */
    char osv_feed[800]; /* directory feed currently open, "" none */
} dd__feed_walk;

/* ---- the sink handed to parsers: `out` with "where: " on messages ---- */

static int
fw_begin(void *c, const char *name, const char *kind, const char *src)
{
    const dd__vuln_sink *o = ((dd__feed_walk *)c)->out;
    return o->feed_begin(o->ctx, name, kind, src);
}

static int fw_advisory(void *c, const dd__advisory *a)
{
    const dd__vuln_sink *o = ((dd__feed_walk *)c)->out;
    return o->advisory(o->ctx, a);
}

static int fw_affected(void *c, const dd__affected *a)
{
    const dd__vuln_sink *o = ((dd__feed_walk *)c)->out;
    return o->affected(o->ctx, a);
}

static void fw_malformed(void *c, const char *msg)
{
    dd__feed_walk *w = c;
    char *line = dd__asprintf("%s: %s", w->where ? w->where : "?", msg);
    w->out->malformed(w->out->ctx, line ? line : msg);
    dd__free(line);
}

static int fw_end(void *c)
{
    const dd__vuln_sink *o = ((dd__feed_walk *)c)->out;
    return o->feed_end(o->ctx);
}

/* ---- reading inputs ---------------------------------------------------- */

static int read_file(const char *path, char **out, size_t *len, dd_error *err)
{
    int rc = dd__file_read(path, MAX_FEED_FILE, out, len);
    int saved = errno;
    switch (rc) {
    case 0:
        return 0;
    case DD_ENOTFOUND:
        return dd__error_set(err, rc, "%s: %s", path, strerror(saved));
    case DD_ELIMIT:
        return dd__error_set(err, rc, "%s: over the 1 GiB feed limit", path);
    case DD_EIO:
        return dd__error_set(err, rc, "%s: short read", path);
    default:
        return dd__error_set(err, rc, "out of memory");
    }
}

enum dd__feed_format {
    F_UNKNOWN,
    F_OSV,
    F_ALPINE_JSON,
    F_ALPINE_YAML,
    F_DEB_JSON,
    F_DEB_LIST,
    F_ZIP
};

static enum dd__feed_format sniff(const char *d, size_t n)
{
    if (n >= 4 && !memcmp(d, "PK\3\4", 4)) {
        return F_ZIP;
    }
    size_t i = 0;
    while (i < n &&
           (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t')) {
        i++;
    }
    size_t head = n - i < 65536 ? n - i : 65536;
    char *h = dd__strndup(d + i, head);
    if (!h) {
        return F_UNKNOWN;
    }
    enum dd__feed_format k = F_UNKNOWN;
    if (i < n && d[i] == '{') {
        if (strstr(h, "\"distroversion\"")) {
            k = F_ALPINE_JSON;
        } else if (strstr(h, "\"releases\"") && !strstr(h, "\"affected\"")) {
            k = F_DEB_JSON;
        } else if (strstr(h, "\"id\"")) {
            k = F_OSV;
        }
    } else if (strstr(h, "distroversion:")) {
        k = F_ALPINE_YAML;
    } else if (strstr(h, "] DSA-") || strstr(h, "] DLA-") ||
               strstr(h, "] DTSA-")) {
        k = F_DEB_LIST;
    }
    dd__free(h);
    return k;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int import_zip(dd__feed_walk *w, const char *path, dd_error *err)
{
    const dd__vuln_sink *s = &w->sink;
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: not a readable zip "
                             "archive (libzip error %d)",
                             path, zerr);
    }
    char name[600];
    snprintf(name, sizeof name, "osv:%s", base_name(path));
    int rc = s->feed_begin(s->ctx, name, "osv-zip", path);
    zip_int64_t n = zip_get_num_entries(z, 0);
    char *buf = NULL;
    for (zip_int64_t i = 0; i < n && !rc; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
            dd__sink_malformed(s, "entry %lld: unreadable", (long long)i);
            continue;
        }
        size_t nl = st.name ? strlen(st.name) : 0;
        if (nl < 5 || strcmp(st.name + nl - 5, ".json")) {
            continue;
        }
        if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_ZIP_ENTRY) {
            dd__sink_malformed(s, "%s: entry too large", st.name);
            continue;
        }
        dd__free(buf);
        buf = dd__malloc((size_t)st.size + 1);
        zip_file_t *f = buf ? zip_fopen_index(z, (zip_uint64_t)i, 0) : NULL;
        if (!buf) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
            break;
        }
        zip_int64_t got = f ? zip_fread(f, buf, st.size) : -1;
        if (f) {
            zip_fclose(f);
        }
        if (got < 0 || (zip_uint64_t)got != st.size) {
            dd__sink_malformed(s, "%s: cannot be decompressed", st.name);
            continue;
        }
        buf[got] = '\0';
        rc = dd__feed_osv_json(s, st.name, buf, (size_t)got);
    }
    dd__free(buf);
    zip_discard(z);
    if (!rc) {
        rc = s->feed_end(s->ctx);
    }
    return rc;
}

/* begin feed `name`, run one parser over the whole file, end the feed */
static int one_feed(
    dd__feed_walk *w,
    const char *name,
    const char *kind,
    const char *path,
    int (*parse)(const dd__vuln_sink *, const char *, const char *, size_t),
    const char *where,
    const char *d,
    size_t n)
{
    const dd__vuln_sink *s = &w->sink;
    int rc = s->feed_begin(s->ctx, name, kind, path);
    if (!rc) {
        rc = parse(s, where, d, n);
    }
    if (!rc) {
        rc = s->feed_end(s->ctx);
    }
    return rc;
}

static int
import_file(dd__feed_walk *w, const char *path, const char *dir, dd_error *err)
{
    const dd__vuln_sink *s = &w->sink;
    char *d = NULL;
    size_t n = 0;
    int rc = read_file(path, &d, &n, err);
    if (rc) {
        return rc;
    }
    enum dd__feed_format k = sniff(d, n);
    char name[700];
    w->where = path;
    switch (k) {
    case F_ZIP:
        dd__free(d);
        return import_zip(w, path, err);
    case F_OSV:
        if (dir) {
            /* OSV records of one directory make one feed */
            snprintf(name, sizeof name, "osv:%s", base_name(dir));
            if (strcmp(w->osv_feed, name)) {
                if (w->osv_feed[0] && (rc = s->feed_end(s->ctx))) {
                    break;
                }
                snprintf(w->osv_feed, sizeof w->osv_feed, "%s", name);
                rc = s->feed_begin(s->ctx, name, "osv", dir);
            }
            if (!rc) {
                rc = dd__feed_osv_json(s, base_name(path), d, n);
            }
        } else {
            snprintf(name, sizeof name, "osv:%s", base_name(path));
            rc = one_feed(w, name, "osv", path, dd__feed_osv_json,
                          base_name(path), d, n);
        }
        break;
    case F_ALPINE_JSON:
    case F_ALPINE_YAML:
        rc = dd__feed_alpine(s, path, d, n, k == F_ALPINE_YAML);
        break;
    case F_DEB_JSON:
        rc = one_feed(w, "debian-tracker", "debian-tracker-json", path,
                      dd__feed_debian_json, path, d, n);
        break;
    case F_DEB_LIST: {
        const char *kind = strstr(d, "] DLA-") ? "dla" : "dsa";
        snprintf(name, sizeof name, "debian-%s:%s", kind, base_name(path));
        rc = one_feed(w, name, "debian-list", path, dd__feed_debian_list, path,
                      d, n);
        break;
    }
    default:
        if (dir) {
            /* other files in a feed directory are skipped, but a .json one
             * is a record that did not parse: say so, never drop it
             * silently */
            size_t pl = strlen(path);
            if (pl > 5 && !strcmp(path + pl - 5, ".json")) {
                dd__sink_malformed(s, "not a feed record drydock knows "
                                      "(broken or truncated JSON?): skipped");
            }
            break;
        }
        rc = dd__error_set(err, DD_EUNSUPPORTED,
                           "%s: not a feed drydock knows (OSV JSON or "
                           "zip, Alpine secdb JSON/YAML, Debian tracker "
                           "JSON or DSA/DLA list)",
                           path);
    }
    dd__free(d);
    if (rc && err && !err->code) {
        dd__error_set(err, rc, "%s: import failed", path);
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_path(dd__feed_walk *w,
                       const char *path,
                       const char *dir,
                       int depth,
                       dd_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return dd__error_set(err, DD_ENOTFOUND, "%s: %s", path,
                             strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return import_file(w, path, dir, err);
    }
    if (depth > MAX_DEPTH) {
        return 0;
    }
    DIR *dp = opendir(path);
    if (!dp) {
        return dd__error_set(err, DD_EIO, "%s: %s", path, strerror(errno));
    }
    dd__vec names;
    dd__vec_init(&names, sizeof(char *));
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dp)) && !rc) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char **slot = dd__vec_push(&names);
        if (!slot || !(*slot = dd__asprintf("%s/%s", path, de->d_name))) {
            rc = dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    closedir(dp);
    if (names.len) { /* qsort(NULL, 0) is undefined */
        qsort(names.items, names.len, sizeof(char *), cmp_str);
    }
    for (size_t i = 0; i < names.len && !rc; i++) {
        rc =
            import_path(w, *DD_VEC_AT(&names, char *, i), path, depth + 1, err);
    }
    if (!rc && w->osv_feed[0] &&
        !strncmp(w->osv_feed + 4, base_name(path),
                 strlen(base_name(path)) + 1)) {
        rc = w->sink.feed_end(w->sink.ctx);
        w->osv_feed[0] = '\0';
    }
    for (size_t i = 0; i < names.len; i++) {
        dd__free(*DD_VEC_AT(&names, char *, i));
    }
    dd__vec_free(&names);
    return rc;
}

int dd__feed_import(const dd__vuln_sink *out, const char *path, dd_error *err)
{
    dd__feed_walk w;
    memset(&w, 0, sizeof w);
    w.out = out;
    w.sink = (dd__vuln_sink){&w,          fw_begin,     fw_advisory,
                             fw_affected, fw_malformed, fw_end};
    int rc = import_path(&w, path, NULL, 0, err);
    if (!rc && w.osv_feed[0]) {
        rc = w.sink.feed_end(w.sink.ctx);
    }
    return rc;
}
