/* spawn_bench: process-creation latency (issue 7).
 *
 * One source, two builds:
 *   - against musl (the guest build) and libspawn, run by kernel-shim's init;
 *   - with -DBENCH_LINUX, statically against glibc, run as /init of an
 *     initramfs on Debian's stock kernel. There it also measures
 *     fork + execve + waitpid and vfork + execve + waitpid, which the guest
 *     C library does not have.
 *
 * Usage: spawn_bench [--rounds N] [--warmup N] [--child PATH]
 *                    [--skip NAME,NAME...]
 *        spawn_bench tsc-khz     (Linux build on the host: the TSC rate)
 *
 * Every case spawns the child (default /bin/bench_child, a static program
 * that exits 0) WARMUP times untimed, then ROUNDS times timed with
 * clock_gettime(CLOCK_MONOTONIC), and prints one line:
 *
 *   case NAME median_us=M p90_us=P min_us=A max_us=B rounds=N mean_us=X
 *   case NAME error=ERRNO errname=NAME step=WHAT
 *   case NAME skipped
 *
 * On kernel-shim booted with `profile` (bench/bench.py --profile), each
 * case also prints the kernel's spawn profile over its timed rounds
 * (SYS_shim_profile, userland/support/include/shim/profile.h): totals of
 * time-stamp-counter cycles, guest instructions under -icount shift=0:
 *
 *   profile NAME rounds=N total=T marks=M mark_cost=C PHASE=X ...
 *
 * where the PHASE counts sum to T, the counter's advance over the rounds.
 *
 * The first line is "bench start", the last "bench done cases=N errors=N";
 * lines starting with "info " describe the system. A failing case does not
 * stop the others. Exit status: 0 when no case failed, else 1.
 */
/* Both builds are Linux-ABI C libraries (glibc, musl) held to -std=c11:
 * ask for their POSIX and GNU declarations. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef BENCH_LINUX
#include <sys/io.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#define SYSTEM_NAME "linux"
#else
#include <shim/profile.h>
#include <shim/syscall.h>
#define SYSTEM_NAME "kernel-shim"
#endif

#define DEFAULT_CHILD "/bin/bench_child"
#define DEFAULT_ROUNDS 100
#define PAGE_BYTES 4096
#define MIB (1024UL * 1024UL)
/* Each argument and environment string is this long, NUL included. */
#define ARG_STRING_BYTES 128
/* File actions are dup2(2, FA_FIRST_FD + k) then close(FA_FIRST_FD + k). */
#define FA_FIRST_FD 10
/* isa-debug-exit (qemu/args): QEMU exits with (code << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SUCCESS 0x10
#define DEBUG_EXIT_FAILURE 0x11

static int rounds = DEFAULT_ROUNDS;
static int warmup = -1; /* -1: rounds / 10, at least 1 */
static const char *child = DEFAULT_CHILD;
static const char *skip_list = "";
static uint64_t *samples;
static int cases_run;
static int cases_failed;

static char *empty_envp[] = {NULL};
static char *child_argv[] = {DEFAULT_CHILD, NULL};

enum method {
	SPAWN_WAIT,    /* posix_spawn + waitpid */
	SPAWN_RETURN,  /* posix_spawn alone (NOWAIT in the guest) */
#ifdef BENCH_LINUX
	FORK_EXEC,     /* fork + execve + waitpid */
	VFORK_EXEC,    /* vfork + execve + waitpid */
#endif
};

struct spawn_setup {
	const posix_spawn_file_actions_t *actions;
	const posix_spawnattr_t *attr;
	char **argv;
	char **envp;
};

struct failure {
	int error;        /* an errno value, or 0 for a bad child status */
	const char *step; /* what failed */
	int status;       /* the wait status, for a bad child status */
};

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Symbolic names for the errors a case can meet (messages differ between
 * C libraries; names do not). */
static const char *error_name(int error) {
	switch (error) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENOSYS: return "ENOSYS";
	default: return "other";
	}
}

static int compare_u64(const void *a, const void *b) {
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Microseconds with three decimals, from nanoseconds. */
static const char *format_us(uint64_t ns, char *buffer, size_t size) {
	snprintf(buffer, size, "%lu.%03lu", (unsigned long)(ns / 1000),
		 (unsigned long)(ns % 1000));
	return buffer;
}

/* Is NAME in the comma-separated skip list? */
static int skipped(const char *name) {
	size_t length = strlen(name);
	const char *p = skip_list;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t item = end ? (size_t)(end - p) : strlen(p);
		if (item == length && strncmp(p, name, length) == 0) {
			return 1;
		}
		p += item + (end != NULL);
	}
	return 0;
}

