/*
 * cli/cmd_verify.c - `drydock verify-blob`: verify a Sigstore bundle for
 * a file or a sha256:HEX digest (a thin caller of drydock/trust.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "cli.h"

enum {
    K_BUNDLE = 1,
    K_KEY,
    K_ROOT,
    K_ID,
    K_ID_RE,
    K_ISS,
    K_ISS_RE,
    K_TRUST_STORE,
    K_NOTATION_ID,
    K_DCT
};
static const cli_opt verify_opts[] = {
    {"bundle", 0, "FILE", K_BUNDLE, 0, NULL, "the Sigstore bundle (JSON)"},
    {"key", 0, "PEM", K_KEY, 0, NULL, "verify with this public key"},
    {"certificate-identity", 0, "ID", K_ID, 0, NULL,
     "the signer's identity (keyless)"},
    {"certificate-identity-regexp", 0, "RE", K_ID_RE, 0, NULL,
     "the identity as a regular expression"},
    {"certificate-oidc-issuer", 0, "URL", K_ISS, 0, NULL,
     "the identity's OIDC issuer (keyless)"},
    {"certificate-oidc-issuer-regexp", 0, "RE", K_ISS_RE, 0, NULL,
     "the issuer as a regular expression"},
    {"trusted-root", 0, "FILE", K_ROOT, 0, NULL,
     "trusted root (default: the built-in Sigstore public-good root)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_verify = {
    "verify-blob",
    "--bundle FILE (--key PEM | --certificate-identity ID\n"
    "         --certificate-oidc-issuer URL) [options] (ARTIFACT | "
    "sha256:HEX)",
    "Exit 0 when the bundle verifies, 1 with one line naming the failed\n"
    "check otherwise, 2 on a usage error, 3 when a file cannot be read.\n",
    verify_opts,
    0,
    NULL,
    0};

typedef struct vb_args {
    const char *bundle, *key, *root;
    dd_trust_policy *pol;
} vb_args;

static int vb_opt(void *ctx, int key, const char *label, const char *v)
{
    (void)label;
    vb_args *a = ctx;
    switch (key) {
    case K_BUNDLE:
        a->bundle = v;
        break;
    case K_KEY:
        a->key = v;
        break;
    case K_ROOT:
        a->root = v;
        break;
    case K_ID_RE:
        a->pol->identity_regex = 1;
        /* fall through */
    case K_ID:
        a->pol->identity = v;
        break;
    case K_TRUST_STORE:
        a->pol->trust_store = v;
        break;
    case K_NOTATION_ID:
        a->pol->notation_identity = v;
        break;
    case K_DCT:
        a->pol->dct = 1;
        break;
    case K_ISS_RE:
        a->pol->issuer_regex = 1;
        /* fall through */
    default:
        a->pol->issuer = v;
        break;
    }
    return 0;
}

