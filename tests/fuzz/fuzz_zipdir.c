/*
 * tests/fuzz/fuzz_zipdir.c - libFuzzer target for the zip reader
 * (lib/lang/zipdir.c) and the Java archive reader (lib/lang/java.c).
 * First byte 0: the rest is an archive for dd__java_archive (every
 * package is "group:artifact" with a printable version and a path under
 * the outer one; a license from pom.xml is printable; every refusal has a
 * reason). Else: the rest is walked
 * with dd__zip_open/next and every member read with small caps (a member
 * read is exactly its declared size and never outside the input when
 * stored).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lang/java.h"
#include "lib/lang/zipdir.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *s)
{
    if (!s || !*s) {
        abort();
    }
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            abort();
        }
    }
}

static void refused(int rc, const char *why)
{
    if ((rc == DD_EINVALID || rc == DD_ELIMIT) && !why[0]) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const uint8_t *z = data + 1;
    size_t n = size - 1;
    char why[320] = "";
    if (data[0] == 0) {
        dd__arena a;
        dd__arena_init(&a);
        dd__vec v;
        dd__vec_init(&v, sizeof(dd__java_pkg));
        int rc = dd__java_archive(&a, z, n, "f.jar", &v, why, sizeof why);
        refused(rc, why);
        for (size_t i = 0; rc == 0 && i < v.len; i++) {
            const dd__java_pkg *p = DD_VEC_AT(&v, dd__java_pkg, i);
            if (strncmp(p->path, "f.jar", 5)) {
                abort();
            }
            if (!p->name) {
                printable(p->why);
                continue;
            }
            printable(p->name);
            printable(p->version);
            if (p->license) {
                printable(p->license);
            }
            if (!strchr(p->name, ':') || (p->sha1 && strlen(p->sha1) != 40)) {
                abort();
            }
        }
        dd__vec_free(&v);
        dd__arena_free(&a);
        return 0;
    }
    dd__zip zz;
    int rc = dd__zip_open(&zz, z, n, why, sizeof why);
    refused(rc, why);
    dd__buf sc;
    dd__buf_init(&sc, 1u << 20);
    dd__zip_budget b = {4u << 20};
    dd__zip_entry e;
    while (rc == 0 && (rc = dd__zip_next(&zz, &e, why, sizeof why)) == 1) {
        rc = 0;
        if ((const uint8_t *)e.name < z ||
            (const uint8_t *)e.name + e.name_len > z + n) {
            abort();
        }
        const uint8_t *d;
        size_t dl;
        why[0] = '\0';
        int r = dd__zip_member(&zz, &e, 1u << 20, &b, &sc, &d, &dl, why,
                               sizeof why);
        refused(r, why);
        if (r == 0 &&
            (dl != e.usize || (e.method == 0 && (d < z || d + dl > z + n)))) {
            abort();
        }
    }
    refused(rc, why);
    dd__buf_free(&sc);
    return 0;
}
