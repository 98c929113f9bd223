/*
 * lib/eco/distro.c - detected OS -> advisory namespaces, and OSV
 * distribution ecosystems -> the same namespaces (see distro.h and
 * docs/namespaces.md).
 *
 * Vendor rules encoded here: CentOS is matched against Red Hat's data
 * (it rebuilds RHEL and publishes no advisories); Rocky and AlmaLinux
 * against their own advisories first and Red Hat's where they have none
 * for the package; Oracle Linux (ELSA) and Amazon Linux (ALAS) only
 * against their own (their releases carry their own version suffixes);
 * Chainguard against its own, then Wolfi's (it builds from Wolfi); Ubuntu
 * against the standard archive with Ubuntu Pro (ESM) as a supplement
 * whose fixes are a status, not a miss.
 */
#include <string.h>

#include "distro.h"

#define R(id, name, gran, sch, eco, a, b, sup, mod)      \
    {                                                    \
        id, name, gran, sch, eco, {a, b, NULL}, sup, mod \
    }

static const dd__distro ROWS[] = {
    R("rhel",
      "Red Hat Enterprise Linux",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "redhat",
      "redhat",
      NULL,
      NULL,
      1),
    R("centos",
      "CentOS",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "centos",
      "redhat",
      NULL,
      NULL,
      1),
    R("rocky",
      "Rocky Linux",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "rocky",
      "rocky",
      "redhat",
      NULL,
      1),
    R("almalinux",
      "AlmaLinux",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "almalinux",
      "almalinux",
      "redhat",
      NULL,
      1),
    R("ol",
      "Oracle Linux",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "oracle",
      "oracle",
      NULL,
      NULL,
      1),
    R("amzn",
      "Amazon Linux",
      DD__GRAN_AMAZON,
      DD_VER_RPM,
      "amazon",
      "amazon",
      NULL,
      NULL,
      0),
    R("sles",
      "SUSE Linux Enterprise Server",
      DD__GRAN_SP,
      DD_VER_RPM,
      "suse",
      "sles",
      NULL,
      NULL,
      0),
    R("sles_sap",
      "SUSE Linux Enterprise Server for SAP",
      DD__GRAN_SP,
      DD_VER_RPM,
      "suse",
      "sles",
      NULL,
      NULL,
      0),
    R("sle-micro",
      "SUSE Linux Enterprise Micro",
      DD__GRAN_MINOR,
      DD_VER_RPM,
      "suse",
      "sle-micro",
      NULL,
      NULL,
      0),
    R("sl-micro",
      "SUSE Linux Micro",
      DD__GRAN_MINOR,
      DD_VER_RPM,
      "suse",
      "sle-micro",
      NULL,
      NULL,
      0),
    R("opensuse-leap",
      "openSUSE Leap",
      DD__GRAN_MINOR,
      DD_VER_RPM,
      "opensuse",
      "opensuse-leap",
      NULL,
      NULL,
      0),
    R("opensuse-leap-micro",
      "openSUSE Leap Micro",
      DD__GRAN_MINOR,
      DD_VER_RPM,
      "opensuse",
      "opensuse-leap-micro",
      NULL,
      NULL,
      0),
    R("opensuse-tumbleweed",
      "openSUSE Tumbleweed",
      DD__GRAN_ROLLING,
      DD_VER_RPM,
      "opensuse",
      "opensuse-tumbleweed",
      NULL,
      NULL,
      0),
    R("photon",
      "Photon OS",
      DD__GRAN_MINOR,
      DD_VER_RPM,
      "photon",
      "photon",
      NULL,
      NULL,
      0),
    R("mariner",
      "CBL-Mariner",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "azurelinux",
      "azurelinux",
      NULL,
      NULL,
      0),
    R("azurelinux",
      "Azure Linux",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "azurelinux",
      "azurelinux",
      NULL,
      NULL,
      0),
    R("fedora",
      "Fedora",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "fedora",
      "fedora",
      NULL,
      NULL,
      0),
    R("mageia",
      "Mageia",
      DD__GRAN_MAJOR,
      DD_VER_RPM,
      "mageia",
      "mageia",
      NULL,
      NULL,
      0),
    R("wolfi",
      "Wolfi",
      DD__GRAN_ROLLING,
      DD_VER_APK,
      "wolfi",
      "wolfi",
      NULL,
      NULL,
      0),
    R("chainguard",
      "Chainguard",
      DD__GRAN_ROLLING,
      DD_VER_APK,
      "chainguard",
      "chainguard",
      "wolfi",
      NULL,
      0),
    R("alpine",
      "Alpine Linux",
      DD__GRAN_MINOR,
      DD_VER_APK,
      "alpine",
      "alpine",
      NULL,
      NULL,
      0),
    R("ubuntu",
      "Ubuntu",
      DD__GRAN_MINOR,
      DD_VER_DPKG,
      "ubuntu",
      "ubuntu",
      NULL,
      "ubuntu-pro",
      0),
    R("debian",
      "Debian",
      DD__GRAN_MAJOR,
      DD_VER_DPKG,
      "debian",
      "debian",
      NULL,
      NULL,
      0),
};
#define NROWS (sizeof ROWS / sizeof *ROWS)

