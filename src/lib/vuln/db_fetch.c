/*
 * vuln/db_fetch.c - dd_vulndb_update(): download the official feeds with
 * libcurl and import them.
 *
 * Every feed is fetched over HTTPS (certificates verified) into
 * <db dir>/feeds/, with its ETag and Last-Modified kept beside it so that
 * the next update sends a conditional request and reuses the file on
 * "304 Not Modified". A download must be complete (HTTP 200, the length
 * the server announced, the shape the feed serves) before it replaces the
 * cached copy; the import that follows is atomic (dd_vulndb_import).
 *
 * opts->mirror fetches the same paths from an https mirror instead
 * (air-gapped sites; the tests' local server), opts->ca_file trusts that
 * CA bundle. The library never prints: per-feed lines go to opts->line,
 * byte counts to opts->progress, the first error into err.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/engine.h"
#include "drydock/vulndb.h"
#include "util/util.h"

typedef struct feed {
    const char *name, *url, *file;
} feed;

#define OSV   "https://osv-vulnerabilities.storage.googleapis.com/"
#define SECDB "https://secdb.alpinelinux.org/"
static const feed FEEDS[] = {
    {"debian", OSV "Debian/all.zip", "osv-Debian.zip"},
    {"alpine", SECDB "v3.22/main.json", "alpine-v3.22-main.json"},
    {"alpine", SECDB "v3.22/community.json", "alpine-v3.22-community.json"},
    {"alpine", SECDB "v3.21/main.json", "alpine-v3.21-main.json"},
    {"alpine", SECDB "v3.21/community.json", "alpine-v3.21-community.json"},
    {"alpine", SECDB "v3.20/main.json", "alpine-v3.20-main.json"},
    {"alpine", SECDB "v3.20/community.json", "alpine-v3.20-community.json"},
    {"alpine", SECDB "v3.19/main.json", "alpine-v3.19-main.json"},
    {"alpine", SECDB "v3.18/main.json", "alpine-v3.18-main.json"},
    {"ubuntu", OSV "Ubuntu/all.zip", "osv-Ubuntu.zip"},
    {"npm", OSV "npm/all.zip", "osv-npm.zip"},
    {"pypi", OSV "PyPI/all.zip", "osv-PyPI.zip"},
    {"go", OSV "Go/all.zip", "osv-Go.zip"},
    {"maven", OSV "Maven/all.zip", "osv-Maven.zip"},
    {"cargo", OSV "crates.io/all.zip", "osv-crates.io.zip"},
    {"debian-tracker", "https://security-tracker.debian.org/tracker/data/json",
     "debian-tracker.json"},
};
#define N_FEEDS       (sizeof FEEDS / sizeof *FEEDS)
#define DEFAULT_FEEDS "debian,alpine"
#define KNOWN_FEEDS \
    "debian, alpine, ubuntu, npm, pypi, go, maven, cargo, debian-tracker"

const char *dd_vulndb_feed_names(void)
{
    return KNOWN_FEEDS;
}

typedef struct dl {
    FILE *out;
    const dd_vulndb_update_opts *o;
    const char *name;
} dl;

static size_t write_cb(char *p, size_t s, size_t n, void *u)
{
    return fwrite(p, s, n, ((dl *)u)->out);
}

static int progress_cb(
    void *u, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un)
{
    (void)ut;
    (void)un;
    dl *d = u;
    if (d->o->cancel && d->o->cancel(d->o->ud)) {
        return 1; /* aborts the transfer: CURLE_ABORTED_BY_CALLBACK */
    }
    if (d->o->progress) {
        d->o->progress(d->o->ud, d->name, (uint64_t)(now > 0 ? now : 0),
                       (int64_t)(total > 0 ? total : -1));
    }
    return 0;
}

static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, name, n)) {
            return 1;
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

/* Read "etag\nlast-modified\n" kept beside a cached feed. */
static void
read_meta(const char *path, char *etag, size_t en, char *lm, size_t ln)
{
    etag[0] = lm[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        return;
    }
    if (fgets(etag, (int)en, f)) {
        etag[strcspn(etag, "\r\n")] = '\0';
    }
    if (fgets(lm, (int)ln, f)) {
        lm[strcspn(lm, "\r\n")] = '\0';
    }
    fclose(f);
}

typedef struct hdrs {
    char etag[256], lm[128];
} hdrs;

/* keep the value of one header line, without surrounding blanks and
 * without any control character (it is echoed into a request later) */
static void
keep_value(char *dst, size_t dn, const char *p, size_t len, size_t skip)
{
    p += skip;
    len -= skip;
    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < dn; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x20 || ch == 0x7f) {
            break;
        }
        dst[k++] = (char)ch;
    }
    while (k && dst[k - 1] == ' ') {
        k--;
    }
    dst[k] = '\0';
}