static int wait_child(pid_t pid, struct failure *fail) {
	int status;
	pid_t got;
	do {
		got = waitpid(pid, &status, 0);
	} while (got < 0 && errno == EINTR);
	if (got < 0) {
		fail->error = errno;
		fail->step = "waitpid";
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail->error = 0;
		fail->step = "child status";
		fail->status = status;
		return -1;
	}
	return 0;
}

/* One timed round; 0 with *elapsed set, or -1 with *fail filled in. */
static int one_round(enum method method, const struct spawn_setup *setup,
		     uint64_t *elapsed, struct failure *fail) {
	pid_t pid = -1;
	uint64_t start = now_ns(), end;
	int error;

	switch (method) {
	case SPAWN_WAIT:
	case SPAWN_RETURN:
		error = posix_spawn(&pid, child, setup->actions, setup->attr,
				    setup->argv, setup->envp);
		if (error != 0) {
			fail->error = error;
			fail->step = "posix_spawn";
			return -1;
		}
		break;
#ifdef BENCH_LINUX
	case FORK_EXEC:
		pid = fork();
		if (pid == 0) {
			execve(child, setup->argv, setup->envp);
			_exit(127);
		}
		break;
	case VFORK_EXEC:
		pid = vfork();
		if (pid == 0) {
			execve(child, setup->argv, setup->envp);
			_exit(127);
		}
		break;
#endif
	}
	if (pid < 0) {
		fail->error = errno;
		fail->step = "fork";
		return -1;
	}
	if (method == SPAWN_RETURN) {
		end = now_ns();
		if (wait_child(pid, fail) != 0) {
			return -1;
		}
	} else {
		if (wait_child(pid, fail) != 0) {
			return -1;
		}
		end = now_ns();
	}
	*elapsed = end - start;
	return 0;
}

static void report_failure(const char *name, const struct failure *fail) {
	cases_failed++;
	if (fail->error == 0 && fail->status != 0) {
		printf("case %s error=0 errname=child-status step=%s status=%#x\n",
		       name, fail->step, (unsigned)fail->status);
	} else {
		printf("case %s error=%d errname=%s step=%s\n", name, fail->error,
		       error_name(fail->error), fail->step);
	}
}

#ifndef BENCH_LINUX
static const char *const phase_names[SHIM_PHASE_COUNT] = SHIM_PHASE_NAMES;

/* The kernel's profile counters; 0 when the kernel does not profile. */
static int read_profile(struct shim_profile *out) {
	memset(out, 0, sizeof *out);
	return syscall(SYS_shim_profile, out) == 0 && out->enabled;
}

/* Prints the profile line of a case: the counters' advance from `before`
 * to `after` over `count` rounds. */
static void print_profile(const char *name, int count,
			  const struct shim_profile *before,
			  const struct shim_profile *after) {
	printf("profile %s rounds=%d total=%lu marks=%lu mark_cost=%lu", name,
	       count, (unsigned long)(after->now - before->now),
	       (unsigned long)(after->marks - before->marks),
	       (unsigned long)after->mark_cost);
	for (int i = 0; i < SHIM_PHASE_COUNT; i++) {
		printf(" %s=%lu", phase_names[i],
		       (unsigned long)(after->cycles[i] - before->cycles[i]));
	}
	printf("\n");
}
#endif

/* Runs one case and prints its line. A case whose set-up failed passes
 * that failure in setup_failure. */
static void run_case(const char *name, enum method method,
		     const struct spawn_setup *setup,
		     const struct failure *setup_failure) {
	struct failure fail = {0, "", 0};
	int warm = warmup >= 0 ? warmup : (rounds / 10 > 0 ? rounds / 10 : 1);
	char a[32], b[32], c[32], d[32];
#ifndef BENCH_LINUX
	struct shim_profile before, after;
	int profiling = 0;
#endif

	if (skipped(name)) {
		printf("case %s skipped\n", name);
		return;
	}
	cases_run++;
	if (setup_failure != NULL) {
		report_failure(name, setup_failure);
		return;
	}
	for (int i = 0; i < warm + rounds; i++) {
		uint64_t elapsed;
#ifndef BENCH_LINUX
		if (i == warm) {
			profiling = read_profile(&before);
		}
#endif
		if (one_round(method, setup, &elapsed, &fail) != 0) {
			report_failure(name, &fail);
			return;
		}
		if (i >= warm) {
			samples[i - warm] = elapsed;
		}
	}
#ifndef BENCH_LINUX
	if (profiling && read_profile(&after)) {
		print_profile(name, rounds, &before, &after);
	}
#endif
	uint64_t sum = 0;
	for (int i = 0; i < rounds; i++) {
		sum += samples[i];
	}
	char e[32];
	qsort(samples, (size_t)rounds, sizeof samples[0], compare_u64);
	uint64_t median = rounds % 2 ? samples[rounds / 2]
				     : (samples[rounds / 2 - 1] + samples[rounds / 2]) / 2;
	/* Nearest rank: the smallest sample with at least 90% at or below. */
	int rank = (rounds * 9 + 9) / 10;
	uint64_t p90 = samples[rank - 1];
	printf("case %s median_us=%s p90_us=%s min_us=%s max_us=%s rounds=%d "
	       "mean_us=%s\n",
	       name, format_us(median, a, sizeof a), format_us(p90, b, sizeof b),
	       format_us(samples[0], c, sizeof c),
	       format_us(samples[rounds - 1], d, sizeof d), rounds,
	       format_us(sum / (uint64_t)rounds, e, sizeof e));
}

