/*
 * lib/report/report_view.c - what the people-facing reports (table,
 * junit) share: the sections a scan's findings fall into, what was and
 * was not checked, and the report order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/vulndb.h"
#include "report_int.h"
#include "../../util/util.h"

/* The scan's own warning when the default scanners ran without a
 * database (lib/scan.c). */
#define NO_DB_WARNING "no vulnerability database"

void dd__report_view_of(dd__report_view *v, const dd_scan *scan)
{
    const dd_inventory *inv = dd_scan_inventory(scan);
    memset(v, 0, sizeof *v);
    v->info = dd_image_info_get(dd_scan_image(scan));
    v->os = inv ? dd_inventory_os(inv) : NULL;
    v->sum = dd_scan_summary_get(scan);
    v->findings = dd_scan_findings(scan);
    v->scan = scan;
    v->malware_engines = dd_scan_malware_engines(scan);
    v->no_inventory = inv == NULL;
    v->n_packages = dd_inventory_count(inv);
    for (size_t i = 0; i < v->n_packages; i++) {
        const char *l = dd_inventory_get(inv, i)->license;
        v->n_licensed += l && *l;
    }
    for (size_t i = 0; i < dd_scan_warning_count(scan); i++) {
        const char *w = dd_scan_warning(scan, i);
        if (w && !strncmp(w, NO_DB_WARNING, strlen(NO_DB_WARNING))) {
            v->no_db = 1;
        }
    }
}

dd__section dd__section_of(dd_finding_kind k)
{
    switch (k) {
    case DD_KIND_VULN:
        return DD__SEC_VULN;
    case DD_KIND_SECRET:
        return DD__SEC_SECRET;
    case DD_KIND_MALWARE:
        return DD__SEC_MALWARE;
    case DD_KIND_CONFIG:
        return DD__SEC_CONFIG;
    case DD_KIND_ARCHIVE:
    case DD_KIND_INTEGRITY:
        return DD__SEC_ARCHIVE;
    case DD_KIND_LICENSE:
        return DD__SEC_LICENSE;
    default:
        return DD__SEC_TRUST;
    }
}

static const char *const titles[DD__SEC_COUNT] = {
    "Vulnerabilities",   "Secrets",     "Malware", "Misconfigurations",
    "Archive/integrity", "Trust/other", "Licenses"};
static const char *const keys[DD__SEC_COUNT] = {
    "vulnerabilities",   "secrets",     "malware", "misconfigurations",
    "archive/integrity", "trust/other", "licenses"};

const char *dd__section_title(dd__section s)
{
    return s < DD__SEC_COUNT ? titles[s] : "Other";
}

const char *dd__section_key(dd__section s)
{
    return s < DD__SEC_COUNT ? keys[s] : "other";
}

unsigned dd__section_scanner(dd__section s)
{
    static const unsigned bits[DD__SEC_COUNT] = {DD_SCANNER_VULN,
                                                 DD_SCANNER_SECRET,
                                                 DD_SCANNER_MALWARE,
                                                 DD_SCANNER_CONFIG,
                                                 0,
                                                 0,
                                                 DD_SCANNER_LICENSE};
    return s < DD__SEC_COUNT ? bits[s] : 0;
}

int dd__section_hidden(const dd__report_view *v, dd__section s)
{
    return s == DD__SEC_LICENSE && !(v->sum->scanners & DD_SCANNER_LICENSE);
}

