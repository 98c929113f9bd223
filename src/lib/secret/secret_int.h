/*
 * lib/secret/secret_int.h - the secret analyzer's state (borrowed engine
 * and image metadata; both outlive the walk).
 */
#ifndef DD_SECRET_INT_H
#define DD_SECRET_INT_H

#include "drydock/image.h"
#include "secret.h"

struct dd__analyzer;

typedef struct dd__secret_analyzer {
    const dd__secret_engine *engine;
    const dd_image_info *info;
} dd__secret_analyzer;

void dd__secret_analyzer_init(struct dd__analyzer *a, dd__secret_analyzer *sa);
/* Env, Labels, Cmd, Entrypoint and every history step. */
int dd__secret_scan_config(dd__secret_analyzer *sa, dd_findings *out);

#endif
