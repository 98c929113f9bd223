/*
 * tests/unit/test_lang.c - application packages: the npm parsers on
 * valid, crafted and truncated input, and the "lang" row on fixture
 * images (scoped, nested, aliased packages, dev flags from lockfiles,
 * layer attribution, whiteouts, unreadable manifests as warnings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "fixture.h"
#include "harness.h"
#include "../../src/lib/lang/lang.h"
#include "../../src/util/util.h"

#define S(x) (const uint8_t *)(x), strlen(x)

static void test_npm_package(void)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__lang_pkg p;
    char why[256];
    CHECK(dd__npm_package(&a,
                          S("{\"name\":\"@s/x\",\"version\":\"1.2.3\","
                            "\"license\":\"MIT\"}"),
                          &p, why, sizeof why) == 0);
    CHECK_STR(p.name, "@s/x");
    CHECK_STR(p.version, "1.2.3");
    CHECK_STR(p.license, "MIT");
    CHECK(dd__npm_package(&a,
                          S("{\"name\":\"y\",\"version\":\"0.1.0\","
                            "\"license\":{\"type\":\"BSD-3-Clause\"}}"),
                          &p, why, sizeof why) == 0);
    CHECK_STR(p.license, "BSD-3-Clause");
    CHECK(dd__npm_package(&a,
                          S("{\"name\":\"z\",\"version\":\"2.0.0\","
                            "\"licenses\":[{\"type\":\"Apache-2.0\"}]}"),
                          &p, why, sizeof why) == 0);
    CHECK_STR(p.license, "Apache-2.0");
    CHECK(dd__npm_package(&a, S("{\"name\":\"z\",\"version\":\"2.0.0\"}"), &p,
                          why, sizeof why) == 0);
    CHECK(p.license == NULL);
    /* crafted */
    CHECK(dd__npm_package(&a, S("{\"name\":\"z\"}"), &p, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "version") != NULL);
    CHECK(dd__npm_package(&a, S("{\"name\":7,\"version\":\"1\"}"), &p, why,
                          sizeof why) == DD_EINVALID);
    CHECK(dd__npm_package(&a, S("[1,2]"), &p, why, sizeof why) == DD_EINVALID);
    CHECK(dd__npm_package(&a, S("{\"name\":\"a\\u0001b\",\"version\":\"1\"}"),
                          &p, why, sizeof why) == DD_EINVALID);
    char big[600];
    memset(big, 'a', sizeof big);
    char doc[800];
    snprintf(doc, sizeof doc, "{\"name\":\"%.*s\",\"version\":\"1\"}", 300,
             big);
    CHECK(dd__npm_package(&a, S(doc), &p, why, sizeof why) == DD_EINVALID);
    /* truncated: every prefix of a valid manifest fails cleanly */
    const char *ok = "{\"name\":\"lodash\",\"version\":\"4.17.15\"}";
    for (size_t n = 0; n < strlen(ok); n++) {
        CHECK(dd__npm_package(&a, (const uint8_t *)ok, n, &p, why,
                              sizeof why) == DD_EINVALID);
    }
    CHECK(dd__npm_package(&a, (const uint8_t *)ok, 20, &p, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "offset") != NULL);
    dd__arena_free(&a);
}

static void test_npm_root(void)
{
    CHECK(dd__npm_manifest_root("app/node_modules/x/package.json") == 4);
    CHECK(dd__npm_manifest_root("node_modules/x/package.json") == 0);
    CHECK(dd__npm_manifest_root("app/node_modules/@s/x/package.json") == 4);
    CHECK(dd__npm_manifest_root(
              "app/node_modules/a/node_modules/b/package.json") == 4);
    CHECK(dd__npm_manifest_root(
              "app/node_modules/a/node_modules/@s/b/package.json") == 4);
    CHECK(dd__npm_manifest_root("app/node_modules/x/lib/package.json") == -1);
    CHECK(dd__npm_manifest_root("app/node_modules/.bin/package.json") == -1);
    CHECK(dd__npm_manifest_root("app/package.json") == -1);
    CHECK(dd__npm_manifest_root("app/my_node_modules/x/package.json") == -1);
    CHECK(dd__npm_manifest_root("usr/share/nodejs/x/package.json") == -1);
    CHECK(dd__npm_manifest_root("package.json") == -1);
    CHECK(dd__npm_manifest_root("node_modules/package.json") == -1);
}

