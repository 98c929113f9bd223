/*
 * cli/main.c - `drydock` entry point: dispatch to subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "drydock " DRYDOCK_VERSION " - container image security scanner\n"
    "\n"
    "usage: drydock COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  inspect IMAGE     metadata, layers, history, integrity findings\n"
    "  ls IMAGE [PATH]   list the merged filesystem (--layers, --deleted)\n"
    "  sbom IMAGE        package inventory (CycloneDX, SPDX, JSON)\n"
    "  scan IMAGE        vulnerabilities, secrets, malware, configuration\n"
    "  history IMAGE     build steps as Dockerfile instructions + checks\n"
    "  dockerfile PATH   configuration checks on a Dockerfile\n"
    "  registry ls|scan HOST[/REPO]  list or sweep a registry\n"
    "  lookalike NAME... image names that imitate well-known ones\n"
    "  verify-blob --bundle FILE ARTIFACT  verify a Sigstore bundle\n"
    "  db update|import|info  the vulnerability database\n"
    "  version           print the version\n"
    "\n"
    "IMAGE is a docker save tar (Docker <= 24 or >= 25 layout), an OCI\n"
    "layout directory or an OCI layout tar; prefix docker-archive: or oci:\n"
    "to force the kind, and add :TAG to choose among several images; or a\n"
    "registry reference HOST/REPO:TAG or HOST/REPO@sha256:... (docker:// to\n"
    "force it, e.g. docker://nginx).\n"
    "Run 'drydock COMMAND --help' for a command's options.\n"
    "\n"
    "Exit codes: 0 clean, 1 findings at or above --fail-on (default high),\n"
    "2 usage error, 3 image unreadable, 4 image read only in part.\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "inspect") == 0) {
        return cmd_inspect(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "ls") == 0) {
        return cmd_ls(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "sbom") == 0) {
        return cmd_sbom(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "db") == 0) {
        return cmd_db(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "scan") == 0) {
        return cmd_scan(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "history") == 0) {
        return cmd_history(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "registry") == 0) {
        return cmd_registry(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "verify-blob") == 0) {
        return cmd_verify_blob(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "dockerfile") == 0) {
        return cmd_dockerfile(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "lookalike") == 0) {
        return cmd_lookalike(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "vercmp") == 0) {
        return cmd_vercmp(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("drydock %s\n", DRYDOCK_VERSION);
        return 0;
    }
    fprintf(stderr, "drydock: unknown command '%s'\n\n%s", cmd, usage);
    return EXIT_USAGE;
}
