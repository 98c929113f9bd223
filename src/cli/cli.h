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
    const char *format;    /* "table" | "json" | ... (the command's formats) */
    const char *output;    /* -o FILE, or NULL: stdout */
    const char *input;     /* --input PATH (Trivy's spelling of IMAGE) */
    const char *cache_dir; /* --cache-dir DIR */
    int no_progress;
    int fail_on_set; /* --fail-on given (flag, environment or config) */
    const char *platform;
    const char *tag;
    int quiet;
    int fail_on; /* dd_severity, DD_SEV_UNKNOWN = never */
    dd_limits limits;
    unsigned threads;
    const char *secret_config;  /* scan --secret-config */
    dd_malware_opts malware;    /* scan --yara-rules, --hash-db, ... */
    const char *checks_config;  /* scan --checks-config */
    const char *license_config; /* scan --license-config */
    char license_ignored[1024]; /* scan --ignored-licenses, comma-joined */
    int64_t db_max_age;         /* scan --db-max-age, seconds (0 = 7 d) */
    dd_registry_opts registry;  /* --username, --ca-file, ... */
    const char *insecure[16];
    const char *token_hosts[16];
    char password[1024]; /* --password-stdin */
} cli_common;

void cli_common_init(cli_common *c);

/* ---- option tables (options.c) ----
 * One table per command: long name, short letter, argument (metavar, NULL
 * for a flag), key for the handler, flags, other long names (comma
 * separated: Trivy's spellings), help text. Shared groups (output, image,
 * registry options) are added by cli_cmd.groups and handled by
 * cli_common_set(). */
#define CLI_REPEAT 1u /* may be given more than once; values accumulate */
#define CLI_NOENV  2u /* never from the environment or the config file */

typedef struct cli_opt {
    const char *name;
    char shortc;
    const char *arg;
    int key;
    unsigned flags;
    const char *aliases;
    const char *help;
} cli_opt;

#define CLI_G_OUT      1u /* -f/--format, -o/--output, -q, --no-progress */
#define CLI_G_FAILON   2u /* --fail-on */
#define CLI_G_IMAGE    4u /* --input, --platform, --tag, limits, cache */
#define CLI_G_REGISTRY 8u /* --username, --ca-file, ... */
#define CLI_G_ALL      (CLI_G_OUT | CLI_G_FAILON | CLI_G_IMAGE | CLI_G_REGISTRY)

typedef struct cli_cmd {
    const char *name;     /* "scan", "registry ls" */
    const char *synopsis; /* after "usage: drydock NAME " */
    const char *about;    /* paragraphs before the options, or NULL */
    const cli_opt *opts;  /* the command's own, ended by {NULL} */
    unsigned groups;      /* CLI_G_* */
    const char *formats;  /* "table,json": the first is the default */
    int dash_positional;  /* "-x" is an argument, only "--x" an option */
} cli_cmd;

/* keys of the shared groups (handled by cli_common_set) */
enum {
    CLI_K_COMMON = 1000,
    CLI_K_HELP,
    CLI_K_CONFIG,
    CLI_K_FORMAT,
    CLI_K_OUTPUT,
    CLI_K_QUIET,
    CLI_K_NO_PROGRESS,
    CLI_K_FAIL_ON,
    CLI_K_INPUT,
    CLI_K_PLATFORM,
    CLI_K_TAG,
    CLI_K_THREADS,
    CLI_K_MAX_LAYER,
    CLI_K_MAX_FILE,
    CLI_K_MAX_ENTRIES,
    CLI_K_MAX_RATIO,
    CLI_K_MAX_PATH,
    CLI_K_CACHE_DIR,
    CLI_K_USERNAME,
    CLI_K_PASSWORD_STDIN,
    CLI_K_AUTH_FILE,
    CLI_K_CA_FILE,
    CLI_K_CERTS_DIR,
    CLI_K_INSECURE,
    CLI_K_TOKEN_HOST,
    CLI_K_DOCKER_HOST
};

#define CLI_MAX_POS 1024

/* A command's option: key from its table, label the spelling to name in
 * an error ("--severity", "DRYDOCK_SEVERITY", "drydock.yaml: severity"),
 * val NULL for a flag. Returns 0, or an exit code after one error line. */
typedef int (*cli_opt_fn)(void *ctx,
                          int key,
                          const char *label,
                          const char *val);

/* Parse argv[1..] (argv[0] is the command word) with cmd's tables, the
 * DRYDOCK_<OPTION> environment and the config file (flags > environment >
 * config file > defaults); arguments go to pos (CLI_MAX_POS entries).
 * Returns 0, -1 when --help was printed (exit 0), or an exit code after
 * one error line. Values stay valid until the program exits. */
int cli_parse(const cli_cmd *cmd,
              cli_common *c,
              int argc,
              char **argv,
              cli_opt_fn fn,
              void *ctx,
              const char **pos,
              size_t *npos);
/* A shared-group option (cli_parse calls it). */
int cli_common_set(cli_common *c,
                   const cli_cmd *cmd,
                   const cli_opt *o,
                   const char *label,
                   const char *val);
void cli_help(FILE *out, const cli_cmd *cmd);
/* The option tables a command uses, in help order (at most 6), and the
 * heading of each in --help and the man page. */
size_t cli_opt_tables(const cli_cmd *cmd, const cli_opt *out[6]);
const char *cli_opt_table_title(const cli_cmd *cmd, const cli_opt *t);
/* An option's help line as --help prints it (format list, aliases). */
void cli_opt_help_text(const cli_opt *o,
                       const char *formats,
                       char *help,
                       size_t n);
