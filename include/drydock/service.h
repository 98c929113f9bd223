/*
 * drydock/service.h - the scanning service's library half: a job store and
 * queue on SQLite, API tokens, the request validator and in-process
 * workers. `drydock server` (src/cli/cmd_server.c) is a thin HTTP front
 * on these calls.
 *
 * Store: "sqlite:PATH", one file in WAL mode; the schema is versioned
 * (table schema_version) and migrated on open. Jobs move queued ->
 * running -> done | failed. A claim is one BEGIN IMMEDIATE transaction
 * that takes the oldest queued job, or a running one whose lease expired
 * (its worker died); a job claimed max_attempts times without finishing
 * is failed with the reason. A repeat submission of the same image and
 * options while a job is queued, running, or done within dedupe_seconds
 * returns that job's id.
 *
 * Threads: a dd_service may be used from any number of threads (its calls
 * are serialised by a mutex inside it; other processes on the same file
 * are serialised by SQLite's locks). Times are Unix seconds passed by the
 * caller (`now`), so tests control the clock.
 *
 * Ownership: dd_service_open() returns a service owned by the caller,
 * freed with dd_service_close() after dd_service_workers_stop(). Jobs
 * from dd_service_claim()/dd_service_job_get() are the caller's, freed
 * with dd_service_job_free(). Strings returned through char ** are the
 * caller's, freed with dd_string_free(). Arguments are only read during
 * a call.
 */
#ifndef DRYDOCK_SERVICE_H
#define DRYDOCK_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "engine.h"
#include "errors.h"

DD_BEGIN_DECLS

#define DD_SERVICE_SCHEMA_VERSION 1

typedef enum dd_job_state {
    DD_JOB_QUEUED = 0,
    DD_JOB_RUNNING,
    DD_JOB_DONE,
    DD_JOB_FAILED
} dd_job_state;
/* "queued", "running", "done", "failed"; "?" out of range. Static. */
DD_API const char *dd_job_state_name(int state);

typedef enum dd_token_role {
    DD_ROLE_READ = 0,
    DD_ROLE_SCAN,
    DD_ROLE_ADMIN
} dd_token_role;
/* "read", "scan", "admin"; the reverse returns -1 for other text. */
DD_API const char *dd_token_role_name(int role);
DD_API int dd_token_role_parse(const char *s);

#define DD_SERVICE_OPTS_VERSION 1
typedef struct dd_service_opts {
    unsigned version;
    int64_t lease_seconds;  /* a claim's lease; 0 = 600 */
    unsigned max_attempts;  /* claims before "failed"; 0 = 3 */
    int64_t dedupe_seconds; /* a done job is reused this long; 0 = 600 */
    uint64_t max_queue;     /* queued jobs at most; 0 = 1000 */
} dd_service_opts;
#define DD_SERVICE_OPTS_INIT                \
    {                                       \
        DD_SERVICE_OPTS_VERSION, 0, 0, 0, 0 \
    }

typedef struct dd_service dd_service;

/* Open (creating and migrating) the store named by `store`
 * ("sqlite:PATH"). DD_EINVALID (other scheme, a newer schema than this
 * build knows), DD_EIO (SQLite could not open or migrate; message names
 * the file), DD_ENOMEM. opts may be NULL. */
DD_API int dd_service_open(dd_service **out,
                           const char *store,
                           const dd_service_opts *opts,
                           dd_error *err);
DD_API void dd_service_close(dd_service *s);
/* The schema version of the open store (DD_SERVICE_SCHEMA_VERSION). */
DD_API int dd_service_schema_version(dd_service *s);

typedef struct dd_service_job {
    int64_t id;
    char *image;   /* the reference as submitted (local paths resolved) */
    char *options; /* canonical options JSON ({"scanners": [...]}) */
    int state;     /* dd_job_state */
    unsigned attempts;
    char *error; /* why it failed (or the last attempt's error), or NULL */
    int64_t created, started, finished, lease_expiry; /* 0 = not yet */
    char *digest;  /* image manifest digest when done, or NULL */
    char *summary; /* JSON {"total":N,"CRITICAL":N,...,"worst":S} or NULL */
} dd_service_job;
DD_API void dd_service_job_free(dd_service_job *job);

/* Queue a scan of `image` with `options` (canonical JSON, as made by
 * dd_service_parse_submit). *id the job; *reused 1 when an existing job
 * was returned (may be NULL). DD_ELIMIT when max_queue jobs are queued. */
DD_API int dd_service_submit(dd_service *s,
                             const char *image,
                             const char *options,
                             int64_t now,
                             int64_t *id,
                             int *reused,
                             dd_error *err);
/* Claim the next job for a worker: the oldest queued one, or a running
 * one whose lease expired; attempts is counted and the lease set to
 * now + lease_seconds. A job past max_attempts is failed ("gave up after
 * N attempts: LAST ERROR") and the next one is looked at. DD_ENOTFOUND
 * when there is nothing to do. */
DD_API int dd_service_claim(dd_service *s,
                            int64_t now,
                            dd_service_job **job,
                            dd_error *err);
/* Store a finished job's reports (JSON and SARIF text), its image digest
 * (may be NULL) and summary JSON. `attempt` is the job's attempts as
 * claimed: DD_ENOTFOUND when the job is not running under that claim any
 * more (its lease expired and another worker took it). */
DD_API int dd_service_finish(dd_service *s,
                             int64_t id,
                             unsigned attempt,
                             const char *report_json,
                             const char *report_sarif,
                             const char *digest,
                             const char *summary,
                             int64_t now,
                             dd_error *err);
