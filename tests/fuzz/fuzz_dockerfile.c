/*
 * tests/fuzz/fuzz_dockerfile.c - libFuzzer target for the Dockerfile
 * reader and its checks: findings must be well-formed, and errors say
 * why.
 */
#include <string.h>

#include "drydock/config.h"
#include "lib/config/config_int.h"
#include "lib/secret/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* one engine for the whole run (compiling the rules per input would
     * make the fuzzer 1000x slower) */
    static dd__secret_engine *eng;
    dd_findings *f = NULL;
    dd_error err;
    if (!eng && dd__secret_engine_new(&eng, NULL, &err)) {
        __builtin_trap();
    }
    int rc = dd__dockerfile_check_eng("Dockerfile", (const char *)data, size,
                                      NULL, eng, &f, &err);
    if (rc && !err.message[0]) {
        __builtin_trap();
    }
    for (size_t i = 0; f && i < dd_findings_count(f); i++) {
        const dd_finding *x = dd_findings_get(f, i);
        if (!x->rule_id || strncmp(x->rule_id, "config.", 7) || !x->title ||
            x->line > size + 1) {
            __builtin_trap();
        }
    }
    dd_findings_free(f);
    return 0;
}
