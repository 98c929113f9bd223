/*
 * lib/analyze/builtin.c - the built-in rows of the analyzer table: the
 * glue between dd__scan_ctx and each analyzer's own module (packages,
 * owners, vuln, secret, malware, config). The analyzers themselves live
 * in their modules; table.c lists the rows.
 */
#include <stdio.h>
#include <string.h>

#include "analyzer.h"
#include "drydock/license.h"
#include "drydock/scan.h"
#include "../findings_int.h"
#include "../engine_int.h"
#include "../config/config_int.h"
#include "../lang/lang.h"
#include "../malware/malware_int.h"
#include "../pkg/inventory.h"
#include "../pkg/owners.h"
#include "../secret/secret_int.h"
#include "../source/image_int.h"
#include "../source/sbom_input.h"
#include "../vuln/match_int.h"
#include "../../util/util.h"

/* ------------------------------------------------------------ packages */
static int pkg_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    (void)c;
    dd__pkg_analyzer_init(h);
    dd__pkg_dbcache *cache = dd__pkg_dbcache_new();
    if (!cache) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    h->self = cache;
    *st = cache;
    return 0;
}

static void pkg_teardown(dd__scan_ctx *c, void *st)
{
    (void)c;
    dd__pkg_dbcache_free(st);
}

/* os-release text for the OS an SBOM names: values quoted, '"' and '\\'
 * escaped, no line breaks */
static int osr_line(dd__buf *b, const char *key, const char *v)
{
    if (!v) {
        return 0;
    }
    int rc = dd__buf_printf(b, "%s=\"", key);
    for (const char *p = v; !rc && *p; p++) {
        char ch = *p == '\n' || *p == '\r' ? ' ' : *p;
        rc = (ch == '"' || ch == '\\') ? dd__buf_add(b, "\\", 1) : 0;
        rc = rc ? rc : dd__buf_add(b, &ch, 1);
    }
    return rc ? rc : dd__buf_add(b, "\"\n", 2);
}

/* sbom:FILE - the inventory is the document's package list */
static int
sbom_inventory(dd_inventory *inv, const dd__sbom_doc *d, const char *name)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < d->pkgs.len; i++) {
        rc = dd__inventory_add(inv, DD_VEC_AT(&d->pkgs, dd_package, i));
    }
    for (size_t i = 0; !rc && i < d->warnings.len; i++) {
        rc = dd__inventory_warn(inv, *DD_VEC_AT(&d->warnings, const char *, i));
    }
    if (!rc && d->warnings_dropped) {
        char m[512];
        snprintf(m, sizeof m, "%s: %zu more warnings", name,
                 d->warnings_dropped);
        rc = dd__inventory_warn(inv, m);
    }
    if (d->incomplete) {
        dd__inventory_incomplete(inv);
    }
    if (!rc && d->os_family) {
        dd__buf b;
        dd__buf_init(&b, 1u << 16);
        rc = osr_line(&b, "ID", d->os_family);
        rc = rc ? rc : osr_line(&b, "VERSION_ID", d->os_version);
        rc = rc ? rc : osr_line(&b, "VERSION_CODENAME", d->os_codename);
        rc = rc ? rc : osr_line(&b, "PRETTY_NAME", d->os_name);
        if (!rc) {
            rc = dd__inventory_set_os(inv, b.ptr, b.len, name);
            rc = rc == DD_ENOTFOUND ? 0 : rc;
        }
        dd__buf_free(&b);
    }
    dd__inventory_sort(inv);
    return rc == DD_ELIMIT ? 0 : rc;
}

static int pkg_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    (void)st;
    int rc = dd__inventory_build(&c->inv, c->walk, ai, c->img);
    const dd__sbom_doc *sb = dd__image_sbom(c->img);
    if (!rc && sb) {
        rc = sbom_inventory(c->inv, sb, c->info->name);
    }
    if (!rc && !(c->pkg_types & DD_PKG_TYPES_OS)) {
        dd__inventory_drop_os(c->inv); /* --pkg-types library */
    }
    return rc ? dd__error_set(err, rc, "building the package inventory: %s",
                              dd_strerror(rc))
              : 0;
}

const dd__analyzer_def dd__row_packages = {
    .name = "packages",
    .version = 2, /* 2: dpkg licenses (copyright files) */
    .scanner = DD_SCANNER_PACKAGES,
    .provides = DD__ROW_PACKAGES,
    .setup = pkg_setup,
    .finish = pkg_finish,
    .teardown = pkg_teardown,
};

/* ------------------------------------------------------------ lang */
/* Application packages (npm, ...): part of the "packages" scanner (same
 * bit), adds to the inventory the packages row built. */
static int lang_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    (void)c;
    dd__lang *l = dd__lang_new();
    if (!l) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    dd__lang_analyzer_init(h, l);
    *st = l;
    return 0;
}