/* `drydock --help` (main.c), and every command's table, NULL-ended. */
extern const char cli_usage[];
extern const cli_cmd *const cli_commands[];
/* cmd_docs.c: drydock version, completion SHELL, man [COMMAND] */
int cmd_version(int argc, char **argv);
/* cmd_scan.c: drydock fs PATH / rootfs DIR = drydock scan fs:PATH ... */
int cmd_scan_fs(int argc, char **argv);
int cmd_scan_rootfs(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_man(int argc, char **argv);
/* the command's formats, comma separated (the first is the default) */
const char *cli_formats(const cli_cmd *cmd);
size_t cli_edit_distance(const char *a, const char *b);
/* -o FILE for commands that print with stdio: stdout goes to the file;
 * one error line and EXIT_USAGE when it cannot be opened. */
int cli_redirect_output(const cli_common *c);
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
/* Open the image named on the command line (c->image); one error line
 * on failure and the exit code, or 0. */
int cli_open_image(const cli_common *c, dd_image **img);
/* Open (unless *img is already open, by cli_open_image) + scan with `so`
 * (its walk options are filled from `c`), with the progress bar; prints
 * one error line on failure and returns the exit code, or 0. */
int cli_open_scan(const cli_common *c,
                  dd_engine *eng,
                  dd_scan_opts *so,
                  dd_image **img,
                  dd_scan **scan);
/* The user's cache directory for drydock ($XDG_CACHE_HOME/drydock or
 * ~/.cache/drydock), created 0700 if missing; NULL when there is none. */
const char *cli_cache_dir(char *buf, size_t n);
/* Exit code of the reading commands (inspect, ls, sbom, history):
 * EXIT_PARTIAL when the walk is incomplete, else EXIT_CLEAN. */
int cli_exit_code(const cli_common *c, const dd_image *img, const dd_walk *w);
/* min..max arguments, else one line "drydock CMD: WHAT missing" or
 * "unexpected argument" and EXIT_USAGE. */
int cli_args(const cli_cmd *cmd,
             const char *const *pos,
             size_t np,
             size_t min,
             size_t max,
             const char *what);
/* s escaped for a terminal (DD_ESCAPE_TERMINAL, drydock/text.h) in one
 * of 8 static buffers reused in turn ("" for NULL): valid until 8 more
 * calls. Every image-derived string a table prints goes through it. */
const char *cli_esc(const char *s);
/* a dd_write_fn into a stdio stream (FILE *f) */
int cli_file_write(void *f, const void *buf, size_t len);
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
/* "HIGH,CRITICAL" -> bits (1u << dd_severity) in *out; EXIT_USAGE after
 * one line "drydock CMD: LABEL: unknown severity 'X' (...)", else 0 */
int cli_parse_severity_list(const char *cmd,
                            const char *label,
                            const char *v,
                            unsigned *out);

extern const cli_cmd cli_cmd_scan, cli_cmd_sbom, cli_cmd_inspect, cli_cmd_ls,
    cli_cmd_history, cli_cmd_dockerfile, cli_cmd_registry, cli_cmd_audit,
    cli_cmd_db, cli_cmd_lookalike, cli_cmd_verify, cli_cmd_vercmp,
    cli_cmd_verify_image, cli_cmd_policy, cli_cmd_version, cli_cmd_completion,
    cli_cmd_man, cli_cmd_server;

int cmd_inspect(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_lookalike(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_dockerfile(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_verify_image(int argc, char **argv);
/* A whole file (at most max bytes) NUL-terminated, malloc'd; NULL with
 * errno set when it cannot be read. */
char *cli_slurp(const char *path, size_t max, size_t *len);
/* --notation-identity / --trust-store / DOCKER_CONTENT_TRUST checks for
 * `drydock CMD` (cmd_verify.c): 0 or EXIT_USAGE after one line. */
int cli_notation_args(const char *cmd, dd_trust_policy *pol);
int cmd_verify_blob(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_scan(int argc, char **argv);
/* cmd_policy.c: drydock policy check|show-default, and for scan
 * --policy: load (NULL: the built-in policy; one error line and an exit
 * code), judge an opened image and its scan (ref: --image-ref or NULL;
 * now: --now or NULL), print the verdict, put it in a rendered report
 * (json, sarif, table; *text replaced, *is_malloc set). */
int cmd_policy(int argc, char **argv);
/* cmd_server.c: drydock server, drydock server token create */
int cmd_server(int argc, char **argv);
int cli_policy_load(const char *path, dd_policy **out);
int cli_policy_judge(const cli_common *c,
                     const dd_policy *pol,
                     const char *ref,
                     const char *root_path,
                     const char *now,
                     const dd_image *img,
                     const dd_scan *scan,
                     dd_policy_verdict **out);
void cli_policy_print(FILE *out, const dd_policy_verdict *v, const char *src);
int cli_policy_attach(char **text,
                      size_t *len,
                      int *is_malloc,
                      const char *format,
                      const dd_policy_verdict *v,
                      const char *src);
/* `drydock db update`: download the feeds and import them. Errors are
 * lines on stderr, or, when why is given, the first one goes there and
 * nothing is printed. */
#define CLI_DBU_QUIET          1u /* no per-feed lines */
#define CLI_DBU_NO_BAR         2u /* no progress even on a terminal */
#define CLI_DBU_SUMMARY_STDERR 4u /* "updated ..." to stderr, not stdout */
int cli_db_update(const char *db,
                  const char *feeds,
                  const char *mirror,
                  const char *ca,
                  unsigned flags,
                  char *why,
                  size_t whyn);
/* --db, DIR/db/drydock.db for --cache-dir DIR, or the default path (into
 * buf); NULL when it cannot be formed. */
const char *
cli_db_path(const char *opt, const char *cache_dir, char *buf, size_t n);

#endif
