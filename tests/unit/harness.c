/*
 * tests/unit/harness.c - runner for harness.h.
 */
#include <stdlib.h>

#include "harness.h"

int dd_test_failed;
static char fail_msg[1024];

void dd_test_fail(const char *file, int line, const char *what)
{
    dd_test_failed = 1;
    snprintf(fail_msg, sizeof fail_msg, "%s:%d: %s", file, line, what);
}

int dd_test_main(const dd_test *tests, size_t n, int argc, char **argv)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1])) {
            continue;
        }
        dd_test_failed = 0;
        fail_msg[0] = '\0';
        tests[i].fn();
        if (dd_test_failed) {
            printf("FAIL %s: %s\n", tests[i].name, fail_msg);
            failures++;
        } else {
            printf("PASS %s\n", tests[i].name);
        }
        fflush(stdout);
    }
    return failures ? 1 : 0;
}
