/*
 * misc.c - the small arithmetic and searching parts of <stdlib.h>: abs,
 * div, qsort (a shell sort: short and allocation-free), bsearch, rand.
 */
#include <stdlib.h>
#include <string.h>

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

div_t div(int num, int den)
{
    div_t r = {num / den, num % den};
    return r;
}

ldiv_t ldiv(long num, long den)
{
    ldiv_t r = {num / den, num % den};
    return r;
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t n)
{
    while (n--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

void qsort(void *base, size_t count, size_t size,
           int (*compare)(const void *, const void *))
{
    unsigned char *a = base;
    size_t gap = 1;

    while (gap < count / 3)
        gap = gap * 3 + 1; /* 1, 4, 13, 40, ... */
    for (; gap > 0; gap /= 3) {
        for (size_t i = gap; i < count; i++) {
            for (size_t j = i; j >= gap; j -= gap) {
                unsigned char *x = a + (j - gap) * size, *y = a + j * size;
                if (compare(x, y) <= 0)
                    break;
                swap_bytes(x, y, size);
            }
        }
    }
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *))
{
    const unsigned char *a = base;
    size_t lo = 0, hi = count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare(key, a + mid * size);
        if (c == 0)
            return (void *)(a + mid * size);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static unsigned long long rand_state = 1;

void srand(unsigned int seed)
{
    rand_state = seed;
}

int rand(void)
{
    /* A 64-bit linear congruential generator; the top 31 bits are the
     * result. */
    rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(rand_state >> 33);
}
