/*
 * lib/report/report_junit.c - the scan as JUnit XML for CI dashboards:
 * <testsuites> with one <testsuite> per kind (the table's sections, in
 * their order), one <testcase> per finding, a <failure> for the findings
 * at or above the fail threshold (never INFO), and one skipped testcase
 * for a kind that was not checked. The layout follows the common JUnit
 * schema (Jenkins junit-10.xsd): testsuite = properties?, testcase*;
 * testcase = skipped?, failure*, system-out*.
 *
 * Text from the image goes through the terminal escape first (no control
 * byte, no invalid UTF-8: neither may appear in XML 1.0, not even as a
 * character reference), then the XML escape; U+FFFE and U+FFFF, not XML
 * characters either, are written as \uFFFE, \uFFFF.
 */
#include <stdio.h>
#include <string.h>

#include "drydock/vulndb.h"
#include "report_int.h"
#include "../../util/util.h"

#define OUT_MAX ((size_t)1 << 31)

typedef struct xw {
    dd__buf b;
    int rc;
} xw;

static void raw(xw *x, const char *s)
{
    if (!x->rc) {
        x->rc = dd__buf_addstr(&x->b, s);
    }
}

static void rawf(xw *x, const char *fmt, ...) DD_PRINTF(2, 3);
static void rawf(xw *x, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0 && !x->rc) {
        x->rc = dd__buf_add(
            &x->b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    }
}

/* Text already escaped for a terminal (valid UTF-8, no control byte but
 * our own line breaks) escaped for XML; `attr` writes the line breaks as
 * character references. */
static void xml_text(xw *x, const char *e, int attr)
{
    const char *p = e;
    while (*p && !x->rc) {
        size_t k = strcspn(p, "&<>\"'\n\xef");
        x->rc = dd__buf_add(&x->b, p, k);
        p += k;
        if (!*p || x->rc) {
            break;
        }
        const char *rep = NULL;
        size_t used = 1;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        case '\n':
            rep = attr ? "&#10;" : "\n";
            break;
        default: /* 0xef: U+FFFE / U+FFFF are not XML characters */
            if ((unsigned char)p[1] == 0xbf &&
                ((unsigned char)p[2] == 0xbe || (unsigned char)p[2] == 0xbf)) {
                rep = (unsigned char)p[2] == 0xbe ? "\\uFFFE" : "\\uFFFF";
                used = 3;
            }
            break;
        }
        if (rep) {
            x->rc = dd__buf_addstr(&x->b, rep);
        } else {
            x->rc = dd__buf_add(&x->b, p, 1);
        }
        p += used;
    }
}

/* s (any bytes) escaped for a terminal and then for XML. */
static void text(xw *x, const char *s, int attr)
{
    if (x->rc) {
        return;
    }
    s = s ? s : "";
    char *e = dd__text_escape_dup(s, strlen(s), DD_ESCAPE_TERMINAL);
    if (!e) {
        x->rc = DD_ENOMEM;
        return;
    }
    xml_text(x, e, attr);
    dd__free(e);
}

static void attr(xw *x, const char *name, const char *value)
{
    rawf(x, " %s=\"", name);
    text(x, value, 1);
    raw(x, "\"");
}

static int is_failure(const dd_report_opts *o, dd_severity s)
{
    if (s == DD_SEV_INFO) {
        return 0;
    }
    int t = o ? o->fail_on : -1;
    return t < 0 || (t < DD_REPORT_FAIL_NONE && (int)s >= t);
}

/* "Key: value\n" with the value escaped for a terminal. */
static void line(dd__buf *d, const char *key, const char *value)
{
    const char *v = value ? value : "";
    dd__buf_printf(d, "%s: ", key);
    dd__text_escape(d, v, strlen(v), DD_ESCAPE_TERMINAL);
    dd__buf_addstr(d, "\n");
}

/* The finding's details, one "Key: value" line each, every value
 * escaped (the line breaks are ours). */
static void details(dd__buf *d, const dd_finding *f, const char *image)
{
    const dd_vuln_info *v = f->vuln;
    char num[64];
    line(d, "Severity", dd_severity_name(f->severity));
    line(d, "ID", f->rule_id);
    if (v) {
        line(d, "Package", v->package);
        line(d, "Installed", v->installed_version);
        line(d, "Fixed", v->fixed_version ? v->fixed_version : "none");
        line(d, "Status", dd_vuln_status_name(v->status));
    }
    if (f->layer >= 0) {
        snprintf(num, sizeof num, "%d", f->layer);
        line(d, "Layer", num);
    }
    if (f->deleted_in >= 0) {
        snprintf(num, sizeof num, "%d (still shipped)", f->deleted_in);
        line(d, "Deleted in layer", num);
    }
    if (f->path) {
        dd__buf_addstr(d, "Path: ");
        dd__buf_addstr(d, f->path[0] == '/' ? "" : "/");
        dd__text_escape(d, f->path, strlen(f->path), DD_ESCAPE_TERMINAL);
        if (f->line) {
            dd__buf_printf(d, ":%zu", f->line);
        }
        dd__buf_addstr(d, "\n");
    }
    if (f->has_offset) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)f->offset);
        line(d, "Offset", num);
    }
    if (f->engine) {
        line(d, "Engine", f->engine);
    }
    if (f->evidence) {
        line(d, "Evidence", f->evidence);
    }
    line(d, "Title", f->title);
    line(d, "Image", image);
}

