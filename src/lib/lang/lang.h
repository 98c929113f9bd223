/*
 * lib/lang/lang.h - application (language) packages installed in an
 * image: the parsers of each ecosystem's installed metadata and the
 * "lang" row of the analyzer table that feeds them from the layer walk
 * into the scan's package inventory.
 *
 * Parsers read untrusted bytes of one file (never NUL-terminated) and
 * copy what they keep into the caller's arena; on bad input they return
 * DD_EINVALID with one line in `why` (what and where: offset or line),
 * DD_ENOMEM when out of memory, 0 otherwise.
 */
#ifndef DD_LANG_H
#define DD_LANG_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/map.h"
#include "../../util/util.h"

typedef struct dd__lang_pkg {
    const char *name;    /* as the ecosystem spells it */
    const char *version; /* as installed */
    const char *license; /* SPDX expression or free text, or NULL */
    int dev;             /* a dev dependency (Composer dev-package-names) */
} dd__lang_pkg;

/* node_modules/.../package.json of one installed npm package. */
int dd__npm_package(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    dd__lang_pkg *out,
                    char *why,
                    size_t why_n);

/* package-lock.json v1/v2/v3 (or node_modules/.package-lock.json): for
 * every installed package path relative to the lockfile's directory
 * ("node_modules/a/node_modules/b") put 1 into `dev` when it is a dev
 * dependency, 0 otherwise. Keys are copied into `a` (the map borrows). */
int dd__npm_lock(dd__arena *a,
                 const uint8_t *data,
                 size_t len,
                 dd__map *dev,
                 char *why,
                 size_t why_n);

/* Where a package.json path is an installed package's own manifest:
 * ".../node_modules/NAME/package.json" or ".../node_modules/@S/N/...".
 * Returns the offset of the first "node_modules/" component (the
 * project root ends there), or -1. */
long dd__npm_manifest_root(const char *path);

/* Python core metadata (METADATA, PKG-INFO, single-file .egg-info): the
 * header block's Name, Version, License-Expression or License. With
 * `truncated` (only the file's first bytes), DD_ELIMIT when the header
 * block did not end within them. */
int dd__py_metadata(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    int truncated,
                    dd__lang_pkg *out,
                    char *why,
                    size_t why_n);
/* 1 when `path` is "X.dist-info/METADATA", "X.egg-info/PKG-INFO",
 * "EGG-INFO/PKG-INFO" or a file named "X.egg-info". */
int dd__py_metadata_path(const char *path);

/* Ruby gem specification (Ruby source, never evaluated): the literal
 * `X.name = "..."`, `X.version = "..."` (also Gem::Version.new("..")),
 * `X.license(s) = ...` assignments of the `Gem::Specification.new do |X|`
 * block, strings in "", '' or %q forms with an optional .freeze. When
 * the name or version is not a literal (a constant, a method call), the
 * "# stub: NAME VERSION" line RubyGems writes, then the file name
 * NAME-VERSION[-PLATFORM].gemspec (`path`, may be NULL) supply it.
 * Several licenses are joined with " OR ". */
int dd__gemspec(dd__arena *a,
                const uint8_t *data,
                size_t len,
                const char *path,
                dd__lang_pkg *out,
                char *why,
                size_t why_n);
/* 1 when `path` is a ".gemspec" file under a "specifications" directory
 * (installed gems, specifications/default/ of default gems, Debian's
 * rubygems-integration trees). */
int dd__gemspec_path(const char *path);

/* Composer's vendor/composer/installed.json: Composer 1 (a top-level
 * array) or 2 ({"packages": [...], "dev-package-names": [...]}). Pushes
 * a dd__lang_pkg per package into `out` (name "vendor/name", version with
 * a leading "v" before a digit dropped as Composer's normaliser does,
 * licenses joined with " OR ", dev from dev-package-names). Entries
 * without a name or version are skipped: *skipped counts them. */
