/*
 * lib/report/report_table.c - the scan as a table for people: the image,
 * what was and was not checked, a summary per kind and severity, then one
 * section per kind, each sorted by severity (CRITICAL first) then id and
 * path, with columns as wide as their widest cell (cells cut with an
 * ellipsis at a maximum width). Every cell goes through the terminal
 * escape (drydock/text.h); ANSI colour only when the caller asks for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/vulndb.h"
#include "report_int.h"
#include "../../util/util.h"

#define OUT_MAX   ((size_t)1 << 31)
#define MAX_COLS  10
#define ELLIPSIS  "\xe2\x80\xa6" /* U+2026, one column */
#define COL_GAP   2
#define INDENT    "  "
#define NO_COLOUR (-1)

/* ------------------------------------------------------------ cells */

/* Display columns of valid UTF-8: one per code point. (East Asian wide
 * characters take two on most terminals; they are rare in what we show
 * and only shift the rest of their row.) */
static size_t u8_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    }
    return w;
}

/* Bytes of the next unit of s: a valid UTF-8 character, else one byte. */
static size_t unit_len(const char *s)
{
    for (size_t k = 1; k <= 4 && s[k - 1]; k++) {
        if (dd_text_is_utf8(s, k)) {
            return k;
        }
    }
    return 1;
}

/* s escaped for a terminal, cut to at most `maxw` columns (the last one an
 * ellipsis) between whole escapes. NULL on ENOMEM. */
static char *cell_text(const char *s, size_t maxw, size_t *width)
{
    s = s ? s : "";
    size_t n = strlen(s);
    char *full = dd__text_escape_dup(s, n, DD_ESCAPE_TERMINAL);
    if (!full) {
        return NULL;
    }
    size_t w = u8_width(full, strlen(full));
    if (w <= maxw || maxw < 2) {
        *width = w;
        return full;
    }
    dd__free(full);
    dd__buf b;
    dd__buf_init(&b, OUT_MAX);
    size_t used = 0;
    int rc = 0;
    for (size_t i = 0; s[i] && !rc;) {
        size_t k = unit_len(s + i);
        char e[32];
        size_t el = dd_text_escape(e, sizeof e, s + i, k, DD_ESCAPE_TERMINAL);
        size_t uw = u8_width(e, el);
        if (used + uw > maxw - 1) {
            break;
        }
        rc = dd__buf_add(&b, e, el);
        used += uw;
        i += k;
    }
    rc = rc ? rc : dd__buf_addstr(&b, ELLIPSIS);
    char *t = rc ? NULL : dd__buf_detach(&b);
    dd__buf_free(&b);
    *width = used + 1;
    return t;
}

/* ------------------------------------------------------------ tables */
typedef struct col {
    const char *head;
    size_t maxw;
    int right; /* right-aligned (numbers) */
} col;

typedef struct cell {
    char *text;
    size_t width;
    int sev; /* colour of this severity, or NO_COLOUR */
} cell;

typedef struct tab {
    const col *cols;
    size_t ncol;
    dd__vec cells; /* cell, row-major */
    int rc;
} tab;

static void tab_init(tab *t, const col *cols, size_t ncol)
{
    t->cols = cols;
    t->ncol = ncol;
    dd__vec_init(&t->cells, sizeof(cell));
    t->rc = 0;
}

static void tab_free(tab *t)
{
    for (size_t i = 0; i < t->cells.len; i++) {
        dd__free(DD_VEC_AT(&t->cells, cell, i)->text);
    }
    dd__vec_free(&t->cells);
}

/* Append the next cell (rows fill left to right). */
static void tab_add(tab *t, const char *s, int sev)
{
    if (t->rc) {
        return;
    }
    size_t c = t->cells.len % t->ncol;
    cell *x = dd__vec_push(&t->cells);
    if (!x) {
        t->rc = DD_ENOMEM;
        return;
    }
    x->sev = sev;
    x->text = cell_text(s, t->cols[c].maxw, &x->width);
    if (!x->text) {
        t->rc = DD_ENOMEM;
    }
}

static void tab_addf(tab *t, int sev, const char *fmt, ...) DD_PRINTF(3, 4);
static void tab_addf(tab *t, int sev, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    tab_add(t, tmp, sev);
}

static const char *sev_colour(int sev)
{
    switch (sev) {
    case DD_SEV_CRITICAL:
        return "\033[1;31m";
    case DD_SEV_HIGH:
        return "\033[31m";
    case DD_SEV_MEDIUM:
        return "\033[33m";
    case DD_SEV_LOW:
        return "\033[34m";
    case DD_SEV_INFO:
        return "\033[36m";
    case DD_SEV_UNKNOWN:
        return "\033[90m";
    default:
        return NULL;
    }
}

