/*
 * drydock/finding.h - one record type for everything drydock reports.
 *
 * Ownership: a dd_findings list owns its findings and every string in them.
 * Pointers returned by dd_findings_get() are borrowed and live until the list
 * is freed. dd_findings_free(NULL) is a no-op.
 */
#ifndef DRYDOCK_FINDING_H
#define DRYDOCK_FINDING_H

#include "common.h"

DD_BEGIN_DECLS

typedef enum dd_finding_kind {
    DD_KIND_INTEGRITY = 0, /* digest / diff_id / size does not match */
    DD_KIND_ARCHIVE,       /* malformed or malicious archive structure */
    DD_KIND_VULN,
    DD_KIND_SECRET,
    DD_KIND_MALWARE,
    DD_KIND_CONFIG,
    DD_KIND_TRUST,
    DD_KIND_LICENSE /* a package's license by the license policy */
} dd_finding_kind;

typedef enum dd_severity {
    DD_SEV_UNKNOWN = 0,
    DD_SEV_INFO,
    DD_SEV_LOW,
    DD_SEV_MEDIUM,
    DD_SEV_HIGH,
    DD_SEV_CRITICAL
} dd_severity;

struct dd_vuln_info; /* vulndb.h */

typedef struct dd_finding {
    dd_finding_kind kind;
    dd_severity severity;
    const char *rule_id;      /* stable id, e.g. "archive.path-traversal" */
    const char *title;        /* one line for humans, already escaped
                                 (DD_ESCAPE_TERMINAL, drydock/text.h) */
    const char *path;         /* path inside the image, or NULL: the raw
                                 bytes, which may hold controls or be
                                 invalid UTF-8 - escape before showing it
                                 (drydock/text.h) */
    const char *layer_digest; /* diff_id or blob digest, or NULL */
    const char *evidence;     /* short, already redacted and escaped like
                                 the title, or NULL */
    int layer;                /* 0-based layer index, -1 for image-level */
    int history;              /* index into the config history, -1 if unknown */
    int has_offset;           /* 1 when offset is meaningful */
    uint64_t offset;          /* byte offset in the layer's stream (see docs) */
    int deleted_in; /* layer that deleted `path`, -1 if still visible */
    /* DD_KIND_VULN: package, versions, status (vulndb.h); else NULL */
    const struct dd_vuln_info *vuln;
    size_t line;          /* 1-based line in the file, 0 when not known */
    const char *category; /* secrets: "cloud", "private-key", ...; malware:
                             "miner", "webshell", ...; or NULL */
    const char *engine;   /* malware: "yara", "hash", "clamav", "heuristic";
                             else NULL */
    const char *sha256;   /* hex sha256 of the file's content, or NULL */
} dd_finding;

typedef struct dd_findings dd_findings;

DD_API size_t dd_findings_count(const dd_findings *list);
/* Borrowed; NULL when i is out of range. */
DD_API const dd_finding *dd_findings_get(const dd_findings *list, size_t i);
DD_API void dd_findings_free(dd_findings *list);

/* Highest severity in the list, DD_SEV_UNKNOWN when empty. */
DD_API dd_severity dd_findings_max_severity(const dd_findings *list);

DD_API const char *dd_severity_name(dd_severity s); /* "HIGH", ... */
/* The reverse, any case: "high" -> DD_SEV_HIGH; -1 for NULL or other
 * words. */
DD_API int dd_severity_parse(const char *s);
DD_API const char *dd_kind_name(dd_finding_kind k); /* "archive", ... */

DD_END_DECLS

#endif
