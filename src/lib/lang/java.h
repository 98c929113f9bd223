/*
 * lib/lang/java.h - Java packages in JAR/WAR/EAR/PAR archives (zip files,
 * read with zipdir.h).
 *
 * One archive yields a package per META-INF/maven/<g>/<a>/pom.properties
 * (groupId, artifactId, version: "group:artifact"); without any, one from
 * META-INF/MANIFEST.MF (Implementation-Title or the file name's artifact,
 * Implementation-Version or Bundle-Version, Implementation-Vendor-Id or a
 * group guessed from Bundle-SymbolicName), else from the file name
 * "artifact-1.2.3.jar". Archives inside it (any member named *.jar,
 * *.war, *.ear, *.par: WEB-INF/lib/, BOOT-INF/lib/, EAR modules) are read
 * the same way, DD_ZIP_MAX_DEPTH levels deep, each with its own path
 * "outer.war!/WEB-INF/lib/x.jar". The SHA-1 of each archive's bytes goes
 * with its main package (the pom whose artifact starts the file name, or
 * all of them when none does).
 *
 * Limits per outer archive: JAVA_MAX_BYTES bytes read from members
 * (stored or inflated, nested archives included), nested archives
 * inflated into buffers that together hold at most JAVA_NESTED_LIVE
 * bytes, at most JAVA_MAX_ARCHIVES archives. A nested archive that cannot
 * be read becomes a warning entry (name NULL, why set) and the rest is
 * still read; the outer archive failing returns the error.
 *
 * Ownership: strings of the entries are in the caller's arena.
 */
#ifndef DD_JAVA_H
#define DD_JAVA_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/util.h"

#define JAVA_MAX_BYTES    (512ull << 20)
#define JAVA_NESTED_LIVE  (32u << 20)
#define JAVA_MAX_ARCHIVES 10000u
#define JAVA_META_MAX     (1u << 20) /* pom.properties, MANIFEST.MF */

typedef struct dd__java_pkg {
    const char *name;    /* "group:artifact"; NULL for a warning */
    const char *version; /* as written */
    const char *path;    /* archive path, nested ones joined by "!/" */
    const char *sha1;    /* 40 lowercase hex of the archive, or NULL */
    const char *why;     /* warning about `path` (name NULL) */
    const char *license; /* <licenses><license><name>s of the archive's
                            META-INF/maven/G/A/pom.xml, " OR "-joined, or
                            NULL */
} dd__java_pkg;

/* Read the archive `data` found at `path` (both borrowed); push the
 * entries into `out` (dd__java_pkg). 0, DD_EINVALID / DD_ELIMIT (the
 * outer archive is unreadable, one line in `why`), DD_ENOMEM. */
int dd__java_archive(dd__arena *a,
                     const uint8_t *data,
                     size_t len,
                     const char *path,
                     dd__vec *out,
                     char *why,
                     size_t why_n);

/* 1 when the name ends in .jar .war .ear or .par (any case). */
int dd__java_path(const char *path);

#endif