typedef struct out {
    dd__buf b;
    int colour;
    int rc;
} out;

static void put(out *o, const char *s)
{
    if (!o->rc) {
        o->rc = dd__buf_addstr(&o->b, s);
    }
}

static void putn(out *o, const char *s, size_t n)
{
    if (!o->rc) {
        o->rc = dd__buf_add(&o->b, s, n);
    }
}

static void putf(out *o, const char *fmt, ...) DD_PRINTF(2, 3);
static void putf(out *o, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) {
        putn(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    }
}

/* Escaped text from the image (or any text) into the output. */
static void put_esc(out *o, const char *s, size_t maxw)
{
    size_t w;
    char *t = cell_text(s, maxw, &w);
    if (!t) {
        o->rc = DD_ENOMEM;
        return;
    }
    put(o, t);
    dd__free(t);
}

static void pad(out *o, size_t n)
{
    static const char sp[] = "                                ";
    while (n) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        putn(o, sp, k);
        n -= k;
    }
}

static void put_cell(out *o, const cell *x)
{
    const char *on = o->colour ? sev_colour(x->sev) : NULL;
    if (on) {
        put(o, on);
    }
    put(o, x->text);
    if (on) {
        put(o, "\033[0m");
    }
}

/* Header row and every row, columns as wide as their widest cell. */
static void tab_emit(out *o, tab *t)
{
    if (t->rc) {
        o->rc = t->rc;
        return;
    }
    size_t w[MAX_COLS];
    for (size_t c = 0; c < t->ncol; c++) {
        w[c] = u8_width(t->cols[c].head, strlen(t->cols[c].head));
    }
    size_t rows = t->cells.len / t->ncol;
    for (size_t i = 0; i < t->cells.len; i++) {
        const cell *x = DD_VEC_AT(&t->cells, cell, i);
        size_t c = i % t->ncol;
        w[c] = x->width > w[c] ? x->width : w[c];
    }
    for (size_t r = 0; r <= rows; r++) {
        put(o, INDENT);
        for (size_t c = 0; c < t->ncol; c++) {
            cell head = {(char *)t->cols[c].head,
                         u8_width(t->cols[c].head, strlen(t->cols[c].head)),
                         NO_COLOUR};
            const cell *x =
                r ? DD_VEC_AT(&t->cells, cell, (r - 1) * t->ncol + c) : &head;
            int last = c + 1 == t->ncol;
            size_t gap = w[c] - x->width;
            if (t->cols[c].right) {
                pad(o, gap);
                put_cell(o, x);
                if (!last) {
                    pad(o, COL_GAP);
                }
            } else {
                put_cell(o, x);
                if (!last) {
                    pad(o, gap + COL_GAP);
                }
            }
        }
        put(o, "\n");
    }
}

/* ------------------------------------------------------------ sections */
typedef struct item {
    const dd_finding *f;
    size_t idx;
} item;

static int item_cmp(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = dd__report_cmp(x->f, y->f);
    return c ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The findings of one section, in report order (dd__free). */
static item *section_items(const dd_findings *fl, dd__section s, size_t *n)
{
    size_t total = dd_findings_count(fl), k = 0;
    item *v = dd__calloc(total ? total : 1, sizeof *v);
    if (!v) {
        return NULL;
    }
    for (size_t i = 0; i < total; i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        if (dd__section_of(f->kind) == s) {
            v[k].f = f;
            v[k].idx = i;
            k++;
        }
    }
    qsort(v, k, sizeof *v, item_cmp);
    *n = k;
    return v;
}

static const char *or_dash(const char *s)
{
    return s && s[0] ? s : "-";
}

typedef struct group {
    size_t start, count;
    int max_sev;
} group;

static int group_cmp(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->max_sev != y->max_sev) {
        return x->max_sev > y->max_sev ? -1 : 1;
    }
    return x->start < y->start ? -1 : x->start > y->start;
}

static const col vuln_cols[] = {{"PACKAGE", 32, 0}, {"INSTALLED", 28, 0},
                                {"FIXED", 28, 0},   {"ID", 40, 0},
                                {"SEVERITY", 8, 0}, {"STATUS", 12, 0},
                                {"LAYER", 20, 0},   {"TITLE", 120, 0}};

static void layer_cell(tab *t, const dd_finding *f)
{
    if (f->layer < 0) {
        tab_add(t, "-", NO_COLOUR);
    } else if (f->deleted_in >= 0) {
        tab_addf(t, NO_COLOUR, "%d (deleted in %d)", f->layer, f->deleted_in);
    } else {
        tab_addf(t, NO_COLOUR, "%d", f->layer);
    }
}

