/*
 * shell_bench.c - what a shell costs: `sh -c true` (spawn the shell, which
 * runs a built-in, and wait) and `sh -c '/bin/true | /bin/true |
 * /bin/true'` (the shell starts three programs and waits for them), timed
 * from the parent with CLOCK_MONOTONIC.
 *
 * Built twice (bench/shell_bench.py): as a guest program (kernel-shim's
 * /bin/sh, which never forks), and with -DBENCH_LINUX statically against
 * glibc as /init of an initramfs on Debian's kernel, whose /bin/sh is
 * Debian's static busybox (a forking shell). Prints, like spawn_bench:
 *
 *   bench start
 *   case NAME median_us=M p90_us=P min_us=A max_us=B rounds=N
 *   bench done cases=N errors=N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef BENCH_LINUX
#include <sys/io.h>
#include <sys/reboot.h>
/* isa-debug-exit (qemu/args): QEMU exits with (code << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SUCCESS 0x10
#define DEBUG_EXIT_FAILURE 0x11
#endif

#define DEFAULT_ROUNDS 50
#define SHELL "/bin/sh"
#define NANOS_PER_MICRO 1000.0
/* The percentile reported besides the median. */
#define P90 0.9

static char *envp[] = {"PATH=/bin", NULL};
static int cases_run, cases_failed;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One round: spawn `sh -c command`, wait; 0 or an errno. */
static int round_trip(const char *command)
{
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, SHELL, NULL, NULL, argv, envp);
    if (err != 0)
        return err;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : ECHILD;
}

static void run_case(const char *name, const char *command, int rounds,
                     uint64_t *samples)
{
    cases_run++;
    int err = round_trip(command); /* warm-up: images cached */
    for (int i = 0; err == 0 && i < rounds; i++) {
        uint64_t start = now_ns();
        err = round_trip(command);
        samples[i] = now_ns() - start;
    }
    if (err != 0) {
        cases_failed++;
        printf("case %s error=%d (%s)\n", name, err, strerror(err));
        return;
    }
    qsort(samples, (size_t)rounds, sizeof samples[0], compare_u64);
    printf("case %s median_us=%.1f p90_us=%.1f min_us=%.1f max_us=%.1f "
           "rounds=%d\n",
           name, samples[rounds / 2] / NANOS_PER_MICRO,
           samples[(int)(rounds * P90)] / NANOS_PER_MICRO,
           samples[0] / NANOS_PER_MICRO, samples[rounds - 1] / NANOS_PER_MICRO,
           rounds);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int rounds = DEFAULT_ROUNDS;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--rounds") == 0)
            rounds = atoi(argv[i + 1]);
    if (rounds < 1)
        rounds = 1;
    uint64_t *samples = malloc((size_t)rounds * sizeof *samples);
    if (samples == NULL)
        return 1;
    printf("bench start\n");
    run_case("sh_c_true", "true", rounds, samples);
    run_case("sh_c_pipeline_3", "/bin/true | /bin/true | /bin/true", rounds,
             samples);
    printf("bench done cases=%d errors=%d\n", cases_run, cases_failed);
#ifdef BENCH_LINUX
    if (getpid() == 1) {
        fflush(stdout);
        if (ioperm(DEBUG_EXIT_PORT, 1, 1) == 0)
            outb(cases_failed == 0 ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE,
                 DEBUG_EXIT_PORT);
        reboot(RB_POWER_OFF);
    }
#endif
    return cases_failed == 0 ? 0 : 1;
}
