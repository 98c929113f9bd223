/*
 * lib/vuln/feed_debian.c - the Debian security tracker.
 *
 * JSON export (security-tracker.debian.org/tracker/data/json):
 *   { "<source package>": { "CVE-...": { "description", "releases": {
 *       "<codename>": { "status": resolved|open|undetermined,
 *         "fixed_version", "urgency", "nodsa_reason" } } } } }
 * Status model: resolved with fixed_version "0" -> not-affected, resolved
 * -> fixed; open -> affected, or will-not-fix (nodsa_reason "ignored"),
 * deferred ("postponed"), end-of-life (urgency "end-of-life");
 * undetermined -> affected. Urgency gives the severity.
 *
 * DSA/list and DLA/list text:
 *   [21 Apr 2023] DSA-5393-1 chromium - security update
 *   	{CVE-2023-2133 CVE-2023-2134}
 *   	[bullseye] - chromium 112.0.5615.138-1~deb11u1
 *   	[buster] - foo <not-affected> (reason)
 *   	NOTE: ...
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "vuln_int.h"

static const struct {
    const char *codename, *release;
} REL[] = {{"buzz", "1.1"},    {"rex", "1.2"},     {"bo", "1.3"},
           {"hamm", "2.0"},    {"slink", "2.1"},   {"potato", "2.2"},
           {"woody", "3.0"},   {"sarge", "3.1"},   {"etch", "4"},
           {"lenny", "5"},     {"squeeze", "6"},   {"wheezy", "7"},
           {"jessie", "8"},    {"stretch", "9"},   {"buster", "10"},
           {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"},
           {"forky", "14"},    {"duke", "15"},     {"sid", "unstable"}};

const char *dd__debian_release(const char *codename)
{
    for (size_t i = 0; i < sizeof REL / sizeof *REL; i++) {
        if (!strcmp(REL[i].codename, codename)) {
            return REL[i].release;
        }
    }
    return NULL;
}

/* Debian urgency -> severity ("not yet assigned" and unknown: NULL) */
const char *dd__urgency_severity(const char *u)
{
    if (!u) {
        return NULL;
    }
    if (!strncmp(u, "unimportant", 11) || !strncmp(u, "low", 3)) {
        return "LOW";
    }
    if (!strncmp(u, "medium", 6)) {
        return "MEDIUM";
    }
    if (!strncmp(u, "high", 4)) {
        return "HIGH";
    }
    return NULL;
}

int dd__feed_debian_json(const dd__vuln_sink *sink,
                         const char *where,
                         const char *data,
                         size_t len)
{
    json_t *r = NULL;
    dd_error e;
    if (dd__json_parse(&r, data, len, 0, "tracker JSON", &e) ||
        !json_is_object(r)) {
        dd__sink_malformed(sink, "%s",
                           r ? "not the tracker's JSON export (wrong type)"
                             : e.message);
        json_decref(r);
        return 0;
    }
    (void)where;
    const char *pkg;
    json_t *cves;
    int rc = 0;
    json_object_foreach(r, pkg, cves)
    {
        if (!*pkg) {
            dd__sink_malformed(sink, "an empty source package name");
            continue;
        }
        if (!json_is_object(cves)) {
            dd__sink_malformed(sink, "%.80s: not a mapping of issues", pkg);
            continue;
        }
        const char *id;
        json_t *c;
        json_object_foreach(cves, id, c)
        {
            json_t *rels = json_object_get(c, "releases");
            if (!*id) {
                dd__sink_malformed(sink, "%.80s: an empty issue id", pkg);
                continue;
            }
            if (!json_is_object(rels) || strlen(id) > 100) {
                dd__sink_malformed(sink, "%.80s %.80s: no releases", pkg, id);
                continue;
            }
            char summary[320] = "";
            const char *d =
                json_string_value(json_object_get(c, "description"));
            if (d) {
                snprintf(summary, sizeof summary, "%.*s", (int)strcspn(d, "\n"),
                         d);
            }
            dd__advisory v = {id,   summary[0] ? summary : NULL,
                              NULL, NULL,
                              -1,   NULL,
                              NULL, NULL,
                              0};
            if ((rc = sink->advisory(sink->ctx, &v))) {
                json_decref(r);
                return rc;
            }
            const char *code;
            json_t *rl;
            json_object_foreach(rels, code, rl)
            {
                const char *relno = dd__debian_release(code);
                const char *st =
                    json_string_value(json_object_get(rl, "status"));
                const char *fv =
                    json_string_value(json_object_get(rl, "fixed_version"));
                const char *ug =
                    json_string_value(json_object_get(rl, "urgency"));
                const char *nd =
                    json_string_value(json_object_get(rl, "nodsa_reason"));
                if (!relno || !st) {
                    continue;
                }
                char ns[32];
                snprintf(ns, sizeof ns, "debian:%s", relno);
                const char *status = "affected";
                if (!strcmp(st, "resolved")) {
                    status = fv && strcmp(fv, "0") ? "fixed" : "not-affected";
                } else if (ug && !strcmp(ug, "end-of-life")) {
                    status = "end-of-life";
                } else if (nd && !strcmp(nd, "ignored")) {
                    status = "will-not-fix";
                } else if (nd && !strcmp(nd, "postponed")) {
                    status = "deferred";
                }
                dd__affected a = {ns,
                                  pkg,
                                  "dpkg",
                                  status,
                                  !strcmp(status, "fixed") ? fv : NULL,
                                  NULL,
                                  dd__urgency_severity(ug)};
                if ((rc = sink->affected(sink->ctx, &a))) {
                    json_decref(r);
                    return rc;
                }
            }
        }
    }
    json_decref(r);
    return 0;
}

