/*
 * unistd.h - descriptors, processes, identities and directories.
 *
 * Provided: read, write, close, dup, dup2, pipe, pipe2, lseek, fsync,
 * ftruncate, unlink, rmdir, rename (in stdio.h), access, getpid, getppid,
 * getpgid, getpgrp, setpgid, getsid, setsid, getuid, geteuid, getgid,
 * getegid, setuid, setgid, seteuid, setegid (as Linux: setresuid/setresgid
 * with -1 for the ids left alone), chdir, fchdir, getcwd (a NULL buffer is
 * allocated), _exit, sysconf, isatty, sleep, usleep, pause, alarm, environ,
 * getopt (optarg, optind, opterr, optopt; argv is never permuted).
 * Not provided: fork, the exec family, pread/pwrite, links and symlinks.
 */
#ifndef _LIBC_UNISTD_H
#define _LIBC_UNISTD_H

#include <sys/_types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

#define _POSIX_VERSION 200809L
#define _POSIX_SPAWN 200809L
#define _POSIX_PRIORITY_SCHEDULING 200809L
#define _POSIX_MONOTONIC_CLOCK 200809L
#define _POSIX_JOB_CONTROL 1
#define _POSIX_SAVED_IDS 1

/* sysconf names: glibc's numbering. */
#define _SC_ARG_MAX 0
#define _SC_CHILD_MAX 1
#define _SC_CLK_TCK 2
#define _SC_NGROUPS_MAX 3
#define _SC_OPEN_MAX 4
#define _SC_STREAM_MAX 5
#define _SC_JOB_CONTROL 7
#define _SC_SAVED_IDS 8
#define _SC_PRIORITY_SCHEDULING 10
#define _SC_VERSION 29
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_LINE_MAX 43
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#define _SC_MONOTONIC_CLOCK 149
#define _SC_SPAWN 159
#define _SC_HOST_NAME_MAX 180

extern char **environ;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
int dup(int fd);
int dup2(int fd, int newfd);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
off_t lseek(int fd, off_t offset, int whence);
int fsync(int fd);
int ftruncate(int fd, off_t length);
int unlink(const char *path);
int rmdir(const char *path);
int access(const char *path, int mode);
int chown(const char *path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);
int isatty(int fd);

pid_t getpid(void);
pid_t getppid(void);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getsid(pid_t pid);
pid_t setsid(void);

uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int setuid(uid_t uid);
int setgid(gid_t gid);
int seteuid(uid_t uid);
int setegid(gid_t gid);

int chdir(const char *path);
int fchdir(int fd);
char *getcwd(char *buf, size_t size);

__attribute__((__noreturn__)) void _exit(int status);
long sysconf(int name);
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);
int pause(void);
unsigned int alarm(unsigned int seconds);

/* Option parsing (POSIX getopt): see src/getopt.c for the details. */
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);

#endif
