/*
 * lib/pkg/dpkg.c - dpkg status database (deb822 stanzas).
 *
 * Reads var/lib/dpkg/status and the one-package-per-file status.d/ of
 * distroless images. A stanza counts when its Status: says the package's
 * files are on disk (installed, unpacked, half-configured, half-installed,
 * triggers-*): a scanner must see what is present, not only what dpkg
 * calls fully configured. status.d stanzas have no Status: and count.
 * Malformed stanzas (no Package:, no or invalid Version:) are skipped with a
 * warning that names the line; nothing here can fail on hostile input
 * except running out of memory.
 */
#include <string.h>

#include "pkgdb.h"

typedef struct field {
    const char *v;
    size_t n;
} field;

typedef struct stanza {
    size_t first_line;
    field package, status, version, arch, source, maintainer;
    int any;
} stanza;

static int ieq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn) {
        return 0;
    }
    for (size_t i = 0; i < an; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

int dd__dpkg_version_valid(const char *v)
{
    const char *colon = strchr(v, ':');
    const char *up = v;
    if (colon) {
        if (colon == v) {
            return 0; /* empty epoch */
        }
        for (const char *p = v; p < colon; p++) {
            if (*p < '0' || *p > '9') {
                return 0;
            }
        }
        if (colon - v > 9) {
            return 0; /* epoch over INT_MAX */
        }
        up = colon + 1;
    }
    const char *dash = strrchr(up, '-');
    const char *end = dash ? dash : up + strlen(up);
    if (end == up) {
        return 0; /* nothing after the colon / before the dash */
    }
    for (const char *p = up; p < end; p++) {
        if (!is_alnum(*p) && !strchr(".-+~:", *p)) {
            return 0;
        }
    }
    if (dash) {
        if (!dash[1]) {
            return 0; /* empty revision */
        }
        for (const char *p = dash + 1; *p; p++) {
            if (!is_alnum(*p) && !strchr(".+~", *p)) {
                return 0;
            }
        }
    }
    return 1;
}

static field trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) {
        n--;
    }
    field f = {p, n};
    return f;
}

/* Is the package's content on disk according to "want flag state"? */
static int status_installed(field s)
{
    /* the state is the last word */
    size_t i = s.n;
    while (i && s.v[i - 1] != ' ') {
        i--;
    }
    const char *st = s.v + i;
    size_t n = s.n - i;
    static const char *const present[] = {
        "installed",      "unpacked",         "half-configured",
        "half-installed", "triggers-awaited", "triggers-pending"};
    for (size_t k = 0; k < sizeof present / sizeof *present; k++) {
        if (ieq(st, n, present[k])) {
            return 1;
        }
    }
    return 0;
}

static int finish(dd__pkgdb *db, stanza *s, int status_d)
{
    if (!s->any) {
        return 0;
    }
    if (!s->package.n) {
        dd__pkgdb_warn(db, "line %zu: stanza without Package: skipped",
                       s->first_line);
        return 0;
    }
    if (!status_d && s->status.n && !status_installed(s->status)) {
        return 0; /* removed, config-files only, not-installed */
    }
    char *name = dd__pkgdb_strndup(db, s->package.v, s->package.n);
    if (!name) {
        return DD_ENOMEM;
    }
    if (!s->version.n) {
        dd__pkgdb_warn(db,
                       "line %zu: package '%.100s' has no Version: "
                       "skipped",
                       s->first_line, name);
        return 0;
    }
    char *ver = dd__pkgdb_strndup(db, s->version.v, s->version.n);
    if (!ver) {
        return DD_ENOMEM;
    }
    if (!dd__dpkg_version_valid(ver)) {
        dd__pkgdb_warn(db,
                       "line %zu: package '%.100s' has an invalid "
                       "version '%.100s': skipped",
                       s->first_line, name, ver);
        return 0;
    }
    dd_package *p = dd__pkgdb_add(db, DD_PKG_DPKG);
    if (!p) {
        return DD_ENOMEM;
    }
    p->name = name;
    p->version = ver;
    const char *colon = strchr(ver, ':');
    const char *up = colon ? colon + 1 : ver;
    const char *dash = strrchr(up, '-');
    p->epoch = colon ? dd__pkgdb_strndup(db, ver, (size_t)(colon - ver)) : NULL;
    p->upstream =
        dd__pkgdb_strndup(db, up, dash ? (size_t)(dash - up) : strlen(up));
    p->release =
        dash ? dd__pkgdb_strndup(db, dash + 1, strlen(dash + 1)) : NULL;
    p->arch = s->arch.n ? dd__pkgdb_strndup(db, s->arch.v, s->arch.n) : NULL;
    p->maintainer = s->maintainer.n ? dd__pkgdb_strndup(db, s->maintainer.v,
                                                        s->maintainer.n)
                                    : NULL;
    if (s->source.n) {
        /* "Source: name" or "Source: name (version)" */
        const char *sv = s->source.v;
        size_t sn = s->source.n;
        const char *paren = memchr(sv, '(', sn);
        size_t namelen = paren ? (size_t)(paren - sv) : sn;
        field nm = trim(sv, namelen);
        p->source_name = dd__pkgdb_strndup(db, nm.v, nm.n);
        if (paren) {
            const char *close = memchr(paren, ')', sn - (size_t)(paren - sv));
            field vv = trim(paren + 1, close ? (size_t)(close - paren - 1)
                                             : sn - namelen - 1);
            p->source_version = dd__pkgdb_strndup(db, vv.v, vv.n);
        } else {
            p->source_version = ver;
        }
    } else {
        p->source_name = name;
        p->source_version = ver;
    }
    return db->oom ? DD_ENOMEM : 0;
}

int dd__dpkg_parse(dd__pkgdb *db, const uint8_t *data, size_t len, int status_d)
{
    const char *p = (const char *)data, *end = p + len;
    size_t line = 0;
    stanza s;
    memset(&s, 0, sizeof s);
    field *last = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        field l = {p, (size_t)(le - p)};
        p = nl ? nl + 1 : end;
        if (l.n && l.v[l.n - 1] == '\r') {
            l.n--;
        }
        if (l.n == 0) {
            if (finish(db, &s, status_d)) {
                return DD_ENOMEM;
            }
            memset(&s, 0, sizeof s);
            last = NULL;
            continue;
        }
        if (!s.any) {
            s.any = 1;
            s.first_line = line;
        }
        if (l.v[0] == ' ' || l.v[0] == '\t') {
            (void)last; /* continuation of a multi-line field we ignore */
            continue;
        }
        const char *colon = memchr(l.v, ':', l.n);
        if (!colon || colon == l.v) {
            dd__pkgdb_warn(db, "line %zu: not a 'Field: value' line", line);
            continue;
        }
        size_t kn = (size_t)(colon - l.v);
        field v = trim(colon + 1, l.n - kn - 1);
        last = NULL;
        if (ieq(l.v, kn, "Package")) {
            last = &s.package;
        } else if (ieq(l.v, kn, "Status")) {
            last = &s.status;
        } else if (ieq(l.v, kn, "Version")) {
            last = &s.version;
        } else if (ieq(l.v, kn, "Architecture")) {
            last = &s.arch;
        } else if (ieq(l.v, kn, "Source")) {
            last = &s.source;
        } else if (ieq(l.v, kn, "Maintainer")) {
            last = &s.maintainer;
        }
        if (last) {
            *last = v;
        }
    }
    if (finish(db, &s, status_d)) {
        return DD_ENOMEM;
    }
    return db->oom ? DD_ENOMEM : 0;
}
