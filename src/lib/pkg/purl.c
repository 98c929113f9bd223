/*
 * lib/pkg/purl.c - package URLs (github.com/package-url/purl-spec).
 *
 *   pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12
 *   pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3
 *   pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=redhat-9&epoch=1
 *
 * Name and version are percent-encoded (everything but the unreserved
 * set); the dpkg epoch stays in the version ("1%3A2.0-1"), the rpm epoch
 * is the "epoch" qualifier, as the purl type definitions say. Qualifiers
 * are in lexicographic order.
 */
#include <string.h>

#include "pkgdb.h"
#include "../eco/eco.h"

static int enc(dd__buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
            c == '~') {
            if (dd__buf_add(b, s, 1)) {
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

/* purl namespace of an OS package: the ecosystem table row of the OS
 * family when its purl type matches, else the type's default */
static const char *purl_ns(const char *type, const char *family)
{
    const dd__eco *e = dd__eco_by_family(family);
    if (e && !strcmp(e->purl_type, type)) {
        return e->purl_ns;
    }
    if (!strcmp(type, "rpm")) {
        return family ? family : "rpm";
    }
    if (!strcmp(type, "apk") && family && strcmp(family, "debian")) {
        return family;
    }
    return dd__eco_by_purl_type(type, NULL)->purl_ns;
}

char *dd_package_purl(const dd_package *p, const dd_os_info *os)
{
    const dd__eco *le = dd__eco_by_pkg_type(p->type);
    if (le) { /* application package: "pkg:npm/%40scope/name@1.0.0" */
        return dd__eco_purl(le, p->name, p->version);
    }
    dd__buf b;
    dd__buf_init(&b, 0);
    const char *fam = os ? os->family : NULL;
    const char *ver = os ? os->version : NULL;
    int rc = 0;
    const char *vers = p->version;
    const char *type = p->type == DD_PKG_DPKG  ? "deb"
                       : p->type == DD_PKG_APK ? "apk"
                                               : "rpm";
    rc |= dd__buf_printf(&b, "pkg:%s/%s/", type, purl_ns(type, fam));
    rc |= enc(&b, p->name);
    rc |= dd__buf_add(&b, "@", 1);
    if (p->type == DD_PKG_RPM) {
        rc |= enc(&b, p->upstream);
        if (p->release) {
            rc |= dd__buf_add(&b, "-", 1);
            rc |= enc(&b, p->release);
        }
    } else {
        rc |= enc(&b, vers);
    }
    char sep = '?';
    if (p->arch) {
        rc |= dd__buf_printf(&b, "%carch=", sep);
        rc |= enc(&b, p->arch);
        sep = '&';
    }
    if (fam && ver) {
        rc |= dd__buf_printf(&b, "%cdistro=", sep);
        if (p->type == DD_PKG_APK) {
            rc |= enc(&b, ver);
        } else {
            rc |= enc(&b, p->type == DD_PKG_RPM ? purl_ns("rpm", fam) : fam);
            rc |= dd__buf_add(&b, "-", 1);
            rc |= enc(&b, ver);
        }
        sep = '&';
    }
    if (p->type == DD_PKG_RPM && p->epoch && strcmp(p->epoch, "0")) {
        rc |= dd__buf_printf(&b, "%cepoch=", sep);
        rc |= enc(&b, p->epoch);
    }
    if (rc) {
        dd__buf_free(&b);
        return NULL;
    }
    return b.ptr ? b.ptr : dd__strdup("");
}

void dd_string_free(char *s)
{
    dd__free(s);
}

const char *dd_pkg_type_name(dd_pkg_type t)
{
    switch (t) {
    case DD_PKG_DPKG:
        return "dpkg";
    case DD_PKG_APK:
        return "apk";
    case DD_PKG_RPM:
        return "rpm";
    case DD_PKG_NPM:
        return "npm";
    case DD_PKG_PYPI:
        return "pypi";
    case DD_PKG_GEM:
        return "gem";
    case DD_PKG_COMPOSER:
        return "composer";
    case DD_PKG_NUGET:
        return "nuget";
    case DD_PKG_GOLANG:
        return "golang";
    case DD_PKG_CONDA:
        return "conda";
    case DD_PKG_MAVEN:
        return "maven";
    }
    return "unknown";
}
