/*
 * lib/config/config_int.h - the configuration checks (internal).
 *
 *   checks.c      the catalogue, the policy, the emitter, the checks on
 *                 one instruction (shared by history and Dockerfile) and
 *                 the history checks
 *   dockerfile.c  the Dockerfile reader (continuations, escape directive,
 *                 heredocs, JSON form) and its checks
 *   image.c       the analyzer (passwd/shadow in the walk) and the checks
 *                 on the merged filesystem, packages and owners
 *
 * Ownership: an emitter borrows its policy and finding list.
 */
#ifndef DD_CONFIG_INT_H
#define DD_CONFIG_INT_H

#include "drydock/config.h"
#include "drydock/packages.h"
#include "drydock/walk.h"
#include "../findings_int.h"

struct dd__secret_engine;
struct dd__owner_map;
struct dd__analyzer;

typedef struct dd__emit {
    const dd_check_policy *policy;
    dd_findings *out;
} dd__emit;

/* Where a finding points: a file line (Dockerfile), a history step, a
 * path in the image (with its layer), or the config (all -1/NULL). */
typedef struct dd__where {
    const char *path;
    int layer;
    int history;
    size_t line;
    const char *layer_digest;
} dd__where;
#define DD_WHERE_NONE         \
    {                         \
        NULL, -1, -1, 0, NULL \
    }

/* Add finding `id` (must be in the catalogue) unless the policy disables
 * it; severity from the policy or the catalogue. 0 or DD_ENOMEM. */
int dd__emit_check(const dd__emit *e,
                   const char *id,
                   const dd__where *w,
                   const char *evidence,
                   const char *fmt,
                   ...) DD_PRINTF(5, 6);

/* Checks on one instruction (keyword upper-case, args as written):
 * ADD of a URL or an archive, curl|wget piped to a shell, and, when
 * `dockerfile`, package installs (sudo, remote-access daemons, debug
 * tools) and package caches left behind. */
int dd__check_instruction(const dd__emit *e,
                          const char *kw,
                          const char *args,
                          const dd__where *w,
                          int dockerfile);
/* The checks that need only the config and the history (user, ports,
 * healthcheck, tag, ADD, curl|sh; Env secrets when `eng` is given). */
int dd__config_history_checks(const dd__emit *e,
                              const dd_image_info *in,
                              const struct dd__secret_engine *eng);
/* Exposed ports ("22/tcp", "2375") -> config.port-risky findings. */
int dd__check_port(const dd__emit *e, const char *port, const dd__where *w);
/* "root", "0", "0:0", "root:root", "" -> 1 */
int dd__user_is_root(const char *user);

/* dd_dockerfile_check() with a secret engine to borrow (NULL: one is
 * compiled on the first ENV/ARG). */
int dd__dockerfile_check_eng(const char *name,
                             const char *text,
                             size_t len,
                             const dd_check_policy *policy,
                             const struct dd__secret_engine *eng,
                             dd_findings **out,
                             dd_error *err);

/* Image checks inside the scan. */
typedef struct dd__config {
    const dd_check_policy *policy;
    const dd_image *img;
    const struct dd__secret_engine *secrets; /* for Env, or NULL */
} dd__config;
void dd__config_analyzer_init(struct dd__analyzer *a, dd__config *c);
int dd__config_finish(dd__config *c,
                      const dd_walk *w,
                      size_t ai,
                      const dd_inventory *inv,
                      const struct dd__owner_map *owners,
                      dd_findings *out);

#endif
