/*
 * tests/tools/vuln_bench.c - time dd__vuln_match() alone (image read and
 * database opened beforehand), RUNS times; prints the median and the
 * number of findings. Used by bench/vulndb.sh.
 *
 *   vuln_bench IMAGE DB [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "drydock/drydock.h"
#include "lib/vuln/match_int.h"

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s IMAGE DB [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 100) {
        runs = 5;
    }
    dd_error err;
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd_vulndb *db = NULL;
    dd_engine *eng = NULL;
    dd_scan_opts so = DD_SCAN_OPTS_INIT;
    so.scanners = DD_SCANNER_PACKAGES;
    if (dd_image_open(&img, argv[1], NULL, &err) ||
        dd_engine_new(&eng, NULL, &err) ||
        dd_scan_run(&scan, eng, img, &so, &err) ||
        dd_vulndb_open(&db, argv[2], &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    double t[100];
    size_t found = 0;
    for (int i = 0; i < runs; i++) {
        dd_findings *f = NULL;
        dd__vuln_report rep;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (dd__vuln_match(db, dd_scan_inventory(scan), img, 0, &f, &rep,
                           &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
               (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        found = dd_findings_count(f);
        dd_findings_free(f);
        dd__vuln_report_free(&rep);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_d);
    printf("packages %zu findings %zu median_ms %.2f min_ms %.2f\n",
           dd_inventory_count(dd_scan_inventory(scan)), found, t[runs / 2],
           t[0]);
    dd_vulndb_close(db);
    dd_scan_free(scan);
    dd_engine_free(eng);
    dd_image_free(img);
    return 0;
}
