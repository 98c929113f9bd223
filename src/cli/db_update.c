/*
 * cli/db_update.c - `drydock db update`: download the official feeds with
 * libcurl and import them.
 *
 * Every feed is fetched over HTTPS (certificates verified) into
 * <db dir>/feeds/, with its ETag and Last-Modified kept beside it so that
 * the next update sends a conditional request and reuses the file on
 * "304 Not Modified". A download must be complete (HTTP 200, the length
 * the server announced) before it replaces the cached copy; the import
 * that follows is atomic. When the network is unreachable, one line says
 * so and suggests `drydock db import`.
 *
 * --mirror URL (or DRYDOCK_FEED_MIRROR) fetches the same paths from an
 * https mirror instead (air-gapped sites; the tests' local server), and
 * --ca-file PATH (or DRYDOCK_CA_FILE) trusts that CA bundle.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* where errors go: stderr, or the first one into a buffer (the scan's
 * first run says it in its own single line) */
typedef struct sink {
    char *why;
    size_t n;
} sink;

static void say(sink *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(sink *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (k && k->why) {
        if (!k->why[0]) {
            vsnprintf(k->why, k->n, fmt, ap);
        }
    } else {
        fputs("drydock: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

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
#define DEFAULT_FEEDS "debian,alpine"

typedef struct dl {
    FILE *out;
    int bar;
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
    if (d->bar) {
        char a[32], b[32];
        fprintf(stderr, "\r%-26s %10s / %-10s", d->name,
                cli_human((unsigned long long)now, a, sizeof a),
                total > 0 ? cli_human((unsigned long long)total, b, sizeof b)
                          : "?");
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
        etag[strcspn(etag, "\n")] = '\0';
    }
    if (fgets(lm, (int)ln, f)) {
        lm[strcspn(lm, "\n")] = '\0';
    }
    fclose(f);
}

typedef struct hdrs {
    char etag[256], lm[128];
} hdrs;

static size_t header_cb(char *p, size_t s, size_t n, void *u)
{
    hdrs *h = u;
    size_t len = s * n;
    if (len > 5 && !strncasecmp(p, "etag:", 5)) {
        snprintf(h->etag, sizeof h->etag, "%.*s", (int)(len - 5), p + 5);
    } else if (len > 14 && !strncasecmp(p, "last-modified:", 14)) {
        snprintf(h->lm, sizeof h->lm, "%.*s", (int)(len - 14), p + 14);
    }
    for (char *q = h->etag; *q; q++) {
        if (*q == '\r' || *q == '\n') {
            *q = '\0';
        }
    }
    for (char *q = h->lm; *q; q++) {
        if (*q == '\r' || *q == '\n') {
            *q = '\0';
        }
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

/* 0 fresh download, 1 not modified (cached copy), -1 error (printed),
 * -2 unreachable */
static int fetch(CURL *c,
                 const feed *f,
                 const char *url,
                 const char *ca,
                 const char *dir,
                 int bar,
                 sink *k)
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
    dl d = {fopen(tmp, "wb"), bar, f->file};
    if (!d.out) {
        say(k, "%s: %s", tmp, strerror(errno));
        curl_slist_free_all(h);
        return -1;
    }
    hdrs got;
    memset(&got, 0, sizeof got);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (ca && *ca) {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &got);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
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
    if (bar) {
        fprintf(stderr, "\r\033[K");
    }
    long code = 0;
    curl_off_t cl = -1, size = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size);
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
        rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_OPERATION_TIMEDOUT) {
        unlink(tmp);
        return -2;
    }
    if (rc != CURLE_OK || werr) {
        say(k, "%s: %s", url,
            werr ? "cannot write the download" : curl_easy_strerror(rc));
        unlink(tmp);
        return -1;
    }
    if (code == 304) {
        unlink(tmp);
        return 1;
    }
    if (code != 200 || (cl >= 0 && cl != size)) {
        say(k, "%s: HTTP %ld, %lld of %lld bytes: not used", url, code,
            (long long)size, (long long)cl);
        unlink(tmp);
        return -1;
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
        say(k, "%s: the download is not a %s: not used", url,
            want_zip ? "zip archive" : "JSON document");
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        say(k, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    FILE *m = fopen(meta, "w");
    if (m) {
        fprintf(m, "%s\n%s\n", got.etag, got.lm);
        fclose(m);
    }
    return 0;
}

int cli_db_update(const char *db,
                  const char *feeds,
                  const char *mirror,
                  const char *ca,
                  unsigned flags,
                  char *why,
                  size_t whyn)
{
    sink snk = {why, whyn};
    int quiet = (flags & CLI_DBU_QUIET) != 0;
    FILE *sum = flags & CLI_DBU_SUMMARY_STDERR ? stderr : stdout;
    if (why && whyn) {
        why[0] = '\0';
    }
    if (!mirror) {
        mirror = getenv("DRYDOCK_FEED_MIRROR");
    }
    if (!ca) {
        ca = getenv("DRYDOCK_CA_FILE");
    }
    if (mirror && *mirror && strncmp(mirror, "https://", 8)) {
        say(&snk, "db update: the mirror must be an https:// URL");
        return EXIT_USAGE;
    }
    if (!feeds) {
        feeds = DEFAULT_FEEDS;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", db);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    size_t dl_ = strlen(dir);
    snprintf(dir + dl_, sizeof dir - dl_, "/feeds");
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    mkdir(dir, 0755);
    for (const char *p = feeds; *p;) {
        size_t k = strcspn(p, ",");
        int known = 0;
        for (size_t i = 0; i < sizeof FEEDS / sizeof *FEEDS; i++) {
            known |=
                strlen(FEEDS[i].name) == k && !strncmp(FEEDS[i].name, p, k);
        }
        if (!known) {
            fprintf(stderr,
                    "drydock db update: unknown feed '%.*s' (known: "
                    "debian, alpine, ubuntu, npm, pypi, go, maven, "
                    "cargo, debian-tracker)\n",
                    (int)k, p);
            return EXIT_USAGE;
        }
        p += k + (p[k] == ',');
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        return EXIT_UNREADABLE;
    }
    CURL *c = curl_easy_init();
    const char *paths[sizeof FEEDS / sizeof *FEEDS];
    char store[sizeof FEEDS / sizeof *FEEDS][4200];
    size_t n = 0;
    int status = 0, bar = !quiet && !(flags & CLI_DBU_NO_BAR) && isatty(2);
    for (size_t i = 0; c && i < sizeof FEEDS / sizeof *FEEDS; i++) {
        if (!in_list(feeds, FEEDS[i].name)) {
            continue;
        }
        char url[2048];
        feed_url(&FEEDS[i], mirror, url, sizeof url);
        int r = fetch(c, &FEEDS[i], url, ca, dir, bar, &snk);
        if (r == -2) {
            if (why) {
                say(&snk, "cannot reach %s (offline?)", url);
            } else {
                say(&snk,
                    "cannot reach %s (offline?): the database was not "
                    "updated; import feeds you have with `drydock db import "
                    "PATH...`",
                    url);
            }
            status = EXIT_UNREADABLE;
            break;
        }
        if (r < 0) {
            status = EXIT_UNREADABLE;
            continue;
        }
        if (!quiet) {
            fprintf(stderr, "%s: %s\n", FEEDS[i].file,
                    r == 1 ? "not modified" : "downloaded");
        }
        snprintf(store[n], sizeof store[n], "%s/%s", dir, FEEDS[i].file);
        paths[n] = store[n];
        n++;
    }
    if (c) {
        curl_easy_cleanup(c);
    }
    curl_global_cleanup();
    if (status) {
        return status;
    }
    dd_import_report rep;
    dd_error err;
    int rc = dd_vulndb_import(db, paths, n, &rep, &err);
    if (rep.messages && !quiet) {
        fprintf(stderr, "%s", rep.messages);
    }
    if (rc) {
        say(&snk, "%s (the database was not changed)", err.message);
    } else if (!quiet || sum == stdout) {
        fprintf(sum,
                "updated %s: %zu records from %zu feeds (%zu malformed "
                "skipped)\n",
                db, rep.records, rep.feeds, rep.malformed);
    }
    dd_import_report_free(&rep);
    return rc ? EXIT_UNREADABLE : 0;
}
