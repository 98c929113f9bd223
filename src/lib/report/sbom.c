/*
 * lib/report/sbom.c - CycloneDX 1.6, SPDX 2.3 and drydock JSON inventories.
 *
 * Field choices (checked against the official schemas in the tests):
 * - CycloneDX: the image is metadata.component (type "container"), the
 *   OS a component of type "operating-system", packages type "library"
 *   with purl, supplier from the maintainer, licenses normalised to SPDX
 *   (drydock/license.h): {"license": {"id"}} for one SPDX id,
 *   {"expression"} for an expression, {"license": {"name"}} with the
 *   declared text when all we have is a LicenseRef; hashes when the database
 *   has them, and drydock:* properties for layer, diff_id, history step,
 *   source package and database path. dependencies: image -> os -> pkgs.
 * - SPDX: one package for the image (CONTAINER), one for the OS
 *   (OPERATING-SYSTEM), one per package with a purl external reference;
 *   licenseDeclared is the normalised SPDX expression (every LicenseRef-
 *   in it is listed in hasExtractedLicensingInfos with the declared
 *   text), licenseConcluded stays NOASSERTION, and the package manager's
 *   text goes to licenseComments. sourceInfo names the source package
 *   ("source package: NAME VERSION"), the comment the layer that
 *   installed the package.
 * Documents are deterministic except for serialNumber/documentNamespace
 * (a random UUID) and the timestamp (opts->created).
 *
 * Every document is streamed through util/jsonw.h (issue 23 section 3):
 * memory is the inventory plus a 64 KiB buffer (and, for CycloneDX, the
 * purls that name the dependencies), never a tree of the document. The
 * bytes are the ones json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
 * wrote for the same document before.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drydock/license.h"
#include "drydock/report.h"
#include "drydock/text.h"
#include "drydock/vulndb.h"
#include "report_int.h"
#include "../../util/jsonw.h"
#include "../../util/map.h"
#include "../../util/util.h"

typedef struct ctx {
    const dd_scan *scan;
    const dd_image_info *info;
    const dd_inventory *inv;
    const dd_os_info *os;
    const dd_sbom_opts *opts;
    char created[32];
    char uuid[40];
    const char *image_name;
    dd__jsonw *w;
} ctx;

/* text that is not UTF-8 (a package database, a file name) goes through
 * the reversible escape of drydock/text.h in the writer, never dropped;
 * NULL is "" here and null in nstr() */
static void S(ctx *c, const char *s)
{
    dd__jsonw_str(c->w, s ? s : "");
}

static void nstr(ctx *c, const char *s)
{
    dd__jsonw_str(c->w, s);
}

static void key(ctx *c, const char *k)
{
    dd__jsonw_key(c->w, k);
}

static void kS(ctx *c, const char *k, const char *s)
{
    key(c, k);
    S(c, s);
}

static void kN(ctx *c, const char *k, const char *s)
{
    key(c, k);
    nstr(c, s);
}

static void obj(ctx *c)
{
    dd__jsonw_obj_begin(c->w);
}

static void obj_end(ctx *c)
{
    dd__jsonw_obj_end(c->w);
}

static void arr(ctx *c)
{
    dd__jsonw_arr_begin(c->w);
}

static void arr_end(ctx *c)
{
    dd__jsonw_arr_end(c->w);
}

static void kobj(ctx *c, const char *k)
{
    key(c, k);
    obj(c);
}

static void karr(ctx *c, const char *k)
{
    key(c, k);
    arr(c);
}

static int failed(const ctx *c)
{
    return c->w->err != 0;
}

static void oom(ctx *c)
{
    if (!c->w->err) {
        c->w->err = DD_ENOMEM;
    }
}

static void prop(ctx *c, const char *name, const char *value)
{
    if (!value) {
        return;
    }
    obj(c);
    kS(c, "name", name);
    kS(c, "value", value);
    obj_end(c);
}

/* base64 of s's raw bytes, or NULL (with ENOMEM noted) */
static char *b64_of(ctx *c, const char *s, size_t n)
{
    size_t need = dd_text_base64(NULL, 0, s, n) + 1;
    char *b = dd__malloc(need);
    if (!b) {
        oom(c);
        return NULL;
    }
    dd_text_base64(b, need, s, n);
    return b;
}

