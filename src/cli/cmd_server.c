/*
 * cli/cmd_server.c - `drydock server`: the scanning service's HTTP front
 * (libmicrohttpd) on the library's job store, queue and workers
 * (drydock/service.h), and `drydock server token create`. The REST API
 * is described in docs/api/openapi.yaml. Everything here is request
 * routing, authentication and JSON answers; the work is the library's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "cli.h"

enum {
    K_LISTEN = 1,
    K_STORE,
    K_WORKERS,
    K_TLS_CERT,
    K_TLS_KEY,
    K_DB,
    K_ALLOW_DIR,
    K_MAX_QUEUE,
    K_NAME,
    K_ROLE,
    K_DEDUPE
};

static const cli_opt server_opts[] = {
    {"listen", 0, "ADDR:PORT", K_LISTEN, 0, NULL,
     "address to listen on (default 127.0.0.1:8480)"},
    {"store", 0, "sqlite:PATH", K_STORE, 0, NULL,
     "the job store, a SQLite file in WAL mode (default: "
     "sqlite:drydock-server.db in the cache directory)"},
    {"workers", 0, "N", K_WORKERS, 0, NULL,
     "in-process scan workers (default 2; 0: only queue jobs)"},
    {"tls-cert", 0, "FILE", K_TLS_CERT, 0, NULL,
     "serve HTTPS with this PEM certificate (with --tls-key)"},
    {"tls-key", 0, "FILE", K_TLS_KEY, 0, NULL, "the certificate's PEM key"},
    {"db", 0, "PATH", K_DB, 0, NULL,
     "vulnerability database (default: the cache's); without one scans "
     "run without the vuln scanner"},
    {"allow-dir", 0, "DIR", K_ALLOW_DIR, CLI_REPEAT, NULL,
     "admin tokens may scan server-side archives and layouts under DIR"},
    {"max-queue", 0, "N", K_MAX_QUEUE, 0, NULL,
     "queued jobs at most; more submissions get 429 (default 1000)"},
    {"dedupe-minutes", 0, "N", K_DEDUPE, 0, NULL,
     "a repeat submission within N minutes of a done scan gets that scan "
     "(default 10)"},
    {"name", 0, "NAME", K_NAME, 0, NULL, "token create: the token's name"},
    {"role", 0, "ROLE", K_ROLE, 0, NULL, "token create: read, scan or admin"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_server = {
    "server",
    "[--listen ADDR:PORT] [--store sqlite:PATH] [--workers N] [options]\n"
    "       drydock server token create --store sqlite:PATH --name NAME "
    "--role ROLE",
    "Runs the scanning service: a REST API (docs/api/openapi.yaml) over a\n"
    "job queue in a SQLite store, with in-process workers scanning what is\n"
    "submitted. Every endpoint but /healthz and /readyz needs\n"
    "'Authorization: Bearer TOKEN'; POST /api/v1/scans needs the scan role,\n"
    "and a server-side path (under --allow-dir) the admin role. token\n"
    "create makes a token and prints it once, on its last line; only its\n"
    "SHA-256 is stored. SIGINT or SIGTERM stops the server after the\n"
    "running scans.\n",
    server_opts,
    CLI_G_REGISTRY,
    NULL,
    0};

#define MAX_ALLOW 16

typedef struct srv_args {
    const char *listen, *store, *tls_cert, *tls_key, *db, *name, *role;
    const char *allow[MAX_ALLOW];
    size_t n_allow;
    unsigned workers;
    uint64_t max_queue;
    int64_t dedupe_minutes;
} srv_args;

static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
    if (!v || !*v) {
        return -1;
    }
    uint64_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || n > (max - (uint64_t)(*p - '0')) / 10) {
            return -1;
        }
        n = n * 10 + (uint64_t)(*p - '0');
    }
    *out = n;
    return 0;
}

static int srv_opt(void *ctx, int key, const char *label, const char *v)
{
    srv_args *a = ctx;
    uint64_t n = 0;
    switch (key) {
    case K_LISTEN:
        a->listen = v;
        break;
    case K_STORE:
        a->store = v;
        break;
    case K_WORKERS:
        if (parse_u64(v, 256, &n)) {
            fprintf(stderr, "drydock server: %s takes 0 to 256, not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->workers = (unsigned)n;
        break;
    case K_MAX_QUEUE:
        if (parse_u64(v, 10000000, &n) || n < 1) {
            fprintf(stderr,
                    "drydock server: %s takes a number of jobs, not '%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->max_queue = n;
        break;
    case K_DEDUPE:
        if (parse_u64(v, 1000000, &n) || n < 1) {
            fprintf(stderr,
                    "drydock server: %s takes a number of minutes, not "
                    "'%s'\n",
                    label, cli_esc(v));
            return EXIT_USAGE;
        }
        a->dedupe_minutes = (int64_t)n;
        break;
    case K_TLS_CERT:
        a->tls_cert = v;
        break;
    case K_TLS_KEY:
        a->tls_key = v;
        break;
    case K_DB:
        a->db = v;
        break;
    case K_ALLOW_DIR:
        if (a->n_allow == MAX_ALLOW) {
            fprintf(stderr, "drydock server: at most %d --allow-dir\n",
                    MAX_ALLOW);
            return EXIT_USAGE;
        }
        a->allow[a->n_allow++] = v;
        break;
    case K_NAME:
        a->name = v;
        break;
    case K_ROLE:
        a->role = v;
        break;
    default:
        break;
    }
    return 0;
}

/* ------------------------------------------------------------ server */

