/* malloc.c - allocation stress: sizes across every class and the large
 * path, contents preserved by realloc, zeroing by calloc, alignment. */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

#define SLOTS 512

static unsigned char pattern(size_t slot, size_t i)
{
    return (unsigned char)(slot * 31 + i * 7 + 1);
}

static void fill(unsigned char *p, size_t slot, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = pattern(slot, i);
}

static int intact(const unsigned char *p, size_t slot, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != pattern(slot, i))
            return 0;
    }
    return 1;
}

static void test_basic(void)
{
    void *p = malloc(0);
    CHECK("malloc-zero", p != NULL);
    free(p);
    free(NULL);
    CHECK("free-null", 1);

    int aligned = 1;
    for (size_t n = 1; n < 70000; n = n * 3 + 1) {
        void *q = malloc(n);
        aligned &= q != NULL && ((uintptr_t)q & 15) == 0;
        free(q);
    }
    CHECK("malloc-alignment", aligned);

    unsigned char *c = calloc(1000, 3);
    int zero = c != NULL;
    for (int i = 0; zero && i < 3000; i++)
        zero = c[i] == 0;
    CHECK("calloc-zeroed", zero);
    /* Reuse a dirty block: calloc must still zero it. */
    memset(c, 0x5a, 3000);
    free(c);
    c = calloc(3000, 1);
    zero = c != NULL;
    for (int i = 0; zero && i < 3000; i++)
        zero = c[i] == 0;
    CHECK("calloc-zeroes-reused-block", zero);
    free(c);

    errno = 0;
    volatile size_t huge = (size_t)-1 / 2, too_big = (size_t)-1 - 8;
    CHECK("calloc-overflow", calloc(huge, 4) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK("malloc-too-big", malloc(too_big) == NULL && errno == ENOMEM);
}

static void test_realloc(void)
{
    unsigned char *p = realloc(NULL, 10);
    CHECK("realloc-null-is-malloc", p != NULL);
    fill(p, 1, 10);
    size_t n = 10;
    int ok = 1;
    for (size_t next = 17; next < 300000; next = next * 2 + 5) {
        p = realloc(p, next);
        ok &= p != NULL && intact(p, 1, n);
        fill(p, 1, next);
        n = next;
    }
    CHECK("realloc-grow-keeps-contents", ok);
    p = realloc(p, 5);
    CHECK("realloc-shrink-keeps-prefix", p != NULL && intact(p, 1, 5));
    free(p);
}

static void test_stress(void)
{
    static unsigned char *slots[SLOTS];
    static size_t sizes[SLOTS];
    unsigned seed = 12345;
    int ok = 1;

    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t i = (seed >> 8) % SLOTS;
        if (slots[i]) {
            ok &= intact(slots[i], i, sizes[i]);
            free(slots[i]);
            slots[i] = NULL;
        } else {
            size_t n = (seed >> 4) % 5 == 0 ? (seed >> 12) % 100000
                                             : (seed >> 12) % 600;
            slots[i] = malloc(n);
            sizes[i] = n;
            if (slots[i] == NULL) {
                ok = 0;
                continue;
            }
            fill(slots[i], i, n);
        }
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (slots[i]) {
            ok &= intact(slots[i], i, sizes[i]);
            free(slots[i]);
        }
    }
    CHECK("malloc-free-stress", ok);

    /* 64 MiB touched, then released: the big-parent case of issue 5. */
    size_t big = 64u << 20;
    unsigned char *b = malloc(big);
    int big_ok = b != NULL;
    if (b) {
        for (size_t i = 0; i < big; i += 4096)
            b[i] = (unsigned char)i;
        big_ok = b[big - 4096] == (unsigned char)(big - 4096);
        free(b);
    }
    CHECK("malloc-64MiB", big_ok);
}

int main(void)
{
    test_basic();
    test_realloc();
    test_stress();
    return DONE();
}
