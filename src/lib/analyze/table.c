/*
 * lib/analyze/table.c - the analyzer table: every analyzer drydock runs,
 * in finishing order (rows that provide something come before the rows
 * that need it). A new analyzer is one file with its dd__analyzer_def
 * plus one line here (docs/NEW-ANALYZER.md).
 */
#include <stdio.h>
#include <string.h>

#include "analyzer.h"
#include "drydock/scan.h"
#include "../../util/util.h"

extern const dd__analyzer_def dd__row_packages, dd__row_lang, dd__row_owners,
    dd__row_vuln, dd__row_secret, dd__row_malware, dd__row_config,
    dd__row_lockfile, dd__row_license;

static const dd__analyzer_def *const rows[] = {
    &dd__row_packages, &dd__row_lang,   &dd__row_lockfile,
    &dd__row_owners,   &dd__row_vuln,   &dd__row_secret,
    &dd__row_malware,  &dd__row_config, &dd__row_license,
};
#define N_ROWS (sizeof rows / sizeof *rows)

size_t dd__analyzer_count(void)
{
    return N_ROWS;
}

const dd__analyzer_def *dd__analyzer_get(size_t i)
{
    return i < N_ROWS ? rows[i] : NULL;
}

/* Scanners: the rows with a scanner bit, findings scanners first; a row
 * sharing an earlier row's bit ("lang" with "packages") is part of that
 * scanner, not one of its own. */
static int shares_bit(size_t r)
{
    for (size_t q = 0; q < r; q++) {
        if (rows[q]->scanner == rows[r]->scanner) {
            return 1;
        }
    }
    return 0;
}

static const dd__analyzer_def *scanner_row(size_t i)
{
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < N_ROWS; r++) {
            unsigned b = rows[r]->scanner;
            if (!b || ((b & DD_SCANNERS_DEFAULT) != 0) != (pass == 0) ||
                shares_bit(r)) {
                continue;
            }
            if (k++ == i) {
                return rows[r];
            }
        }
    }
    return NULL;
}

size_t dd_scanner_count(void)
{
    size_t n = 0;
    while (scanner_row(n)) {
        n++;
    }
    return n;
}

const char *dd_scanner_name(size_t i)
{
    const dd__analyzer_def *d = scanner_row(i);
    return d ? d->name : NULL;
}

unsigned dd_scanner_bit(size_t i)
{
    const dd__analyzer_def *d = scanner_row(i);
    return d ? d->scanner : 0;
}

int dd_scanners_parse(const char *list, unsigned *out, dd_error *err)
{
    dd__error_clear(err);
    if (!list || !out) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_scanners_parse: NULL argument");
    }
    unsigned bits = 0;
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        unsigned b = 0;
        for (size_t i = 0; k && dd_scanner_name(i); i++) {
            const char *n = dd_scanner_name(i);
            if (strlen(n) == k && !strncmp(n, p, k)) {
                b = dd_scanner_bit(i);
            }
        }
        if (!b && k) {
            char known[256] = "";
            size_t at = 0;
            for (size_t i = 0; dd_scanner_name(i) && at < sizeof known; i++) {
                at += (size_t)snprintf(known + at, sizeof known - at, "%s%s",
                                       i ? ", " : "", dd_scanner_name(i));
            }
            return dd__error_set(err, DD_EINVALID,
                                 "unknown scanner '%.*s' (known: %s)",
                                 (int)(k > 64 ? 64 : k), p, known);
        }
        bits |= b;
        p += k + (p[k] == ',');
    }
    if (!bits) {
        return dd__error_set(err, DD_EINVALID, "no scanner named");
    }
    *out = bits;
    return 0;
}
