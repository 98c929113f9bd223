/*
 * cli/cmd_lookalike.c - `drydock lookalike [--trusted NAME]... NAME...`:
 * does an image name imitate an official image, a well-known publisher or
 * registry host?
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_opt lookalike_opts[] = {
    {"trusted", 0, "NAME", 1, CLI_REPEAT, NULL,
     "a reference or a prefix such as ghcr.io/myorg that is always quiet; "
     "may repeat"},
    {"format", 'f', "FORMAT", CLI_K_FORMAT, 0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_lookalike = {
    "lookalike",
    "[--trusted NAME]... [--format table|json] NAME...",
    "Canonicalise each image reference and report it when it looks like an\n"
    "official image, a well-known publisher namespace or registry host\n"
    "(rule trust.lookalike-name).\n"
    "Exit status: 0 none, 1 a look-alike, 2 usage or invalid reference.\n",
    lookalike_opts,
    0,
    "table,json",
    0};

typedef struct la_args {
    const char *trusted[64];
    size_t nt;
} la_args;

static int la_opt(void *ctx, int key, const char *label, const char *v)
{
    (void)key;
    la_args *a = ctx;
    if (a->nt == sizeof a->trusted / sizeof a->trusted[0]) {
        fprintf(stderr, "drydock lookalike: too many %s\n", label);
        return EXIT_USAGE;
    }
    a->trusted[a->nt++] = v;
    return 0;
}

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
    static la_args la;
    memset(&la, 0, sizeof la);
    cli_common c;
    cli_common_init(&c);
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc =
        cli_parse(&cli_cmd_lookalike, &c, argc, argv, la_opt, &la, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_lookalike, pos, np, 1, CLI_MAX_POS, "NAME"))) {
        return prc;
    }
    const char **trusted = la.trusted;
    size_t nt = la.nt;
    int json = !strcmp(c.format, "json"), any = 0, bad = 0, names = 0;
    if (json) {
        putchar('[');
    }
    for (size_t pi = 0; pi < np; pi++) {
        const char *name = pos[pi];
        dd_lookalike_result r;
        dd_error err;
        if (dd_lookalike_check(name, trusted, nt, &r, &err)) {
            fprintf(stderr, "drydock lookalike: %s\n", err.message);
            bad = 1;
            continue;
        }
        any |= r.lookalike;
        if (json) {
            printf("%s{\"name\":", names ? "," : "");
            json_str(name);
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
                   dd_severity_name(r.severity), name, DD_LOOKALIKE_RULE,
                   r.target, r.signal);
        } else {
            printf("%-8s %s  (%s)\n", "ok", name, r.canonical);
        }
        names++;
    }
    if (json) {
        puts("]");
    }
    return bad ? EXIT_USAGE : any ? EXIT_FINDINGS : EXIT_CLEAN;
}
