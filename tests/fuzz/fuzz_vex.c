/*
 * tests/fuzz/fuzz_vex.c - libFuzzer target for VEX documents (lib/vex):
 * the OpenVEX, CycloneDX VEX and CSAF VEX readers (the input picks one by
 * its fields), and every document that parses matched against findings
 * of a fixed image, with and without the image. A refusal is one line
 * naming the document; a parse leaves all of its statements or none.
 */
#include <string.h>

#include "drydock/drydock.h"
#include "drydock/vulndb.h"
#include "lib/vex/vex_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd__vex v;
    dd__vex_init(&v);
    dd_error err;
    err.message[0] = 0;
    int rc = dd__vex_parse(&v, "fuzz.json", (const char *)data, size, &err);
    if (rc && (!strstr(err.message, "fuzz.json") || strchr(err.message, '\n') ||
               v.stmts.len)) {
        __builtin_trap();
    }
    if (!rc) {
        static const char *const purls[] = {
            "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12",
            "pkg:npm/%40scope/left-pad@1.3.0", "pkg:oci/x", "pkg:", ""};
        static const char *const ids[] = {"CVE-2099-0001",
                                          "GHSA-dddd-eeee-ffff", "X"};
        dd_image_info img;
        memset(&img, 0, sizeof img);
        img.name = "localhost/bookworm-minbase:12";
        img.manifest_digest = "sha256:0123";
        const char *tags[] = {"docker.io/library/alpine:3.20"};
        img.repo_tags = tags;
        img.n_repo_tags = 1;
        for (size_t p = 0; p < sizeof purls / sizeof purls[0]; p++) {
            for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
                dd_vuln_info vi;
                memset(&vi, 0, sizeof vi);
                vi.package = "bash";
                vi.installed_version = p ? "1:5.2.15-2+b13" : "5.2.15-2+b13";
                vi.references = "CVE-2099-0002,DSA-1";
                vi.purl = purls[p];
                dd_finding f;
                memset(&f, 0, sizeof f);
                f.kind = DD_KIND_VULN;
                f.rule_id = ids[i];
                f.vuln = &vi;
                const dd__vex_stmt *s = dd__vex_match(&v, &f, &img);
                if (s && (!s->file || !s->vuln || !s->product)) {
                    __builtin_trap();
                }
                (void)dd__vex_match(&v, &f, NULL);
            }
        }
    }
    dd__vex_free(&v);
    return 0;
}
