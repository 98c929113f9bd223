/*
 * lib/eco/distro.h - the one mapping from a detected OS (os-release ID,
 * VERSION_ID, rpm modularity label) to the ordered list of advisory
 * namespaces a scan looks up, and from an OSV `ecosystem` string of a
 * distribution to the namespace its import writes. Both sides use the
 * same names, so what the import writes is what the scan looks for
 * (docs/namespaces.md).
 *
 * Rows are static and immutable (thread-safe); pointers returned are
 * borrowed from the table. Output buffers are the caller's.
 */
#ifndef DD_DISTRO_H
#define DD_DISTRO_H

#include <stddef.h>

#include "drydock/version.h"

typedef enum dd__distro_gran {
    DD__GRAN_MAJOR = 0, /* "9.3" -> "9" (RHEL family, Azure Linux) */
    DD__GRAN_MINOR,     /* "15.5" -> "15.5" (Leap, Photon, Ubuntu, Alpine) */
    DD__GRAN_SP,        /* SLES "15" -> "15.0", "15.5" -> "15.5" (SP5) */
    DD__GRAN_AMAZON,    /* "2018.03" -> "1", "2" -> "2", "2023" -> "2023" */
    DD__GRAN_ROLLING    /* no release: "wolfi", "opensuse-tumbleweed" */
} dd__distro_gran;

#define DD__DISTRO_MAX_NS 3

typedef struct dd__distro {
    const char *id;   /* os-release ID ("rocky") */
    const char *name; /* for messages ("Rocky Linux") */
    dd__distro_gran gran;
    dd_version_scheme scheme;          /* rpm, dpkg or apk */
    const char *eco;                   /* ecosystem table row (purl, scheme) */
    const char *ns[DD__DISTRO_MAX_NS]; /* namespace prefixes, in order */
    const char *supplement; /* always consulted too; its fixes are "fixed
                               in Ubuntu Pro (ESM)" (ubuntu-pro), or NULL */
    int modular;            /* rpm modularity labels select namespaces */
} dd__distro;

/* Ordered namespaces to look up for one package. */
#define DD__DISTRO_MAX_LIST (2 * DD__DISTRO_MAX_NS + 1)
typedef struct dd__distro_ns {
    size_t n;
    char ns[DD__DISTRO_MAX_LIST][96];
    int supplement[DD__DISTRO_MAX_LIST]; /* 1: the ESM supplement */
    /* module builds in a plain namespace (a feed that dropped the stream:
     * fixed version "...module+el8..."): 1 only those rows apply (for a
     * modular package), -1 only the others (non-modular), 0 all */
    int modfilter[DD__DISTRO_MAX_LIST];
    dd_version_scheme scheme;
    const dd__distro *row; /* NULL: distribution not in the table */
} dd__distro_ns;

size_t dd__distro_count(void);
const dd__distro *dd__distro_at(size_t i);
/* Row of an os-release ID, NULL when unknown. */
const dd__distro *dd__distro_by_id(const char *id);
/* Row whose namespace prefix is the part of ns before ':' (also the
 * supplement), NULL when none. */
const dd__distro *dd__distro_by_ns(const char *ns);

/* The os-release ID whose rules apply: id when the table knows it, else
 * the first RHEL-family word of ID_LIKE ("eurolinux" with ID_LIKE="rhel
 * fedora centos" -> "rhel": rebuilds follow RHEL's major releases), else
 * id. Derivatives of Debian or Ubuntu keep their own ID (their releases
 * do not follow the parent's). Borrowed from the table or from id. */
const char *dd__distro_like(const char *id, const char *id_like);

/* "nodejs:18:8070020230306:bd1311ed" -> "nodejs:18" into out (n bytes);
 * 0, or -1 when the label has no name:stream. */
int dd__distro_module_stream(const char *label, char *out, size_t n);

/* The namespaces for a package of an OS: os-release ID and VERSION_ID,
 * the package's rpm modularity label (or NULL). A modular package looks
 * per vendor at "<ns>::<name>:<stream>", then at the module builds of
 * "<ns>" (modfilter 1); a non-modular one only at the plain namespaces,
 * without their module builds (modfilter -1) on modular distributions. An ID
 * the table does not know gets "<id>:<major>" with out->row NULL. Always fills
 * out (n >= 1). */
void dd__distro_namespaces(const char *id,
                           const char *version,
                           const char *modularity,
                           dd__distro_ns *out);

/* OSV ecosystem of a distribution -> namespace the import writes:
 * "Red Hat:enterprise_linux:8::appstream" -> "redhat:8", "SUSE:Linux
 * Enterprise Server 15 SP5" -> "sles:15.5", "openSUSE:Leap 15.5" ->
 * "opensuse-leap:15.5", "Ubuntu:Pro:18.04:LTS" -> "ubuntu-pro:18.04",
 * "Photon OS:5.0" -> "photon:5.0", ... `purl` (or NULL) is the OSV
 * package purl; its rpmmod qualifier adds "::<name>:<stream>". 0 and
 * *scheme set, or -1 when the ecosystem is not a distribution handled
 * here (the caller uses the ecosystem table). Reads only the NUL-
 * terminated strings; bounded by n. */
int dd__distro_osv_ns(const char *ecosystem,
                      const char *purl,
                      char *ns,
                      size_t n,
                      dd_version_scheme *scheme);

#endif
