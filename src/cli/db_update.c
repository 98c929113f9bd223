/*
 * cli/db_update.c - `drydock db update` (and the scan's first run): a thin
 * caller of dd_vulndb_update() that draws the progress bar on a terminal
 * and prints the library's lines.
 *
 * --mirror URL (or DRYDOCK_FEED_MIRROR) fetches the same paths from an
 * https mirror instead (air-gapped sites; the tests' local server), and
 * --ca-file PATH (or DRYDOCK_CA_FILE) trusts that CA bundle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct ui {
    int bar, quiet;
} ui;

static void on_line(void *u, const char *line)
{
    if (!((ui *)u)->quiet) {
        fprintf(stderr, "%s\n", cli_esc(line));
    }
}

static void on_progress(void *u, const char *feed, uint64_t now, int64_t total)
{
    if (!((ui *)u)->bar) {
        return;
    }
    if (!feed) {
        fputs("\r\033[K", stderr);
        return;
    }
    char a[32], b[32];
    fprintf(stderr, "\r%-26s %10s / %-10s", feed,
            cli_human((unsigned long long)now, a, sizeof a),
            total > 0 ? cli_human((unsigned long long)total, b, sizeof b)
                      : "?");
}

int cli_db_update(const char *db,
                  const char *feeds,
                  const char *mirror,
                  const char *ca,
                  unsigned flags,
                  char *why,
                  size_t whyn)
{
    int quiet = (flags & CLI_DBU_QUIET) != 0;
    FILE *sum = flags & CLI_DBU_SUMMARY_STDERR ? stderr : stdout;
    if (why && whyn) {
        why[0] = '\0';
    }
    ui u = {!quiet && !(flags & CLI_DBU_NO_BAR) && isatty(2), quiet};
    dd_vulndb_update_opts o = DD_VULNDB_UPDATE_OPTS_INIT;
    o.feeds = feeds;
    o.mirror = mirror ? mirror : getenv("DRYDOCK_FEED_MIRROR");
    o.ca_file = ca ? ca : getenv("DRYDOCK_CA_FILE");
    o.line = on_line;
    o.progress = on_progress;
    o.ud = &u;
    dd_import_report rep;
    dd_error err;
    int rc = dd_vulndb_update(db, &o, &rep, &err);
    if (rep.messages && !quiet) {
        fprintf(stderr, "%s", rep.messages);
    }
    if (rc == 0 && (!quiet || sum == stdout)) {
        fprintf(sum,
                "updated %s: %zu records from %zu feeds (%zu malformed "
                "skipped)\n",
                db, rep.records, rep.feeds, rep.malformed);
    }
    dd_import_report_free(&rep);
    if (rc == 0) {
        return 0;
    }
    if (why && whyn) {
        snprintf(why, whyn, "%s", err.message);
    } else if (rc == DD_ENET) {
        fprintf(stderr,
                "drydock: %s: the database was not updated; import feeds you "
                "have with `drydock db import PATH...`\n",
                cli_esc(err.message));
    } else if (rc == DD_EINVALID) {
        fprintf(stderr, "drydock %s\n", cli_esc(err.message));
    } else {
        fprintf(stderr, "drydock: %s\n", cli_esc(err.message));
    }
    return rc == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
}
