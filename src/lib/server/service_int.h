/*
 * lib/server/service_int.h - what the service's files share: the store
 * handle (one SQLite connection behind a mutex) and its options.
 * Ownership: the dd_service owns its connection and mutex.
 */
#ifndef DD_SERVICE_INT_H
#define DD_SERVICE_INT_H

#include <pthread.h>

#include <sqlite3.h>

#include "drydock/service.h"

struct dd_service {
    sqlite3 *db;
    pthread_mutex_t mu;
    int schema;
    dd_service_opts opts;
};

#endif