typedef struct server {
    dd_service *svc;
    const char *const *allow;
    size_t n_allow;
    atomic_uint_fast64_t requests;
    atomic_uint_fast64_t by_class[6]; /* 1xx..5xx by first digit */
} server;

/* per-request state: the body read so far */
typedef struct req {
    char *body;
    size_t len;
    int too_big;
} req;

static enum MHD_Result send_text(struct MHD_Connection *c,
                                 server *s,
                                 unsigned status,
                                 const char *type,
                                 const char *text,
                                 size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r) {
        return MHD_NO;
    }
    (void)MHD_add_response_header(r, "Content-Type", type);
    (void)MHD_add_response_header(r, "Cache-Control", "no-store");
    (void)MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    atomic_fetch_add(&s->requests, 1);
    if (status / 100 < 6) {
        atomic_fetch_add(&s->by_class[status / 100], 1);
    }
    return ok;
}

static enum MHD_Result
send_json(struct MHD_Connection *c, server *s, unsigned status, json_t *doc)
{
    char *t = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!t) {
        static const char oom[] = "{\"error\":\"out of memory\"}";
        return send_text(c, s, 500, "application/json", oom, sizeof oom - 1);
    }
    enum MHD_Result ok =
        send_text(c, s, status, "application/json", t, strlen(t));
    free(t);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c,
                                  server *s,
                                  unsigned status,
                                  const char *msg)
{
    return send_json(c, s, status, json_pack("{s:s}", "error", msg));
}

/* the role of the request's bearer token, or -1 (401 sent by caller) */
static int auth_role(struct MHD_Connection *c, server *s)
{
    const char *h =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0) {
        return -1;
    }
    const char *tok = h + 7;
    while (*tok == ' ') {
        tok++;
    }
    int role = -1;
    dd_error err;
    if (dd_service_token_check(s->svc, tok, &role, &err)) {
        return -1;
    }
    return role;
}

/* "/api/v1/scans/123" -> 123, tail "" or "/report"; -1 when not an id */
static int64_t parse_id(const char *p, const char **tail)
{
    int64_t id = 0;
    int n = 0;
    while (*p >= '0' && *p <= '9' && n < 18) {
        id = id * 10 + (*p - '0');
        p++, n++;
    }
    *tail = p;
    return n && id > 0 ? id : -1;
}

static json_t *job_json(const dd_service_job *j)
{
    json_t *sum = j->summary ? json_loads(j->summary, 0, NULL) : NULL;
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)j->id, "image",
                  j->image, "state", dd_job_state_name(j->state), "attempts",
                  (json_int_t)j->attempts, "created", (json_int_t)j->created);
    if (!o) {
        json_decref(sum);
        return NULL;
    }
    json_object_set_new(o, "options", json_loads(j->options, 0, NULL));
    json_object_set_new(o, "started",
                        j->started ? json_integer(j->started) : json_null());
    json_object_set_new(o, "finished",
                        j->finished ? json_integer(j->finished) : json_null());
    json_object_set_new(o, "error",
                        j->error ? json_string(j->error) : json_null());
    json_object_set_new(o, "digest",
                        j->digest ? json_string(j->digest) : json_null());
    json_object_set_new(o, "summary", sum ? sum : json_null());
    return o;
}

