/*
 * tests/fuzz/fuzz_policy.c - libFuzzer target for admission policies
 * (drydock/policy.h): the YAML / JSON parser, and every policy that
 * parses evaluated against a fixed image (a registry reference with a
 * vulnerability, a secret and a look-alike name, a verifier that verifies
 * one key) and rendered as JSON.
 */
#include <stdio.h>
#include <string.h>

#include "drydock/drydock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verify(void *payload,
                  const dd_trust_policy *signer,
                  dd_policy_check *out,
                  dd_error *err)
{
    (void)payload, (void)err;
    memset(out, 0, sizeof *out);
    out->verified = signer->key_pem && strstr(signer->key_pem, "GOOD") != NULL;
    out->n_attestations = 1;
    snprintf(out->attestations[0].predicate_type,
             sizeof out->attestations[0].predicate_type, "%s",
             "https://slsa.dev/provenance/v1");
    out->attestations[0].time = 1700000000;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd_policy *p = NULL;
    dd_error err;
    err.message[0] = 0;
    int rc = dd_policy_parse(&p, "fuzz.yaml", (const char *)data, size, &err);
    if ((rc == 0) != (p != NULL) || (rc && !err.message[0]) ||
        strchr(err.message, '\n')) {
        __builtin_trap();
    }
    if (p) {
        (void)dd_policy_scanners(p);
        (void)dd_policy_needs_signatures(p);
        dd_scan_summary sum;
        memset(&sum, 0, sizeof sum);
        sum.scanners = DD_SCANNER_SECRET;
        sum.complete = 1;
        dd_policy_attestation att = {
            "https://cosign.sigstore.dev/attestation/vuln/v1", 1700003600};
        dd_policy_input in = {DD_POLICY_INPUT_VERSION,
                              "docker.io/libary/nginx:1",
                              "docker.io/libary/nginx",
                              0,
                              NULL,
                              NULL,
                              &sum,
                              1700007200,
                              verify,
                              NULL,
                              &att,
                              1};
        dd_policy_verdict *v = NULL;
        if (dd_policy_evaluate(p, &in, &v, &err) == 0) {
            char *js = NULL;
            size_t len = 0;
            if (dd_policy_verdict_json(v, &js, &len, &err) == 0 &&
                strlen(js) != len) {
                __builtin_trap();
            }
            dd_string_free(js);
            dd_policy_verdict_free(v);
        }
        dd_policy_free(p);
    }
    return 0;
}
