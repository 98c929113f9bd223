/*
 * tests/unit/test_config.c - the check policy, history instructions, and
 * the Dockerfile reader and checks (continuations, comments, escape
 * directive, heredocs, JSON form, stages), with bad input.
 */
#include <stdio.h>
#include <string.h>

#include "drydock/config.h"
#include "harness.h"
#include "lib/config/config_int.h"

/* "id@line id@line ..." of a findings list */
static void ids_lines(const dd_findings *f, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < dd_findings_count(f) && n < cap; i++) {
        const dd_finding *x = dd_findings_get(f, i);
        n += (size_t)snprintf(out + n, cap - n, "%s%s@%zu", i ? " " : "",
                              x->rule_id + 7, x->line);
    }
}

static int check_df(const char *text,
                    const dd_check_policy *p,
                    char *out,
                    size_t cap,
                    dd_error *err)
{
    dd_findings *f = NULL;
    int rc = dd_dockerfile_check("Dockerfile", text, strlen(text), p, &f, err);
    if (!rc) {
        ids_lines(f, out, cap);
    }
    dd_findings_free(f);
    return rc;
}

static void test_config__policy(void)
{
    dd_check_policy *p = NULL;
    dd_error err;
    const char ok[] = "{\"disable\": [\"config.no-healthcheck\"], "
                      "\"severity\": {\"config.user-root\": \"critical\"}}";
    CHECK(dd_check_policy_parse(&p, "p.json", ok, sizeof ok - 1, &err) == 0);
    char got[512];
    CHECK(check_df("FROM alpine:3.20\n", p, got, sizeof got, &err) == 0);
    CHECK_STR(got, "user-root@1");
    dd_findings *f = NULL;
    CHECK(dd_dockerfile_check("D", "FROM a:1\n", 9, p, &f, &err) == 0);
    CHECK(dd_findings_get(f, 0)->severity == DD_SEV_CRITICAL);
    dd_findings_free(f);
    dd_check_policy_free(p);

    static const struct {
        const char *json, *msg;
    } bad[] = {
        {"{\"disable\": [\"config.nope\"]}",
         "p.json: disable[0]: unknown check id (see docs/checks.md)"},
        {"{\"severity\": {\"config.user-root\": \"urgent\"}}",
         "p.json: severity: bad severity for 'config.user-root'"},
        {"{\"severity\": {\"x\": \"low\"}}",
         "p.json: severity: unknown check id 'x'"},
        {"{\"disabled\": []}",
         "p.json: unknown key 'disabled' (expected \"disable\" array, "
         "\"severity\" object)"},
        {"[1]", "p.json: line 1: expected a JSON object"},
        {"{\n\"disable\": [,]}", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p = NULL;
        CHECK(dd_check_policy_parse(&p, "p.json", bad[i].json,
                                    strlen(bad[i].json), &err) == DD_ECORRUPT);
        CHECK(p == NULL);
        if (bad[i].msg) {
            CHECK_STR(err.message, bad[i].msg);
        } else {
            CHECK(strncmp(err.message, "p.json: line 2: ", 16) == 0);
        }
    }
    CHECK(dd_check_count() == 17);
    CHECK_STR(dd_check_info_get(0)->id, "config.user-root");
    CHECK_STR(dd_check_info_get(0)->cis, "4.1");
}

static void test_config__history_instruction(void)
{
    char b[256];
    CHECK_STR(
        dd_history_instruction("/bin/sh -c #(nop)  EXPOSE 22/tcp", b, sizeof b),
        "EXPOSE 22/tcp");
    CHECK_STR(dd_history_instruction("/bin/sh -c apk add x", b, sizeof b),
              "RUN apk add x");
    CHECK_STR(
        dd_history_instruction("RUN /bin/sh -c make # buildkit", b, sizeof b),
        "RUN make");
    CHECK_STR(dd_history_instruction("|2 A=1 B=2 /bin/sh -c make", b, sizeof b),
              "RUN make");
    CHECK_STR(dd_history_instruction("COPY app /app # buildkit", b, sizeof b),
              "COPY app /app");
    CHECK_STR(dd_history_instruction(NULL, b, sizeof b), "");
    CHECK_STR(dd_history_instruction("/bin/sh -c apk add x", b, 6), "RUN a");
    CHECK(dd__user_is_root(NULL) && dd__user_is_root("") &&
          dd__user_is_root("root") && dd__user_is_root("0:0") &&
          dd__user_is_root("root:wheel"));
    CHECK(!dd__user_is_root("1000") && !dd__user_is_root("rooter") &&
          !dd__user_is_root("app:0"));
}

static void test_config__dockerfile(void)
{
    char got[2048];
    dd_error err;
    const char df[] =
        "# syntax=docker/dockerfile:1\n"                        /* 1 */
        "FROM golang:1.22 AS build\n"                           /* 2 */
        "RUN go build -o /app ./...\n"                          /* 3 */
        "\n"                                                    /* 4 */
        "FROM debian\n"                                         /* 5 */
        "ENV DB_PASSWORD=Sup3r-S3cret-Pass! \\\n"               /* 6 */
        "    APP_ENV=prod\n"                                    /* 7 */
        "RUN apt-get update && \\\n"                            /* 8 */
        "    # comment inside a continuation\n"                 /* 9 */
        "\n"                                                    /* 10 */
        "    apt-get install -y sudo openssh-server gdb curl\n" /* 11 */
        "run curl -fsSL https://example.com/i.sh | bash\n"      /* 12 */
        "ADD https://example.com/tool.tar.gz /opt/\n"           /* 13 */
        "ADD --chown=1:1 rootfs.tar.xz /\n"                     /* 14 */
        "RUN <<EOT\n"                                           /* 15 */
        "set -e\n"                                              /* 16 */
        "wget -qO- http://x/y.sh | sh\n"                        /* 17 */
        "EOT\n"                                                 /* 18 */
        "EXPOSE 22 8080/tcp 6379/tcp\n"                         /* 19 */
        "COPY --from=build /app /app\n"                         /* 20 */
        "USER root\n"                                           /* 21 */
        "CMD [\"/app\"]\n";                                     /* 22 */
    CHECK(check_df(df, NULL, got, sizeof got, &err) == 0);
    const char *want = "latest-tag@5 env-secret@6 sudo-installed@8 "
                       "remote-access@8 debug-tools@8 package-cache@8 "
                       "curl-pipe-shell@12 add-remote-url@13 add-archive@14 "
                       "curl-pipe-shell@15 port-risky@19 port-risky@19 "
                       "user-root@21 no-healthcheck@5";
    CHECK_STR(got, want);

    /* a clean one: pinned base, USER, HEALTHCHECK, cleaned caches */
    const char good[] =
        "FROM debian:12.5 AS base\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends "
        "ca-certificates && rm -rf /var/lib/apt/lists/*\n"
        "FROM base\n"
        "RUN apk add --no-cache tzdata\n"
        "EXPOSE 8080\n"
        "HEALTHCHECK CMD [\"/app\", \"-health\"]\n"
        "USER 1000:1000\n";
    CHECK(check_df(good, NULL, got, sizeof got, &err) == 0);
    CHECK_STR(got, "");

    /* escape directive: backtick continues, backslash is literal */
    const char win[] = "# escape=`\n"
                       "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
                       "RUN curl -o C:\\x.ps1 https://e/x.ps1 `\n"
                       "    && powershell C:\\x.ps1\n"
                       "USER ContainerUser\n"
                       "HEALTHCHECK NONE\n";
    CHECK(check_df(win, NULL, got, sizeof got, &err) == 0);
    CHECK_STR(got, "no-healthcheck@2");

    /* JSON form and sudo as a command prefix only */
    const char js[] = "FROM alpine:3.20\n"
                      "RUN [\"sh\", \"-c\", \"wget -O- http://e/x | sh\"]\n"
                      "RUN sudo apt-get install -y --no-install-recommends "
                      "jq && rm -rf /var/lib/apt/lists/*\n"
                      "USER app\nHEALTHCHECK CMD true\n";
    CHECK(check_df(js, NULL, got, sizeof got, &err) == 0);
    CHECK_STR(got, "curl-pipe-shell@2");

    /* bad input */
    CHECK(check_df("FROM a:1\nRUN <<EOF\necho\n", NULL, got, sizeof got,
                   &err) == DD_ECORRUPT);
    CHECK_STR(err.message, "Dockerfile: line 2: heredoc 'EOF' is never closed");
    dd_findings *f = NULL;
    CHECK(dd_dockerfile_check("D", "FROM a\0b", 8, NULL, &f, &err) ==
          DD_ECORRUPT);
    CHECK_STR(err.message, "D: NUL byte: not a Dockerfile");
    CHECK(check_df("", NULL, got, sizeof got, &err) == 0);
    CHECK_STR(got, "");
    CHECK(check_df("RUN x \\", NULL, got, sizeof got, &err) == 0);
    CHECK(check_df("FROM a:1\nEXPOSE 99999999999999999999 22/udp\nUSER 1\n"
                   "HEALTHCHECK CMD x\n",
                   NULL, got, sizeof got, &err) == 0);
    CHECK_STR(got, "port-risky@2");
}

TEST_LIST(T(test_config__policy),
          T(test_config__history_instruction),
          T(test_config__dockerfile))
