/*
 * lib/server/worker.c - in-process workers of the service
 * (drydock/service.h): claim a job, open the image, scan it with the
 * shared engine, store the JSON and SARIF reports and a summary.
 * Ownership: dd_service_workers owns its threads and an engine
 * reference; the service stays the caller's.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "drydock/drydock.h"
#include "drydock/service.h"
#include "lib/server/service_int.h"
#include "util/util.h"

struct dd_service_workers {
    dd_service *svc;
    dd_engine *eng;
    const dd_registry_opts *reg;
    pthread_t *threads;
    unsigned n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static int buf_write(void *p, const void *data, size_t len)
{
    return dd__buf_add(p, data, len) ? 1 : 0;
}

static char *summary_json(const dd_scan_summary *sum)
{
    json_t *o = json_object();
    if (!o) {
        return NULL;
    }
    int worst = -1;
    json_object_set_new(o, "total", json_integer((json_int_t)sum->total));
    for (int s = DD_SEV_UNKNOWN; s <= DD_SEV_CRITICAL; s++) {
        json_object_set_new(o, dd_severity_name((dd_severity)s),
                            json_integer((json_int_t)sum->by_severity[s]));
        if (sum->by_severity[s] && s != DD_SEV_UNKNOWN) {
            worst = s;
        }
    }
    if (worst < 0 && sum->by_severity[DD_SEV_UNKNOWN]) {
        worst = DD_SEV_UNKNOWN;
    }
    json_object_set_new(
        o, "worst",
        worst < 0 ? json_null()
                  : json_string(dd_severity_name((dd_severity)worst)));
    json_object_set_new(o, "complete", json_boolean(sum->complete));
    char *t = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    char *r = t ? dd__strdup(t) : NULL;
    free(t); /* jansson's allocation */
    return r;
}

/* 1 when retrying cannot help */
static int final_error(int rc)
{
    return rc != DD_ENET && rc != DD_EIO && rc != DD_ENOMEM;
}

static unsigned scanners_of(const char *options)
{
    unsigned bits = 0;
    json_t *o = json_loads(options, 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "scanners"), i, v)
    {
        for (size_t b = 0; b < dd_scanner_count(); b++) {
            if (json_is_string(v) &&
                !strcmp(json_string_value(v), dd_scanner_name(b))) {
                bits |= dd_scanner_bit(b);
            }
        }
    }
    json_decref(o);
    return bits;
}

/* The scan's cancel callback, polled by the walk's threads: renews the
 * job's lease every third of it, and stops the scan when the claim was
 * lost (the lease expired and another worker took the job). */
typedef struct beat {
    dd_service *svc;
    int64_t id;
    unsigned attempt;
    pthread_mutex_t mu;
    int64_t last;
    int lost;
} beat;

static int beat_cb(void *p)
{
    beat *b = p;
    int64_t now = (int64_t)time(NULL);
    pthread_mutex_lock(&b->mu);
    if (!b->lost && now - b->last >= b->svc->opts.lease_seconds / 3) {
        dd_error err;
        b->last = now;
        b->lost = dd_service_heartbeat(b->svc, b->id, b->attempt, now, &err) ==
                  DD_ENOTFOUND;
    }
    int stop = b->lost;
    pthread_mutex_unlock(&b->mu);
    return stop;
}

