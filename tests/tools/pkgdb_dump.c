/*
 * tests/tools/pkgdb_dump.c - run one package-database parser on a file and
 * print what it found as JSON (for the data-driven fixture tests).
 *
 *   pkgdb_dump dpkg|dpkg-d|apk|rpm-header|bdb|ndb|sqlite FILE
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lib/pkg/pkgdb.h"

static json_t *js(const char *s)
{
    return s ? json_string(s) : json_null();
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s KIND FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    dd__buf b;
    dd__buf_init(&b, 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (dd__buf_add(&b, chunk, n)) {
            return 3;
        }
    }
    fclose(f);
    const uint8_t *d = (const uint8_t *)(b.ptr ? b.ptr : "");
    dd__pkgdb *db = dd__pkgdb_new(argv[2]);
    const char *k = argv[1];
    int rc = !strcmp(k, "dpkg")     ? dd__dpkg_parse(db, d, b.len, 0)
             : !strcmp(k, "dpkg-d") ? dd__dpkg_parse(db, d, b.len, 1)
             : !strcmp(k, "apk")    ? dd__apk_parse(db, d, b.len)
             : !strcmp(k, "rpm-header")
                 ? dd__rpm_header_parse(db, d, b.len, "blob")
             : !strcmp(k, "bdb")    ? dd__rpmdb_bdb(db, d, b.len)
             : !strcmp(k, "ndb")    ? dd__rpmdb_ndb(db, d, b.len)
             : !strcmp(k, "sqlite") ? dd__rpmdb_sqlite(db, d, b.len)
                                    : -100;
    if (rc == -100) {
        fprintf(stderr, "unknown kind %s\n", k);
        return 2;
    }
    json_t *doc = json_object(), *pk = json_array(), *w = json_array();
    for (size_t i = 0; i < db->pkgs.len; i++) {
        const dd_package *p = DD_VEC_AT(&db->pkgs, dd_package, i);
        json_t *o = json_object();
        json_object_set_new(o, "name", js(p->name));
        json_object_set_new(o, "version", js(p->version));
        json_object_set_new(o, "epoch", js(p->epoch));
        json_object_set_new(o, "upstream", js(p->upstream));
        json_object_set_new(o, "release", js(p->release));
        json_object_set_new(o, "arch", js(p->arch));
        json_object_set_new(o, "source_name", js(p->source_name));
        json_object_set_new(o, "source_version", js(p->source_version));
        json_object_set_new(o, "maintainer", js(p->maintainer));
        json_object_set_new(o, "vendor", js(p->vendor));
        json_object_set_new(o, "license", js(p->license));
        json_object_set_new(o, "checksum", js(p->checksum));
        json_object_set_new(o, "source_rpm", js(p->source_rpm));
        json_object_set_new(o, "modularity", js(p->modularity));
        json_t *fs = json_array();
        for (size_t j = 0; j < p->n_files; j++) {
            json_array_append_new(fs, json_string(p->files[j]));
        }
        json_object_set_new(o, "files", fs);
        json_array_append_new(pk, o);
    }
    for (size_t i = 0; i < db->warnings.len; i++) {
        json_array_append_new(
            w, json_string(*DD_VEC_AT(&db->warnings, char *, i)));
    }
    json_object_set_new(doc, "packages", pk);
    json_object_set_new(doc, "warnings", w);
    json_object_set_new(doc, "complete", json_boolean(db->complete));
    json_dumpf(doc, stdout, JSON_INDENT(1));
    putchar('\n');
    json_decref(doc);
    dd__pkgdb_free(db);
    dd__buf_free(&b);
    return rc ? 3 : 0;
}
