/*
 * tests/unit/test_eco.c - the ecosystem table: every row round-trips
 * purl type <-> OSV name <-> namespace; name normalisation vectors; purls.
 */
#include <stdlib.h>

#include "harness.h"
#include "../../src/lib/eco/distro.h"
#include "../../src/lib/eco/eco.h"
#include "../../src/lib/vuln/vuln_int.h"
#include "../../src/util/util.h"

static void test_eco__rows_round_trip(void)
{
    CHECK(dd__eco_count() >= 25);
    CHECK(dd__eco_at(dd__eco_count()) == NULL);
    for (size_t i = 0; i < dd__eco_count(); i++) {
        const dd__eco *e = dd__eco_at(i);
        CHECK(e->id && e->purl_type);
        CHECK(dd__eco_by_id(e->id) == e);
        CHECK(dd__eco_by_ns(e->id) == e);
        if (e->release) {
            char ns[64];
            snprintf(ns, sizeof ns, "%s:12", e->id);
            CHECK(dd__eco_by_ns(ns) == e);
        }
        if (e->osv) {
            CHECK(dd__eco_by_osv(e->osv) == e);
            char ns[64];
            const char *sch = NULL;
            char osv[80];
            snprintf(osv, sizeof osv, "%s%s", e->osv, e->release ? ":3" : "");
            CHECK(dd__osv_namespace(osv, ns, sizeof ns, &sch) == 0);
            CHECK(dd__eco_by_ns(ns) == e);
            if (e->has_scheme) {
                CHECK_STR(sch, dd_version_scheme_name(e->scheme));
            } else {
                CHECK(sch == NULL);
            }
        }
        if (e->os_family) {
            CHECK(dd__eco_by_family(e->os_family) == e);
            CHECK(dd__eco_by_purl_type(e->purl_type, e->purl_ns) != NULL);
            CHECK_STR(dd__eco_by_purl_type(e->purl_type, e->purl_ns)->purl_ns,
                      e->purl_ns);
        } else {
            CHECK(dd__eco_by_purl_type(e->purl_type, NULL) == e);
        }
        dd_version_scheme s;
        int r = dd_ecosystem_scheme(e->id, &s);
        CHECK(e->has_scheme ? r == 0 && s == e->scheme : r == DD_EUNSUPPORTED);
    }
    dd_version_scheme s;
    CHECK(dd_ecosystem_scheme("nosuch", &s) == DD_ENOTFOUND);
    CHECK(dd__eco_by_osv("NoSuchEco") == NULL);
    CHECK(dd__eco_by_family(NULL) == NULL);
}

