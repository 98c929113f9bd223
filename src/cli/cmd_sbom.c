/*
 * cli/cmd_sbom.c - `drydock sbom IMAGE`: the OS package inventory as a
 * table, drydock JSON, CycloneDX 1.6 or SPDX 2.3.
 */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: drydock sbom IMAGE [--format table|json|cyclonedx|spdx]\n"
    "                    [-o FILE] [--files] [options]\n"
    "\n"
    "Inventory the OS packages (dpkg, apk, rpm) visible in the image's final\n"
    "filesystem, each attributed to the layer that installed it.\n"
    "  --format F     table (default), json (drydock's own), cyclonedx\n"
    "                 (CycloneDX 1.6 JSON), spdx (SPDX 2.3 JSON)\n"
    "  -o, --output   write the document to FILE instead of stdout\n"
    "  --files        json: list each package's files\n"
    "  --platform, --tag, --fail-on, --threads, --max-*, -q:\n"
    "                 as for `drydock inspect --help`\n"
    "Warnings about damaged package databases go to stderr; the exit code\n"
    "is 4 when a database could not be read completely.\n";

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
    fprintf(out, "%-4s  %-*s  %-*s  %-*s  %-5s  %s\n", "TYPE", (int)wn, "NAME",
            (int)wv, "VERSION", (int)wa, "ARCH", "LAYER", "SOURCE");
    size_t counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        counts[p->type & 3]++;
        char src[300] = "";
        if (p->source_name && strcmp(p->source_name, p->name)) {
            snprintf(src, sizeof src, "%s", p->source_name);
        }
        if (p->source_version && strcmp(p->source_version, p->version)) {
            size_t l = strlen(src);
            snprintf(src + l, sizeof src - l, "%s%s", l ? " " : "",
                     p->source_version);
        }
        fprintf(out, "%-4s  %-*s  %-*s  %-*s  %-5d  %s\n",
                dd_pkg_type_name(p->type), (int)wn, cli_esc(p->name), (int)wv,
                cli_esc(p->version), (int)wa, p->arch ? cli_esc(p->arch) : "-",
                p->layer, cli_esc(src));
    }
    fprintf(out, "%zu packages (dpkg %zu, apk %zu, rpm %zu) in %zu layers\n", n,
            counts[DD_PKG_DPKG], counts[DD_PKG_APK], counts[DD_PKG_RPM],
            info->n_layers);
}

int cmd_sbom(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *format = "table", *output = NULL;
    int files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
            const char *v =
                a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || (strcmp(v, "table") && strcmp(v, "json") &&
                       strcmp(v, "cyclonedx") && strcmp(v, "spdx"))) {
                fprintf(stderr, "drydock sbom: --format must be table, json, "
                                "cyclonedx or spdx\n");
                return EXIT_USAGE;
            }
            format = v;
            continue;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "drydock sbom: %s needs a file\n", a);
                return EXIT_USAGE;
            }
            output = argv[++i];
            continue;
        }
        if (!strcmp(a, "--files")) {
            files = 1;
            continue;
        }
        int r = cli_common_opt(&c, argc, argv, &i);
        if (r < 0) {
            return EXIT_USAGE;
        }
        if (r > 0) {
            continue;
        }
        if (a[0] == '-') {
            fprintf(stderr, "drydock sbom: unknown option '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
        if (c.image) {
            fprintf(stderr, "drydock sbom: unexpected '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
        c.image = a;
    }
    if (!c.image) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd_engine *eng = NULL;
    int rc = cli_make_engine(&c, NULL, 1, &eng);
    if (rc) {
        return rc;
    }
    dd_scan_opts sopts = DD_SCAN_OPTS_INIT;
    sopts.scanners = DD_SCANNER_PACKAGES;
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
        dd_sbom_opts so = {DRYDOCK_VERSION, 0, files};
        char *doc = NULL;
        dd_error err;
        if (dd_sbom_render(&doc, scan, img, f, &so, &err)) {
            fprintf(stderr, "drydock: %s\n", err.message);
            werr = 1;
        } else {
            fputs(doc, out);
            fputc('\n', out);
            dd_string_free(doc);
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
    rc = cli_exit_code(&c, NULL, dd_scan_walk(scan));
    if (!rc && c.fail_on != DD_SEV_UNKNOWN &&
        (int)dd_findings_max_severity(dd_scan_findings(scan)) >= c.fail_on) {
        rc = EXIT_FINDINGS;
    }
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
