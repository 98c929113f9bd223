/*
 * lib/formats/anomaly.h - how format parsers report what they find wrong:
 * a stable rule id, a severity, the byte offset in their own input and a
 * one-line message. The callee owns nothing it is given; strings are valid
 * for the call only.
 */
#ifndef DD_ANOMALY_H
#define DD_ANOMALY_H

#include <stdint.h>

#include "drydock/finding.h"

typedef void (*dd_anomaly_fn)(void *payload,
                              const char *rule,
                              dd_severity sev,
                              uint64_t offset,
                              const char *msg);

#endif