static void test_npm_lock(void)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__map m;
    CHECK(dd__map_init(&m) == 0);
    char why[256];
    int64_t v;
    CHECK(dd__npm_lock(&a,
                       S("{\"lockfileVersion\":3,\"packages\":{\"\":{},"
                         "\"node_modules/a\":{\"version\":\"1\"},"
                         "\"node_modules/b\":{\"dev\":true},"
                         "\"node_modules/a/node_modules/c\":{\"devOptional\":"
                         "true}}}"),
                       &m, why, sizeof why) == 0);
    CHECK(dd__map_get(&m, "node_modules/a", 14, &v) && v == 0);
    CHECK(dd__map_get(&m, "node_modules/b", 14, &v) && v == 1);
    CHECK(dd__map_get(&m, "node_modules/a/node_modules/c", 29, &v) && v == 1);
    dd__map_free(&m);
    CHECK(dd__map_init(&m) == 0);
    CHECK(dd__npm_lock(&a,
                       S("{\"lockfileVersion\":1,\"dependencies\":{"
                         "\"a\":{\"version\":\"1\",\"dependencies\":{"
                         "\"c\":{\"version\":\"2\",\"dev\":true}}},"
                         "\"b\":{\"version\":\"3\",\"dev\":true}}}"),
                       &m, why, sizeof why) == 0);
    CHECK(dd__map_get(&m, "node_modules/a", 14, &v) && v == 0);
    CHECK(dd__map_get(&m, "node_modules/b", 14, &v) && v == 1);
    CHECK(dd__map_get(&m, "node_modules/a/node_modules/c", 29, &v) && v == 1);
    dd__map_free(&m);
    CHECK(dd__map_init(&m) == 0);
    CHECK(dd__npm_lock(&a, S("{\"lockfileVersion\":2}"), &m, why, sizeof why) ==
          DD_EINVALID);
    CHECK(dd__npm_lock(&a, S("{\"packages\":{\"node_modules/a\""), &m, why,
                       sizeof why) == DD_EINVALID);
    /* deep v1 nesting is bounded, not a stack overflow */
    dd__buf b;
    dd__buf_init(&b, 0);
    dd__buf_addstr(&b, "{\"dependencies\":");
    for (int i = 0; i < 500; i++) {
        dd__buf_addstr(&b, "{\"x\":{\"dependencies\":");
    }
    dd__buf_addstr(&b, "{}");
    for (int i = 0; i < 500; i++) {
        dd__buf_addstr(&b, "}}");
    }
    dd__buf_addstr(&b, "}");
    int rc =
        dd__npm_lock(&a, (const uint8_t *)b.ptr, b.len, &m, why, sizeof why);
    CHECK(rc == 0 || rc == DD_EINVALID);
    dd__buf_free(&b);
    dd__map_free(&m);
    dd__arena_free(&a);
}

