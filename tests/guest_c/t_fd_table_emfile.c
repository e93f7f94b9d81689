/*
 * Guest test: a full descriptor table gives EMFILE (open, dup, pipe,
 * F_DUPFD), creates nothing, and closing everything gives the open file
 * descriptions back.
 */
#include "guest_test.h"

#define OPEN_MAX 1024

int main(void)
{
    test_name = "t_fd_table_emfile";
    struct kstats before = kstats();
    int first_count = open_fd_count();
    int opened = 0, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0)
        opened++;
    EXPECT(errno == EMFILE, "open on a full table: %s, expected EMFILE", strerror(errno));
    EXPECT(first_count + opened == OPEN_MAX, "%d + %d descriptors, expected %d", first_count, opened,
           OPEN_MAX);
    int fds[2];
    EXPECT(dup(0) == -1 && errno == EMFILE, "dup: expected EMFILE");
    EXPECT(pipe(fds) == -1 && errno == EMFILE, "pipe: expected EMFILE");
    EXPECT(fcntl(0, F_DUPFD, 0) == -1 && errno == EMFILE, "F_DUPFD: expected EMFILE");
    EXPECT(open("/tmp/emfile_new", O_CREAT | O_WRONLY, 0600) == -1 && errno == EMFILE,
           "O_CREAT: expected EMFILE");
    EXPECT(access("/tmp/emfile_new", F_OK) == -1 && errno == ENOENT, "a failed O_CREAT created the file");
    EXPECT(kstats().open_files == before.open_files + (uint64_t)opened, "open files miscounted");
    for (int i = 0; i < OPEN_MAX; i++)
        if (i > 2)
            close(i);
    EXPECT(open_fd_count() == 3, "descriptors left: %d", open_fd_count());
    expect_same_stats("after closing everything", before);
    return 0;
}