static void testcase(xw *x,
                     const dd_finding *f,
                     const char *suite,
                     const char *image,
                     const dd_report_opts *o)
{
    dd__buf name;
    dd__buf_init(&name, 1u << 20);
    dd__buf_printf(&name, "[%s] %s", dd_severity_name(f->severity),
                   f->rule_id ? f->rule_id : "");
    if (f->vuln) {
        dd__buf_printf(
            &name, " in %s %s", f->vuln->package ? f->vuln->package : "",
            f->vuln->installed_version ? f->vuln->installed_version : "");
    } else if (f->path) {
        dd__buf_printf(&name, " %s%s", f->path[0] == '/' ? "" : "/", f->path);
    }
    char cls[96];
    snprintf(cls, sizeof cls, "drydock.%s", suite);
    raw(x, "    <testcase");
    attr(x, "name", name.ptr ? name.ptr : "");
    attr(x, "classname", cls);
    raw(x, " time=\"0\">\n");
    dd__buf d;
    dd__buf_init(&d, 1u << 20);
    details(&d, f, image);
    if (is_failure(o, f->severity)) {
        dd__buf_reset(&name);
        dd__buf_printf(&name, "%s: %s", dd_severity_name(f->severity),
                       f->title ? f->title : "");
        raw(x, "      <failure");
        attr(x, "message", name.ptr ? name.ptr : "");
        attr(x, "type", dd_severity_name(f->severity));
        raw(x, ">");
        xml_text(x, d.ptr ? d.ptr : "", 0);
        raw(x, "</failure>\n");
    } else {
        raw(x, "      <system-out>");
        xml_text(x, d.ptr ? d.ptr : "", 0);
        raw(x, "</system-out>\n");
    }
    raw(x, "    </testcase>\n");
    dd__buf_free(&d);
    dd__buf_free(&name);
}

/* JUnit names of the sections (no '/' for the classnames). */
static const char *const suite_names[DD__SEC_COUNT] = {
    "vulnerabilities", "secrets", "malware", "misconfigurations",
    "archive",         "trust",   "licenses"};

int dd__report_junit(const dd__report_view *v,
                     const dd_report_opts *o,
                     char **out,
                     size_t *len)
{
    const dd_image_info *in = v->info;
    const char *image = in ? (in->name ? in->name : in->path) : "image";
    const dd_findings *fl = v->findings;
    size_t n = dd_findings_count(fl);
    size_t tests[DD__SEC_COUNT] = {0}, fails[DD__SEC_COUNT] = {0};
    size_t all_tests = 0, all_fails = 0;
    for (size_t i = 0; i < n; i++) {
        const dd_finding *f = dd_findings_get(fl, i);
        dd__section s = dd__section_of(f->kind);
        tests[s]++;
        fails[s] += (size_t)is_failure(o, f->severity);
    }
    int off[DD__SEC_COUNT];
    for (int s = 0; s < DD__SEC_COUNT; s++) {
        unsigned bit = dd__section_scanner((dd__section)s);
        off[s] = bit && !(v->sum->scanners & bit) && !tests[s] &&
                 !dd__section_hidden(v, (dd__section)s);
        all_tests += tests[s] + (size_t)off[s];
        all_fails += fails[s];
    }
    const dd_finding **sorted = dd__report_sorted(fl, &n);
    if (!sorted) {
        return DD_ENOMEM;
    }
    xw x;
    dd__buf_init(&x.b, OUT_MAX);
    x.rc = 0;
    raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    char title[64];
    snprintf(title, sizeof title, "drydock %s", DRYDOCK_VERSION);
    attr(&x, "name", title);
    rawf(&x, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"0\">\n",
         all_tests, all_fails);
    for (int s = 0; s < DD__SEC_COUNT && !x.rc; s++) {
        if (dd__section_hidden(v, (dd__section)s) && !tests[s]) {
            continue;
        }
        raw(&x, "  <testsuite");
        attr(&x, "name", suite_names[s]);
        rawf(&x,
             " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%d\" "
             "time=\"0\">\n",
             tests[s] + (size_t)off[s], fails[s], off[s]);
        char st[256];
        dd__section_status(v, (dd__section)s, st, sizeof st);
        if (s == DD__SEC_VULN && (v->sum->scanners & DD_SCANNER_VULN)) {
            size_t k = strlen(st);
            char ns[160];
            dd__vuln_namespaces(v, ns, sizeof ns);
            snprintf(st + k, sizeof st - k, " against %s",
                     ns[0] ? ns : "no OS feed");
        }
        raw(&x, "    <properties>\n      <property name=\"image\"");
        attr(&x, "value", image);
        raw(&x, "/>\n      <property name=\"checked\"");
        attr(&x, "value", st);
        raw(&x, "/>\n    </properties>\n");
        if (off[s]) {
            raw(&x, "    <testcase");
            attr(&x, "name", "not checked");
            rawf(&x, " classname=\"drydock.%s\" time=\"0\">\n", suite_names[s]);
            raw(&x, "      <skipped");
            attr(&x, "message", st);
            raw(&x, "/>\n    </testcase>\n");
        }
        for (size_t i = 0; i < n; i++) {
            const dd_finding *f = sorted[i];
            if ((int)dd__section_of(f->kind) == s) {
                testcase(&x, f, suite_names[s], image, o);
            }
        }
        raw(&x, "  </testsuite>\n");
    }
    raw(&x, "</testsuites>\n");
    dd__free(sorted);
    size_t l = x.b.len;
    char *t = x.rc ? NULL : dd__buf_detach(&x.b);
    dd__buf_free(&x.b);
    if (!t) {
        return DD_ENOMEM;
    }
    *out = t;
    if (len) {
        *len = l;
    }
    return 0;
}
