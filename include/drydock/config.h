/*
 * drydock/config.h - image configuration and build checks (docs/checks.md):
 * the policy file that disables checks or overrides their severity, the
 * checks on a Dockerfile, and the build history read back as Dockerfile
 * instructions. The checks on an image run inside dd_scan_run() with
 * DD_ANALYZE_CONFIG (scan.h).
 *
 * Ownership: objects returned through **out belong to the caller and are
 * freed with their _free (NULL is a no-op). Strings from dd_check_info()
 * are static.
 */
#ifndef DRYDOCK_CONFIG_H
#define DRYDOCK_CONFIG_H

#include "common.h"
#include "errors.h"
#include "finding.h"
#include "image.h"

DD_BEGIN_DECLS

/* The catalogue: id ("config.user-root"), default severity, title, the
 * CIS Docker Benchmark item it maps to ("4.1", or "-"). */
typedef struct dd_check_info {
    const char *id;
    dd_severity severity;
    const char *title;
    const char *cis;
} dd_check_info;
DD_API size_t dd_check_count(void);
DD_API const dd_check_info *dd_check_info_get(size_t i);

/* Policy: JSON {"disable": ["config.no-healthcheck"], "severity":
 * {"config.user-root": "high"}}. Unknown ids and severities are errors
 * (naming the file). */
typedef struct dd_check_policy dd_check_policy;
DD_API int
dd_check_policy_load(dd_check_policy **out, const char *path, dd_error *err);
DD_API int dd_check_policy_parse(dd_check_policy **out,
                                 const char *name,
                                 const char *json,
                                 size_t len,
                                 dd_error *err);
DD_API void dd_check_policy_free(dd_check_policy *p);

/* Run the checks on a Dockerfile's text; findings carry `line` and have
 * `path` = name. Returns 0, DD_ECORRUPT (unterminated heredoc or JSON
 * form, with the line), DD_ELIMIT (larger than 4 MiB), DD_ENOMEM. */
DD_API int dd_dockerfile_check(const char *name,
                               const char *text,
                               size_t len,
                               const dd_check_policy *policy,
                               dd_findings **out,
                               dd_error *err);

/* A history step's created_by as a Dockerfile instruction:
 * "/bin/sh -c #(nop)  EXPOSE 22/tcp" -> "EXPOSE 22/tcp",
 * "/bin/sh -c apk add x" -> "RUN apk add x", BuildKit's
 * "RUN /bin/sh -c x # buildkit" -> "RUN x". Writes at most n bytes
 * (always terminated); returns out. */
DD_API char *
dd_history_instruction(const char *created_by, char *out, size_t n);

/* The checks that need only the image config and its history (user,
 * ports, healthcheck, tag, ADD, curl|sh, secrets in Env when
 * with_env_secrets): what `drydock history` reports. */
DD_API int dd_history_check(const dd_image *img,
                            const dd_check_policy *policy,
                            int with_env_secrets,
                            dd_findings **out,
                            dd_error *err);

DD_END_DECLS

#endif
