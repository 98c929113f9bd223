/*
 * lib/scan.c - the walk with the built-in analyzers plugged in.
 */
#include <string.h>

#include "drydock/scan.h"
#include "analyze/analyzer.h"
#include "layer/walk_int.h"
#include "pkg/inventory.h"
#include "secret/secret_int.h"

#define MAX_ANALYZERS 8

struct dd_scan {
    dd__analyzer pkg, sec;
    dd__secret_engine *engine;
    dd__secret_analyzer sa;
    const dd__analyzer *list[MAX_ANALYZERS];
    size_t n;
    dd_walk *walk;
    dd_inventory *inv;
};

int dd_scan_run(dd_scan **out,
                const dd_image *img,
                const dd_scan_opts *opts,
                dd_error *err)
{
    dd__error_clear(err);
    if (!out || !img) {
        return dd__error_set(err, DD_EINVALID, "dd_scan_run: NULL argument");
    }
    dd_scan_opts defaults = DD_SCAN_OPTS_INIT;
    if (!opts) {
        opts = &defaults;
    }
    unsigned which = opts->analyzers ? opts->analyzers : ~0u;
    dd_scan *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    size_t pkg_index = 0;
    if (which & DD_ANALYZE_PACKAGES) {
        dd__pkg_analyzer_init(&s->pkg);
        pkg_index = s->n;
        s->list[s->n++] = &s->pkg;
    }
    if (which & DD_ANALYZE_SECRETS) {
        int r = dd__secret_engine_new(&s->engine, opts->secret_config, err);
        if (r) {
            dd_scan_free(s);
            return r;
        }
        s->sa.engine = s->engine;
        s->sa.info = dd_image_info_get(img);
        dd__secret_analyzer_init(&s->sec, &s->sa);
        s->list[s->n++] = &s->sec;
    }
    int rc = dd__walk_run_with(&s->walk, img, &opts->walk, s->list, s->n, err);
    if (!rc && (which & DD_ANALYZE_SECRETS)) {
        rc = dd__secret_scan_config(&s->sa, s->walk->findings);
        if (rc) {
            dd__error_set(err, rc, "scanning the image config: %s",
                          dd_strerror(rc));
        }
    }
    if (!rc && (which & DD_ANALYZE_PACKAGES)) {
        rc = dd__inventory_build(&s->inv, s->walk, pkg_index, img);
        if (rc) {
            dd__error_set(err, rc, "building the package inventory: %s",
                          dd_strerror(rc));
        }
    }
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
    dd__inventory_free(s->inv);
    dd_walk_free(s->walk);
    dd__secret_engine_free(s->engine);
    dd__free(s);
}

const dd_walk *dd_scan_walk(const dd_scan *s)
{
    return s->walk;
}

const dd_inventory *dd_scan_inventory(const dd_scan *s)
{
    return s->inv;
}

const dd_findings *dd_scan_findings(const dd_scan *s)
{
    return dd_walk_findings(s->walk);
}
