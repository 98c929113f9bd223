/*
 * lib/vuln/cvss.c - CVSS v3.0/v3.1 base scores from vectors
 * ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" -> 9.8), per the FIRST
 * specification's formulas and its Roundup function.
 */
#include <math.h>
#include <string.h>

#include "vuln_int.h"

static double roundup(double x)
{
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0) {
        return (double)i / 100000.0;
    }
    return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

/* value of metric `m` (e.g. "AV") in the vector, or 0 */
static char metric(const char *v, const char *m)
{
    size_t n = strlen(m);
    for (const char *p = v; (p = strstr(p, m)) != NULL; p++) {
        if ((p == v || p[-1] == '/') && p[n] == ':' && p[n + 1] &&
            (p[n + 2] == '/' || p[n + 2] == '\0')) {
            return p[n + 1];
        }
    }
    return 0;
}

double dd__cvss3_score(const char *v)
{
    if (!v || strncmp(v, "CVSS:3.", 7) != 0) {
        return -1;
    }
    char av = metric(v, "AV"), ac = metric(v, "AC"), pr = metric(v, "PR"),
         ui = metric(v, "UI"), s = metric(v, "S"), c = metric(v, "C"),
         in = metric(v, "I"), a = metric(v, "A");
    double AV = av == 'N'   ? 0.85
                : av == 'A' ? 0.62
                : av == 'L' ? 0.55
                : av == 'P' ? 0.2
                            : -1;
    double AC = ac == 'L' ? 0.77 : ac == 'H' ? 0.44 : -1;
    int changed = s == 'C';
    if (s != 'C' && s != 'U') {
        return -1;
    }
    double PR = pr == 'N'   ? 0.85
                : pr == 'L' ? (changed ? 0.68 : 0.62)
                : pr == 'H' ? (changed ? 0.5 : 0.27)
                            : -1;
    double UI = ui == 'N' ? 0.85 : ui == 'R' ? 0.62 : -1;
    double cia[3];
    const char k[3] = {c, in, a};
    for (int i = 0; i < 3; i++) {
        cia[i] = k[i] == 'H' ? 0.56 : k[i] == 'L' ? 0.22 : k[i] == 'N' ? 0 : -1;
        if (cia[i] < 0) {
            return -1;
        }
    }
    if (AV < 0 || AC < 0 || PR < 0 || UI < 0) {
        return -1;
    }
    double iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15)
                            : 6.42 * iss;
    double expl = 8.22 * AV * AC * PR * UI;
    if (impact <= 0) {
        return 0;
    }
    double base = changed ? 1.08 * (impact + expl) : impact + expl;
    return roundup(base < 10 ? base : 10);
}

const char *dd__cvss_severity(double s)
{
    if (s < 0) {
        return NULL;
    }
    if (s == 0) {
        return "NONE";
    }
    return s < 4 ? "LOW" : s < 7 ? "MEDIUM" : s < 9 ? "HIGH" : "CRITICAL";
}
