/*
 * tests/fuzz/fuzz_notation_jws.c - libFuzzer target for the Notation JWS
 * envelope parser and verifier (trust/notation.c): an envelope or one
 * error line, never a crash; an accepted envelope has an alg, a scheme,
 * a leaf certificate and a signing input; the verdict names its check.
 */
#include <string.h>

#include "lib/trust/notation_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__notation_env env;
    dd_error err;
    err.message[0] = 0;
    int rc = dd__notation_parse_jws(data, size, &env, &err);
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
        "x509.subject: CN=x",
        1};
    dd_trust_result res;
    dd__notation_verify(data, size, 0, &w, &res);
    if (res.failed == DD_TRUST_OK || !res.message[0] ||
        !memchr(res.message, 0, sizeof res.message)) {
        __builtin_trap(); /* no trust store: never verified */
    }
    return 0;
}
