/*
 * lib/eco/eco.c - the ecosystem table (see eco.h).
 *
 * OS rows name the distribution (purl "pkg:deb/debian/...", DB namespace
 * "debian:12"); language rows name the registry's ecosystem (purl
 * "pkg:npm/...", DB namespace "npm"). A row without a version scheme is
 * never compared: its packages are reported as unmatched.
 */
#include <stdio.h>
#include <string.h>

#include "distro.h"
#include "eco.h"
#include "../../util/util.h"

#define OS(id, osv, type, pns, fam, pre, rel, sch, feed)                       \
    {                                                                          \
        id, osv, type, pns, fam, pre, rel, 1, sch, DD__ECO_NORM_EXACT, feed, 0 \
    }
#define LANG(id, osv, type, has, sch, norm, feed)                \
    {                                                            \
        id, osv, type, NULL, NULL, 0, 0, has, sch, norm, feed, 0 \
    }
/* a language row whose purl keeps the name's case */
#define LANG_CASE(id, osv, type, has, sch, norm, feed)           \
    {                                                            \
        id, osv, type, NULL, NULL, 0, 0, has, sch, norm, feed, 1 \
    }

static const dd__eco ROWS[] = {
    OS("debian",
       "Debian",
       "deb",
       "debian",
       "debian",
       0,
       1,
       DD_VER_DPKG,
       "debian"),
    OS("ubuntu",
       "Ubuntu",
       "deb",
       "ubuntu",
       "ubuntu",
       0,
       1,
       DD_VER_DPKG,
       "ubuntu"),
    OS("alpine", "Alpine", "apk", "alpine", "alpine", 0, 1, DD_VER_APK, NULL),
    OS("wolfi", "Wolfi", "apk", "wolfi", "wolfi", 0, 0, DD_VER_APK, NULL),
    OS("chainguard",
       "Chainguard",
       "apk",
       "chainguard",
       "chainguard",
       0,
       0,
       DD_VER_APK,
       NULL),
    OS("redhat", "Red Hat", "rpm", "redhat", "rhel", 0, 1, DD_VER_RPM, NULL),
    OS("rocky", "Rocky Linux", "rpm", "rocky", "rocky", 0, 1, DD_VER_RPM, NULL),
    OS("almalinux",
       "AlmaLinux",
       "rpm",
       "almalinux",
       "almalinux",
       0,
       1,
       DD_VER_RPM,
       NULL),
    OS("opensuse",
       "openSUSE",
       "rpm",
       "suse",
       "opensuse",
       1,
       1,
       DD_VER_RPM,
       NULL),
    OS("suse", "SUSE", "rpm", "suse", "sle", 1, 1, DD_VER_RPM, NULL),
    OS("mageia", "Mageia", "rpm", "mageia", "mageia", 0, 1, DD_VER_RPM, NULL),
    OS("photon",
       "Photon OS",
       "rpm",
       "photon",
       "photon",
       0,
       1,
       DD_VER_RPM,
       NULL),
    OS("azurelinux",
       "Azure Linux",
       "rpm",
       "azurelinux",
       "azurelinux",
       0,
       1,
       DD_VER_RPM,
       NULL),
    OS("amazon", NULL, "rpm", "amazon", "amzn", 0, 1, DD_VER_RPM, NULL),
    OS("oracle", NULL, "rpm", "oracle", "ol", 0, 1, DD_VER_RPM, NULL),
    OS("fedora", NULL, "rpm", "fedora", "fedora", 0, 1, DD_VER_RPM, NULL),
    OS("centos", NULL, "rpm", "centos", "centos", 0, 1, DD_VER_RPM, NULL),
    LANG("npm", "npm", "npm", 1, DD_VER_SEMVER, DD__ECO_NORM_NPM, "npm"),
    LANG("pypi", "PyPI", "pypi", 1, DD_VER_PEP440, DD__ECO_NORM_PEP503, "pypi"),
    LANG("go", "Go", "golang", 1, DD_VER_GO, DD__ECO_NORM_EXACT, "go"),
    LANG("maven",
         "Maven",
         "maven",
         1,
         DD_VER_MAVEN,
         DD__ECO_NORM_MAVEN,
         "maven"),
    LANG("cargo",
         "crates.io",
         "cargo",
         1,
         DD_VER_SEMVER,
         DD__ECO_NORM_EXACT,
         "cargo"),
    LANG("rubygems",
         "RubyGems",
         "gem",
         1,
         DD_VER_RUBYGEMS,
         DD__ECO_NORM_EXACT,
         "rubygems"),
    LANG("composer",
         "Packagist",
         "composer",
         1,
         DD_VER_COMPOSER,
         DD__ECO_NORM_LOWER,
         "composer"),
    LANG_CASE("nuget",
              "NuGet",
              "nuget",
              1,
              DD_VER_NUGET,
              DD__ECO_NORM_LOWER,
              "nuget"),
    LANG("hex", "Hex", "hex", 1, DD_VER_SEMVER, DD__ECO_NORM_LOWER, NULL),
    LANG("pub", "Pub", "pub", 1, DD_VER_SEMVER, DD__ECO_NORM_EXACT, NULL),
    /* no OSV ecosystem and no comparator: never matched, reported */
    LANG("conda", NULL, "conda", 0, DD_VER_DPKG, DD__ECO_NORM_EXACT, NULL),
};
#define NROWS (sizeof ROWS / sizeof *ROWS)