/* ---- DSA/DLA list ------------------------------------------------------ */

typedef struct dd__dsa_entry {
    char id[64], pkg[128], date[16], summary[256];
    char *aliases[256];
    size_t n_aliases;
    struct {
        char ns[32], pkg[128], status[16], fixed[128];
    } aff[32];
    size_t n_aff;
    int open;
} dd__dsa_entry;

static void entry_reset(dd__dsa_entry *e)
{
    for (size_t i = 0; i < e->n_aliases; i++) {
        dd__free(e->aliases[i]);
    }
    memset(e, 0, sizeof *e);
}

static int flush(const dd__vuln_sink *sink, dd__dsa_entry *e)
{
    if (!e->open) {
        return 0;
    }
    dd__advisory v = {e->id,       e->summary[0] ? e->summary : NULL,
                      NULL,        NULL,
                      -1,          e->date[0] ? e->date : NULL,
                      NULL,        (const char *const *)e->aliases,
                      e->n_aliases};
    int rc = sink->advisory(sink->ctx, &v);
    for (size_t i = 0; i < e->n_aff && !rc; i++) {
        dd__affected a = {e->aff[i].ns,
                          e->aff[i].pkg,
                          "dpkg",
                          e->aff[i].status,
                          e->aff[i].fixed[0] ? e->aff[i].fixed : NULL,
                          NULL,
                          NULL};
        rc = sink->affected(sink->ctx, &a);
    }
    entry_reset(e);
    return rc;
}

static const char *const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int parse_header(const char *l, dd__dsa_entry *e)
{
    /* [DD Mon YYYY] ID pkg[ - summary] */
    const char *p = l + 1;
    int day = 0, year = 0, mon = -1;
    for (int k = 0; k < 2 && *p >= '0' && *p <= '9'; k++) {
        day = day * 10 + (*p++ - '0');
    }
    if (*p++ != ' ') {
        return -1;
    }
    for (int i = 0; i < 12; i++) {
        if (!strncmp(p, MONTHS[i], 3)) {
            mon = i;
        }
    }
    if (mon < 0 || p[3] != ' ') {
        return -1;
    }
    p += 4;
    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        year = year * 10 + (*p++ - '0');
    }
    if (*p++ != ']' || *p++ != ' ' || day < 1 || day > 31) {
        return -1;
    }
    size_t n = strcspn(p, " ");
    if (!n || n >= sizeof e->id) {
        return -1;
    }
    snprintf(e->id, sizeof e->id, "%.*s", (int)n, p);
    p += n;
    while (*p == ' ') {
        p++;
    }
    n = strcspn(p, " ");
    snprintf(e->pkg, sizeof e->pkg, "%.*s", (int)(n < 127 ? n : 127), p);
    p += n;
    if (!strncmp(p, " - ", 3)) {
        p += 3;
    }
    snprintf(e->summary, sizeof e->summary, "%s", p);
    /* every part bounded, so the date always fits */
    unsigned y = (unsigned)year % 10000u, m = (unsigned)(mon + 1) % 100u,
             d = (unsigned)day % 100u;
    snprintf(e->date, sizeof e->date, "%04u-%02u-%02u", y, m, d);
    e->open = 1;
    return 0;
}

