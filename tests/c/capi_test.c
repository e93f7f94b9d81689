/*
 * capi_test.c - calls every libspawn C entry point and checks its results.
 *
 * Built against libspawn/include/spawn.h and libspawn.a (crate spawn-c) by
 * tests/c_capi.py. Prints "ok NAME" or "FAIL NAME: detail" per check, then
 * "capi: N passed, N failed"; exits 0 only if every check passed. The
 * numbers in comments are items of the conformance checklist
 * (posix-spawn-semantics.md, section 9).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spawn.h>

_Static_assert(sizeof(posix_spawnattr_t) == __SPAWNATTR_SIZE, "attr size");
_Static_assert(_Alignof(posix_spawnattr_t) == __SPAWNATTR_ALIGN, "attr align");
_Static_assert(sizeof(posix_spawn_file_actions_t) == __SPAWN_FILE_ACTIONS_SIZE, "fa size");
_Static_assert(_Alignof(posix_spawn_file_actions_t) == __SPAWN_FILE_ACTIONS_ALIGN, "fa align");

static int passed, failed;

static void ok(const char *name)
{
	passed++;
	printf("ok %s\n", name);
}

static void fail(const char *name, const char *format, ...)
{
	va_list args;

	failed++;
	printf("FAIL %s: ", name);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	printf("\n");
}

/* Checks that CALL returns WANT (0 or an error number). */
#define EXPECT(name, call, want)                                              \
	do {                                                                  \
		int rc_ = (call);                                             \
		if (rc_ == (want))                                            \
			ok(name);                                             \
		else                                                          \
			fail(name, "%s returned %d, expected %d", #call, rc_, \
			     (int)(want));                                    \
	} while (0)

/* Checks a condition that is not a return code. */
#define CHECK(name, cond, ...)                  \
	do {                                    \
		if (cond)                       \
			ok(name);               \
		else                            \
			fail(name, __VA_ARGS__); \
	} while (0)

static uint64_t first_word(const sigset_t *set)
{
	uint64_t word;

	memcpy(&word, set, sizeof word);
	return word;
}

static uint64_t bit(int signal)
{
	return (uint64_t)1 << (signal - 1);
}

/* Whether NEEDLE occurs in the LEN bytes at HAYSTACK. */
static int contains(const void *haystack, size_t len, const char *needle)
{
	const unsigned char *bytes = haystack;
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(bytes + i, needle, n) == 0)
			return 1;
	return 0;
}

static void attr_defaults(void)
{
	posix_spawnattr_t attr;
	short flags = -1;
	pid_t pgroup = -1;
	sigset_t set;
	int policy = -1;
	struct sched_param param = { .sched_priority = -1 };

	EXPECT("attr_init", posix_spawnattr_init(&attr), 0);
	EXPECT("attr_default_getflags_rc", posix_spawnattr_getflags(&attr, &flags), 0);
	CHECK("attr_default_flags_are_zero", flags == 0, "flags = %d", flags); /* 1 */
	EXPECT("attr_default_getpgroup_rc", posix_spawnattr_getpgroup(&attr, &pgroup), 0);
	CHECK("attr_default_pgroup_is_zero", pgroup == 0, "pgroup = %d", (int)pgroup); /* 2 */
	sigfillset(&set);
	EXPECT("attr_default_getsigdefault_rc", posix_spawnattr_getsigdefault(&attr, &set), 0);
	CHECK("attr_default_sigdefault_is_empty", first_word(&set) == 0, /* 3 */
	      "first word = %#llx", (unsigned long long)first_word(&set));
	sigfillset(&set);
	EXPECT("attr_default_getsigmask_rc", posix_spawnattr_getsigmask(&attr, &set), 0);
	CHECK("attr_default_sigmask_is_empty", first_word(&set) == 0,
	      "first word = %#llx", (unsigned long long)first_word(&set));
	EXPECT("attr_default_getschedpolicy_rc", posix_spawnattr_getschedpolicy(&attr, &policy), 0);
	CHECK("attr_default_policy_is_sched_other", policy == SCHED_OTHER, "policy = %d", policy);
	EXPECT("attr_default_getschedparam_rc", posix_spawnattr_getschedparam(&attr, &param), 0);
	CHECK("attr_default_priority_is_zero", param.sched_priority == 0,
	      "priority = %d", param.sched_priority);
	EXPECT("attr_destroy", posix_spawnattr_destroy(&attr), 0);
}

