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

/* A JSON string for untrusted text: invalid UTF-8 is made printable. */
json_t *dd__json_text(const char *s);
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

#endif
