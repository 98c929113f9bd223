/*
 * lib/report/scan_report.c - a scan as JSON, SARIF, CycloneDX or SPDX,
 * the dispatch to the table (report_table.c) and JUnit (report_junit.c)
 * renderers (drydock/report.h), and findings lists alone.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drydock/report.h"
#include "drydock/vulndb.h"
#include "report_int.h"
#include "../../util/util.h"

#define OUT_MAX ((size_t)1 << 31)

static const char *const formats[] = {"table",     "json", "sarif",
                                      "cyclonedx", "spdx", "junit"};

const char *dd_report_format_name(size_t i)
{
    return i < sizeof formats / sizeof *formats ? formats[i] : NULL;
}

static const char *image_name(const dd_image_info *in)
{
    return in->name ? in->name : in->path;
}

static json_t *severity_summary(const dd_scan_summary *s)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "total",
                     (json_int_t)s->total, "critical",
                     (json_int_t)s->by_severity[DD_SEV_CRITICAL], "high",
                     (json_int_t)s->by_severity[DD_SEV_HIGH], "medium",
                     (json_int_t)s->by_severity[DD_SEV_MEDIUM], "low",
                     (json_int_t)s->by_severity[DD_SEV_LOW], "info",
                     (json_int_t)s->by_severity[DD_SEV_INFO], "unknown",
                     (json_int_t)s->by_severity[DD_SEV_UNKNOWN]);
}

/* ------------------------------------------------------------ json */
static json_t *scan_json(const dd_scan *scan)
{
    const dd_image_info *in = dd_image_info_get(dd_scan_image(scan));
    const dd_scan_summary *sum = dd_scan_summary_get(scan);
    const dd_inventory *inv = dd_scan_inventory(scan);
    const dd_os_info *os = inv ? dd_inventory_os(inv) : NULL;
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("drydock-scan/1"));
    json_object_set_new(doc, "drydock_version", json_string(DRYDOCK_VERSION));
    json_object_set_new(
        doc, "image",
        json_pack("{s:o,s:o,s:o,s:o,s:o}", "name",
                  dd__json_text(image_name(in)), "manifest_digest",
                  dd__json_text(in->manifest_digest), "os_family",
                  dd__json_text(os ? os->family : NULL), "os_version",
                  dd__json_text(os ? os->version : NULL), "os_eol",
                  os && os->eol >= 0 ? json_boolean(os->eol) : json_null()));
    json_t *sc = json_array();
    for (size_t i = 0; dd_scanner_name(i); i++) {
        if (sum->scanners & dd_scanner_bit(i)) {
            json_array_append_new(sc, json_string(dd_scanner_name(i)));
        }
    }
    json_object_set_new(doc, "scanners", sc);
    json_object_set_new(doc, "database",
                        json_pack("{s:o,s:I,s:o}", "path",
                                  dd__json_text(sum->db_path), "age_seconds",
                                  (json_int_t)sum->db_age, "namespace",
                                  dd__json_text(sum->db_namespace)));
    json_object_set_new(doc, "malware_engines",
                        (sum->scanners & DD_SCANNER_MALWARE)
                            ? json_string(dd_scan_malware_engines(scan))
                            : json_null());
    json_object_set_new(doc, "packages_checked",
                        json_integer((json_int_t)sum->packages_checked));
    json_object_set_new(doc, "complete", json_boolean(sum->complete));
    if (sum->signatures) {
        json_object_set_new(doc, "signatures", dd__json_text(sum->signatures));
    }
    json_t *warns = json_array();
    for (size_t i = 0; i < dd_scan_warning_count(scan); i++) {
        json_array_append_new(warns, dd__json_text(dd_scan_warning(scan, i)));
    }
    json_object_set_new(doc, "warnings", warns);
    json_t *fs = dd__findings_json(dd_scan_findings(scan), in, json_array());
    /* a VEX statement's status on a finding it keeps (docs/vex.md) */
    for (size_t i = 0; fs && i < json_array_size(fs); i++) {
        const dd_finding *f = dd_findings_get(dd_scan_findings(scan), i);
        const char *vs = dd_scan_vex_status(scan, f, NULL);
        if (vs) {
            json_object_set_new(
                json_object_get(json_array_get(fs, i), "vulnerability"), "vex",
                json_string(vs));
        }
    }
    json_object_set_new(doc, "findings", fs);
    json_t *ign = json_array();
    for (size_t i = 0; i < dd_scan_ignored_count(scan); i++) {
        const dd_ignored *g = dd_scan_ignored(scan, i);
        json_array_append_new(
            ign, json_pack("{s:o,s:o,s:o,s:o,s:o}", "id", dd__json_text(g->id),
                           "package", dd__json_text(g->package), "rule",
                           dd__json_text(g->rule), "expires",
                           dd__json_text(g->expires), "reason",
                           dd__json_text(g->reason)));
    }
    json_object_set_new(doc, "ignored", ign);
    json_object_set_new(doc, "summary", severity_summary(sum));
    return doc;
}

