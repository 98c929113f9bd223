/*
 * tests/unit/test_eco.c - the ecosystem table: every row round-trips
 * purl type <-> OSV name <-> namespace; name normalisation vectors; purls.
 */
#include <stdlib.h>

#include "harness.h"
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

TEST_LIST(T(test_eco__rows_round_trip),
          T(test_eco__required_rows),
          T(test_eco__normalize),
          T(test_eco__purl))
