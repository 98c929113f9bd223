/*
 * lib/registry/auth.c - WWW-Authenticate challenges (RFC 7235 syntax:
 * scheme, then comma-separated key=value or key="value" parameters) and
 * credentials from the files docker and podman keep them in:
 * "auths": {"<host>": {"auth": base64("user:password")}} (or "username" /
 * "password"), keys with or without https:// and a path.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "registry_int.h"
#include "../../util/util.h"

#define MAX_AUTH_FILE (1u << 20)

int dd__challenge_parse(const char *v, size_t n, dd__challenge *out)
{
    memset(out, 0, sizeof *out);
    const char *p = v, *e = v + n;
    while (p < e && *p == ' ') {
        p++;
    }
    if (e - p >= 6 && !strncasecmp(p, "Bearer", 6) &&
        (e - p == 6 || p[6] == ' ')) {
        out->bearer = 1;
        p += 6;
    } else if (e - p >= 5 && !strncasecmp(p, "Basic", 5) &&
               (e - p == 5 || p[5] == ' ')) {
        p += 5;
    } else {
        return DD_ECORRUPT;
    }
    while (p < e) {
        while (p < e && (*p == ' ' || *p == ',')) {
            p++;
        }
        const char *k = p;
        while (p < e && *p != '=' && *p != ',' && *p != ' ') {
            p++;
        }
        size_t kl = (size_t)(p - k);
        if (p >= e || *p != '=') {
            if (kl) {
                continue; /* a token68 or a stray word: ignored */
            }
            break;
        }
        p++;
        char val[512];
        size_t vl = 0;
        if (p < e && *p == '"') {
            p++;
            while (p < e && *p != '"') {
                if (*p == '\\' && p + 1 < e) {
                    p++;
                }
                if (vl + 1 < sizeof val) {
                    val[vl++] = *p;
                }
                p++;
            }
            if (p >= e) {
                return DD_ECORRUPT; /* unterminated quote */
            }
            p++;
        } else {
            while (p < e && *p != ',' && *p != ' ') {
                if (vl + 1 < sizeof val) {
                    val[vl++] = *p;
                }
                p++;
            }
        }
        val[vl] = 0;
        char *dst = NULL;
        size_t cap = 0;
        if (kl == 5 && !strncasecmp(k, "realm", 5)) {
            dst = out->realm, cap = sizeof out->realm;
        } else if (kl == 7 && !strncasecmp(k, "service", 7)) {
            dst = out->service, cap = sizeof out->service;
        } else if (kl == 5 && !strncasecmp(k, "scope", 5)) {
            dst = out->scope, cap = sizeof out->scope;
        }
        if (dst) {
            snprintf(dst, cap, "%s", val);
        }
    }
    if (out->bearer && strncmp(out->realm, "https://", 8) &&
        strncmp(out->realm, "http://", 7)) {
        return DD_ECORRUPT; /* a token realm must be a URL */
    }
    return 0;
}

/* "https://host/v1/" -> "host" */
static void key_host(const char *k, char *out, size_t cap)
{
    if (!strncmp(k, "https://", 8)) {
        k += 8;
    } else if (!strncmp(k, "http://", 7)) {
        k += 7;
    }
    size_t n = strcspn(k, "/");
    snprintf(out, cap, "%.*s", (int)n, k);
}

static int hub(const char *h)
{
    return !strcmp(h, "docker.io") || !strcmp(h, "index.docker.io") ||
           !strcmp(h, "registry-1.docker.io");
}

extern char **environ;

/* `docker-credential-<helper> get` with the server on stdin; its JSON
 * answer {"Username", "Secret"}. One process per registry, not per file.
 * 1 found, 0 the helper knows nothing (or is missing), DD_ECORRUPT. */
static int from_helper(const char *helper,
                       const char *host,
                       char *user,
                       size_t ucap,
                       char *secret,
                       size_t scap,
                       dd_error *err)
{
    if (!*helper || strspn(helper, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
                        strlen(helper)) {
        return dd__error_set(err, DD_ECORRUPT,
                             "credential helper name '%.60s' is not a plain "
                             "name",
                             helper);
    }
    char prog[128];
    snprintf(prog, sizeof prog, "docker-credential-%s", helper);
    int in[2], out[2];
    if (pipe(in) || pipe(out)) {
        return 0;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char *argv[] = {prog, "get", NULL};
    pid_t pid;
    int sp = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (sp != 0) {
        close(in[1]);
        close(out[0]);
        return 0; /* no such helper: as if it knew nothing */
    }
    const char *srv =
        !strcmp(host, "docker.io") ? "https://index.docker.io/v1/" : host;
    ssize_t w = write(in[1], srv, strlen(srv));
    (void)w;
    close(in[1]);
    char buf[16384];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(out[0], buf + n, sizeof buf - 1 - n);
        if (r <= 0) {
            break;
        }
        n += (size_t)r;
        if (n == sizeof buf - 1) {
            break;
        }
    }
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return 0; /* "credentials not found" exits 1 */
    }
    json_t *j = NULL;
    int prc = dd__json_parse(&j, buf, n, 0, prog, err);
    const char *u = json_string_value(json_object_get(j, "Username"));
    const char *sec = json_string_value(json_object_get(j, "Secret"));
    int found = 0;
    if (u && sec) {
        snprintf(user, ucap, "%s", u);
        snprintf(secret, scap, "%s", sec);
        found = 1;
    } else {
        found = prc ? prc
                    : dd__error_set(err, DD_ECORRUPT,
                                    "%s: the answer has no Username and Secret",
                                    prog);
    }
    OPENSSL_cleanse(buf, sizeof buf);
    json_decref(j);
    return found;
}