/* ------------------------------------------------------------ sarif */
static const char *sarif_level(dd_severity s)
{
    return s >= DD_SEV_HIGH ? "error" : s == DD_SEV_MEDIUM ? "warning" : "note";
}

static double sec_score(const dd_finding *f)
{
    if (f->vuln && f->vuln->cvss_score >= 0) {
        return f->vuln->cvss_score;
    }
    static const double d[] = {0.0, 0.0, 2.0, 5.5, 8.0, 9.5};
    return d[f->severity];
}

static json_t *sarif_rule(const dd_finding *f)
{
    json_t *r = json_object(), *pr = json_object();
    json_object_set_new(r, "id", dd__json_text(f->rule_id));
    json_object_set_new(r, "name", dd__json_text(f->rule_id));
    json_object_set_new(r, "shortDescription",
                        json_pack("{s:o}", "text", dd__json_text(f->title)));
    json_object_set_new(r, "fullDescription",
                        json_pack("{s:o}", "text", dd__json_text(f->title)));
    if (!strncmp(f->rule_id, "CVE-", 4)) {
        char u[256];
        snprintf(u, sizeof u, "https://www.cve.org/CVERecord?id=%s",
                 f->rule_id);
        json_object_set_new(r, "helpUri", dd__json_text(u));
    }
    json_object_set_new(r, "help",
                        json_pack("{s:o}", "text", dd__json_text(f->title)));
    char score[16];
    snprintf(score, sizeof score, "%.1f", sec_score(f));
    json_object_set_new(pr, "security-severity", json_string(score));
    json_object_set_new(pr, "tags",
                        json_pack("[s,s]", "security", dd_kind_name(f->kind)));
    json_object_set_new(r, "properties", pr);
    json_object_set_new(r, "defaultConfiguration",
                        json_pack("{s:s}", "level", sarif_level(f->severity)));
    return r;
}

static json_t *sarif_result(const dd_finding *f, size_t idx, const char *name)
{
    char msg[1024];
    if (f->vuln) {
        snprintf(msg, sizeof msg,
                 "%s %s: %s %s in %s (%s); fixed version: %s. Image: %s",
                 f->rule_id, dd_severity_name(f->severity), f->vuln->package,
                 f->vuln->installed_version, f->vuln->source_package,
                 dd_vuln_status_name(f->vuln->status),
                 f->vuln->fixed_version ? f->vuln->fixed_version : "none",
                 name);
    } else {
        snprintf(msg, sizeof msg, "%s: %s. Image: %s", f->rule_id, f->title,
                 name);
    }
    json_t *res = json_object();
    json_object_set_new(res, "ruleId", dd__json_text(f->rule_id));
    json_object_set_new(res, "ruleIndex", json_integer((json_int_t)idx));
    json_object_set_new(res, "level", json_string(sarif_level(f->severity)));
    json_object_set_new(res, "message",
                        json_pack("{s:o}", "text", dd__json_text(msg)));
    int line = f->line ? (int)f->line : 1;
    json_t *loc = json_pack(
        "[{s:{s:{s:o,s:s},s:{s:i,s:i,s:i,s:i}}}]", "physicalLocation",
        "artifactLocation", "uri", dd__json_text(f->path ? f->path : "image"),
        "uriBaseId", "ROOTPATH", "region", "startLine", line, "startColumn", 1,
        "endLine", line, "endColumn", 1);
    json_object_set_new(res, "locations", loc);
    json_t *props = json_object();
    if (f->vuln) {
        json_object_set_new(props, "package", dd__json_text(f->vuln->package));
        json_object_set_new(props, "installedVersion",
                            dd__json_text(f->vuln->installed_version));
        json_object_set_new(props, "fixedVersion",
                            dd__json_text(f->vuln->fixed_version));
        json_object_set_new(props, "status",
                            json_string(dd_vuln_status_name(f->vuln->status)));
    }
    json_object_set_new(props, "layer", json_integer(f->layer));
    if (f->engine) {
        json_object_set_new(props, "engine", dd__json_text(f->engine));
    }
    if (f->sha256) {
        json_object_set_new(props, "sha256", dd__json_text(f->sha256));
    }
    dd__json_set_bytes(props, "path", f->path);
    if (f->category) {
        json_object_set_new(props, "category", dd__json_text(f->category));
    }
    json_object_set_new(res, "properties", props);
    return res;
}

