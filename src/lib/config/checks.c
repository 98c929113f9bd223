/*
 * lib/config/checks.c - the check catalogue (docs/checks.md), the policy,
 * the emitter, the instruction checks and the history checks.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "config_int.h"
#include "../secret/secret.h"
#include "../../util/util.h"

#define MAX_POLICY (1u << 20)

static const dd_check_info catalogue[] = {
    {"config.user-root", DD_SEV_MEDIUM,
     "containers run as root (no USER, or USER root/0)", "4.1"},
    {"config.remote-access", DD_SEV_HIGH,
     "remote-access daemon installed (SSH, Telnet, FTP, rsh, VNC)", "4.3"},
    {"config.port-risky", DD_SEV_MEDIUM,
     "risky port exposed (remote access, Docker API, remote desktop, "
     "database)",
     "-"},
    {"config.env-secret", DD_SEV_HIGH, "secret in the image environment",
     "4.10"},
    {"config.setuid", DD_SEV_INFO, "setuid or setgid file", "4.8"},
    {"config.world-writable", DD_SEV_MEDIUM,
     "world-writable file, or world-writable directory without the sticky "
     "bit",
     "-"},
    {"config.uid0-account", DD_SEV_HIGH, "account other than root with UID 0",
     "-"},
    {"config.empty-password", DD_SEV_HIGH, "account with an empty password",
     "-"},
    {"config.root-password", DD_SEV_MEDIUM, "root has a password set", "-"},
    {"config.add-remote-url", DD_SEV_MEDIUM, "ADD from a remote URL", "4.9"},
    {"config.add-archive", DD_SEV_LOW,
     "ADD of a local archive (extracted implicitly)", "4.9"},
    {"config.curl-pipe-shell", DD_SEV_HIGH,
     "download piped into a shell (curl/wget ... | sh)", "-"},
    {"config.sudo-installed", DD_SEV_LOW, "sudo installed", "-"},
    {"config.no-healthcheck", DD_SEV_LOW, "no HEALTHCHECK", "4.6"},
    {"config.package-cache", DD_SEV_LOW,
     "package manager cache or index lists left in the image", "-"},
    {"config.latest-tag", DD_SEV_LOW, "image tagged latest, or untagged", "-"},
    {"config.debug-tools", DD_SEV_INFO,
     "compiler, debugger or network tool in a runtime image", "4.3"},
};
#define N_CHECKS (sizeof catalogue / sizeof *catalogue)

struct dd_check_policy {
    unsigned char disabled[N_CHECKS];
    int severity[N_CHECKS]; /* -1: the catalogue's */
};

size_t dd_check_count(void)
{
    return N_CHECKS;
}

const dd_check_info *dd_check_info_get(size_t i)
{
    return i < N_CHECKS ? &catalogue[i] : NULL;
}

static int check_index(const char *id)
{
    for (size_t i = 0; i < N_CHECKS; i++) {
        if (!strcmp(catalogue[i].id, id)) {
            return (int)i;
        }
    }
    return -1;
}