static void vuln_section(out *o, tab *t, item *it, size_t n)
{
    group *g = dd__calloc(n ? n : 1, sizeof *g);
    if (!g) {
        t->rc = DD_ENOMEM;
        return;
    }
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        const dd_vuln_info *v = it[i].f->vuln, *p = i ? it[i - 1].f->vuln : 0;
        int same = i && v && p &&
                   !strcmp(v->package ? v->package : "",
                           p->package ? p->package : "") &&
                   !strcmp(v->installed_version ? v->installed_version : "",
                           p->installed_version ? p->installed_version : "");
        if (!same) {
            g[ng].start = i;
            g[ng].count = 0;
            g[ng].max_sev = it[i].f->severity;
            ng++;
        }
        g[ng - 1].count++;
    }
    qsort(g, ng, sizeof *g, group_cmp);
    for (size_t k = 0; k < ng; k++) {
        for (size_t j = 0; j < g[k].count; j++) {
            const dd_finding *f = it[g[k].start + j].f;
            const dd_vuln_info *v = f->vuln;
            tab_add(t, j ? "" : v ? v->package : "-", NO_COLOUR);
            tab_add(t, j ? "" : or_dash(v ? v->installed_version : NULL),
                    NO_COLOUR);
            tab_add(t, or_dash(v ? v->fixed_version : NULL), NO_COLOUR);
            tab_add(t, f->rule_id, NO_COLOUR);
            tab_add(t, dd_severity_name(f->severity), (int)f->severity);
            tab_add(t, v ? dd_vuln_status_name(v->status) : "-", NO_COLOUR);
            layer_cell(t, f);
            tab_add(t, f->title, NO_COLOUR);
        }
    }
    dd__free(g);
    tab_emit(o, t);
}

static const col other_cols[] = {{"SEVERITY", 8, 0},
                                 {"ID", 48, 0},
                                 {"LAYER", 20, 0},
                                 {"PATH", 60, 0},
                                 {"DETAIL", 160, 0}};
static const col malware_cols[] = {{"SEVERITY", 8, 0}, {"ID", 48, 0},
                                   {"ENGINE", 10, 0},  {"LAYER", 20, 0},
                                   {"PATH", 60, 0},    {"DETAIL", 160, 0}};

static void other_section(out *o, tab *t, item *it, size_t n, int engine)
{
    dd__buf d;
    dd__buf_init(&d, OUT_MAX);
    for (size_t i = 0; i < n && !t->rc; i++) {
        const dd_finding *f = it[i].f;
        tab_add(t, dd_severity_name(f->severity), (int)f->severity);
        tab_add(t, f->rule_id, NO_COLOUR);
        if (engine) {
            tab_add(t, or_dash(f->engine), NO_COLOUR);
        }
        layer_cell(t, f);
        dd__buf_reset(&d);
        int rc = 0;
        if (f->path) {
            rc = dd__buf_addstr(&d, f->path[0] == '/' ? "" : "/");
            rc = rc ? rc : dd__buf_addstr(&d, f->path);
            if (!rc && f->line) {
                rc = dd__buf_printf(&d, ":%zu", f->line);
            }
        } else if (f->has_offset) {
            rc = dd__buf_printf(&d, "offset %llu",
                                (unsigned long long)f->offset);
        } else {
            rc = dd__buf_addstr(&d, "-");
        }
        /* the path's raw bytes go through the cell escape */
        tab_add(t, rc ? "" : d.ptr, NO_COLOUR);
        dd__buf_reset(&d);
        rc = rc ? rc : dd__buf_addstr(&d, f->title ? f->title : "");
        if (!rc && f->evidence) {
            rc = dd__buf_printf(&d, " [%s]", f->evidence);
        }
        tab_add(t, rc ? "" : d.ptr, NO_COLOUR);
        if (rc) {
            t->rc = rc;
        }
    }
    dd__buf_free(&d);
    tab_emit(o, t);
}

/* ------------------------------------------------------------ header */
static void header(out *o, const dd__report_view *v)
{
    const dd_image_info *in = v->info;
    const dd_scan_summary *sum = v->sum;
    const dd_os_info *os = v->os;
    put_esc(o, in ? (in->name ? in->name : in->path) : "image", 200);
    if (!v->no_inventory) { /* else the OS was not looked for */
        put(o, " (");
        put_esc(o, os && os->family ? os->family : "unknown OS", 64);
        if (os && os->version && os->version[0]) {
            put(o, " ");
            put_esc(o, os->version, 64);
        }
        put(o, ")");
    }
    put(o, "\n");
    for (int s = 0; s < DD__SEC_COUNT; s++) {
        char st[256];
        if (dd__section_hidden(v, (dd__section)s)) {
            continue;
        }
        dd__section_status(v, (dd__section)s, st, sizeof st);
        putf(o, INDENT "%-19s ", dd__section_key((dd__section)s));
        put_esc(o, st, 200);
        if (s == DD__SEC_VULN && (sum->scanners & DD_SCANNER_VULN)) {
            char ns[512];
            dd__vuln_namespaces(v, ns, sizeof ns);
            if (ns[0]) {
                put(o, " against ");
                put_esc(o, ns, 200);
            } else {
                put(o, " (no OS feed in the database for this image)");
            }
            if (sum->db_age >= 0) {
                putf(o, "; database %lld days old",
                     (long long)(sum->db_age / 86400));
            }
        }
        put(o, "\n");
    }
}

