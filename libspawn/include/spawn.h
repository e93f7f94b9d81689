/*
 * spawn.h - libspawn's posix_spawn interface (POSIX.1-2024 <spawn.h>).
 *
 * Written by hand to match libspawn/src/capi.rs and libspawn/src/abi.rs;
 * libspawn/tests/header.rs fails when the two drift apart (function names,
 * every #define value, the opaque object sizes).
 *
 * The objects are opaque and hold everything in place: no function here
 * allocates, so init never fails with ENOMEM and an object may live on the
 * stack. Every function returns 0 or an error number (Linux numbering).
 * A NULL, destroyed or never-initialized object gives EINVAL.
 *
 * sigset_t: libspawn reads and writes only the first 64-bit word, with
 * bit n-1 standing for signal n (the Linux and glibc layout); signals are
 * 1..64. struct sched_param: only sched_priority, its first member.
 *
 * sigset_t is a POSIX type: on glibc, request POSIX (for example with
 * _POSIX_C_SOURCE) when compiling with a strict -std=c11.
 */
#ifndef _LIBSPAWN_SPAWN_H
#define _LIBSPAWN_SPAWN_H

#include <sys/types.h>
#include <signal.h>
#include <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__cplusplus)
#define __SPAWN_RESTRICT __restrict
#define __SPAWN_ALIGNAS(n) alignas(n)
#else
#define __SPAWN_RESTRICT restrict
#define __SPAWN_ALIGNAS(n) _Alignas(n)
#endif

/* Flags for posix_spawnattr_setflags (Linux and musl values). */
#define POSIX_SPAWN_RESETIDS 0x01
#define POSIX_SPAWN_SETPGROUP 0x02
#define POSIX_SPAWN_SETSIGDEF 0x04
#define POSIX_SPAWN_SETSIGMASK 0x08
#define POSIX_SPAWN_SETSCHEDPARAM 0x10
#define POSIX_SPAWN_SETSCHEDULER 0x20
/* Accepted and ignored, as glibc and musl do. */
#define POSIX_SPAWN_USEVFORK 0x40
#define POSIX_SPAWN_SETSID 0x80
/* Extension: posix_spawn returns once the child exists, without waiting for
 * its image to load; later failures show only as exit status 127. */
#define POSIX_SPAWN_NOWAIT_NP 0x200

/* Capacity of a posix_spawn_file_actions_t: actions, and bytes of paths
 * (each path is stored without its NUL). A full object gives ENOMEM. */
#define SPAWN_FILE_ACTIONS_MAX 64
#define SPAWN_FILE_ACTIONS_PATH_BYTES 16384

/* Descriptors are 0..SPAWN_OPEN_MAX-1: addopen, addclose, adddup2 and
 * addfchdir give EBADF outside that range. A path of SPAWN_PATH_MAX bytes
 * or more (without its NUL) gives ENAMETOOLONG. */
#define SPAWN_OPEN_MAX 1024
#define SPAWN_PATH_MAX 4096

/* Size and alignment of the opaque objects (part of the ABI). */
#define __SPAWNATTR_SIZE 64
#define __SPAWNATTR_ALIGN 8
#define __SPAWN_FILE_ACTIONS_SIZE 18432
#define __SPAWN_FILE_ACTIONS_ALIGN 8

typedef struct {
	__SPAWN_ALIGNAS(__SPAWNATTR_ALIGN) unsigned char __opaque[__SPAWNATTR_SIZE];
} posix_spawnattr_t;

typedef struct {
	__SPAWN_ALIGNAS(__SPAWN_FILE_ACTIONS_ALIGN) unsigned char __opaque[__SPAWN_FILE_ACTIONS_SIZE];
} posix_spawn_file_actions_t;

/* Implemented by the C library that links libspawn, not by libspawn.
 * (POSIX writes argv and envp as "char *const argv[restrict]", which is
 * the same parameter type.) */
int posix_spawn(pid_t *__SPAWN_RESTRICT pid, const char *__SPAWN_RESTRICT path,
		const posix_spawn_file_actions_t *__SPAWN_RESTRICT file_actions,
		const posix_spawnattr_t *__SPAWN_RESTRICT attrp,
		char *const *__SPAWN_RESTRICT argv, char *const *__SPAWN_RESTRICT envp);
int posix_spawnp(pid_t *__SPAWN_RESTRICT pid, const char *__SPAWN_RESTRICT file,
		const posix_spawn_file_actions_t *__SPAWN_RESTRICT file_actions,
		const posix_spawnattr_t *__SPAWN_RESTRICT attrp,
		char *const *__SPAWN_RESTRICT argv, char *const *__SPAWN_RESTRICT envp);

/* Attribute objects. */
int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_getflags(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		short *__SPAWN_RESTRICT flags);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getpgroup(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		pid_t *__SPAWN_RESTRICT pgroup);
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawnattr_getsigmask(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		sigset_t *__SPAWN_RESTRICT sigmask);
int posix_spawnattr_setsigmask(posix_spawnattr_t *__SPAWN_RESTRICT attr,
		const sigset_t *__SPAWN_RESTRICT sigmask);
int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		sigset_t *__SPAWN_RESTRICT sigdefault);
int posix_spawnattr_setsigdefault(posix_spawnattr_t *__SPAWN_RESTRICT attr,
		const sigset_t *__SPAWN_RESTRICT sigdefault);
int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		int *__SPAWN_RESTRICT schedpolicy);
int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attr, int schedpolicy);
int posix_spawnattr_getschedparam(const posix_spawnattr_t *__SPAWN_RESTRICT attr,
		struct sched_param *__SPAWN_RESTRICT schedparam);
int posix_spawnattr_setschedparam(posix_spawnattr_t *__SPAWN_RESTRICT attr,
		const struct sched_param *__SPAWN_RESTRICT schedparam);

/* File action objects. */
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__SPAWN_RESTRICT file_actions,
		int fildes, const char *__SPAWN_RESTRICT path, int oflag, mode_t mode);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *file_actions, int fildes);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *file_actions, int fildes,
		int newfildes);
int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *__SPAWN_RESTRICT file_actions,
		const char *__SPAWN_RESTRICT path);
int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *file_actions, int fildes);

/* Extensions: the names glibc and musl used before POSIX.1-2024, and
 * closefrom (glibc 2.34, FreeBSD): close every descriptor >= fildes. */
int posix_spawn_file_actions_addchdir_np(
		posix_spawn_file_actions_t *__SPAWN_RESTRICT file_actions,
		const char *__SPAWN_RESTRICT path);
int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *file_actions, int fildes);
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *file_actions,
		int fildes);

#ifdef __cplusplus
}
#endif

#endif /* _LIBSPAWN_SPAWN_H */