int dd_check_policy_parse(dd_check_policy **out,
                          const char *name,
                          const char *text,
                          size_t len,
                          dd_error *err)
{
    dd__error_clear(err);
    *out = NULL;
    json_t *root = NULL;
    int prc = dd__json_parse(&root, text, len, DD_JSON_MAX, name, err);
    if (prc || !json_is_object(root)) {
        json_decref(root);
        return prc ? prc
                   : dd__error_set(err, DD_ECORRUPT,
                                   "%s: line 1: expected a JSON object", name);
    }
    dd_check_policy *p = dd__calloc(1, sizeof *p);
    if (!p) {
        json_decref(root);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < N_CHECKS; i++) {
        p->severity[i] = -1;
    }
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (rc) {
            break;
        }
        if (!strcmp(key, "disable") && json_is_array(v)) {
            size_t i;
            json_t *id;
            json_array_foreach(v, i, id)
            {
                int k = json_is_string(id) ? check_index(json_string_value(id))
                                           : -1;
                if (k < 0) {
                    rc = dd__error_set(err, DD_ECORRUPT,
                                       "%s: disable[%zu]: unknown check id "
                                       "(see docs/checks.md)",
                                       name, i);
                    break;
                }
                p->disabled[k] = 1;
            }
        } else if (!strcmp(key, "severity") && json_is_object(v)) {
            const char *id;
            json_t *sv;
            json_object_foreach(v, id, sv)
            {
                int k = check_index(id);
                int s = json_is_string(sv)
                            ? dd_severity_parse(json_string_value(sv))
                            : -1;
                if (k < 0 || s <= 0) {
                    rc = dd__error_set(
                        err, DD_ECORRUPT, "%s: severity: %s '%.100s'", name,
                        k < 0 ? "unknown check id" : "bad severity for", id);
                    break;
                }
                p->severity[k] = s;
            }
        } else {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: unknown key '%.100s' (expected \"disable\" "
                               "array, \"severity\" object)",
                               name, key);
        }
    }
    json_decref(root);
    if (rc) {
        dd__free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int dd_check_policy_load(dd_check_policy **out, const char *path, dd_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = dd__file_read(path, MAX_POLICY, &buf, &len);
    if (rc) {
        *out = NULL;
        return dd__error_set(err, rc, "%s: %s", path,
                             rc == DD_ELIMIT ? "larger than 1 MiB"
                                             : "cannot read the file");
    }
    rc = dd_check_policy_parse(out, path, buf, len, err);
    dd__free(buf);
    return rc;
}

void dd_check_policy_free(dd_check_policy *p)
{
    dd__free(p);
}

int dd__emit_check(const dd__emit *e,
                   const char *id,
                   const dd__where *w,
                   const char *evidence,
                   const char *fmt,
                   ...)
{
    int k = check_index(id);
    if (k < 0) {
        return DD_EINVALID;
    }
    if (e->policy && e->policy->disabled[k]) {
        return 0;
    }
    dd_severity sev = e->policy && e->policy->severity[k] > 0
                          ? (dd_severity)e->policy->severity[k]
                          : catalogue[k].severity;
    char title[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(title, sizeof title, fmt, ap);
    va_end(ap);
    dd__finding_spec sp = {
        DD_KIND_CONFIG, sev,      id,         w->path, w->layer_digest,
        evidence,       w->layer, w->history, 0,       0,
        w->line,        NULL,     NULL,       NULL};
    return dd__findings_add_text(e->out, &sp, title);
}

int dd__user_is_root(const char *u)
{
    if (!u || !*u) {
        return 1;
    }
    size_t n = strcspn(u, ":");
    return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

/* ------------------------------------------------------------ ports */

static const struct {
    unsigned port;
    const char *what;
} risky_ports[] = {
    {21, "FTP"},
    {22, "SSH"},
    {23, "Telnet"},
    {69, "TFTP"},
    {111, "rpcbind"},
    {135, "MS RPC"},
    {139, "NetBIOS"},
    {445, "SMB"},
    {512, "rexec"},
    {513, "rlogin"},
    {514, "rsh"},
    {873, "rsync"},
    {1433, "MS SQL"},
    {1521, "Oracle DB"},
    {2375, "Docker API without TLS"},
    {2376, "Docker API"},
    {2379, "etcd"},
    {3306, "MySQL"},
    {3389, "RDP"},
    {5432, "PostgreSQL"},
    {5900, "VNC"},
    {5984, "CouchDB"},
    {6379, "Redis"},
    {9042, "Cassandra"},
    {9200, "Elasticsearch"},
    {10250, "kubelet API"},
    {11211, "memcached"},
    {27017, "MongoDB"},
};

int dd__check_port(const dd__emit *e, const char *port, const dd__where *w)
{
    unsigned p = 0;
    const char *s = port;
    while (*s >= '0' && *s <= '9' && p < 100000) {
        p = p * 10 + (unsigned)(*s++ - '0');
    }
    for (size_t i = 0; i < sizeof risky_ports / sizeof *risky_ports; i++) {
        if (risky_ports[i].port == p) {
            char ev[64];
            snprintf(ev, sizeof ev, "%.40s", port);
            return dd__emit_check(e, "config.port-risky", w, ev,
                                  "port %u (%s) exposed", p,
                                  risky_ports[i].what);
        }
    }
    return 0;
}

/* ------------------------------------------------------------ instructions */

/* a word of `s` (bounded by non [a-z0-9._+-]) equal to w */
static int has_word(const char *s, const char *w)
{
    size_t k = strlen(w);
    for (const char *p = s; (p = strstr(p, w)); p++) {
        int l = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' ||
                            p[-1] == '_' || p[-1] == '.' || p[-1] == '/');
        char c = p[k];
        int r = !(isalnum((unsigned char)c) || c == '-' || c == '_' ||
                  c == '.' || c == '+');
        if (l && r) {
            return 1;
        }
    }
    return 0;
}

/* curl/wget ... | [sudo] (ba|da|z)sh - within one pipeline segment */
static const char *curl_pipe_shell(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (strncmp(p, "curl", 4) && strncmp(p, "wget", 4)) {
            continue;
        }
        if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) {
            continue;
        }
        for (const char *q = p + 4; *q && *q != ';' && *q != '\n' && *q != '&';
             q++) {
            if (*q != '|' || q[1] == '|') {
                continue;
            }
            const char *r = q + 1;
            while (*r == ' ') {
                r++;
            }
            if (!strncmp(r, "sudo ", 5)) {
                r += 5;
            }
            const char *sh[] = {"sh",  "bash",    "dash",
                                "zsh", "/bin/sh", "/bin/bash",
                                "ash", "python",  "python3"};
            for (size_t i = 0; i < sizeof sh / sizeof *sh; i++) {
                size_t k = strlen(sh[i]);
                if (!strncmp(r, sh[i], k) &&
                    (!r[k] || r[k] == ' ' || r[k] == ';' || r[k] == '\n' ||
                     r[k] == ')' || r[k] == '-')) {
                    return p;
                }
            }
            break;
        }
    }
    return NULL;
}

