/*
 * lib/rule_packs.c - the built-in rule packs and their ids
 * (dd_rule_pack_get): secrets (secret/rules.c), YARA (malware/rules),
 * configuration checks (config/checks.c) and the official image names of
 * the lookalike check. An id is the SHA-256 of the pack's canonical text,
 * recomputed on each call (a few hundred kilobytes at most), so nothing is
 * cached and nothing is global.
 */
#include <stdio.h>
#include <string.h>

#include "drydock/config.h"
#include "drydock/engine.h"
#include "drydock/lookalike.h"
#include "malware/malware.h"
#include "secret/secret.h"
#include "../util/sha256.h"

enum { PACK_SECRETS, PACK_YARA, PACK_CHECKS, PACK_LOOKALIKE, PACK_N };

static void put(dd_sha256 *h, const char *s)
{
    if (s) {
        dd__sha256_update(h, s, strlen(s));
    }
    dd__sha256_update(h, "\n", 1);
}

static void put_num(dd_sha256 *h, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    put(h, b);
}

/* "rule NAME" declarations in YARA source, with their modifiers: a line
 * whose first word is rule, private or global and which holds "rule " */
static size_t yara_rules(const char *t)
{
    size_t n = 0;
    for (const char *l = t; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        while (len && (*l == ' ' || *l == '\t')) {
            l++, len--;
        }
        if ((len >= 5 && !strncmp(l, "rule ", 5)) ||
            (len >= 8 && !strncmp(l, "private ", 8)) ||
            (len >= 7 && !strncmp(l, "global ", 7))) {
            for (size_t i = 0; i + 5 <= len; i++) {
                if (!strncmp(l + i, "rule ", 5)) {
                    n++;
                    break;
                }
            }
        }
        l = e ? e + 1 : NULL;
    }
    return n;
}

size_t dd_rule_pack_count(void)
{
    return PACK_N;
}

int dd_rule_pack_get(size_t i, dd_rule_pack *out)
{
    if (!out || i >= PACK_N) {
        return DD_ENOTFOUND;
    }
    memset(out, 0, sizeof *out);
    dd_sha256 *h = dd__sha256_new();
    if (!h) {
        return DD_ENOMEM;
    }
    switch (i) {
    case PACK_SECRETS: {
        size_t n = 0;
        const dd__secret_rule *r = dd__secret_builtin(&n);
        for (size_t k = 0; k < n; k++) {
            put(h, r[k].id);
            put_num(h, r[k].severity);
            put(h, r[k].keywords);
            put(h, r[k].regex);
            put_num(h, r[k].group);
            put_num(h, (long long)(r[k].min_entropy * 1000));
            put_num(h, r[k].flags);
            put(h, r[k].path_regex);
            put(h, r[k].need);
        }
        *out = (dd_rule_pack){.name = "secrets", .what = "rules", .count = n};
        break;
    }
    case PACK_YARA:
        put(h, dd__yara_builtin_rules);
        *out = (dd_rule_pack){.name = "yara",
                              .what = "rules",
                              .count = yara_rules(dd__yara_builtin_rules)};
        break;
    case PACK_CHECKS: {
        size_t n = dd_check_count();
        for (size_t k = 0; k < n; k++) {
            const dd_check_info *c = dd_check_info_get(k);
            put(h, c->id);
            put_num(h, c->severity);
            put(h, c->title);
        }
        *out = (dd_rule_pack){.name = "checks", .what = "checks", .count = n};
        break;
    }
    default: {
        size_t n = 0;
        int dep = 0;
        for (const char *s; (s = dd_lookalike_official(n, &dep)); n++) {
            put(h, s);
            put_num(h, dep);
        }
        *out = (dd_rule_pack){.name = "lookalike", .what = "names", .count = n};
        break;
    }
    }
    char d[72];
    dd__sha256_final_digest(h, d);
    dd__sha256_free(h);
    memcpy(out->id, d + 7, 12);
    out->id[12] = 0;
    return 0;
}

const char *dd_library_version(void)
{
    return DRYDOCK_VERSION;
}
