/*
 * lib/scan_int.h - the ignore file of a scan (ignore.c).
 *
 * Format (.trivyignore's): one id per line, optional "exp:YYYY-MM-DD"
 * after it, "#" starts a comment (the reason, when it follows an id).
 * Blank lines and comment lines are skipped. An entry whose date is past
 * no longer applies and is reported as a warning.
 *
 * Ownership: a dd__ignores owns its entries and strings
 * (dd__ignores_free); warnings are appended to the caller's dd__buf.
 */
#ifndef DD_SCAN_INT_H
#define DD_SCAN_INT_H

#include "drydock/errors.h"
#include "drydock/finding.h"
#include "../util/arena.h"
#include "../util/util.h"

#define DD_IGNORE_MAX_BYTES   (16u << 20)
#define DD_IGNORE_MAX_ENTRIES 100000u
#define DD_IGNORE_MAX_ID      256u

typedef struct dd__ignore_entry {
    const char *id;
    const char *expires; /* or NULL */
    const char *reason;  /* "" when none */
    size_t line;
    int expired;
    size_t used;
} dd__ignore_entry;

typedef struct dd__ignores {
    dd__arena strings;
    dd__vec entries; /* dd__ignore_entry */
} dd__ignores;

void dd__ignores_init(dd__ignores *ig);
/* Parse `len` bytes named `name` (errors: "NAME:LINE: ..."); `today` is
 * "YYYY-MM-DD". Expired entries add "NAME:LINE: ..." to *warn. 0,
 * DD_ECORRUPT, DD_ELIMIT or DD_ENOMEM. */
int dd__ignores_parse(dd__ignores *ig,
                      const char *name,
                      const char *text,
                      size_t len,
                      const char *today,
                      dd__buf *warn,
                      dd_error *err);
/* The same for a file (DD_ENOTFOUND / DD_EIO naming it). */
int dd__ignores_load(dd__ignores *ig,
                     const char *path,
                     const char *today,
                     dd__buf *warn,
                     dd_error *err);
/* The live entry that ignores `f` (by rule id, or by one of a
 * vulnerability's aliases), or NULL. Counts the use. */
dd__ignore_entry *dd__ignores_match(dd__ignores *ig, const dd_finding *f);
void dd__ignores_free(dd__ignores *ig);

#endif