static void attr_round_trips(void) /* 4, 5, 9 */
{
	posix_spawnattr_t attr;
	short all = POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
		    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER;
	short flags = 0;
	pid_t pgroup = 0;
	sigset_t in, out;
	int policy = 0;
	struct sched_param param = { .sched_priority = 7 };

	posix_spawnattr_init(&attr);
	EXPECT("setflags_issue7_flags", posix_spawnattr_setflags(&attr, all), 0);
	posix_spawnattr_getflags(&attr, &flags);
	CHECK("getflags_returns_issue7_flags", flags == all, "flags = %#x", flags);
	EXPECT("setflags_setsid", posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID), 0);
	posix_spawnattr_getflags(&attr, &flags);
	CHECK("getflags_returns_setsid", flags == POSIX_SPAWN_SETSID, "flags = %#x", flags);
	EXPECT("setflags_usevfork", posix_spawnattr_setflags(&attr, POSIX_SPAWN_USEVFORK), 0);

	EXPECT("setpgroup_42", posix_spawnattr_setpgroup(&attr, 42), 0);
	posix_spawnattr_getpgroup(&attr, &pgroup);
	CHECK("getpgroup_returns_42", pgroup == 42, "pgroup = %d", (int)pgroup);

	/* The sigset_t layout: bit n-1 of the first 64-bit word is signal n. */
	sigemptyset(&in);
	sigaddset(&in, SIGHUP);
	sigaddset(&in, SIGUSR1);
	sigaddset(&in, 64);
	EXPECT("setsigmask", posix_spawnattr_setsigmask(&attr, &in), 0);
	sigemptyset(&out);
	posix_spawnattr_getsigmask(&attr, &out);
	CHECK("getsigmask_returns_the_set",
	      sigismember(&out, SIGHUP) == 1 && sigismember(&out, SIGUSR1) == 1 &&
		      sigismember(&out, 64) == 1 && sigismember(&out, SIGTERM) == 0,
	      "first word = %#llx", (unsigned long long)first_word(&out));
	CHECK("sigset_first_word_is_bit_n_minus_1",
	      first_word(&out) == (bit(SIGHUP) | bit(SIGUSR1) | bit(64)),
	      "first word = %#llx", (unsigned long long)first_word(&out));

	sigemptyset(&in);
	sigaddset(&in, SIGTERM);
	EXPECT("setsigdefault", posix_spawnattr_setsigdefault(&attr, &in), 0);
	sigfillset(&out);
	posix_spawnattr_getsigdefault(&attr, &out);
	CHECK("getsigdefault_returns_the_set", first_word(&out) == bit(SIGTERM),
	      "first word = %#llx", (unsigned long long)first_word(&out));

	EXPECT("setschedpolicy_fifo", posix_spawnattr_setschedpolicy(&attr, SCHED_FIFO), 0);
	posix_spawnattr_getschedpolicy(&attr, &policy);
	CHECK("getschedpolicy_returns_fifo", policy == SCHED_FIFO, "policy = %d", policy);
	EXPECT("setschedpolicy_rr", posix_spawnattr_setschedpolicy(&attr, SCHED_RR), 0);
	posix_spawnattr_getschedpolicy(&attr, &policy);
	CHECK("getschedpolicy_returns_rr", policy == SCHED_RR, "policy = %d", policy);

	EXPECT("setschedparam", posix_spawnattr_setschedparam(&attr, &param), 0);
	param.sched_priority = 0;
	posix_spawnattr_getschedparam(&attr, &param);
	CHECK("getschedparam_returns_7", param.sched_priority == 7,
	      "priority = %d", param.sched_priority);
	posix_spawnattr_destroy(&attr);
}

static void attr_invalid_values(void) /* 6, 7, 8 */
{
	posix_spawnattr_t attr, before;
	short flags = 0;

	/* Define every byte first, so that memcmp compares defined bytes. */
	memset(&attr, 0xa5, sizeof attr);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	posix_spawnattr_setpgroup(&attr, 5);
	memcpy(&before, &attr, sizeof attr);
	EXPECT("setflags_0x4000_is_einval", posix_spawnattr_setflags(&attr, 0x4000), EINVAL);
	EXPECT("setflags_0x100_is_einval", posix_spawnattr_setflags(&attr, 0x100), EINVAL);
	EXPECT("setflags_negative_is_einval", posix_spawnattr_setflags(&attr, -1), EINVAL);
	EXPECT("setschedpolicy_12345_is_einval",
	       posix_spawnattr_setschedpolicy(&attr, 12345), EINVAL);
	EXPECT("setschedpolicy_minus_1_is_einval",
	       posix_spawnattr_setschedpolicy(&attr, -1), EINVAL);
	EXPECT("setpgroup_negative_is_einval", posix_spawnattr_setpgroup(&attr, -1), EINVAL);
	CHECK("failed_attr_setters_change_nothing", memcmp(&before, &attr, sizeof attr) == 0,
	      "object bytes changed");
	posix_spawnattr_getflags(&attr, &flags);
	CHECK("flags_kept_after_einval", flags == POSIX_SPAWN_SETSID, "flags = %#x", flags);
	posix_spawnattr_destroy(&attr);
}