static enum MHD_Result
post_scan(struct MHD_Connection *c, server *s, int role, req *rq)
{
    if (rq->too_big) {
        return send_error(c, s, 413, "the request body is over 64 KiB");
    }
    if (role < DD_ROLE_SCAN) {
        return send_error(c, s, 403, "submitting a scan needs the scan role");
    }
    dd_service_request r;
    dd_error err;
    if (dd_service_parse_submit(rq->body, rq->len, &r, &err)) {
        return send_error(c, s, 400, err.message);
    }
    char *resolved = NULL;
    if (r.local) {
        if (role < DD_ROLE_ADMIN) {
            dd_service_request_clear(&r);
            return send_error(c, s, 403,
                              "a server-side path needs the admin role");
        }
        int lrc = dd_service_local_allowed(r.image, s->allow, s->n_allow,
                                           &resolved, &err);
        if (lrc) {
            dd_service_request_clear(&r);
            return send_error(c, s, lrc == DD_ENOTFOUND ? 400 : 403,
                              err.message);
        }
    }
    int64_t id = 0;
    int reused = 0;
    int rc = dd_service_submit(s->svc, resolved ? resolved : r.image, r.options,
                               (int64_t)time(NULL), &id, &reused, &err);
    dd_string_free(resolved);
    dd_service_request_clear(&r);
    if (rc == DD_ELIMIT) {
        return send_error(c, s, 429, err.message);
    }
    if (rc) {
        return send_error(c, s, 500, err.message);
    }
    return send_json(
        c, s, 202,
        json_pack("{s:I, s:b}", "id", (json_int_t)id, "reused", reused));
}

static enum MHD_Result
get_scan(struct MHD_Connection *c, server *s, int64_t id, const char *tail)
{
    dd_error err;
    if (!*tail) {
        dd_service_job *j = NULL;
        int rc = dd_service_job_get(s->svc, id, &j, &err);
        if (rc) {
            return send_error(c, s, rc == DD_ENOTFOUND ? 404 : 500,
                              err.message);
        }
        json_t *o = job_json(j);
        dd_service_job_free(j);
        return send_json(c, s, 200, o);
    }
    const char *fmt =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    if (!fmt) {
        fmt = "json";
    }
    if (strcmp(fmt, "json") && strcmp(fmt, "sarif")) {
        return send_error(c, s, 400, "format is json or sarif");
    }
    char *text = NULL;
    size_t len = 0;
    int rc = dd_service_report(s->svc, id, fmt, &text, &len, &err);
    if (rc) {
        return send_error(c, s,
                          rc == DD_ENOTFOUND  ? 404
                          : rc == DD_EINVALID ? 409
                                              : 500,
                          err.message);
    }
    enum MHD_Result ok = send_text(
        c, s, 200,
        strcmp(fmt, "sarif") ? "application/json" : "application/sarif+json",
        text, len);
    dd_string_free(text);
    return ok;
}

static int query_u64(struct MHD_Connection *c,
                     const char *name,
                     uint64_t max,
                     uint64_t *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    if (!v) {
        return 0;
    }
    return parse_u64(v, max, out);
}

static enum MHD_Result get_images(struct MHD_Connection *c, server *s)
{
    uint64_t limit = 50, offset = 0;
    if (query_u64(c, "limit", 500, &limit) || limit == 0 ||
        query_u64(c, "offset", (uint64_t)INT64_MAX, &offset)) {
        return send_error(c, s, 400, "limit is 1 to 500 and offset a number");
    }
    char *text = NULL;
    dd_error err;
    if (dd_service_images(s->svc, limit, offset, &text, &err)) {
        return send_error(c, s, 500, err.message);
    }
    enum MHD_Result ok =
        send_text(c, s, 200, "application/json", text, strlen(text));
    dd_string_free(text);
    return ok;
}