static size_t header_cb(char *p, size_t s, size_t n, void *u)
{
    hdrs *h = u;
    size_t len = s * n;
    if (len > 5 && !strncasecmp(p, "etag:", 5)) {
        keep_value(h->etag, sizeof h->etag, p, len, 5);
    } else if (len > 14 && !strncasecmp(p, "last-modified:", 14)) {
        keep_value(h->lm, sizeof h->lm, p, len, 14);
    }
    return len;
}

/* The URL to fetch: the official one, or the same path on the mirror. */
static void feed_url(const feed *f, const char *mirror, char *out, size_t n)
{
    if (!mirror || !*mirror) {
        snprintf(out, n, "%s", f->url);
        return;
    }
    const char *path = strstr(f->url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    size_t ml = strlen(mirror);
    snprintf(out, n, "%s%s", mirror,
             path ? path + (ml && mirror[ml - 1] == '/') : "/");
}

/* 0 fresh download, 1 not modified (cached copy), DD_E* on error (set in
 * err unless it already holds one) */
static int fetch(CURL *c,
                 const feed *f,
                 const char *url,
                 const char *dir,
                 const dd_vulndb_update_opts *o,
                 dd_error *err)
{
    char path[4096], tmp[4200], meta[4200];
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    snprintf(tmp, sizeof tmp, "%s.part", path);
    snprintf(meta, sizeof meta, "%s.meta", path);
    char etag[256], lm[128];
    read_meta(meta, etag, sizeof etag, lm, sizeof lm);
    struct curl_slist *h = NULL;
    char line[512];
    if (etag[0] && access(path, R_OK) == 0) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        h = curl_slist_append(h, line);
    } else if (lm[0] && access(path, R_OK) == 0) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", lm);
        h = curl_slist_append(h, line);
    }
    dl d = {fopen(tmp, "wb"), o, f->file};
    if (!d.out) {
        curl_slist_free_all(h);
        return dd__error_set(err, DD_EIO, "%s: %s", tmp, strerror(errno));
    }
    hdrs got;
    memset(&got, 0, sizeof got);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (o->ca_file && *o->ca_file) {
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &got);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)2 << 30);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "drydock/" DRYDOCK_VERSION);
    CURLcode rc = curl_easy_perform(c);
    int werr = fclose(d.out) != 0;
    curl_slist_free_all(h);
    if (o->progress) {
        o->progress(o->ud, NULL, 0, 0); /* this download is over */
    }
    long code = 0;
    curl_off_t cl = -1, size = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        unlink(tmp);
        return dd__error_set(err, DD_ECANCELED,
                             "db update: canceled while fetching %s", url);
    }
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
        rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_OPERATION_TIMEDOUT) {
        unlink(tmp);
        return dd__error_set(err, DD_ENET, "cannot reach %s (offline?)", url);
    }
    if (rc != CURLE_OK || werr) {
        unlink(tmp);
        return dd__error_set(err, DD_EIO, "%s: %s", url,
                             werr ? "cannot write the download"
                                  : curl_easy_strerror(rc));
    }
    if (code == 304) {
        unlink(tmp);
        return 1;
    }
    if (code != 200 || (cl >= 0 && cl != size)) {
        unlink(tmp);
        return dd__error_set(err, DD_EIO,
                             "%s: HTTP %ld, %lld of %lld bytes: not used", url,
                             code, (long long)size, (long long)cl);
    }
    /* what we got must look like what the feed serves: a zip archive or
     * a JSON document - never an HTML error page cached for ever */
    FILE *chk = fopen(tmp, "rb");
    unsigned char head[4] = {0};
    size_t hn = chk ? fread(head, 1, sizeof head, chk) : 0;
    if (chk) {
        fclose(chk);
    }
    size_t fl = strlen(f->file);
    int want_zip = fl > 4 && !strcmp(f->file + fl - 4, ".zip");
    int ok = want_zip ? hn == 4 && !memcmp(head, "PK\3\4", 4)
                      : hn >= 1 && (head[0] == '{' || head[0] == '[');
    if (!ok) {
        unlink(tmp);
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: the download is not a %s: not used", url,
                             want_zip ? "zip archive" : "JSON document");
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return dd__error_set(err, DD_EIO, "%s: %s", path, strerror(e));
    }
    FILE *m = fopen(meta, "w");
    if (m) {
        fprintf(m, "%s\n%s\n", got.etag, got.lm);
        fclose(m);
    }
    return 0;
}