/* the base64 of s's raw bytes as a property when s is not UTF-8 */
static void prop_bytes(ctx *c, const char *name, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || dd_text_is_utf8(s, n)) {
        return;
    }
    char *b = b64_of(c, s, n);
    if (b) {
        prop(c, name, b);
        dd__free(b);
    }
}

/* "<k>_bytes": the base64 of s when s is not UTF-8 (dd__json_set_bytes) */
static void kbytes(ctx *c, const char *k, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || dd_text_is_utf8(s, n)) {
        return;
    }
    char *b = b64_of(c, s, n);
    char *kb = dd__asprintf("%s_bytes", k);
    if (b && kb) {
        kS(c, kb, b);
    } else {
        oom(c);
    }
    dd__free(b);
    dd__free(kb);
}

static const char *layer_diff(const ctx *c, int layer)
{
    if (layer < 0 || (size_t)layer >= c->info->n_layers) {
        return NULL;
    }
    const dd_layer_desc *l = &c->info->layers[layer];
    return l->diff_id ? l->diff_id : l->digest;
}

static const char *layer_step(const ctx *c, const dd_package *p)
{
    if (p->history < 0 || (size_t)p->history >= c->info->n_history) {
        return NULL;
    }
    return c->info->history[p->history].created_by;
}

static void make_uuid(char *out)
{
    uint8_t r[16];
    if (RAND_bytes(r, sizeof r) != 1) {
        memset(r, 0x5a, sizeof r);
    }
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
    char h[33];
    dd__hex(r, 16, h);
    snprintf(out, 40, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
             h + 20);
}

static char *purl_of(ctx *c, const dd_package *p)
{
    char *u = dd_package_purl(p, c->os);
    if (!u) {
        oom(c);
    }
    return u;
}

/* The package's license as an SPDX expression (dd__free), or NULL. */
static char *spdx_license(ctx *c, const dd_package *p)
{
    if (!p->license || !*p->license) {
        return NULL;
    }
    char *e = NULL;
    if (dd_license_normalize(p->license, strlen(p->license), &e, NULL) ==
        DD_ENOMEM) {
        oom(c);
    }
    return e;
}

/* one SPDX id from the list CycloneDX's schema enumerates */
static int single_id(const char *e)
{
    return !strchr(e, ' ') && !strchr(e, '+') && strncmp(e, "LicenseRef-", 11);
}

/* ---- CycloneDX ------------------------------------------------------ */

static void
cdx_package(ctx *c, const dd_package *p, const char *bomref, const char *purl)
{
    obj(c);
    kS(c, "bom-ref", bomref);
    kS(c, "type", "library");
    if (p->maintainer) {
        kobj(c, "supplier");
        kS(c, "name", p->maintainer);
        obj_end(c);
    }
    kS(c, "name", p->name);
    kS(c, "version", p->version);
    char *e = spdx_license(c, p);
    if (e) {
        karr(c, "licenses");
        obj(c);
        if (single_id(e)) {
            kobj(c, "license");
            kS(c, "id", e);
            obj_end(c);
        } else if (!strncmp(e, "LicenseRef-", 11) && !strchr(e, ' ')) {
            kobj(c, "license");
            kS(c, "name", p->license);
            obj_end(c);
        } else {
            kS(c, "expression", e);
        }
        obj_end(c);
        arr_end(c);
        dd__free(e);
    }
    kS(c, "purl", purl);
    if (p->checksum) {
        const char *alg = NULL, *val = p->checksum;
        if (!strncmp(val, "sha1:", 5)) {
            alg = "SHA-1", val += 5;
        } else if (!strncmp(val, "sha256:", 7)) {
            alg = "SHA-256", val += 7;
        } else if (p->type == DD_PKG_RPM && strlen(val) == 32) {
            alg = "MD5";
        }
        if (alg) {
            karr(c, "hashes");
            obj(c);
            kS(c, "alg", alg);
            kS(c, "content", val);
            obj_end(c);
            arr_end(c);
        }
    }
    karr(c, "properties");
    char num[24];
    prop(c, "drydock:package:type", dd_pkg_type_name(p->type));
    prop(c, "drydock:package:source_name", p->source_name);
    prop(c, "drydock:package:source_version", p->source_version);
    prop(c, "drydock:package:arch", p->arch);
    prop(c, "drydock:package:vendor", p->vendor);
    prop(c, "drydock:package:modularity_label", p->modularity);
    prop(c, "drydock:package:source_rpm", p->source_rpm);
    prop(c, "drydock:package:db_path", p->db_path);
    prop_bytes(c, "drydock:package:db_path_bytes", p->db_path);
    snprintf(num, sizeof num, "%d", p->layer);
    prop(c, "drydock:layer:index", num);
    prop(c, "drydock:layer:diff_id", layer_diff(c, p->layer));
    prop(c, "drydock:layer:created_by", layer_step(c, p));
    arr_end(c);
    obj_end(c);
}

