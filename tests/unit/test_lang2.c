/*
 * tests/unit/test_lang2.c - the gemspec, Composer installed.json, .NET
 * deps.json and conda-meta readers on valid, crafted and truncated input
 * (every prefix of a valid file is read or refused with a reason, never
 * a crash), and their path matchers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "harness.h"
#include "../../src/lib/lang/lang.h"
#include "../../src/util/util.h"

#define S(x) (const uint8_t *)(x), strlen(x)

static const char GEM[] =
    "# -*- encoding: utf-8 -*-\n"
    "# stub: rack 2.2.3 ruby lib\n\n"
    "Gem::Specification.new do |s|\n"
    "  s.name = \"rack\".freeze\n"
    "  s.version = \"2.2.3\"\n"
    "  s.description = \"s.name = \\\"evil\\\" #{1 + \"}\"}\".freeze\n"
    "  s.licenses = [\"MIT\".freeze,\n   \"Ruby\".freeze]\n"
    "end\n";

static void test_lang2__gemspec(void)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__lang_pkg p;
    char why[256];
    CHECK(dd__gemspec(&a, S(GEM), NULL, &p, why, sizeof why) == 0);
    CHECK_STR(p.name, "rack");
    CHECK_STR(p.version, "2.2.3");
    CHECK_STR(p.license, "MIT OR Ruby");
    /* another block variable; other variables' assignments ignored */
    CHECK(dd__gemspec(&a,
                      S("other.name = 'no'\nGem::Specification.new do "
                        "|spec|\n spec.name = 'x_y'\n spec.version = "
                        "Gem::Version.new('1.0.a')\n spec.license = "
                        "%q(BSD-2-Clause)\nend\n"),
                      NULL, &p, why, sizeof why) == 0);
    CHECK_STR(p.name, "x_y");
    CHECK_STR(p.version, "1.0.a");
    CHECK_STR(p.license, "BSD-2-Clause");
    /* a constant version: the stub, else the file name */
    CHECK(dd__gemspec(&a,
                      S("# stub: foo 3.1 ruby lib\nGem::Specification.new "
                        "do |s|\n s.name = 'foo'\n s.version = Foo::V\nend"),
                      NULL, &p, why, sizeof why) == 0);
    CHECK_STR(p.version, "3.1");
    CHECK(dd__gemspec(&a,
                      S("Gem::Specification.new do |s|\n s.name = 'ffi'\n "
                        "s.version = FFI::VERSION\nend"),
                      "a/specifications/ffi-1.15.5-x86_64-linux.gemspec", &p,
                      why, sizeof why) == 0);
    CHECK_STR(p.name, "ffi");
    CHECK_STR(p.version, "1.15.5");
    /* interpolated or concatenated values are not literals */
    CHECK(dd__gemspec(&a, S("s.name = \"a#{b}\"\ns.version = '1' + x\n"), NULL,
                      &p, why, sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "name") != NULL);
    CHECK(dd__gemspec(&a, S("s.name = 'a'\ns.version = \"1\\n2\"\n"), NULL, &p,
                      why, sizeof why) == DD_EINVALID);
    CHECK(dd__gemspec(&a, S(""), NULL, &p, why, sizeof why) == DD_EINVALID);
    /* every prefix: read or refused with a reason */
    for (size_t n = 0; n <= sizeof GEM - 1; n++) {
        why[0] = '\0';
        int rc =
            dd__gemspec(&a, (const uint8_t *)GEM, n, NULL, &p, why, sizeof why);
        CHECK(rc == 0 || (rc == DD_EINVALID && why[0]));
        if (rc == 0) {
            CHECK(p.name && *p.name && p.version && *p.version);
        }
    }
    CHECK(dd__gemspec_path("usr/lib/ruby/gems/3.1.0/specifications/default/"
                           "json-2.6.1.gemspec"));
    CHECK(dd__gemspec_path("usr/share/rubygems-integration/all/"
                           "specifications/rack-2.2.3.gemspec"));
    CHECK(!dd__gemspec_path("usr/local/bundle/gems/rack-2.2.3/rack.gemspec"));
    CHECK(!dd__gemspec_path("x/specifications.gemspec"));
    CHECK(!dd__gemspec_path("x/myspecifications/a.gemspec"));
    dd__arena_free(&a);
}