/* <dir of db_path>/feeds, created with its parents */
static int feeds_dir(const char *db, char *dir, size_t n, dd_error *err)
{
    if ((size_t)snprintf(dir, n, "%s", db) >= n - 8) {
        return dd__error_set(err, DD_EINVALID,
                             "db update: the database path is too long");
    }
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, n, ".");
    }
    size_t l = strlen(dir);
    snprintf(dir + l, n - l, "/feeds");
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        return dd__error_set(err, DD_EIO, "%s: %s", dir, strerror(errno));
    }
    return 0;
}

static void say(const dd_vulndb_update_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const dd_vulndb_update_opts *o, const char *fmt, ...)
{
    if (!o->line) {
        return;
    }
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    o->line(o->ud, buf);
}

int dd_vulndb_update(const char *db_path,
                     const dd_vulndb_update_opts *opts,
                     dd_import_report *rep,
                     dd_error *err)
{
    static const dd_vulndb_update_opts none = DD_VULNDB_UPDATE_OPTS_INIT;
    const dd_vulndb_update_opts *o = opts ? opts : &none;
    memset(rep, 0, sizeof *rep);
    err->code = 0;
    err->message[0] = '\0';
    if (!db_path || !*db_path) {
        return dd__error_set(err, DD_EINVALID, "db update: no database path");
    }
    if (o->mirror && *o->mirror && strncmp(o->mirror, "https://", 8)) {
        return dd__error_set(err, DD_EINVALID,
                             "db update: the mirror must be an https:// URL");
    }
    const char *feeds = o->feeds && *o->feeds ? o->feeds : DEFAULT_FEEDS;
    for (const char *p = feeds; *p;) {
        size_t k = strcspn(p, ",");
        int known = 0;
        for (size_t i = 0; i < N_FEEDS; i++) {
            known |=
                strlen(FEEDS[i].name) == k && !strncmp(FEEDS[i].name, p, k);
        }
        if (!known) {
            return dd__error_set(err, DD_EINVALID,
                                 "db update: unknown feed '%.*s' (known: %s)",
                                 (int)(k > 64 ? 64 : k), p, KNOWN_FEEDS);
        }
        p += k + (p[k] == ',');
    }
    char dir[4096];
    int rc = feeds_dir(db_path, dir, sizeof dir, err);
    if (rc) {
        return rc;
    }
    rc = dd_global_init();
    if (rc) {
        return dd__error_set(err, rc, "db update: cannot initialise libcurl");
    }
    CURL *c = curl_easy_init();
    if (!c) {
        return dd__error_set(err, DD_ENOMEM, "db update: curl_easy_init");
    }
    const char *paths[N_FEEDS];
    char store[N_FEEDS][4200];
    size_t n = 0;
    int status = 0;
    for (size_t i = 0; i < N_FEEDS; i++) {
        if (!in_list(feeds, FEEDS[i].name)) {
            continue;
        }
        if (o->cancel && o->cancel(o->ud)) {
            if (!status) {
                status =
                    dd__error_set(err, DD_ECANCELED, "db update: canceled");
            }
            break;
        }
        char url[2048];
        feed_url(&FEEDS[i], o->mirror, url, sizeof url);
        dd_error fe = {0, ""};
        int r = fetch(c, &FEEDS[i], url, dir, o, &fe);
        if (r < 0) {
            if (!status) {
                *err = fe; /* the first error is the caller's to say */
                status = r;
            } else {
                say(o, "%s", fe.message);
            }
            if (r == DD_ENET || r == DD_ECANCELED) {
                break; /* the next feeds would fail the same way */
            }
            continue;
        }
        say(o, "%s: %s", FEEDS[i].file, r == 1 ? "not modified" : "downloaded");
        snprintf(store[n], sizeof store[n], "%s/%s", dir, FEEDS[i].file);
        paths[n] = store[n];
        n++;
    }
    curl_easy_cleanup(c);
    if (status) {
        return status;
    }
    rc = dd_vulndb_import(db_path, paths, n, rep, err);
    if (rc) {
        size_t l = strlen(err->message);
        snprintf(err->message + l, sizeof err->message - l,
                 " (the database was not changed)");
    }
    return rc;
}
