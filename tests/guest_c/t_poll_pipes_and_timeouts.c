/*
 * Guest test: poll(2) as Linux documents it, through musl's poll(). An
 * empty pipe is not readable and a timeout of 0 returns 0 at once; a
 * positive timeout waits about that long and returns 0; a closed
 * descriptor is POLLNVAL and a negative one is skipped; a pipe whose last
 * writer is gone reports POLLHUP; and a poll waiting for ever wakes with
 * POLLIN when a spawned child writes into the pipe. Too many entries is
 * EINVAL.
 */
#include "guest_test.h"

#include <poll.h>
#include <time.h>

#define WAIT_MS 50
#define TOO_MANY 100000

static long elapsed_ms(struct timespec start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
}

int main(void)
{
    test_name = "t_poll_pipes_and_timeouts";
    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));

    struct pollfd one = {.fd = fds[0], .events = POLLIN};
    EXPECT(poll(&one, 1, 0) == 0 && one.revents == 0, "empty pipe: revents %#x", one.revents);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    EXPECT(poll(&one, 1, WAIT_MS) == 0, "timeout: %s", strerror(errno));
    long waited = elapsed_ms(start);
    EXPECT(waited >= WAIT_MS - 1, "a %d ms timeout returned after %ld ms", WAIT_MS, waited);

    int spare[2];
    EXPECT(pipe(spare) == 0, "pipe: %s", strerror(errno));
    close(spare[0]);
    struct pollfd set[3] = {
        {.fd = spare[0], .events = POLLIN},
        {.fd = -1, .events = POLLIN},
        {.fd = fds[1], .events = POLLOUT},
    };
    EXPECT(poll(set, 3, 0) == 2, "closed, negative, writable: %s", strerror(errno));
    EXPECT(set[0].revents == POLLNVAL, "closed descriptor: revents %#x", set[0].revents);
    EXPECT(set[1].revents == 0, "negative descriptor: revents %#x", set[1].revents);
    EXPECT(set[2].revents == POLLOUT, "write end: revents %#x", set[2].revents);

    /* A child writes into the pipe while this process waits for ever. */
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    char *argv[] = {"echo", "woken", NULL};
    pid_t pid;
    EXPECT(posix_spawn(&pid, "/bin/echo", &actions, NULL, argv, NULL) == 0, "spawn echo");
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    one.revents = 0;
    EXPECT(poll(&one, 1, -1) == 1 && (one.revents & POLLIN), "after the child wrote: revents %#x",
           one.revents);
    char buf[16] = {0};
    EXPECT(read(fds[0], buf, sizeof buf - 1) == 6 && strcmp(buf, "woken\n") == 0, "read %s", buf);
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "echo status %#x", status);
    EXPECT(poll(&one, 1, -1) == 1 && one.revents == POLLHUP, "writer gone: revents %#x",
           one.revents);
    close(fds[0]);

    errno = 0;
    EXPECT(poll(&one, TOO_MANY, 0) == -1 && errno == EINVAL, "nfds %d: %s", TOO_MANY,
           strerror(errno));
    return 0;
}