static const char *const remote_pkgs[] = {"openssh-server",
                                          "dropbear",
                                          "dropbear-bin",
                                          "telnetd",
                                          "inetutils-telnetd",
                                          "telnetd-ssl",
                                          "vsftpd",
                                          "proftpd-basic",
                                          "proftpd",
                                          "pure-ftpd",
                                          "tftpd-hpa",
                                          "rsh-server",
                                          "x11vnc",
                                          "tigervnc-standalone-server",
                                          "xrdp"};
static const char *const debug_pkgs[] = {
    "gcc",    "g++",    "clang",   "build-essential", "gdb",
    "strace", "ltrace", "netcat",  "netcat-openbsd",  "netcat-traditional",
    "ncat",   "nmap",   "tcpdump", "socat",           "telnet"};

static int is_install(const char *a)
{
    return strstr(a, "apt-get install") || strstr(a, "apt install") ||
           strstr(a, "apk add") || strstr(a, "yum install") ||
           strstr(a, "dnf install") || strstr(a, "microdnf install") ||
           strstr(a, "zypper install") || strstr(a, "zypper in ");
}

static int check_installs(const dd__emit *e, const char *a, const dd__where *w)
{
    int rc = 0;
    const char *pkg_sudo = NULL;
    for (const char *p = a; (p = strstr(p, "sudo")); p++) {
        if (has_word(p, "sudo") && (p == a || p[-1] == ' ') &&
            (p[4] == 0 || p[4] == ' ' || p[4] == '\n' || p[4] == ';' ||
             p[4] == '&' || p[4] == '\\')) {
            /* "sudo apt-get" is a command; "install ... sudo" a package */
            const char *next = p + 4;
            while (*next == ' ') {
                next++;
            }
            if (strncmp(next, "apt", 3) && strncmp(next, "apk", 3) &&
                strncmp(next, "yum", 3) && strncmp(next, "dnf", 3) &&
                strncmp(next, "-", 1)) {
                pkg_sudo = p;
                break;
            }
        }
    }
    if (pkg_sudo) {
        rc = dd__emit_check(e, "config.sudo-installed", w, "sudo",
                            "sudo installed by the build");
    }
    for (size_t i = 0; !rc && i < sizeof remote_pkgs / sizeof *remote_pkgs;
         i++) {
        if (has_word(a, remote_pkgs[i])) {
            rc = dd__emit_check(e, "config.remote-access", w, remote_pkgs[i],
                                "remote-access daemon installed: %s",
                                remote_pkgs[i]);
        }
    }
    for (size_t i = 0; !rc && i < sizeof debug_pkgs / sizeof *debug_pkgs; i++) {
        if (has_word(a, debug_pkgs[i])) {
            rc = dd__emit_check(e, "config.debug-tools", w, debug_pkgs[i],
                                "debug or network tool installed: %s",
                                debug_pkgs[i]);
        }
    }
    if (!rc && (strstr(a, "apt-get install") || strstr(a, "apt install")) &&
        !strstr(a, "/var/lib/apt/lists")) {
        rc = dd__emit_check(e, "config.package-cache", w, "apt-get install",
                            "apt-get install without removing "
                            "/var/lib/apt/lists in the same RUN");
    }
    if (!rc && strstr(a, "apk add") && !strstr(a, "--no-cache") &&
        !strstr(a, "/var/cache/apk")) {
        rc = dd__emit_check(e, "config.package-cache", w, "apk add",
                            "apk add without --no-cache");
    }
    return rc;
}

