/*
 * lib/report/sbom.c - CycloneDX 1.6, SPDX 2.3 and drydock JSON inventories.
 *
 * Field choices (checked against the official schemas in the tests):
 * - CycloneDX: the image is metadata.component (type "container"), the
 *   OS a component of type "operating-system", packages type "library"
 *   with purl, supplier from the maintainer, licenses as free-text names
 *   (package managers do not promise SPDX ids), hashes when the database
 *   has them, and drydock:* properties for layer, diff_id, history step,
 *   source package and database path. dependencies: image -> os -> pkgs.
 * - SPDX: one package for the image (CONTAINER), one for the OS
 *   (OPERATING-SYSTEM), one per package with a purl external reference;
 *   licenseDeclared is NOASSERTION and the package manager's text goes to
 *   licenseComments, because SPDX requires valid license expressions
 *   there. sourceInfo names the layer that installed the package.
 * Documents are deterministic except for serialNumber/documentNamespace
 * (a random UUID) and the timestamp (opts->created).
 */
#include <jansson.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drydock/report.h"
#include "report_int.h"
#include "../../util/map.h"
#include "../../util/util.h"

typedef struct ctx {
    const dd_image_info *info;
    const dd_inventory *inv;
    const dd_os_info *os;
    const dd_sbom_opts *opts;
    char created[32];
    char uuid[40];
    const char *image_name;
    int oom;
} ctx;

static json_t *S(ctx *c, const char *s)
{
    /* text that is not UTF-8 (a package database, a file name): the
     * reversible escape of drydock/text.h, never dropped */
    json_t *j = s ? dd__json_text(s) : json_string("");
    if (!j || json_is_null(j)) {
        c->oom = 1;
    }
    return j;
}

static void set(ctx *c, json_t *o, const char *k, json_t *v)
{
    if (!v || json_object_set_new(o, k, v)) {
        c->oom = 1;
    }
}

static void push(ctx *c, json_t *a, json_t *v)
{
    if (!v || json_array_append_new(a, v)) {
        c->oom = 1;
    }
}

static void prop(ctx *c, json_t *props, const char *name, const char *value)
{
    if (!value) {
        return;
    }
    json_t *p = json_object();
    set(c, p, "name", S(c, name));
    set(c, p, "value", S(c, value));
    push(c, props, p);
}

/* the base64 of s's raw bytes as a property when s is not UTF-8 */
static void prop_bytes(ctx *c, json_t *props, const char *name, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || dd_text_is_utf8(s, n)) {
        return;
    }
    size_t need = dd_text_base64(NULL, 0, s, n) + 1;
    char *b = dd__malloc(need);
    if (!b) {
        c->oom = 1;
        return;
    }
    dd_text_base64(b, need, s, n);
    prop(c, props, name, b);
    dd__free(b);
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
        c->oom = 1;
    }
    return u;
}

/* ---- CycloneDX ------------------------------------------------------ */

