/*
 * lib/policy/default.c - the policy drydock uses when none is given
 * (docs/policy.md shows it verbatim; tests/integration/test_policy.sh
 * checks that the page and `drydock policy show-default` agree).
 */
#include "policy_int.h"

static const char default_text[] =
    "# drydock's built-in policy (drydock policy show-default)\n"
    "version: 1\n"
    "name: drydock-default\n"
    "mode: enforce\n"
    "default: deny\n"
    "rules:\n"
    "  - name: default\n"
    "    description: deny what is an attack whatever the image; warn on "
    "the rest\n"
    "    images: \"**\"\n"
    "    findings:\n"
    "      - name: malware\n"
    "        kind: malware\n"
    "        severity: HIGH\n"
    "      - name: live-secrets\n"
    "        kind: secret\n"
    "        severity: HIGH\n"
    "      - name: lookalike-name\n"
    "        kind: trust\n"
    "        id: trust.lookalike-name\n"
    "      - name: integrity\n"
    "        kind: integrity\n"
    "      - name: archive-attacks\n"
    "        kind: archive\n"
    "        severity: HIGH\n"
    "      - name: the-rest\n"
    "        severity: HIGH\n"
    "        action: warn\n";

const char *dd_policy_default_text(void)
{
    return default_text;
}

int dd_policy_default(dd_policy **out, dd_error *err)
{
    return dd_policy_parse(out, "built-in policy", default_text,
                           sizeof default_text - 1, err);
}