static json_t *scan_sarif(const dd_scan *scan)
{
    const dd_image_info *in = dd_image_info_get(dd_scan_image(scan));
    const dd_findings *fl = dd_scan_findings(scan);
    json_t *doc = json_object(), *run = json_object();
    json_object_set_new(
        doc, "$schema",
        json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(doc, "version", json_string("2.1.0"));
    json_t *drv = json_object(), *rules = json_array();
    json_object_set_new(drv, "name", json_string("drydock"));
    json_object_set_new(drv, "version", json_string(DRYDOCK_VERSION));
    json_object_set_new(
        drv, "informationUri",
        json_string("https://github.com/drydock-scanner/drydock"));
    json_t *results = json_array(), *seen = json_object();
    for (size_t i = 0; i < dd_findings_count(fl); i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        json_t *idx = json_object_get(seen, f->rule_id);
        if (!idx) {
            idx = json_integer((json_int_t)json_array_size(rules));
            json_object_set_new(seen, f->rule_id, idx);
            json_array_append_new(rules, sarif_rule(f));
        }
        json_array_append_new(
            results,
            sarif_result(f, (size_t)json_integer_value(idx), image_name(in)));
    }
    json_decref(seen);
    json_object_set_new(drv, "rules", rules);
    json_object_set_new(run, "tool", json_pack("{s:o}", "driver", drv));
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "originalUriBaseIds",
                        json_pack("{s:{s:s}}", "ROOTPATH", "uri", "file:///"));
    json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
    json_object_set_new(doc, "runs", json_pack("[o]", run));
    return doc;
}

/* ------------------------------------------------------------ cyclonedx */
static int sbom_doc(const dd_scan *scan,
                    dd_sbom_format fmt,
                    char **out,
                    size_t *len,
                    dd_error *err)
{
    if (!dd_scan_inventory(scan)) {
        return dd__error_set(err, DD_EINVALID,
                             "an SBOM format needs the package inventory: "
                             "scan with the vuln or packages scanner");
    }
    dd_sbom_opts so = {DRYDOCK_VERSION, 0, 0, fmt == DD_SBOM_CYCLONEDX};
    char *text = NULL;
    int rc = dd_sbom_render(&text, scan, dd_scan_image(scan), fmt, &so, err);
    if (rc) {
        return rc;
    }
    *out = text;
    if (len) {
        *len = strlen(text);
    }
    return 0;
}

int dd_report_write(const dd_scan *scan,
                    const char *format,
                    const dd_report_opts *opts,
                    dd_write_fn write,
                    void *payload,
                    dd_error *err)
{
    dd__error_clear(err);
    if (!scan || !format || !write) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_report_write: NULL argument");
    }
    int cdx = !strcmp(format, "cyclonedx");
    if (cdx || !strcmp(format, "spdx")) {
        if (!dd_scan_inventory(scan)) {
            return dd__error_set(err, DD_EINVALID,
                                 "an SBOM format needs the package inventory: "
                                 "scan with the vuln or packages scanner");
        }
        dd_sbom_opts so = {DRYDOCK_VERSION, 0, 0, cdx};
        return dd_sbom_write(scan, dd_scan_image(scan),
                             cdx ? DD_SBOM_CYCLONEDX : DD_SBOM_SPDX, &so, write,
                             payload, err);
    }
    char *text = NULL;
    size_t len = 0;
    int rc = dd_report_render_opts(&text, &len, scan, format, opts, err);
    if (rc) {
        return rc;
    }
    if (len && write(payload, text, len) != 0) {
        rc = dd__error_set(err, DD_EIO, "writing the report failed");
    }
    dd_string_free(text);
    return rc;
}

/* ------------------------------------------------------------ table */
static void esc(dd__buf *b, const char *s, size_t max)
{
    char *p = dd__printable(s ? s : "", max);
    dd__buf_addstr(b, p ? p : "");
    dd__free(p);
}

