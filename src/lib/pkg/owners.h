/*
 * lib/pkg/owners.h - which package installed which file (internal).
 *
 * Parsers for the per-package file lists: dpkg "var/lib/dpkg/info/<pkg>
 * [:arch].list", dpkg's "var/lib/dpkg/diversions", distroless
 * "var/lib/dpkg/status.d/<pkg>.md5sums", and the apk database
 * "lib/apk/db/installed" (P:/F:/R: lines). rpm file lists are not read
 * (an rpm image reports no ownership: dd__owned_kind says so).
 * Parsers are pure functions of their bytes (fuzz target fuzz_owners).
 *
 * Ownership: a dd__owned is owned by the caller (dd__owned_free); its
 * paths and package names live in its arena.
 */
#ifndef DD_OWNERS_H
#define DD_OWNERS_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/map.h"
#include "../../util/util.h"
#include "drydock/packages.h"

typedef struct dd__owned_file {
    const char *path; /* normalised: no leading '/', no "./" */
    const char *pkg;
} dd__owned_file;

typedef struct dd__owned {
    dd__arena strings;
    dd__vec files; /* dd__owned_file */
    size_t bad_lines;
} dd__owned;

/* 1 when `path` (normalised image path) is a file-list database. */
int dd__owners_is_db(const char *path);
/* Parse one database file. 0, or DD_ENOMEM. Lines that are not paths are
 * counted in bad_lines. */
int dd__owners_parse(dd__owned **out,
                     const char *path,
                     const uint8_t *data,
                     size_t len);
void dd__owned_free(dd__owned *o);

/* The set of owned paths of an image: add every visible database's
 * files, then ask. Keys are borrowed from the dd__owned records. */
typedef struct dd__owner_map {
    dd__map map;  /* path -> index into pkgs */
    dd__vec pkgs; /* const char * */
    int have_db;  /* at least one database was added */
} dd__owner_map;

int dd__owner_map_init(dd__owner_map *m);
int dd__owner_map_add(dd__owner_map *m, const dd__owned *o);
/* Owning package of `path`, or NULL. Paths under a merged-/usr link
 * (bin, sbin, lib*, i.e. usr/bin/x listed as /bin/x) match either way. */
const char *dd__owner_map_get(const dd__owner_map *m, const char *path);
void dd__owner_map_free(dd__owner_map *m);

/* The analyzer that collects every layer's file lists during the walk,
 * and the map built from those visible in the final image after it
 * (`ai`: the analyzer's index in the walk). Used by the malware and the
 * configuration checks. */
struct dd__analyzer;
struct dd_walk;
void dd__owners_analyzer_init(struct dd__analyzer *a);
int dd__owner_map_build(dd__owner_map *m, const struct dd_walk *w, size_t ai);
/* Add the file lists packages carry (rpm headers); keys are borrowed
 * from the inventory, which must outlive the map. */
int dd__owner_map_add_inventory(dd__owner_map *m, const dd_inventory *inv);

#endif