/* An attempt failed: with `final` or at max_attempts the job is failed
 * with `why`; otherwise it is queued again with `why` kept as error.
 * DD_ENOTFOUND as for dd_service_finish. */
DD_API int dd_service_fail(dd_service *s,
                           int64_t id,
                           unsigned attempt,
                           const char *why,
                           int final,
                           int64_t now,
                           dd_error *err);
/* Extend a running job's lease to now + lease_seconds (workers call it
 * while a scan runs). DD_ENOTFOUND as for dd_service_finish. */
DD_API int dd_service_heartbeat(
    dd_service *s, int64_t id, unsigned attempt, int64_t now, dd_error *err);
/* One job; DD_ENOTFOUND for an unknown id. */
DD_API int dd_service_job_get(dd_service *s,
                              int64_t id,
                              dd_service_job **job,
                              dd_error *err);
/* A done job's stored report, format "json" or "sarif". DD_ENOTFOUND for
 * an unknown id, DD_EINVALID (job not done, other format). */
DD_API int dd_service_report(dd_service *s,
                             int64_t id,
                             const char *format,
                             char **out,
                             size_t *len,
                             dd_error *err);
/* Jobs per dd_job_state and jobs finished (done or failed) in total. */
DD_API int
dd_service_counts(dd_service *s, uint64_t by_state[4], dd_error *err);
/* How long done scans took (finished - started, whole seconds): for each
 * of the n (at most 16) ascending bounds, how many took at most that
 * (cumulative, as a Prometheus histogram); *count and *sum over all done
 * scans. */
DD_API int dd_service_scan_seconds(dd_service *s,
                                   const int64_t *bounds,
                                   size_t n,
                                   uint64_t *le,
                                   uint64_t *count,
                                   int64_t *sum,
                                   dd_error *err);
/* The latest done result per image digest, newest first, as a JSON
 * document {"images":[{"digest","image","job","finished","worst",
 * "counts"}],"limit":L,"offset":O} (limit 0 = 50, at most 500). */
DD_API int dd_service_images(
    dd_service *s, uint64_t limit, uint64_t offset, char **out, dd_error *err);

/* A new API token (43 random base64url characters after "ddt_") for
 * `name` with `role`, into out (at least DD_TOKEN_MAX bytes). Only its
 * SHA-256 is stored. DD_EINVALID for an empty or long name or a bad role;
 * an existing name is replaced. */
#define DD_TOKEN_MAX 64
DD_API int dd_service_token_create(dd_service *s,
                                   const char *name,
                                   int role,
                                   int64_t now,
                                   char out[DD_TOKEN_MAX],
                                   dd_error *err);
/* The role of a presented token; DD_ENOTFOUND when no stored token has
 * its SHA-256. */
DD_API int dd_service_token_check(dd_service *s,
                                  const char *token,
                                  int *role,
                                  dd_error *err);

/* A validated POST /api/v1/scans body. */
typedef struct dd_service_request {
    char *image;       /* as given */
    char *options;     /* canonical options JSON */
    unsigned scanners; /* DD_SCANNER_* bits, 0 = the default set */
    int local;         /* 1: a path on the server (needs admin and allow-dir) */
} dd_service_request;
/* Parse and validate a request body of `len` bytes (never read past it;
 * at most 64 KiB): an object with "image" (non-empty string, at most 4096
 * bytes, no control characters) and optionally "scanners" (an array of
 * scanner names, at most 8). Unknown fields, other types, bad JSON:
 * DD_EINVALID with one line naming the field or the byte offset. The
 * request's strings are freed with dd_service_request_clear(). */
#define DD_SERVICE_BODY_MAX ((size_t)64 << 10)
DD_API int dd_service_parse_submit(const char *body,
                                   size_t len,
                                   dd_service_request *out,
                                   dd_error *err);
DD_API void dd_service_request_clear(dd_service_request *r);
/* Whether a reference names something on this machine (a path, or the
 * oci:, docker-archive:, rootfs:, fs:, docker: sources) rather than a
 * registry. */
DD_API int dd_service_ref_is_local(const char *ref);
/* Resolve a local reference with realpath() and accept it only under one
 * of `dirs` (themselves resolved): *out the reference with the resolved
 * path (dd_string_free). DD_EINVALID (not under an allowed directory,
 * symlinks followed), DD_ENOTFOUND (no such path). */
DD_API int dd_service_local_allowed(const char *ref,
                                    const char *const *dirs,
                                    size_t n_dirs,
                                    char **out,
                                    dd_error *err);

/* In-process workers: n threads that claim jobs, open the image
 * (registry options may be NULL), run the scan with the shared engine
 * and store its JSON and SARIF reports. The engine gets a reference for
 * as long as the workers run. dd_service_workers_stop() lets running
 * scans finish, then joins. */
typedef struct dd_service_workers dd_service_workers;
struct dd_registry_opts;
DD_API int dd_service_workers_start(dd_service *s,
                                    dd_engine *eng,
                                    const struct dd_registry_opts *reg,
                                    unsigned n,
                                    dd_service_workers **out,
                                    dd_error *err);
DD_API void dd_service_workers_stop(dd_service_workers *w);
/* Run the next job on this thread (what a worker does once): 0 when a job
 * ran (done or failed), DD_ENOTFOUND when there was none. */
DD_API int dd_service_run_one(dd_service *s,
                              dd_engine *eng,
                              const struct dd_registry_opts *reg,
                              int64_t now,
                              dd_error *err);

DD_END_DECLS

#endif
