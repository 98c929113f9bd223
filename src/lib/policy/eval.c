/*
 * lib/policy/eval.c - one image judged by a policy: the rules whose
 * globs match (all of them, or the most specific one), each rule's
 * registries, pinning, authorities, attestations and finding thresholds,
 * exceptions applied to each reason, the decision; the verdict as JSON.
 * No clock, no network, no files: the caller passes the time and the
 * signature check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drydock/lookalike.h"
#include "drydock/vulndb.h"
#include "../../util/jsonw.h"
#include "../findings_int.h"
#include "policy_int.h"

#define MAX_LISTED    50 /* reasons per finding threshold before "N more" */
#define MAX_COLLECTED 64

typedef struct verdict_impl {
    dd_policy_verdict v; /* first: the public pointer */
    dd__arena a;
    dd__vec reasons; /* dd_policy_reason */
    dd__vec rules;   /* const char * */
} verdict_impl;

typedef struct ev {
    const dd_policy *p;
    const dd_policy_input *in;
    const char *key; /* what globs are matched against */
    verdict_impl *vi;
    unsigned char *expired_noted; /* per exception */
    int oom;
} ev;

static char *adup(ev *e, const char *s)
{
    char *d = s ? dd__arena_strdup(&e->vi->a, s) : NULL;
    if (s && !d) {
        e->oom = 1;
    }
    return d;
}

static int exc_applies(const ev *e,
                       const dd__pol_exc *x,
                       const char *code,
                       const char *rule,
                       const char *subject)
{
    if (x->images.n) {
        int m = 0;
        for (size_t i = 0; i < x->images.n && !m; i++) {
            m = dd__policy_glob_match(x->images.v[i], e->key);
        }
        if (!m) {
            return 0;
        }
    }
    if (x->rule && (!rule || strcmp(x->rule, rule))) {
        return 0;
    }
    if (x->codes.n) {
        int m = 0;
        for (size_t i = 0; i < x->codes.n && !m; i++) {
            m = !strcmp(x->codes.v[i], code);
        }
        if (!m) {
            return 0;
        }
    }
    if (x->ids.n) {
        int m = 0;
        for (size_t i = 0; subject && i < x->ids.n && !m; i++) {
            m = dd__policy_glob_match(x->ids.v[i], subject);
        }
        if (!m) {
            return 0;
        }
    }
    return 1;
}

static void push_reason(ev *e,
                        const char *code,
                        const char *rule,
                        const char *subject,
                        dd_policy_effect eff,
                        const char *exc,
                        const char *text)
{
    dd_policy_reason *r = dd__vec_push(&e->vi->reasons);
    if (!r) {
        e->oom = 1;
        return;
    }
    r->code = code; /* static */
    r->rule = adup(e, rule);
    r->subject = adup(e, subject);
    r->text = adup(e, text);
    r->effect = eff;
    r->exception = adup(e, exc);
}

/* The exception that waives (code, rule, subject), or NULL; notes each
 * expired exception that would have applied (once). */
static const dd__pol_exc *
waiver(ev *e, const char *code, const char *rule, const char *subject)
{
    for (size_t i = 0; i < e->p->n_exc; i++) {
        const dd__pol_exc *x = &e->p->exc[i];
        if (!exc_applies(e, x, code, rule, subject)) {
            continue;
        }
        if (!x->expires_text || e->in->now < x->expires) {
            return x;
        }
        if (!e->expired_noted[i]) {
            e->expired_noted[i] = 1;
            char t[400];
            snprintf(t, sizeof t,
                     "exception '%.80s' expired on %s: it no longer waives "
                     "anything",
                     x->name, x->expires_text);
            push_reason(e, "policy.exception-expired", rule, x->name,
                        DD_POLICY_EFFECT_INFO, NULL, t);
        }
    }
    return NULL;
}

static dd_policy_effect
rule_effect(const ev *e, const dd__pol_rule *r, int warn)
{
    (void)e;
    return warn || (r && r->mode == DD__MODE_WARN) ? DD_POLICY_EFFECT_WARN
                                                   : DD_POLICY_EFFECT_DENY;
}

