/*
 * lib/pkg/os.c - which distribution an image is, and is it still alive.
 *
 * os-release (etc/ first, then usr/lib/) is the primary source; the
 * distribution-specific files fill the gaps (alpine-release for images
 * that lack os-release, debian_version for testing/sid which has no
 * VERSION_ID, redhat-release for old CentOS). A dpkg status.d/ directory
 * without any release file is distroless Debian.
 *
 * End of life: our own table below, one line per release, with the date
 * its security support ends (for Debian and Ubuntu the end of LTS /
 * standard support, since fixes still reach the security trackers until
 * then). Sources: the distributions' release pages (debian.org/releases,
 * wiki.ubuntu.com/Releases, alpinelinux.org/releases, access.redhat.com
 * life cycle, fedorapeople schedule, aws.amazon.com/amazon-linux-2/faqs).
 * Releases missing from the table are reported as unknown (-1), never as
 * supported.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pkgdb.h"

typedef struct eol_row {
    const char *family, *release, *date;
} eol_row;

static const eol_row EOL[] = {
    {"debian", "7", "2018-05-31"},
    {"debian", "8", "2020-06-30"},
    {"debian", "9", "2022-06-30"},
    {"debian", "10", "2024-06-30"},
    {"debian", "11", "2026-08-31"},
    {"debian", "12", "2028-06-30"},
    {"debian", "13", "2030-06-30"},
    {"ubuntu", "12.04", "2017-04-28"},
    {"ubuntu", "14.04", "2019-04-30"},
    {"ubuntu", "16.04", "2021-04-30"},
    {"ubuntu", "18.04", "2023-05-31"},
    {"ubuntu", "20.04", "2025-05-31"},
    {"ubuntu", "22.04", "2027-06-01"},
    {"ubuntu", "24.04", "2029-05-31"},
    {"ubuntu", "20.10", "2021-07-22"},
    {"ubuntu", "21.04", "2022-01-20"},
    {"ubuntu", "21.10", "2022-07-14"},
    {"ubuntu", "22.10", "2023-07-20"},
    {"ubuntu", "23.04", "2024-01-25"},
    {"ubuntu", "23.10", "2024-07-11"},
    {"ubuntu", "24.10", "2025-07-10"},
    {"ubuntu", "25.04", "2026-01-15"},
    {"alpine", "3.10", "2021-05-01"},
    {"alpine", "3.11", "2021-11-01"},
    {"alpine", "3.12", "2022-05-01"},
    {"alpine", "3.13", "2022-11-01"},
    {"alpine", "3.14", "2023-05-01"},
    {"alpine", "3.15", "2023-11-01"},
    {"alpine", "3.16", "2024-05-23"},
    {"alpine", "3.17", "2024-11-22"},
    {"alpine", "3.18", "2025-05-09"},
    {"alpine", "3.19", "2025-11-01"},
    {"alpine", "3.20", "2026-04-01"},
    {"alpine", "3.21", "2026-11-01"},
    {"alpine", "3.22", "2027-05-01"},
    {"centos", "6", "2020-11-30"},
    {"centos", "7", "2024-06-30"},
    {"centos", "8", "2021-12-31"},
    {"rhel", "6", "2020-11-30"},
    {"rhel", "7", "2024-06-30"},
    {"rhel", "8", "2029-05-31"},
    {"rhel", "9", "2032-05-31"},
    {"rocky", "8", "2029-05-31"},
    {"rocky", "9", "2032-05-31"},
    {"almalinux", "8", "2029-03-01"},
    {"almalinux", "9", "2032-05-31"},
    {"ol", "7", "2024-12-31"},
    {"ol", "8", "2029-07-31"},
    {"ol", "9", "2032-06-30"},
    {"fedora", "36", "2023-05-16"},
    {"fedora", "37", "2023-12-05"},
    {"fedora", "38", "2024-05-21"},
    {"fedora", "39", "2024-11-26"},
    {"fedora", "40", "2025-05-13"},
    {"amzn", "2018.03", "2020-12-31"},
    {"amzn", "2", "2026-06-30"},
    {"amzn", "2023", "2029-06-30"},
    {"opensuse-leap", "15.4", "2023-12-07"},
    {"opensuse-leap", "15.5", "2024-12-31"},
    {"mariner", "1.0", "2023-07-31"},
    {"mariner", "2.0", "2025-07-31"},
};

/* The release key the table uses: "major" for most, "major.minor" for
 * Alpine, Ubuntu, openSUSE Leap and Mariner. */
static void release_key(const char *family, const char *v, char *out, size_t n)
{
    int dots = (!strcmp(family, "alpine") || !strcmp(family, "ubuntu") ||
                !strcmp(family, "opensuse-leap") || !strcmp(family, "mariner"))
                   ? 2
                   : 1;
    if (!strcmp(family, "amzn") && !strncmp(v, "2018.03", 7)) {
        dots = 2;
    }
    size_t i = 0;
    for (; v[i] && i + 1 < n; i++) {
        if (v[i] == '.' && --dots == 0) {
            break;
        }
        out[i] = v[i];
    }
    out[i] = '\0';
}