/* Every attr function with a NULL, destroyed or zeroed object. */
static void attr_bad_objects(void)
{
	posix_spawnattr_t attr, zeroed;
	short flags;
	pid_t pgroup;
	sigset_t set;
	int policy;
	struct sched_param param = { 0 };
	posix_spawnattr_t *objects[3] = { NULL, &attr, &zeroed };
	const char *kinds[3] = { "null", "destroyed", "zeroed" };
	char name[96];

	sigemptyset(&set);
	posix_spawnattr_init(&attr);
	EXPECT("attr_destroy_once", posix_spawnattr_destroy(&attr), 0);
	memset(&zeroed, 0, sizeof zeroed);
	for (int i = 0; i < 3; i++) {
		posix_spawnattr_t *a = objects[i];
#define BAD(fn, call)                                                   \
	snprintf(name, sizeof name, "%s_attr_%s_is_einval", kinds[i], fn); \
	EXPECT(name, call, EINVAL)
		BAD("destroy", posix_spawnattr_destroy(a));
		BAD("getflags", posix_spawnattr_getflags(a, &flags));
		BAD("setflags", posix_spawnattr_setflags(a, 0));
		BAD("getpgroup", posix_spawnattr_getpgroup(a, &pgroup));
		BAD("setpgroup", posix_spawnattr_setpgroup(a, 0));
		BAD("getsigmask", posix_spawnattr_getsigmask(a, &set));
		BAD("setsigmask", posix_spawnattr_setsigmask(a, &set));
		BAD("getsigdefault", posix_spawnattr_getsigdefault(a, &set));
		BAD("setsigdefault", posix_spawnattr_setsigdefault(a, &set));
		BAD("getschedpolicy", posix_spawnattr_getschedpolicy(a, &policy));
		BAD("setschedpolicy", posix_spawnattr_setschedpolicy(a, SCHED_OTHER));
		BAD("getschedparam", posix_spawnattr_getschedparam(a, &param));
		BAD("setschedparam", posix_spawnattr_setschedparam(a, &param));
#undef BAD
	}
	EXPECT("attr_init_null_is_einval", posix_spawnattr_init(NULL), EINVAL);

	/* NULL value pointers on a good object. */
	posix_spawnattr_init(&attr);
	EXPECT("getflags_null_out_is_einval", posix_spawnattr_getflags(&attr, NULL), EINVAL);
	EXPECT("getpgroup_null_out_is_einval", posix_spawnattr_getpgroup(&attr, NULL), EINVAL);
	EXPECT("getsigmask_null_out_is_einval", posix_spawnattr_getsigmask(&attr, NULL), EINVAL);
	EXPECT("setsigmask_null_in_is_einval", posix_spawnattr_setsigmask(&attr, NULL), EINVAL);
	EXPECT("getsigdefault_null_out_is_einval",
	       posix_spawnattr_getsigdefault(&attr, NULL), EINVAL);
	EXPECT("setsigdefault_null_in_is_einval",
	       posix_spawnattr_setsigdefault(&attr, NULL), EINVAL);
	EXPECT("getschedpolicy_null_out_is_einval",
	       posix_spawnattr_getschedpolicy(&attr, NULL), EINVAL);
	EXPECT("getschedparam_null_out_is_einval",
	       posix_spawnattr_getschedparam(&attr, NULL), EINVAL);
	EXPECT("setschedparam_null_in_is_einval",
	       posix_spawnattr_setschedparam(&attr, NULL), EINVAL);
	EXPECT("attr_reinit_after_destroy", posix_spawnattr_init(&attr), 0);
	EXPECT("attr_usable_after_reinit", posix_spawnattr_setpgroup(&attr, 3), 0);
	posix_spawnattr_destroy(&attr);
}

