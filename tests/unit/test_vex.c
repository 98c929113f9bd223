/*
 * tests/unit/test_vex.c - VEX documents (lib/vex): the documents in
 * tests/data/vex/ of each format (OpenVEX, CycloneDX, CSAF) against
 * findings of bash 5.2.15-2+b13 in the image localhost/bookworm-minbase:12
 * - suppressing, not suppressing (wrong product, wrong version, wrong
 * subcomponent, wrong distro), under_investigation, aliases, the later
 * statement winning - and malformed, truncated, oversized and deep
 * documents refused with one line naming the file and the JSON path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/drydock.h"
#include "drydock/vulndb.h"
#include "harness.h"
#include "lib/vex/vex_int.h"

#define DATA DD_SRCDIR "/tests/data/vex/"
#define DIGEST \
    "sha256:686512f6ce050ac5725e55fc4e0793c3a4637994fa3c748c11139bfee5de60c0"

static dd_image_info img_info(void)
{
    dd_image_info in;
    memset(&in, 0, sizeof in);
    in.name = "localhost/bookworm-minbase:12";
    in.manifest_digest = DIGEST;
    return in;
}

typedef struct fx {
    dd_vuln_info v;
    dd_finding f;
} fx;

static void finding(fx *x, const char *id, const char *refs)
{
    memset(x, 0, sizeof *x);
    x->v.package = "bash";
    x->v.source_package = "bash";
    x->v.installed_version = "5.2.15-2+b13";
    x->v.fixed_version = "5.2.15-2+deb12u9";
    x->v.status = DD_VULN_FIXED;
    x->v.pkg_type = "dpkg";
    x->v.namespace_ = "debian:12";
    x->v.references = refs;
    x->v.cvss_score = -1;
    x->v.purl =
        "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12";
    x->f.kind = DD_KIND_VULN;
    x->f.rule_id = id;
    x->f.vuln = &x->v;
    x->f.layer = -1;
    x->f.history = -1;
    x->f.deleted_in = -1;
}

/* the status the documents give the finding, "-" for none */
static const char *status_of(const dd__vex *v, const char *id, const char *refs)
{
    fx x;
    finding(&x, id, refs);
    dd_image_info in = img_info();
    const dd__vex_stmt *s = dd__vex_match(v, &x.f, &in);
    return s ? dd__vex_status_name(s->status) : "-";
}

static const struct {
    const char *file;
    const char *id, *refs;
    const char *want;
} cases[] = {
    /* OpenVEX */
    {"openvex-suppress.json", "CVE-2099-0001", "GHSA-aaaa-bbbb-cccc",
     "not_affected"},
    {"openvex-suppress.json", "CVE-2099-0002", "GHSA-dddd-eeee-ffff",
     "under_investigation"},
    /* the statement's alias names the finding */
    {"openvex-suppress.json", "DSA-9999-1", NULL, "under_investigation"},
    {"openvex-suppress.json", "CVE-2099-0003", NULL, "-"},
    {"openvex-wrong-product.json", "CVE-2099-0001", NULL, "-"},
    {"openvex-wrong-version.json", "CVE-2099-0001", NULL, "-"},
    {"openvex-subcomponent.json", "CVE-2099-0001", NULL, "-"},
    /* timestamps decide; without them the one read last */
    {"openvex-later.json", "CVE-2099-0001", NULL, "affected"},
    {"openvex-later.json", "CVE-2099-0002", NULL, "fixed"},
    /* CycloneDX */
    {"cdx-suppress.json", "CVE-2099-0001", NULL, "not_affected"},
    {"cdx-suppress.json", "CVE-2099-0002", "GHSA-dddd-eeee-ffff",
     "under_investigation"},
    {"cdx-wrong-product.json", "CVE-2099-0001", NULL, "-"},
    {"cdx-wrong-version.json", "CVE-2099-0001", NULL, "-"},
    {"cdx-versions.json", "CVE-2099-0001", NULL, "fixed"},
    /* CSAF */
    {"csaf-suppress.json", "CVE-2099-0001", NULL, "not_affected"},
    {"csaf-suppress.json", "CVE-2099-0002", "GHSA-dddd-eeee-ffff",
     "under_investigation"},
    {"csaf-suppress.json", "CVE-2099-0002", NULL, "-"},
    {"csaf-wrong-product.json", "CVE-2099-0001", NULL, "-"},
    {"csaf-wrong-version.json", "CVE-2099-0001", NULL, "-"},
    {"csaf-platform.json", "CVE-2099-0001", NULL, "fixed"},
    /* a platform (CPE) alone scopes nothing */
    {"csaf-platform.json", "CVE-2099-0002", NULL, "-"},
};

