/*
 * cli/cli.h - shared pieces of the drydock command line. The CLI uses only
 * the public API (include/drydock).
 */
#ifndef DD_CLI_H
#define DD_CLI_H

#include <stdio.h>

#include <jansson.h>

#include "drydock/drydock.h"

/* Exit codes (README "Exit codes"). */
enum {
    EXIT_CLEAN = 0,      /* nothing at or above --fail-on */
    EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_UNREADABLE = 3, /* image could not be opened or read */
    EXIT_PARTIAL = 4     /* image read only in part (corrupt, limit hit) */
};

typedef struct cli_common {
    const char *image;
    const char *format; /* "table" | "json" */
    const char *platform;
    const char *tag;
    int quiet;
    int fail_on; /* dd_severity, DD_SEV_UNKNOWN = never */
    dd_limits limits;
    unsigned threads;
    const char *secret_config; /* scan --secret-config */
    dd_malware_opts malware;   /* scan --yara-rules, --hash-db, ... */
    const char *checks_config; /* scan --checks-config */
    int64_t db_max_age;        /* scan --db-max-age, seconds (0 = 7 d) */
    dd_registry_opts registry; /* --username, --ca-file, ... */
    const char *insecure[16];
    char password[1024]; /* --password-stdin */
} cli_common;

/* Parse an option shared by the image commands. Returns 1 when consumed
 * (advancing *i past any argument), 0 when not ours, -1 on error. */
int cli_common_opt(cli_common *c, int argc, char **argv, int *i);
void cli_common_init(cli_common *c);
/* Open + walk with progress; prints one error line on failure and
 * returns the exit code (EXIT_UNREADABLE) or 0. */
int cli_open_walk(const cli_common *c,
                  int hash_files,
                  dd_image **img,
                  dd_walk **walk);
/* The engine for the options in `c` (NULL db_path: no vulnerability
 * scanner; no_malware: no malware engines); one error line and
 * EXIT_USAGE / EXIT_UNREADABLE on failure, 0 otherwise. */
int cli_make_engine(const cli_common *c,
                    const char *db_path,
                    int no_malware,
                    dd_engine **out);
/* Open + scan with `so` (its walk options are filled from `c`), with
 * the progress bar; prints one error line on failure and returns the
 * exit code, or 0. */
int cli_open_scan(const cli_common *c,
                  dd_engine *eng,
                  dd_scan_opts *so,
                  dd_image **img,
                  dd_scan **scan);
/* The user's cache directory for drydock ($XDG_CACHE_HOME/drydock or
 * ~/.cache/drydock), created 0700 if missing; NULL when there is none. */
const char *cli_cache_dir(char *buf, size_t n);
/* Exit code from findings and completeness. */
int cli_exit_code(const cli_common *c, const dd_image *img, const dd_walk *w);
/* s escaped for a terminal (DD_ESCAPE_TERMINAL, drydock/text.h) in one
 * of 8 static buffers reused in turn ("" for NULL): valid until 8 more
 * calls. Every image-derived string a table prints goes through it. */
const char *cli_esc(const char *s);
/* A JSON string for image text: as it is when valid UTF-8, else the
 * reversible escape (DD_ESCAPE_LOSSLESS); json_null() for NULL. */
json_t *cli_json_text(const char *s);
/* "<key>_bytes": base64 of s's raw bytes, set only when s is not UTF-8. */
void cli_json_bytes(json_t *o, const char *key, const char *s);
/* One line per finding to `out`. */
void cli_print_findings(FILE *out, const dd_findings *f);
void cli_mode_string(const dd_fs_node *n, char out[11]);
const char *cli_human(unsigned long long bytes, char *buf, size_t n);
int cli_parse_severity(const char *s);

int cmd_inspect(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_lookalike(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_dockerfile(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_verify_blob(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_scan(int argc, char **argv);
/* `drydock db update`: download the feeds and import them. */
int cli_db_update(const char *db,
                  const char *feeds,
                  const char *mirror,
                  const char *ca,
                  int quiet);
/* --db or the default path (into buf); NULL when it cannot be formed. */
const char *cli_db_path(const char *opt, char *buf, size_t n);

#endif
