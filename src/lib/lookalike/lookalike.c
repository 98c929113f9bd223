/*
 * lib/lookalike/lookalike.c - look-alike image names. Order of the checks:
 * trusted list (quiet), registry host (typo, punycode, known host used as
 * a prefix label), then on docker.io the namespace (close to `library`,
 * close to a well-known publisher, unknown) and the repository name
 * against the official images (confusables, separators, plurals,
 * affixes, Damerau-Levenshtein with a length-aware threshold).
 */
#include <stdio.h>
#include <string.h>

#include "drydock/lookalike.h"
#include "lookalike_int.h"
#include "../registry/registry_int.h"
#include "../../util/util.h"

static const char *const known_hosts[] = {
    "docker.io",
    "ghcr.io",
    "gcr.io",
    "quay.io",
    "registry.k8s.io",
    "public.ecr.aws",
    "mcr.microsoft.com",
    "registry.gitlab.com",
    "nvcr.io",
    "docker.elastic.co",
    "cgr.dev",
};
/* hosts under these suffixes are regional or per-account registries */
static const char *const known_suffixes[] = {
    ".gcr.io",     ".pkg.dev",   ".amazonaws.com",
    ".azurecr.io", ".docker.io", ".quay.io",
};
/* well-known publisher namespaces on Docker Hub */
static const char *const publishers[] = {
    "alpine",     "amazon",        "apache",
    "atlassian",  "azul",          "bellsoft",
    "bitnami",    "bitnamicharts", "bitnamilegacy",
    "calico",     "chainguard",    "cimg",
    "circleci",   "confluentinc",  "curlimages",
    "datadog",    "docker",        "dockersamples",
    "elastic",    "envoyproxy",    "gitlab",
    "grafana",    "hashicorp",     "istio",
    "jenkins",    "jetbrains",     "kindest",
    "localstack", "linuxserver",   "mcr",
    "microsoft",  "minio",         "mongodb",
    "mysql",      "nginx",         "nginxinc",
    "nvidia",     "openjdk",       "paketobuildpacks",
    "portainer",  "prom",          "rancher",
    "redis",      "selenium",      "sonatype",
    "traefik",    "ubuntu",        "library",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

size_t dd_lookalike_distance(const char *a, const char *b, size_t cap)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 255 || m > 255) {
        return cap;
    }
    if ((n > m ? n - m : m - n) >= cap) {
        return cap;
    }
    size_t r0[256], r1[256], r2[256];
    size_t *pp = r0, *p = r1, *c = r2;
    for (size_t j = 0; j <= m; j++) {
        p[j] = j;
    }
    for (size_t i = 1; i <= n; i++) {
        c[0] = i;
        size_t best = c[0];
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v) {
                v = c[j - 1] + 1;
            }
            if (p[j - 1] + cost < v) {
                v = p[j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v) {
                v = pp[j - 2] + 1;
            }
            c[j] = v;
            if (v < best) {
                best = v;
            }
        }
        if (best >= cap) {
            return cap;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m] < cap ? p[m] : cap;
}

const char *dd_lookalike_official(size_t i, int *deprecated)
{
    if (i >= dd__official_count) {
        return NULL;
    }
    if (deprecated) {
        *deprecated = dd__official_images[i].deprecated;
    }
    return dd__official_images[i].name;
}

/* ASCII confusables folded: 0->o, 1/i/|->l, rn->m, vv->w, 5->s */
static void fold(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        char ch = *s;
        if (ch == 'r' && s[1] == 'n') {
            ch = 'm';
            s++;
        } else if (ch == 'v' && s[1] == 'v') {
            ch = 'w';
            s++;
        } else if (ch == '0') {
            ch = 'o';
        } else if (ch == '1' || ch == 'i' || ch == '|') {
            ch = 'l';
        } else if (ch == '5') {
            ch = 's';
        }
        out[k++] = ch;
    }
    out[k] = 0;
}

static void strip_seps(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        if (*s != '-' && *s != '_' && *s != '.') {
            out[k++] = *s;
        }
    }
    out[k] = 0;
}

static int is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

/* allowed edits: short names need an exact confusion */
static size_t threshold(size_t len)
{
    return len <= 4 ? 0 : len <= 8 ? 1 : 2;
}

typedef struct match {
    const char *target;
    const char *signal;
    int weak;
} match;