static int lang_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    int rc = dd__lang_finish(st, c, ai);
    return rc ? dd__error_set(err, rc, "application packages: %s",
                              dd_strerror(rc))
              : 0;
}

static void lang_teardown(dd__scan_ctx *c, void *st)
{
    (void)c;
    dd__lang_free(st);
}

const dd__analyzer_def dd__row_lang = {
    .name = "lang",
    .version = 5, /* 2: Go binaries, 3: Java archives, 4: Rust binaries,
                     5: licenses (npm "licenses" arrays, PyPI classifiers,
                     pom.xml) */
    .scanner = DD_SCANNER_PACKAGES,
    .provides = DD__ROW_PACKAGES,
    .needs = DD__ROW_PACKAGES,
    .libraries = 1,
    .setup = lang_setup,
    .finish = lang_finish,
    .teardown = lang_teardown,
};

/* ------------------------------------------------------------ owners */
static int own_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    (void)c;
    dd__owner_map *m = dd__calloc(1, sizeof *m);
    if (!m) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    dd__owners_analyzer_init(h);
    *st = m;
    return 0;
}

static int own_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    dd__owner_map *m = st;
    int rc = dd__owner_map_build(m, c->walk, ai);
    c->owners = m; /* built (or half built): freed by teardown */
    if (!rc && c->inv) {
        rc = dd__owner_map_add_inventory(m, c->inv);
    }
    return rc ? dd__error_set(err, rc, "package file lists: %s",
                              dd_strerror(rc))
              : 0;
}

static void own_teardown(dd__scan_ctx *c, void *st)
{
    if (st && c->owners == st) {
        dd__owner_map_free(st);
    }
    dd__free(st);
}

const dd__analyzer_def dd__row_owners = {
    .name = "owners",
    .version = 1,
    .provides = DD__ROW_OWNERS,
    .needs = DD__ROW_PACKAGES,
    .setup = own_setup,
    .finish = own_finish,
    .teardown = own_teardown,
};

/* ------------------------------------------------------------ vuln */
static int vuln_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    (void)h;
    dd__vuln_report *r = dd__calloc(1, sizeof *r);
    if (!r) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    c->vrep = r;
    *st = r;
    return 0;
}

static int vuln_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    (void)ai;
    dd_vulndb *db = dd__engine_db_acquire(c->eng, err);
    if (!db) {
        return err ? err->code : DD_EIO;
    }
    dd_findings *vf = NULL;
    c->db_age = dd_vulndb_age(db);
    int rc =
        dd__vuln_match(db, c->inv, c->img, c->eng->db_max_age, &vf, st, err);
    dd__engine_db_release(c->eng, db);
    if (!rc) {
        rc = dd__findings_move(c->findings, vf);
        if (rc) {
            dd__error_set(err, rc, "out of memory");
        }
    }
    dd_findings_free(vf);
    return rc;
}

static void vuln_teardown(dd__scan_ctx *c, void *st)
{
    (void)c;
    dd__vuln_report_free(st);
    dd__free(st);
}

const dd__analyzer_def dd__row_vuln = {
    .name = "vuln",
    .version = 1,
    .scanner = DD_SCANNER_VULN,
    .needs = DD__ROW_PACKAGES,
    .setup = vuln_setup,
    .finish = vuln_finish,
    .teardown = vuln_teardown,
};

/* ------------------------------------------------------------ secret */
static int sec_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    dd__secret_analyzer *sa = dd__calloc(1, sizeof *sa);
    if (!sa) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    sa->engine = c->eng->secrets;
    sa->info = c->info;
    dd__secret_analyzer_init(h, sa);
    *st = sa;
    return 0;
}

static int sec_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    (void)ai;
    int rc = dd__secret_scan_config(st, c->findings);
    return rc ? dd__error_set(err, rc, "scanning the image config: %s",
                              dd_strerror(rc))
              : 0;
}

static void free_state(dd__scan_ctx *c, void *st)
{
    (void)c;
    dd__free(st);
}

const dd__analyzer_def dd__row_secret = {
    .name = "secret",
    .version = 2,
    .scanner = DD_SCANNER_SECRET,
    .setup = sec_setup,
    .finish = sec_finish,
    .teardown = free_state,
};

/* ------------------------------------------------------------ malware */
static int mal_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    const dd_engine *eng = c->eng;
    dd__malware *m = dd__calloc(1, sizeof *m);
    if (!m) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    m->yara = eng->yara;
    m->hashes = eng->hashes;
    m->clamd = eng->clamd;
    m->clamav = eng->clamav;
    m->info = c->info;
    m->max_file = eng->mal_max_file;
    m->no_heuristics = eng->no_heuristics;
    m->yara_builtin_only = eng->yara_builtin_only;
    dd__malware_analyzer_init(h, m);
    *st = m;
    return 0;
}