static int is_archive(const char *src, size_t n)
{
    static const char *const ext[] = {".tar",  ".tar.gz", ".tgz", ".tar.bz2",
                                      ".tbz2", ".tar.xz", ".txz", ".tar.zst"};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && !strncasecmp(src + n - k, ext[i], k)) {
            return 1;
        }
    }
    return 0;
}

int dd__check_instruction(const dd__emit *e,
                          const char *kw,
                          const char *args,
                          const dd__where *w,
                          int dockerfile)
{
    int rc = 0;
    if (!strcmp(kw, "ADD")) {
        const char *u = strstr(args, "http://");
        const char *us = strstr(args, "https://");
        if (!u || (us && us < u)) {
            u = us;
        }
        if (u) {
            char ev[200];
            size_t k = strcspn(u, " \t\n\"]");
            snprintf(ev, sizeof ev, "%.*s", (int)(k < 190 ? k : 190), u);
            return dd__emit_check(e, "config.add-remote-url", w, ev,
                                  "ADD downloads %s at build time (no "
                                  "checksum; use curl with verification "
                                  "or COPY)",
                                  ev);
        }
        /* history shows local sources as "file:<digest> in /dest";
         * only a Dockerfile names the archive */
        if (dockerfile) {
            const char *p = args;
            while (*p == ' ') {
                p++;
            }
            if (!strncmp(p, "--", 2)) { /* --chown=... */
                p += strcspn(p, " ");
                while (*p == ' ') {
                    p++;
                }
            }
            size_t k = strcspn(p, " \t");
            if (is_archive(p, k)) {
                char ev[200];
                snprintf(ev, sizeof ev, "%.*s", (int)(k < 190 ? k : 190), p);
                return dd__emit_check(e, "config.add-archive", w, ev,
                                      "ADD extracts the archive %s "
                                      "implicitly (COPY and an explicit "
                                      "tar -x say what happens)",
                                      ev);
            }
        }
        return 0;
    }
    if (!strcmp(kw, "RUN")) {
        const char *c = curl_pipe_shell(args);
        if (c) {
            char ev[200];
            size_t k = strcspn(c, ";&\n");
            snprintf(ev, sizeof ev, "%.*s", (int)(k < 190 ? k : 190), c);
            rc = dd__emit_check(e, "config.curl-pipe-shell", w, ev,
                                "a download is piped into a shell at build "
                                "time (unverified code runs as the build "
                                "user)");
        }
        if (!rc && dockerfile && is_install(args)) {
            rc = check_installs(e, args, w);
        }
    }
    return rc;
}

/* ------------------------------------------------------------ history */

char *dd_history_instruction(const char *cb, char *out, size_t n)
{
    if (!n) {
        return out;
    }
    if (!cb) {
        out[0] = 0;
        return out;
    }
    const char *p = cb;
    int run = 0;
    if (!strncmp(p, "RUN ", 4) || !strncmp(p, "|", 1)) {
        /* BuildKit: "RUN /bin/sh -c x # buildkit", "|1 ARG=v /bin/sh -c" */
        if (*p == '|') {
            p += strcspn(p, " ");
            while (*p == ' ') {
                p++;
            }
            while (*p && strncmp(p, "/bin/sh -c ", 11) && strchr(p, '=') &&
                   strchr(p, '=') < strchr(p, ' ')) {
                p += strcspn(p, " ");
                while (*p == ' ') {
                    p++;
                }
            }
        } else {
            p += 4;
        }
        run = 1;
    }
    if (!strncmp(p, "/bin/sh -c ", 11)) {
        p += 11;
        if (!strncmp(p, "#(nop) ", 7)) {
            p += 7;
            while (*p == ' ') {
                p++;
            }
            run = 0;
        } else {
            run = 1;
        }
    }
    size_t len = strlen(p);
    if (len > 11 && !strcmp(p + len - 11, " # buildkit")) {
        len -= 11;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
        len--; /* "ADD file:… in / " */
    }
    snprintf(out, n, "%s%.*s", run ? "RUN " : "", (int)len, p);
    return out;
}

static int env_secret_cb(void *ctx, const dd__secret_match *m)
{
    void **c = ctx;
    const dd__emit *e = c[0];
    const dd__where *w = c[1];
    const char *where = c[2];
    if (m->limit) { /* hostile text: judged a secret, never skipped */
        return dd__emit_check(e, "config.env-secret", w, "not checked",
                              "%s: rule %s hit its match limit in the image "
                              "config %s (a crafted value?); treated as a "
                              "secret",
                              m->title, m->rule_id, where);
    }
    return dd__emit_check(e, "config.env-secret", w, m->redacted,
                          "%s in the image config %s", m->title, where);
}