static const col sum_cols[] = {
    {"KIND", 32, 0}, {"CRITICAL", 10, 1}, {"HIGH", 10, 1},    {"MEDIUM", 10, 1},
    {"LOW", 10, 1},  {"INFO", 10, 1},     {"UNKNOWN", 10, 1}, {"TOTAL", 10, 1}};

static void summary(out *o, const dd__report_view *v)
{
    size_t count[DD__SEC_COUNT][6], totals[6];
    memset(count, 0, sizeof count);
    memset(totals, 0, sizeof totals);
    for (size_t i = 0; i < dd_findings_count(v->findings); i++) {
        const dd_finding *f = dd_findings_get(v->findings, i);
        unsigned s = (unsigned)f->severity < 6 ? (unsigned)f->severity : 0;
        count[dd__section_of(f->kind)][s]++;
        totals[s]++;
    }
    tab t;
    tab_init(&t, sum_cols, 8);
    for (int r = 0; r <= DD__SEC_COUNT; r++) {
        const size_t *c = r < DD__SEC_COUNT ? count[r] : totals;
        if (r < DD__SEC_COUNT && dd__section_hidden(v, (dd__section)r)) {
            continue;
        }
        unsigned bit = r < DD__SEC_COUNT ? dd__section_scanner(r) : 0;
        int off = bit && !(v->sum->scanners & bit);
        if (off) {
            tab_addf(&t, NO_COLOUR, "%s (not checked)", dd__section_key(r));
        } else {
            tab_add(&t, r < DD__SEC_COUNT ? dd__section_key(r) : "total",
                    NO_COLOUR);
        }
        size_t all = 0;
        for (int s = DD_SEV_CRITICAL; s >= DD_SEV_UNKNOWN; s--) {
            all += c[s];
            if (off) {
                tab_add(&t, "-", NO_COLOUR);
            } else {
                tab_addf(&t, c[s] ? s : NO_COLOUR, "%zu", c[s]);
            }
        }
        if (off) {
            tab_add(&t, "-", NO_COLOUR);
        } else {
            tab_addf(&t, NO_COLOUR, "%zu", all);
        }
    }
    put(o, "\nSummary\n");
    tab_emit(o, &t);
    tab_free(&t);
}

/* ------------------------------------------------------------ table */
int dd__report_table(const dd__report_view *v,
                     const dd_report_opts *opts,
                     char **outp,
                     size_t *len)
{
    out o;
    dd__buf_init(&o.b, OUT_MAX);
    o.colour = opts && opts->color;
    o.rc = 0;
    header(&o, v);
    summary(&o, v);
    size_t shown = 0;
    for (int s = 0; s < DD__SEC_COUNT && !o.rc; s++) {
        size_t n = 0;
        item *it = section_items(v->findings, (dd__section)s, &n);
        if (!it) {
            o.rc = DD_ENOMEM;
            break;
        }
        if (n) {
            putf(&o, "\n%s (%zu)\n", dd__section_title((dd__section)s), n);
            tab t;
            if (s == DD__SEC_VULN) {
                tab_init(&t, vuln_cols, sizeof vuln_cols / sizeof *vuln_cols);
                vuln_section(&o, &t, it, n);
            } else if (s == DD__SEC_MALWARE) {
                tab_init(&t, malware_cols,
                         sizeof malware_cols / sizeof *malware_cols);
                other_section(&o, &t, it, n, 1);
            } else {
                tab_init(&t, other_cols,
                         sizeof other_cols / sizeof *other_cols);
                other_section(&o, &t, it, n, 0);
            }
            tab_free(&t);
            shown += n;
        }
        dd__free(it);
    }
    if (!shown) {
        put(&o, "\nNo findings.\n");
    }
    if (!v->sum->complete) {
        put(&o, "\nIncomplete: the image was read only in part (see the "
                "archive/integrity findings)\n");
    }
    size_t n = o.b.len;
    char *t = o.rc ? NULL : dd__buf_detach(&o.b);
    dd__buf_free(&o.b);
    if (!t) {
        return DD_ENOMEM;
    }
    *outp = t;
    if (len) {
        *len = n;
    }
    return 0;
}
