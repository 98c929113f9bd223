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

#endif
