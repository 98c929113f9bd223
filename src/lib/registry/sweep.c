/*
 * lib/registry/sweep.c - a registry swept (drydock/sweep.h): list, dedupe
 * by digest, then a pool of workers opens and scans the images on the
 * shared engine while results go back to the caller in sweep order.
 *
 * Workers take the next image number under a lock and never run more than
 * WINDOW images ahead of the oldest one not yet delivered, so memory stays
 * bounded when one image is slow: finished scans wait in their slot until
 * every earlier one has been handed over.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drydock/registry.h"
#include "drydock/sweep.h"
#include "../../util/arena.h"
#include "../../util/glob.h"
#include "../../util/map.h"
#include "../../util/util.h"

#define WINDOW_PER_WORKER 4

typedef struct slot {
    dd_sweep_image im;
    dd__vec also; /* const char * */
    dd_image *img;
    dd_scan *scan;
    char error[sizeof(((dd_error *)0)->message)];
    int done;
} slot;

typedef struct sweep {
    const dd_sweep_opts *o;
    dd_engine *eng;
    dd_scan_opts so; /* per image, threads resolved */
    dd__arena a;
    dd__vec slots; /* slot */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next_take, next_deliver, window;
    int stop; /* the callback asked to stop */
    dd_sweep_fn fn;
    void *payload;
} sweep;

/* a cosign artifact tag "sha256-<64 hex>.sig|.att|.sbom": writes the
 * digest it names ("sha256:<hex>") and returns 1 */
