/*
 * cli/cmd_sbom.c - `drydock sbom IMAGE`: the OS package inventory as a
 * table, drydock JSON, CycloneDX 1.6 or SPDX 2.3.
 */
#include <string.h>

#include "cli.h"

static const cli_opt sbom_opts[] = {
    {"files", 0, NULL, 1, 0, NULL, "json: list each package's files"},
    {"lockfiles", 0, NULL, 2, 0, NULL,
     "also list the packages pinned in project lockfiles (package-lock.json, "
     "yarn.lock, poetry.lock, go.mod, pom.xml, ...); Cargo.lock is always "
     "read, and every lockfile of an fs: project"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_sbom = {
    "sbom",
    "IMAGE [options]",
    "Inventory the OS packages (dpkg, apk, rpm) and language packages\n"
    "visible in the image's final filesystem, each attributed to the layer\n"
    "that installed it. Formats: table, json (drydock's own), cyclonedx\n"
    "(CycloneDX 1.6 JSON), spdx (SPDX 2.3 JSON).\n"
    "Warnings about damaged package databases and the image's findings go\n"
    "to stderr; the exit status is 0 unless the image could not be read\n"
    "(3) or a package database was read only in part (4).\n",
    sbom_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json,cyclonedx,spdx",
    0};

typedef struct sbom_args {
    int files, lockfiles;
} sbom_args;

static int sbom_opt(void *ctx, int key, const char *label, const char *val)
{
    (void)label;
    (void)val;
    sbom_args *a = ctx;
    if (key == 2) {
        a->lockfiles = 1;
    } else {
        a->files = 1;
    }
    return 0;
}

/* "source-name source-version" where they differ from the package's */
static size_t source_of(const dd_package *p, char *src, size_t n)
{
    src[0] = '\0';
    if (p->source_name && strcmp(p->source_name, p->name)) {
        snprintf(src, n, "%s", p->source_name);
    }
    if (p->source_version && strcmp(p->source_version, p->version)) {
        size_t l = strlen(src);
        snprintf(src + l, n - l, "%s%s", l ? " " : "", p->source_version);
    }
    return strlen(src);
}

static void table(FILE *out, const dd_image *img, const dd_inventory *inv)
{
    const dd_os_info *os = dd_inventory_os(inv);
    const dd_image_info *info = dd_image_info_get(img);
    if (os) {
        fprintf(out, "OS: %s (%s %s%s%s)",
                cli_esc(os->name ? os->name : os->family), cli_esc(os->family),
                os->version ? cli_esc(os->version) : "?",
                os->codename ? ", " : "", cli_esc(os->codename));
        if (os->eol > 0) {
            fprintf(out, " - END OF LIFE since %s", cli_esc(os->eol_date));
        } else if (os->eol == 0) {
            fprintf(out, " - supported until %s", cli_esc(os->eol_date));
        } else {
            fprintf(out, " - end of life unknown");
        }
        fputc('\n', out);
    } else {
        fprintf(out, "OS: not detected\n");
    }
    size_t n = dd_inventory_count(inv);
    size_t wn = 4, wv = 7, wa = 4;
    for (size_t i = 0; i < n; i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        size_t a = strlen(p->name), b = strlen(p->version),
               c = p->arch ? strlen(p->arch) : 1;
        wn = a > wn ? a : wn;
        wv = b > wv ? b : wv;
        wa = c > wa ? c : wa;
    }
    wn = wn > 40 ? 40 : wn;
    wv = wv > 40 ? 40 : wv;
    size_t ws = 6;
    for (size_t i = 0; i < n; i++) {
        char src[300];
        size_t l = source_of(dd_inventory_get(inv, i), src, sizeof src);
        ws = l > ws ? l : ws;
    }
    ws = ws > 40 ? 40 : ws;
    fprintf(out, "%-4s  %-*s  %-*s  %-*s  %-5s  %-*s  %s\n", "TYPE", (int)wn,
            "NAME", (int)wv, "VERSION", (int)wa, "ARCH", "LAYER", (int)ws,
            "SOURCE", "LICENSE");
    size_t counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        /* 0: an application package (npm, PyPI, Go, ...) */
        counts[p->type == DD_PKG_DPKG || p->type == DD_PKG_APK ||
                       p->type == DD_PKG_RPM
                   ? p->type
                   : 0]++;
        char src[300];
        source_of(p, src, sizeof src);
        /* the license as an SPDX expression (json has it whole) */
        char *lic = NULL;
        if (p->license) {
            (void)dd_license_normalize(p->license, strlen(p->license), &lic,
                                       NULL);
        }
        char shown[72] = "-";
        if (lic && strlen(lic) >= sizeof shown) {
            snprintf(shown, sizeof shown, "%.*s...", (int)sizeof shown - 4,
                     lic);
        } else if (lic) {
            snprintf(shown, sizeof shown, "%s", lic);
        }
        dd_string_free(lic);
        fprintf(out, "%-4s  %-*s  %-*s  %-*s  %-5d  %-*s  %s\n",
                dd_pkg_type_name(p->type), (int)wn, cli_esc(p->name), (int)wv,
                cli_esc(p->version), (int)wa, p->arch ? cli_esc(p->arch) : "-",
                p->layer, (int)ws, cli_esc(src), cli_esc(shown));
    }
    fprintf(out,
            "%zu packages (dpkg %zu, apk %zu, rpm %zu, application %zu) in "
            "%zu layers\n",
            n, counts[DD_PKG_DPKG], counts[DD_PKG_APK], counts[DD_PKG_RPM],
            counts[0], info->n_layers);
}

int cmd_sbom(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    sbom_args sa = {0, 0};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_sbom, &c, argc, argv, sbom_opt, &sa, pos, &np);
    int files = sa.files;
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_sbom, pos, np, 1, 1, "IMAGE"))) {
        return rc;
    }
    c.image = pos[0];
    const char *format = c.format, *output = c.output;
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd_engine *eng = NULL;
    rc = cli_make_engine(&c, NULL, 1, &eng);
    if (rc) {
        return rc;
    }
    dd_scan_opts sopts = DD_SCAN_OPTS_INIT;
    sopts.scanners = DD_SCANNER_PACKAGES;
    sopts.lockfiles = sa.lockfiles;
    rc = cli_open_scan(&c, eng, &sopts, &img, &scan);
    dd_engine_free(eng); /* the scan keeps its own reference */
    if (rc) {
        return rc;
    }
    const dd_inventory *inv = dd_scan_inventory(scan);
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        perror(output);
        dd_scan_free(scan);
        dd_image_free(img);
        return EXIT_USAGE;
    }
    int werr = 0;
    if (!strcmp(format, "table")) {
        table(out, img, inv);
    } else {
        dd_sbom_format f = !strcmp(format, "cyclonedx") ? DD_SBOM_CYCLONEDX
                           : !strcmp(format, "spdx")    ? DD_SBOM_SPDX
                                                        : DD_SBOM_JSON;
        dd_sbom_opts so = {DRYDOCK_VERSION, 0, files, 0};
        dd_error err;
        if (dd_sbom_write(scan, img, f, &so, cli_file_write, out, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            werr = 1;
        } else if (fputc('\n', out) == EOF || fflush(out) != 0) {
            perror(output ? output : "stdout");
            werr = 1;
        }
    }
    if (out != stdout && fclose(out) != 0) {
        perror(output);
        werr = 1;
    }
    for (size_t i = 0; i < dd_inventory_warning_count(inv); i++) {
        fprintf(stderr, "warning: %s\n", dd_inventory_warning(inv, i));
    }
    if (!c.quiet) {
        cli_print_findings(stderr, dd_scan_findings(scan));
    }
    /* findings are shown, not an exit status (README "Exit codes") */
    rc = cli_exit_code(&c, NULL, dd_scan_walk(scan));
    if (!rc && !dd_inventory_complete(inv)) {
        rc = EXIT_PARTIAL;
    }
    if (werr) {
        rc = EXIT_UNREADABLE;
    }
    dd_scan_free(scan);
    dd_image_free(img);
    return rc;
}