static void test_py_metadata(void)
{
    dd__arena a;
    dd__arena_init(&a);
    dd__lang_pkg p;
    char why[256];
    const char *m = "Metadata-Version: 2.1\r\nName: Foo_Bar.baz\r\n"
                    "Version: 1.0.post1\r\nLicense: BSD\r\n  more\r\n"
                    "\r\nName: not-this\n";
    CHECK(dd__py_metadata(&a, S(m), 0, &p, why, sizeof why) == 0);
    CHECK_STR(p.name, "Foo_Bar.baz");
    CHECK_STR(p.version, "1.0.post1");
    CHECK_STR(p.license, "BSD");
    CHECK(dd__py_metadata(&a,
                          S("Name: x\nVersion: 2\nLicense: MIT\n"
                            "License-Expression: Apache-2.0 OR MIT\n"),
                          0, &p, why, sizeof why) == 0);
    CHECK_STR(p.license, "Apache-2.0 OR MIT");
    CHECK(dd__py_metadata(&a, S("Name: x\nVersion: 2\nLicense: UNKNOWN\n"), 0,
                          &p, why, sizeof why) == 0);
    CHECK(p.license == NULL);
    /* truncated after the header block: complete; inside it: a limit */
    CHECK(dd__py_metadata(&a, S("Name: x\nVersion: 2\n\nlong text"), 1, &p, why,
                          sizeof why) == 0);
    CHECK(dd__py_metadata(&a, S("Name: x\nVersion: 2\nSumm"), 1, &p, why,
                          sizeof why) == DD_ELIMIT);
    /* crafted */
    CHECK(dd__py_metadata(&a, S("Version: 2\n"), 0, &p, why, sizeof why) ==
          DD_EINVALID);
    CHECK(strstr(why, "Name") != NULL);
    CHECK(dd__py_metadata(&a, S("Name: x\ngarbage line\n"), 0, &p, why,
                          sizeof why) == DD_EINVALID);
    CHECK(strstr(why, "line 2") != NULL);
    CHECK(dd__py_metadata(&a, S("Name: x\x01y\nVersion: 1\n"), 0, &p, why,
                          sizeof why) == DD_EINVALID);
    CHECK(dd__py_metadata(&a, S(""), 0, &p, why, sizeof why) == DD_EINVALID);
    const char *ok = "Name: requests\nVersion: 2.31.0\n";
    for (size_t n = 0; n < strlen(ok); n++) {
        int rc =
            dd__py_metadata(&a, (const uint8_t *)ok, n, 1, &p, why, sizeof why);
        CHECK(rc == DD_ELIMIT || rc == DD_EINVALID);
    }
    CHECK(dd__py_metadata_path("usr/lib/python3/dist-packages/"
                               "pip-23.0.1.dist-info/METADATA"));
    CHECK(dd__py_metadata_path("x/setuptools-66.1.1.egg-info/PKG-INFO"));
    CHECK(dd__py_metadata_path("x/six-1.16.0.egg-info"));
    CHECK(dd__py_metadata_path("x/foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO"));
    CHECK(!dd__py_metadata_path("x/pip/METADATA"));
    CHECK(!dd__py_metadata_path("METADATA"));
    CHECK(!dd__py_metadata_path("x/foo.dist-info/RECORD"));
    CHECK(!dd__py_metadata_path("x/PKG-INFO"));
    dd__arena_free(&a);
}

/* ---- fixture image ---------------------------------------------------- */

static void
pkgjson(fx_buf *t, const char *path, const char *name, const char *ver)
{
    char d[512];
    int n = snprintf(d, sizeof d,
                     "{\"name\":\"%s\",\"version\":\"%s\",\"license\":"
                     "\"MIT\"}",
                     name, ver);
    fx_tar_entry(t, path, '0', NULL, d, (size_t)n);
}

static const dd_package *find(const dd_inventory *inv, const char *path)
{
    for (size_t i = 0; i < dd_inventory_count(inv); i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        if (p->db_path && !strcmp(p->db_path, path)) {
            return p;
        }
    }
    return NULL;
}

