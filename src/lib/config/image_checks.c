/*
 * lib/config/image_checks.c - configuration checks on an image: the analyzer
 * keeps each layer's etc/passwd and etc/shadow; after the merge the
 * checks read the config and history (checks.c), the account files
 * visible in the final image, the merged file list (modes, daemons,
 * tools, caches) and the package owners.
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "../analyze/analyzer.h"
#include "../layer/walk_int.h"
#include "../pkg/owners.h"
#include "../../util/util.h"

#define MAX_ACCOUNTS_FILE (4u << 20)

typedef struct cstate {
    char *passwd, *shadow; /* this layer's copies, NUL-terminated */
} cstate;

static int is_passwd(const char *p)
{
    return !strcmp(p, "etc/passwd");
}

static int is_shadow(const char *p)
{
    return !strcmp(p, "etc/shadow");
}

static uint64_t c_wants(void *self, const dd_fs_node *n)
{
    (void)self;
    return (is_passwd(n->path) || is_shadow(n->path)) && n->size
               ? MAX_ACCOUNTS_FILE
               : 0;
}

static void *c_begin(void *self, size_t layer, dd_findings *f)
{
    (void)self, (void)layer, (void)f;
    return dd__calloc(1, sizeof(cstate));
}

static int c_file(void *self,
                  void *st,
                  const dd_fs_node *n,
                  const uint8_t *data,
                  size_t len,
                  int truncated)
{
    (void)self, (void)truncated;
    cstate *s = st;
    char **slot = is_passwd(n->path) ? &s->passwd : &s->shadow;
    dd__free(*slot);
    *slot = dd__strndup((const char *)data, len);
    return *slot ? 0 : DD_ENOMEM;
}

static void c_free(void *self, void *st)
{
    (void)self;
    cstate *s = st;
    if (s) {
        dd__free(s->passwd);
        dd__free(s->shadow);
        dd__free(s);
    }
}

void dd__config_analyzer_init(dd__analyzer *a, dd__config *c)
{
    *a = (dd__analyzer){.name = "config",
                        .version = 1,
                        .self = c,
                        .wants = c_wants,
                        .layer_begin = c_begin,
                        .file = c_file,
                        .layer_free = c_free};
}

/* the visible copy of etc/passwd or etc/shadow, and where it is */
static const char *
visible(const dd_walk *w, size_t ai, const char *path, dd__where *where)
{
    const dd_fs_node *v = dd__walk_find(w, path);
    if (!v || v->type != DD_ENTRY_FILE || v->layer < 0) {
        return NULL;
    }
    const cstate *s = dd__walk_layer_state(w, ai, (size_t)v->layer);
    if (!s) {
        return NULL;
    }
    where->path = path;
    where->layer = v->layer;
    where->history = -1;
    return is_passwd(path) ? s->passwd : s->shadow;
}

/* field i (0-based) of a ':'-separated line into buf */
static int field(const char *l, size_t n, int i, char *buf, size_t cap)
{
    const char *p = l, *e = l + n;
    for (int k = 0; k < i; k++) {
        const char *c = memchr(p, ':', (size_t)(e - p));
        if (!c) {
            return -1;
        }
        p = c + 1;
    }
    const char *c = memchr(p, ':', (size_t)(e - p));
    size_t fl = (size_t)((c ? c : e) - p);
    snprintf(buf, cap, "%.*s", (int)(fl < cap - 1 ? fl : cap - 1), p);
    return 0;
}

