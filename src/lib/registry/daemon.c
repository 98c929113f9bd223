/*
 * lib/registry/daemon.c - images from a Docker-compatible Engine API
 * (dockerd, or `podman system service`) on a unix socket:
 * GET /images/{name}/get returns a `docker save` tar. That tar puts
 * manifest.json after the layers, so it cannot be read in one forward
 * pass; it is spooled to an unlinked temporary file (O_TMPFILE in
 * $TMPDIR, mode 0600: no name, gone when we close it) and read from there
 * like any docker-archive. Layers are still decompressed once, in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "registry_int.h"
#include "../../util/util.h"

static int sock_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* --docker-host, $DOCKER_HOST (unix://), docker's and podman's sockets */
static int pick_socket(const char *opt, char *out, size_t cap)
{
    const char *dh = getenv("DOCKER_HOST");
    if (opt) {
        snprintf(out, cap, "%s", !strncmp(opt, "unix://", 7) ? opt + 7 : opt);
        return 1;
    }
    if (dh && !strncmp(dh, "unix://", 7)) {
        snprintf(out, cap, "%s", dh + 7);
        return 1;
    }
    const char *xrd = getenv("XDG_RUNTIME_DIR");
    char pod[512] = "";
    if (xrd) {
        snprintf(pod, sizeof pod, "%s/podman/podman.sock", xrd);
    }
    const char *c[] = {"/var/run/docker.sock", "/run/podman/podman.sock", pod};
    for (size_t i = 0; i < 3; i++) {
        if (c[i][0] && sock_exists(c[i])) {
            snprintf(out, cap, "%s", c[i]);
            return 1;
        }
    }
    return 0;
}

typedef struct spool {
    int fd;
    uint64_t n;
    int werr;
} spool;

static size_t on_body(char *b, size_t sz, size_t n, void *ud)
{
    spool *s = ud;
    size_t len = sz * n, off = 0;
    while (off < len) {
        ssize_t w = write(s->fd, b + off, len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            s->werr = errno ? errno : EIO;
            return 0;
        }
        off += (size_t)w;
    }
    s->n += len;
    return len;
}

int dd__daemon_fetch(const char *name,
                     const char *socket_opt,
                     int *fd_out,
                     dd_error *err)
{
    *fd_out = -1;
    char sock[512];
    if (!pick_socket(socket_opt, sock, sizeof sock)) {
        return dd__error_set(err, DD_ENOTFOUND,
                             "docker:%s: no container daemon socket (tried "
                             "$DOCKER_HOST, /var/run/docker.sock, podman's); "
                             "give --docker-host",
                             name);
    }
    const char *tmp = getenv("TMPDIR");
    int fd =
        open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        return dd__error_set(err, DD_EIO,
                             "docker:%s: cannot create a temporary file: %s",
                             name, strerror(errno));
    }
    CURL *c = curl_easy_init();
    char *esc = c ? curl_easy_escape(c, name, 0) : NULL;
    if (!esc) {
        curl_easy_cleanup(c);
        close(fd);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    char url[1024], errbuf[CURL_ERROR_SIZE] = "";
    snprintf(url, sizeof url, "http://d/images/%s/get", esc);
    curl_free(esc);
    spool s = {fd, 0, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    if (cc != CURLE_OK) {
        close(fd);
        if (code == 404) {
            return dd__error_set(err, DD_ENOTFOUND,
                                 "docker:%s: no such image in the daemon at "
                                 "%s",
                                 name, sock);
        }
        return dd__error_set(err, DD_ENET, "docker:%s: daemon at %s: %s", name,
                             sock,
                             s.werr      ? strerror(s.werr)
                             : errbuf[0] ? errbuf
                                         : curl_easy_strerror(cc));
    }
    *fd_out = fd;
    return 0;
}
