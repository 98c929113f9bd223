/*
 * cli/cmd_vercmp.c - `drydock vercmp TYPE A B` and `drydock vercmp TYPE -`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_opt vercmp_opts[] = {
    {"loose", 0, NULL, 1, 0, NULL, "node-semver loose parsing (semver types)"},
    {"include-prerelease", 0, NULL, 2, 0, NULL,
     "node-semver: ranges match prereleases"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_vercmp = {
    "vercmp",
    "TYPE [options] A B\n"
    "       drydock vercmp TYPE [options] -   (lines \"A<TAB>B\" on "
    "stdin)",
    "Compare two versions the way the ecosystem does; prints -1, 0 or 1\n"
    "(\"invalid\" when a version is not valid in TYPE).\n"
    "  TYPE: dpkg, rpm, apk, semver, pep440, maven, rubygems, composer,\n"
    "    nuget, go, and\n"
    "    semver-range   A is a node-semver range, B a version: true/false\n"
    "    apk-match      A OP B (three fields: OP is <, <=, =, >=, >, ~, <~,\n"
    "                   >~, optionally negated with !): true/false\n"
    "    apk-valid      one field: valid/invalid\n"
    "Exit status: 0, 1 when any line was invalid, 2 on usage errors.\n",
    vercmp_opts,
    0,
    NULL,
    1};

static int vc_opt(void *ctx, int key, const char *label, const char *v)
{
    (void)label;
    (void)v;
    *(unsigned *)ctx |=
        key == 1 ? DD_SEMVER_LOOSE : DD_SEMVER_INCLUDE_PRERELEASE;
    return 0;
}

enum { K_RANGE = 100, K_APK_MATCH, K_APK_VALID };

typedef struct opts {
    int kind; /* a dd_version_scheme, or K_RANGE, K_APK_MATCH, K_APK_VALID */
    unsigned flags;
} opts;

/* Print one result; returns 0, or 1 when the input was invalid. */
static int one(const opts *o, char **f, size_t nf)
{
    size_t need = o->kind == K_APK_VALID ? 1 : o->kind == K_APK_MATCH ? 3 : 2;
    if (nf != need) {
        puts("invalid");
        return 1;
    }
    int r;
    if (o->kind == K_APK_VALID) {
        puts(dd_apk_version_valid(f[0]) ? "valid" : "invalid");
        return 0;
    }
    if (o->kind == K_APK_MATCH) {
        r = dd_apk_version_match(f[0], f[1], f[2]);
    } else if (o->kind == K_RANGE) {
        r = dd_semver_satisfies(f[0], f[1], o->flags);
        if (r == DD_EINVALID) {
            r = 0; /* node-semver: an invalid range satisfies nothing */
        }
    } else {
        int c = 0;
        r = o->kind == DD_VER_SEMVER
                ? dd_semver_compare(f[0], f[1], o->flags, &c)
                : dd_version_compare((dd_version_scheme)o->kind, f[0], f[1],
                                     &c);
        if (r == 0) {
            printf("%d\n", c);
            return 0;
        }
    }
    if (r < 0) {
        puts("invalid");
        return 1;
    }
    puts(r ? "true" : "false");
    return 0;
}

int cmd_vercmp(int argc, char **argv)
{
    opts o = {-1, 0};
    const char *ppos[CLI_MAX_POS];
    size_t np = 0;
    int prc = cli_parse(&cli_cmd_vercmp, NULL, argc, argv, vc_opt, &o.flags,
                        ppos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_vercmp, ppos, np, 2, 4, "TYPE and A B"))) {
        return prc;
    }
    char *pos[4];
    for (size_t i = 0; i < np; i++) {
        pos[i] = (char *)ppos[i];
    }
    dd_version_scheme s;
    if (!dd_version_scheme_parse(pos[0], &s)) {
        o.kind = (int)s;
    } else if (!strcmp(pos[0], "semver-range")) {
        o.kind = K_RANGE;
    } else if (!strcmp(pos[0], "apk-match")) {
        o.kind = K_APK_MATCH;
    } else if (!strcmp(pos[0], "apk-valid")) {
        o.kind = K_APK_VALID;
    } else {
        fprintf(stderr,
                "drydock vercmp: unknown TYPE '%s'; see 'drydock vercmp "
                "--help'\n",
                cli_esc(pos[0]));
        return EXIT_USAGE;
    }
    if (np == 2 && !strcmp(pos[1], "-")) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        int bad = 0;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
                line[--n] = '\0';
            }
            char *f[4];
            size_t nf = 0;
            char *p = line;
            for (;;) {
                char *tab = strchr(p, '\t');
                if (nf < 4) {
                    f[nf++] = p;
                }
                if (!tab) {
                    break;
                }
                *tab = '\0';
                p = tab + 1;
            }
            if (o.kind == K_RANGE && nf > 2) {
                /* a range may itself hold tabs: the version is last */
                for (size_t k = 1; k + 1 < nf; k++) {
                    f[k][-1] = '\t';
                }
                f[1] = f[nf - 1];
                nf = 2;
            }
            bad |= one(&o, f, nf);
        }
        free(line); /* getline's buffer */
        return bad;
    }
    return one(&o, pos + 1, np - 1);
}