static const char *cdx_severity(dd_severity s)
{
    static const char *const n[] = {"unknown", "info", "low",
                                    "medium",  "high", "critical"};
    return (unsigned)s < sizeof n / sizeof *n ? n[s] : "unknown";
}

static const char *cvss_method(const char *vector)
{
    return !strncmp(vector, "CVSS:4", 6)   ? "CVSSv4"
           : !strncmp(vector, "CVSS:3", 6) ? "CVSSv31"
                                           : "CVSSv2";
}

/* the scan's vulnerability findings as CycloneDX vulnerabilities, each
 * affecting the component of its package (by purl) */
static void cdx_vulns(ctx *c)
{
    const dd_findings *fl = dd_scan_findings(c->scan);
    karr(c, "vulnerabilities");
    for (size_t i = 0; fl && i < dd_findings_count(fl) && !failed(c); i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        const dd_vuln_info *v = f->vuln;
        if (!v) {
            continue;
        }
        obj(c);
        kS(c, "id", f->rule_id);
        kobj(c, "source");
        kS(c, "name", v->namespace_);
        obj_end(c);
        karr(c, "ratings");
        obj(c);
        kS(c, "severity", cdx_severity(f->severity));
        if (v->cvss_score >= 0) {
            dd__jsonw_key(c->w, "score");
            dd__jsonw_real(c->w, v->cvss_score);
        }
        if (v->cvss_vector) {
            kS(c, "vector", v->cvss_vector);
            kS(c, "method", cvss_method(v->cvss_vector));
        }
        obj_end(c);
        arr_end(c);
        kS(c, "description", f->title);
        if (v->fixed_version) {
            char rec[512];
            snprintf(rec, sizeof rec, "Upgrade %s to %s", v->package,
                     v->fixed_version);
            kS(c, "recommendation", rec);
        }
        karr(c, "affects");
        obj(c);
        kS(c, "ref", v->purl ? v->purl : v->package);
        karr(c, "versions");
        obj(c);
        kS(c, "version", v->installed_version);
        kS(c, "status", "affected");
        obj_end(c);
        arr_end(c);
        obj_end(c);
        arr_end(c);
        obj_end(c);
    }
    arr_end(c);
}

