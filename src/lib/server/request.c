/*
 * lib/server/request.c - the POST /api/v1/scans body validator and the
 * local-path rules of the service (drydock/service.h). The body is
 * untrusted: at most DD_SERVICE_BODY_MAX bytes are parsed, never past
 * `len`, and every refusal is one line naming the field or offset.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "drydock/packages.h"
#include "drydock/scan.h"
#include "drydock/service.h"
#include "util/util.h"

void dd_service_request_clear(dd_service_request *r)
{
    if (!r) {
        return;
    }
    dd__free(r->image);
    dd__free(r->options);
    memset(r, 0, sizeof *r);
}

static const char *const local_prefixes[] = {
    "oci:", "docker-archive:", "rootfs:", "fs:", "docker:"};

int dd_service_ref_is_local(const char *ref)
{
    if (!ref || !*ref) {
        return 0;
    }
    if (ref[0] == '/' || ref[0] == '.' || ref[0] == '~') {
        return 1;
    }
    for (size_t i = 0; i < sizeof local_prefixes / sizeof *local_prefixes;
         i++) {
        if (!strncmp(ref, local_prefixes[i], strlen(local_prefixes[i]))) {
            return 1;
        }
    }
    return 0;
}

static int bad(dd_error *err, const char *fmt, const char *what)
{
    return dd__error_set(err, DD_EINVALID, fmt, what);
}

int dd_service_parse_submit(const char *body,
                            size_t len,
                            dd_service_request *out,
                            dd_error *err)
{
    if (!out) {
        return dd__error_set(err, DD_EINVALID, "request: no output");
    }
    memset(out, 0, sizeof *out);
    if (!body && len) {
        return dd__error_set(err, DD_EINVALID, "request: no body");
    }
    if (len > DD_SERVICE_BODY_MAX) {
        return dd__error_set(err, DD_EINVALID,
                             "request: body of %zu bytes is over %zu", len,
                             DD_SERVICE_BODY_MAX);
    }
    json_t *doc = NULL;
    dd_error je;
    if (dd__json_parse(&doc, body ? body : "", len, DD_SERVICE_BODY_MAX,
                       "request", &je)) {
        return dd__error_set(err, DD_EINVALID, "%s", je.message);
    }
    int rc = 0;
    if (!json_is_object(doc)) {
        rc = bad(err, "request: the body is not a JSON object%s", "");
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v)
    {
        if (strcmp(key, "image") && strcmp(key, "scanners")) {
            char *k = dd__printable(key, 64);
            rc = bad(err, "request: unknown field '%s' (image, scanners)",
                     k ? k : "?");
            dd__free(k);
            goto done;
        }
    }
    json_t *img = json_object_get(doc, "image");
    if (!json_is_string(img)) {
        rc = bad(err, "request: \"image\" must be a string%s", "");
        goto done;
    }
    const char *ref = json_string_value(img);
    size_t rlen = json_string_length(img);
    if (!rlen || rlen > 4096 || strlen(ref) != rlen) {
        rc = bad(err, "request: \"image\" must be 1 to 4096 bytes%s", "");
        goto done;
    }
    for (size_t i = 0; i < rlen; i++) {
        if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f) {
            rc = dd__error_set(err, DD_EINVALID,
                               "request: \"image\" has a control character "
                               "at offset %zu",
                               i);
            goto done;
        }
    }
    unsigned bits = 0;
    json_t *sc = json_object_get(doc, "scanners");
    if (sc && !json_is_array(sc)) {
        rc = bad(err, "request: \"scanners\" must be an array of names%s", "");
        goto done;
    }
    if (sc && json_array_size(sc) > 8) {
        rc = bad(err, "request: \"scanners\" lists more than 8 names%s", "");
        goto done;
    }
    size_t i;
    json_array_foreach(sc, i, v)
    {
        const char *name = json_string_value(v);
        size_t b = 0;
        for (; name && b < dd_scanner_count(); b++) {
            if (!strcmp(name, dd_scanner_name(b))) {
                break;
            }
        }
        if (!name || b == dd_scanner_count()) {
            char *p = name ? dd__printable(name, 32) : NULL;
            rc = dd__error_set(err, DD_EINVALID,
                               "request: scanners[%zu]: unknown scanner "
                               "'%s' (known: vuln, secret, malware, config, "
                               "packages)",
                               i, p ? p : "(not a string)");
            dd__free(p);
            goto done;
        }
        bits |= dd_scanner_bit(b);
    }
    /* canonical options: the scanners in table order */
    json_t *opts = json_object();
    json_t *names = json_array();
    for (size_t b = 0; opts && names && b < dd_scanner_count(); b++) {
        if (bits & dd_scanner_bit(b)) {
            json_array_append_new(names, json_string(dd_scanner_name(b)));
        }
    }
    char *text = NULL;
    if (opts && names && !json_object_set_new(opts, "scanners", names)) {
        names = NULL;
        text = json_dumps(opts, JSON_COMPACT | JSON_SORT_KEYS);
    }
    json_decref(names);
    json_decref(opts);
    out->image = dd__strndup(ref, rlen);
    out->options = text ? dd__strdup(text) : NULL;
    free(text); /* json_dumps() result: jansson's allocator */
    out->scanners = bits;
    out->local = dd_service_ref_is_local(ref);
    if (!out->image || !out->options) {
        dd_service_request_clear(out);
        rc = dd__error_set(err, DD_ENOMEM, "out of memory");
    }
