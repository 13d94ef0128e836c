/* The C unit tests' one helper: CHECK(cond, fmt, ...) counts a check and,
 * when cond is false, prints where and why; test_summary() prints the
 * count and gives the exit status. Each CHECK says what it guards. */
#ifndef RACELAB_TEST_H
#define RACELAB_TEST_H

#include <stdio.h>

static int test_checks, test_failures;

#define CHECK(cond, ...)                                           \
    do {                                                           \
        test_checks++;                                             \
        if (!(cond)) {                                             \
            test_failures++;                                       \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            printf(__VA_ARGS__);                                   \
            putchar('\n');                                         \
        }                                                          \
    } while (0)

static inline int test_summary(void)
{
    printf("%d checks, %d failed\n", test_checks, test_failures);
    return test_failures ? 1 : 0;
}

#endif
