/*
 * heap_fill.h - filling the kernel heap through files (issue 13), for the
 * guest C tests that need a full heap.
 *
 * fill_heap(dir) creates files DIR/fillN and grows each with ftruncate,
 * FILL_FIRST_BYTES first, halving the size whenever ftruncate says ENOSPC,
 * until even FILL_MIN_BYTES no longer fits: the heap is then full to
 * within a page. Every failure must be a clean ENOSPC. empty_dir(dir)
 * unlinks the files again, checking each; remove_all(dir) removes
 * whatever a failed run left, so a failure does not leave the heap full
 * for the tests after it.
 */
#ifndef HEAP_FILL_H
#define HEAP_FILL_H

#include <sys/wait.h>

#include "guest_test.h"

#define FILL_FIRST_BYTES (4L << 20)
#define FILL_MIN_BYTES 4096L
#define FILL_MAX_FILES 256
#define FILL_MAX_ENTRIES 256

/* Returns the number of fill files made. */
static inline int fill_heap(const char *dir)
{
    char name[128];
    long size = FILL_FIRST_BYTES;
    int files = 0;
    while (size >= FILL_MIN_BYTES && files < FILL_MAX_FILES) {
        snprintf(name, sizeof name, "%s/fill%d", dir, files);
        int fd = open(name, O_CREAT | O_WRONLY, 0600);
        if (fd < 0) {
            EXPECT(errno == ENOSPC, "creating %s: %s, expected ENOSPC", name, strerror(errno));
            break;
        }
        files++;
        while (size >= FILL_MIN_BYTES && ftruncate(fd, size) != 0) {
            EXPECT(errno == ENOSPC, "ftruncate(%ld): %s, expected ENOSPC", size, strerror(errno));
            size /= 2;
        }
        close(fd);
    }
    return files;
}

/* Unlinks DIR/fillN for N < files and DIR/entryN for N < entries. */
static inline void empty_dir(const char *dir, int files, int entries)
{
    char name[128];
    for (int i = 0; i < files; i++) {
        snprintf(name, sizeof name, "%s/fill%d", dir, i);
        EXPECT(unlink(name) == 0, "unlink %s: %s", name, strerror(errno));
    }
    for (int i = 0; i < entries; i++) {
        snprintf(name, sizeof name, "%s/entry%d", dir, i);
        EXPECT(unlink(name) == 0, "unlink %s: %s", name, strerror(errno));
    }
}

/* Removes DIR and everything fill_heap and create_entries made in it,
 * whatever state a failed run left (errors ignored). */
static inline void remove_all(const char *dir)
{
    char name[128];
    for (int i = 0; i < FILL_MAX_FILES; i++) {
        snprintf(name, sizeof name, "%s/fill%d", dir, i);
        unlink(name);
    }
    for (int i = 0; i < FILL_MAX_ENTRIES; i++) {
        snprintf(name, sizeof name, "%s/entry%d", dir, i);
        unlink(name);
    }
    rmdir(dir);
}

/* Runs `self` with argv[1] = `mode` in a child, then removes `dir` and
 * whatever the child left there, even when it failed; expects the child
 * to have exited 0. */
static inline void run_then_remove(const char *self, const char *mode, const char *dir)
{
    int status = run_status(self, mode, NULL, NULL);
    remove_all(dir);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed: %#x", mode, status);
}

/* Creates DIR/entryN for N = 0, 1, ... until `count` exist or one fails;
 * a failure must be ENOSPC. Returns how many were made. */
static inline int create_entries(const char *dir, int count)
{
    char name[128];
    for (int i = 0; i < count; i++) {
        snprintf(name, sizeof name, "%s/entry%d", dir, i);
        int fd = open(name, O_CREAT | O_WRONLY, 0600);
        if (fd < 0) {
            EXPECT(errno == ENOSPC, "creating %s on a full heap: %s, expected ENOSPC", name,
                   strerror(errno));
            return i;
        }
        close(fd);
    }
    return count;
}

#endif