size_t dd__distro_count(void)
{
    return NROWS;
}

const dd__distro *dd__distro_at(size_t i)
{
    return i < NROWS ? &ROWS[i] : NULL;
}

const dd__distro *dd__distro_by_id(const char *id)
{
    for (size_t i = 0; id && i < NROWS; i++) {
        if (!strcmp(ROWS[i].id, id)) {
            return &ROWS[i];
        }
    }
    return NULL;
}

static int eqn(const char *a, const char *b, size_t n)
{
    return a && strlen(a) == n && !strncmp(a, b, n);
}

const dd__distro *dd__distro_by_ns(const char *ns)
{
    if (!ns) {
        return NULL;
    }
    size_t n = strcspn(ns, ":");
    for (size_t i = 0; i < NROWS; i++) {
        if (eqn(ROWS[i].ns[0], ns, n) || eqn(ROWS[i].supplement, ns, n)) {
            return &ROWS[i];
        }
    }
    return NULL;
}

/* bounded string builder over a caller's buffer */
typedef struct sb {
    char *p;
    size_t n, o;
    int over;
} sb;

static void sb_add(sb *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (b->o + 1 >= b->n) {
            b->over = 1;
            break;
        }
        b->p[b->o++] = s[i];
    }
    b->p[b->o < b->n ? b->o : b->n - 1] = '\0';
}

static void sb_str(sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* length of the first `dots` dot-separated fields of v */
static size_t fields(const char *v, int dots)
{
    size_t i = 0;
    for (; v[i]; i++) {
        if (v[i] == '.' && --dots == 0) {
            break;
        }
    }
    return i;
}

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* the release key of version v at granularity g */
static void release(sb *b, dd__distro_gran g, const char *v, size_t vl)
{
    char t[64];
    if (vl >= sizeof t) {
        vl = sizeof t - 1;
    }
    memcpy(t, v, vl);
    t[vl] = '\0';
    switch (g) {
    case DD__GRAN_MAJOR:
        sb_add(b, t, fields(t, 1));
        break;
    case DD__GRAN_MINOR:
        sb_add(b, t, fields(t, 2));
        break;
    case DD__GRAN_SP: {
        size_t m = fields(t, 1);
        sb_add(b, t, m);
        sb_str(b, ".");
        if (t[m] == '.' && t[m + 1]) {
            sb_add(b, t + m + 1, fields(t + m + 1, 1));
        } else {
            sb_str(b, "0");
        }
        break;
    }
    case DD__GRAN_AMAZON:
        if (!strncmp(t, "2018.", 5) || !strncmp(t, "2017.", 5) ||
            !strncmp(t, "2016.", 5)) {
            sb_str(b, "1");
        } else {
            sb_add(b, t, fields(t, 1));
        }
        break;
    case DD__GRAN_ROLLING:
        break;
    }
}

const char *dd__distro_like(const char *id, const char *id_like)
{
    if (dd__distro_by_id(id) || !id_like) {
        return id;
    }
    for (const char *w = id_like; *w;) {
        w += strspn(w, " \t");
        size_t l = strcspn(w, " \t");
        for (size_t i = 0; l && i < NROWS; i++) {
            if (ROWS[i].modular && eqn(ROWS[i].id, w, l)) {
                return ROWS[i].id;
            }
        }
        w += l;
    }
    return id;
}

int dd__distro_module_stream(const char *label, char *out, size_t n)
{
    if (!label || !n) {
        return -1;
    }
    size_t a = strcspn(label, ":");
    if (!a || label[a] != ':') {
        return -1;
    }
    size_t s = strcspn(label + a + 1, ":");
    if (!s) {
        return -1;
    }
    sb b = {out, n, 0, 0};
    out[0] = '\0';
    sb_add(&b, label, a + 1 + s);
    return b.over ? -1 : 0;
}

static void one(dd__distro_ns *out,
                const char *prefix,
                const dd__distro *row,
                const char *version,
                const char *module,
                int supplement,
                int modfilter)
{
    if (out->n >= DD__DISTRO_MAX_LIST) {
        return;
    }
    sb b = {out->ns[out->n], sizeof out->ns[0], 0, 0};
    b.p[0] = '\0';
    sb_str(&b, prefix);
    dd__distro_gran g = row ? row->gran : DD__GRAN_MAJOR;
    if (g != DD__GRAN_ROLLING && version && *version) {
        sb_str(&b, ":");
        release(&b, g, version, strlen(version));
    }
    if (module) {
        sb_str(&b, "::");
        sb_str(&b, module);
    }
    out->supplement[out->n] = supplement;
    out->modfilter[out->n] = modfilter;
    out->n++;
}

void dd__distro_namespaces(const char *id,
                           const char *version,
                           const char *modularity,
                           dd__distro_ns *out)
{
    memset(out, 0, sizeof *out);
    const dd__distro *row = dd__distro_by_id(id);
    out->row = row;
    out->scheme = row ? row->scheme : DD_VER_RPM;
    char mod[96];
    const char *m = NULL;
    if (row && row->modular && modularity &&
        !dd__distro_module_stream(modularity, mod, sizeof mod)) {
        m = mod;
    }
    if (!row) {
        one(out, id && *id ? id : "unknown", NULL, version, NULL, 0, 0);
        return;
    }
    for (size_t i = 0; i < DD__DISTRO_MAX_NS && row->ns[i]; i++) {
        if (m) {
            one(out, row->ns[i], row, version, m, 0, 0);
            one(out, row->ns[i], row, version, NULL, 0, 1);
        } else {
            one(out, row->ns[i], row, version, NULL, 0, row->modular ? -1 : 0);
        }
    }
    if (row->supplement) {
        one(out, row->supplement, row, version, NULL, 1, 0);
    }
}

/* ---- OSV ecosystems ---- */

#define MAXTOK 8
typedef struct tok {
    const char *s;
    size_t n;
} tok;

static size_t split(const char *s, char sep, tok *t, size_t max)
{
    size_t k = 0;
    while (k < max) {
        size_t l = strcspn(s, (char[]){sep, '\0'});
        t[k].s = s;
        t[k].n = l;
        k++;
        if (!s[l]) {
            break;
        }
        s += l + 1;
    }
    return k;
}

static int teq(tok t, const char *s)
{
    return strlen(s) == t.n && !strncmp(t.s, s, t.n);
}

static void slug(sb *b, const char *s, size_t n)
{
    int dash = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if ((c >= 'a' && c <= 'z') || isdig(c) || c == '_' || c == '.') {
            if (dash && b->o) {
                sb_str(b, "-");
            }
            dash = 0;
            sb_add(b, &c, 1);
        } else {
            dash = 1;
        }
    }
}