done:
    json_decref(doc);
    return rc;
}

/* "/a/b" under "/a" (both resolved) */
static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    if (n == 1 && dir[0] == '/') {
        return 1;
    }
    return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

int dd_service_local_allowed(const char *ref,
                             const char *const *dirs,
                             size_t n_dirs,
                             char **out,
                             dd_error *err)
{
    if (!ref || !out) {
        return dd__error_set(err, DD_EINVALID, "local: missing argument");
    }
    *out = NULL;
    const char *prefix = "";
    size_t plen = 0;
    for (size_t i = 0; i < sizeof local_prefixes / sizeof *local_prefixes;
         i++) {
        if (!strncmp(ref, local_prefixes[i], strlen(local_prefixes[i]))) {
            prefix = local_prefixes[i];
            plen = strlen(prefix);
        }
    }
    if (!strcmp(prefix, "docker:")) {
        return dd__error_set(err, DD_EINVALID,
                             "the container daemon is not reachable through "
                             "the server");
    }
    const char *path = ref + plen;
    if (path[0] != '/') {
        return dd__error_set(err, DD_EINVALID,
                             "a server-side path must be absolute");
    }
    if (strlen(path) >= PATH_MAX) {
        return dd__error_set(err, DD_EINVALID, "path too long");
    }
    char want[PATH_MAX];
    memcpy(want, path, strlen(path) + 1);
    char real[PATH_MAX];
    const char *tag = NULL;
    if (!realpath(want, real)) {
        /* oci:PATH:TAG - the tag is not part of the path */
        char *colon = strrchr(want, ':');
        if (!colon || !strcmp(prefix, "") || colon == want) {
            return dd__error_set(err, DD_ENOTFOUND,
                                 "no such path on the "
                                 "server");
        }
        *colon = 0;
        tag = path + (colon - want) + 1;
        if (!realpath(want, real)) {
            return dd__error_set(err, DD_ENOTFOUND,
                                 "no such path on the server");
        }
    }
    for (size_t i = 0; i < n_dirs; i++) {
        char rd[PATH_MAX];
        if (dirs[i] && realpath(dirs[i], rd) && under(real, rd)) {
            *out = tag ? dd__asprintf("%s%s:%s", prefix, real, tag)
                       : dd__asprintf("%s%s", prefix, real);
            return *out ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    return dd__error_set(err, DD_EINVALID,
                         "the path is not under a directory the server "
                         "allows (--allow-dir)");
}