char *cli_slurp(const char *path, size_t max, size_t *len)
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
    vb_args va = {NULL, NULL, NULL, &pol};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc =
        cli_parse(&cli_cmd_verify, NULL, argc, argv, vb_opt, &va, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_verify, pos, np, 1, 1, "ARTIFACT"))) {
        return prc;
    }
    bundle = va.bundle;
    key = va.key;
    root_path = va.root;
    art = pos[0];
    if (!bundle || !art || (!key && (!pol.identity || !pol.issuer))) {
        fprintf(stderr, "drydock verify-blob: --bundle and --key, or "
                        "--certificate-identity and --certificate-oidc-issuer, "
                        "are needed; see 'drydock verify-blob --help'\n");
        return EXIT_USAGE;
    }
    size_t blen = 0, alen = 0, klen = 0;
    char *bj = cli_slurp(bundle, DD_TRUST_MAX_JSON + 1, &blen);
    if (!bj) {
        fprintf(stderr, "drydock verify-blob: %s: %s\n", bundle,
                strerror(errno));
        return EXIT_UNREADABLE;
    }
    char *kp = NULL;
    if (key && !(kp = cli_slurp(key, 1u << 20, &klen))) {
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
        data = cli_slurp(art, (size_t)1 << 32, &alen);
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

/* ---- drydock verify IMAGE ---------------------------------------------- */

int cli_notation_args(const char *cmd, dd_trust_policy *pol)
{
    const char *id = pol->notation_identity;
    if (id && strcmp(id, "*") != 0 && strncmp(id, "x509.subject:", 13) != 0) {
        fprintf(stderr,
                "drydock %s: --notation-identity takes \"x509.subject: "
                "CN=...,O=...\" or \"*\"\n",
                cmd);
        return EXIT_USAGE;
    }
    if (id && !pol->trust_store) {
        fprintf(stderr,
                "drydock %s: --notation-identity goes with "
                "--trust-store\n",
                cmd);
        return EXIT_USAGE;
    }
    const char *e = getenv("DOCKER_CONTENT_TRUST");
    if (e && (!strcmp(e, "1") || !strcasecmp(e, "true"))) {
        pol->dct = 1;
    }
    return 0;
}

static const cli_opt verify_image_opts[] = {
    {"key", 0, "PEM", K_KEY, 0, NULL,
     "verify with this public key (ECDSA, RSA, Ed25519)"},
    {"certificate-identity", 0, "ID", K_ID, 0, NULL,
     "the signer's identity (keyless)"},
    {"certificate-identity-regexp", 0, "RE", K_ID_RE, 0, NULL,
     "the identity as a regular expression"},
    {"certificate-oidc-issuer", 0, "URL", K_ISS, 0, NULL,
     "the identity's OIDC issuer (keyless)"},
    {"certificate-oidc-issuer-regexp", 0, "RE", K_ISS_RE, 0, NULL,
     "the issuer as a regular expression"},
    {"trusted-root", 0, "FILE", K_ROOT, 0, NULL,
     "trusted root (default: the built-in Sigstore public-good root)"},
    {"trust-store", 0, "DIR", K_TRUST_STORE, 0, NULL,
     "check Notation signatures against this X.509 trust store (Notation's "
     "x509/ca/NAME/ and x509/signingAuthority/NAME/ directories, or one PEM "
     "file)"},
    {"notation-identity", 0, "ID", K_NOTATION_ID, 0, NULL,
     "the trusted Notation signer, as in a trust policy: \"x509.subject: "
     "CN=...,O=...\" (default: any the trust store vouches for)"},
    {"dct", 0, NULL, K_DCT, 0, NULL,
     "Docker Content Trust was wanted (also DOCKER_CONTENT_TRUST=1): Notary "
     "v1 is retired and not checked; the verdict says so"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_verify_image = {
    "verify",
    "(--key PEM | --certificate-identity ID --certificate-oidc-issuer URL |\n"
    "         --trust-store DIR) [options] IMAGE",
    "Find and check the image's signatures: cosign's sha256-<hex>.sig and\n"
    ".att tags, OCI 1.1 referrers with Sigstore bundles or Notation (JWS,\n"
    "COSE) signatures (docs/trust.md).\n"
    "IMAGE is a registry reference or an OCI layout directory.\n"
    "Exit 0 when a signature verifies, 1 with one line naming the failed\n"
    "check otherwise, 2 on a usage error, 3 when the image cannot be read.\n",
    verify_image_opts,
    CLI_G_OUT | CLI_G_IMAGE | CLI_G_REGISTRY,
    "table,json",
    0};

static const char *sig_kind_name(dd_trust_sig_kind k)
{
    return k == DD_TRUST_SIG_COSIGN          ? "cosign"
           : k == DD_TRUST_SIG_ATTESTATION   ? "attestation"
           : k == DD_TRUST_SIG_NOTATION_JWS  ? "notation-jws"
           : k == DD_TRUST_SIG_NOTATION_COSE ? "notation-cose"
                                             : "bundle";
}

/* Read --key and the trusted root; one error line and an exit code. */
static int vi_setup(const char *key,
                    const char *root_path,
                    dd_trust_policy *pol,
                    char **kp,
                    dd_trust_root **root)
{
    size_t klen = 0;
    dd_error err = {0};
    if (key && !(*kp = cli_slurp(key, 1u << 20, &klen))) {
        fprintf(stderr, "drydock verify: %s: %s\n", key, strerror(errno));
        return EXIT_UNREADABLE;
    }
    pol->key_pem = *kp;
    int rc = root_path ? dd_trust_root_load(root, root_path, &err)
                       : dd_trust_root_builtin(root, &err);
    if (rc) {
        fprintf(stderr, "drydock verify: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    return 0;
}

int cmd_verify_image(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    dd_trust_policy pol;
    memset(&pol, 0, sizeof pol);
    vb_args va = {NULL, NULL, NULL, &pol};
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc =
        cli_parse(&cli_cmd_verify_image, &c, argc, argv, vb_opt, &va, pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_verify_image, pos, np, 1, 1, "IMAGE"))) {
        return rc;
    }
    if ((rc = cli_notation_args("verify", &pol))) {
        return rc;
    }
    /* --dct alone: nothing can verify; the verdict says why */
    if (!va.key && (!pol.identity || !pol.issuer) && !pol.trust_store &&
        !pol.dct) {
        fprintf(stderr, "drydock verify: --key, or --certificate-identity "
                        "and --certificate-oidc-issuer, or --trust-store, are "
                        "needed; see 'drydock verify --help'\n");
        return EXIT_USAGE;
    }
    if (c.registry.password && !c.registry.username) {
        fprintf(stderr, "drydock verify: --password-stdin needs --username\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_redirect_output(&c))) {
        return rc;
    }
    char *kp = NULL;
    dd_trust_root *root = NULL;
    dd_trust_image *res = NULL;
    dd_error err = {0};
    int ex = vi_setup(va.key, va.root, &pol, &kp, &root);
    if (!ex && (rc = dd_trust_verify_image(&res, pos[0], c.tag, &c.registry,
                                           root, &pol, &err))) {
        fprintf(stderr, "drydock verify: %s\n", err.message);
        ex = rc == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
    }
    if (!ex) {
        if (!strcmp(c.format, "json")) {
            json_t *a = json_array();
            for (size_t i = 0; i < res->n; i++) {
                const dd_trust_sig *s = &res->sigs[i];
                int ok = s->res.failed == DD_TRUST_OK;
                json_array_append_new(
                    a, json_pack(
                           "{s:s, s:o, s:b, s:s, s:o, s:o, s:o, s:o}", "kind",
                           sig_kind_name(s->kind), "where",
                           cli_json_text(s->where), "verified", ok, "check",
                           ok ? "" : dd_trust_check_name(s->res.failed),
                           "message", cli_json_text(s->res.message), "identity",
                           cli_json_text(s->res.identity), "reference",
                           cli_json_text(s->reference), "signing_time",
                           json_integer(s->res.signing_time)));
            }
            json_t *doc = json_pack(
                "{s:o, s:s, s:b, s:s, s:o, s:o}", "image",
                cli_json_text(res->image), "digest", res->digest, "verified",
                res->verified, "check",
                res->verified ? "" : dd_trust_check_name(res->failed),
                "message", cli_json_text(res->message), "signatures", a);
            json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
            json_decref(doc);
        } else {
            for (size_t i = 0; i < res->n; i++) {
                const dd_trust_sig *s = &res->sigs[i];
                int ok = s->res.failed == DD_TRUST_OK;
                printf("%-11s %-8s %s%s%s\n", sig_kind_name(s->kind),
                       ok ? "OK" : "FAILED", cli_esc(s->where), ok ? "" : ": ",
                       ok ? "" : cli_esc(s->res.message));
            }
        }
        if (res->verified) {
            if (strcmp(c.format, "json")) {
                printf("Verified OK: %s\n", cli_esc(res->message));
            }
        } else {
            fprintf(stderr, "drydock verify: not verified: %s\n",
                    cli_esc(res->message));
            ex = EXIT_FINDINGS;
        }
    }
    dd_trust_image_free(res);
    dd_trust_root_free(root);
    free(kp);
    return ex;
}