static int accounts(const dd__emit *e, const dd_walk *w, size_t ai)
{
    int rc = 0;
    dd__where pw = DD_WHERE_NONE, sw = DD_WHERE_NONE;
    const char *passwd = visible(w, ai, "etc/passwd", &pw);
    const char *shadow = visible(w, ai, "etc/shadow", &sw);
    for (const char *p = passwd; p && *p && !rc;) {
        size_t n = strcspn(p, "\n");
        char name[128], pass[256], uid[32];
        if (n && *p != '#' && !field(p, n, 0, name, sizeof name) &&
            !field(p, n, 1, pass, sizeof pass) &&
            !field(p, n, 2, uid, sizeof uid)) {
            if (!strcmp(uid, "0") && strcmp(name, "root")) {
                rc = dd__emit_check(e, "config.uid0-account", &pw, name,
                                    "account '%s' has UID 0 (a second root)",
                                    name);
            }
            if (!rc && !pass[0]) {
                rc = dd__emit_check(e, "config.empty-password", &pw, name,
                                    "account '%s' has no password in "
                                    "etc/passwd (anyone can log in as it)",
                                    name);
            }
        }
        p += n + (p[n] == '\n');
    }
    for (const char *p = shadow; p && *p && !rc;) {
        size_t n = strcspn(p, "\n");
        char name[128], hash[512];
        if (n && !field(p, n, 0, name, sizeof name) &&
            !field(p, n, 1, hash, sizeof hash)) {
            if (!hash[0]) {
                rc = dd__emit_check(e, "config.empty-password", &sw, name,
                                    "account '%s' has an empty password in "
                                    "etc/shadow (login without a password)",
                                    name);
            } else if (!strcmp(name, "root") && hash[0] != '*' &&
                       hash[0] != '!' && strcmp(hash, "x")) {
                char ev[32];
                snprintf(ev, sizeof ev, "root:%.6s…", hash);
                rc = dd__emit_check(e, "config.root-password", &sw, ev,
                                    "root has a password hash in etc/shadow "
                                    "(a password baked into every container)");
            }
        }
        p += n + (p[n] == '\n');
    }
    return rc;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int in_bin_dir(const char *p)
{
    static const char *const dirs[] = {"bin/",           "sbin/",
                                       "usr/bin/",       "usr/sbin/",
                                       "usr/local/bin/", "usr/local/sbin/"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        size_t k = strlen(dirs[i]);
        if (!strncmp(p, dirs[i], k) && !strchr(p + k, '/')) {
            return 1;
        }
    }
    return 0;
}

static const char *const remote_bins[] = {
    "sshd",      "dropbear", "in.telnetd", "telnetd",    "vsftpd", "proftpd",
    "pure-ftpd", "in.tftpd", "in.rshd",    "in.rlogind", "x11vnc", "xrdp"};
static const char *const sudo_bins[] = {"sudo"};
static const char *const debug_bins[] = {
    "gcc",    "g++", "cc",     "c++",  "clang", "gdb",     "strace",
    "ltrace", "nc",  "netcat", "ncat", "nmap",  "tcpdump", "socat"};

static int in_list(const char *b, const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(b, l[i])) {
            return 1;
        }
    }
    return 0;
}

