/*
 * tests/fuzz/fuzz_registry.c - libFuzzer target for what a registry or a
 * user hands us as text: image references, WWW-Authenticate challenges,
 * and docker/podman credential files. The first byte picks the parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/registry/registry_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536) {
        return 0;
    }
    char *s = malloc(size);
    if (!s) {
        return 0;
    }
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;
    dd_error err;
    switch (data[0] % 3) {
    case 0: {
        dd__ref r;
        if (dd__ref_parse(s, &r, &err) == 0) {
            char out[600];
            dd__ref_string(&r, out, sizeof out);
            dd__ref r2; /* normalising is idempotent */
            if (dd__ref_parse(out, &r2, &err) != 0 ||
                strcmp(r.domain, r2.domain) || strcmp(r.repo, r2.repo) ||
                strcmp(r.tag, r2.tag) || strcmp(r.digest, r2.digest)) {
                __builtin_trap();
            }
        }
        break;
    }
    case 1: {
        dd__challenge c;
        (void)dd__challenge_parse((const char *)data + 1, size - 1, &c);
        break;
    }
    default: {
        char path[64];
        snprintf(path, sizeof path, "/tmp/dd-fuzz-auth-%d.json", (int)getpid());
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(data + 1, 1, size - 1, f);
            fclose(f);
            char u[256], p[1024];
            (void)dd__creds_lookup("127.0.0.1:5000", path, u, sizeof u, p,
                                   sizeof p, &err);
            unlink(path);
        }
        break;
    }
    }
    free(s);
    return 0;
}
