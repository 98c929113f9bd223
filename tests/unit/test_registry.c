/*
 * tests/unit/test_registry.c - image references (normalisation, the
 * grammar's corner cases), WWW-Authenticate challenges and credentials
 * from docker/podman config files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/registry/registry_int.h"

static void test_registry__refs(void)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"nginx", "docker.io/library/nginx:latest"},
        {"nginx:1.25", "docker.io/library/nginx:1.25"},
        {"bitnami/redis", "docker.io/bitnami/redis:latest"},
        {"index.docker.io/library/alpine:3", "docker.io/library/alpine:3"},
        {"localhost/app", "localhost/app:latest"},
        {"localhost:5000/team/app:v1.2_3-rc",
         "localhost:5000/team/app:v1.2_3-rc"},
        {"127.0.0.1:5443/alpine:3.20", "127.0.0.1:5443/alpine:3.20"},
        {"ghcr.io/o/r/x@sha256:"
         "e2b869d5f1541ae4638bdeeb2e014916594abca0c02152b7f2d7173863792d68",
         "ghcr.io/o/r/x@sha256:"
         "e2b869d5f1541ae4638bdeeb2e014916594abca0c02152b7f2d7173863792d68"},
        {"a.io/b:t@sha256:"
         "e2b869d5f1541ae4638bdeeb2e014916594abca0c02152b7f2d7173863792d68",
         "a.io/b:t@sha256:"
         "e2b869d5f1541ae4638bdeeb2e014916594abca0c02152b7f2d7173863792d68"},
        {"a.io/x__y/a-b--c.d_e", "a.io/x__y/a-b--c.d_e:latest"},
        {"[::1]:5000/app", "[::1]:5000/app:latest"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        dd__ref r;
        dd_error err;
        char got[600];
        CHECK(dd__ref_parse(ok[i].in, &r, &err) == 0);
        dd__ref_string(&r, got, sizeof got);
        CHECK_STR(got, ok[i].out);
    }
    static const char *const bad[] = {
        "",
        "Nginx",
        "nginx:",
        "nginx:-x",
        "a.io/b/",
        "a.io//b",
        "a.io/b@sha256:abc",
        "a.io/b@md5:e2b869d5f1541ae4638bdeeb2e014916",
        "a.io/-b",
        "a.io/b_-c",
        "a.io/b..c",
        "a.io/b___c",
        "bad host:1/x",
        "a.io:99999x/b",
        "a.io/b:t\n",
        ("a.io/b:012345678901234567890123456789012345678901234567890123456789"
         "0123456789012345678901234567890123456789012345678901234567890123456"
         "789"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        dd__ref r;
        dd_error err;
        if (dd__ref_parse(bad[i], &r, &err) != DD_EINVALID) {
            char m[200];
            snprintf(m, sizeof m, "accepted bad reference '%s'", bad[i]);
            dd_test_fail(__FILE__, __LINE__, m);
            return;
        }
    }
    CHECK(!dd__ref_looks_remote("nginx")); /* could be a file name */
    CHECK(!dd__ref_looks_remote("/tmp"));
    CHECK(!dd__ref_looks_remote("./x.tar"));
    CHECK(dd__ref_looks_remote("127.0.0.1:5000/app:1"));
    CHECK(dd__ref_looks_remote("registry.example.com/team/app"));
}

static void test_registry__challenges(void)
{
    dd__challenge c;
    const char *b = "Bearer realm=\"https://auth.docker.io/token\","
                    "service=\"registry.docker.io\",scope=\"repository:"
                    "library/nginx:pull\"";
    CHECK(dd__challenge_parse(b, strlen(b), &c) == 0);
    CHECK(c.bearer);
    CHECK_STR(c.realm, "https://auth.docker.io/token");
    CHECK_STR(c.service, "registry.docker.io");
    CHECK_STR(c.scope, "repository:library/nginx:pull");
    const char *basic = "Basic realm=\"basic-realm\"";
    CHECK(dd__challenge_parse(basic, strlen(basic), &c) == 0 && !c.bearer);
    const char *unq = "bearer realm=https://r.example/t, service=reg";
    CHECK(dd__challenge_parse(unq, strlen(unq), &c) == 0);
    CHECK_STR(c.service, "reg");
    const char *esc = "Bearer realm=\"https://a/\\\"q\\\"\"";
    CHECK(dd__challenge_parse(esc, strlen(esc), &c) == 0);
    CHECK_STR(c.realm, "https://a/\"q\"");
    static const char *const bad[] = {"Digest realm=\"x\"",
                                      "Bearer realm=\"https://x",
                                      "Bearer realm=/x", "Bearer", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(dd__challenge_parse(bad[i], strlen(bad[i]), &c) == DD_ECORRUPT);
    }
}

static void test_registry__creds(void)
{
    char dir[] = "/tmp/dd-creds-XXXXXX";
    CHECK(mkdtemp(dir));
    char p[300];
    snprintf(p, sizeof p, "%s/config.json", dir);
    FILE *f = fopen(p, "w");
    /* dGVzdHVzZXI6dGVzdDpwYXNz = testuser:test:pass */
    fputs("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": "
          "\"aHViOmh1YnB3\"}, \"127.0.0.1:5443\": {\"auth\": "
          "\"dGVzdHVzZXI6dGVzdDpwYXNz\"}, \"reg.example\": {\"username\": "
          "\"u\", \"password\": \"p\"}, \"bad.example\": {\"auth\": "
          "\"bm9jb2xvbg==\"}}}",
          f);
    fclose(f);
    char u[64], s[64];
    dd_error err;
    CHECK(dd__creds_lookup("127.0.0.1:5443", p, u, sizeof u, s, sizeof s,
                           &err) == 1);
    CHECK_STR(u, "testuser");
    CHECK_STR(s, "test:pass");
    CHECK(dd__creds_lookup("docker.io", p, u, sizeof u, s, sizeof s, &err) ==
          1);
    CHECK_STR(u, "hub");
    CHECK(dd__creds_lookup("reg.example", p, u, sizeof u, s, sizeof s, &err) ==
          1);
    CHECK_STR(s, "p");
    CHECK(dd__creds_lookup("other.example", p, u, sizeof u, s, sizeof s,
                           &err) == 0);
    CHECK(dd__creds_lookup("bad.example", p, u, sizeof u, s, sizeof s, &err) ==
          DD_ECORRUPT);
    CHECK(strstr(err.message, "is not base64 of user:password") != NULL);
    f = fopen(p, "w");
    fputs("{\"auths\": {", f);
    fclose(f);
    CHECK(dd__creds_lookup("x", p, u, sizeof u, s, sizeof s, &err) ==
          DD_ECORRUPT);
    CHECK(strncmp(err.message, p, strlen(p)) == 0);
    /* $DOCKER_CONFIG is read when no file is given */
    f = fopen(p, "w");
    fputs("{\"auths\": {\"env.example\": {\"auth\": \"YTpi\"}}}", f);
    fclose(f);
    setenv("DOCKER_CONFIG", dir, 1);
    CHECK(dd__creds_lookup("env.example", NULL, u, sizeof u, s, sizeof s,
                           &err) == 1);
    CHECK_STR(u, "a");
    unsetenv("DOCKER_CONFIG");
    unlink(p);
    rmdir(dir);
}

TEST_LIST(T(test_registry__refs),
          T(test_registry__challenges),
          T(test_registry__creds))