static void cdx(ctx *c)
{
    obj(c);
    kS(c, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    kS(c, "bomFormat", "CycloneDX");
    kS(c, "specVersion", "1.6");
    char serial[64];
    snprintf(serial, sizeof serial, "urn:uuid:%s", c->uuid);
    kS(c, "serialNumber", serial);
    dd__jsonw_kint(c->w, "version", 1);
    kobj(c, "metadata");
    kS(c, "timestamp", c->created);
    kobj(c, "tools");
    karr(c, "components");
    obj(c);
    kS(c, "type", "application");
    kS(c, "name", "drydock");
    kS(c, "version", c->opts->tool_version);
    obj_end(c);
    arr_end(c);
    obj_end(c); /* tools */
    kobj(c, "component");
    kS(c, "bom-ref", "image");
    kS(c, "type", "container");
    kS(c, "name", c->image_name);
    if (c->info->manifest_digest || c->info->config_digest) {
        kS(c, "version",
           c->info->manifest_digest ? c->info->manifest_digest
                                    : c->info->config_digest);
    }
    karr(c, "properties");
    prop(c, "drydock:image:config_digest", c->info->config_digest);
    prop(c, "drydock:image:os", c->info->os);
    prop(c, "drydock:image:architecture", c->info->architecture);
    for (size_t i = 0; i < c->info->n_layers; i++) {
        prop(c, "drydock:image:diff_id", layer_diff(c, (int)i));
    }
    arr_end(c);
    obj_end(c); /* component */
    obj_end(c); /* metadata */

    karr(c, "components");
    if (c->os) {
        obj(c);
        kS(c, "bom-ref", "os");
        kS(c, "type", "operating-system");
        kS(c, "name", c->os->family);
        if (c->os->version) {
            kS(c, "version", c->os->version);
        }
        if (c->os->name) {
            kS(c, "description", c->os->name);
        }
        karr(c, "properties");
        prop(c, "drydock:os:codename", c->os->codename);
        prop(c, "drydock:os:source_file", c->os->source_file);
        prop(c, "drydock:os:eol",
             c->os->eol < 0 ? "unknown"
             : c->os->eol   ? "true"
                            : "false");
        prop(c, "drydock:os:eol_date", c->os->eol_date);
        arr_end(c);
        obj_end(c);
    }
    /* the dependencies come after the components: keep each package's
     * purl (the map's keys) or NULL for a duplicate purl ("pkg-N") */
    dd__map refs;
    if (dd__map_init(&refs)) {
        oom(c);
    }
    dd__vec keep;
    dd__vec_init(&keep, sizeof(char *));
    size_t n = dd_inventory_count(c->inv);
    for (size_t i = 0; i < n && !failed(c); i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        char *purl = purl_of(c, p);
        if (!purl) {
            break;
        }
        char **slot = dd__vec_push(&keep);
        if (!slot) {
            dd__free(purl);
            oom(c);
            break;
        }
        *slot = purl;
        int64_t seen;
        char ref[128];
        const char *bomref = purl;
        if (dd__map_get(&refs, purl, strlen(purl), &seen)) {
            snprintf(ref, sizeof ref, "pkg-%zu", i); /* duplicate purl */
            bomref = ref;
        } else if (dd__map_put(&refs, purl, strlen(purl), 1)) {
            oom(c);
        }
        cdx_package(c, p, bomref, purl);
        if (bomref == ref) {
            *slot = NULL; /* not a key of the map */
            dd__free(purl);
        }
    }
    arr_end(c);
    karr(c, "dependencies");
    obj(c);
    kS(c, "ref", "image");
    if (c->os) {
        karr(c, "dependsOn");
        S(c, "os");
        arr_end(c);
        obj_end(c);
        obj(c);
        kS(c, "ref", "os");
    }
    karr(c, "dependsOn");
    for (size_t i = 0; i < keep.len && !failed(c); i++) {
        const char *purl = *DD_VEC_AT(&keep, char *, i);
        char ref[128];
        if (!purl) {
            snprintf(ref, sizeof ref, "pkg-%zu", i);
        }
        S(c, purl ? purl : ref);
    }
    arr_end(c);
    obj_end(c);
    arr_end(c); /* dependencies */
    if (c->opts->with_vulns) {
        cdx_vulns(c);
    }
    obj_end(c);
    dd__map_free(&refs);
    for (size_t i = 0; i < keep.len; i++) {
        dd__free(*DD_VEC_AT(&keep, char *, i));
    }
    dd__vec_free(&keep);
}

/* ---- SPDX ----------------------------------------------------------- */

static void spdx_id(char *out, size_t n, size_t i, const char *name)
{
    int k = snprintf(out, n, "SPDXRef-Package-%zu-", i);
    size_t o = k > 0 ? (size_t)k : 0;
    for (; name && *name && o + 1 < n && o < 120; name++) {
        char ch = *name;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
        out[o++] = ok ? ch : '-';
    }
    out[o] = '\0';
}

static void rel(ctx *c, const char *a, const char *type, const char *b)
{
    obj(c);
    kS(c, "spdxElementId", a);
    kS(c, "relationshipType", type);
    kS(c, "relatedSpdxElement", b);
    obj_end(c);
}

/* "Name <mail>" -> "Person: Name (mail)" */
static void supplier(ctx *c, const char *m)
{
    if (!m || !*m) {
        S(c, "NOASSERTION");
        return;
    }
    char buf[512];
    const char *lt = strchr(m, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt) {
        size_t nl = (size_t)(lt - m);
        while (nl && m[nl - 1] == ' ') {
            nl--;
        }
        snprintf(buf, sizeof buf, "Person: %.*s (%.*s)", (int)nl, m,
                 (int)(gt - lt - 1), lt + 1);
    } else {
        snprintf(buf, sizeof buf, "Organization: %.400s", m);
    }
    S(c, buf);
}

/* the fields every SPDX package of ours has after its version */
static void spdx_common(ctx *c, const char *purpose)
{
    kS(c, "downloadLocation", "NOASSERTION");
    dd__jsonw_kbool(c->w, "filesAnalyzed", 0);
    kS(c, "primaryPackagePurpose", purpose);
    kS(c, "licenseConcluded", "NOASSERTION");
    kS(c, "licenseDeclared", "NOASSERTION");
}

static void spdx_package(ctx *c, size_t i, const dd_package *p)
{
    char id[200];
    spdx_id(id, sizeof id, i, p->name);
    obj(c);
    kS(c, "SPDXID", id);
    kS(c, "name", p->name);
    kS(c, "versionInfo", p->version);
    key(c, "supplier");
    supplier(c, p->maintainer);
    kS(c, "downloadLocation", "NOASSERTION");
    dd__jsonw_kbool(c->w, "filesAnalyzed", 0);
    kS(c, "primaryPackagePurpose", "LIBRARY");
    kS(c, "licenseConcluded", "NOASSERTION");
    char *e = spdx_license(c, p);
    kS(c, "licenseDeclared", e ? e : "NOASSERTION");
    dd__free(e);
    if (p->license && *p->license) {
        char lc[600];
        snprintf(lc, sizeof lc, "declared by the package manager: %.500s",
                 p->license);
        kS(c, "licenseComments", lc);
    }
    kS(c, "copyrightText", "NOASSERTION");
    if (p->source_name) {
        /* read back by sbom:FILE (source/sbom_input.c) */
        char si[600];
        snprintf(si, sizeof si, "source package: %.280s%s%.280s",
                 p->source_name, p->source_version ? " " : "",
                 p->source_version ? p->source_version : "");
        kS(c, "sourceInfo", si);
    }
    char info[900];
    const char *step = layer_step(c, p);
    snprintf(info, sizeof info,
             "%s package from %s, installed in layer %d (%s)%s%.500s",
             dd_pkg_type_name(p->type), p->db_path, p->layer,
             layer_diff(c, p->layer) ? layer_diff(c, p->layer) : "?",
             step ? " by: " : "", step ? step : "");
    kS(c, "comment", info);
    if (p->checksum && !strncmp(p->checksum, "sha1:", 5)) {
        karr(c, "checksums");
        obj(c);
        kS(c, "algorithm", "SHA1");
        kS(c, "checksumValue", p->checksum + 5);
        obj_end(c);
        arr_end(c);
    }
    char *purl = purl_of(c, p);
    if (purl) {
        karr(c, "externalRefs");
        obj(c);
        kS(c, "referenceCategory", "PACKAGE-MANAGER");
        kS(c, "referenceType", "purl");
        kS(c, "referenceLocator", purl);
        obj_end(c);
        arr_end(c);
        dd__free(purl);
    }
    obj_end(c);
}

/* hasExtractedLicensingInfos: each LicenseRef- of the packages' declared
 * licenses once, with the first declared text that made it */
static void spdx_extracted(ctx *c)
{
    dd__map seen;
    if (dd__map_init(&seen)) {
        oom(c);
        return;
    }
    dd__vec keep; /* char * to free */
    dd__vec_init(&keep, sizeof(char *));
    int open = 0;
    size_t n = dd_inventory_count(c->inv);
    for (size_t i = 0; i < n && !failed(c); i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        char *e = spdx_license(c, p);
        for (const char *r = e ? strstr(e, "LicenseRef-") : NULL; r;
             r = strstr(r + 1, "LicenseRef-")) {
            size_t k = 11;
            while (r[k] && r[k] != ' ' && r[k] != ')') {
                k++;
            }
            int64_t v;
            if (dd__map_get(&seen, r, k, &v)) {
                continue;
            }
            char *id = dd__strndup(r, k);
            char **slot = id ? dd__vec_push(&keep) : NULL;
            if (!slot || dd__map_put(&seen, id, k, 1)) {
                dd__free(slot ? NULL : id);
                oom(c);
                break;
            }
            *slot = id;
            if (!open) {
                karr(c, "hasExtractedLicensingInfos");
                open = 1;
            }
            obj(c);
            kS(c, "licenseId", id);
            char text[700];
            snprintf(text, sizeof text,
                     "declared by the package manager of %.100s: %.500s",
                     p->name, p->license);
            kS(c, "extractedText", text);
            kS(c, "name", id + 11);
            obj_end(c);
        }
        dd__free(e);
    }
    if (open) {
        arr_end(c);
    }
    for (size_t i = 0; i < keep.len; i++) {
        dd__free(*DD_VEC_AT(&keep, char *, i));
    }
    dd__vec_free(&keep);
    dd__map_free(&seen);
}

static void spdx(ctx *c)
{
    obj(c);
    kS(c, "spdxVersion", "SPDX-2.3");
    kS(c, "dataLicense", "CC0-1.0");
    kS(c, "SPDXID", "SPDXRef-DOCUMENT");
    kS(c, "name", c->image_name);
    char ns[600];
    snprintf(ns, sizeof ns, "https://drydock.invalid/spdx/image/%s", c->uuid);
    kS(c, "documentNamespace", ns);
    kobj(c, "creationInfo");
    karr(c, "creators");
    char tool[64];
    snprintf(tool, sizeof tool, "Tool: drydock-%s", c->opts->tool_version);
    S(c, tool);
    arr_end(c);
    kS(c, "created", c->created);
    obj_end(c);
    karr(c, "documentDescribes");
    S(c, "SPDXRef-Image");
    arr_end(c);

    karr(c, "packages");
    obj(c);
    kS(c, "SPDXID", "SPDXRef-Image");
    kS(c, "name", c->image_name);
    if (c->info->manifest_digest || c->info->config_digest) {
        kS(c, "versionInfo",
           c->info->manifest_digest ? c->info->manifest_digest
                                    : c->info->config_digest);
    }
    spdx_common(c, "CONTAINER");
    kS(c, "copyrightText", "NOASSERTION");
    obj_end(c);
    if (c->os) {
        obj(c);
        kS(c, "SPDXID", "SPDXRef-OperatingSystem");
        kS(c, "name", c->os->family);
        if (c->os->version) {
            kS(c, "versionInfo", c->os->version);
        }
        spdx_common(c, "OPERATING-SYSTEM");
        kS(c, "copyrightText", "NOASSERTION");
        if (c->os->name) {
            kS(c, "description", c->os->name);
        }
        obj_end(c);
    }
    size_t n = dd_inventory_count(c->inv);
    for (size_t i = 0; i < n && !failed(c); i++) {
        spdx_package(c, i, dd_inventory_get(c->inv, i));
    }
    arr_end(c);

    karr(c, "relationships");
    rel(c, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image");
    const char *parent = "SPDXRef-Image";
    if (c->os) {
        rel(c, "SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem");
        parent = "SPDXRef-OperatingSystem";
    }
    for (size_t i = 0; i < n && !failed(c); i++) {
        char id[200];
        spdx_id(id, sizeof id, i, dd_inventory_get(c->inv, i)->name);
        rel(c, parent, "CONTAINS", id);
    }
    arr_end(c);
    spdx_extracted(c);
    obj_end(c);
}

/* ---- drydock JSON ----------------------------------------------------- */

static void own_package(ctx *c, const dd_package *p)
{
    obj(c);
    kS(c, "type", dd_pkg_type_name(p->type));
    kS(c, "name", p->name);
    kS(c, "version", p->version);
    kN(c, "epoch", p->epoch);
    kN(c, "upstream", p->upstream);
    kN(c, "release", p->release);
    kN(c, "arch", p->arch);
    kN(c, "source_name", p->source_name);
    kN(c, "source_version", p->source_version);
    kN(c, "maintainer", p->maintainer);
    kN(c, "vendor", p->vendor);
    char *e = spdx_license(c, p);
    kN(c, "license", e);
    dd__free(e);
    kN(c, "license_declared", p->license);
    kN(c, "checksum", p->checksum);
    kN(c, "source_rpm", p->source_rpm);
    kN(c, "modularity_label", p->modularity);
    char *purl = purl_of(c, p);
    kN(c, "purl", purl);
    dd__free(purl);
    kS(c, "db_path", p->db_path);
    kbytes(c, "db_path", p->db_path);
    dd__jsonw_kint(c->w, "layer", p->layer);
    kN(c, "diff_id", layer_diff(c, p->layer));
    dd__jsonw_kint(c->w, "history", p->history);
    kN(c, "created_by", layer_step(c, p));
    dd__jsonw_kint(c->w, "n_files", (int64_t)p->n_files);
    if (c->opts->with_files) {
        karr(c, "files");
        for (size_t k = 0; k < p->n_files; k++) {
            S(c, p->files[k]);
        }
        arr_end(c);
    }
    obj_end(c);
}

static void own(ctx *c)
{
    obj(c);
    kS(c, "image", c->image_name);
    kN(c, "manifest_digest", c->info->manifest_digest);
    key(c, "os");
    if (c->os) {
        obj(c);
        kS(c, "family", c->os->family);
        kN(c, "name", c->os->name);
        kN(c, "version", c->os->version);
        kN(c, "codename", c->os->codename);
        kN(c, "source_file", c->os->source_file);
        key(c, "eol");
        if (c->os->eol < 0) {
            dd__jsonw_null(c->w);
        } else {
            dd__jsonw_bool(c->w, c->os->eol);
        }
        kN(c, "eol_date", c->os->eol_date);
        obj_end(c);
    } else {
        dd__jsonw_null(c->w);
    }
    dd__jsonw_kbool(c->w, "complete", dd_inventory_complete(c->inv));
    karr(c, "warnings");
    for (size_t i = 0; i < dd_inventory_warning_count(c->inv); i++) {
        S(c, dd_inventory_warning(c->inv, i));
    }
    arr_end(c);
    karr(c, "packages");
    size_t n = dd_inventory_count(c->inv);
    for (size_t i = 0; i < n && !failed(c); i++) {
        own_package(c, dd_inventory_get(c->inv, i));
    }
    arr_end(c);
    obj_end(c);
}

/* counts what reached the caller's callback, for the error message */
typedef struct sink {
    dd_write_fn write;
    void *payload;
    uint64_t bytes;
} sink;

static int sink_write(void *p, const void *buf, size_t n)
{
    sink *k = p;
    if (k->write(k->payload, buf, n)) {
        return -1;
    }
    k->bytes += n;
    return 0;
}

int dd_sbom_write(const dd_scan *scan,
                  const dd_image *img,
                  dd_sbom_format format,
                  const dd_sbom_opts *opts,
                  dd_write_fn write,
                  void *payload,
                  dd_error *err)
{
    dd__error_clear(err);
    dd_sbom_opts defaults = {"0", 0, 0, 0};
    if (!opts) {
        opts = &defaults;
    }
    if (!write) {
        return dd__error_set(err, DD_EINVALID, "no write callback");
    }
    ctx c;
    memset(&c, 0, sizeof c);
    c.scan = scan;
    c.info = dd_image_info_get(img);
    c.inv = dd_scan_inventory(scan);
    if (!c.inv) {
        return dd__error_set(err, DD_EINVALID,
                             "the scan ran without the package analyzer");
    }
    c.os = dd_inventory_os(c.inv);
    c.opts = opts;
    c.image_name = c.info->name ? c.info->name : c.info->path;
    time_t t = opts->created ? (time_t)opts->created : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(c.created, sizeof c.created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    make_uuid(c.uuid);
    sink k = {write, payload, 0};
    dd__jsonw w;
    c.w = &w;
    if (!dd__jsonw_init(&w, 2, sink_write, &k)) {
        if (format == DD_SBOM_CYCLONEDX) {
            cdx(&c);
        } else if (format == DD_SBOM_SPDX) {
            spdx(&c);
        } else {
            own(&c);
        }
    }
    int rc = dd__jsonw_finish(&w);
    if (rc == DD_EIO) {
        return dd__error_set(err, DD_EIO,
                             "writing the SBOM failed after %llu bytes",
                             (unsigned long long)k.bytes);
    }
    if (rc == DD_ENOMEM) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (rc) {
        return dd__error_set(err, rc, "internal error writing the SBOM");
    }
    return 0;
}

static int buf_write(void *p, const void *data, size_t n)
{
    return dd__buf_add(p, data, n);
}

int dd_sbom_render(char **out,
                   const dd_scan *scan,
                   const dd_image *img,
                   dd_sbom_format format,
                   const dd_sbom_opts *opts,
                   dd_error *err)
{
    dd__buf b;
    dd__buf_init(&b, 0);
    int rc = dd_sbom_write(scan, img, format, opts, buf_write, &b, err);
    if (rc == DD_EIO) {
        dd__buf_free(&b); /* only the buffer fails here */
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    if (rc) {
        dd__buf_free(&b);
        return rc;
    }
    *out = dd__buf_detach(&b);
    return *out ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
}
