/*
 * tests/fuzz/fuzz_cose.c - libFuzzer target for the bounded CBOR reader
 * (trust/cbor.c) and the Notation COSE_Sign1 parser and verifier
 * (trust/notation.c): an item whose extent stays inside the input, an
 * envelope or one error line, never a crash.
 */
#include <string.h>

#include "lib/trust/notation_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__cbor it;
    dd_error err;
    err.message[0] = 0;
    if (dd__cbor_read(data, size, 0, &it, &err) == 0) {
        if (it.end > size || it.body > it.end || it.off != 0) {
            __builtin_trap();
        }
        if ((it.major == 2 || it.major == 3) &&
            (it.val > size || it.data + it.val > data + size)) {
            __builtin_trap();
        }
    } else if (err.message[0] == 0) {
        __builtin_trap();
    }
    dd__notation_env env;
    err.message[0] = 0;
    int rc = dd__notation_parse_cose(data, size, &env, &err);
    if (rc == 0) {
        if (!env.alg[0] || !env.scheme || sk_X509_num(env.chain) < 1 ||
            env.tbs.len == 0) {
            __builtin_trap();
        }
    } else if (err.message[0] == 0) {
        __builtin_trap();
    }
    dd__notation_env_free(&env);
    dd__notation_want w = {
        "application/vnd.oci.image.manifest.v1+json",
        "sha256:"
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        1234,
        NULL,
        NULL,
        1};
    dd_trust_result res;
    dd__notation_verify(data, size, 1, &w, &res);
    if (res.failed == DD_TRUST_OK || !res.message[0]) {
        __builtin_trap(); /* no trust store: never verified */
    }
    return 0;
}
