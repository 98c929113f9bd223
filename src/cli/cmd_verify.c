/*
 * cli/cmd_verify.c - `drydock verify-blob`: verify a Sigstore bundle for
 * a file or a sha256:HEX digest (a thin caller of drydock/trust.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli.h"

static const char usage_vb[] =
    "usage: drydock verify-blob --bundle FILE (--key PEM |\n"
    "         --certificate-identity ID --certificate-oidc-issuer URL)\n"
    "         [--certificate-identity-regexp RE] "
    "[--certificate-oidc-issuer-regexp RE]\n"
    "         [--trusted-root FILE] (ARTIFACT | sha256:HEX)\n"
    "Exit 0 when the bundle verifies, 1 with one line naming the failed\n"
    "check otherwise, 2 on a usage error.\n";

static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap) {
            break;
        }
        if (cap >= max) {
            free(b);
            b = NULL;
            break;
        }
        cap *= 2;
        char *nb = realloc(b, cap + 1);
        if (!nb) {
            free(b);
        }
        b = nb;
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = n;
    }
    return b;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cmd_verify_blob(int argc, char **argv)
{
    const char *bundle = NULL, *key = NULL, *root_path = NULL, *art = NULL;
    dd_trust_policy pol;
    memset(&pol, 0, sizeof pol);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        int *re = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_vb, stdout);
            return EXIT_CLEAN;
        } else if (strcmp(a, "--bundle") == 0) {
            dst = &bundle;
        } else if (strcmp(a, "--key") == 0) {
            dst = &key;
        } else if (strcmp(a, "--trusted-root") == 0) {
            dst = &root_path;
        } else if (strcmp(a, "--certificate-identity") == 0) {
            dst = &pol.identity;
        } else if (strcmp(a, "--certificate-identity-regexp") == 0) {
            dst = &pol.identity;
            re = &pol.identity_regex;
        } else if (strcmp(a, "--certificate-oidc-issuer") == 0) {
            dst = &pol.issuer;
        } else if (strcmp(a, "--certificate-oidc-issuer-regexp") == 0) {
            dst = &pol.issuer;
            re = &pol.issuer_regex;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "drydock verify-blob: unknown option %s\n", a);
            return EXIT_USAGE;
        } else if (!art) {
            art = a;
            continue;
        } else {
            fputs(usage_vb, stderr);
            return EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "drydock verify-blob: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        *dst = argv[++i];
        if (re) {
            *re = 1;
        }
    }
    if (!bundle || !art || (!key && (!pol.identity || !pol.issuer))) {
        fputs(usage_vb, stderr);
        return EXIT_USAGE;
    }
    size_t blen = 0, alen = 0, klen = 0;
    char *bj = slurp(bundle, DD_TRUST_MAX_JSON + 1, &blen);
    if (!bj) {
        fprintf(stderr, "drydock verify-blob: %s: %s\n", bundle,
                strerror(errno));
        return EXIT_UNREADABLE;
    }
    char *kp = NULL;
    if (key && !(kp = slurp(key, 1u << 20, &klen))) {
        fprintf(stderr, "drydock verify-blob: %s: %s\n", key, strerror(errno));
        free(bj);
        return EXIT_UNREADABLE;
    }
    pol.key_pem = kp;
    uint8_t digest[32];
    char *data = NULL;
    if (strncmp(art, "sha256:", 7) == 0 && strlen(art) == 71) {
        for (int i = 0; i < 32; i++) {
            int h = hexval(art[7 + 2 * i]), l = hexval(art[8 + 2 * i]);
            if (h < 0 || l < 0) {
                fprintf(stderr, "drydock verify-blob: bad digest %s\n", art);
                free(bj);
                free(kp);
                return EXIT_USAGE;
            }
            digest[i] = (uint8_t)(h << 4 | l);
        }
    } else {
        data = slurp(art, (size_t)1 << 32, &alen);
        if (!data) {
            fprintf(stderr, "drydock verify-blob: %s: %s\n", art,
                    strerror(errno));
            free(bj);
            free(kp);
            return EXIT_UNREADABLE;
        }
        EVP_Digest(data, alen, digest, NULL, EVP_sha256(), NULL);
    }
    dd_error err = {0};
    dd_trust_root *root = NULL;
    int rc = root_path ? dd_trust_root_load(&root, root_path, &err)
                       : (key ? 0 : dd_trust_root_builtin(&root, &err));
    if (rc == 0 && root_path == NULL && key) {
        /* a managed key may still come with log entries */
        rc = dd_trust_root_builtin(&root, &err);
    }
    int ex = EXIT_CLEAN;
    if (rc) {
        fprintf(stderr, "drydock verify-blob: %s\n", err.message);
        ex = EXIT_UNREADABLE;
    } else {
        dd_trust_result res;
        rc = dd_trust_verify_bundle(root, bj, blen, (uint8_t *)data, alen,
                                    digest, &pol, &res, &err);
        if (rc) {
            fprintf(stderr, "drydock verify-blob: %s\n", err.message);
            ex = EXIT_USAGE;
        } else if (res.failed != DD_TRUST_OK) {
            fprintf(stderr, "drydock verify-blob: %s\n", res.message);
            ex = EXIT_FINDINGS;
        } else {
            printf("Verified OK%s%s\n", res.identity[0] ? ": " : "",
                   res.identity);
        }
    }
    dd_trust_root_free(root);
    free(bj);
    free(kp);
    free(data);
    return ex;
}
