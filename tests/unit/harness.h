/*
 * tests/unit/harness.h - a tiny test harness. Each test file lists its
 * tests in a table; the runner prints "PASS name" / "FAIL name: why" per
 * test, which tests/run-all.sh counts.
 */
#ifndef DD_TEST_HARNESS_H
#define DD_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef struct dd_test {
    const char *name;
    void (*fn)(void);
} dd_test;

extern int dd_test_failed;
void dd_test_fail(const char *file, int line, const char *what);
int dd_test_main(const dd_test *tests, size_t n, int argc, char **argv);

#define CHECK(cond)                                  \
    do {                                             \
        if (!(cond)) {                               \
            dd_test_fail(__FILE__, __LINE__, #cond); \
            return;                                  \
        }                                            \
    } while (0)
#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
            char m_[600];                                                      \
            snprintf(m_, sizeof m_, "%s == %s (\"%.250s\" vs \"%.250s\")", #a, \
                     #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");              \
            dd_test_fail(__FILE__, __LINE__, m_);                              \
            return;                                                            \
        }                                                                      \
    } while (0)
#define TEST_LIST(...)                                                      \
    static const dd_test tests_[] = {__VA_ARGS__};                          \
    int main(int argc, char **argv)                                         \
    {                                                                       \
        return dd_test_main(tests_, sizeof tests_ / sizeof tests_[0], argc, \
                            argv);                                          \
    }
#define T(fn)   \
    {           \
#fn, fn \
    }

#endif
