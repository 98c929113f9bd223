/*
 * tests/fuzz/fuzz_cli_config.c - libFuzzer target for the CLI's config
 * file parser (src/cli/cli_config.c, drydock.yaml): entries or one error
 * line naming the file, never a crash; every accepted key is unique and
 * every value list within the caps.
 */
#include <stdint.h>
#include <string.h>

#include "cli/cli_config.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_conf c;
    char err[512] = "";
    int rc = cli_conf_parse(&c, "fuzz.yaml", (const char *)data, size, err,
                            sizeof err);
    if (rc && (strncmp(err, "fuzz.yaml: ", 11) != 0 || c.n != 0)) {
        __builtin_trap();
    }
    if (c.n > CLI_CONF_MAX_KEYS) {
        __builtin_trap();
    }
    for (size_t i = 0; i < c.n; i++) {
        if (c.kv[i].n > CLI_CONF_MAX_VALUES) {
            __builtin_trap();
        }
        for (size_t k = i + 1; k < c.n; k++) {
            if (!strcmp(c.kv[i].key, c.kv[k].key)) {
                __builtin_trap();
            }
        }
        /* the lookup finds what the parser stored */
        if (!strchr(c.kv[i].key, '.') &&
            cli_conf_get(&c, NULL, c.kv[i].key) != &c.kv[i]) {
            __builtin_trap();
        }
    }
    cli_conf_free(&c);
    return 0;
}
