/*
 * tests/fuzz/fuzz_trust_bundle.c - libFuzzer target for the Sigstore
 * parsers of drydock/trust.h: the first byte chooses
 *   0: the input is a trusted_root.json (dd_trust_root_parse);
 *   1: the input is a bundle, verified with a fixed managed P-256 key for
 *      the artifact "hello\n" (message signatures, DSSE envelopes,
 *      tlog entries, timestamps all parsed before any check fails);
 *   2: the input is a bundle, verified keyless against the built-in
 *      public-good root (certificate chains, SCTs, Rekor entries).
 * A verdict or one error line, never a crash; a verdict that is not OK
 * names its check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char KEY[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAglc2M5dI2bzYIAg/zLu7XaYQnOM\n"
    "FZHAiJxvjfz3CvOu+MSEaGCVqtBg3pR3F76E6hYnpPPqfXSxmztpIQ+UTw==\n"
    "-----END PUBLIC KEY-----\n";
static const uint8_t ART[] = "hello\n";
/* sha256("hello\n") */
static const uint8_t DIGEST[32] = {
    0x58, 0x91, 0xb5, 0xb5, 0x22, 0xd5, 0xdf, 0x08, 0x6d, 0x0f, 0xf0,
    0xb1, 0x10, 0xfb, 0xd9, 0xd2, 0x1b, 0xb4, 0xfc, 0x71, 0x63, 0xaf,
    0x34, 0xd0, 0x82, 0x86, 0xa2, 0xe8, 0x46, 0xf6, 0xbe, 0x03};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > DD_TRUST_MAX_JSON) {
        return 0;
    }
    const char *json = (const char *)data + 1;
    size_t len = size - 1;
    dd_error err;
    err.message[0] = '\0';
    if (data[0] % 3 == 0) {
        dd_trust_root *r = NULL;
        int rc = dd_trust_root_parse(&r, json, len, &err);
        if ((rc == 0) != (r != NULL) || (rc && !err.message[0])) {
            abort();
        }
        dd_trust_root_free(r);
        return 0;
    }
    dd_trust_policy pol;
    memset(&pol, 0, sizeof pol);
    dd_trust_root *root = NULL;
    if (data[0] % 3 == 1) {
        pol.key_pem = KEY;
    } else {
        if (dd_trust_root_builtin(&root, &err)) {
            abort();
        }
        pol.identity = "signer@example.com";
        pol.issuer = "https://issuer.example";
    }
    dd_trust_result res;
    memset(&res, 0, sizeof res);
    int rc = dd_trust_verify_bundle(root, json, len, ART, sizeof ART - 1,
                                    DIGEST, &pol, &res, &err);
    if (rc == 0 && res.failed != DD_TRUST_OK &&
        (!res.message[0] || !dd_trust_check_name(res.failed))) {
        abort();
    }
    dd_trust_root_free(root);
    return 0;
}