/* Is `name` a look-alike of `off`? Signal or NULL. */
static const char *compare(const char *name, const char *off, int *weak)
{
    char a[256], b[256], sa[256], sb[256];
    size_t ln = strlen(name), lo = strlen(off);
    *weak = 0;
    if (!strcmp(name, off)) {
        return NULL;
    }
    fold(name, a, sizeof a);
    fold(off, b, sizeof b);
    if (!strcmp(a, b)) {
        return "confusable";
    }
    strip_seps(a, sa, sizeof sa);
    strip_seps(b, sb, sizeof sb);
    if (!strcmp(sa, sb)) {
        return "separator";
    }
    if (ln == lo + 1 && !strncmp(name, off, lo) && name[lo] == 's') {
        return "plural";
    }
    if (ln == lo + 2 && !strncmp(name, off, lo) && !strcmp(name + lo, "es")) {
        return "plural";
    }
    if (lo == ln + 1 && !strncmp(name, off, ln) && off[ln] == 's') {
        return "plural";
    }
    /* affixes: off-xxx, offN, xxx-off (a separator needed for short) */
    if (lo >= 3 && ln > lo) {
        if (!strncmp(name, off, lo) &&
            (is_sep(name[lo]) ||
             (lo >= 4 && name[lo] >= '0' && name[lo] <= '9'))) {
            return "affix";
        }
        if (!strcmp(name + ln - lo, off) && is_sep(name[ln - lo - 1])) {
            return "affix";
        }
    }
    size_t t = threshold(lo < ln ? lo : ln);
    if (t) {
        size_t d = dd_lookalike_distance(sa, sb, t + 1);
        if (d <= t) {
            *weak = d == 2;
            return "typo";
        }
    }
    return NULL;
}

static int is_official(const char *name)
{
    for (size_t i = 0; i < dd__official_count; i++) {
        if (!strcmp(dd__official_images[i].name, name)) {
            return 1;
        }
    }
    return 0;
}

/* Nearest official image to `name`: strongest signal wins (non-weak
 * first, then list order). */
static int near_official(const char *name, match *m)
{
    int found = 0;
    for (size_t i = 0; i < dd__official_count; i++) {
        int weak;
        const char *sig = compare(name, dd__official_images[i].name, &weak);
        if (sig && (!found || (m->weak && !weak))) {
            m->target = dd__official_images[i].name;
            m->signal = sig;
            m->weak = weak;
            found = 1;
            if (!weak) {
                break;
            }
        }
    }
    return found;
}

static int
near_list(const char *name, const char *const *list, size_t n, match *m)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(name, list[i])) {
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int weak;
        const char *sig = compare(name, list[i], &weak);
        if (sig && strcmp(sig, "affix") && strcmp(sig, "plural")) {
            m->target = list[i];
            m->signal = sig;
            m->weak = weak;
            return 1;
        }
    }
    return 0;
}

int dd_lookalike_canonical(const char *ref, char *out, size_t n, dd_error *err)
{
    dd__ref r;
    int rc = dd__ref_parse(ref, &r, err);
    if (rc) {
        return rc;
    }
    snprintf(out, n, "%s/%s", r.domain, r.repo);
    return 0;
}

static int host_known(const char *h)
{
    for (size_t i = 0; i < N(known_hosts); i++) {
        if (!strcmp(h, known_hosts[i])) {
            return 1;
        }
    }
    size_t hl = strlen(h);
    for (size_t i = 0; i < N(known_suffixes); i++) {
        size_t sl = strlen(known_suffixes[i]);
        if (hl > sl && !strcmp(h + hl - sl, known_suffixes[i])) {
            return 1;
        }
    }
    return 0;
}

/* prefix match on a path boundary */
static int trusted_match(const char *canon, const char *t)
{
    size_t tl = strlen(t);
    return !strncmp(canon, t, tl) && (canon[tl] == 0 || canon[tl] == '/');
}

static void set(dd_lookalike_result *o,
                const char *sig,
                int weak,
                const char *fmt_target,
                const char *why)
{
    o->lookalike = 1;
    o->signal = sig;
    o->severity = weak ? DD_SEV_MEDIUM : DD_SEV_HIGH;
    size_t tl = strlen(fmt_target);
    if (tl >= sizeof o->target) {
        tl = sizeof o->target - 1;
    }
    memcpy(o->target, fmt_target, tl);
    o->target[tl] = 0;
    snprintf(o->detail, sizeof o->detail, "%.80s looks like %.80s (%s: %s)",
             o->canonical, o->target, sig, why);
}