static int files(const dd__emit *e,
                 const dd_walk *w,
                 const dd_image_info *in,
                 const dd__owner_map *om)
{
    int rc = 0;
    struct {
        const char *prefix, *label;
        size_t files;
        uint64_t bytes;
        int layer;
    } caches[] = {{"var/lib/apt/lists/", "apt index lists", 0, 0, -1},
                  {"var/cache/apt/", "apt package cache", 0, 0, -1},
                  {"var/cache/apk/", "apk cache", 0, 0, -1},
                  {"var/cache/yum/", "yum cache", 0, 0, -1},
                  {"var/cache/dnf/", "dnf cache", 0, 0, -1},
                  {"root/.cache/pip/", "pip cache", 0, 0, -1},
                  {"root/.npm/_cacache/", "npm cache", 0, 0, -1}};
    size_t nc = sizeof caches / sizeof *caches;
    unsigned debug_seen = 0;
    for (size_t i = 0; !rc && i < dd_walk_file_count(w); i++) {
        const dd_fs_node *n = dd_walk_file(w, i);
        const dd_layer_desc *ld = n->layer >= 0 ? &in->layers[n->layer] : NULL;
        dd__where wh = {n->path, n->layer, ld ? ld->history : -1, 0,
                        ld ? (ld->diff_id ? ld->diff_id : ld->digest) : NULL};
        const char *owner = om ? dd__owner_map_get(om, n->path) : NULL;
        char ev[160];
        if (n->type == DD_ENTRY_FILE && (n->mode & 06000)) {
            snprintf(ev, sizeof ev, "mode %04o, uid %llu, package %s",
                     (unsigned)(n->mode & 07777), (unsigned long long)n->uid,
                     owner ? owner : "none");
            rc = dd__emit_check(e, "config.setuid", &wh, ev, "%s%s file%s%s",
                                n->mode & 04000 ? "setuid" : "",
                                (n->mode & 06000) == 06000 ? "+"
                                : (n->mode & 02000)        ? "setgid"
                                                           : "",
                                owner ? " from package "
                                      : " owned by no package",
                                owner ? owner : "");
        }
        int ww =
            (n->type == DD_ENTRY_FILE && (n->mode & 002)) ||
            (n->type == DD_ENTRY_DIR && (n->mode & 002) && !(n->mode & 01000));
        if (!rc && ww) {
            snprintf(ev, sizeof ev, "mode %04o", (unsigned)(n->mode & 07777));
            rc = dd__emit_check(
                e, "config.world-writable", &wh, ev, "world-writable %s%s",
                n->type == DD_ENTRY_DIR ? "directory without the sticky bit"
                                        : "file",
                owner ? " (packaged)" : "");
        }
        int exe = (n->type == DD_ENTRY_FILE ||
                   (n->type == DD_ENTRY_SYMLINK && n->linkname &&
                    !strstr(n->linkname, "busybox"))) &&
                  in_bin_dir(n->path);
        const char *b = base(n->path);
        if (!rc && exe && in_list(b, remote_bins, 12)) {
            snprintf(ev, sizeof ev, "%s%s%s", b, owner ? ", package " : "",
                     owner ? owner : "");
            rc = dd__emit_check(e, "config.remote-access", &wh, ev,
                                "remote-access daemon installed: %s", b);
        }
        if (!rc && exe && in_list(b, sudo_bins, 1)) {
            rc = dd__emit_check(e, "config.sudo-installed", &wh,
                                owner ? owner : "sudo",
                                "sudo installed: an escalation path inside "
                                "the container");
        }
        for (size_t k = 0; !rc && exe && k < 14; k++) {
            if (!strcmp(b, debug_bins[k]) && !(debug_seen & (1u << k))) {
                debug_seen |= 1u << k;
                snprintf(ev, sizeof ev, "%s%s%s", b, owner ? ", package " : "",
                         owner ? owner : "");
                rc = dd__emit_check(e, "config.debug-tools", &wh, ev,
                                    "%s in the image (not needed at run "
                                    "time; helps an intruder)",
                                    b);
            }
        }
        if (n->type == DD_ENTRY_FILE && n->size) {
            for (size_t k = 0; k < nc; k++) {
                size_t pl = strlen(caches[k].prefix);
                if (!strncmp(n->path, caches[k].prefix, pl) &&
                    strcmp(b, "lock") && !strstr(n->path, "/partial/")) {
                    caches[k].files++;
                    caches[k].bytes += n->size;
                    caches[k].layer = n->layer;
                }
            }
        }
    }
    for (size_t k = 0; !rc && k < nc; k++) {
        if (!caches[k].files) {
            continue;
        }
        int l = caches[k].layer;
        const dd_layer_desc *ld = &in->layers[l];
        dd__where wh = {caches[k].prefix, l, ld->history, 0,
                        ld->diff_id ? ld->diff_id : ld->digest};
        char ev[64];
        snprintf(ev, sizeof ev, "%zu files, %llu bytes", caches[k].files,
                 (unsigned long long)caches[k].bytes);
        rc = dd__emit_check(e, "config.package-cache", &wh, ev,
                            "%s left in the image (%s)", caches[k].label, ev);
    }
    return rc;
}

int dd__config_finish(dd__config *c,
                      const dd_walk *w,
                      size_t ai,
                      const dd_inventory *inv,
                      const dd__owner_map *owners,
                      dd_findings *out)
{
    (void)inv;
    dd__emit e = {c->policy, out};
    const dd_image_info *in = dd_image_info_get(c->img);
    /* a directory (fs:, rootfs:) has no config or history to check */
    int noconfig = in->source == DD_SOURCE_FS || in->source == DD_SOURCE_ROOTFS;
    int rc = noconfig ? 0 : dd__config_history_checks(&e, in, c->secrets);
    if (!rc) {
        rc = accounts(&e, w, ai);
    }
    if (!rc) {
        rc = files(&e, w, in, owners);
    }
    return rc;
}
