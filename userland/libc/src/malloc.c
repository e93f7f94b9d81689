/*
 * malloc.c - memory allocation over anonymous mmap.
 *
 * Small blocks come in power-of-two size classes of 16 bytes to 32 KiB,
 * carved from 1 MiB arenas; a freed small block goes onto its class's free
 * list and is reused by the next request of that class (arenas are never
 * unmapped). Larger blocks get their own mapping, returned with munmap on
 * free. Each block starts with a 16-byte header, so every pointer handed
 * out is 16-byte aligned.
 *
 * The only system calls used are mmap(NULL, len, PROT_READ | PROT_WRITE,
 * MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) and munmap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADER 16
#define MIN_SHIFT 4                      /* smallest class: 16 bytes */
#define CLASSES 12                       /* 16 B .. 32 KiB */
#define MAX_SMALL ((size_t)1 << (MIN_SHIFT + CLASSES - 1))
#define ARENA_SIZE ((size_t)1 << 20)
#define PAGE 4096
#define LARGE_CLASS 0xffu
#define MAGIC 0x6d616c6cu                /* "mall" */

struct header {
    uint32_t magic;
    uint32_t class_index;                /* or LARGE_CLASS */
    size_t mapped;                       /* large blocks: bytes mapped */
};

_Static_assert(sizeof(struct header) == HEADER, "header keeps alignment");

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[CLASSES];
static char *arena_next, *arena_end;

static void *map(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static unsigned class_for(size_t size)
{
    unsigned c = 0;

    while (((size_t)1 << (MIN_SHIFT + c)) < size)
        c++;
    return c;
}

static size_t class_size(unsigned c)
{
    return (size_t)1 << (MIN_SHIFT + c);
}

static struct header *header_of(void *p)
{
    struct header *h = (struct header *)((char *)p - HEADER);

    if (h->magic != MAGIC) {
        static const char msg[] = "malloc: invalid pointer freed\n";
        write(2, msg, sizeof msg - 1);
        abort();
    }
    return h;
}

static void *malloc_large(size_t size)
{
    size_t len = (size + HEADER + PAGE - 1) & ~(size_t)(PAGE - 1);
    struct header *h = map(len);

    if (h == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    h->magic = MAGIC;
    h->class_index = LARGE_CLASS;
    h->mapped = len;
    return (char *)h + HEADER;
}

void *malloc(size_t size)
{
    if (size > PTRDIFF_MAX - 2 * PAGE) {
        errno = ENOMEM;
        return NULL;
    }
    if (size > MAX_SMALL)
        return malloc_large(size);

    unsigned c = class_for(size == 0 ? 1 : size);
    struct free_block *b = free_lists[c];
    if (b != NULL) {
        free_lists[c] = b->next;
        return b;
    }
    size_t need = HEADER + class_size(c);
    if ((size_t)(arena_end - arena_next) < need) {
        char *arena = map(ARENA_SIZE);
        if (arena == NULL) {
            errno = ENOMEM;
            return NULL;
        }
        arena_next = arena;
        arena_end = arena + ARENA_SIZE;
    }
    struct header *h = (struct header *)arena_next;
    arena_next += need;
    h->magic = MAGIC;
    h->class_index = c;
    h->mapped = 0;
    return (char *)h + HEADER;
}

void free(void *p)
{
    if (p == NULL)
        return;
    struct header *h = header_of(p);
    if (h->class_index == LARGE_CLASS) {
        h->magic = 0;
        munmap(h, h->mapped);
        return;
    }
    struct free_block *b = p;
    b->next = free_lists[h->class_index];
    free_lists[h->class_index] = b;
}

void *calloc(size_t count, size_t size)
{
    size_t total;

    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *realloc(void *p, size_t size)
{
    if (p == NULL)
        return malloc(size);
    if (size == 0) { /* glibc's choice: free and return NULL */
        free(p);
        return NULL;
    }
    struct header *h = header_of(p);
    size_t capacity = h->class_index == LARGE_CLASS ? h->mapped - HEADER
                                                     : class_size(h->class_index);
    if (size <= capacity)
        return p;
    void *q = malloc(size);
    if (q == NULL)
        return NULL;
    memcpy(q, p, capacity);
    free(p);
    return q;
}