static void actions_ebadf(posix_spawn_file_actions_t *fa) /* 11-19 */
{
	EXPECT("addclose_minus_1_is_ebadf", posix_spawn_file_actions_addclose(fa, -1), EBADF);
	EXPECT("addclose_minus_2_is_ebadf", posix_spawn_file_actions_addclose(fa, -2), EBADF);
	EXPECT("addclose_open_max_is_ebadf",
	       posix_spawn_file_actions_addclose(fa, SPAWN_OPEN_MAX), EBADF);
	EXPECT("addopen_minus_1_is_ebadf",
	       posix_spawn_file_actions_addopen(fa, -1, "/dev/null", 0, 0), EBADF);
	EXPECT("addopen_open_max_is_ebadf",
	       posix_spawn_file_actions_addopen(fa, SPAWN_OPEN_MAX, "/dev/null", 0, 0), EBADF);
	EXPECT("addopen_bad_fd_and_null_path_is_ebadf",
	       posix_spawn_file_actions_addopen(fa, -1, NULL, 0, 0), EBADF);
	EXPECT("adddup2_minus_1_source_is_ebadf",
	       posix_spawn_file_actions_adddup2(fa, -1, 1), EBADF);
	EXPECT("adddup2_minus_1_target_is_ebadf",
	       posix_spawn_file_actions_adddup2(fa, 1, -1), EBADF);
	EXPECT("adddup2_open_max_target_is_ebadf",
	       posix_spawn_file_actions_adddup2(fa, 1, SPAWN_OPEN_MAX), EBADF);
	EXPECT("adddup2_open_max_source_is_ebadf",
	       posix_spawn_file_actions_adddup2(fa, SPAWN_OPEN_MAX, 1), EBADF);
	EXPECT("addfchdir_minus_1_is_ebadf", posix_spawn_file_actions_addfchdir(fa, -1), EBADF);
	EXPECT("addfchdir_np_minus_1_is_ebadf",
	       posix_spawn_file_actions_addfchdir_np(fa, -1), EBADF);
	EXPECT("addclosefrom_np_minus_1_is_ebadf",
	       posix_spawn_file_actions_addclosefrom_np(fa, -1), EBADF);
}

static void actions_accepted(posix_spawn_file_actions_t *fa)
{
	EXPECT("addopen", posix_spawn_file_actions_addopen(fa, 0, "/dev/null", 0, 0), 0);
	EXPECT("addclose", posix_spawn_file_actions_addclose(fa, 1), 0);
	EXPECT("addclose_closed_fd_is_accepted", /* 20 */
	       posix_spawn_file_actions_addclose(fa, 900), 0);
	EXPECT("adddup2", posix_spawn_file_actions_adddup2(fa, 1, 2), 0);
	EXPECT("adddup2_same_fd", posix_spawn_file_actions_adddup2(fa, 3, 3), 0);
	EXPECT("addchdir", posix_spawn_file_actions_addchdir(fa, "/tmp"), 0);
	EXPECT("addchdir_np", posix_spawn_file_actions_addchdir_np(fa, "sub"), 0);
	EXPECT("addfchdir", posix_spawn_file_actions_addfchdir(fa, 3), 0);
	EXPECT("addfchdir_np", posix_spawn_file_actions_addfchdir_np(fa, 4), 0);
	EXPECT("addclosefrom_np", posix_spawn_file_actions_addclosefrom_np(fa, 3), 0);
	EXPECT("addclosefrom_np_above_open_max",
	       posix_spawn_file_actions_addclosefrom_np(fa, SPAWN_OPEN_MAX + 10), 0);
}

static void actions_paths(posix_spawn_file_actions_t *fa)
{
	static char long_path[SPAWN_PATH_MAX + 1];
	static char unterminated[SPAWN_PATH_MAX];

	memset(long_path, 'a', SPAWN_PATH_MAX);
	long_path[SPAWN_PATH_MAX] = '\0';
	EXPECT("addopen_path_max_is_enametoolong",
	       posix_spawn_file_actions_addopen(fa, 3, long_path, 0, 0), ENAMETOOLONG);
	EXPECT("addchdir_path_max_is_enametoolong",
	       posix_spawn_file_actions_addchdir(fa, long_path), ENAMETOOLONG);
	EXPECT("addchdir_np_path_max_is_enametoolong",
	       posix_spawn_file_actions_addchdir_np(fa, long_path), ENAMETOOLONG);
	/* No NUL in the first SPAWN_PATH_MAX bytes: the scan must stop there. */
	memset(unterminated, 'b', sizeof unterminated);
	EXPECT("unterminated_path_is_enametoolong",
	       posix_spawn_file_actions_addchdir(fa, unterminated), ENAMETOOLONG);
	EXPECT("addopen_null_path_is_einval",
	       posix_spawn_file_actions_addopen(fa, 3, NULL, 0, 0), EINVAL);
	EXPECT("addchdir_null_path_is_einval",
	       posix_spawn_file_actions_addchdir(fa, NULL), EINVAL);
	EXPECT("addchdir_np_null_path_is_einval",
	       posix_spawn_file_actions_addchdir_np(fa, NULL), EINVAL);
	long_path[SPAWN_PATH_MAX - 1] = '\0';
	EXPECT("addchdir_path_max_minus_1_is_accepted",
	       posix_spawn_file_actions_addchdir(fa, long_path), 0);
}

