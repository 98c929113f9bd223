/*
 * lib/vuln/match_int.h - matching a scan's package inventory against the
 * database (the "vuln" row of the analyzer table calls this).
 *
 * Ownership: *out (findings of kind DD_KIND_VULN) and the strings of a
 * dd__vuln_report belong to the caller (dd_findings_free,
 * dd__vuln_report_free).
 */
#ifndef DD_VULN_MATCH_INT_H
#define DD_VULN_MATCH_INT_H

#include "drydock/image.h"
#include "drydock/packages.h"
#include "drydock/vulndb.h"

typedef struct dd__vuln_report {
    char *warnings; /* newline-separated lines, or NULL */
    char *ns;       /* namespace used, or NULL */
    size_t packages_checked;
} dd__vuln_report;
void dd__vuln_report_free(dd__vuln_report *r);

/* `max_age`: warn when the database is older (seconds; 0 = 7 days). */
int dd__vuln_match(dd_vulndb *db,
                   const dd_inventory *inv,
                   const dd_image *img,
                   int64_t max_age,
                   dd_findings **out,
                   dd__vuln_report *rep,
                   dd_error *err);

#endif
