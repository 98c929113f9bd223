/*
 * lib/vuln/vuln_int.h - feed parsers and the sink they emit into.
 *
 * A feed parser is a pure function of its bytes: it turns its input into
 * normalised records (dd__advisory, each followed by the dd__affected
 * entries that belong to it) and hands them to a dd__vuln_sink. It never
 * touches the database: the SQLite importer (db_import.c) is one sink, a
 * test or fuzz target brings its own (counting, recording). A malformed
 * record is reported to the sink (counted and described) and never stops
 * the rest of the feed.
 *
 * Ownership: every pointer a parser passes to the sink is borrowed and
 * valid only during that call; a sink that keeps a string copies it.
 * This header does not include SQLite.
 */
#ifndef DD_VULN_INT_H
#define DD_VULN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/vulndb.h"
#include "../../util/util.h"

/* One advisory, as every feed is reduced to. */
typedef struct dd__advisory {
    const char *id;
    const char *summary;
    const char *severity; /* "LOW".."CRITICAL" or NULL */
    const char *cvss_vector;
    double cvss_score; /* < 0: none */
    const char *published, *modified;
    const char *const *aliases;
    size_t n_aliases;
} dd__advisory;

/* Where the advisory last given to the sink applies. */
typedef struct dd__affected {
    const char *ns;       /* "debian:12", "alpine:3.20", "npm", ... */
    const char *package;  /* source package for distros */
    const char *scheme;   /* "dpkg", "apk", "semver", ... or NULL */
    const char *status;   /* fixed|affected|will-not-fix|deferred|
                             end-of-life|not-affected */
    const char *fixed;    /* fixed version, or NULL */
    const char *ranges;   /* OSV ranges/versions JSON, or NULL */
    const char *severity; /* per-distro severity, or NULL */
} dd__affected;

/*
 * What a parser emits into. Calls arrive in this order per feed:
 * feed_begin, then any number of (advisory, affected...) groups and
 * malformed lines, then feed_end. The callbacks that return int return 0
 * or a DD_E* code (DD_ENOMEM, DD_EIO), which the parser returns at once.
 * `ctx` is passed back to every callback.
 */
typedef struct dd__vuln_sink {
    void *ctx;
    /* begin a feed (the importer replaces an earlier import of `name`) */
    int (*feed_begin)(void *ctx,
                      const char *name,
                      const char *kind,
                      const char *source);
    int (*advisory)(void *ctx, const dd__advisory *a);
    /* one affected entry of the advisory given last */
    int (*affected)(void *ctx, const dd__affected *a);
    /* one malformed record: `msg` is one line, control characters
     * already replaced */
    void (*malformed)(void *ctx, const char *msg);
    int (*feed_end)(void *ctx);
} dd__vuln_sink;

/* Format a malformed-record line (at most 599 bytes, control characters
 * turned into spaces) and hand it to s->malformed. */
void dd__sink_malformed(const dd__vuln_sink *s, const char *fmt, ...)
    DD_PRINTF(2, 3);

/* Feed parsers: 0, or the first nonzero code a sink callback returned
 * (DD_ENOMEM also when the parser runs out of memory). `where` names the
 * input in messages. dd__feed_alpine begins and ends its own feed (the
 * name comes from the document); the others emit records only and leave
 * feed_begin/feed_end to the caller (db_feed.c). */
int dd__feed_osv_json(const dd__vuln_sink *s,
                      const char *where,
                      const char *data,
                      size_t len);
int dd__feed_alpine(const dd__vuln_sink *s,
                    const char *where,
                    const char *data,
                    size_t len,
                    int yaml);
int dd__feed_debian_json(const dd__vuln_sink *s,
                         const char *where,
                         const char *data,
                         size_t len);
int dd__feed_debian_list(const dd__vuln_sink *s,
                         const char *where,
                         const char *data,
                         size_t len);

/* OSV ecosystem -> namespace + scheme ("Debian:12" -> "debian:12",
 * "dpkg"); 0 or -1 when unknown. */
int dd__osv_namespace(const char *ecosystem,
                      char *ns,
                      size_t n,
                      const char **scheme);
/* the same with the package's purl, whose rpmmod qualifier (Red Hat
 * modularity) adds "::<module>:<stream>" to the namespace */
int dd__osv_pkg_namespace(const char *ecosystem,
                          const char *purl,
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

#endif
