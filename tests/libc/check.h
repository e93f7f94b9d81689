/*
 * check.h - the tiny check harness of the guest C library's native tests.
 *
 * Every test file is compiled twice, against the guest library and against
 * the host's glibc, so it uses only what both provide. A check prints
 * "ok NAME" or "FAIL NAME: detail"; DONE() prints the summary line
 * "libc-test: N passed, M failed" that tests/libc_native.py parses, and
 * returns the exit status. SAME() prints a "= ..." line whose text must be
 * identical under both libraries.
 */
#ifndef LIBC_TEST_CHECK_H
#define LIBC_TEST_CHECK_H

#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static void check_report(int ok, const char *name, const char *detail)
{
    if (ok) {
        check_passed++;
        printf("ok %s\n", name);
    } else {
        check_failed++;
        printf("FAIL %s: %s\n", name, detail);
    }
}

/* Hides a value from the compiler's static checks (truncation warnings). */
__attribute__((unused)) static const char *opaque(const char *s)
{
    const char *volatile v = s;
    return v;
}

/* CHECK(name, condition): a plain truth check. */
#define CHECK(name, cond) check_report((cond) != 0, name, #cond)

/* CHECK_INT(name, actual, expected): integers, both shown on failure. */
#define CHECK_INT(name, actual, expected)                                      \
    do {                                                                       \
        long long a_ = (long long)(actual), e_ = (long long)(expected);        \
        char d_[160];                                                          \
        snprintf(d_, sizeof d_, "%s is %lld, expected %lld", #actual, a_, e_); \
        check_report(a_ == e_, name, d_);                                      \
    } while (0)

/* CHECK_STR(name, actual, expected): strings, both shown on failure. */
#define CHECK_STR(name, actual, expected)                                      \
    do {                                                                       \
        const char *a_ = (actual), *e_ = (expected);                           \
        char d_[512];                                                          \
        snprintf(d_, sizeof d_, "got \"%.200s\", expected \"%.200s\"", a_, \
                 e_);        \
        check_report(strcmp(a_, e_) == 0, name, d_);                           \
    } while (0)

/* CHECK_ERR(name, call, err): call returns -1 with errno err. */
#define CHECK_ERR(name, call, err)                                             \
    do {                                                                       \
        errno = 0;                                                             \
        long r_ = (long)(call);                                                \
        int e_ = errno;                                                        \
        char d_[160];                                                          \
        snprintf(d_, sizeof d_, "returned %ld errno %d, expected -1 errno %d", \
                 r_, e_, (int)(err));                                          \
        check_report(r_ == -1 && e_ == (err), name, d_);                       \
    } while (0)

#define DONE()                                                                 \
    (printf("libc-test: %d passed, %d failed\n", check_passed, check_failed),  \
     check_failed ? 1 : 0)

#endif