static void eol_lookup(dd_os_info *os, int64_t now)
{
    os->eol = -1;
    os->eol_date = NULL;
    if (!os->family || !os->version) {
        return;
    }
    char key[32];
    release_key(os->family, os->version, key, sizeof key);
    for (size_t i = 0; i < sizeof EOL / sizeof *EOL; i++) {
        if (!strcmp(EOL[i].family, os->family) &&
            !strcmp(EOL[i].release, key)) {
            os->eol_date = EOL[i].date;
            struct tm tm;
            memset(&tm, 0, sizeof tm);
            time_t t = (time_t)now;
            gmtime_r(&t, &tm);
            char today[48];
            snprintf(today, sizeof today, "%04d-%02d-%02d", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday);
            os->eol = strcmp(today, EOL[i].date) > 0;
            return;
        }
    }
}

/* Value of KEY=... in os-release text (quotes and escapes removed). */
static char *osr_get(dd__arena *a, const char *t, size_t n, const char *key)
{
    size_t kl = strlen(key);
    const char *p = t, *end = t + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        while (p < le && (*p == ' ' || *p == '\t')) {
            p++;
        }
        if ((size_t)(le - p) > kl && !memcmp(p, key, kl) && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t vn = (size_t)(le - v);
            while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' ')) {
                vn--;
            }
            char q = vn ? v[0] : 0;
            if ((q == '"' || q == '\'') && vn >= 2 && v[vn - 1] == q) {
                v++;
                vn -= 2;
            }
            char *out = dd__arena_alloc(a, vn + 1);
            if (!out) {
                return NULL;
            }
            size_t o = 0;
            for (size_t i = 0; i < vn; i++) {
                if (v[i] == '\\' && i + 1 < vn) {
                    i++;
                }
                unsigned char c = (unsigned char)v[i];
                out[o++] = c < 0x20 ? '?' : (char)c;
            }
            out[o] = '\0';
            return out;
        }
        p = nl ? nl + 1 : end;
    }
    return NULL;
}

/* First line of a small file, trimmed. */
static char *first_line(dd__arena *a, const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && t[i] != '\n' && t[i] != '\r' && t[i] != '\0') {
        i++;
    }
    while (i && t[i - 1] == ' ') {
        i--;
    }
    char *s = dd__arena_strndup(a, t, i > 200 ? 200 : i);
    for (char *p = s; p && *p; p++) {
        if ((unsigned char)*p < 0x20) {
            *p = '?';
        }
    }
    return s;
}

static void lower(char *s)
{
    for (; s && *s; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

int dd__os_detect(const dd__os_files *f,
                  dd__arena *a,
                  dd_os_info *os,
                  int64_t now)
{
    memset(os, 0, sizeof *os);
    os->eol = -1;
    if (f->os_release) {
        char *id = osr_get(a, f->os_release, f->os_release_len, "ID");
        if (id && *id) {
            lower(id);
            os->family = id;
            os->name =
                osr_get(a, f->os_release, f->os_release_len, "PRETTY_NAME");
            if (!os->name) {
                os->name = osr_get(a, f->os_release, f->os_release_len, "NAME");
            }
            os->version =
                osr_get(a, f->os_release, f->os_release_len, "VERSION_ID");
            os->codename = osr_get(a, f->os_release, f->os_release_len,
                                   "VERSION_CODENAME");
            os->id_like =
                osr_get(a, f->os_release, f->os_release_len, "ID_LIKE");
            if (os->id_like) {
                lower((char *)os->id_like);
            }
            os->source_file = f->os_release_path;
        }
    }
    if (!os->family && f->alpine_release) {
        os->family = "alpine";
        os->version = first_line(a, f->alpine_release, f->alpine_release_len);
        os->source_file = "etc/alpine-release";
    }
    if (!os->family && f->redhat_release) {
        /* "CentOS Linux release 7.9.2009 (Core)" */
        char *l = first_line(a, f->redhat_release, f->redhat_release_len);
        const char *r = l ? strstr(l, "release ") : NULL;
        os->name = l;
        os->family = l && !strncmp(l, "CentOS", 6) ? "centos" : "rhel";
        if (r) {
            r += 8;
            size_t k = strspn(r, "0123456789.");
            os->version = dd__arena_strndup(a, r, k);
        }
        os->source_file = "etc/redhat-release";
    }
    if ((!os->family || !strcmp(os->family, "debian")) && f->debian_version) {
        if (!os->family) {
            os->family = "debian";
            os->source_file = "etc/debian_version";
        }
        if (!os->version) {
            os->version =
                first_line(a, f->debian_version, f->debian_version_len);
        }
    }
    if (!os->family && f->has_status_d) {
        os->family = "debian";
        os->name = "Distroless (Debian, no release file)";
        os->source_file = "var/lib/dpkg/status.d";
    }
    if (!os->family) {
        return DD_ENOTFOUND;
    }
    eol_lookup(os, now);
    return 0;
}