int dd_service_run_one(dd_service *s,
                       dd_engine *eng,
                       const dd_registry_opts *reg,
                       int64_t now,
                       dd_error *err)
{
    dd_service_job *job = NULL;
    int rc = dd_service_claim(s, now, &job, err);
    if (rc) {
        return rc;
    }
    dd_error e;
    e.message[0] = 0;
    dd_image_opts io = DD_IMAGE_OPTS_INIT;
    io.registry = reg;
    dd_image *img = NULL;
    dd_scan *scan = NULL;
    dd__buf js, sa;
    dd__buf_init(&js, (size_t)256 << 20);
    dd__buf_init(&sa, (size_t)256 << 20);
    char *sum = NULL;
    beat hb = {s, job->id, job->attempts, PTHREAD_MUTEX_INITIALIZER, now, 0};
    int src = dd_image_open(&img, job->image, &io, &e);
    if (!src) {
        dd_scan_opts so = DD_SCAN_OPTS_INIT;
        so.scanners = scanners_of(job->options);
        so.cancel = beat_cb;
        so.cancel_payload = &hb;
        src = dd_scan_run(&scan, eng, img, &so, &e);
    }
    if (!src) {
        src = dd_report_write(scan, "json", NULL, buf_write, &js, &e);
    }
    if (!src) {
        src = dd_report_write(scan, "sarif", NULL, buf_write, &sa, &e);
    }
    if (!src && (dd__buf_add(&js, "\n", 1) || dd__buf_add(&sa, "\n", 1) ||
                 !(sum = summary_json(dd_scan_summary_get(scan))))) {
        src = dd__error_set(&e, DD_ENOMEM, "out of memory");
    }
    int64_t end = (int64_t)time(NULL);
    if (end < now) {
        end = now;
    }
    if (!src) {
        const dd_image_info *info = dd_image_info_get(img);
        const char *digest =
            info->manifest_digest ? info->manifest_digest : info->config_digest;
        char *j = dd__buf_detach(&js), *sr = dd__buf_detach(&sa);
        rc = j && sr ? dd_service_finish(s, job->id, job->attempts, j, sr,
                                         digest, sum, end, err)
                     : dd__error_set(err, DD_ENOMEM, "out of memory");
        dd__free(j);
        dd__free(sr);
    } else {
        rc = dd_service_fail(s, job->id, job->attempts,
                             e.message[0] ? e.message : dd_strerror(src),
                             final_error(src), end, err);
    }
    pthread_mutex_destroy(&hb.mu);
    dd__free(sum);
    dd__buf_free(&js);
    dd__buf_free(&sa);
    dd_scan_free(scan);
    dd_image_free(img);
    dd_service_job_free(job);
    return rc;
}

static void *worker_main(void *p)
{
    dd_service_workers *w = p;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        int stop = w->stop;
        pthread_mutex_unlock(&w->mu);
        if (stop) {
            break;
        }
        dd_error err;
        int rc = dd_service_run_one(w->svc, w->eng, w->reg, (int64_t)time(NULL),
                                    &err);
        if (rc == 0) {
            continue;
        }
        /* nothing to do (or the store is busy): wait a little, or until
         * told to stop */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&w->mu);
        if (!w->stop) {
            (void)pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        }
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

int dd_service_workers_start(dd_service *s,
                             dd_engine *eng,
                             const dd_registry_opts *reg,
                             unsigned n,
                             dd_service_workers **out,
                             dd_error *err)
{
    if (!s || !eng || !out || !n || n > 256) {
        return dd__error_set(err, DD_EINVALID,
                             "workers: a store, an engine and 1 to 256 "
                             "workers are needed");
    }
    *out = NULL;
    dd_service_workers *w = dd__calloc(1, sizeof *w);
    if (!w || !(w->threads = dd__calloc(n, sizeof *w->threads))) {
        dd__free(w);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    w->svc = s;
    w->eng = dd_engine_ref(eng);
    w->reg = reg;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    for (unsigned i = 0; i < n; i++) {
        int e = pthread_create(&w->threads[i], NULL, worker_main, w);
        if (e) {
            dd_service_workers_stop(w);
            return dd__error_set(err, DD_EIO, "workers: %s", strerror(e));
        }
        w->n++;
    }
    *out = w;
    return 0;
}

void dd_service_workers_stop(dd_service_workers *w)
{
    if (!w) {
        return;
    }
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->n; i++) {
        pthread_join(w->threads[i], NULL);
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    dd_engine_free(w->eng);
    dd__free(w->threads);
    dd__free(w);
}