static void documents(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        char path[512];
        snprintf(path, sizeof path, "%s%s", DATA, cases[i].file);
        int rc = dd__vex_load(&v, path, &e);
        if (rc) {
            fprintf(stderr, "%s: %s\n", cases[i].file, e.message);
        }
        CHECK(rc == 0);
        const char *got = status_of(&v, cases[i].id, cases[i].refs);
        if (strcmp(got, cases[i].want)) {
            fprintf(stderr, "%s %s: got %s, want %s\n", cases[i].file,
                    cases[i].id, got, cases[i].want);
        }
        CHECK_STR(got, cases[i].want);
        dd__vex_free(&v);
    }
}

static int parse_text(dd__vex *v, const char *text, dd_error *e)
{
    return dd__vex_parse(v, "mem.json", text, strlen(text), e);
}

/* image scopes: digest, reference, pkg:oci purl with digest / name */
static void image_scope(void)
{
    static const struct {
        const char *product;
        const char *want;
    } pr[] = {
        {DIGEST, "not_affected"},
        {"sha256:00", "-"},
        {"localhost/bookworm-minbase:12", "not_affected"},
        {"localhost/bookworm-minbase", "not_affected"},
        {"localhost/bookworm-minbase:11", "-"},
        {"localhost/bookworm-minbase@" DIGEST, "not_affected"},
        {"pkg:oci/bookworm-minbase@sha256%3A686512f6ce050ac5725e55fc4e0793c3a4"
         "637994fa3c748c11139bfee5de60c0",
         "not_affected"},
        {"pkg:oci/bookworm-minbase@sha256%3A00", "-"},
        {"pkg:oci/bookworm-minbase?tag=12", "not_affected"},
        {"pkg:oci/bookworm-minbase?tag=13", "-"},
        {"pkg:oci/bookworm-minbase?repository_url=localhost/bookworm-minbase",
         "not_affected"},
        {"pkg:oci/bookworm-minbase?repository_url=elsewhere/bookworm-minbase",
         "-"},
        {"pkg:oci/alpine", "-"},
        {"cpe:/o:debian:debian_linux:12", "-"},
    };
    for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                 "\"statements\": [{\"vulnerability\": {\"name\": "
                 "\"CVE-2099-0001\"}, \"products\": [{\"@id\": \"%s\"}], "
                 "\"status\": \"not_affected\", \"justification\": "
                 "\"component_not_present\"}]}",
                 pr[i].product);
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        CHECK(parse_text(&v, doc, &e) == 0);
        const char *got = status_of(&v, "CVE-2099-0001", NULL);
        if (strcmp(got, pr[i].want)) {
            fprintf(stderr, "%s: got %s\n", pr[i].product, got);
        }
        CHECK_STR(got, pr[i].want);
        /* without an image, image scopes match nothing */
        fx x;
        finding(&x, "CVE-2099-0001", NULL);
        CHECK(dd__vex_match(&v, &x.f, NULL) == NULL);
        dd__vex_free(&v);
    }
}