int dd__composer_installed(dd__arena *a,
                           const uint8_t *data,
                           size_t len,
                           dd__vec *out,
                           size_t *skipped,
                           char *why,
                           size_t why_n);
/* 1 when `path` is ".../composer/installed.json". */
int dd__composer_path(const char *path);

/* .NET *.deps.json: the libraries of type "package" that the runtime
 * target (runtimeTarget.name, else the first target) lists, else all
 * "package" libraries; "Name/Version" keys split into name and version.
 * Pushes a dd__lang_pkg per library into `out`. */
int dd__dotnet_deps(dd__arena *a,
                    const uint8_t *data,
                    size_t len,
                    dd__vec *out,
                    char *why,
                    size_t why_n);
/* 1 when `path` ends in ".deps.json". */
int dd__dotnet_path(const char *path);

/* conda's conda-meta/NAME-VERSION-BUILD.json: name, version, license. */
int dd__conda_meta(dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__lang_pkg *out,
                   char *why,
                   size_t why_n);
/* 1 when `path` is a ".json" file in a "conda-meta" directory. */
int dd__conda_path(const char *path);

/* Go executable (ELF, PE or Mach-O; 32/64-bit, either byte order): the
 * modules of its embedded build info, as `go version -m` lists them
 * (see gobin.c: replaced modules under their replacement's path and
 * version, "(devel)" ones left out, the toolchain as "stdlib" with a
 * v-less version "1.21.5"). Pushes a dd__lang_pkg per module into `out`
 * (nothing on error). DD_ENOTFOUND (no warning due): not an executable,
 * or no build info where the format puts it (no Go binary);
 * DD_EINVALID: build info found but unreadable, or object headers
 * broken in a file that holds the build-info magic. */
int dd__gobin(dd__arena *a,
              const uint8_t *data,
              size_t len,
              dd__vec *out,
              char *why,
              size_t why_n);
/* 1 when `head` starts with ELF, PE ("MZ") or Mach-O magic. */
int dd__gobin_magic(const uint8_t *head, size_t len);
/* The file bytes [*off, *off + *n) of a named section of an executable
 * (gobin.c's ELF/PE/Mach-O readers): ELF section `elf_name`, PE section
 * `pe_name` (at most 8 bytes), Mach-O section `macho_name` (under 16
 * bytes, any segment); clipped to `len`. 0; DD_ENOTFOUND (no executable,
 * no such section); DD_EINVALID (object headers broken, `why` says
 * where); DD_ENOMEM. */
int dd__exe_section(const uint8_t *data,
                    size_t len,
                    const char *elf_name,
                    const char *pe_name,
                    const char *macho_name,
                    uint64_t *off,
                    uint64_t *n,
                    char *why,
                    size_t why_n);
/* Rust executable built with cargo-auditable: the crates of its
 * zlib-compressed JSON dependency list (section ".dep-v0", Mach-O
 * "__dep_v0"; inflated to at most 8 MiB, at most 100,000 crates).
 * Pushes a dd__lang_pkg per crate into `out` (nothing on error) and
 * counts in *other the crates whose source is no registry (a path, git).
 * DD_ENOTFOUND: no such section (no cargo-auditable binary);
 * DD_EINVALID: the section is there but unreadable (`why`). */
int dd__rustbin(dd__arena *a,
                const uint8_t *data,
                size_t len,
                dd__vec *out,
                size_t *other,
                char *why,
                size_t why_n);

struct dd__analyzer;
struct dd__scan_ctx;
typedef struct dd__lang dd__lang;
/* The row's hooks; `self` is the row state. */
void dd__lang_analyzer_init(struct dd__analyzer *h, dd__lang *self);
dd__lang *dd__lang_new(void);
void dd__lang_free(dd__lang *l);
/* After the walk: add the visible packages to ctx->inv. */
int dd__lang_finish(dd__lang *l, struct dd__scan_ctx *c, size_t ai);

#endif
