/*
 * tests/fuzz/fuzz_secret_config.c - libFuzzer target for the secret
 * config loader (JSON: custom rules, disabled ids, allow-lists); a config
 * that loads is then used on a small fixed text.
 */
#include <stdlib.h>

#include "lib/secret/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cb(void *p, const dd__secret_match *m)
{
    (void)p;
    (void)m;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__secret_engine *e = NULL;
    dd_error err;
    if (dd__secret_engine_new_from(&e, (const char *)data, size, &err) == 0) {
        static const char text[] =
            "password = Hunter2-Secret\nAKIA0123456789ABCDEF\ntoken=x";
        (void)dd__secret_scan(e, "app/.env", (const uint8_t *)text,
                              sizeof text - 1, cb, NULL);
        dd__secret_engine_free(e);
    } else if (!err.message[0]) {
        abort(); /* every failure says why */
    }
    return 0;
}