static void test_eco__required_rows(void)
{
    static const struct {
        const char *osv, *purl, *ns, *scheme;
    } t[] = {
        {"npm", "npm", "npm", "semver"},
        {"PyPI", "pypi", "pypi", "pep440"},
        {"Go", "golang", "go", "go"},
        {"Maven", "maven", "maven", "maven"},
        {"crates.io", "cargo", "cargo", "semver"},
        {"RubyGems", "gem", "rubygems", "rubygems"},
        {"Packagist", "composer", "composer", "composer"},
        {"NuGet", "nuget", "nuget", "nuget"},
        {"Debian", "deb", "debian", "dpkg"},
        {"Ubuntu", "deb", "ubuntu", "dpkg"},
        {"Alpine", "apk", "alpine", "apk"},
        {"Red Hat", "rpm", "redhat", "rpm"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        const dd__eco *e = dd__eco_by_osv(t[i].osv);
        CHECK(e != NULL);
        CHECK_STR(e->purl_type, t[i].purl);
        CHECK_STR(e->id, t[i].ns);
        if (t[i].scheme) {
            CHECK(e->has_scheme);
            CHECK_STR(dd_version_scheme_name(e->scheme), t[i].scheme);
        }
    }
    CHECK_STR(dd__eco_by_family("rhel")->purl_ns, "redhat");
    CHECK_STR(dd__eco_by_family("sles")->purl_ns, "suse");
    CHECK_STR(dd__eco_by_family("opensuse-leap")->purl_ns, "suse");
    CHECK_STR(dd__eco_by_family("amzn")->purl_ns, "amazon");
    /* conda has no comparator: its packages are reported unmatched */
    dd_version_scheme s;
    CHECK(dd_ecosystem_scheme("conda", &s) == DD_EUNSUPPORTED);
    CHECK(dd__eco_by_pkg_type(DD_PKG_CONDA) == dd__eco_by_id("conda"));
    CHECK(dd__eco_by_pkg_type(DD_PKG_MAVEN) == dd__eco_by_id("maven"));
    CHECK(dd__eco_by_pkg_type(DD_PKG_NUGET)->scheme == DD_VER_NUGET);
}

static void test_eco__normalize(void)
{
    static const struct {
        const char *ns, *in, *out;
    } t[] = {
        {"pypi", "Django", "django"},
        {"pypi", "zope.interface", "zope-interface"},
        {"pypi", "Foo__Bar-.baz", "foo-bar-baz"},
        {"pypi", "ruamel.yaml.clib", "ruamel-yaml-clib"},
        {"nuget", "Newtonsoft.Json", "newtonsoft.json"},
        {"composer", "Symfony/HTTP-Kernel", "symfony/http-kernel"},
        {"maven", "org.apache.logging.log4j:log4j-core",
         "org.apache.logging.log4j:log4j-core"},
        {"maven", "org.yaml/snakeyaml", "org.yaml:snakeyaml"},
        {"npm", "%40babel/core", "@babel/core"},
        {"npm", "@types/Node", "@types/Node"},
        {"go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
        {"rubygems", "Rack", "Rack"},
        {"debian:12", "libc6", "libc6"},
    };
    char out[128];
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CHECK(dd_ecosystem_normalize(t[i].ns, t[i].in, out, sizeof out) == 0);
        CHECK_STR(out, t[i].out);
    }
    CHECK(dd_ecosystem_normalize("maven", "log4j-core", out, sizeof out) ==
          DD_EINVALID);
    CHECK(dd_ecosystem_normalize("pypi", "", out, sizeof out) == DD_EINVALID);
    CHECK(dd_ecosystem_normalize("pypi", "abcdef", out, 6) == DD_ELIMIT);
    CHECK(dd_ecosystem_normalize("pypi", "abcde", out, 6) == 0);
    CHECK(dd_ecosystem_normalize("nosuch", "x", out, sizeof out) ==
          DD_ENOTFOUND);
}

static void test_eco__purl(void)
{
    static const struct {
        const char *ns, *name, *ver, *purl;
    } t[] = {
        {"npm", "@babel/core", "7.0.0", "pkg:npm/%40babel/core@7.0.0"},
        {"npm", "lodash", "4.17.20", "pkg:npm/lodash@4.17.20"},
        {"pypi", "Django", "4.2", "pkg:pypi/django@4.2"},
        {"maven", "org.yaml:snakeyaml", "1.33",
         "pkg:maven/org.yaml/snakeyaml@1.33"},
        {"go", "github.com/x/net", "v0.1.0",
         "pkg:golang/github.com/x/net@v0.1.0"},
        {"composer", "symfony/http-kernel", "6.0.1",
         "pkg:composer/symfony/http-kernel@6.0.1"},
        {"rubygems", "rack", "2.2.3", "pkg:gem/rack@2.2.3"},
        {"nuget", "Newtonsoft.Json", "13.0.1",
         "pkg:nuget/Newtonsoft.Json@13.0.1"},
        {"conda", "openssl", "3.0.8", "pkg:conda/openssl@3.0.8"},
        {"cargo", "serde", "1.0.0+x", "pkg:cargo/serde@1.0.0%2Bx"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char *p = dd__eco_purl(dd__eco_by_ns(t[i].ns), t[i].name, t[i].ver);
        CHECK_STR(p, t[i].purl);
        dd__free(p);
    }
    CHECK(dd__eco_purl(dd__eco_by_ns("maven"), "nogroup", "1") == NULL);
    CHECK(dd__eco_purl(NULL, "x", "1") == NULL);
}

/* os-release (ID, VERSION_ID, modularity) -> ordered namespaces */
static void test_eco__distro_namespaces(void)
{
    static const struct {
        const char *id, *ver, *mod, *want; /* want: "ns|ns|+supplement" */
        dd_version_scheme sch;
    } t[] = {
        {"rhel", "8.7", NULL, "redhat:8(nomod)", DD_VER_RPM},
        {"centos", "8", NULL, "redhat:8(nomod)", DD_VER_RPM},
        {"centos", "7", NULL, "redhat:7(nomod)", DD_VER_RPM},
        {"rocky", "9.3", NULL, "rocky:9(nomod)|redhat:9(nomod)", DD_VER_RPM},
        {"almalinux", "9.4", NULL, "almalinux:9(nomod)|redhat:9(nomod)",
         DD_VER_RPM},
        {"rhel", "8.7", "nodejs:18:8070020230306:bd1311ed",
         "redhat:8::nodejs:18|redhat:8(mod)", DD_VER_RPM},
        {"rocky", "8.9", "nodejs:18:8090020240101:abcd",
         "rocky:8::nodejs:18|rocky:8(mod)|redhat:8::nodejs:18|"
         "redhat:8(mod)",
         DD_VER_RPM},
        {"rhel", "8.7", "broken", "redhat:8(nomod)", DD_VER_RPM},
        {"ol", "8.9", NULL, "oracle:8(nomod)", DD_VER_RPM},
        {"amzn", "2", NULL, "amazon:2", DD_VER_RPM},
        {"amzn", "2023", NULL, "amazon:2023", DD_VER_RPM},
        {"amzn", "2018.03", NULL, "amazon:1", DD_VER_RPM},
        {"sles", "15.5", NULL, "sles:15.5", DD_VER_RPM},
        {"sles", "15", NULL, "sles:15.0", DD_VER_RPM},
        {"sles", "12.5", NULL, "sles:12.5", DD_VER_RPM},
        {"sle-micro", "5.5", NULL, "sle-micro:5.5", DD_VER_RPM},
        {"opensuse-leap", "15.5", NULL, "opensuse-leap:15.5", DD_VER_RPM},
        {"opensuse-tumbleweed", "20240101", NULL, "opensuse-tumbleweed",
         DD_VER_RPM},
        {"photon", "5.0", NULL, "photon:5.0", DD_VER_RPM},
        {"mariner", "2.0", NULL, "azurelinux:2", DD_VER_RPM},
        {"azurelinux", "3.0", NULL, "azurelinux:3", DD_VER_RPM},
        {"wolfi", "20230201", NULL, "wolfi", DD_VER_APK},
        {"chainguard", "20230214", NULL, "chainguard|wolfi", DD_VER_APK},
        {"alpine", "3.20.3", NULL, "alpine:3.20", DD_VER_APK},
        {"ubuntu", "22.04", NULL, "ubuntu:22.04|+ubuntu-pro:22.04",
         DD_VER_DPKG},
        {"debian", "12.5", NULL, "debian:12", DD_VER_DPKG},
        {"nosuchos", "4.2", NULL, "nosuchos:4", DD_VER_RPM},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        dd__distro_ns L;
        dd__distro_namespaces(t[i].id, t[i].ver, t[i].mod, &L);
        char got[512] = "";
        size_t o = 0;
        for (size_t k = 0; k < L.n; k++) {
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%s%s%s",
                                  k ? "|" : "", L.supplement[k] ? "+" : "",
                                  L.ns[k],
                                  L.modfilter[k] > 0   ? "(mod)"
                                  : L.modfilter[k] < 0 ? "(nomod)"
                                                       : "");
        }
        CHECK_STR(got, t[i].want);
        CHECK(L.scheme == t[i].sch);
        CHECK((L.row == NULL) == !strcmp(t[i].id, "nosuchos"));
    }
    /* every row: its namespaces resolve to an ecosystem row for purls */
    for (size_t i = 0; i < dd__distro_count(); i++) {
        const dd__distro *d = dd__distro_at(i);
        CHECK(dd__distro_by_id(d->id) == d);
        CHECK(dd__eco_by_id(d->eco) != NULL);
        CHECK(dd__eco_by_ns(d->ns[0]) != NULL);
        dd_version_scheme s;
        CHECK(dd_ecosystem_scheme(d->ns[0], &s) == 0 && s == d->scheme);
    }
    CHECK(dd__distro_at(dd__distro_count()) == NULL);
    CHECK_STR(dd__distro_like("eurolinux", "rhel fedora centos"), "rhel");
    CHECK_STR(dd__distro_like("navylinux", "  centos\trhel"), "centos");
    CHECK_STR(dd__distro_like("linuxmint", "ubuntu debian"), "linuxmint");
    CHECK_STR(dd__distro_like("rocky", "rhel centos fedora"), "rocky");
    CHECK_STR(dd__distro_like("foo", NULL), "foo");
    CHECK_STR(dd__distro_like("foo", ""), "foo");
    char m[32];
    CHECK(dd__distro_module_stream("perl:5.32:1:2", m, sizeof m) == 0);
    CHECK_STR(m, "perl:5.32");
    CHECK(dd__distro_module_stream(":x", m, sizeof m) < 0);
    CHECK(dd__distro_module_stream("nostream", m, sizeof m) < 0);
    CHECK(dd__distro_module_stream("a:bcdefghijklmnopqrstuvwxyz0123456789", m,
                                   sizeof m) < 0);
}

/* OSV ecosystems of distributions -> the namespaces the scan looks up */
static void test_eco__distro_osv(void)
{
    static const struct {
        const char *eco, *purl, *want, *sch;
    } t[] = {
        {"Red Hat:enterprise_linux:8::appstream", NULL, "redhat:8", "rpm"},
        {"Red Hat:enterprise_linux:9::baseos", NULL, "redhat:9", "rpm"},
        {"Red Hat:enterprise_linux:8::appstream",
         "pkg:rpm/redhat/nodejs@18.1?arch=src&rpmmod=nodejs:18:8070020230306:"
         "bd1311ed",
         "redhat:8::nodejs:18", "rpm"},
        {"Red Hat:enterprise_linux:8::appstream",
         "pkg:rpm/redhat/nodejs?rpmmod=nodejs%3A20%3A1%3Aff",
         "redhat:8::nodejs:20", "rpm"},
        {"Red Hat:rhel_eus:8.6::appstream", NULL, "redhat-rhel_eus:8.6", "rpm"},
        {"Rocky Linux:9", NULL, "rocky:9", "rpm"},
        {"AlmaLinux:9", NULL, "almalinux:9", "rpm"},
        {"SUSE:Linux Enterprise Server 15 SP5", NULL, "sles:15.5", "rpm"},
        {"SUSE:Linux Enterprise Server 15", NULL, "sles:15.0", "rpm"},
        {"SUSE:Linux Enterprise Server 12 SP5", NULL, "sles:12.5", "rpm"},
        {"SUSE:Linux Enterprise Module for Basesystem 15 SP5", NULL,
         "sles:15.5", "rpm"},
        {"SUSE:Linux Enterprise Micro 5.5", NULL, "sle-micro:5.5", "rpm"},
        {"SUSE:Linux Enterprise Server for SAP Applications 15 SP5", NULL,
         "suse-linux-enterprise-server-for-sap-applications:15.5", "rpm"},
        {"openSUSE:Leap 15.5", NULL, "opensuse-leap:15.5", "rpm"},
        {"openSUSE:Tumbleweed", NULL, "opensuse-tumbleweed", "rpm"},
        {"openSUSE:Leap Micro 5.5", NULL, "opensuse-leap-micro:5.5", "rpm"},
        {"Photon OS:5.0", NULL, "photon:5.0", "rpm"},
        {"Azure Linux:3", NULL, "azurelinux:3", "rpm"},
        {"CBL-Mariner:2.0", NULL, "azurelinux:2", "rpm"},
        {"Wolfi", NULL, "wolfi", "apk"},
        {"Chainguard", NULL, "chainguard", "apk"},
        {"Ubuntu:22.04:LTS", NULL, "ubuntu:22.04", "dpkg"},
        {"Ubuntu:Pro:18.04:LTS", NULL, "ubuntu-pro:18.04", "dpkg"},
        {"Ubuntu:Pro:FIPS-updates:22.04:LTS", NULL,
         "ubuntu-pro-fips-updates:22.04", "dpkg"},
        {"Debian:12", NULL, "debian:12", "dpkg"},
        {"Alpine:v3.20", NULL, "alpine:3.20", "apk"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char ns[160];
        const char *sch = NULL;
        CHECK(dd__osv_pkg_namespace(t[i].eco, t[i].purl, ns, sizeof ns, &sch) ==
              0);
        CHECK_STR(ns, t[i].want);
        CHECK_STR(sch, t[i].sch);
        CHECK(dd__eco_by_ns(ns) != NULL);
    }
    /* the scan looks up exactly what the import writes */
    static const struct {
        const char *id, *ver, *eco;
    } pair[] = {
        {"centos", "8", "Red Hat:enterprise_linux:8::appstream"},
        {"rhel", "9.2", "Red Hat:enterprise_linux:9::baseos"},
        {"sles", "15.5", "SUSE:Linux Enterprise Server 15 SP5"},
        {"opensuse-leap", "15.5", "openSUSE:Leap 15.5"},
        {"photon", "5.0", "Photon OS:5.0"},
        {"azurelinux", "3.0", "Azure Linux:3"},
        {"rocky", "9.3", "Rocky Linux:9"},
        {"ubuntu", "18.04", "Ubuntu:Pro:18.04:LTS"},
    };
    for (size_t i = 0; i < sizeof pair / sizeof *pair; i++) {
        dd__distro_ns L;
        char ns[160];
        const char *sch;
        dd__distro_namespaces(pair[i].id, pair[i].ver, NULL, &L);
        CHECK(dd__osv_pkg_namespace(pair[i].eco, NULL, ns, sizeof ns, &sch) ==
              0);
        int hit = 0;
        for (size_t k = 0; k < L.n; k++) {
            hit |= !strcmp(L.ns[k], ns);
        }
        CHECK(hit);
    }
    /* bounded: a tiny buffer fails, never overflows */
    char small[6];
    dd_version_scheme ds;
    CHECK(dd__distro_osv_ns("SUSE:Linux Enterprise Server 15 SP5", NULL, small,
                            sizeof small, &ds) < 0);
    CHECK(dd__distro_osv_ns("NoSuch:1", NULL, small, sizeof small, &ds) < 0);
    CHECK(dd__distro_osv_ns("SUSE:", NULL, small, sizeof small, &ds) == 0);
    CHECK_STR(small, "suse");
}

TEST_LIST(T(test_eco__rows_round_trip),
          T(test_eco__required_rows),
          T(test_eco__normalize),
          T(test_eco__purl),
          T(test_eco__distro_namespaces),
          T(test_eco__distro_osv))