static int from_file(const char *path,
                     const char *host,
                     char *user,
                     size_t ucap,
                     char *secret,
                     size_t scap,
                     dd_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (dd__file_read(path, MAX_AUTH_FILE, &buf, &len) != 0) {
        return 0; /* absent or unreadable: not ours to complain about */
    }
    json_t *root = NULL;
    int prc = dd__json_parse(&root, buf, len, 0, path, err);
    dd__free(buf);
    if (prc) {
        return prc;
    }
    json_t *auths = json_object_get(root, "auths");
    const char *key;
    json_t *v;
    int found = 0;
    json_object_foreach(auths, key, v)
    {
        char h[256];
        key_host(key, h, sizeof h);
        if (strcmp(h, host) && !(hub(h) && hub(host))) {
            continue;
        }
        const char *a = json_string_value(json_object_get(v, "auth"));
        const char *u = json_string_value(json_object_get(v, "username"));
        const char *pw = json_string_value(json_object_get(v, "password"));
        if (a && *a) {
            size_t al = strlen(a);
            unsigned char *dec = al < 4096 ? dd__malloc(al + 4) : NULL;
            int dl =
                dec ? EVP_DecodeBlock(dec, (const unsigned char *)a, (int)al)
                    : -1;
            if (dl > 0) {
                while (dl > 0 && dec[dl - 1] == 0) {
                    dl--; /* padding */
                }
                dec[dl] = 0;
            }
            char *colon = dl > 0 ? strchr((char *)dec, ':') : NULL;
            if (!colon) {
                dd__free(dec);
                int rc = dd__error_set(err, DD_ECORRUPT,
                                       "%s: auths[\"%.100s\"].auth is not "
                                       "base64 of user:password",
                                       path, key);
                json_decref(root); /* after: `key` lives in it */
                return rc;
            }
            *colon = 0;
            snprintf(user, ucap, "%s", (char *)dec);
            snprintf(secret, scap, "%s", colon + 1);
            OPENSSL_cleanse(dec, (size_t)dl);
            dd__free(dec);
            found = 1;
        } else if (u && pw) {
            snprintf(user, ucap, "%s", u);
            snprintf(secret, scap, "%s", pw);
            found = 1;
        }
        if (found) {
            break;
        }
    }
    if (!found) { /* credHelpers[host], then credsStore */
        char h[256];
        const char *helper = NULL;
        json_object_foreach(json_object_get(root, "credHelpers"), key, v)
        {
            key_host(key, h, sizeof h);
            if ((!strcmp(h, host) || (hub(h) && hub(host))) &&
                json_is_string(v)) {
                helper = json_string_value(v);
            }
        }
        if (!helper) {
            helper = json_string_value(json_object_get(root, "credsStore"));
        }
        if (helper) {
            found = from_helper(helper, host, user, ucap, secret, scap, err);
        }
    }
    json_decref(root);
    return found;
}

int dd__creds_lookup(const char *host,
                     const char *config_path,
                     char *user,
                     size_t ucap,
                     char *secret,
                     size_t scap,
                     dd_error *err)
{
    if (config_path) {
        return from_file(config_path, host, user, ucap, secret, scap, err);
    }
    const char *dc = getenv("DOCKER_CONFIG");
    const char *home = getenv("HOME");
    const char *xrd = getenv("XDG_RUNTIME_DIR");
    const char *cands[4];
    char b[4][4096];
    size_t n = 0;
    if (dc && *dc) {
        snprintf(b[n], sizeof b[n], "%s/config.json", dc);
        cands[n] = b[n], n++;
    } else if (home && *home) {
        snprintf(b[n], sizeof b[n], "%s/.docker/config.json", home);
        cands[n] = b[n], n++;
    }
    if (xrd && *xrd) {
        snprintf(b[n], sizeof b[n], "%s/containers/auth.json", xrd);
        cands[n] = b[n], n++;
    }
    if (home && *home) {
        snprintf(b[n], sizeof b[n], "%s/.config/containers/auth.json", home);
        cands[n] = b[n], n++;
    }
    for (size_t i = 0; i < n; i++) {
        int r = from_file(cands[i], host, user, ucap, secret, scap, err);
        if (r) {
            return r;
        }
    }
    return 0;
}
