/*
 * lib/lookalike/finding.c - the trust.lookalike-name finding of a scan of
 * a registry image (the reference the image was pulled by).
 */
#include "drydock/lookalike.h"
#include "lookalike_int.h"
#include "../findings_int.h"

int dd__lookalike_finding(dd_findings *out, const dd_image_info *info)
{
    if (!out || !info || info->source != DD_SOURCE_REGISTRY || !info->path) {
        return 0;
    }
    dd_lookalike_result r;
    dd_error e;
    if (dd_lookalike_check(info->path, NULL, 0, &r, &e) || !r.lookalike) {
        return 0; /* the reference already parsed to be opened */
    }
    dd__finding_spec sp = {.kind = DD_KIND_TRUST,
                           .severity = r.severity,
                           .rule_id = DD_LOOKALIKE_RULE,
                           .evidence = r.detail,
                           .layer = -1,
                           .history = -1,
                           .category = r.signal};
    return dd__findings_add(out, &sp,
                            "image name %.200s looks like %.200s (%s)",
                            r.canonical, r.target, r.signal);
}