static void finding_line(dd__buf *b, const dd_finding *f)
{
    char *id = dd__printable(f->rule_id ? f->rule_id : "", 256);
    dd__buf_printf(b, "  %-8s %-26s ", dd_severity_name(f->severity),
                   id ? id : "");
    dd__free(id);
    if (f->layer >= 0) {
        dd__buf_printf(b, "layer %d ", f->layer);
    }
    if (f->path) {
        dd__buf_addstr(b, "/");
        esc(b, f->path, 4096);
        dd__buf_addstr(b, " ");
    }
    dd__buf_addstr(b, ": ");
    esc(b, f->title, 1024);
    if (f->evidence) {
        dd__buf_addstr(b, " [");
        esc(b, f->evidence, 256);
        dd__buf_addstr(b, "]");
    }
    if (f->deleted_in >= 0) {
        dd__buf_printf(b, " - deleted in layer %d, still shipped in layer %d",
                       f->deleted_in, f->layer);
    }
    dd__buf_addstr(b, "\n");
}

int dd_report_render(char **out,
                     size_t *len,
                     const dd_scan *scan,
                     const char *format,
                     dd_error *err)
{
    return dd_report_render_opts(out, len, scan, format, NULL, err);
}

int dd_report_render_opts(char **out,
                          size_t *len,
                          const dd_scan *scan,
                          const char *format,
                          const dd_report_opts *opts,
                          dd_error *err)
{
    dd__error_clear(err);
    if (!out || !scan || !format) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_report_render: NULL argument");
    }
    *out = NULL;
    dd_report_opts defaults = DD_REPORT_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    } else if (opts->version != DD_REPORT_OPTS_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_report_render_opts: options version %u, "
                             "this library knows %u",
                             opts->version, DD_REPORT_OPTS_VERSION);
    }
    if (!strcmp(format, "table") || !strcmp(format, "junit")) {
        dd__report_view v;
        dd__report_view_of(&v, scan);
        int rc = format[0] == 't' ? dd__report_table(&v, opts, out, len)
                                  : dd__report_junit(&v, opts, out, len);
        return rc ? dd__error_set(err, rc, "out of memory") : 0;
    }
    if (!strcmp(format, "cyclonedx")) {
        return sbom_doc(scan, DD_SBOM_CYCLONEDX, out, len, err);
    }
    if (!strcmp(format, "spdx")) {
        return sbom_doc(scan, DD_SBOM_SPDX, out, len, err);
    }
    json_t *doc = !strcmp(format, "json")    ? scan_json(scan)
                  : !strcmp(format, "sarif") ? scan_sarif(scan)
                                             : NULL;
    if (!doc && strcmp(format, "json") && strcmp(format, "sarif")) {
        return dd__error_set(err, DD_EINVALID,
                             "unknown format '%.40s' (table, json, sarif, "
                             "cyclonedx, spdx, junit)",
                             format);
    }
    int rc = dd__json_emit(doc, out, len);
    json_decref(doc);
    return rc ? dd__error_set(err, rc, "out of memory") : 0;
}

int dd_findings_render(char **out,
                       size_t *len,
                       const dd_findings *fl,
                       const dd_image *img,
                       const char *format,
                       dd_error *err)
{
    dd__error_clear(err);
    if (!out || !format) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_findings_render: NULL argument");
    }
    *out = NULL;
    const dd_image_info *in = img ? dd_image_info_get(img) : NULL;
    int rc;
    if (!strcmp(format, "json")) {
        json_t *arr = dd__findings_json(fl, in, json_array());
        rc = dd__json_emit(arr, out, len);
        json_decref(arr);
    } else if (!strcmp(format, "table")) {
        dd__buf b;
        dd__buf_init(&b, OUT_MAX);
        for (size_t i = 0; i < dd_findings_count(fl); i++) {
            finding_line(&b, dd_findings_get(fl, i));
        }
        size_t n = b.len;
        char *t = n ? dd__buf_detach(&b) : dd__strdup("");
        dd__buf_free(&b);
        rc = t ? 0 : DD_ENOMEM;
        *out = t;
        if (len) {
            *len = n;
        }
    } else {
        return dd__error_set(err, DD_EINVALID,
                             "unknown format '%.40s' (json, table)", format);
    }
    return rc ? dd__error_set(err, rc, "out of memory") : 0;
}