/* package purls: qualifiers other than distro ignored, epochs, names */
static void package_scope(void)
{
    static const struct {
        const char *product, *installed;
        const char *want;
    } pr[] = {
        {"pkg:deb/debian/bash", "5.2.15-2+b13", "fixed"},
        {"pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=arm64", "5.2.15-2+b13",
         "fixed"},
        {"pkg:deb/debian/bash@5.2.15-2%2Bb13?distro=debian-12", "5.2.15-2+b13",
         "fixed"},
        {"pkg:deb/debian/bash@5.2.15-2%2Bb13?distro=debian-13", "5.2.15-2+b13",
         "-"},
        {"pkg:deb/debian/bash@5.2.15-2%2Bb13", "1:5.2.15-2+b13", "fixed"},
        {"pkg:deb/ubuntu/bash", "5.2.15-2+b13", "-"},
        {"pkg:rpm/debian/bash", "5.2.15-2+b13", "-"},
        {"pkg:deb/debian/bash-static", "5.2.15-2+b13", "-"},
        {"pkg:deb/debian/BASH", "5.2.15-2+b13", "fixed"},
        {"pkg:deb/debian/bash#subpath", "5.2.15-2+b13", "fixed"},
        {"pkg:deb", "5.2.15-2+b13", "-"},
        {"pkg:/deb/debian/bash", "5.2.15-2+b13", "fixed"},
    };
    for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", "
                 "\"components\": [{\"bom-ref\": \"c\", \"purl\": \"%s\"}], "
                 "\"vulnerabilities\": [{\"id\": \"CVE-2099-0001\", "
                 "\"analysis\": {\"state\": \"resolved\"}, \"affects\": "
                 "[{\"ref\": \"c\"}]}]}",
                 pr[i].product);
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        CHECK(parse_text(&v, doc, &e) == 0);
        fx x;
        finding(&x, "CVE-2099-0001", NULL);
        x.v.installed_version = pr[i].installed;
        dd_image_info in = img_info();
        const dd__vex_stmt *s = dd__vex_match(&v, &x.f, &in);
        const char *got = s ? dd__vex_status_name(s->status) : "-";
        if (strcmp(got, pr[i].want)) {
            fprintf(stderr, "%s: got %s\n", pr[i].product, got);
        }
        CHECK_STR(got, pr[i].want);
        if (s) {
            CHECK_STR(s->format, "CycloneDX");
            CHECK_STR(s->file, "mem.json");
        }
        dd__vex_free(&v);
    }
}

