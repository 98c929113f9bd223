/*
 * tests/fuzz/fuzz_check_policy.c - libFuzzer target for the checks policy
 * file (JSON).
 */
#include "drydock/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd_check_policy *p = NULL;
    dd_error err;
    int rc =
        dd_check_policy_parse(&p, "p.json", (const char *)data, size, &err);
    if ((rc == 0) != (p != NULL) || (rc && !err.message[0])) {
        __builtin_trap();
    }
    dd_check_policy_free(p);
    return 0;
}
