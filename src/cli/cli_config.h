/*
 * cli/cli_config.h - the config file parser (cli_config.c), separate from
 * the rest of the CLI so that the fuzz target can link it alone.
 */
#ifndef DD_CLI_CONFIG_H
#define DD_CLI_CONFIG_H

#include <stddef.h>

#define CLI_CONF_MAX_BYTES  (1u << 20)
#define CLI_CONF_MAX_KEYS   512
#define CLI_CONF_MAX_VALUES 256

typedef struct cli_kv {
    char *key; /* "severity", or "scan.severity" inside a command section */
    char **vals;
    size_t n;
    size_t line;
} cli_kv;

typedef struct cli_conf {
    cli_kv *kv;
    size_t n;
} cli_conf;

/* 0, or -1 with one line "PATH: line L: why" in err. *c is empty on
 * failure; free with cli_conf_free() either way. */
int cli_conf_parse(cli_conf *c,
                   const char *path,
                   const char *text,
                   size_t len,
                   char *err,
                   size_t errn);
int cli_conf_load(cli_conf *c, const char *path, char *err, size_t errn);
void cli_conf_free(cli_conf *c);
/* The entry for key in section (NULL: top level), or NULL. Borrowed. */
const cli_kv *
cli_conf_get(const cli_conf *c, const char *section, const char *key);

#endif