static json_t *cdx(ctx *c)
{
    json_t *doc = json_object();
    set(c, doc, "$schema",
        S(c, "http://cyclonedx.org/schema/bom-1.6.schema.json"));
    set(c, doc, "bomFormat", S(c, "CycloneDX"));
    set(c, doc, "specVersion", S(c, "1.6"));
    char serial[64];
    snprintf(serial, sizeof serial, "urn:uuid:%s", c->uuid);
    set(c, doc, "serialNumber", S(c, serial));
    set(c, doc, "version", json_integer(1));
    json_t *meta = json_object();
    set(c, meta, "timestamp", S(c, c->created));
    json_t *tools = json_object(), *tcomps = json_array(),
           *tool = json_object();
    set(c, tool, "type", S(c, "application"));
    set(c, tool, "name", S(c, "drydock"));
    set(c, tool, "version", S(c, c->opts->tool_version));
    push(c, tcomps, tool);
    set(c, tools, "components", tcomps);
    set(c, meta, "tools", tools);
    json_t *img = json_object();
    set(c, img, "bom-ref", S(c, "image"));
    set(c, img, "type", S(c, "container"));
    set(c, img, "name", S(c, c->image_name));
    if (c->info->manifest_digest || c->info->config_digest) {
        set(c, img, "version",
            S(c, c->info->manifest_digest ? c->info->manifest_digest
                                          : c->info->config_digest));
    }
    json_t *iprops = json_array();
    prop(c, iprops, "drydock:image:config_digest", c->info->config_digest);
    prop(c, iprops, "drydock:image:os", c->info->os);
    prop(c, iprops, "drydock:image:architecture", c->info->architecture);
    for (size_t i = 0; i < c->info->n_layers; i++) {
        prop(c, iprops, "drydock:image:diff_id", layer_diff(c, (int)i));
    }
    set(c, img, "properties", iprops);
    set(c, meta, "component", img);
    set(c, doc, "metadata", meta);

    json_t *comps = json_array(), *deps = json_array();
    json_t *os_deps = json_array();
    if (c->os) {
        json_t *o = json_object();
        set(c, o, "bom-ref", S(c, "os"));
        set(c, o, "type", S(c, "operating-system"));
        set(c, o, "name", S(c, c->os->family));
        if (c->os->version) {
            set(c, o, "version", S(c, c->os->version));
        }
        if (c->os->name) {
            set(c, o, "description", S(c, c->os->name));
        }
        json_t *op = json_array();
        prop(c, op, "drydock:os:codename", c->os->codename);
        prop(c, op, "drydock:os:source_file", c->os->source_file);
        prop(c, op, "drydock:os:eol",
             c->os->eol < 0 ? "unknown"
             : c->os->eol   ? "true"
                            : "false");
        prop(c, op, "drydock:os:eol_date", c->os->eol_date);
        set(c, o, "properties", op);
        push(c, comps, o);
    }
    dd_map refs;
    if (dd__map_init(&refs)) {
        c->oom = 1;
    }
    dd_vec keep; /* purls kept alive for the map */
    dd__vec_init(&keep, sizeof(char *));
    for (size_t i = 0; i < dd_inventory_count(c->inv) && !c->oom; i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        char *purl = purl_of(c, p);
        if (!purl) {
            break;
        }
        char **slot = dd__vec_push(&keep);
        if (!slot) {
            dd__free(purl);
            c->oom = 1;
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
            c->oom = 1;
        }
        json_t *o = json_object();
        set(c, o, "bom-ref", S(c, bomref));
        set(c, o, "type", S(c, "library"));
        if (p->maintainer) {
            json_t *sup = json_object();
            set(c, sup, "name", S(c, p->maintainer));
            set(c, o, "supplier", sup);
        }
        set(c, o, "name", S(c, p->name));
        set(c, o, "version", S(c, p->version));
        if (p->license && *p->license) {
            json_t *ls = json_array(), *l = json_object(), *li = json_object();
            set(c, li, "name", S(c, p->license));
            set(c, l, "license", li);
            push(c, ls, l);
            set(c, o, "licenses", ls);
        }
        set(c, o, "purl", S(c, purl));
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
                json_t *hs = json_array(), *h = json_object();
                set(c, h, "alg", S(c, alg));
                set(c, h, "content", S(c, val));
                push(c, hs, h);
                set(c, o, "hashes", hs);
            }
        }
        json_t *pp = json_array();
        char num[24];
        prop(c, pp, "drydock:package:type", dd_pkg_type_name(p->type));
        prop(c, pp, "drydock:package:source_name", p->source_name);
        prop(c, pp, "drydock:package:source_version", p->source_version);
        prop(c, pp, "drydock:package:arch", p->arch);
        prop(c, pp, "drydock:package:vendor", p->vendor);
        prop(c, pp, "drydock:package:modularity_label", p->modularity);
        prop(c, pp, "drydock:package:source_rpm", p->source_rpm);
        prop(c, pp, "drydock:package:db_path", p->db_path);
        prop_bytes(c, pp, "drydock:package:db_path_bytes", p->db_path);
        snprintf(num, sizeof num, "%d", p->layer);
        prop(c, pp, "drydock:layer:index", num);
        prop(c, pp, "drydock:layer:diff_id", layer_diff(c, p->layer));
        prop(c, pp, "drydock:layer:created_by", layer_step(c, p));
        set(c, o, "properties", pp);
        push(c, comps, o);
        push(c, os_deps, S(c, bomref));
    }
    set(c, doc, "components", comps);
    json_t *d_img = json_object(), *img_on = json_array();
    set(c, d_img, "ref", S(c, "image"));
    if (c->os) {
        push(c, img_on, S(c, "os"));
        json_t *d_os = json_object();
        set(c, d_os, "ref", S(c, "os"));
        set(c, d_os, "dependsOn", os_deps);
        set(c, d_img, "dependsOn", img_on);
        push(c, deps, d_img);
        push(c, deps, d_os);
    } else {
        json_decref(img_on);
        set(c, d_img, "dependsOn", os_deps);
        push(c, deps, d_img);
    }
    set(c, doc, "dependencies", deps);
    dd__map_free(&refs);
    for (size_t i = 0; i < keep.len; i++) {
        dd__free(*DD_VEC_AT(&keep, char *, i));
    }
    dd__vec_free(&keep);
    return doc;
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

