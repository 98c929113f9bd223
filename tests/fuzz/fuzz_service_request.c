/*
 * tests/fuzz/fuzz_service_request.c - libFuzzer target for the scanning
 * service's request validator (dd_service_parse_submit, drydock/
 * service.h): any bytes either parse into a request with an image and
 * canonical options, or are refused with one line.
 */
#include <stdint.h>
#include <string.h>

#include "drydock/drydock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dd_service_request r;
    dd_error err;
    err.message[0] = 0;
    int rc = dd_service_parse_submit((const char *)data, size, &r, &err);
    if (rc == 0) {
        if (!r.image || !r.image[0] || !r.options ||
            strncmp(r.options, "{\"scanners\":", 12) != 0 ||
            r.local != dd_service_ref_is_local(r.image)) {
            __builtin_trap();
        }
        dd_service_request_clear(&r);
    } else if (rc != DD_EINVALID && rc != DD_ENOMEM) {
        __builtin_trap();
    } else if (!err.message[0] || strchr(err.message, '\n') || r.image) {
        __builtin_trap();
    }
    return 0;
}
