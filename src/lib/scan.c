/*
 * lib/scan.c - the whole scan (drydock/scan.h): rows of the analyzer
 * table chosen from the scanners asked for, the walk with their hooks,
 * their finishers in table order, then ignores, filters, sorting and the
 * summary.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drydock/scan.h"
#include "drydock/vulndb.h"
#include "analyze/analyzer.h"
#include "engine_int.h"
#include "layer/walk_int.h"
#include "lookalike/lookalike_int.h"
#include "pkg/inventory.h"
#include "scan_int.h"
#include "vuln/match_int.h"

#define MAX_ROWS 16

struct dd_scan {
    dd_engine *eng; /* one reference */
    const dd_image *img;
    dd__scan_ctx ctx;
    int on[MAX_ROWS];
    void *state[MAX_ROWS];
    dd__analyzer hooks[MAX_ROWS];
    const dd__analyzer *list[MAX_ROWS];
    size_t n_list;
    dd_findings *final;
    dd_scan_summary sum;
    dd__arena strings;
    dd__vec warnings; /* const char * */
    dd__vec ignored;  /* dd_ignored */
    dd__ignores ig;
    const dd_scan_opts *opts; /* during the run only */
};

static int add_warning_n(dd_scan *s, const char *text, size_t n)
{
    char *w = dd__arena_strndup(&s->strings, text, n);
    const char **slot = w ? dd__vec_push(&s->warnings) : NULL;
    if (!slot) {
        return DD_ENOMEM;
    }
    *slot = w;
    return 0;
}

/* one warning per line of `text` */
static int add_warnings(dd_scan *s, const char *text)
{
    int rc = 0;
    for (const char *p = text; p && *p && !rc;) {
        size_t k = strcspn(p, "\n");
        if (k) {
            rc = add_warning_n(s, p, k);
        }
        p += k + (p[k] == '\n');
    }
    return rc;
}

static int keep(void *ctx, const dd_finding *f)
{
    dd_scan *s = ctx;
    const dd_scan_opts *o = s->opts;
    if (o->severities && !(o->severities & (1u << f->severity))) {
        return 0;
    }
    if (o->ignore_unfixed && f->vuln && f->vuln->status != DD_VULN_FIXED) {
        return 0;
    }
    dd__ignore_entry *e = dd__ignores_match(&s->ig, f);
    if (!e) {
        return 1;
    }
    dd_ignored *g = dd__vec_push(&s->ignored);
    if (g) {
        g->id = dd__arena_strdup(&s->strings, f->rule_id);
        g->package =
            f->vuln ? dd__arena_strdup(&s->strings, f->vuln->package) : NULL;
        g->rule = e->id;
        g->expires = e->expires;
        g->reason = e->reason;
        g->path = dd__arena_strdup(&s->strings, f->path);
    }
    return 0;
}

/* vulnerabilities first (package, severity down, id, version), the
 * others after them in the order they were found */