/* The cases that depend on the parent's state, for one state. */
static void run_parent_cases(const char *suffix,
			     const struct failure *setup_failure) {
	struct spawn_setup plain = {NULL, NULL, child_argv, empty_envp};
	char name[64];

	snprintf(name, sizeof name, "spawn%s", suffix);
	run_case(name, SPAWN_WAIT, &plain, setup_failure);
#ifdef BENCH_LINUX
	snprintf(name, sizeof name, "fork_exec%s", suffix);
	run_case(name, FORK_EXEC, &plain, setup_failure);
	snprintf(name, sizeof name, "vfork_exec%s", suffix);
	run_case(name, VFORK_EXEC, &plain, setup_failure);
#endif
}

static void file_action_case(const char *name, int count) {
	posix_spawn_file_actions_t actions;
	struct spawn_setup setup = {&actions, NULL, child_argv, empty_envp};
	struct failure fail = {0, "file actions", 0};
	int error = posix_spawn_file_actions_init(&actions);

	for (int k = 0; error == 0 && k < count / 2; k++) {
		error = posix_spawn_file_actions_adddup2(&actions, 2, FA_FIRST_FD + k);
		if (error == 0) {
			error = posix_spawn_file_actions_addclose(&actions, FA_FIRST_FD + k);
		}
	}
	fail.error = error;
	run_case(name, SPAWN_WAIT, &setup, error ? &fail : NULL);
	posix_spawn_file_actions_destroy(&actions);
}

/* argv and envp whose strings total `bytes` (NULs included), half each,
 * in strings of ARG_STRING_BYTES. */
static void argenv_case(const char *name, size_t bytes) {
	size_t count = bytes / 2 / ARG_STRING_BYTES;
	char **argv = calloc(count + 2, sizeof(char *));
	char **envp = calloc(count + 1, sizeof(char *));
	char *text = malloc(2 * count * ARG_STRING_BYTES);
	struct failure fail = {ENOMEM, "malloc", 0};

	if (argv == NULL || envp == NULL || text == NULL) {
		run_case(name, SPAWN_WAIT, NULL, &fail);
	} else {
		argv[0] = child_argv[0];
		for (size_t i = 0; i < 2 * count; i++) {
			char *s = text + i * ARG_STRING_BYTES;
			int n = i < count ? snprintf(s, ARG_STRING_BYTES, "arg%zu-", i)
					  : snprintf(s, ARG_STRING_BYTES, "BENCH_VAR_%zu=",
						     i - count);
			memset(s + n, 'x', ARG_STRING_BYTES - 1 - (size_t)n);
			s[ARG_STRING_BYTES - 1] = '\0';
			if (i < count) {
				argv[1 + i] = s;
			} else {
				envp[i - count] = s;
			}
		}
		struct spawn_setup setup = {NULL, NULL, argv, envp};
		run_case(name, SPAWN_WAIT, &setup, NULL);
	}
	free(text);
	free(envp);
	free(argv);
}

static void nowait_case(void) {
	posix_spawnattr_t attr;
	struct spawn_setup setup = {NULL, &attr, child_argv, empty_envp};
	struct failure fail = {0, "spawnattr", 0};
	int error = posix_spawnattr_init(&attr);
#ifndef BENCH_LINUX
	/* glibc has no such mode: there posix_spawn returns once the child
	 * has called execve, its closest equivalent. */
	if (error == 0) {
		error = posix_spawnattr_setflags(&attr, POSIX_SPAWN_NOWAIT_NP);
	}
#endif
	fail.error = error;
	run_case("spawn_nowait_return", SPAWN_RETURN, &setup, error ? &fail : NULL);
	posix_spawnattr_destroy(&attr);
}