/* "Linux Enterprise Server 15 SP5" -> name "Linux Enterprise Server",
 * version "15.5" (sp: "15" -> "15.0"); "Leap 15.5"; "Tumbleweed" */
static void product(const char *p, int sp, tok *name, char *ver, size_t vn)
{
    tok w[24];
    size_t k = split(p, ' ', w, 24);
    ver[0] = '\0';
    sb v = {ver, vn, 0, 0};
    size_t end = k;
    if (k >= 2 && w[k - 1].n > 2 && !strncmp(w[k - 1].s, "SP", 2) &&
        isdig(w[k - 1].s[2]) && w[k - 2].n && isdig(w[k - 2].s[0])) {
        sb_add(&v, w[k - 2].s,
               fields(w[k - 2].s, 1) < w[k - 2].n ? fields(w[k - 2].s, 1)
                                                  : w[k - 2].n);
        sb_str(&v, ".");
        sb_add(&v, w[k - 1].s + 2, w[k - 1].n - 2);
        end = k - 2;
    } else if (k >= 1 && w[k - 1].n && isdig(w[k - 1].s[0])) {
        sb_add(&v, w[k - 1].s, w[k - 1].n);
        if (sp && !memchr(w[k - 1].s, '.', w[k - 1].n)) {
            sb_str(&v, ".0");
        }
        end = k - 1;
    }
    name->s = p;
    name->n = end ? (size_t)(w[end - 1].s + w[end - 1].n - p) : 0;
}

static int prefix_tok(tok t, const char *p)
{
    return t.n >= strlen(p) && !strncmp(t.s, p, strlen(p));
}