static void reason(ev *e,
                   const char *code,
                   const dd__pol_rule *r,
                   const char *subject,
                   dd_policy_effect eff,
                   const char *fmt,
                   ...) DD_PRINTF(6, 7);
static void reason(ev *e,
                   const char *code,
                   const dd__pol_rule *r,
                   const char *subject,
                   dd_policy_effect eff,
                   const char *fmt,
                   ...)
{
    char t[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    const char *rule = r ? r->name : NULL;
    const dd__pol_exc *x =
        eff == DD_POLICY_EFFECT_INFO ? NULL : waiver(e, code, rule, subject);
    push_reason(e, code, rule, subject, x ? DD_POLICY_EFFECT_WAIVED : eff,
                x ? x->name : NULL, t);
}

/* ------------------------------------------------------------ rules */

static void check_registries(ev *e, const dd__pol_rule *r)
{
    if (!r->registries.n) {
        return;
    }
    /* an entry names the image or a leading part of its name (host,
     * host/namespace): its glob matches the name cut at some '/' */
    const char *c = e->in->canonical;
    char pre[600];
    for (size_t i = 0; c && i < r->registries.n; i++) {
        const char *g = r->registries.v[i];
        if (dd__policy_glob_match(g, c)) {
            return;
        }
        for (const char *sl = strchr(c, '/'); sl; sl = strchr(sl + 1, '/')) {
            size_t k = (size_t)(sl - c);
            if (k < sizeof pre) {
                memcpy(pre, c, k);
                pre[k] = '\0';
                if (dd__policy_glob_match(g, pre)) {
                    return;
                }
            }
        }
    }
    char allowed[400] = "";
    size_t at = 0;
    for (size_t i = 0; i < r->registries.n && at < sizeof allowed - 1; i++) {
        at += (size_t)snprintf(allowed + at, sizeof allowed - at, "%s%s",
                               i ? ", " : "", r->registries.v[i]);
    }
    char *img = dd__printable(c ? c : e->in->image, 200);
    reason(e, "policy.untrusted-registry", r, NULL, rule_effect(e, r, 0),
           "%s %s (allowed: %s)", img ? img : "?",
           c ? "is not from an allowed registry"
             : "is not from a registry (a local archive or layout)",
           allowed);
    dd__free(img);
}

static void check_pinned(ev *e, const dd__pol_rule *r)
{
    if (r->require_digest && !e->in->pinned) {
        char *img = dd__printable(e->in->image, 200);
        reason(e, "policy.not-pinned", r, NULL, rule_effect(e, r, 0),
               "%s is not pinned by digest (name it as IMAGE@sha256:...%s%s)",
               img ? img : "?", e->in->digest ? "; it is " : "",
               e->in->digest ? e->in->digest : "");
        dd__free(img);
    }
}

typedef struct collected {
    size_t n;
    dd_policy_attestation a[MAX_COLLECTED];
} collected;

static void check_authorities(ev *e, const dd__pol_rule *r, collected *col)
{
    if (!r->n_auth) {
        return;
    }
    int ok = 0, only_deny = 1;
    char why[900] = "";
    size_t at = 0;
    for (size_t i = 0; i < r->n_auth; i++) {
        const dd__pol_auth *a = &r->auth[i];
        if (a->kind == DD__AUTH_STATIC) {
            if (a->static_allow) {
                ok = 1;
            }
            continue;
        }
        only_deny = 0;
        dd_trust_policy tp;
        memset(&tp, 0, sizeof tp);
        tp.key_pem = a->key_pem;
        tp.identity = a->identity;
        tp.identity_regex = a->identity_regex;
        tp.issuer = a->issuer;
        tp.issuer_regex = a->issuer_regex;
        dd_policy_check chk;
        memset(&chk, 0, sizeof chk);
        dd_error err = {0};
        const char *msg;
        if (!e->in->verify) {
            msg = "signatures were not checked (no verifier)";
        } else if (e->in->verify(e->in->verify_payload, &tp, &chk, &err)) {
            chk.verified = 0;
            msg = err.message[0] ? err.message : "the check failed";
        } else {
            msg = chk.message;
        }
        if (chk.verified) {
            ok = 1;
            for (size_t k = 0;
                 k < chk.n_attestations && k < DD_POLICY_MAX_ATTESTATIONS &&
                 col->n < MAX_COLLECTED;
                 k++) {
                col->a[col->n++] = chk.attestations[k];
            }
            continue;
        }
        char *m = dd__printable(msg, 300);
        if (at < sizeof why - 1) {
            at += (size_t)snprintf(why + at, sizeof why - at, "%s%s: %s",
                                   at ? "; " : "", a->name, m ? m : "?");
        }
        dd__free(m);
    }
    if (ok) {
        return;
    }
    if (only_deny) {
        reason(e, "policy.static-deny", r, NULL, rule_effect(e, r, 0),
               "rule '%s' denies these images (static: deny)", r->name);
    } else {
        reason(e, "policy.unsigned", r, NULL, rule_effect(e, r, 0),
               "no signature by an authority of rule '%s' verified (%s)",
               r->name, why);
    }
}

static void
check_attestations(ev *e, const dd__pol_rule *r, const collected *col)
{
    for (size_t i = 0; i < r->n_att; i++) {
        const dd__pol_attest *w = &r->att[i];
        int found = 0, fresh = 0;
        size_t unknown = 0;
        int64_t newest = -1;
        for (size_t k = 0; k < e->in->n_attestations + col->n; k++) {
            const dd_policy_attestation *a =
                k < e->in->n_attestations ? &e->in->attestations[k]
                                          : &col->a[k - e->in->n_attestations];
            char pt[sizeof a->predicate_type];
            memcpy(pt, a->predicate_type, sizeof pt);
            pt[sizeof pt - 1] = '\0';
            if (!pt[0]) {
                unknown++;
                continue;
            }
            if (!dd__policy_glob_match(w->predicate_type, pt)) {
                continue;
            }
            found = 1;
            newest = a->time > newest ? a->time : newest;
            if (!w->max_age ||
                (a->time >= 0 && e->in->now - a->time <= w->max_age)) {
                fresh = 1;
            }
        }
        if (!found) {
            reason(e, "policy.attestation-missing", r, w->name,
                   rule_effect(e, r, 0),
                   "no verified '%s' attestation (predicate type %s)%s",
                   w->name, w->predicate_type,
                   unknown ? "; verified attestations of unknown predicate "
                             "type were not counted"
                           : "");
        } else if (!fresh) {
            char age[64] = "of unknown age";
            if (newest >= 0) {
                snprintf(age, sizeof age, "%lld hours old",
                         (long long)((e->in->now - newest) / 3600));
            }
            reason(e, "policy.attestation-stale", r, w->name,
                   rule_effect(e, r, 0),
                   "the newest '%s' attestation is %s (max-age %lld hours)",
                   w->name, age, (long long)(w->max_age / 3600));
        }
    }
}

static unsigned frule_scanners(const dd__pol_frule *f)
{
    unsigned k = f->kinds, bits = 0;
    if (!k) {
        return DD_SCANNERS_DEFAULT;
    }
    bits |= k & (1u << DD_KIND_VULN) ? DD_SCANNER_VULN : 0;
    bits |= k & (1u << DD_KIND_SECRET) ? DD_SCANNER_SECRET : 0;
    bits |= k & (1u << DD_KIND_MALWARE) ? DD_SCANNER_MALWARE : 0;
    bits |= k & (1u << DD_KIND_CONFIG) ? DD_SCANNER_CONFIG : 0;
    return bits;
}

static int frule_match(const dd__pol_frule *f, const dd_finding *x)
{
    if (f->kinds && !(f->kinds & (1u << x->kind))) {
        return 0;
    }
    if (f->min_sev >= 0 && (int)x->severity < f->min_sev) {
        return 0;
    }
    if (f->ids.n) {
        int m = 0;
        for (size_t i = 0; i < f->ids.n && !m; i++) {
            m = x->rule_id && dd__policy_glob_match(f->ids.v[i], x->rule_id);
        }
        if (!m) {
            return 0;
        }
    }
    if (f->categories.n) {
        int m = 0;
        for (size_t i = 0; i < f->categories.n && !m; i++) {
            m = x->category && !strcmp(f->categories.v[i], x->category);
        }
        if (!m) {
            return 0;
        }
    }
    if (f->deleted >= 0 && (x->deleted_in >= 0) != f->deleted) {
        return 0;
    }
    if (f->fixable >= 0) {
        int fixed =
            x->vuln && x->vuln->fixed_version && x->vuln->fixed_version[0];
        if (!x->vuln || fixed != f->fixable) {
            return 0;
        }
    }
    if (f->cvss_above >= 0 &&
        (!x->vuln || !(x->vuln->cvss_score > f->cvss_above))) {
        return 0;
    }
    return 1;
}

static void finding_text(const dd_finding *x, char *out, size_t n)
{
    char *path = x->path ? dd__printable(x->path, 160) : NULL;
    char extra[300] = "";
    if (x->vuln) {
        const dd_vuln_info *v = x->vuln;
        snprintf(extra, sizeof extra, " in %.80s %.60s%s%.60s%s", v->package,
                 v->installed_version ? v->installed_version : "",
                 v->fixed_version && v->fixed_version[0] ? " (fixed in " : "",
                 v->fixed_version && v->fixed_version[0] ? v->fixed_version
                                                         : "",
                 v->fixed_version && v->fixed_version[0] ? ")" : "");
        if (v->cvss_score >= 0) {
            size_t l = strlen(extra);
            snprintf(extra + l, sizeof extra - l, ", CVSS %.1f", v->cvss_score);
        }
    }
    snprintf(out, n, "%s %s %s%s%s%s%s: %.300s", dd_severity_name(x->severity),
             dd_kind_name(x->kind), x->rule_id ? x->rule_id : "?", extra,
             path ? " at " : "", path ? path : "",
             x->deleted_in >= 0 ? " (deleted, still shipped)" : "",
             x->title ? x->title : "");
    dd__free(path);
}

/* the exception in force that waives finding x under rule r, or NULL */
static const dd__pol_exc *
active_exc(const ev *e, const dd__pol_rule *r, const dd_finding *x)
{
    for (size_t q = 0; q < e->p->n_exc; q++) {
        const dd__pol_exc *c = &e->p->exc[q];
        if (exc_applies(e, c, "policy.finding-threshold", r->name,
                        x->rule_id) &&
            (!c->expires_text || e->in->now < c->expires)) {
            return c;
        }
    }
    return NULL;
}

static void
check_findings(ev *e, const dd__pol_rule *r, const dd_finding *extra)
{
    if (!r->n_fr) {
        return;
    }
    const dd_scan_summary *sum = e->in->summary;
    const dd_findings *fl = e->in->findings;
    /* a finding counts against the first threshold that matches it */
    size_t total = (fl ? dd_findings_count(fl) : 0) + (extra != NULL);
    unsigned char *taken = dd__calloc(total + 1, 1);
    if (!taken) {
        e->oom = 1;
        return;
    }
    if (sum && !sum->complete) {
        reason(e, "policy.scan-incomplete", r, NULL, rule_effect(e, r, 0),
               "the scan read the image only in part: findings may be "
               "missing");
    }
    for (size_t i = 0; i < r->n_fr; i++) {
        const dd__pol_frule *f = &r->fr[i];
        unsigned need = frule_scanners(f);
        int walk_kinds =
            !f->kinds ||
            (f->kinds & ((1u << DD_KIND_INTEGRITY) | (1u << DD_KIND_ARCHIVE)));
        if (!sum && (need || walk_kinds)) {
            reason(e, "policy.not-scanned", r, f->name,
                   rule_effect(e, r, f->warn),
                   "threshold '%s' needs a scan of the image and none ran",
                   f->name);
        } else if (sum && (need & ~sum->scanners)) {
            char miss[80] = "";
            size_t at = 0;
            for (size_t k = 0; k < dd_scanner_count(); k++) {
                unsigned b = dd_scanner_bit(k);
                if ((need & b) && !(sum->scanners & b)) {
                    at += (size_t)snprintf(miss + at, sizeof miss - at, "%s%s",
                                           at ? ", " : "", dd_scanner_name(k));
                }
                if (at >= sizeof miss - 1) {
                    break;
                }
            }
            reason(e, "policy.not-scanned", r, f->name,
                   rule_effect(e, r, f->warn),
                   "threshold '%s' cannot be judged: the %s scanner did not "
                   "run",
                   f->name, miss);
        }
        size_t counted = 0, shown = 0, more = 0;
        for (size_t k = 0; k < total; k++) {
            const dd_finding *x = fl && k < dd_findings_count(fl)
                                      ? dd_findings_get(fl, k)
                                      : extra;
            if (x && !taken[k] && frule_match(f, x)) {
                taken[k] = 2; /* this threshold's */
                counted += !active_exc(e, r, x);
            }
        }
        int over = counted > f->max;
        for (size_t k = 0; k < total; k++) {
            const dd_finding *x = fl && k < dd_findings_count(fl)
                                      ? dd_findings_get(fl, k)
                                      : extra;
            if (!x || taken[k] != 2) {
                continue;
            }
            taken[k] = 1;
            const dd__pol_exc *w = active_exc(e, r, x);
            if (!w && !over) {
                continue; /* within the allowance */
            }
            if (shown >= MAX_LISTED) {
                more += !w;
                continue;
            }
            char t[700];
            finding_text(x, t, sizeof t);
            reason(e, "policy.finding-threshold", r, x->rule_id,
                   rule_effect(e, r, f->warn), "%s [threshold '%s'%s]", t,
                   f->name, f->max ? ", over its max" : "");
            shown++;
        }
        if (more) {
            reason(e, "policy.finding-threshold", r, f->name,
                   rule_effect(e, r, f->warn),
                   "and %zu more findings over threshold '%s'", more, f->name);
        }
    }
    dd__free(taken);
}

static void eval_rule(ev *e, const dd__pol_rule *r, const dd_finding *extra)
{
    collected col;
    col.n = 0;
    check_registries(e, r);
    check_pinned(e, r);
    check_authorities(e, r, &col);
    check_attestations(e, r, &col);
    check_findings(e, r, extra);
}

static size_t rule_specificity(const ev *e, const dd__pol_rule *r, int *match)
{
    size_t best = 0;
    *match = 0;
    for (size_t i = 0; i < r->images.n; i++) {
        if (dd__policy_glob_match(r->images.v[i], e->key)) {
            size_t s = dd__policy_glob_literal(r->images.v[i]) + 1;
            best = s > best ? s : best;
            *match = 1;
        }
    }
    return best;
}

int dd_policy_evaluate(const dd_policy *p,
                       const dd_policy_input *in,
                       dd_policy_verdict **out,
                       dd_error *err)
{
    if (!p || !in || !out || !in->image ||
        in->version != DD_POLICY_INPUT_VERSION) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_policy_evaluate: bad arguments");
    }
    *out = NULL;
    verdict_impl *vi = dd__calloc(1, sizeof *vi);
    unsigned char *noted = dd__calloc(p->n_exc + 1, 1);
    if (!vi || !noted) {
        dd__free(vi);
        dd__free(noted);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__arena_init(&vi->a);
    dd__vec_init(&vi->reasons, sizeof(dd_policy_reason));
    dd__vec_init(&vi->rules, sizeof(const char *));
    ev e = {p, in, in->canonical ? in->canonical : in->image, vi, noted, 0};
    vi->v.image = adup(&e, in->image);
    vi->v.mode = p->mode == DD__MODE_WARN ? "warn" : "enforce";

    /* a look-alike name is judged from the name alone, scan or not */
    dd_finding look;
    const dd_finding *extra = NULL;
    int have_look = 0;
    for (size_t i = 0; in->findings && i < dd_findings_count(in->findings);
         i++) {
        const dd_finding *f = dd_findings_get(in->findings, i);
        have_look |= f->rule_id && !strcmp(f->rule_id, DD_LOOKALIKE_RULE);
    }
    dd_lookalike_result lr;
    dd_error le;
    if (!have_look && in->canonical &&
        dd_lookalike_check(in->canonical, NULL, 0, &lr, &le) == 0 &&
        lr.lookalike) {
        memset(&look, 0, sizeof look);
        look.kind = DD_KIND_TRUST;
        look.severity = lr.severity;
        look.rule_id = DD_LOOKALIKE_RULE;
        look.title = lr.detail;
        look.layer = -1;
        look.history = -1;
        look.deleted_in = -1;
        extra = &look;
    }

    /* the rules that apply */
    size_t best = 0, best_i = (size_t)-1, matched = 0;
    for (size_t i = 0; i < p->n_rules; i++) {
        int m;
        size_t s = rule_specificity(&e, &p->rules[i], &m);
        if (m) {
            matched++;
            if (s > best) {
                best = s, best_i = i;
            }
        }
    }
    for (size_t i = 0; matched && i < p->n_rules; i++) {
        int m;
        (void)rule_specificity(&e, &p->rules[i], &m);
        if (!m || (p->combine == DD__COMBINE_SPECIFIC && i != best_i)) {
            continue;
        }
        const char **slot = dd__vec_push(&vi->rules);
        if (!slot) {
            e.oom = 1;
            break;
        }
        *slot = adup(&e, p->rules[i].name);
        eval_rule(&e, &p->rules[i], extra);
    }
    if (!matched) {
        char *img = dd__printable(e.key, 200);
        reason(&e, "policy.no-rule", NULL, NULL,
               p->dflt == DD_POLICY_DENY   ? DD_POLICY_EFFECT_DENY
               : p->dflt == DD_POLICY_WARN ? DD_POLICY_EFFECT_WARN
                                           : DD_POLICY_EFFECT_INFO,
               "no rule matches %s: the default is %s", img ? img : "?",
               dd_policy_decision_name(p->dflt));
        dd__free(img);
    }
    dd__free(noted);
    vi->v.n_rules = vi->rules.len;
    vi->v.rules = vi->rules.items;
    vi->v.n_reasons = vi->reasons.len;
    vi->v.reasons = vi->reasons.items;
    dd_policy_decision d = DD_POLICY_ALLOW;
    for (size_t i = 0; i < vi->v.n_reasons; i++) {
        dd_policy_reason *r = &vi->v.reasons[i];
        if (r->effect == DD_POLICY_EFFECT_DENY && p->mode == DD__MODE_WARN) {
            r->effect = DD_POLICY_EFFECT_WARN;
        }
        if (r->effect == DD_POLICY_EFFECT_DENY) {
            d = DD_POLICY_DENY;
        } else if (r->effect == DD_POLICY_EFFECT_WARN && d == DD_POLICY_ALLOW) {
            d = DD_POLICY_WARN;
        }
    }
    vi->v.decision = d;
    if (e.oom) {
        dd_policy_verdict_free(&vi->v);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    *out = &vi->v;
    return 0;
}

void dd_policy_verdict_free(dd_policy_verdict *v)
{
    if (v) {
        verdict_impl *vi = (verdict_impl *)v;
        dd__vec_free(&vi->reasons);
        dd__vec_free(&vi->rules);
        dd__arena_free(&vi->a);
        dd__free(vi);
    }
}

const char *dd_policy_decision_name(dd_policy_decision d)
{
    return d == DD_POLICY_ALLOW  ? "allow"
           : d == DD_POLICY_WARN ? "warn"
                                 : "deny";
}

const char *dd_policy_effect_name(dd_policy_effect e)
{
    return e == DD_POLICY_EFFECT_DENY     ? "deny"
           : e == DD_POLICY_EFFECT_WARN   ? "warn"
           : e == DD_POLICY_EFFECT_WAIVED ? "waived"
                                          : "info";
}

/* ------------------------------------------------------------- JSON */

static int buf_write(void *payload, const void *data, size_t len)
{
    return dd__buf_add(payload, data, len) ? -1 : 0;
}

int dd_policy_verdict_json(const dd_policy_verdict *v,
                           char **out,
                           size_t *len,
                           dd_error *err)
{
    if (!v || !out) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_policy_verdict_json: bad arguments");
    }
    *out = NULL;
    dd__buf b;
    dd__buf_init(&b, (size_t)256 << 20);
    dd__jsonw w;
    dd__jsonw_init(&w, 2, buf_write, &b);
    dd__jsonw_obj_begin(&w);
    dd__jsonw_kstr(&w, "decision", dd_policy_decision_name(v->decision));
    dd__jsonw_kstr(&w, "image", v->image);
    dd__jsonw_kstr(&w, "mode", v->mode);
    dd__jsonw_key(&w, "rules");
    dd__jsonw_arr_begin(&w);
    for (size_t i = 0; i < v->n_rules; i++) {
        dd__jsonw_str(&w, v->rules[i]);
    }
    dd__jsonw_arr_end(&w);
    dd__jsonw_key(&w, "reasons");
    dd__jsonw_arr_begin(&w);
    for (size_t i = 0; i < v->n_reasons; i++) {
        const dd_policy_reason *r = &v->reasons[i];
        dd__jsonw_obj_begin(&w);
        dd__jsonw_kstr(&w, "code", r->code);
        dd__jsonw_kstr(&w, "effect", dd_policy_effect_name(r->effect));
        dd__jsonw_kstr(&w, "rule", r->rule);
        dd__jsonw_kstr(&w, "subject", r->subject);
        dd__jsonw_kstr(&w, "text", r->text);
        dd__jsonw_kstr(&w, "exception", r->exception);
        dd__jsonw_obj_end(&w);
    }
    dd__jsonw_arr_end(&w);
    dd__jsonw_obj_end(&w);
    int rc = dd__jsonw_finish(&w);
    if (rc) {
        dd__buf_free(&b);
        return dd__error_set(err, rc == DD_ENOMEM ? DD_ENOMEM : rc,
                             "policy verdict JSON: %s", dd_strerror(rc));
    }
    size_t n = b.len;
    char *s = dd__buf_detach(&b);
    if (!s) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    *out = s;
    if (len) {
        *len = n;
    }
    return 0;
}

/* -------------------------------------------------- signature check */

int dd_policy_check_image(void *payload,
                          const dd_trust_policy *signer,
                          dd_policy_check *out,
                          dd_error *err)
{
    const dd_policy_image_ctx *c = payload;
    memset(out, 0, sizeof *out);
    if (!c || !c->image || !signer) {
        return dd__error_set(err, DD_EINVALID,
                             "dd_policy_check_image: bad arguments");
    }
    dd_trust_image *r = NULL;
    int rc = dd_trust_verify_image(&r, c->image, c->tag, c->ropts, c->root,
                                   signer, err);
    if (rc) {
        return rc;
    }
    out->verified = r->verified;
    snprintf(out->message, sizeof out->message, "%s", r->message);
    for (size_t i = 0; i < r->n; i++) {
        const dd_trust_sig *s = &r->sigs[i];
        if (s->kind == DD_TRUST_SIG_ATTESTATION &&
            s->res.failed == DD_TRUST_OK &&
            out->n_attestations < DD_POLICY_MAX_ATTESTATIONS) {
            dd_policy_attestation *a =
                &out->attestations[out->n_attestations++];
            snprintf(a->predicate_type, sizeof a->predicate_type, "%s",
                     s->res.predicate_type);
            a->time = s->res.signing_time ? s->res.signing_time : -1;
        }
    }
    dd_trust_image_free(r);
    return 0;
}

/* -------------------------------------------------- findings */

int dd_policy_verdict_findings(const dd_policy_verdict *v,
                               struct dd_findings **out,
                               dd_error *err)
{
    *out = dd__findings_new();
    if (!*out) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    dd__finding_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = DD_KIND_TRUST;
    sp.severity = DD_SEV_MEDIUM;
    sp.rule_id = "trust.untrusted-source";
    sp.layer = -1;
    sp.history = -1;
    for (size_t i = 0; v && i < v->n_reasons; i++) {
        const dd_policy_reason *r = &v->reasons[i];
        if (strcmp(r->code, "policy.untrusted-registry") ||
            r->effect == DD_POLICY_EFFECT_WAIVED) {
            continue;
        }
        if (dd__findings_add(*out, &sp, "%s (policy rule %s)", r->text,
                             r->rule ? r->rule : "-")) {
            dd_findings_free(*out);
            *out = NULL;
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
    }
    return 0;
}
