/*
 * lib/report/report_int.h - the one finding-to-JSON writer every report
 * shares (scan, findings lists of inspect / history / dockerfile /
 * registry scan).
 *
 * Ownership: returned json_t objects belong to the caller (json_decref).
 */
#ifndef DD_REPORT_INT_H
#define DD_REPORT_INT_H

#include <jansson.h>

#include "drydock/finding.h"
#include "drydock/image.h"
#include "drydock/report.h"
#include "drydock/scan.h"

/* A JSON string for untrusted text: valid UTF-8 as it is, anything else
 * through the reversible escape (DD_ESCAPE_LOSSLESS, drydock/text.h);
 * json_null() for NULL. Never drops a string. */
json_t *dd__json_text(const char *s);
/* When s is not valid UTF-8, set "<key>_bytes" in o to the base64 of its
 * raw bytes (so the escaped "<key>" can be checked or undone); nothing
 * otherwise. 0, -1 on ENOMEM. */
int dd__json_set_bytes(json_t *o, const char *key, const char *s);
/* The finding as a JSON object (docs/scan-json.md). `info` (may be NULL)
 * gives the history step of the finding; the step's text is left out for
 * secret findings (it may hold the secret). */
json_t *dd__finding_json(const dd_finding *f, const dd_image_info *info);
/* Every finding of `fl` appended to `arr`; returns arr (NULL on ENOMEM). */
json_t *dd__findings_json(const dd_findings *fl,
                          const dd_image_info *info,
                          json_t *arr);
/* json_dumps into a dd__-allocated string (with a final newline). */
int dd__json_emit(json_t *doc, char **out, size_t *len);

/* What the people-facing reports (table, junit) read of a scan; built
 * from a dd_scan by dd__report_view_of(), or by hand in the unit tests.
 * Everything borrowed. */
typedef struct dd__report_view {
    const dd_image_info *info;
    const dd_os_info *os; /* or NULL */
    const dd_scan_summary *sum;
    const dd_findings *findings;
    const char *malware_engines;   /* "" or NULL when unknown */
    int no_db;                     /* the vuln scanner was left out: no DB */
    int no_inventory;              /* packages (and the OS) were not read */
    size_t n_packages, n_licensed; /* inventory size, with a license */
} dd__report_view;
void dd__report_view_of(dd__report_view *v, const dd_scan *scan);
/* The table (report_table.c) and the JUnit XML (report_junit.c): 0 or
 * DD_ENOMEM; *out is dd__-allocated, NUL-terminated. */
int dd__report_table(const dd__report_view *v,
                     const dd_report_opts *o,
                     char **out,
                     size_t *len);
int dd__report_junit(const dd__report_view *v,
                     const dd_report_opts *o,
                     char **out,
                     size_t *len);
/* Sections of the people-facing reports, in their order. */
typedef enum dd__section {
    DD__SEC_VULN = 0,
    DD__SEC_SECRET,
    DD__SEC_MALWARE,
    DD__SEC_CONFIG,
    DD__SEC_ARCHIVE, /* archive and integrity */
    DD__SEC_TRUST,   /* trust and anything else */
    DD__SEC_LICENSE, /* shown only when the license scanner ran */
    DD__SEC_COUNT
} dd__section;
dd__section dd__section_of(dd_finding_kind k);
const char *dd__section_title(dd__section s); /* "Vulnerabilities" */
const char *dd__section_key(dd__section s);   /* "vulnerabilities" */
/* The scanner that produces a section's findings (DD_SCANNER_*), 0 for
 * the always-on archive and trust sections. */
unsigned dd__section_scanner(dd__section s);
/* 1: leave the section out (licenses when that scanner did not run: it
 * is not a default scanner) */
int dd__section_hidden(const dd__report_view *v, dd__section s);
/* "checked", or why not: "not checked (no database: ...)". For the vuln
 * section when it ran: "N packages checked against NS". Into out. */
void dd__section_status(const dd__report_view *v,
                        dd__section s,
                        char *out,
                        size_t n);
/* The database namespaces the vulnerability check used, comma-separated
 * (the summary's and those of the findings), raw: escape before showing;
 * "" when none. Into out. */
void dd__vuln_namespaces(const dd__report_view *v, char *out, size_t n);
/* Report order for one section: severity (CRITICAL first), then id, path,
 * layer, line. Vulnerabilities are grouped by package first. */
int dd__report_cmp(const dd_finding *a, const dd_finding *b);
/* Every finding of fl by section, then in report order (ties in list
 * order): an array of *n borrowed pointers (dd__free); NULL on ENOMEM. */
const dd_finding **dd__report_sorted(const dd_findings *fl, size_t *n);

#endif