/* ":name:stream" from a purl's rpmmod qualifier into b */
static void rpmmod(sb *b, const char *purl)
{
    const char *q = purl ? strchr(purl, '?') : NULL;
    while (q && *q) {
        q++;
        size_t l = strcspn(q, "&#");
        if (l > 7 && !strncmp(q, "rpmmod=", 7)) {
            char m[160];
            sb t = {m, sizeof m, 0, 0};
            m[0] = '\0';
            for (size_t i = 7; i < l; i++) {
                if (q[i] == '%' && i + 2 < l && q[i + 1] == '3' &&
                    (q[i + 2] == 'A' || q[i + 2] == 'a')) {
                    sb_str(&t, ":");
                    i += 2;
                } else {
                    sb_add(&t, q + i, 1);
                }
            }
            char s[128];
            if (!dd__distro_module_stream(m, s, sizeof s)) {
                sb_str(b, "::");
                sb_str(b, s);
            }
            return;
        }
        q += l;
        if (*q != '&') {
            return;
        }
    }
}

int dd__distro_osv_ns(const char *ecosystem,
                      const char *purl,
                      char *ns,
                      size_t n,
                      dd_version_scheme *scheme)
{
    if (!ecosystem || !n) {
        return -1;
    }
    tok t[MAXTOK];
    size_t k = split(ecosystem, ':', t, MAXTOK);
    sb b = {ns, n, 0, 0};
    ns[0] = '\0';
    *scheme = DD_VER_RPM;
    if (teq(t[0], "Red Hat")) {
        sb_str(&b, "redhat");
        if (k >= 2 && t[1].n && isdig(t[1].s[0])) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MAJOR, t[1].s, t[1].n);
        } else if (k >= 3 && teq(t[1], "enterprise_linux") && t[2].n) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MAJOR, t[2].s, t[2].n);
        } else if (k >= 3 && t[1].n && t[2].n) {
            sb_str(&b, "-"); /* rhel_eus, openshift, ...: kept apart */
            slug(&b, t[1].s, t[1].n);
            sb_str(&b, ":");
            slug(&b, t[2].s, t[2].n);
        }
        rpmmod(&b, purl);
    } else if (teq(t[0], "Rocky Linux") || teq(t[0], "AlmaLinux")) {
        sb_str(&b, teq(t[0], "AlmaLinux") ? "almalinux" : "rocky");
        if (k >= 2 && t[1].n) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MAJOR, t[1].s, t[1].n);
        }
        rpmmod(&b, purl);
    } else if (teq(t[0], "SUSE") || teq(t[0], "openSUSE")) {
        int suse = teq(t[0], "SUSE");
        tok name = {"", 0};
        char ver[48];
        product(k >= 2 ? t[1].s : "", suse, &name, ver, sizeof ver);
        if (suse) {
            if (teq(name, "Linux Enterprise Server") ||
                prefix_tok(name, "Linux Enterprise Module for ")) {
                sb_str(&b, "sles");
            } else if (teq(name, "Linux Enterprise Micro") ||
                       teq(name, "Linux Micro")) {
                sb_str(&b, "sle-micro");
            } else {
                sb_str(&b, "suse");
                if (name.n) {
                    sb_str(&b, "-");
                    slug(&b, name.s, name.n);
                }
            }
        } else {
            sb_str(&b, "opensuse");
            if (name.n) {
                sb_str(&b, "-");
                slug(&b, name.s, name.n);
            }
        }
        if (ver[0]) {
            sb_str(&b, ":");
            sb_str(&b, ver);
        }
    } else if (teq(t[0], "Photon OS")) {
        sb_str(&b, "photon");
        if (k >= 2 && t[1].n) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MINOR, t[1].s, t[1].n);
        }
    } else if (teq(t[0], "Azure Linux") || teq(t[0], "CBL-Mariner") ||
               teq(t[0], "Mariner")) {
        sb_str(&b, "azurelinux");
        if (k >= 2 && t[1].n) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MAJOR, t[1].s, t[1].n);
        }
    } else if (teq(t[0], "Wolfi") || teq(t[0], "Chainguard")) {
        *scheme = DD_VER_APK;
        sb_str(&b, teq(t[0], "Wolfi") ? "wolfi" : "chainguard");
    } else if (teq(t[0], "Ubuntu") && k >= 2) {
        *scheme = DD_VER_DPKG;
        size_t i = 1;
        if (teq(t[1], "Pro")) {
            sb_str(&b, "ubuntu-pro");
            for (i = 2; i < k && !(t[i].n && isdig(t[i].s[0])); i++) {
                sb_str(&b, "-"); /* "Pro:FIPS-updates:22.04" */
                slug(&b, t[i].s, t[i].n);
            }
        } else {
            sb_str(&b, "ubuntu");
        }
        if (i < k && t[i].n && isdig(t[i].s[0])) {
            sb_str(&b, ":");
            release(&b, DD__GRAN_MINOR, t[i].s, t[i].n);
        }
    } else {
        return -1;
    }
    return b.over ? -1 : 0;
}
