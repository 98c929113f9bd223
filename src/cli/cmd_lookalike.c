/*
 * cli/cmd_lookalike.c - `drydock lookalike [--trusted NAME]... NAME...`:
 * does an image name imitate an official image, a well-known publisher or
 * registry host?
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: drydock lookalike [--trusted NAME]... [--format table|json] "
    "NAME...\n"
    "\n"
    "Canonicalise each image reference and report it when it looks like an\n"
    "official image, a well-known publisher namespace or registry host\n"
    "(rule trust.lookalike-name). --trusted NAME (repeatable; a reference or\n"
    "a prefix such as ghcr.io/myorg) is always quiet.\n"
    "Exit status: 0 none, 1 a look-alike, 2 usage or invalid reference.\n";

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

int cmd_lookalike(int argc, char **argv)
{
    const char *trusted[64];
    size_t nt = 0;
    int json = 0, any = 0, bad = 0, names = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--trusted") && i + 1 < argc) {
            if (nt == sizeof trusted / sizeof trusted[0]) {
                fputs("drydock lookalike: too many --trusted\n", stderr);
                return EXIT_USAGE;
            }
            trusted[nt++] = argv[++i];
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            i++;
            json = !strcmp(argv[i], "json");
            if (!json && strcmp(argv[i], "table")) {
                fprintf(stderr, "drydock lookalike: unknown format '%s'\n",
                        argv[i]);
                return EXIT_USAGE;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "drydock lookalike: unknown option '%s'\n%s",
                    argv[i], usage);
            return EXIT_USAGE;
        }
    }
    if (json) {
        putchar('[');
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--trusted") || !strcmp(argv[i], "--format")) {
            i++;
            continue;
        }
        dd_lookalike_result r;
        dd_error err;
        if (dd_lookalike_check(argv[i], trusted, nt, &r, &err)) {
            fprintf(stderr, "drydock lookalike: %s\n", err.message);
            bad = 1;
            continue;
        }
        any |= r.lookalike;
        if (json) {
            printf("%s{\"name\":", names ? "," : "");
            json_str(argv[i]);
            printf(",\"canonical\":");
            json_str(r.canonical);
            if (r.lookalike) {
                printf(",\"rule_id\":\"%s\",\"severity\":\"%s\",\"target\":",
                       DD_LOOKALIKE_RULE, dd_severity_name(r.severity));
                json_str(r.target);
                printf(",\"signal\":\"%s\",\"detail\":", r.signal);
                json_str(r.detail);
            }
            putchar('}');
        } else if (r.lookalike) {
            printf("%-8s %s  %s: looks like %s (%s)\n",
                   dd_severity_name(r.severity), argv[i], DD_LOOKALIKE_RULE,
                   r.target, r.signal);
        } else {
            printf("%-8s %s  (%s)\n", "ok", argv[i], r.canonical);
        }
        names++;
    }
    if (json) {
        puts("]");
    }
    if (!names && !bad) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    return bad ? EXIT_USAGE : any ? EXIT_FINDINGS : EXIT_CLEAN;
}