void dd__section_status(const dd__report_view *v,
                        dd__section s,
                        char *out,
                        size_t n)
{
    const dd_scan_summary *sum = v->sum;
    unsigned bit = dd__section_scanner(s);
    if (bit && !(sum->scanners & bit)) {
        if (s == DD__SEC_VULN && v->no_db) {
            snprintf(out, n,
                     "not checked (no database: run `drydock db "
                     "update`)");
        } else {
            snprintf(out, n, "not checked (not selected)");
        }
        return;
    }
    switch (s) {
    case DD__SEC_VULN:
        /* the namespace is printed escaped by the caller; here only
         * what the library itself wrote */
        snprintf(out, n, "%zu packages checked", sum->packages_checked);
        return;
    case DD__SEC_MALWARE:
        if (v->malware_engines && v->malware_engines[0]) {
            snprintf(out, n, "checked (%s)", v->malware_engines);
            return;
        }
        break;
    case DD__SEC_LICENSE:
        snprintf(out, n, "%zu packages checked (%zu declare no license)",
                 v->n_licensed, v->n_packages - v->n_licensed);
        return;
    case DD__SEC_ARCHIVE:
        if (v->info && v->info->source == DD_SOURCE_SBOM) {
            snprintf(out, n, "not applicable (an SBOM has no layers)");
            return;
        }
        snprintf(out, n, "%s",
                 sum->complete ? "checked (every layer)"
                               : "checked, but the image was read only in "
                                 "part");
        return;
    case DD__SEC_TRUST:
        if (sum->signatures) {
            snprintf(out, n, "%ssignatures %s",
                     (sum->scanners & DD_SCANNER_CONFIG)
                         ? "image name checked; "
                         : "",
                     sum->signatures);
            return;
        }
        snprintf(out, n, "%s",
                 (sum->scanners & DD_SCANNER_CONFIG)
                     ? "image name checked; signatures not checked "
                       "(`drydock verify`)"
                     : "not checked (signatures: `drydock verify`)");
        return;
    default:
        break;
    }
    snprintf(out, n, "checked");
}

void dd__vuln_namespaces(const dd__report_view *v, char *out, size_t n)
{
    const char *seen[16];
    size_t k = 0;
    if (v->sum->db_namespace && v->sum->db_namespace[0]) {
        seen[k++] = v->sum->db_namespace;
    }
    for (size_t i = 0; i < dd_findings_count(v->findings) && k < 16; i++) {
        const dd_finding *f = dd_findings_get(v->findings, i);
        const char *ns = f->vuln ? f->vuln->namespace_ : NULL;
        size_t j = 0;
        while (ns && ns[0] && j < k && strcmp(seen[j], ns)) {
            j++;
        }
        if (ns && ns[0] && j == k) {
            seen[k++] = ns;
        }
    }
    size_t used = 0;
    out[0] = '\0';
    for (size_t j = 0; j < k && used + 1 < n; j++) {
        int w = snprintf(out + used, n - used, "%s%s", j ? ", " : "", seen[j]);
        if (w < 0) {
            break;
        }
        used += (size_t)w < n - used ? (size_t)w : n - used - 1;
    }
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

int dd__report_cmp(const dd_finding *a, const dd_finding *b)
{
    int c;
    if (a->vuln && b->vuln) {
        if ((c = cmp_str(a->vuln->package, b->vuln->package)) ||
            (c = cmp_str(a->vuln->installed_version,
                         b->vuln->installed_version))) {
            return c;
        }
    }
    if (a->severity != b->severity) {
        return a->severity > b->severity ? -1 : 1;
    }
    if ((c = cmp_str(a->rule_id, b->rule_id)) ||
        (c = cmp_str(a->path, b->path))) {
        return c;
    }
    if (a->layer != b->layer) {
        return a->layer < b->layer ? -1 : 1;
    }
    return a->line < b->line ? -1 : a->line > b->line;
}

typedef struct ranked {
    const dd_finding *f;
    size_t idx;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    dd__section sx = dd__section_of(x->f->kind),
                sy = dd__section_of(y->f->kind);
    if (sx != sy) {
        return sx < sy ? -1 : 1;
    }
    int c = dd__report_cmp(x->f, y->f);
    return c ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

const dd_finding **dd__report_sorted(const dd_findings *fl, size_t *n)
{
    size_t total = dd_findings_count(fl);
    ranked *r = dd__calloc(total ? total : 1, sizeof *r);
    const dd_finding **out = dd__calloc(total ? total : 1, sizeof *out);
    if (!r || !out) {
        dd__free(r);
        dd__free((void *)out);
        return NULL;
    }
    for (size_t i = 0; i < total; i++) {
        r[i].f = dd_findings_get(fl, i);
        r[i].idx = i;
    }
    qsort(r, total, sizeof *r, ranked_cmp);
    for (size_t i = 0; i < total; i++) {
        out[i] = r[i].f;
    }
    dd__free(r);
    *n = total;
    return out;
}
