/*
 * Guest test: readv and writev (readv(2), writev(2)) gather and scatter
 * in array order with partial counts, skip empty entries, and fail as
 * Linux does: EINVAL for a negative count, more than IOV_MAX entries or
 * lengths whose sum overflows ssize_t; EFAULT for a bad array or buffer,
 * with nothing written or consumed; EBADF for a bad descriptor.
 */
#include <limits.h>
#include <sys/uio.h>

#include "guest_test.h"

#define IOV_MAX_ENTRIES 1024

static long raw_writev(int fd, const struct iovec *iov, long count)
{
    return raw_syscall(SYS_writev, fd, (long)iov, count, 0, 0, 0);
}

static long raw_readv(int fd, const struct iovec *iov, long count)
{
    return raw_syscall(SYS_readv, fd, (long)iov, count, 0, 0, 0);
}

int main(void)
{
    test_name = "t_readv_writev_scatter_gather";
    int p[2];
    EXPECT(pipe2(p, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));

    /* Gather in order; an empty entry's base is never looked at. */
    char a[] = "abc", c[] = "defgh";
    struct iovec out[] = {{a, 3}, {(void *)UNMAPPED_ADDRESS, 0}, {c, 5}};
    EXPECT(raw_writev(p[1], out, 3) == 8, "writev of 3+0+5 bytes");

    /* Scatter in order, a short count when less is there. */
    char x[2], y[4], z[8];
    memset(z, 0, sizeof z);
    struct iovec in[] = {{x, 2}, {y, 0}, {y, 4}, {z, 8}};
    EXPECT(raw_readv(p[0], in, 4) == 8, "readv returns the 8 bytes there");
    EXPECT(memcmp(x, "ab", 2) == 0 && memcmp(y, "cdef", 4) == 0 && memcmp(z, "gh", 2) == 0,
           "scattered as %.2s %.4s %.2s", x, y, z);

    /* Counts. */
    EXPECT(raw_writev(p[1], out, 0) == 0, "writev of no entries is 0");
    EXPECT_ERRNO("writev count -1", raw_writev(p[1], out, -1), EINVAL);
    EXPECT_ERRNO("readv count -1", raw_readv(p[0], in, -1), EINVAL);
    static struct iovec many[IOV_MAX_ENTRIES + 1];
    for (int i = 0; i <= IOV_MAX_ENTRIES; i++)
        many[i] = (struct iovec){a, 1};
    EXPECT_ERRNO("writev of IOV_MAX + 1", raw_writev(p[1], many, IOV_MAX_ENTRIES + 1), EINVAL);
    EXPECT(raw_writev(p[1], many, IOV_MAX_ENTRIES) == IOV_MAX_ENTRIES, "writev of IOV_MAX");
    static char drain[IOV_MAX_ENTRIES];
    EXPECT(read(p[0], drain, sizeof drain) == IOV_MAX_ENTRIES, "drain");

    /* A sum that overflows ssize_t. */
    struct iovec huge[] = {{a, SSIZE_MAX}, {a, 1}};
    EXPECT_ERRNO("writev summing past SSIZE_MAX", raw_writev(p[1], huge, 2), EINVAL);
    EXPECT_ERRNO("readv summing past SSIZE_MAX", raw_readv(p[0], huge, 2), EINVAL);

    /* Bad array, bad buffer: EFAULT, and nothing written or consumed. */
    EXPECT_ERRNO("writev of a kernel array", raw_writev(p[1], (void *)KERNEL_ADDRESS, 1), EFAULT);
    struct iovec bad_out[] = {{a, 3}, {(void *)UNMAPPED_ADDRESS, 4}};
    EXPECT_ERRNO("writev with a bad buffer", raw_writev(p[1], bad_out, 2), EFAULT);
    EXPECT(read(p[0], x, 1) == -1 && errno == EAGAIN, "a failed writev wrote something");
    EXPECT(write(p[1], "xyz", 3) == 3, "write");
    struct iovec bad_in[] = {{x, 1}, {(void *)KERNEL_ADDRESS, 2}};
    EXPECT_ERRNO("readv into a kernel buffer", raw_readv(p[0], bad_in, 2), EFAULT);
    EXPECT(read(p[0], z, sizeof z) == 3 && memcmp(z, "xyz", 3) == 0,
           "a failed readv consumed input");

    /* Descriptors. */
    EXPECT_ERRNO("writev to a closed descriptor", raw_writev(999, out, 1), EBADF);
    EXPECT_ERRNO("readv from the write end", raw_readv(p[1], in, 1), EBADF);
    close(p[0]);
    close(p[1]);

    /* Files: musl's stdio writes through writev. */
    FILE *f = fopen("/tmp/t_readv_writev", "w+");
    EXPECT(f != NULL, "fopen: %s", strerror(errno));
    EXPECT(fprintf(f, "%s-%d", "line", 42) == 7 && fflush(f) == 0, "fprintf");
    int fd = fileno(f);
    EXPECT(lseek(fd, 0, SEEK_SET) == 0, "lseek");
    char head[4], tail[8] = {0};
    struct iovec file_in[] = {{head, 4}, {tail, sizeof tail}};
    EXPECT(raw_readv(fd, file_in, 2) == 7, "readv of the file");
    EXPECT(memcmp(head, "line", 4) == 0 && strcmp(tail, "-42") == 0, "file read as %.4s|%s",
           head, tail);
    fclose(f);
    unlink("/tmp/t_readv_writev");
    return 0;
}
