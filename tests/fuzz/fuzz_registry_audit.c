/*
 * tests/fuzz/fuzz_registry_audit.c - libFuzzer target for the registry
 * audit's response parsers (answers of a server we are judging, so
 * untrusted). The first byte picks the parser: a catalog or tags list,
 * Go's /debug/vars, Prometheus /metrics, Harbor's systeminfo and
 * projects, a daemon's /version, or the port list option.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/registry/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* every byte of a copied server string is printable ASCII */
static void printable(const char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20)) {
        return 0;
    }
    /* an exact-size copy, not NUL-terminated: reads past it are caught */
    size_t n = size - 1;
    char *s = malloc(n ? n : 1);
    if (!s) {
        return 0;
    }
    memcpy(s, data + 1, n);
    char out[256];
    memset(out, 'x', sizeof out);
    int c;
    switch (data[0] % 8) {
    case 0:
    case 1:
        c = dd__audit_parse_list(s, n, data[0] & 1 ? "tags" : "repositories",
                                 out, sizeof out);
        if (c < -1 || c > 100000 || strlen(out) >= sizeof out) {
            abort();
        }
        /* the copied name holds only the name grammar's bytes */
        if (strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._-/") != strlen(out)) {
            abort();
        }
        break;
    case 2:
        c = dd__audit_parse_expvar(s, n, out, sizeof out);
        if ((c != 0 && c != 1) || (c == 0 && out[0])) {
            abort();
        }
        printable(out, sizeof out);
        break;
    case 3:
        c = dd__audit_parse_metrics(s, n);
        if (c != 0 && c != 1) {
            abort();
        }
        break;
    case 4:
        c = dd__audit_parse_systeminfo(s, n, out, 16);
        if (c < -1 || c > 1 || (c != 1 && out[0])) {
            abort();
        }
        printable(out, 16);
        break;
    case 5:
        c = dd__audit_parse_projects(s, n, out, sizeof out);
        if (c < -1 || c > 100000 || (c <= 0 && out[0])) {
            abort();
        }
        printable(out, sizeof out);
        break;
    case 6:
        c = dd__audit_parse_daemon_version(s, n, out, sizeof out);
        if ((c != 0 && c != 1) || (c == 0 && out[0])) {
            abort();
        }
        printable(out, sizeof out);
        break;
    default: {
        /* the port list takes a C string */
        char *z = malloc(n + 1);
        unsigned ports[16];
        if (z) {
            memcpy(z, s, n);
            z[n] = 0;
            c = dd__audit_ports(z, ports, 16);
            if (c < -1 || c > 16) {
                abort();
            }
            for (int i = 0; i < c; i++) {
                if (!ports[i] || ports[i] > 65535) {
                    abort();
                }
            }
            free(z);
        }
        break;
    }
    }
    free(s);
    return 0;
}