static int mal_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    int rc = dd__malware_finish(st, c->walk, ai, c->owners, c->findings);
    return rc ? dd__error_set(err, rc, "malware heuristics: %s",
                              dd_strerror(rc))
              : 0;
}

const dd__analyzer_def dd__row_malware = {
    .name = "malware",
    .version = 1,
    .scanner = DD_SCANNER_MALWARE,
    .needs = DD__ROW_PACKAGES | DD__ROW_OWNERS,
    .setup = mal_setup,
    .finish = mal_finish,
    .teardown = free_state,
};

/* ------------------------------------------------------------ config */
static int cfg_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    dd__config *k = dd__calloc(1, sizeof *k);
    if (!k) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    k->policy = c->eng->checks;
    k->img = c->img;
    /* Env secrets: reported by the secret scanner when it runs, by the
     * configuration checks otherwise - once either way */
    k->secrets = (c->scanners & DD_SCANNER_SECRET) ? NULL : c->eng->secrets;
    dd__config_analyzer_init(h, k);
    *st = k;
    return 0;
}

static int cfg_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    int rc = dd__config_finish(st, c->walk, ai, c->inv, c->owners, c->findings);
    return rc ? dd__error_set(err, rc, "configuration checks: %s",
                              dd_strerror(rc))
              : 0;
}

const dd__analyzer_def dd__row_config = {
    .name = "config",
    .version = 2,
    .scanner = DD_SCANNER_CONFIG,
    .needs = DD__ROW_PACKAGES | DD__ROW_OWNERS,
    .setup = cfg_setup,
    .finish = cfg_finish,
    .teardown = free_state,
};

/* ------------------------------------------------------------ license */
/* Each package's license through the engine's license policy
 * (docs/licenses.md): forbidden HIGH, restricted MEDIUM, reciprocal and
 * unknown (a LicenseRef, unparsable text) LOW; notice, permissive and
 * unencumbered licenses and packages that declare none are not
 * findings. */
static int lic_setup(dd__scan_ctx *c, void **st, dd__analyzer *h, dd_error *e)
{
    (void)c;
    (void)h;
    (void)e;
    *st = NULL;
    return 0;
}

static int lic_finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    (void)st;
    (void)ai;
    static const dd_severity sev[DD_LICENSE_CATEGORY_COUNT] = {
        [DD_LICENSE_UNKNOWN] = DD_SEV_LOW,
        [DD_LICENSE_RECIPROCAL] = DD_SEV_LOW,
        [DD_LICENSE_RESTRICTED] = DD_SEV_MEDIUM,
        [DD_LICENSE_FORBIDDEN] = DD_SEV_HIGH};
    const dd_image_info *info = c->info;
    for (size_t i = 0; i < dd_inventory_count(c->inv); i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        if (!p->license || !*p->license) {
            continue;
        }
        dd_license_category cat =
            dd_license_classify(c->eng->licenses, p->license);
        if (!sev[cat]) {
            continue;
        }
        char *expr = NULL;
        int rc =
            dd_license_normalize(p->license, strlen(p->license), &expr, NULL);
        if (rc == DD_ENOMEM) {
            return dd__error_set(err, rc, "out of memory");
        }
        char rule[40], ev[1200];
        const char *cn = dd_license_category_name(cat);
        snprintf(rule, sizeof rule, "license.%s", cn);
        snprintf(ev, sizeof ev, "%s package %.200s %.100s: %.500s%s%.300s%s",
                 dd_pkg_type_name(p->type), p->name, p->version,
                 expr ? expr : p->license,
                 expr && strcmp(expr, p->license) ? " (declared: " : "",
                 expr && strcmp(expr, p->license) ? p->license : "",
                 expr && strcmp(expr, p->license) ? ")" : "");
        dd__finding_spec sp = {0};
        sp.kind = DD_KIND_LICENSE;
        sp.severity = sev[cat];
        sp.rule_id = rule;
        sp.path = p->db_path;
        sp.evidence = ev;
        sp.layer = p->layer;
        sp.history = p->history;
        sp.category = cn;
        sp.layer_digest =
            p->layer >= 0 && info && (size_t)p->layer < info->n_layers
                ? info->layers[p->layer].diff_id
                : NULL;
        rc = dd__findings_add(c->findings, &sp,
                              "%.200s %.100s: %s license %.300s", p->name,
                              p->version, cn, expr ? expr : p->license);
        dd__free(expr);
        if (rc) {
            return dd__error_set(err, rc, "out of memory");
        }
    }
    return 0;
}

const dd__analyzer_def dd__row_license = {
    .name = "license",
    .version = 1,
    .scanner = DD_SCANNER_LICENSE,
    .needs = DD__ROW_PACKAGES,
    .setup = lic_setup,
    .finish = lic_finish,
};
