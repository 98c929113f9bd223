/*
 * drydock/report.h - machine-readable documents about a scan.
 *
 * SBOMs: CycloneDX 1.6 JSON, SPDX 2.3 JSON, and drydock's own JSON
 * inventory. Every package carries its purl, the layer (diff_id) and
 * history step that installed it, and the database it was read from.
 *
 * Ownership: *out is a NUL-terminated string owned by the caller, freed
 * with dd_string_free() (packages.h).
 */
#ifndef DRYDOCK_REPORT_H
#define DRYDOCK_REPORT_H

#include "common.h"
#include "errors.h"
#include "image.h"
#include "scan.h"

DD_BEGIN_DECLS

typedef enum dd_sbom_format {
    DD_SBOM_CYCLONEDX = 0,
    DD_SBOM_SPDX,
    DD_SBOM_JSON
} dd_sbom_format;

typedef struct dd_sbom_opts {
    const char *tool_version; /* "0.1.0" */
    int64_t created;          /* unix seconds; 0 = now */
    int with_files;           /* list each package's files (JSON only) */
} dd_sbom_opts;

/* 0, DD_EINVALID (no inventory in the scan), DD_ENOMEM. */
DD_API int dd_sbom_render(char **out,
                          const dd_scan *scan,
                          const dd_image *img,
                          dd_sbom_format format,
                          const dd_sbom_opts *opts,
                          dd_error *err);

DD_END_DECLS

#endif