size_t dd__eco_count(void)
{
    return NROWS;
}

const dd__eco *dd__eco_at(size_t i)
{
    return i < NROWS ? &ROWS[i] : NULL;
}

static const dd__eco *by_id_n(const char *id, size_t n)
{
    for (size_t i = 0; i < NROWS; i++) {
        if (strlen(ROWS[i].id) == n && !strncmp(ROWS[i].id, id, n)) {
            return &ROWS[i];
        }
    }
    return NULL;
}

const dd__eco *dd__eco_by_id(const char *id)
{
    return id ? by_id_n(id, strlen(id)) : NULL;
}

const dd__eco *dd__eco_by_ns(const char *ns)
{
    if (!ns) {
        return NULL;
    }
    size_t n = strcspn(ns, ":");
    const dd__eco *e = by_id_n(ns, n);
    if (!e) {
        /* distribution namespaces ("sles:15.5", "ubuntu-pro:18.04") */
        const dd__distro *d = dd__distro_by_ns(ns);
        e = d ? dd__eco_by_id(d->eco) : NULL;
    }
    if (!e && memchr(ns, '-', n)) {
        /* vendor sub-products ("redhat-rhel_eus:8.6", "suse-...") */
        e = by_id_n(ns, strcspn(ns, "-"));
    }
    return e;
}

const dd__eco *dd__eco_by_osv(const char *osv)
{
    if (!osv) {
        return NULL;
    }
    size_t n = strcspn(osv, ":");
    for (size_t i = 0; i < NROWS; i++) {
        if (ROWS[i].osv && strlen(ROWS[i].osv) == n &&
            !strncmp(ROWS[i].osv, osv, n)) {
            return &ROWS[i];
        }
    }
    return NULL;
}

const dd__eco *dd__eco_by_family(const char *family)
{
    if (!family) {
        return NULL;
    }
    for (size_t i = 0; i < NROWS; i++) {
        const char *f = ROWS[i].os_family;
        if (f && (ROWS[i].family_prefix ? !strncmp(family, f, strlen(f))
                                        : !strcmp(family, f))) {
            return &ROWS[i];
        }
    }
    return NULL;
}

const dd__eco *dd__eco_by_purl_type(const char *type, const char *purl_ns)
{
    if (!type) {
        return NULL;
    }
    for (size_t i = 0; i < NROWS; i++) {
        if (!strcmp(ROWS[i].purl_type, type) &&
            (!ROWS[i].purl_ns || !purl_ns ||
             !strcmp(ROWS[i].purl_ns, purl_ns))) {
            return &ROWS[i];
        }
    }
    return NULL;
}