/* 21, 22: the object keeps its own copy of each path. */
static void actions_copy_paths(void)
{
	posix_spawn_file_actions_t *fa = malloc(sizeof *fa);
	char open_path[] = "/spawn-test/open-original";
	char chdir_path[] = "/spawn-test/chdir-original";

	if (fa == NULL) {
		fail("copy_paths_setup", "malloc failed");
		return;
	}
	memset(fa, 0, sizeof *fa);
	posix_spawn_file_actions_init(fa);
	posix_spawn_file_actions_addopen(fa, 3, open_path, 0, 0);
	posix_spawn_file_actions_addchdir(fa, chdir_path);
	memcpy(open_path, "/spawn-test/open-XXXXXXXX", sizeof open_path);
	memcpy(chdir_path, "/spawn-test/chdir-XXXXXXXX", sizeof chdir_path);
	CHECK("addopen_copies_the_path", contains(fa, sizeof *fa, "/spawn-test/open-original"),
	      "the original path is not in the object");
	CHECK("addchdir_copies_the_path", contains(fa, sizeof *fa, "/spawn-test/chdir-original"),
	      "the original path is not in the object");
	CHECK("overwritten_buffers_are_not_in_the_object",
	      !contains(fa, sizeof *fa, "XXXXXXXX"), "the object refers to the caller's buffer");
	posix_spawn_file_actions_destroy(fa);
	free(fa);
}

/* ENOMEM when full, with the object unchanged. */
static void actions_full(void)
{
	posix_spawn_file_actions_t *fa = malloc(sizeof *fa);
	posix_spawn_file_actions_t *before = malloc(sizeof *before);
	static char path[SPAWN_PATH_MAX];
	int rc = 0, added = 0;

	if (fa == NULL || before == NULL) {
		fail("full_setup", "malloc failed");
		free(fa);
		free(before);
		return;
	}
	/* Fill every byte first. (init leaves the unused storage undefined, so
	 * valgrind reports the memcmp below; the bytes are compared only with
	 * a copy of themselves.) */
	memset(fa, 0xa5, sizeof *fa);
	posix_spawn_file_actions_init(fa);
	while (added < SPAWN_FILE_ACTIONS_MAX &&
	       (rc = posix_spawn_file_actions_addclose(fa, 3)) == 0)
		added++;
	CHECK("capacity_is_spawn_file_actions_max", added == SPAWN_FILE_ACTIONS_MAX,
	      "added %d actions, last rc %d", added, rc);
	memcpy(before, fa, sizeof *fa);
	EXPECT("addclose_when_full_is_enomem", posix_spawn_file_actions_addclose(fa, 4), ENOMEM);
	EXPECT("addopen_when_full_is_enomem",
	       posix_spawn_file_actions_addopen(fa, 4, "/x", 0, 0), ENOMEM);
	EXPECT("adddup2_when_full_is_enomem", posix_spawn_file_actions_adddup2(fa, 4, 5), ENOMEM);
	EXPECT("addchdir_when_full_is_enomem", posix_spawn_file_actions_addchdir(fa, "/"), ENOMEM);
	EXPECT("addfchdir_when_full_is_enomem", posix_spawn_file_actions_addfchdir(fa, 4), ENOMEM);
	EXPECT("addclosefrom_np_when_full_is_enomem",
	       posix_spawn_file_actions_addclosefrom_np(fa, 4), ENOMEM);
	CHECK("full_actions_unchanged_after_enomem", memcmp(before, fa, sizeof *fa) == 0,
	      "object bytes changed");

	/* Path storage: 4 paths of 4095 bytes leave 4 bytes free. */
	posix_spawn_file_actions_init(fa);
	memset(path, 'p', SPAWN_PATH_MAX - 1);
	path[SPAWN_PATH_MAX - 1] = '\0';
	rc = 0;
	for (int i = 0; i < SPAWN_FILE_ACTIONS_PATH_BYTES / (SPAWN_PATH_MAX - 1) && rc == 0; i++)
		rc = posix_spawn_file_actions_addchdir(fa, path);
	CHECK("path_storage_holds_its_capacity", rc == 0, "rc %d", rc);
	memcpy(before, fa, sizeof *fa);
	EXPECT("path_storage_full_is_enomem",
	       posix_spawn_file_actions_addopen(fa, 3, "/abcd", 0, 0), ENOMEM);
	CHECK("path_storage_unchanged_after_enomem", memcmp(before, fa, sizeof *fa) == 0,
	      "object bytes changed");
	EXPECT("path_storage_last_bytes_usable",
	       posix_spawn_file_actions_addopen(fa, 3, "/abc", 0, 0), 0);
	posix_spawn_file_actions_destroy(fa);
	free(fa);
	free(before);
}

