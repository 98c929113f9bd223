/*
 * cli/main.c - `drydock` entry point: dispatch to subcommands (and Trivy's
 * spellings of them).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage[] =
    "drydock " DRYDOCK_VERSION " - container image security scanner\n"
    "\n"
    "usage: drydock COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  scan IMAGE        vulnerabilities, secrets, malware, configuration\n"
    "                    (also: drydock image IMAGE; drydock fs PATH and\n"
    "                    drydock rootfs DIR = scan fs:PATH, scan rootfs:DIR)\n"
    "  sbom IMAGE        package inventory (CycloneDX, SPDX, JSON)\n"
    "  inspect IMAGE     metadata, layers, history, integrity findings\n"
    "  ls IMAGE [PATH]   list the merged filesystem (--layers, --deleted)\n"
    "  history IMAGE     build steps as Dockerfile instructions + checks\n"
    "  dockerfile PATH   configuration checks on a Dockerfile, or on every\n"
    "                    Dockerfile in a directory (also: drydock config)\n"
    "  registry ls|scan|audit HOST[/REPO]  list, sweep or audit a registry\n"
    "  lookalike NAME... image names that imitate well-known ones\n"
    "  verify-blob --bundle FILE ARTIFACT  verify a Sigstore bundle\n"
    "  verify --key PEM IMAGE           verify an image's signatures\n"
    "  policy check IMAGE [--policy FILE]  allow or deny by a policy\n"
    "  server            the scanning service (REST API, job queue)\n"
    "  db update|import|info|match  the vulnerability database\n"
    "  vercmp TYPE A B   compare versions as an ecosystem does\n"
    "  version           the version, rule packs and database age\n"
    "  completion bash|zsh|fish  shell completion script\n"
    "  man [COMMAND]     the manual page (roff) of drydock or a command\n"
    "\n"
    "IMAGE is a docker save tar (Docker <= 24 or >= 25 layout), an OCI\n"
    "layout directory or an OCI layout tar; prefix docker-archive: or oci:\n"
    "to force the kind, and add :TAG to choose among several images; a\n"
    "registry reference HOST/REPO:TAG or HOST/REPO@sha256:... (docker:// to\n"
    "force it, e.g. docker://nginx); or docker:NAME from a local daemon;\n"
    "or rootfs:DIR (an unpacked root file system) or fs:PATH (a project\n"
    "directory or one file), read as one layer; or sbom:FILE (a CycloneDX\n"
    "or SPDX JSON document: its package list, matched as an image's).\n"
    "Run 'drydock COMMAND --help' for a command's options. Options can also\n"
    "come from DRYDOCK_<OPTION> variables and drydock.yaml (README\n"
    "\"Configuration\"): flags > environment > config file > defaults.\n"
    "\n"
    "Exit codes:\n"
    "  0  success; scan/dockerfile: no finding at or above --fail-on\n"
    "  1  policy check, scan --policy: the policy denies the image;\n"
    "     scan/dockerfile/registry: a finding at or above --fail-on\n"
    "     (default high; INFO never fails); scan --exit-code N: N instead\n"
    "     when any reported finding (not INFO) remains\n"
    "  2  usage error (unknown option, bad value)\n"
    "  3  the input could not be read (image, Dockerfile, --db), or a scan\n"
    "     with the vuln scanner has no vulnerability database\n"
    "  4  the image was read only in part (corrupt, limit hit, timeout)\n"
    "  sbom, ls, inspect, history: 0 unless 3 or 4 (findings are shown,\n"
    "  never an exit status)\n";

typedef int (*cmd_fn)(int, char **);
static const struct {
    const char *name;
    cmd_fn fn;
} cmds[] = {
    {"inspect", cmd_inspect},
    {"ls", cmd_ls},
    {"sbom", cmd_sbom},
    {"db", cmd_db},
    {"scan", cmd_scan},
    {"image", cmd_scan},
    {"history", cmd_history},
    {"registry", cmd_registry},
    {"verify-blob", cmd_verify_blob},
    {"verify", cmd_verify_image},
    {"policy", cmd_policy},
    {"server", cmd_server},
    {"dockerfile", cmd_dockerfile},
    {"config", cmd_dockerfile},
    {"lookalike", cmd_lookalike},
    {"vercmp", cmd_vercmp},
    {"fs", cmd_scan_fs},
    {"filesystem", cmd_scan_fs},
    {"rootfs", cmd_scan_rootfs},
    {"version", cmd_version},
    {"completion", cmd_completion},
    {"man", cmd_man},
};

/* every command's table (options.c checks config-file keys against all) */
const cli_cmd *const cli_commands[] = {&cli_cmd_scan,
                                       &cli_cmd_sbom,
                                       &cli_cmd_inspect,
                                       &cli_cmd_ls,
                                       &cli_cmd_history,
                                       &cli_cmd_dockerfile,
                                       &cli_cmd_registry,
                                       &cli_cmd_audit,
                                       &cli_cmd_db,
                                       &cli_cmd_lookalike,
                                       &cli_cmd_verify,
                                       &cli_cmd_verify_image,
                                       &cli_cmd_policy,
                                       &cli_cmd_vercmp,
                                       &cli_cmd_version,
                                       &cli_cmd_completion,
                                       &cli_cmd_man,
                                       &cli_cmd_server,
                                       NULL};

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--help") == 0) {
        fputs(cli_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help")) {
        if (argc < 3) {
            fputs(cli_usage, stdout);
            return 0;
        }
        /* drydock help COMMAND = drydock COMMAND --help */
        char *hv[3] = {argv[2], "--help", NULL};
        for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
            if (!strcmp(argv[2], cmds[i].name)) {
                return cmds[i].fn(2, hv);
            }
        }
        fprintf(stderr, "drydock: unknown command '%s'; see 'drydock --help'\n",
                cli_esc(argv[2]));
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        if (!strcmp(cmd, cmds[i].name)) {
            return cmds[i].fn(argc - 1, argv + 1);
        }
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v")) {
        return cmd_version(argc - 1, argv + 1);
    }
    const char *near = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        size_t d = cli_edit_distance(cmd, cmds[i].name);
        if (d < bd) {
            bd = d, near = cmds[i].name;
        }
    }
    if (near) {
        fprintf(stderr,
                "drydock: unknown command '%s' (did you mean '%s'?); see "
                "'drydock --help'\n",
                cli_esc(cmd), near);
    } else {
        fprintf(stderr, "drydock: unknown command '%s'; see 'drydock --help'\n",
                cli_esc(cmd));
    }
    return EXIT_USAGE;
}