const dd__eco *dd__eco_by_pkg_type(dd_pkg_type t)
{
    switch (t) {
    case DD_PKG_NPM:
        return dd__eco_by_id("npm");
    case DD_PKG_PYPI:
        return dd__eco_by_id("pypi");
    case DD_PKG_GEM:
        return dd__eco_by_id("rubygems");
    case DD_PKG_COMPOSER:
        return dd__eco_by_id("composer");
    case DD_PKG_NUGET:
        return dd__eco_by_id("nuget");
    case DD_PKG_GOLANG:
        return dd__eco_by_id("go");
    case DD_PKG_CONDA:
        return dd__eco_by_id("conda");
    case DD_PKG_CARGO:
        return dd__eco_by_id("cargo");
    case DD_PKG_MAVEN:
        return dd__eco_by_id("maven");
    default:
        return NULL;
    }
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int dd__eco_normalize(const dd__eco *e, const char *name, char *out, size_t n)
{
    if (!name || !*name || !n) {
        return DD_EINVALID;
    }
    size_t o = 0;
    const char *s = name;
    dd__eco_norm norm = e ? e->norm : DD__ECO_NORM_EXACT;
    if (norm == DD__ECO_NORM_NPM && !strncmp(s, "%40", 3)) {
        out[o++] = '@';
        s += 3;
    }
    if (norm == DD__ECO_NORM_MAVEN && !strpbrk(s, ":/")) {
        return DD_EINVALID;
    }
    for (; *s; s++) {
        char c = *s;
        if (norm == DD__ECO_NORM_PEP503) {
            if (c == '-' || c == '_' || c == '.') {
                while (s[1] == '-' || s[1] == '_' || s[1] == '.') {
                    s++;
                }
                c = '-';
            } else {
                c = lower(c);
            }
        } else if (norm == DD__ECO_NORM_LOWER) {
            c = lower(c);
        } else if (norm == DD__ECO_NORM_MAVEN && c == '/') {
            c = ':';
        }
        if (o + 1 >= n) {
            return DD_ELIMIT;
        }
        out[o++] = c;
    }
    if (o + 1 > n) {
        return DD_ELIMIT;
    }
    out[o] = '\0';
    return 0;
}

/* percent-encode all but the unreserved set (and '/' when keep_slash) */
static int enc(dd__buf *b, const char *s, size_t len, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
            c == '~' || (keep_slash && c == '/')) {
            if (dd__buf_add(b, s + i, 1)) {
                return DD_ENOMEM;
            }
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (dd__buf_add(b, t, 3)) {
                return DD_ENOMEM;
            }
        }
    }
    return 0;
}

char *dd__eco_purl(const dd__eco *e, const char *name, const char *version)
{
    char nm[1024];
    if (!e || !version || dd__eco_normalize(e, name, nm, sizeof nm)) {
        return NULL;
    }
    if (e->purl_case) {
        snprintf(nm, sizeof nm, "%s", name); /* fits: normalize checked */
    }
    dd__buf b;
    dd__buf_init(&b, 0);
    int rc = dd__buf_printf(&b, "pkg:%s/", e->purl_type);
    size_t len = strlen(nm);
    const char *sep = NULL;
    if (e->norm == DD__ECO_NORM_MAVEN) {
        sep = strchr(nm, ':');
    } else if (!strcmp(e->id, "composer") || (nm[0] == '@')) {
        sep = strchr(nm, '/');
    }
    if (!strcmp(e->id, "go")) {
        rc |= enc(&b, nm, len, 1); /* module path segments */
    } else if (sep) {
        rc |= enc(&b, nm, (size_t)(sep - nm), 0);
        rc |= dd__buf_add(&b, "/", 1);
        rc |= enc(&b, sep + 1, strlen(sep + 1), 0);
    } else {
        rc |= enc(&b, nm, len, 0);
    }
    rc |= dd__buf_add(&b, "@", 1);
    rc |= enc(&b, version, strlen(version), 0);
    if (rc) {
        dd__buf_free(&b);
        return NULL;
    }
    return dd__buf_detach(&b);
}

int dd_ecosystem_scheme(const char *ns, dd_version_scheme *out)
{
    const dd__eco *e = dd__eco_by_ns(ns);
    if (!e) {
        return DD_ENOTFOUND;
    }
    if (!e->has_scheme) {
        return DD_EUNSUPPORTED;
    }
    *out = e->scheme;
    return 0;
}

int dd_ecosystem_normalize(const char *ns,
                           const char *name,
                           char *out,
                           size_t n)
{
    const dd__eco *e = dd__eco_by_ns(ns);
    return e ? dd__eco_normalize(e, name, out, n) : DD_ENOTFOUND;
}