/* "{CVE-1 CVE-2}" */
static int parse_aliases(const char *p, dd__dsa_entry *e)
{
    p = strchr(p, '{');
    const char *close = p ? strchr(p, '}') : NULL;
    if (!close) {
        return -1;
    }
    p++;
    while (p < close) {
        while (p < close && *p == ' ') {
            p++;
        }
        size_t n = strcspn(p, " }");
        if (n && e->n_aliases < sizeof e->aliases / sizeof *e->aliases) {
            char *a = dd__strndup(p, n);
            if (!a) {
                return DD_ENOMEM;
            }
            e->aliases[e->n_aliases++] = a;
        }
        p += n;
    }
    return 0;
}

/* "[codename] - pkg version" / "[codename] - pkg <status> (why)" */
static int parse_affected(const char *p, dd__dsa_entry *e)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    const char *close = strchr(p, ']');
    if (*p != '[' || !close || strncmp(close, "] - ", 4)) {
        return -1;
    }
    char code[32];
    snprintf(code, sizeof code, "%.*s", (int)(close - p - 1), p + 1);
    const char *rel = dd__debian_release(code);
    p = close + 4;
    while (*p == ' ') {
        p++;
    }
    size_t n = strcspn(p, " ");
    if (!n || !p[n]) {
        return -1;
    }
    if (!rel || e->n_aff >= sizeof e->aff / sizeof *e->aff) {
        return 0; /* a release we do not know: nothing to match */
    }
    snprintf(e->aff[e->n_aff].pkg, sizeof e->aff[0].pkg, "%.*s",
             (int)(n < 127 ? n : 127), p);
    p += n;
    while (*p == ' ') {
        p++;
    }
    snprintf(e->aff[e->n_aff].ns, sizeof e->aff[0].ns, "debian:%s", rel);
    const char *status = "fixed";
    if (*p == '<') {
        status = !strncmp(p, "<not-affected>", 14)  ? "not-affected"
                 : !strncmp(p, "<end-of-life>", 13) ? "end-of-life"
                 : !strncmp(p, "<unfixed>", 9)      ? "affected"
                 : !strncmp(p, "<postponed>", 11)   ? "deferred"
                 : !strncmp(p, "<no-dsa>", 8) || !strncmp(p, "<ignored>", 9)
                     ? "will-not-fix"
                     : NULL;
        if (!status) {
            return -1;
        }
    } else {
        n = strcspn(p, " ");
        if (!n || n >= sizeof e->aff[0].fixed) {
            return -1;
        }
        snprintf(e->aff[e->n_aff].fixed, sizeof e->aff[0].fixed, "%.*s", (int)n,
                 p);
    }
    snprintf(e->aff[e->n_aff].status, sizeof e->aff[0].status, "%s", status);
    e->n_aff++;
    return 0;
}

int dd__feed_debian_list(const dd__vuln_sink *sink,
                         const char *where,
                         const char *data,
                         size_t len)
{
    (void)where;
    dd__dsa_entry *e = dd__calloc(1, sizeof *e);
    if (!e) {
        return DD_ENOMEM;
    }
    const char *p = data, *end = data + len;
    size_t line = 0;
    int rc = 0;
    char *buf = NULL;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        size_t n = (size_t)(le - p);
        dd__free(buf);
        buf = dd__strndup(p, n > (1u << 20) ? (1u << 20) : n);
        p = nl ? nl + 1 : end;
        if (!buf) {
            rc = DD_ENOMEM;
            break;
        }
        if (!buf[0]) {
            continue;
        }
        int bad = 0;
        if (buf[0] == '[') {
            rc = flush(sink, e);
            if (!rc && parse_header(buf, e)) {
                entry_reset(e);
                bad = 1;
            }
        } else if (buf[0] == '\t' || buf[0] == ' ') {
            const char *t = buf;
            while (*t == '\t' || *t == ' ') {
                t++;
            }
            if (!e->open || !strncmp(t, "NOTE:", 5) ||
                !strncmp(t, "TODO:", 5)) {
                continue;
            }
            int r = *t == '{'   ? parse_aliases(t, e)
                    : *t == '[' ? parse_affected(t, e)
                                : 0;
            if (r == DD_ENOMEM) {
                rc = r;
            } else if (r) {
                bad = 1;
            }
        } else {
            bad = 1;
        }
        if (bad) {
            dd__sink_malformed(sink,
                               "line %zu: '%.80s' is not a DSA/DLA list "
                               "line",
                               line, buf);
        }
    }
    if (!rc) {
        rc = flush(sink, e);
    }
    dd__free(buf);
    entry_reset(e);
    dd__free(e);
    return rc;
}