static void memory_cases(unsigned long mib) {
	char suffix[32];
	size_t bytes = mib * MIB;
	struct failure fail = {0, "mmap", 0};
	char *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	snprintf(suffix, sizeof suffix, "_mem_%lumib", mib);
	if (memory == MAP_FAILED) {
		fail.error = errno;
		run_parent_cases(suffix, &fail);
		return;
	}
	for (size_t offset = 0; offset < bytes; offset += PAGE_BYTES) {
		memory[offset] = (char)(offset >> 12 | 1);
	}
	run_parent_cases(suffix, NULL);
	munmap(memory, bytes);
}

static void descriptor_cases(int count) {
	char suffix[32];
	int fds[1000];
	int opened = 0;
	struct failure fail = {0, "dup", 0};

	snprintf(suffix, sizeof suffix, "_fds_%d", count);
	while (opened < count) {
		int fd = dup(2);
		if (fd < 0) {
			fail.error = errno;
			break;
		}
		fds[opened++] = fd;
	}
	run_parent_cases(suffix, opened == count ? NULL : &fail);
	while (opened > 0) {
		close(fds[--opened]);
	}
}

#ifdef BENCH_LINUX
/* The TSC rate in kHz, against CLOCK_MONOTONIC_RAW over 200 ms: QEMU's
 * TCG guest TSC runs at the host's rate, and the guest kernel cannot
 * calibrate it without HPET or a PM timer (see bench/bench.py). */
static int print_tsc_khz(void) {
	unsigned lo, hi;
	uint64_t t0, t1, c0, c1;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	c0 = (uint64_t)hi << 32 | lo;
	do {
		clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
		t1 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	} while (t1 - t0 < 200000000u);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	c1 = (uint64_t)hi << 32 | lo;
	printf("%lu\n", (unsigned long)((c1 - c0) * 1000000u / (t1 - t0)));
	return 0;
}

static void print_file_info(const char *key, const char *path) {
	char line[128] = "";
	FILE *f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(line, sizeof line, f) == NULL) {
			line[0] = '\0';
		}
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	printf("info %s=%s\n", key, line[0] ? line : "unknown");
}

/* As /init: describe the clock, since the figures depend on it. */
static void linux_init_info(void) {
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) == 0) {
		print_file_info("clocksource", "/sys/devices/system/clocksource/"
				"clocksource0/current_clocksource");
		print_file_info("thp", "/sys/kernel/mm/transparent_hugepage/enabled");
	}
}

/* As /init there is nothing to return to: ask QEMU to exit. */
static void linux_power_off(int ok) {
	fflush(stdout);
	if (ioperm(DEBUG_EXIT_PORT, 1, 1) == 0) {
		outb(ok ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE, DEBUG_EXIT_PORT);
	}
	reboot(RB_POWER_OFF);
	for (;;) {
		pause();
	}
}
#endif

static int usage(void) {
	fprintf(stderr, "usage: spawn_bench [--rounds N] [--warmup N] "
			"[--child PATH] [--skip NAME,...]\n");
	return 2;
}

int main(int argc, char **argv) {
#ifdef BENCH_LINUX
	int is_init = getpid() == 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "tsc-khz") == 0) {
		return print_tsc_khz();
	}
#endif
	printf("bench start\n");
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (value == NULL) {
			return usage();
		} else if (strcmp(argv[i], "--rounds") == 0) {
			rounds = atoi(value);
		} else if (strcmp(argv[i], "--warmup") == 0) {
			warmup = atoi(value);
		} else if (strcmp(argv[i], "--child") == 0) {
			child = value;
		} else if (strcmp(argv[i], "--skip") == 0) {
			skip_list = value;
		} else {
			return usage();
		}
		i++;
	}
	if (rounds < 1) {
		return usage();
	}
	child_argv[0] = (char *)child;
	samples = malloc((size_t)rounds * sizeof samples[0]);
	if (samples == NULL) {
		printf("bench: no memory for %d samples\n", rounds);
		return 1;
	}
	printf("info system=%s rounds=%d child=%s\n", SYSTEM_NAME, rounds, child);
#ifdef BENCH_LINUX
	if (is_init) {
		linux_init_info();
	}
#endif

	run_parent_cases("", NULL);
	file_action_case("spawn_fa_8", 8);
	file_action_case("spawn_fa_64", 64);
	argenv_case("spawn_argenv_4kib", 4 * 1024);
	argenv_case("spawn_argenv_64kib", 64 * 1024);
	nowait_case();
	memory_cases(16);
	memory_cases(64);
	descriptor_cases(100);
	descriptor_cases(1000);

	printf("bench done cases=%d errors=%d\n", cases_run, cases_failed);
#ifdef BENCH_LINUX
	if (is_init) {
		linux_power_off(cases_failed == 0);
	}
#endif
	return cases_failed == 0 ? 0 : 1;
}