/* Env of the config and ENV steps of the history are one thing: the
 * config holds the final values. */
static int env_secrets(const dd__emit *e,
                       const dd_image_info *in,
                       const dd__secret_engine *eng)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < in->n_env; i++) {
        char where[256];
        dd__env_where(where, sizeof where, in->env[i]);
        dd__where w = DD_WHERE_NONE;
        /* the ENV step that set it, when the history shows one */
        const char *raw = in->env_raw[i];
        size_t klen = strcspn(raw, "=");
        for (size_t h = in->n_history; h-- > 0;) {
            const char *cb = in->history[h].created_by_raw;
            const char *envp = cb ? strstr(cb, "ENV ") : NULL;
            if (envp && strstr(envp, raw) &&
                (klen == 0 || strncmp(raw, "PATH=", 5))) {
                w.history = (int)h;
                break;
            }
        }
        void *ctx[3] = {(void *)e, &w, where};
        rc = dd__secret_scan(eng, NULL, (const uint8_t *)raw, strlen(raw),
                             env_secret_cb, ctx);
    }
    return rc;
}

int dd__config_history_checks(const dd__emit *e,
                              const dd_image_info *in,
                              const dd__secret_engine *eng)
{
    int rc = 0;
    dd__where none = DD_WHERE_NONE;
    if (in->source == DD_SOURCE_FS || in->source == DD_SOURCE_ROOTFS) {
        return 0; /* a directory has no config or history to check */
    }
    if (dd__user_is_root(in->user)) {
        rc = dd__emit_check(e, "config.user-root", &none,
                            in->user && *in->user ? in->user : "User unset",
                            "no USER: containers run as root%s",
                            in->user && *in->user ? " (USER is root)" : "");
    }
    for (size_t i = 0; !rc && i < in->n_exposed_ports; i++) {
        dd__where w = DD_WHERE_NONE;
        for (size_t h = 0; h < in->n_history; h++) {
            const char *cb = in->history[h].created_by;
            if (cb && strstr(cb, "EXPOSE") &&
                strstr(cb, in->exposed_ports[i])) {
                w.history = (int)h;
            }
        }
        rc = dd__check_port(e, in->exposed_ports[i], &w);
    }
    if (!rc && (!in->healthcheck || strstr(in->healthcheck, "\"NONE\""))) {
        rc = dd__emit_check(e, "config.no-healthcheck", &none, NULL,
                            "no HEALTHCHECK: the runtime cannot tell a hung "
                            "container from a healthy one");
    }
    if (!rc) {
        const char *name = in->name;
        const char *colon = name ? strrchr(name, ':') : NULL;
        const char *slash = name ? strrchr(name, '/') : NULL;
        int untagged = !name || !colon || (slash && colon < slash);
        if (untagged || !strcmp(colon + 1, "latest")) {
            rc = dd__emit_check(e, "config.latest-tag", &none,
                                name ? name : "no name",
                                "%s: 'latest' or no tag names no fixed "
                                "build, so deployments cannot pin what was "
                                "scanned",
                                name ? name : "the image");
        }
    }
    for (size_t h = 0; !rc && h < in->n_history; h++) {
        char ins[4096];
        dd_history_instruction(in->history[h].created_by, ins, sizeof ins);
        size_t k = strcspn(ins, " ");
        char kw[16];
        snprintf(kw, sizeof kw, "%.*s", (int)(k < 15 ? k : 15), ins);
        dd__where w = DD_WHERE_NONE;
        w.history = (int)h;
        w.layer = in->history[h].layer;
        rc = dd__check_instruction(e, kw, ins[k] ? ins + k + 1 : "", &w, 0);
    }
    if (!rc && eng) {
        rc = env_secrets(e, in, eng);
    }
    return rc;
}

int dd_history_check(const dd_image *img,
                     const dd_check_policy *policy,
                     int with_env_secrets,
                     dd_findings **out,
                     dd_error *err)
{
    dd__error_clear(err);
    *out = dd__findings_new();
    if (!*out) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__secret_engine *eng = NULL;
    int rc = with_env_secrets ? dd__secret_engine_new(&eng, NULL, err) : 0;
    if (!rc) {
        dd__emit e = {policy, *out};
        rc = dd__config_history_checks(&e, dd_image_info_get(img), eng);
        if (rc) {
            dd__error_set(err, rc, "history checks: %s", dd_strerror(rc));
        }
    }
    dd__secret_engine_free(eng);
    if (rc) {
        dd_findings_free(*out);
        *out = NULL;
    }
    return rc;
}