static void malformed(void)
{
    static const struct {
        const char *file, *piece;
    } bad[] = {
        {"bad-status.json", "$.statements[0].status"},
        {"bad-cdx-state.json", "$.vulnerabilities[0].analysis.state"},
        {"bad-csaf-product.json",
         "$.vulnerabilities[0].product_status.fixed[0]"},
        {"bad-csaf-category.json", "$.document.category"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", DATA, bad[i].file);
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        CHECK(dd__vex_load(&v, path, &e) == DD_ECORRUPT);
        CHECK(strstr(e.message, bad[i].file) != NULL);
        CHECK(strstr(e.message, bad[i].piece) != NULL);
        CHECK(strchr(e.message, '\n') == NULL);
        CHECK(v.stmts.len == 0); /* all of a document or none of it */
        dd__vex_free(&v);
    }
    static const struct {
        const char *doc, *piece;
    } mem[] = {
        {"[]", "$: not a JSON object"},
        {"{}", "not OpenVEX"},
        {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\"}",
         "$.statements: missing"},
        {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": "
         "[{\"vulnerability\": {\"name\": \"X\"}, \"status\": \"fixed\"}]}",
         "$.statements[0].products: missing"},
        {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": "
         "[{\"vulnerability\": 7, \"status\": \"fixed\"}]}",
         "$.statements[0].vulnerability: missing"},
        {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": "
         "[{\"vulnerability\": {\"name\": \"X\"}, \"status\": \"fixed\", "
         "\"products\": [{\"@id\": \"pkg:a/b\", \"subcomponents\": [5]}]}]}",
         "$.statements[0].products[0].subcomponents[0]: not an object"},
        {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": "
         "[{\"vulnerability\": {\"name\": \"X\\u0001\"}, \"status\": "
         "\"fixed\", \"products\": [\"pkg:a/b\"]}]}",
         "control character"},
        {"{\"bomFormat\": \"CycloneDX\"}", "$.vulnerabilities: missing"},
        {"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": "
         "\"X\", \"analysis\": {\"state\": \"resolved\"}, \"affects\": [{}]}]}",
         "$.vulnerabilities[0].affects[0].ref: missing"},
        {"{\"document\": {\"category\": \"csaf_vex\"}, \"vulnerabilities\": "
         "[{\"product_status\": {}}]}",
         "$.vulnerabilities[0]: neither cve nor ids"},
        {"{\"document\": {\"category\": \"csaf_vex\"}, \"product_tree\": "
         "{\"relationships\": [{\"product_reference\": \"A\"}]}}",
         "$.product_tree.relationships[0]: needs"},
    };
    for (size_t i = 0; i < sizeof mem / sizeof mem[0]; i++) {
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        int rc = parse_text(&v, mem[i].doc, &e);
        if (rc == 0 || !strstr(e.message, mem[i].piece)) {
            fprintf(stderr, "doc %zu: rc %d: %s\n", i, rc, e.message);
        }
        CHECK(rc == DD_ECORRUPT);
        CHECK(strstr(e.message, "mem.json: ") == e.message);
        CHECK(strstr(e.message, mem[i].piece) != NULL);
        dd__vex_free(&v);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    char *b = malloc(1 << 16);
    *len = b ? fread(b, 1, 1 << 16, f) : 0;
    fclose(f);
    return b;
}

/* every cut of a document is refused with one line */
static void truncated(void)
{
    static const char *const files[] = {
        "openvex-suppress.json", "cdx-suppress.json", "csaf-suppress.json"};
    for (size_t k = 0; k < 3; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", DATA, files[k]);
        size_t len = 0;
        char *text = slurp(path, &len);
        CHECK(text && len > 100);
        while (len && (text[len - 1] == '\n' || text[len - 1] == ' ')) {
            len--;
        }
        for (size_t cut = 0; cut < len; cut++) {
            dd__vex v;
            dd__vex_init(&v);
            dd_error e;
            int rc = dd__vex_parse(&v, files[k], text, cut, &e);
            dd__vex_free(&v);
            if (rc != DD_ECORRUPT || strchr(e.message, '\n') ||
                !strstr(e.message, files[k])) {
                free(text);
                CHECK(!"a cut document was not refused with one line");
            }
        }
        dd__vex v;
        dd__vex_init(&v);
        dd_error e;
        CHECK(dd__vex_parse(&v, files[k], text, len, &e) == 0);
        CHECK(v.stmts.len == 2);
        dd__vex_free(&v);
        free(text);
    }
}

static void limits(void)
{
    /* over the size cap: refused before parsing */
    size_t n = DD_VEX_MAX_BYTES + 1;
    char *big = malloc(n);
    CHECK(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    dd__vex v;
    dd__vex_init(&v);
    dd_error e;
    CHECK(dd__vex_parse(&v, "big.json", big, n, &e) == DD_ELIMIT);
    CHECK(strstr(e.message, "big.json") != NULL);
    free(big);
    /* CSAF branches nested deeper than the bound */
    dd__buf b;
    dd__buf_init(&b, 1u << 20);
    dd__buf_addstr(&b, "{\"document\": {\"category\": \"csaf_vex\"}, "
                       "\"product_tree\": {\"branches\": ");
    for (int i = 0; i < 40; i++) {
        dd__buf_addstr(&b, "[{\"name\": \"x\", \"branches\": ");
    }
    dd__buf_addstr(&b, "[]");
    for (int i = 0; i < 40; i++) {
        dd__buf_addstr(&b, "}]");
    }
    dd__buf_addstr(&b, "}}");
    CHECK(dd__vex_parse(&v, "deep.json", b.ptr, b.len, &e) == DD_ELIMIT);
    CHECK(strstr(e.message, "nested") != NULL);
    /* JSON nesting past the parser's limit */
    dd__buf_reset(&b);
    for (int i = 0; i < 5000; i++) {
        dd__buf_addstr(&b, "[");
    }
    CHECK(dd__vex_parse(&v, "nest.json", b.ptr, b.len, &e) == DD_ECORRUPT);
    /* too many subcomponents */
    dd__buf_reset(&b);
    dd__buf_addstr(&b, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                       "\"statements\": [{\"vulnerability\": \"X\", "
                       "\"status\": \"fixed\", \"products\": [{\"@id\": "
                       "\"pkg:a/b\", \"subcomponents\": [");
    for (unsigned i = 0; i <= DD_VEX_MAX_SUBS; i++) {
        dd__buf_printf(&b, "%s\"pkg:a/c%u\"", i ? "," : "", i);
    }
    dd__buf_addstr(&b, "]}]}]}");
    CHECK(dd__vex_parse(&v, "subs.json", b.ptr, b.len, &e) == DD_ELIMIT);
    CHECK(v.stmts.len == 0);
    /* an id longer than the bound */
    dd__buf_reset(&b);
    dd__buf_addstr(&b, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                       "\"statements\": [{\"vulnerability\": {\"name\": \"");
    for (unsigned i = 0; i <= DD_VEX_MAX_ID; i++) {
        dd__buf_addstr(&b, "A");
    }
    dd__buf_addstr(&b, "\"}, \"status\": \"fixed\", \"products\": [\"x\"]}]}");
    CHECK(dd__vex_parse(&v, "long.json", b.ptr, b.len, &e) == DD_ELIMIT);
    dd__buf_free(&b);
    /* a missing file names it */
    CHECK(dd__vex_load(&v, "/nonexistent/vex.json", &e) == DD_ENOTFOUND);
    CHECK(strstr(e.message, "/nonexistent/vex.json") != NULL);
    dd__vex_free(&v);
}

/* several documents: the one read last wins when neither has a time */
static void documents_in_order(void)
{
    dd__vex v;
    dd__vex_init(&v);
    dd_error e;
    const char *a = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                    "\"statements\": [{\"vulnerability\": \"CVE-2099-0001\", "
                    "\"status\": \"not_affected\", \"products\": "
                    "[\"pkg:deb/debian/bash\"]}]}";
    const char *b = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                    "\"statements\": [{\"vulnerability\": \"CVE-2099-0001\", "
                    "\"status\": \"affected\", \"products\": "
                    "[\"pkg:deb/debian/bash\"]}]}";
    CHECK(parse_text(&v, a, &e) == 0);
    CHECK_STR(status_of(&v, "CVE-2099-0001", NULL), "not_affected");
    CHECK(parse_text(&v, b, &e) == 0);
    CHECK_STR(status_of(&v, "CVE-2099-0001", NULL), "affected");
    CHECK(v.files == 2);
    /* not a vulnerability finding: nothing */
    fx x;
    finding(&x, "CVE-2099-0001", NULL);
    x.f.vuln = NULL;
    CHECK(dd__vex_match(&v, &x.f, NULL) == NULL);
    dd__vex_free(&v);
}

/* many statements: the index finds each one, aliases too, and ids
 * differing only in case are the same id */
static void many_statements(void)
{
    dd__buf b;
    dd__buf_init(&b, 64u << 20);
    dd__buf_addstr(&b, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", "
                       "\"statements\": [");
    for (unsigned i = 0; i < 20000; i++) {
        dd__buf_printf(&b,
                       "%s{\"vulnerability\": {\"name\": \"CVE-1-%u\", "
                       "\"aliases\": [\"ghsa-%u\"]}, \"status\": "
                       "\"%s\", \"products\": [\"pkg:deb/debian/bash\"]}",
                       i ? "," : "", i, i, i % 2 ? "fixed" : "affected");
    }
    dd__buf_addstr(&b, "]}");
    dd__vex v;
    dd__vex_init(&v);
    dd_error e;
    CHECK(dd__vex_parse(&v, "many.json", b.ptr, b.len, &e) == 0);
    dd__buf_free(&b);
    CHECK(v.stmts.len == 20000);
    CHECK_STR(status_of(&v, "CVE-1-19999", NULL), "fixed");
    CHECK_STR(status_of(&v, "cve-1-19998", NULL), "affected");
    CHECK_STR(status_of(&v, "X", "GHSA-777"), "fixed");
    CHECK_STR(status_of(&v, "CVE-1-20000", NULL), "-");
    CHECK_STR(status_of(&v, "CVE-1-1999", "CVE-1-3"), "fixed");
    dd__vex_free(&v);
}

TEST_LIST(T(documents),
          T(many_statements),
          T(image_scope),
          T(package_scope),
          T(malformed),
          T(truncated),
          T(limits),
          T(documents_in_order))
