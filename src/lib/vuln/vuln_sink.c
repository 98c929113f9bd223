/*
 * lib/vuln/vuln_sink.c - helpers of the sink interface feed parsers emit
 * into (vuln_int.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "vuln_int.h"

void dd__sink_malformed(const dd__vuln_sink *s, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++) {
        if ((unsigned char)*p < 0x20) {
            *p = ' ';
        }
    }
    s->malformed(s->ctx, msg);
}
