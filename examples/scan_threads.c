/* One engine, four images scanned on four threads; prints JSON reports. */
#include <drydock/drydock.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct job {
    dd_engine *eng;
    const char *ref;
    char *json;
} job;

static void *scan(void *arg)
{
    job *j = arg;
    dd_error err;
    dd_image *img = NULL;
    dd_scan *s = NULL;
    if (dd_image_open(&img, j->ref, NULL, &err) ||
        dd_scan_run(&s, j->eng, img, NULL, &err) ||
        dd_report_render(&j->json, NULL, s, "json", &err))
        fprintf(stderr, "%s: %s\n", j->ref, err.message);
    dd_scan_free(s);
    dd_image_free(img);
    return NULL;
}

int main(int argc, char **argv)
{
    dd_engine_opts opts = DD_ENGINE_OPTS_INIT;
    opts.db_path = getenv("DRYDOCK_DB"); /* NULL: no vulnerability scanner */
    dd_engine *eng;
    dd_error err;
    if (argc != 5 || dd_engine_new(&eng, &opts, &err))
        return fprintf(stderr, "usage: %s IMAGE IMAGE IMAGE IMAGE\n", *argv);
    job jobs[4];
    pthread_t tid[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){eng, argv[i + 1], NULL};
        pthread_create(&tid[i], NULL, scan, &jobs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(tid[i], NULL);
        fputs(jobs[i].json ? jobs[i].json : "null\n", stdout);
        dd_string_free(jobs[i].json);
    }
    dd_engine_free(eng);
    return 0;
}
