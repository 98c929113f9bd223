/*
 * lib/lang/lockfile.h - project lockfiles: what a project pinned, read
 * from the lockfile a build left in the image (or a project directory),
 * and the "lockfile" row of the analyzer table that adds those packages
 * to the inventory (lockfile_analyzer.c).
 *
 * Formats: package-lock.json v1/v2/v3, yarn.lock v1 and berry,
 * pnpm-lock.yaml v5/v6/v9 (lock_js.c); poetry.lock, Pipfile.lock, pinned
 * requirements*.txt, uv.lock (lock_py.c); go.mod, Cargo.lock,
 * Gemfile.lock, composer.lock, packages.lock.json, pom.xml,
 * gradle.lockfile (lock_other.c).
 *
 * Parsers read untrusted bytes of one file (never NUL-terminated, never
 * read past `len`, work linear in `len`) and push a dd__lang_pkg per
 * package into `out` (name, version and the strings copied into the
 * caller's arena `a`; license NULL; dev where the format says so, else
 * 0). Entries that name a package but cannot be listed (no pinned
 * version, a path, git or URL source, an unresolved Maven property) are
 * counted in *skipped; the project's own entry is not. Packages listed
 * twice (nested npm copies, several NuGet targets) are pushed once, dev
 * only when every copy is dev. On bad input: DD_EINVALID with one line in
 * `why` naming the line or byte offset; DD_ENOMEM; 0 otherwise.
 */
#ifndef DD_LOCKFILE_H
#define DD_LOCKFILE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lang.h"
#include "drydock/packages.h"

typedef enum dd__lock_fmt {
    DD__LOCK_NONE = 0,
    DD__LOCK_NPM,          /* package-lock.json */
    DD__LOCK_YARN,         /* yarn.lock (v1 and berry) */
    DD__LOCK_PNPM,         /* pnpm-lock.yaml */
    DD__LOCK_POETRY,       /* poetry.lock */
    DD__LOCK_PIPFILE,      /* Pipfile.lock */
    DD__LOCK_REQUIREMENTS, /* requirements*.txt */
    DD__LOCK_UV,           /* uv.lock */
    DD__LOCK_GOMOD,        /* go.mod */
    DD__LOCK_CARGO,        /* Cargo.lock */
    DD__LOCK_GEMFILE,      /* Gemfile.lock */
    DD__LOCK_COMPOSER,     /* composer.lock */
    DD__LOCK_NUGET,        /* packages.lock.json */
    DD__LOCK_POM,          /* pom.xml */
    DD__LOCK_GRADLE,       /* gradle.lockfile */
    DD__LOCK_COUNT
} dd__lock_fmt;

/* The format of the file at `path` from its name, or DD__LOCK_NONE. */
dd__lock_fmt dd__lock_classify(const char *path);
/* "package-lock.json", ... (for messages and tests). */
const char *dd__lock_fmt_name(dd__lock_fmt f);
/* The inventory type of the format's packages. */
dd_pkg_type dd__lock_pkg_type(dd__lock_fmt f);

/* Parse one lockfile of format `f` (see the top of this header). */
int dd__lock_parse(dd__lock_fmt f,
                   dd__arena *a,
                   const uint8_t *data,
                   size_t len,
                   dd__vec *out,
                   size_t *skipped,
                   char *why,
                   size_t why_n);

/* ---- shared by the parsers (lockfile.c) ---- */

/* Line reader over data[0..len): each line without its "\n" or "\r\n". */
typedef struct dd__lines {
    const char *p;
    size_t len, off;
    size_t no; /* 1-based number of the line last returned */
} dd__lines;
void dd__lines_init(dd__lines *l, const uint8_t *data, size_t len);
/* 1 and the line in *s, *n; 0 at the end. */
int dd__lines_next(dd__lines *l, const char **s, size_t *n);

/* Push name/version (not NUL-terminated, copied) with `dev`. Returns 0,
 * DD_ENOMEM, or 1 when the name or version is empty, too long, has
 * control bytes or spaces (the caller counts it skipped). */
int dd__lock_push(dd__arena *a,
                  dd__vec *out,
                  const char *name,
                  size_t nl,
                  const char *ver,
                  size_t vl,
                  int dev);
/* Same from NUL-terminated strings (NULL is not listable: 1). */
int dd__lock_push_s(
    dd__arena *a, dd__vec *out, const char *name, const char *ver, int dev);

/* The value of a TOML line `key = "str"` or `key = 'str'` at the start
 * of s[0..n) (after blanks): 1 and the string's bytes (escapes of basic
 * strings kept as written), 0 when the line is not that key. */
int dd__toml_str(
    const char *s, size_t n, const char *key, const char **v, size_t *vl);

/* One [[package]] table of a TOML lockfile (poetry.lock, uv.lock,
 * Cargo.lock): the strings of its name, version, category, the raw value
 * of its source key (a string with its quotes, or an inline table) and
 * the type of its [package.source] subtable; NULL when absent. All point
 * into the input. */
typedef struct dd__toml_pkg {
    const char *name, *version, *category, *source, *source_type;
    size_t name_l, version_l, category_l, source_l, source_type_l;
    size_t line; /* of its [[package]] header */
} dd__toml_pkg;
/* Call cb for each [[package]] table in order; stops at cb's nonzero
 * return. DD_EINVALID (naming `what` and the line) on a NUL byte or a
 * multi-line string that never ends. */
int dd__toml_packages(const uint8_t *data,
                      size_t len,
                      const char *what,
                      int (*cb)(void *ctx, const dd__toml_pkg *p),
                      void *ctx,
                      char *why,
                      size_t why_n);

/* The per-format parsers (same contract as dd__lock_parse). */
#define DD__LOCK_PARSER(fn)                                             \
    int fn(dd__arena *a, const uint8_t *data, size_t len, dd__vec *out, \
           size_t *skipped, char *why, size_t why_n)
DD__LOCK_PARSER(dd__lock_npm);
DD__LOCK_PARSER(dd__lock_yarn);
DD__LOCK_PARSER(dd__lock_pnpm);
DD__LOCK_PARSER(dd__lock_poetry);
DD__LOCK_PARSER(dd__lock_pipfile);
DD__LOCK_PARSER(dd__lock_requirements);
DD__LOCK_PARSER(dd__lock_uv);
DD__LOCK_PARSER(dd__lock_gomod);
DD__LOCK_PARSER(dd__lock_cargo);
DD__LOCK_PARSER(dd__lock_gemfile);
DD__LOCK_PARSER(dd__lock_composer);
DD__LOCK_PARSER(dd__lock_nuget);
DD__LOCK_PARSER(dd__lock_pom);
DD__LOCK_PARSER(dd__lock_gradle);

struct dd__analyzer;
struct dd__scan_ctx;

/* Helpers the format parsers share: dd__lock_count turns a push result
 * of 1 (not listable) into a skipped entry; dd__lock_jstr is o[k] when
 * it is a string (borrowed), else NULL; dd__lock_json_obj parses untrusted
 * JSON that must be an object (the caller owns *r), DD_EINVALID with one
 * line naming `what` in `why`, or DD_ENOMEM. */
int dd__lock_count(int rc, size_t *skipped);
const char *dd__lock_jstr(const json_t *o, const char *k);
int dd__lock_json_obj(json_t **r,
                      const uint8_t *data,
                      size_t len,
                      const char *what,
                      char *why,
                      size_t why_n);

#endif