int dd_lookalike_check(const char *ref,
                       const char *const *trusted,
                       size_t n_trusted,
                       dd_lookalike_result *o,
                       dd_error *err)
{
    dd__error_clear(err);
    if (!ref || !o) {
        return dd__error_set(err, DD_EINVALID, "dd_lookalike_check: NULL");
    }
    memset(o, 0, sizeof *o);
    dd__ref r;
    int rc = dd__ref_parse(ref, &r, err);
    if (rc) {
        return rc;
    }
    snprintf(o->canonical, sizeof o->canonical, "%s/%s", r.domain, r.repo);
    for (size_t i = 0; trusted && i < n_trusted; i++) {
        char tc[600];
        dd_error e;
        if (trusted[i] &&
            dd_lookalike_canonical(trusted[i], tc, sizeof tc, &e) == 0) {
            /* "myorg/app" canonicalises with library/ only when one part */
            char hub[600]; /* "myorg" means docker.io/myorg */
            snprintf(hub, sizeof hub, "docker.io/%.500s", trusted[i]);
            if (trusted_match(o->canonical, tc) ||
                trusted_match(o->canonical, trusted[i]) ||
                trusted_match(o->canonical, hub)) {
                return 0;
            }
        }
    }
    /* the host, without its port */
    char host[DD_REF_MAX];
    snprintf(host, sizeof host, "%s", r.domain);
    char *colon = strrchr(host, ':');
    if (colon && host[0] != '[') {
        *colon = 0;
    }
    char tgt[700];
    if (!host_known(host)) {
        int puny = !strncmp(host, "xn--", 4) || strstr(host, ".xn--");
        const char *best = NULL;
        const char *sig = NULL;
        for (size_t i = 0; i < N(known_hosts) && !sig; i++) {
            const char *k = known_hosts[i];
            size_t kl = strlen(k);
            int weak;
            char fh[256], fk[256];
            fold(host, fh, sizeof fh);
            fold(k, fk, sizeof fk);
            if (!strncmp(host, k, kl) && host[kl] == '.') {
                sig = "host-affix";
            } else if (!strcmp(fh, fk)) {
                sig = "host-typo";
            } else if (dd_lookalike_distance(host, k, kl <= 10 ? 2 : 3) <
                       (kl <= 10 ? 2u : 3u)) {
                sig = "host-typo";
            } else {
                (void)weak;
                continue;
            }
            best = k;
        }
        int bk = 1; /* a known host to name */
        if (!sig && puny) {
            sig = "punycode-host";
            best = "a well-known registry host";
            bk = 0;
        }
        if (sig) {
            if (puny) {
                sig = "punycode-host";
            }
            snprintf(tgt, sizeof tgt, "%s%s%s", best, bk ? "/" : "",
                     bk ? r.repo : "");
            set(o, sig, 0, tgt,
                puny ? "the host is punycode (IDN) and may render as another "
                       "name"
                     : "the registry host imitates a well-known one");
            return 0;
        }
        return 0; /* a private or unknown registry: names are its own */
    }
    if (strcmp(r.domain, "docker.io")) {
        return 0;
    }
    /* docker.io: namespace / name (the last component) */
    char ns[DD_REF_MAX];
    const char *slash = strrchr(r.repo, '/');
    const char *name = slash ? slash + 1 : r.repo;
    snprintf(ns, sizeof ns, "%.*s", (int)(slash ? slash - r.repo : 0), r.repo);
    match m = {0};
    if (!strcmp(ns, "library")) {
        if (!is_official(name) && near_official(name, &m)) {
            snprintf(tgt, sizeof tgt, "docker.io/library/%s", m.target);
            set(o, m.signal, m.weak, tgt,
                "the name is close to an official image");
        }
        return 0;
    }
    /* namespace close to library */
    int weak = 0;
    const char *nsig = compare(ns, "library", &weak);
    if (!nsig) {
        static const char *const fake_library[] = {
            "official",         "docker-library",
            "dockerlibrary",    "docker-official",
            "dockerofficial",   "officialimages",
            "official-images",  "_",
            "library-official", "libraries"};
        for (size_t i = 0; i < N(fake_library) && !nsig; i++) {
            if (!strcmp(ns, fake_library[i])) {
                nsig = "namespace-library";
            }
        }
    }
    if (nsig) {
        const char *t = name;
        if (!is_official(name) && near_official(name, &m)) {
            t = m.target;
        }
        snprintf(tgt, sizeof tgt, "docker.io/library/%s", t);
        set(o, "namespace-library", 0, tgt,
            "the namespace imitates `library` (official images)");
        return 0;
    }
    for (size_t i = 0; i < N(publishers); i++) {
        if (!strcmp(ns, publishers[i])) {
            return 0; /* a well-known publisher: its names are its own */
        }
    }
    if (near_list(ns, publishers, N(publishers), &m)) {
        snprintf(tgt, sizeof tgt, "docker.io/%s/%s", m.target, name);
        set(o, "publisher-namespace", m.weak, tgt,
            "the namespace imitates a well-known publisher");
        return 0;
    }
    if (!strchr(ns, '/') && is_official(name)) {
        snprintf(tgt, sizeof tgt, "docker.io/library/%s", name);
        set(o, "unknown-namespace", 1, tgt,
            "an official image's name under an unknown namespace");
        return 0;
    }
    if (!strchr(ns, '/') && near_official(name, &m) &&
        strcmp(m.signal, "affix") && strcmp(m.signal, "plural")) {
        snprintf(tgt, sizeof tgt, "docker.io/library/%s", m.target);
        set(o, m.signal, 1, tgt,
            "an official image's name, altered, under an unknown namespace");
    }
    return 0;
}
