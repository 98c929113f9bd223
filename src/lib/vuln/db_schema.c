/*
 * lib/vuln/db_schema.c - the vulnerability database's schema and its
 * version.
 *
 * Schema (version 2):
 *   meta(key PRIMARY KEY, value)              -- schema_version
 *   feeds(id, name UNIQUE, kind, source, imported_at, newest, records,
 *         affected, malformed)
 *   vulns(id, feed, vuln_id, summary, severity, cvss_score, cvss_vector,
 *         published, modified, aliases)       -- aliases comma-separated
 *   affected(ns, package, vuln, seq, feed, scheme, status, fixed,
 *            ranges, severity, vuln_id, vuln_severity, cvss_score,
 *            summary, cvss_vector, aliases)
 *            WITHOUT ROWID, clustered by (ns, package); the advisory's
 *            fields are copied in so a lookup is one range scan
 *
 * Migration: there is none in place. A database of another version is
 * not read (dd_vulndb_open says which version it has) and an import into
 * it rebuilds it from that import's inputs (db_import.c).
 */
#include <stdio.h>
#include <string.h>

#include "db_int.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS feeds(id INTEGER PRIMARY KEY, name TEXT "
    "UNIQUE NOT NULL, kind TEXT, source TEXT, imported_at INTEGER, newest "
    "TEXT, records INTEGER, affected INTEGER, malformed INTEGER);"
    "CREATE TABLE IF NOT EXISTS vulns(id INTEGER PRIMARY KEY, feed INTEGER "
    "NOT NULL, vuln_id TEXT NOT NULL, summary TEXT, severity TEXT, "
    "cvss_score REAL, cvss_vector TEXT, published TEXT, modified TEXT, "
    "aliases TEXT);"
    "CREATE INDEX IF NOT EXISTS vulns_feed ON vulns(feed);"
    /* clustered by (ns, package): a lookup is one range scan; the
     * advisory's id, severity and score are copied in so that rows that
     * do not match never touch `vulns` */
    "CREATE TABLE IF NOT EXISTS affected(ns TEXT NOT NULL, package TEXT NOT "
    "NULL, vuln INTEGER NOT NULL, seq INTEGER NOT NULL, feed INTEGER NOT "
    "NULL, scheme TEXT, status TEXT NOT NULL, fixed TEXT, ranges TEXT, "
    "severity TEXT, vuln_id TEXT, vuln_severity TEXT, cvss_score REAL, "
    "summary TEXT, cvss_vector TEXT, aliases TEXT, "
    "PRIMARY KEY(ns, package, vuln, seq)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS affected_feed ON affected(feed);"
    "INSERT OR REPLACE INTO meta VALUES('schema_version', "
    "'" DD__VULNDB_SCHEMA_VERSION "');";

static const char VERSION_SQL[] =
    "SELECT value FROM meta WHERE key = 'schema_version'";

int dd__vulndb_schema_create(sqlite3 *db)
{
    return sqlite3_exec(db, SCHEMA, NULL, NULL, NULL);
}

int dd__vulndb_schema_current(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int ok = sqlite3_prepare_v2(db, VERSION_SQL, -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
             !strcmp((const char *)sqlite3_column_text(q, 0),
                     DD__VULNDB_SCHEMA_VERSION);
    sqlite3_finalize(q);
    return ok;
}

void dd__vulndb_file_schema(const char *path, char *out, size_t n)
{
    out[0] = '\0';
    char *uri = dd__asprintf("file:%s?mode=ro", path);
    sqlite3 *d = NULL;
    sqlite3_stmt *q = NULL;
    if (uri &&
        sqlite3_open_v2(uri, &d, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                        NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, VERSION_SQL, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(d);
    dd__free(uri);
}