static int cosign_tag(const char *t, char out[80])
{
    if (strncmp(t, "sha256-", 7)) {
        return 0;
    }
    for (int i = 0; i < 64; i++) {
        char c = t[7 + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    const char *ext = t + 71;
    if (strcmp(ext, ".sig") && strcmp(ext, ".att") && strcmp(ext, ".sbom")) {
        return 0;
    }
    snprintf(out, 80, "sha256:%.64s", t + 7);
    return 1;
}

int dd_sweep_parse_time(const char *s, int64_t *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, n = 0;
    const char *p = s;
    int *f[] = {&y, &mo, &d, &h, &mi, &se};
    const char sep[] = {'-', '-', 'T', ':', ':', 0};
    for (int i = 0; i < 6; i++) {
        int digits = 0, v = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            v = v * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits || (i == 0 && digits != 4) || (i > 0 && digits != 2)) {
            return DD_EINVALID;
        }
        *f[i] = v;
        n++;
        if (i == 2 && !*p) {
            break; /* a date alone */
        }
        if (i < 5) {
            if (*p != sep[i] && !(i == 2 && (*p == 't' || *p == ' '))) {
                return DD_EINVALID;
            }
            p++;
        }
    }
    int64_t off = 0;
    if (n == 6) {
        if (*p == '.') { /* fractions of a second */
            p++;
            while (*p >= '0' && *p <= '9') {
                p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            if (!(p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
                  p[3] == ':' && p[4] >= '0' && p[4] <= '9' && p[5] >= '0' &&
                  p[5] <= '9')) {
                return DD_EINVALID;
            }
            off = sign * (((p[1] - '0') * 10 + (p[2] - '0')) * 3600 +
                          ((p[4] - '0') * 10 + (p[5] - '0')) * 60);
            p += 6;
        }
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60) {
        return DD_EINVALID;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = (int64_t)timegm(&tm) - off;
    return 0;
}

static slot *slot_at(sweep *sw, size_t i)
{
    return DD_VEC_AT(&sw->slots, slot, i);
}

/* open and scan image i (no lock held) */
static void process(sweep *sw, slot *s)
{
    char ref[1024];
    snprintf(ref, sizeof ref, "%s", s->im.ref);
    char *colon = strrchr(ref, ':');
    char *slash = strrchr(ref, '/');
    if (colon && slash && colon > slash) {
        snprintf(colon, sizeof ref - (size_t)(colon - ref), "@%s",
                 s->im.digest);
    }
    dd_error err;
    int rc = dd_image_open(&s->img, ref, &sw->o->image, &err);
    if (!rc) {
        const dd_image_info *info = dd_image_info_get(s->img);
        s->im.created = info->created;
        int64_t t;
        if (sw->o->since && info->created &&
            !dd_sweep_parse_time(info->created, &t) && t < sw->o->since) {
            s->im.skipped = 1;
            return;
        }
        rc = dd_scan_run(&s->scan, sw->eng, s->img, &sw->so, &err);
    }
    if (rc) {
        snprintf(s->error, sizeof s->error, "%s", err.message);
        s->im.error = s->error;
        dd_scan_free(s->scan);
        s->scan = NULL;
    }
    s->im.scan = s->scan;
}

/* hand over every finished image in order (lock held) */
static void deliver(sweep *sw)
{
    while (sw->next_deliver < sw->slots.len &&
           slot_at(sw, sw->next_deliver)->done) {
        slot *s = slot_at(sw, sw->next_deliver);
        s->im.also = s->also.items;
        s->im.n_also = s->also.len;
        if (!sw->stop && sw->fn(&s->im, sw->payload)) {
            sw->stop = 1;
        }
        dd_scan_free(s->scan);
        dd_image_free(s->img);
        s->scan = NULL;
        s->img = NULL;
        s->im.scan = NULL;
        sw->next_deliver++;
    }
    pthread_cond_broadcast(&sw->cv);
}

static void *worker(void *arg)
{
    sweep *sw = arg;
    pthread_mutex_lock(&sw->mu);
    for (;;) {
        if (sw->stop || sw->next_take >= sw->slots.len) {
            break;
        }
        if (sw->next_take >= sw->next_deliver + sw->window) {
            pthread_cond_wait(&sw->cv, &sw->mu);
            continue;
        }
        slot *s = slot_at(sw, sw->next_take++);
        pthread_mutex_unlock(&sw->mu);
        process(sw, s);
        pthread_mutex_lock(&sw->mu);
        s->done = 1;
        deliver(sw);
    }
    pthread_mutex_unlock(&sw->mu);
    return NULL;
}

/* list the images: repositories, tags, digests, deduplicated */
static int collect(sweep *sw, dd_sweep_stats *st, dd_error *err)
{
    const dd_sweep_opts *o = sw->o;
    char host[512];
    size_t hl = strcspn(o->target, "/");
    if (!hl || hl >= sizeof host) {
        return dd__error_set(err, DD_EINVALID, "sweep: '%s' is not HOST[/REPO]",
                             o->target);
    }
    snprintf(host, sizeof host, "%.*s", (int)hl, o->target);
    const char *one = o->target[hl] ? o->target + hl + 1 : NULL;
    dd_registry *r = NULL;
    int rc = dd_registry_open(&r, host, o->image.registry, err);
    if (rc) {
        return rc;
    }
    char **repos = NULL;
    size_t n_repos = 0;
    if (!one && (rc = dd_registry_repos(r, &repos, &n_repos, err))) {
        dd_registry_close(r);
        return rc;
    }
    dd__map seen; /* "repo\ndigest" -> slot */
    if (dd__map_init(&seen)) {
        dd_registry_strings_free(repos, n_repos);
        dd_registry_close(r);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    size_t n_list = one ? 1 : n_repos;
    int full = 0;
    for (size_t i = 0; i < n_list && !rc; i++) {
        const char *repo = one ? one : repos[i];
        if (o->repos && !dd__glob_match(o->repos, repo)) {
            continue;
        }
        st->repositories++;
        char **tags = NULL;
        size_t nt = 0;
        if ((rc = dd_registry_tags(r, repo, &tags, &nt, err))) {
            break;
        }
        const char *repo_s = dd__arena_strdup(&sw->a, repo);
        size_t first = sw->slots.len;
        dd__vec sigs; /* digests named by cosign tags, arena strings */
        dd__vec_init(&sigs, sizeof(char *));
        for (size_t k = 0; k < nt && !rc; k++) {
            char d[80];
            if (cosign_tag(tags[k], d)) {
                char **v = dd__vec_push(&sigs);
                if (!v || !(*v = dd__arena_strdup(&sw->a, d))) {
                    rc = DD_ENOMEM;
                }
                st->signature_tags++;
                continue;
            }
            if (o->tags && !dd__glob_match(o->tags, tags[k])) {
                continue;
            }
            st->tags++;
            if (full) {
                st->capped++;
                continue;
            }
            if ((rc = dd_registry_digest(r, repo, tags[k], d, err))) {
                break;
            }
            char key[400];
            int kl = snprintf(key, sizeof key, "%s\n%s", repo, d);
            int64_t at;
            if (kl > 0 && (size_t)kl < sizeof key &&
                dd__map_get(&seen, key, (size_t)kl, &at)) {
                slot *s = slot_at(sw, (size_t)at);
                const char **v = dd__vec_push(&s->also);
                if (!v || !(*v = dd__arena_strdup(&sw->a, tags[k]))) {
                    rc = DD_ENOMEM;
                }
                continue;
            }
            slot *s = dd__vec_push(&sw->slots);
            char ref[1024];
            snprintf(ref, sizeof ref, "%s/%s:%s", host, repo, tags[k]);
            if (!s || !repo_s) {
                rc = DD_ENOMEM;
                break;
            }
            dd__vec_init(&s->also, sizeof(const char *));
            s->im.index = sw->slots.len - 1;
            s->im.repo = repo_s;
            s->im.ref = dd__arena_strdup(&sw->a, ref);
            s->im.digest = dd__arena_strdup(&sw->a, d);
            if (!s->im.ref || !s->im.digest ||
                (kl > 0 && (size_t)kl < sizeof key &&
                 dd__map_put(&seen, key, (size_t)kl, (int64_t)s->im.index))) {
                rc = DD_ENOMEM;
                break;
            }
            if (o->max_images && sw->slots.len >= o->max_images) {
                full = 1;
            }
        }
        for (size_t j = first; !rc && j < sw->slots.len; j++) {
            slot *s = slot_at(sw, j);
            for (size_t q = 0; q < sigs.len; q++) {
                if (!strcmp(*DD_VEC_AT(&sigs, char *, q), s->im.digest)) {
                    s->im.signature_tag = 1;
                }
            }
        }
        dd__vec_free(&sigs);
        dd_registry_strings_free(tags, nt);
    }
    if (rc == DD_ENOMEM) {
        dd__error_set(err, rc, "out of memory");
    }
    dd__map_free(&seen);
    dd_registry_strings_free(repos, n_repos);
    dd_registry_close(r);
    return rc;
}

int dd_sweep_run(dd_engine *eng,
                 const dd_sweep_opts *o,
                 dd_sweep_fn fn,
                 void *payload,
                 dd_sweep_stats *stats,
                 dd_error *err)
{
    dd__error_clear(err);
    dd_sweep_stats dummy;
    dd_sweep_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    if (!eng || !o || !o->target || !fn) {
        return dd__error_set(err, DD_EINVALID, "dd_sweep_run: NULL argument");
    }
    if (o->version != DD_SWEEP_OPTS_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_sweep_opts version %u (this library: %u)",
                             o->version, DD_SWEEP_OPTS_VERSION);
    }
    char why[64];
    if ((o->repos && dd__glob_check(o->repos, why, sizeof why)) ||
        (o->tags && dd__glob_check(o->tags, why, sizeof why))) {
        return dd__error_set(
            err, DD_EINVALID, "sweep: glob '%s': %s",
            o->repos && dd__glob_check(o->repos, NULL, 0) ? o->repos : o->tags,
            why);
    }
    sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.o = o;
    sw.eng = eng;
    sw.fn = fn;
    sw.payload = payload;
    sw.so = o->scan;
    dd__arena_init(&sw.a);
    dd__vec_init(&sw.slots, sizeof(slot));
    int rc = collect(&sw, st, err);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t ncpu = cpus > 0 ? (size_t)cpus : 1;
    size_t nw = o->parallel ? o->parallel : ncpu;
    if (nw > sw.slots.len) {
        nw = sw.slots.len;
    }
    if (nw > 256) {
        nw = 256;
    }
    if (!sw.so.walk.threads) {
        sw.so.walk.threads = (unsigned)(nw && ncpu > nw ? ncpu / nw : 1);
    }
    sw.window = (nw ? nw : 1) * WINDOW_PER_WORKER;
    pthread_t th[256];
    size_t started = 0;
    if (!rc &&
        (pthread_mutex_init(&sw.mu, NULL) || pthread_cond_init(&sw.cv, NULL))) {
        rc = dd__error_set(err, DD_ENOMEM, "sweep: no mutex");
    } else if (!rc) {
        for (; started + 1 < nw; started++) {
            if (pthread_create(&th[started], NULL, worker, &sw)) {
                break;
            }
        }
        worker(&sw); /* the caller's thread is one worker */
        for (size_t i = 0; i < started; i++) {
            pthread_join(th[i], NULL);
        }
        pthread_mutex_destroy(&sw.mu);
        pthread_cond_destroy(&sw.cv);
        st->images = sw.next_deliver;
        if (sw.stop) {
            rc = dd__error_set(err, DD_ECANCELED, "sweep stopped");
        }
    }
    for (size_t i = 0; i < sw.slots.len; i++) {
        slot *s = slot_at(&sw, i);
        dd_scan_free(s->scan);
        dd_image_free(s->img);
        dd__vec_free(&s->also);
    }
    dd__vec_free(&sw.slots);
    dd__arena_free(&sw.a);
    return rc;
}