static void test_npm_image(void)
{
    static const char LOCK[] =
        "{\"lockfileVersion\":3,\"packages\":{"
        "\"node_modules/jest\":{\"version\":\"29.0.0\",\"dev\":true},"
        "\"node_modules/lodash\":{\"version\":\"4.17.15\"}}}";
    fx_buf t[3] = {{0}}, g[3] = {{0}};
    fx_tar_entry(&t[0], "etc/os-release", '0', NULL,
                 "ID=debian\nVERSION_ID=\"12\"\n", 26);
    pkgjson(&t[0], "app/node_modules/lodash/package.json", "lodash", "4.17.15");
    pkgjson(&t[0], "app/node_modules/@scope/pkg/package.json", "@scope/pkg",
            "1.0.0");
    pkgjson(&t[0], "app/node_modules/a/package.json", "a", "1.0.0");
    pkgjson(&t[0], "app/node_modules/a/node_modules/lodash/package.json",
            "lodash", "3.10.1");
    pkgjson(&t[0], "app/node_modules/a/lib/package.json", "not-a-pkg", "9");
    pkgjson(&t[0], "app/node_modules/my-alias/package.json", "minimist",
            "1.2.0");
    pkgjson(&t[0], "app/node_modules/jest/package.json", "jest", "29.0.0");
    pkgjson(&t[0], "app/node_modules/gone/package.json", "gone", "1.0.0");
    fx_tar_entry(&t[0], "app/node_modules/broken/package.json", '0', NULL,
                 "{\"name\":\"broken\",", 18);
    fx_tar_entry(&t[0], "app/package-lock.json", '0', NULL, LOCK,
                 sizeof LOCK - 1);
    /* layer 1 upgrades @scope/pkg and deletes gone */
    pkgjson(&t[1], "app/node_modules/@scope/pkg/package.json", "@scope/pkg",
            "1.1.0");
    fx_tar_entry(&t[1], "app/node_modules/.wh.gone", '0', NULL, "", 0);
    for (size_t i = 0; i < 2; i++) {
        fx_tar_end(&t[i]);
        fx_gzip(&t[i], &g[i]);
    }
    char *dir = fx_tempdir();
    fx_oci_layout(dir, "t:1", "amd64", g, t, 2, "");
    for (size_t i = 0; i < 2; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
    dd_error err;
    dd_image *img = NULL;
    dd_engine *eng = NULL;
    dd_scan *s = NULL;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    CHECK(dd_engine_new(&eng, NULL, &err) == 0);
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.scanners = DD_SCANNER_PACKAGES;
    CHECK(dd_scan_run(&s, eng, img, &so, &err) == 0);
    const dd_inventory *inv = dd_scan_inventory(s);
    size_t npm = 0;
    for (size_t i = 0; i < dd_inventory_count(inv); i++) {
        npm += dd_inventory_get(inv, i)->type == DD_PKG_NPM;
    }
    CHECK(npm == 6);
    const dd_package *p = find(inv, "app/node_modules/@scope/pkg/package.json");
    CHECK(p && p->layer == 1);
    CHECK_STR(p->version, "1.1.0");
    char *u = dd_package_purl(p, dd_inventory_os(inv));
    CHECK_STR(u, "pkg:npm/%40scope/pkg@1.1.0");
    dd_string_free(u);
    p = find(inv, "app/node_modules/a/node_modules/lodash/package.json");
    CHECK(p && p->layer == 0 && !strcmp(p->version, "3.10.1"));
    p = find(inv, "app/node_modules/lodash/package.json");
    CHECK(p && !strcmp(p->version, "4.17.15") && !p->dev);
    CHECK_STR(p->license, "MIT");
    CHECK_STR(dd_pkg_type_name(p->type), "npm");
    p = find(inv, "app/node_modules/my-alias/package.json");
    CHECK(p && !strcmp(p->name, "minimist"));
    p = find(inv, "app/node_modules/jest/package.json");
    CHECK(p && p->dev == 1);
    CHECK(!find(inv, "app/node_modules/gone/package.json"));
    CHECK(!find(inv, "app/node_modules/a/lib/package.json"));
    CHECK(!dd_inventory_complete(inv));
    int warned = 0;
    for (size_t i = 0; i < dd_inventory_warning_count(inv); i++) {
        const char *w = dd_inventory_warning(inv, i);
        warned += strstr(w, "app/node_modules/broken/package.json (layer 0)") &&
                  strstr(w, "offset");
    }
    CHECK(warned == 1);
    dd_scan_free(s);
    dd_engine_free(eng);
    dd_image_free(img);
    fx_rmtree(dir);
}

TEST_LIST({"npm_package", test_npm_package},
          {"npm_root", test_npm_root},
          {"npm_lock", test_npm_lock},
          {"npm_image", test_npm_image},
          {"py_metadata", test_py_metadata})
