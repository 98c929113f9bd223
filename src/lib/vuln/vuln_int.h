/*
 * lib/vuln/vuln_int.h - the vulnerability database inside the library.
 *
 * Import: a feed parser turns its input into normalised records and hands
 * them to the importer (db.c), which writes them into SQLite inside one
 * transaction per import. Every parser is a pure function of its bytes
 * (fuzzed); a malformed record is counted and described (first few) and
 * never stops the rest of the feed.
 */
#ifndef DD_VULN_INT_H
#define DD_VULN_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "drydock/vulndb.h"
#include "../../util/util.h"

/* One advisory, as every feed is reduced to. */
typedef struct dd__vrec {
    const char *id;
    const char *summary;
    const char *severity; /* "LOW".."CRITICAL" or NULL */
    const char *cvss_vector;
    double cvss_score; /* < 0: none */
    const char *published, *modified;
    const char *const *aliases;
    size_t n_aliases;
} dd__vrec;

/* Where an advisory applies. */
typedef struct dd__vaff {
    const char *ns;       /* "debian:12", "alpine:3.20", "npm", ... */
    const char *package;  /* source package for distros */
    const char *scheme;   /* "dpkg", "apk", "semver", ... or NULL */
    const char *status;   /* fixed|affected|will-not-fix|deferred|
                             end-of-life|not-affected */
    const char *fixed;    /* fixed version, or NULL */
    const char *ranges;   /* OSV ranges/versions JSON, or NULL */
    const char *severity; /* per-distro severity, or NULL */
} dd__vaff;

typedef struct dd__importer dd__importer;

/* Parser side: begin a feed (replacing an earlier import of the same
 * name), add records, count malformed ones. */
int dd__imp_feed(dd__importer *im,
                 const char *name,
                 const char *kind,
                 const char *source);
int dd__imp_vuln(dd__importer *im, const dd__vrec *r, int64_t *rowid);
int dd__imp_affected(dd__importer *im, int64_t vuln, const dd__vaff *a);
void dd__imp_malformed(dd__importer *im, const char *fmt, ...) DD_PRINTF(2, 3);
int dd__imp_end_feed(dd__importer *im);

/* Feed parsers (0 or DD_ENOMEM / DD_EIO from the database). `where`
 * names the input in messages. */
int dd__feed_osv_json(dd__importer *im,
                      const char *where,
                      const char *data,
                      size_t len);
int dd__feed_alpine(dd__importer *im,
                    const char *where,
                    const char *data,
                    size_t len,
                    int yaml);
int dd__feed_debian_json(dd__importer *im,
                         const char *where,
                         const char *data,
                         size_t len);
int dd__feed_debian_list(dd__importer *im,
                         const char *where,
                         const char *data,
                         size_t len);

/* OSV ecosystem -> namespace + scheme ("Debian:12" -> "debian:12",
 * "dpkg"); 0 or -1 when unknown. */
int dd__osv_namespace(const char *ecosystem,
                      char *ns,
                      size_t n,
                      const char **scheme);
/* Debian codename -> release number ("bookworm" -> "12"), NULL. */
const char *dd__debian_release(const char *codename);
/* Debian urgency words ("low", "medium**", "unimportant") -> severity. */
const char *dd__urgency_severity(const char *urgency);
/* CVSS v3.x base score of a vector, -1 when it cannot be read. */
double dd__cvss3_score(const char *vector);
/* "LOW".."CRITICAL" for a CVSS score. */
const char *dd__cvss_severity(double score);

/* An importer that does not write (fuzzing, parsing only). */
dd__importer *dd__importer_dry(void);
void dd__importer_dry_free(dd__importer *im,
                           size_t *records,
                           size_t *malformed);

#endif