static json_t *rel(ctx *c, const char *a, const char *type, const char *b)
{
    json_t *r = json_object();
    set(c, r, "spdxElementId", S(c, a));
    set(c, r, "relationshipType", S(c, type));
    set(c, r, "relatedSpdxElement", S(c, b));
    return r;
}

/* "Name <mail>" -> "Person: Name (mail)" */
static json_t *supplier(ctx *c, const char *m)
{
    if (!m || !*m) {
        return S(c, "NOASSERTION");
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
    return S(c, buf);
}

static json_t *spdx(ctx *c)
{
    json_t *doc = json_object();
    set(c, doc, "spdxVersion", S(c, "SPDX-2.3"));
    set(c, doc, "dataLicense", S(c, "CC0-1.0"));
    set(c, doc, "SPDXID", S(c, "SPDXRef-DOCUMENT"));
    set(c, doc, "name", S(c, c->image_name));
    char ns[600];
    snprintf(ns, sizeof ns, "https://drydock.invalid/spdx/image/%s", c->uuid);
    set(c, doc, "documentNamespace", S(c, ns));
    json_t *ci = json_object(), *creators = json_array();
    char tool[64];
    snprintf(tool, sizeof tool, "Tool: drydock-%s", c->opts->tool_version);
    push(c, creators, S(c, tool));
    set(c, ci, "creators", creators);
    set(c, ci, "created", S(c, c->created));
    set(c, doc, "creationInfo", ci);
    json_t *desc = json_array();
    push(c, desc, S(c, "SPDXRef-Image"));
    set(c, doc, "documentDescribes", desc);
    json_t *pkgs = json_array(), *rels = json_array();
    push(c, rels, rel(c, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));

    json_t *img = json_object();
    set(c, img, "SPDXID", S(c, "SPDXRef-Image"));
    set(c, img, "name", S(c, c->image_name));
    if (c->info->manifest_digest || c->info->config_digest) {
        set(c, img, "versionInfo",
            S(c, c->info->manifest_digest ? c->info->manifest_digest
                                          : c->info->config_digest));
    }
    set(c, img, "downloadLocation", S(c, "NOASSERTION"));
    set(c, img, "filesAnalyzed", json_false());
    set(c, img, "primaryPackagePurpose", S(c, "CONTAINER"));
    set(c, img, "licenseConcluded", S(c, "NOASSERTION"));
    set(c, img, "licenseDeclared", S(c, "NOASSERTION"));
    set(c, img, "copyrightText", S(c, "NOASSERTION"));
    push(c, pkgs, img);
    const char *parent = "SPDXRef-Image";
    if (c->os) {
        json_t *o = json_object();
        set(c, o, "SPDXID", S(c, "SPDXRef-OperatingSystem"));
        set(c, o, "name", S(c, c->os->family));
        if (c->os->version) {
            set(c, o, "versionInfo", S(c, c->os->version));
        }
        set(c, o, "downloadLocation", S(c, "NOASSERTION"));
        set(c, o, "filesAnalyzed", json_false());
        set(c, o, "primaryPackagePurpose", S(c, "OPERATING-SYSTEM"));
        set(c, o, "licenseConcluded", S(c, "NOASSERTION"));
        set(c, o, "licenseDeclared", S(c, "NOASSERTION"));
        set(c, o, "copyrightText", S(c, "NOASSERTION"));
        if (c->os->name) {
            set(c, o, "description", S(c, c->os->name));
        }
        push(c, pkgs, o);
        push(c, rels,
             rel(c, "SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem"));
        parent = "SPDXRef-OperatingSystem";
    }
    for (size_t i = 0; i < dd_inventory_count(c->inv) && !c->oom; i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        char id[200];
        spdx_id(id, sizeof id, i, p->name);
        json_t *o = json_object();
        set(c, o, "SPDXID", S(c, id));
        set(c, o, "name", S(c, p->name));
        set(c, o, "versionInfo", S(c, p->version));
        set(c, o, "supplier", supplier(c, p->maintainer));
        set(c, o, "downloadLocation", S(c, "NOASSERTION"));
        set(c, o, "filesAnalyzed", json_false());
        set(c, o, "primaryPackagePurpose", S(c, "LIBRARY"));
        set(c, o, "licenseConcluded", S(c, "NOASSERTION"));
        set(c, o, "licenseDeclared", S(c, "NOASSERTION"));
        if (p->license && *p->license) {
            char lc[600];
            snprintf(lc, sizeof lc, "declared by the package manager: %.500s",
                     p->license);
            set(c, o, "licenseComments", S(c, lc));
        }
        set(c, o, "copyrightText", S(c, "NOASSERTION"));
        if (p->source_name) {
            set(c, o, "sourceInfo", S(c, p->source_name));
        }
        char info[900];
        const char *step = layer_step(c, p);
        snprintf(info, sizeof info,
                 "%s package from %s, installed in layer %d (%s)%s%.500s",
                 dd_pkg_type_name(p->type), p->db_path, p->layer,
                 layer_diff(c, p->layer) ? layer_diff(c, p->layer) : "?",
                 step ? " by: " : "", step ? step : "");
        set(c, o, "comment", S(c, info));
        if (p->checksum && !strncmp(p->checksum, "sha1:", 5)) {
            json_t *cs = json_array(), *h = json_object();
            set(c, h, "algorithm", S(c, "SHA1"));
            set(c, h, "checksumValue", S(c, p->checksum + 5));
            push(c, cs, h);
            set(c, o, "checksums", cs);
        }
        char *purl = purl_of(c, p);
        if (purl) {
            json_t *refs = json_array(), *r = json_object();
            set(c, r, "referenceCategory", S(c, "PACKAGE-MANAGER"));
            set(c, r, "referenceType", S(c, "purl"));
            set(c, r, "referenceLocator", S(c, purl));
            push(c, refs, r);
            set(c, o, "externalRefs", refs);
            dd__free(purl);
        }
        push(c, pkgs, o);
        push(c, rels, rel(c, parent, "CONTAINS", id));
    }
    set(c, doc, "packages", pkgs);
    set(c, doc, "relationships", rels);
    return doc;
}

/* ---- drydock JSON ----------------------------------------------------- */

static json_t *nstr(ctx *c, const char *s)
{
    return s ? S(c, s) : json_null();
}

static json_t *own(ctx *c)
{
    json_t *doc = json_object();
    set(c, doc, "image", S(c, c->image_name));
    set(c, doc, "manifest_digest", nstr(c, c->info->manifest_digest));
    if (c->os) {
        json_t *o = json_object();
        set(c, o, "family", S(c, c->os->family));
        set(c, o, "name", nstr(c, c->os->name));
        set(c, o, "version", nstr(c, c->os->version));
        set(c, o, "codename", nstr(c, c->os->codename));
        set(c, o, "source_file", nstr(c, c->os->source_file));
        set(c, o, "eol",
            c->os->eol < 0 ? json_null() : json_boolean(c->os->eol));
        set(c, o, "eol_date", nstr(c, c->os->eol_date));
        set(c, doc, "os", o);
    } else {
        set(c, doc, "os", json_null());
    }
    set(c, doc, "complete", json_boolean(dd_inventory_complete(c->inv)));
    json_t *warns = json_array();
    for (size_t i = 0; i < dd_inventory_warning_count(c->inv); i++) {
        push(c, warns, S(c, dd_inventory_warning(c->inv, i)));
    }
    set(c, doc, "warnings", warns);
    json_t *pkgs = json_array();
    for (size_t i = 0; i < dd_inventory_count(c->inv) && !c->oom; i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        json_t *o = json_object();
        set(c, o, "type", S(c, dd_pkg_type_name(p->type)));
        set(c, o, "name", S(c, p->name));
        set(c, o, "version", S(c, p->version));
        set(c, o, "epoch", nstr(c, p->epoch));
        set(c, o, "upstream", nstr(c, p->upstream));
        set(c, o, "release", nstr(c, p->release));
        set(c, o, "arch", nstr(c, p->arch));
        set(c, o, "source_name", nstr(c, p->source_name));
        set(c, o, "source_version", nstr(c, p->source_version));
        set(c, o, "maintainer", nstr(c, p->maintainer));
        set(c, o, "vendor", nstr(c, p->vendor));
        set(c, o, "license", nstr(c, p->license));
        set(c, o, "checksum", nstr(c, p->checksum));
        set(c, o, "source_rpm", nstr(c, p->source_rpm));
        set(c, o, "modularity_label", nstr(c, p->modularity));
        char *purl = purl_of(c, p);
        set(c, o, "purl", nstr(c, purl));
        dd__free(purl);
        set(c, o, "db_path", S(c, p->db_path));
        if (dd__json_set_bytes(o, "db_path", p->db_path)) {
            c->oom = 1;
        }
        set(c, o, "layer", json_integer(p->layer));
        set(c, o, "diff_id", nstr(c, layer_diff(c, p->layer)));
        set(c, o, "history", json_integer(p->history));
        set(c, o, "created_by", nstr(c, layer_step(c, p)));
        set(c, o, "n_files", json_integer((json_int_t)p->n_files));
        if (c->opts->with_files) {
            json_t *fs = json_array();
            for (size_t k = 0; k < p->n_files; k++) {
                push(c, fs, S(c, p->files[k]));
            }
            set(c, o, "files", fs);
        }
        push(c, pkgs, o);
    }
    set(c, doc, "packages", pkgs);
    return doc;
}

int dd_sbom_render(char **out,
                   const dd_scan *scan,
                   const dd_image *img,
                   dd_sbom_format format,
                   const dd_sbom_opts *opts,
                   dd_error *err)
{
    dd__error_clear(err);
    dd_sbom_opts defaults = {"0", 0, 0};
    if (!opts) {
        opts = &defaults;
    }
    ctx c;
    memset(&c, 0, sizeof c);
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
    json_t *doc = format == DD_SBOM_CYCLONEDX ? cdx(&c)
                  : format == DD_SBOM_SPDX    ? spdx(&c)
                                              : own(&c);
    char *text = NULL;
    if (doc && !c.oom) {
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    }
    json_decref(doc);
    if (!text) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    *out = dd__strdup(text);
    free(text); /* json_dumps() result: jansson allocator */
    return *out ? 0 : dd__error_set(err, DD_ENOMEM, "out of memory");
}