static int by_report_order(const dd_finding *x, const dd_finding *y)
{
    if (!x->vuln || !y->vuln) {
        return x->vuln ? -1 : y->vuln ? 1 : 0;
    }
    int c = strcmp(x->vuln->package, y->vuln->package);
    if (c) {
        return c;
    }
    if (x->severity != y->severity) {
        return x->severity > y->severity ? -1 : 1;
    }
    if ((c = strcmp(x->rule_id, y->rule_id))) {
        return c;
    }
    return strcmp(x->vuln->installed_version, y->vuln->installed_version);
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Rows to run: those of the scanners asked for, then what they need;
 * without DD_PKG_TYPES_LIBRARY not the application-package rows. */
static void choose_rows(dd_scan *s, unsigned scanners)
{
    size_t n = dd__analyzer_count();
    for (size_t r = 0; r < n; r++) {
        s->on[r] = (dd__analyzer_get(r)->scanner & scanners) != 0;
    }
    for (size_t r = n; r-- > 0;) {
        unsigned needs = s->on[r] ? dd__analyzer_get(r)->needs : 0;
        for (size_t q = 0; needs && q < r; q++) {
            if (dd__analyzer_get(q)->provides & needs) {
                s->on[q] = 1;
            }
        }
    }
    /* --pkg-types os: the application-package rows do not run at all */
    for (size_t r = 0; r < n; r++) {
        if (dd__analyzer_get(r)->libraries &&
            !(s->ctx.pkg_types & DD_PKG_TYPES_LIBRARY)) {
            s->on[r] = 0;
        }
    }
}

static int run(dd_scan *s, const dd_scan_opts *o, dd_error *err)
{
    dd__scan_ctx *c = &s->ctx;
    unsigned avail = dd_engine_scanners(s->eng);
    unsigned want = o->scanners;
    int rc = 0;
    if (want & ~avail) {
        return dd__error_set(
            err, DD_EINVALID, "%s",
            (want & ~avail & DD_SCANNER_VULN)
                ? "the vuln scanner needs a vulnerability database: the "
                  "engine was made without one (run `drydock db update`)"
                : "a scanner was asked for that this engine was made without");
    }
    if (!want) {
        want = DD_SCANNERS_DEFAULT & avail;
        if (!(avail & DD_SCANNER_VULN)) {
            rc = add_warnings(s, "no vulnerability database: vulnerabilities "
                                 "were not checked (run `drydock db update`, "
                                 "or choose scanners with --scanners)");
        }
    } else if (want != DD_SCANNER_PACKAGES &&
               (want & DD_SCANNERS_DEFAULT) != DD_SCANNERS_DEFAULT) {
        /* what was not checked is said, not only left out */
        char line[160] = "not checked (not among the chosen scanners):";
        size_t at = strlen(line), base = at;
        for (size_t i = 0; dd_scanner_name(i); i++) {
            unsigned bit = dd_scanner_bit(i);
            if ((bit & DD_SCANNERS_DEFAULT) && !(want & bit) &&
                at + 16 < sizeof line) {
                at +=
                    (size_t)snprintf(line + at, sizeof line - at, "%s %s",
                                     at > base ? "," : "", dd_scanner_name(i));
            }
        }
        rc = add_warnings(s, line);
    }
    /* an SBOM is a package list: no file, config or history to check */
    unsigned nofiles =
        DD_SCANNER_SECRET | DD_SCANNER_MALWARE | DD_SCANNER_CONFIG;
    if (!rc && c->info->source == DD_SOURCE_SBOM && (want & nofiles)) {
        char line[160];
        size_t at = 0;
        for (size_t i = 0; dd_scanner_name(i) && at + 16 < sizeof line; i++) {
            if (want & nofiles & dd_scanner_bit(i)) {
                at += (size_t)snprintf(line + at, sizeof line - at, "%s%s",
                                       at ? ", " : "", dd_scanner_name(i));
            }
        }
        snprintf(line + at, sizeof line - at,
                 " not checked: an SBOM has no files");
        want &= ~nofiles;
        want = want ? want : DD_SCANNER_PACKAGES;
        rc = add_warnings(s, line);
    }
    c->scanners = want;
    s->sum.scanners = want;
    /* the ignore file first: a bad one fails before any work */
    if (!rc && o->ignore_file) {
        char today[16];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        dd__buf w;
        dd__buf_init(&w, 1u << 20);
        rc = dd__ignores_load(&s->ig, o->ignore_file, today, &w, err);
        if (!rc && w.len) {
            char *t = dd__buf_detach(&w);
            rc = t ? add_warnings(s, t) : DD_ENOMEM;
            dd__free(t);
        }
        dd__buf_free(&w);
        if (rc) {
            return rc;
        }
    }
    choose_rows(s, want);
    size_t n = dd__analyzer_count();
    for (size_t r = 0; r < n && !rc; r++) {
        const dd__analyzer_def *d = dd__analyzer_get(r);
        if (!s->on[r]) {
            continue;
        }
        memset(&s->hooks[r], 0, sizeof s->hooks[r]);
        rc = d->setup(c, &s->state[r], &s->hooks[r], err);
        if (!rc && s->hooks[r].wants) {
            c->walk_index[r] = s->n_list;
            s->list[s->n_list++] = &s->hooks[r];
        }
    }
    if (rc) {
        return rc;
    }
    dd_walk_opts wo = o->walk;
    if (!wo.cancel && o->cancel) {
        wo.cancel = o->cancel;
        wo.cancel_payload = o->cancel_payload;
    }
    if (o->timeout_ms && !wo.deadline_ns) {
        wo.deadline_ns = mono_ns() + (int64_t)o->timeout_ms * 1000000;
    }
    rc = dd__walk_run_with(&c->walk, s->img, &wo, s->list, s->n_list, err);
    if (rc) {
        return rc;
    }
    c->findings = c->walk->findings;
    if (want & DD_SCANNER_CONFIG) { /* the reference itself (lookalike.h) */
        rc = dd__lookalike_finding(c->findings, c->info);
    }
    for (size_t r = 0; r < n && !rc; r++) {
        const dd__analyzer_def *d = dd__analyzer_get(r);
        if (s->on[r] && d->finish) {
            if (o->cancel && o->cancel(o->cancel_payload)) {
                return dd__error_set(err, DD_ECANCELED, "scan canceled");
            }
            rc = d->finish(c, s->state[r], c->walk_index[r], err);
        }
    }
    if (rc) {
        return rc;
    }
    /* one list: the image's own findings, then the walk's and the
     * analyzers' (in layer order), filtered, then sorted */
    s->final = dd__findings_new();
    const dd_findings *imgl = dd_image_findings(s->img);
    rc = s->final ? 0 : DD_ENOMEM;
    for (size_t i = 0; !rc && i < dd_findings_count(imgl); i++) {
        const dd_finding *f = dd_findings_get(imgl, i);
        rc = keep(s, f) ? dd__findings_copy(s->final, f) : 0;
    }
    if (!rc) {
        rc = dd__findings_filter_move(s->final, c->findings, keep, s);
    }
    if (!rc) {
        rc = dd__findings_sort(s->final, by_report_order);
    }
    if (rc) {
        return dd__error_set(err, rc, "out of memory");
    }
    /* summary and warnings */
    dd_scan_summary *sum = &s->sum;
    for (size_t i = 0; i < dd_findings_count(s->final); i++) {
        sum->by_severity[dd_findings_get(s->final, i)->severity]++;
    }
    sum->total = dd_findings_count(s->final);
    sum->ignored = s->ignored.len;
    sum->complete =
        dd_walk_complete(c->walk) && (!c->inv || dd_inventory_complete(c->inv));
    sum->db_age = -1;
    if (c->vrep) {
        sum->packages_checked = c->vrep->packages_checked;
        sum->db_namespace = c->vrep->ns;
        sum->db_path = s->eng->db_path;
        sum->db_age = c->db_age;
        rc = add_warnings(s, c->vrep->warnings);
    }
    for (size_t i = 0; !rc && c->inv && i < dd_inventory_warning_count(c->inv);
         i++) {
        rc = add_warnings(s, dd_inventory_warning(c->inv, i));
    }
    if (!rc && dd_image_resolved_from(s->img)) {
        char line[512];
        const dd_image_info *ii = dd_image_info_get(s->img);
        snprintf(
            line, sizeof line, "%s is not a local file: it was read from %s",
            ii->path ? ii->path : "the image", dd_image_resolved_from(s->img));
        rc = add_warnings(s, line);
    }
    if (!rc && dd_walk_skipped_count(c->walk)) {
        char line[160];
        snprintf(line, sizeof line,
                 "%llu entries were not analysed: they are under "
                 "--skip-dirs or match --skip-files",
                 (unsigned long long)dd_walk_skipped_count(c->walk));
        rc = add_warnings(s, line);
    }
    if (!rc && !dd_walk_complete(c->walk)) {
        rc = add_warnings(s, "the image was read only in part: findings may "
                             "be missing (see the archive findings)");
    }
    return rc ? dd__error_set(err, rc, "out of memory") : 0;
}

int dd_scan_run(dd_scan **out,
                dd_engine *eng,
                const dd_image *img,
                const dd_scan_opts *opts,
                dd_error *err)
{
    dd__error_clear(err);
    if (!out || !eng || !img) {
        return dd__error_set(err, DD_EINVALID, "dd_scan_run: NULL argument");
    }
    *out = NULL;
    dd_scan_opts defaults = DD_SCAN_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    if (opts->version != DD_SCAN_OPTS_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_scan_run: options version %u, this library "
                             "knows %u",
                             opts->version, DD_SCAN_OPTS_VERSION);
    }
    dd_scan *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    s->eng = dd_engine_ref(eng);
    s->img = img;
    s->opts = opts;
    s->ctx.eng = eng;
    s->ctx.img = img;
    s->ctx.info = dd_image_info_get(img);
    s->ctx.lockfiles = opts->lockfiles;
    s->ctx.pkg_types = opts->pkg_types ? opts->pkg_types
                                       : DD_PKG_TYPES_OS | DD_PKG_TYPES_LIBRARY;
    dd__arena_init(&s->strings);
    dd__vec_init(&s->warnings, sizeof(const char *));
    dd__vec_init(&s->ignored, sizeof(dd_ignored));
    dd__ignores_init(&s->ig);
    int rc = run(s, opts, err);
    s->opts = NULL;
    if (rc) {
        dd_scan_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void dd_scan_free(dd_scan *s)
{
    if (!s) {
        return;
    }
    /* the walk frees the analyzers' layer states first; then each row's
     * own state, rows using others before the rows they use */
    dd__inventory_free(s->ctx.inv);
    dd_walk_free(s->ctx.walk);
    for (size_t r = dd__analyzer_count(); r-- > 0;) {
        const dd__analyzer_def *d = dd__analyzer_get(r);
        if (s->on[r] && d->teardown) {
            d->teardown(&s->ctx, s->state[r]);
        }
    }
    dd_findings_free(s->final);
    dd__ignores_free(&s->ig);
    dd__vec_free(&s->warnings);
    dd__vec_free(&s->ignored);
    dd__arena_free(&s->strings);
    dd_engine_free(s->eng);
    dd__free(s);
}

int dd_scan_set_signatures(dd_scan *s, const char *verdict, dd_error *err)
{
    if (!s || !verdict) {
        return dd__error_set(err, DD_EINVALID, "dd_scan_set_signatures: NULL");
    }
    const char *v =
        dd__arena_strndup(&s->strings, verdict, strcspn(verdict, "\n"));
    if (!v) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    s->sum.signatures = v;
    return 0;
}

int dd_scan_add_findings(dd_scan *s, const dd_findings *extra, dd_error *err)
{
    if (!s || !s->final) {
        return dd__error_set(err, DD_EINVALID, "no scan to add findings to");
    }
    int rc = 0;
    for (size_t i = 0; !rc && i < dd_findings_count(extra); i++) {
        const dd_finding *f = dd_findings_get(extra, i);
        rc = dd__findings_copy(s->final, f);
        if (!rc) {
            s->sum.by_severity[f->severity]++;
        }
    }
    if (!rc) {
        rc = dd__findings_sort(s->final, by_report_order);
    }
    s->sum.total = dd_findings_count(s->final);
    return rc ? dd__error_set(err, rc, "out of memory") : 0;
}

const dd_findings *dd_scan_findings(const dd_scan *s)
{
    return s->final;
}

const dd_scan_summary *dd_scan_summary_get(const dd_scan *s)
{
    return &s->sum;
}

size_t dd_scan_warning_count(const dd_scan *s)
{
    return s->warnings.len;
}

const char *dd_scan_warning(const dd_scan *s, size_t i)
{
    return i < s->warnings.len ? *DD_VEC_AT(&s->warnings, const char *, i)
                               : NULL;
}

size_t dd_scan_ignored_count(const dd_scan *s)
{
    return s->ignored.len;
}

const dd_ignored *dd_scan_ignored(const dd_scan *s, size_t i)
{
    return i < s->ignored.len ? DD_VEC_AT(&s->ignored, dd_ignored, i) : NULL;
}

const dd_image *dd_scan_image(const dd_scan *s)
{
    return s->img;
}

const dd_walk *dd_scan_walk(const dd_scan *s)
{
    return s->ctx.walk;
}

const dd_inventory *dd_scan_inventory(const dd_scan *s)
{
    return s->ctx.inv;
}

const char *dd_scan_malware_engines(const dd_scan *s)
{
    return (s->sum.scanners & DD_SCANNER_MALWARE)
               ? dd_engine_malware_engines(s->eng)
               : "";
}
