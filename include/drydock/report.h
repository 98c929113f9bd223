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
    int with_vulns;           /* CycloneDX: add the scan's vulnerabilities (the
                                 "vulnerabilities" array of `scan --format cyclonedx`) */
} dd_sbom_opts;

/* A scan as a document: "table" (for people: what was and was not
 * checked, a summary per kind and severity, then one section per kind,
 * each sorted by severity, CRITICAL first), "json" (drydock-scan/1,
 * docs/scan-json.md), "sarif" (2.1.0), "cyclonedx" (1.6 with the
 * vulnerabilities), "spdx" (2.3) or "junit" (JUnit XML: one testsuite per
 * kind, one testcase per finding). *out is NUL-terminated, *len its
 * length (len may be NULL). Text from the image reaches "table" and
 * "junit" escaped for a terminal (drydock/text.h). No colour (see
 * dd_report_render_opts). 0, DD_EINVALID (unknown format, or an SBOM
 * format for a scan without the package inventory), DD_ENOMEM. */
DD_API int dd_report_render(char **out,
                            size_t *len,
                            const dd_scan *scan,
                            const char *format,
                            dd_error *err);
/* How dd_report_render_opts() renders. Set version to
 * DD_REPORT_OPTS_VERSION (start from DD_REPORT_OPTS_INIT); the struct and
 * its strings are only read during the call (the caller keeps them). */
#define DD_REPORT_OPTS_VERSION 1
/* fail_on value: no finding is a JUnit <failure> */
#define DD_REPORT_FAIL_NONE 6
typedef struct dd_report_opts {
    unsigned version;
    /* 1: "table" colours severities with ANSI escapes. The library never
     * looks at a terminal itself: the caller decides (a terminal, NO_COLOR
     * not set, no --no-color). 0 (default): no escape byte at all. */
    int color;
    /* "junit": findings of this dd_severity or above are <failure>s;
     * -1 (default): every finding but INFO; DD_REPORT_FAIL_NONE: none.
     * INFO is never a failure. */
    int fail_on;
} dd_report_opts;
#define DD_REPORT_OPTS_INIT           \
    {                                 \
        DD_REPORT_OPTS_VERSION, 0, -1 \
    }

/* dd_report_render() with options (NULL = DD_REPORT_OPTS_INIT); the same
 * formats, results and ownership. DD_EINVALID for an unknown version. */
DD_API int dd_report_render_opts(char **out,
                                 size_t *len,
                                 const dd_scan *scan,
                                 const char *format,
                                 const dd_report_opts *opts,
                                 dd_error *err);
/* The formats dd_report_render() takes, in order; NULL out of range. */
DD_API const char *dd_report_format_name(size_t i);

/* A findings list alone, for commands that report findings without a
 * scan (inspect, history, dockerfile): "json" (an array of the objects
 * drydock-scan/1 uses) or "table" (one line per finding). `img` gives the
 * history steps and may be NULL. */
DD_API int dd_findings_render(char **out,
                              size_t *len,
                              const dd_findings *findings,
                              const dd_image *img,
                              const char *format,
                              dd_error *err);

/* Where a streamed document goes: take all `len` bytes at `buf` (valid
 * only during the call) and return 0, or nonzero to stop the writer. */
typedef int (*dd_write_fn)(void *payload, const void *buf, size_t len);

/* A scan report streamed to `write` (payload stays the caller's):
 * "cyclonedx" and "spdx" are written as they are made (memory does not
 * grow with the inventory); the other formats are rendered as by
 * dd_report_render_opts and then written. Errors as there, plus DD_EIO
 * when the callback returned nonzero. opts may be NULL. */
DD_API int dd_report_write(const dd_scan *scan,
                           const char *format,
                           const dd_report_opts *opts,
                           dd_write_fn write,
                           void *payload,
                           dd_error *err);

/* The SBOM of `scan` (run with the package analyzer) of `img`, streamed:
 * the document reaches `write` in chunks of at most 64 KiB as it is made,
 * so memory does not grow with the document (the inventory is already in
 * the scan). No final newline. Nothing is kept after the call; `payload`
 * stays the caller's. 0, DD_EINVALID (no inventory in the scan, no
 * callback), DD_ENOMEM, DD_EIO (the callback returned nonzero; nothing
 * more was written, the message says how many bytes were taken). A
 * failed call may have written part of a document. */
DD_API int dd_sbom_write(const dd_scan *scan,
                         const dd_image *img,
                         dd_sbom_format format,
                         const dd_sbom_opts *opts,
                         dd_write_fn write,
                         void *payload,
                         dd_error *err);

/* The same document as one string: *out (NUL-terminated, no final
 * newline) is the caller's, freed with dd_string_free(). 0, DD_EINVALID
 * (no inventory in the scan), DD_ENOMEM. */
DD_API int dd_sbom_render(char **out,
                          const dd_scan *scan,
                          const dd_image *img,
                          dd_sbom_format format,
                          const dd_sbom_opts *opts,
                          dd_error *err);

DD_END_DECLS

#endif