static enum MHD_Result get_metrics(struct MHD_Connection *c, server *s)
{
    uint64_t n[4];
    dd_error err;
    if (dd_service_counts(s->svc, n, &err)) {
        return send_error(c, s, 500, err.message);
    }
    char buf[2048];
    int k = snprintf(
        buf, sizeof buf,
        "# HELP drydock_queue_depth Jobs waiting for a worker.\n"
        "# TYPE drydock_queue_depth gauge\n"
        "drydock_queue_depth %" PRIu64 "\n"
        "# HELP drydock_jobs Jobs in the store by state.\n"
        "# TYPE drydock_jobs gauge\n"
        "drydock_jobs{state=\"queued\"} %" PRIu64 "\n"
        "drydock_jobs{state=\"running\"} %" PRIu64 "\n"
        "drydock_jobs{state=\"done\"} %" PRIu64 "\n"
        "drydock_jobs{state=\"failed\"} %" PRIu64 "\n"
        "# HELP drydock_scans_total Scans finished (done or failed).\n"
        "# TYPE drydock_scans_total counter\n"
        "drydock_scans_total %" PRIu64 "\n"
        "# HELP drydock_http_requests_total HTTP responses by status class.\n"
        "# TYPE drydock_http_requests_total counter\n"
        "drydock_http_requests_total{class=\"2xx\"} %" PRIu64 "\n"
        "drydock_http_requests_total{class=\"4xx\"} %" PRIu64 "\n"
        "drydock_http_requests_total{class=\"5xx\"} %" PRIu64 "\n",
        n[DD_JOB_QUEUED], n[DD_JOB_QUEUED], n[DD_JOB_RUNNING], n[DD_JOB_DONE],
        n[DD_JOB_FAILED], n[DD_JOB_DONE] + n[DD_JOB_FAILED],
        (uint64_t)atomic_load(&s->by_class[2]),
        (uint64_t)atomic_load(&s->by_class[4]),
        (uint64_t)atomic_load(&s->by_class[5]));
    if (k <= 0 || (size_t)k >= sizeof buf) {
        return send_error(c, s, 500, "metrics too long");
    }
    static const int64_t bounds[] = {1, 5, 15, 60, 300, 1800};
    enum { NB = sizeof bounds / sizeof *bounds };
    uint64_t le[NB], count = 0;
    int64_t sum = 0;
    if (dd_service_scan_seconds(s->svc, bounds, NB, le, &count, &sum, &err)) {
        return send_error(c, s, 500, err.message);
    }
    size_t at = (size_t)k;
    at += (size_t)snprintf(
        buf + at, sizeof buf - at,
        "# HELP drydock_scan_seconds How long done scans took.\n"
        "# TYPE drydock_scan_seconds histogram\n");
    for (size_t i = 0; i < NB && at < sizeof buf; i++) {
        at += (size_t)snprintf(buf + at, sizeof buf - at,
                               "drydock_scan_seconds_bucket{le=\"%" PRId64
                               "\"} %" PRIu64 "\n",
                               bounds[i], le[i]);
    }
    if (at < sizeof buf) {
        at += (size_t)snprintf(buf + at, sizeof buf - at,
                               "drydock_scan_seconds_bucket{le=\"+Inf\"} "
                               "%" PRIu64 "\n"
                               "drydock_scan_seconds_sum %" PRId64 "\n"
                               "drydock_scan_seconds_count %" PRIu64 "\n",
                               count, sum, count);
    }
    if (at >= sizeof buf) {
        return send_error(c, s, 500, "metrics too long");
    }
    return send_text(c, s, 200, "text/plain; version=0.0.4", buf, at);
}