static void test_lang2__composer(void)
{
    dd__arena a;
    dd__arena_init(&a);
    char why[256];
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__lang_pkg));
    size_t sk;
    static const char c2[] =
        "{\"packages\": [{\"name\": \"a/b\", \"version\": \"v1.2.0\", "
        "\"license\": [\"MIT\", \"GPL-2.0-only\"]}, {\"name\": \"c/d\", "
        "\"version\": \"dev-main\"}, {\"version\": \"1\"}], "
        "\"dev-package-names\": [\"c/d\"]}";
    CHECK(dd__composer_installed(&a, S(c2), &v, &sk, why, sizeof why) == 0);
    CHECK(v.len == 2 && sk == 1);
    const dd__lang_pkg *p = DD_VEC_AT(&v, dd__lang_pkg, 0);
    CHECK_STR(p->name, "a/b");
    CHECK_STR(p->version, "1.2.0");
    CHECK_STR(p->license, "MIT OR GPL-2.0-only");
    CHECK(!p->dev);
    p = DD_VEC_AT(&v, dd__lang_pkg, 1);
    CHECK_STR(p->version, "dev-main");
    CHECK(p->dev);
    v.len = 0;
    CHECK(dd__composer_installed(&a,
                                 S("[{\"name\": \"x/y\", \"version\": \"2\"}]"),
                                 &v, &sk, why, sizeof why) == 0);
    CHECK(v.len == 1);
    CHECK(dd__composer_installed(&a, S("{\"packages\": 1}"), &v, &sk, why,
                                 sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "Composer 2") != NULL);
    CHECK(dd__composer_installed(&a, S("[1, 2"), &v, &sk, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "byte offset") != NULL);
    for (size_t n = 0; n < sizeof c2 - 1; n++) {
        v.len = 0;
        CHECK(dd__composer_installed(&a, (const uint8_t *)c2, n, &v, &sk, why,
                                     sizeof why) == DD_EINVALID);
    }
    CHECK(dd__composer_path("app/vendor/composer/installed.json"));
    CHECK(dd__composer_path("composer/installed.json"));
    CHECK(!dd__composer_path("app/vendor/xcomposer/installed.json"));
    dd__vec_free(&v);
    dd__arena_free(&a);
}

static void test_lang2__dotnet_conda(void)
{
    dd__arena a;
    dd__arena_init(&a);
    char why[256];
    dd__vec v;
    dd__vec_init(&v, sizeof(dd__lang_pkg));
    static const char deps[] =
        "{\"runtimeTarget\": {\"name\": \"T/rid\"}, \"targets\": {\"T\": "
        "{\"A/1.0\": {}}, \"T/rid\": {\"App/1.0.0\": {}, \"N.J/13.0.1\": {}}},"
        " \"libraries\": {\"App/1.0.0\": {\"type\": \"project\"}, "
        "\"N.J/13.0.1\": {\"type\": \"package\"}, \"A/1.0\": {\"type\": "
        "\"package\"}}}";
    CHECK(dd__dotnet_deps(&a, S(deps), &v, why, sizeof why) == 0);
    CHECK(v.len == 1);
    CHECK_STR(DD_VEC_AT(&v, dd__lang_pkg, 0)->name, "N.J");
    CHECK_STR(DD_VEC_AT(&v, dd__lang_pkg, 0)->version, "13.0.1");
    v.len = 0;
    CHECK(dd__dotnet_deps(&a,
                          S("{\"libraries\": {\"X/2\": {\"type\": "
                            "\"package\"}, \"Y\": {\"type\": \"package\"}}}"),
                          &v, why, sizeof why) == 0);
    CHECK(v.len == 1);
    CHECK(dd__dotnet_deps(&a, S("{}"), &v, why, sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "libraries") != NULL);
    for (size_t n = 0; n < sizeof deps - 1; n++) {
        v.len = 0;
        CHECK(dd__dotnet_deps(&a, (const uint8_t *)deps, n, &v, why,
                              sizeof why) == DD_EINVALID);
    }
    CHECK(dd__dotnet_path("app/My.App.deps.json"));
    CHECK(!dd__dotnet_path("app/deps.json"));
    dd__lang_pkg p;
    CHECK(dd__conda_meta(&a,
                         S("{\"name\": \"zlib\", \"version\": \"1.2.13\", "
                           "\"license\": \"Zlib\"}"),
                         &p, why, sizeof why) == 0);
    CHECK_STR(p.name, "zlib");
    CHECK_STR(p.license, "Zlib");
    CHECK(dd__conda_meta(&a, S("{\"name\": \"zlib\"}"), &p, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "version") != NULL);
    CHECK(dd__conda_meta(&a, S("[]"), &p, why, sizeof why) == DD_EINVALID);
    CHECK(dd__conda_path("opt/conda/conda-meta/zlib-1.2.13-0.json"));
    CHECK(dd__conda_path("conda-meta/zlib-1.2.13-0.json"));
    CHECK(!dd__conda_path("opt/conda/conda-meta/history"));
    CHECK(!dd__conda_path("opt/xconda-meta/a.json"));
    dd__vec_free(&v);
    dd__arena_free(&a);
}

TEST_LIST(T(test_lang2__gemspec),
          T(test_lang2__composer),
          T(test_lang2__dotnet_conda))