/* Every file actions function with a NULL, destroyed or zeroed object. */
static void actions_bad_objects(void)
{
	posix_spawn_file_actions_t *destroyed = malloc(sizeof *destroyed);
	posix_spawn_file_actions_t *zeroed = calloc(1, sizeof *zeroed);
	posix_spawn_file_actions_t *objects[3] = { NULL, destroyed, zeroed };
	const char *kinds[3] = { "null", "destroyed", "zeroed" };
	char name[96];

	if (destroyed == NULL || zeroed == NULL) {
		fail("bad_objects_setup", "malloc failed");
		free(destroyed);
		free(zeroed);
		return;
	}
	posix_spawn_file_actions_init(destroyed);
	posix_spawn_file_actions_destroy(destroyed);
	for (int i = 0; i < 3; i++) {
		posix_spawn_file_actions_t *fa = objects[i];
#define BAD(fn, call)                                                 \
	snprintf(name, sizeof name, "%s_fa_%s_is_einval", kinds[i], fn); \
	EXPECT(name, call, EINVAL)
		BAD("destroy", posix_spawn_file_actions_destroy(fa));
		BAD("addopen", posix_spawn_file_actions_addopen(fa, 1, "/x", 0, 0));
		BAD("addclose", posix_spawn_file_actions_addclose(fa, 1));
		BAD("adddup2", posix_spawn_file_actions_adddup2(fa, 1, 2));
		BAD("addchdir", posix_spawn_file_actions_addchdir(fa, "/"));
		BAD("addchdir_np", posix_spawn_file_actions_addchdir_np(fa, "/"));
		BAD("addfchdir", posix_spawn_file_actions_addfchdir(fa, 1));
		BAD("addfchdir_np", posix_spawn_file_actions_addfchdir_np(fa, 1));
		BAD("addclosefrom_np", posix_spawn_file_actions_addclosefrom_np(fa, 1));
#undef BAD
	}
	EXPECT("fa_init_null_is_einval", posix_spawn_file_actions_init(NULL), EINVAL);
	free(destroyed);
	free(zeroed);
}

static void actions_lifecycle(void) /* 23 */
{
	posix_spawn_file_actions_t *fa = malloc(sizeof *fa);

	if (fa == NULL) {
		fail("lifecycle_setup", "malloc failed");
		return;
	}
	EXPECT("fa_init", posix_spawn_file_actions_init(fa), 0);
	actions_ebadf(fa);
	actions_accepted(fa);
	actions_paths(fa);
	EXPECT("fa_destroy", posix_spawn_file_actions_destroy(fa), 0);
	EXPECT("fa_destroy_twice_is_einval", posix_spawn_file_actions_destroy(fa), EINVAL);
	EXPECT("fa_addclose_after_destroy_is_einval", posix_spawn_file_actions_addclose(fa, 1),
	       EINVAL);
	EXPECT("fa_init_again", posix_spawn_file_actions_init(fa), 0);
	EXPECT("fa_usable_after_init_again", posix_spawn_file_actions_addclose(fa, 1), 0);
	EXPECT("fa_destroy_again", posix_spawn_file_actions_destroy(fa), 0);
	free(fa);
}

int main(void)
{
	attr_defaults();
	attr_round_trips();
	attr_invalid_values();
	attr_bad_objects();
	actions_lifecycle();
	actions_copy_paths();
	actions_full();
	actions_bad_objects();
	printf("capi: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