static enum MHD_Result handle(void *cls,
                              struct MHD_Connection *c,
                              const char *url,
                              const char *method,
                              const char *version,
                              const char *upload,
                              size_t *upload_size,
                              void **con_cls)
{
    (void)version;
    server *s = cls;
    int post = !strcmp(method, "POST");
    if (!*con_cls) {
        req *rq = calloc(1, sizeof *rq);
        if (!rq) {
            return MHD_NO;
        }
        *con_cls = rq;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        uint64_t n = 0;
        if (cl && (parse_u64(cl, UINT64_MAX, &n) || n > DD_SERVICE_BODY_MAX)) {
            return send_error(c, s, 413, "the request body is over 64 KiB");
        }
        return MHD_YES;
    }
    req *rq = *con_cls;
    if (*upload_size) {
        if (!rq->too_big && rq->len + *upload_size <= DD_SERVICE_BODY_MAX) {
            char *nb = realloc(rq->body, rq->len + *upload_size + 1);
            if (!nb) {
                return MHD_NO;
            }
            rq->body = nb;
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = 0;
        } else {
            rq->too_big = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    if (!strcmp(url, "/healthz") || !strcmp(url, "/readyz")) {
        if (!get) {
            return send_error(c, s, 405, "method not allowed");
        }
        uint64_t n[4];
        dd_error err;
        if (url[1] == 'r' && dd_service_counts(s->svc, n, &err)) {
            return send_error(c, s, 503, "the store is not answering");
        }
        return send_json(
            c, s, 200,
            json_pack("{s:s}", "status", url[1] == 'r' ? "ready" : "ok"));
    }
    int known = !strcmp(url, "/metrics") || !strcmp(url, "/api/v1/scans") ||
                !strcmp(url, "/api/v1/images") ||
                !strncmp(url, "/api/v1/scans/", 14);
    if (!known) {
        return send_error(c, s, 404, "no such endpoint");
    }
    int role = auth_role(c, s);
    if (role < 0) {
        return send_error(c, s, 401,
                          "a valid 'Authorization: Bearer TOKEN' is needed");
    }
    if (!strcmp(url, "/api/v1/scans")) {
        return post ? post_scan(c, s, role, rq)
                    : send_error(c, s, 405, "method not allowed");
    }
    if (!get) {
        return send_error(c, s, 405, "method not allowed");
    }
    if (!strcmp(url, "/metrics")) {
        return get_metrics(c, s);
    }
    if (!strcmp(url, "/api/v1/images")) {
        return get_images(c, s);
    }
    const char *tail = NULL;
    int64_t id = parse_id(url + 14, &tail);
    if (id < 0 || (*tail && strcmp(tail, "/report"))) {
        return send_error(c, s, 404, "no such scan");
    }
    return get_scan(c, s, id, tail);
}

static void completed(void *cls,
                      struct MHD_Connection *c,
                      void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    req *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

static int parse_listen(const char *v, struct sockaddr_in *sa)
{
    const char *colon = strrchr(v, ':');
    uint64_t port = 0;
    char host[64];
    if (!colon || (size_t)(colon - v) >= sizeof host ||
        parse_u64(colon + 1, 65535, &port)) {
        return -1;
    }
    memcpy(host, v, (size_t)(colon - v));
    host[colon - v] = 0;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int token_create(srv_args *a)
{
    int role = dd_token_role_parse(a->role);
    if (!a->name || role < 0) {
        fprintf(stderr, "drydock server token create: --name NAME and --role "
                        "read|scan|admin are needed\n");
        return EXIT_USAGE;
    }
    dd_service *svc = NULL;
    dd_error err;
    if (dd_service_open(&svc, a->store, NULL, &err)) {
        fprintf(stderr, "drydock server: %s\n", err.message);
        return EXIT_UNREADABLE;
    }
    char tok[DD_TOKEN_MAX];
    int rc = dd_service_token_create(svc, a->name, role, (int64_t)time(NULL),
                                     tok, &err);
    dd_service_close(svc);
    if (rc) {
        fprintf(stderr, "drydock server: %s\n", err.message);
        return rc == DD_EINVALID ? EXIT_USAGE : EXIT_UNREADABLE;
    }
    printf("token '%s' (role %s) created; it is shown only now:\n%s\n",
           cli_esc(a->name), dd_token_role_name(role), tok);
    memset(tok, 0, sizeof tok);
    return 0;
}

int cmd_server(int argc, char **argv)
{
    int sub = 0;
    if (argc >= 3 && !strcmp(argv[1], "token") && !strcmp(argv[2], "create")) {
        sub = 2;
    } else if (argc >= 2 && argv[1][0] != '-') {
        fprintf(stderr,
                "drydock server: unknown subcommand '%s' (token create); "
                "see 'drydock server --help'\n",
                cli_esc(argv[1]));
        return EXIT_USAGE;
    }
    cli_common c;
    cli_common_init(&c);
    static srv_args a; /* option values are kept by pointer */
    memset(&a, 0, sizeof a);
    a.workers = 2;
    a.max_queue = 1000;
    a.dedupe_minutes = 10;
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int rc = cli_parse(&cli_cmd_server, &c, argc - sub, argv + sub, srv_opt, &a,
                       pos, &np);
    if (rc) {
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_args(&cli_cmd_server, pos, np, 0, 0, ""))) {
        return rc;
    }
    char storebuf[4200], cache[4096];
    if (!a.store) {
        const char *cd =
            c.cache_dir ? c.cache_dir : cli_cache_dir(cache, sizeof cache);
        if (!cd) {
            fprintf(stderr, "drydock server: no cache directory: give "
                            "--store sqlite:PATH\n");
            return EXIT_USAGE;
        }
        snprintf(storebuf, sizeof storebuf, "sqlite:%s/drydock-server.db", cd);
        a.store = storebuf;
    }
    if (sub) {
        return token_create(&a);
    }
    if (a.name || a.role) {
        fprintf(stderr, "drydock server: --name and --role go with 'token "
                        "create'\n");
        return EXIT_USAGE;
    }
    struct sockaddr_in sa;
    const char *listen_at = a.listen ? a.listen : "127.0.0.1:8480";
    if (parse_listen(listen_at, &sa)) {
        fprintf(stderr, "drydock server: --listen takes IPV4:PORT, not '%s'\n",
                cli_esc(listen_at));
        return EXIT_USAGE;
    }
    if ((a.tls_cert != NULL) != (a.tls_key != NULL)) {
        fprintf(stderr, "drydock server: --tls-cert and --tls-key go "
                        "together\n");
        return EXIT_USAGE;
    }
    char *cert = NULL, *key = NULL;
    if (a.tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            fprintf(stderr,
                    "drydock server: this libmicrohttpd was built without "
                    "TLS: --tls-cert/--tls-key cannot be used (put a TLS "
                    "proxy in front)\n");
            return EXIT_USAGE;
        }
        size_t n;
        if (!(cert = cli_slurp(a.tls_cert, 1 << 20, &n)) ||
            !(key = cli_slurp(a.tls_key, 1 << 20, &n))) {
            fprintf(stderr, "drydock server: %s: %s\n",
                    cli_esc(cert ? a.tls_key : a.tls_cert), strerror(errno));
            free(cert);
            return EXIT_UNREADABLE;
        }
    }
    dd_service_opts so = DD_SERVICE_OPTS_INIT;
    so.max_queue = a.max_queue;
    so.dedupe_seconds = a.dedupe_minutes * 60;
    dd_service *svc = NULL;
    dd_error err;
    if (dd_service_open(&svc, a.store, &so, &err)) {
        fprintf(stderr, "drydock server: %s\n", err.message);
        free(cert);
        free(key);
        return EXIT_UNREADABLE;
    }
    /* the vulnerability database: the given one, or the cache's when it
     * exists; without one the workers scan without the vuln scanner */
    char dbbuf[4096];
    const char *dbpath = cli_db_path(a.db, c.cache_dir, dbbuf, sizeof dbbuf);
    if (dbpath && !a.db && access(dbpath, R_OK) != 0) {
        dbpath = NULL;
    }
    dd_engine *eng = NULL;
    dd_service_workers *w = NULL;
    struct MHD_Daemon *d = NULL;
    /* the same compiled-rules cache as `drydock scan` */
    c.malware.cache_dir =
        c.cache_dir ? c.cache_dir : cli_cache_dir(cache, sizeof cache);
    rc = cli_make_engine(&c, dbpath, 0, &eng);
    if (rc) {
        goto out;
    }
    /* signals go to sigwait below, not to the server's threads */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (a.workers &&
        dd_service_workers_start(svc, eng, &c.registry, a.workers, &w, &err)) {
        fprintf(stderr, "drydock server: %s\n", err.message);
        rc = EXIT_UNREADABLE;
        goto out;
    }
    static server srv;
    srv.svc = svc;
    srv.allow = a.allow;
    srv.n_allow = a.n_allow;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES) {
        flags |= MHD_USE_EPOLL;
    }
    if (cert) {
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
        {cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
        {MHD_OPTION_END, 0, NULL}};
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, &srv, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)128,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 << 10),
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_ARRAY, tls,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "drydock server: cannot listen on %s: %s\n",
                cli_esc(listen_at), strerror(errno));
        rc = EXIT_UNREADABLE;
        goto out;
    }
    fprintf(stderr,
            "drydock server: listening on %s://%s (store %s, %u workers, "
            "vulnerability database %s)\n",
            cert ? "https" : "http", listen_at, a.store, a.workers,
            dbpath ? dbpath : "none");
    int sig = 0;
    (void)sigwait(&sigs, &sig);
    fprintf(stderr, "drydock server: stopping (signal %d)\n", sig);
    rc = 0;
out:
    if (d) {
        MHD_stop_daemon(d);
    }
    dd_service_workers_stop(w);
    dd_engine_free(eng);
    dd_service_close(svc);
    free(cert);
    free(key);
    return rc;
}
