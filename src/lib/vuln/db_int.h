/*
 * lib/vuln/db_int.h - the SQLite vulnerability database inside the
 * library, split by concept:
 *
 *   db_schema.c  the schema (tables, indexes, schema_version in `meta`):
 *                create it, read and check the version of a file
 *   db_feed.c    feed dispatch: walks the inputs (files, directories,
 *                zip archives), detects each one's format and runs the
 *                parser, emitting into a dd__vuln_sink
 *   db_import.c  the import sink writing SQLite (prepared statements,
 *                feed rows, one transaction) and dd_vulndb_import (the
 *                atomic copy-and-rename)
 *   db.c         the read side: dd_vulndb_open/close, the lookup
 *                statement used by match.c, feed information, age
 *
 * Dependencies point one way: db_import.c -> db_feed.c -> feed parsers
 * -> vuln_int.h (the sink interface); db_import.c and db.c -> db_schema.c.
 * No parser includes this header or SQLite.
 */
#ifndef DD_VULN_DB_INT_H
#define DD_VULN_DB_INT_H

#include <sqlite3.h>

#include "vuln_int.h"

#define DD__VULNDB_SCHEMA_VERSION "2"

/* ---- db_schema.c ---- */

/* Create the tables and indexes (if missing) and record the schema
 * version: SQLITE_OK or an SQLite error code (message in db). */
int dd__vulndb_schema_create(sqlite3 *db);
/* 1 when the open database's schema_version is the one this build reads
 * and writes, else 0. */
int dd__vulndb_schema_current(sqlite3 *db);
/* schema_version of the database file at `path` into out ("" when it
 * has none or cannot be opened). */
void dd__vulndb_file_schema(const char *path, char *out, size_t n);

/* ---- db_feed.c ---- */

/* Import one input (a feed file, an OSV zip, or a directory of them,
 * walked in name order to depth 8) into `out`: detects the format of each
 * file, begins/ends the feeds and runs the parser. Malformed lines reach
 * out->malformed prefixed with the path of the file ("PATH: msg").
 * 0, or a DD_E* code with `err` set (unreadable input, a file that is no
 * feed, an error from the sink). */
int dd__feed_import(const dd__vuln_sink *out, const char *path, dd_error *err);

/* ---- db.c ---- */

/* The statement "SELECT scheme, status, fixed, ranges, severity, vuln_id,
 * summary, vuln_severity, cvss_score, cvss_vector, aliases FROM affected
 * WHERE ns = ?1 AND package = ?2", owned by `db` (reset before use), and
 * the connection itself (owned by `db`). One handle serves one thread. */
sqlite3_stmt *dd__vulndb_lookup(dd_vulndb *db);
sqlite3 *dd__vulndb_handle(dd_vulndb *db);

#endif
