/* abi_values.c - every constant, type size and struct layout the guest
 * library defines, printed as "= " lines that the runner compares with
 * the same program built against glibc: one source, same numbers. */
#include "check.h"

/* SHOW and SIGNED compare unsigned values with 0 on purpose. */
#pragma GCC diagnostic ignored "-Wtype-limits"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Values are printed as unsigned 64-bit hex after converting to the
 * value's own type, so signedness differences show up too. */
#define SHOW(name) show(#name, (long long)(name), (name) < 0)
#define SIZE(type) printf("= sizeof(%s) %zu\n", #type, sizeof(type))
#define SIGNED(type) printf("= signed(%s) %d\n", #type, (type)-1 < 0)
#define OFFSET(type, field)                                                    \
    printf("= offsetof(%s, %s) %zu size %zu\n", #type, #field,                \
           offsetof(type, field), sizeof(((type *)0)->field))

static void show(const char *name, long long value, int negative)
{
    printf("= %s %s0x%llx\n", name, negative ? "-" : "",
           negative ? 0 - (unsigned long long)value : (unsigned long long)value);
}

static void errno_values(void)
{
    SHOW(EPERM);
    SHOW(ENOENT);
    SHOW(ESRCH);
    SHOW(EINTR);
    SHOW(EIO);
    SHOW(ENXIO);
    SHOW(E2BIG);
    SHOW(ENOEXEC);
    SHOW(EBADF);
    SHOW(ECHILD);
    SHOW(EAGAIN);
    SHOW(ENOMEM);
    SHOW(EACCES);
    SHOW(EFAULT);
    SHOW(ENOTBLK);
    SHOW(EBUSY);
    SHOW(EEXIST);
    SHOW(EXDEV);
    SHOW(ENODEV);
    SHOW(ENOTDIR);
    SHOW(EISDIR);
    SHOW(EINVAL);
    SHOW(ENFILE);
    SHOW(EMFILE);
    SHOW(ENOTTY);
    SHOW(ETXTBSY);
    SHOW(EFBIG);
    SHOW(ENOSPC);
    SHOW(ESPIPE);
    SHOW(EROFS);
    SHOW(EMLINK);
    SHOW(EPIPE);
    SHOW(EDOM);
    SHOW(ERANGE);
    SHOW(EDEADLK);
    SHOW(ENAMETOOLONG);
    SHOW(ENOLCK);
    SHOW(ENOSYS);
    SHOW(ENOTEMPTY);
    SHOW(ELOOP);
    SHOW(ENOMSG);
    SHOW(EIDRM);
    SHOW(ECHRNG);
    SHOW(EL2NSYNC);
    SHOW(EL3HLT);
    SHOW(EL3RST);
    SHOW(ELNRNG);
    SHOW(EUNATCH);
    SHOW(ENOCSI);
    SHOW(EL2HLT);
    SHOW(EBADE);
    SHOW(EBADR);
    SHOW(EXFULL);
    SHOW(ENOANO);
    SHOW(EBADRQC);
    SHOW(EBADSLT);
    SHOW(EBFONT);
    SHOW(ENOSTR);
    SHOW(ENODATA);
    SHOW(ETIME);
    SHOW(ENOSR);
    SHOW(ENONET);
    SHOW(ENOPKG);
    SHOW(EREMOTE);
    SHOW(ENOLINK);
    SHOW(EADV);
    SHOW(ESRMNT);
    SHOW(ECOMM);
    SHOW(EPROTO);
    SHOW(EMULTIHOP);
    SHOW(EDOTDOT);
    SHOW(EBADMSG);
    SHOW(EOVERFLOW);
    SHOW(ENOTUNIQ);
    SHOW(EBADFD);
    SHOW(EREMCHG);
    SHOW(ELIBACC);
    SHOW(ELIBBAD);
    SHOW(ELIBSCN);
    SHOW(ELIBMAX);
    SHOW(ELIBEXEC);
    SHOW(EILSEQ);
    SHOW(ERESTART);
    SHOW(ESTRPIPE);
    SHOW(EUSERS);
    SHOW(ENOTSOCK);
    SHOW(EDESTADDRREQ);
    SHOW(EMSGSIZE);
    SHOW(EPROTOTYPE);
    SHOW(ENOPROTOOPT);
    SHOW(EPROTONOSUPPORT);
    SHOW(ESOCKTNOSUPPORT);
    SHOW(EOPNOTSUPP);
    SHOW(EPFNOSUPPORT);
    SHOW(EAFNOSUPPORT);
    SHOW(EADDRINUSE);
    SHOW(EADDRNOTAVAIL);
    SHOW(ENETDOWN);
    SHOW(ENETUNREACH);
    SHOW(ENETRESET);
    SHOW(ECONNABORTED);
    SHOW(ECONNRESET);
    SHOW(ENOBUFS);
    SHOW(EISCONN);
    SHOW(ENOTCONN);
    SHOW(ESHUTDOWN);
    SHOW(ETOOMANYREFS);
    SHOW(ETIMEDOUT);
    SHOW(ECONNREFUSED);
    SHOW(EHOSTDOWN);
    SHOW(EHOSTUNREACH);
    SHOW(EALREADY);
    SHOW(EINPROGRESS);
    SHOW(ESTALE);
    SHOW(EUCLEAN);
    SHOW(ENOTNAM);
    SHOW(ENAVAIL);
    SHOW(EISNAM);
    SHOW(EREMOTEIO);
    SHOW(EDQUOT);
    SHOW(ENOMEDIUM);
    SHOW(EMEDIUMTYPE);
    SHOW(ECANCELED);
    SHOW(ENOKEY);
    SHOW(EKEYEXPIRED);
    SHOW(EKEYREVOKED);
    SHOW(EKEYREJECTED);
    SHOW(EOWNERDEAD);
    SHOW(ENOTRECOVERABLE);
    SHOW(ERFKILL);
    SHOW(EHWPOISON);
    SHOW(EWOULDBLOCK);
    SHOW(EDEADLOCK);
    SHOW(ENOTSUP);
}

static void values_fcntl(void)
{
    SHOW(O_RDONLY);
    SHOW(O_WRONLY);
    SHOW(O_RDWR);
    SHOW(O_ACCMODE);
    SHOW(O_CREAT);
    SHOW(O_EXCL);
    SHOW(O_NOCTTY);
    SHOW(O_TRUNC);
    SHOW(O_APPEND);
    SHOW(O_NONBLOCK);
    SHOW(O_NDELAY);
    SHOW(O_DSYNC);
    SHOW(O_ASYNC);
    SHOW(O_DIRECT);
    SHOW(O_LARGEFILE);
    SHOW(O_DIRECTORY);
    SHOW(O_NOFOLLOW);
    SHOW(O_NOATIME);
    SHOW(O_CLOEXEC);
    SHOW(O_SYNC);
    SHOW(O_RSYNC);
    SHOW(O_PATH);
    SHOW(O_TMPFILE);
    SHOW(F_DUPFD);
    SHOW(F_GETFD);
    SHOW(F_SETFD);
    SHOW(F_GETFL);
    SHOW(F_SETFL);
    SHOW(F_GETLK);
    SHOW(F_SETLK);
    SHOW(F_SETLKW);
    SHOW(F_SETOWN);
    SHOW(F_GETOWN);
    SHOW(F_DUPFD_CLOEXEC);
    SHOW(FD_CLOEXEC);
    SHOW(F_RDLCK);
    SHOW(F_WRLCK);
    SHOW(F_UNLCK);
    SHOW(AT_FDCWD);
    SHOW(AT_SYMLINK_NOFOLLOW);
    SHOW(AT_REMOVEDIR);
    SHOW(AT_EACCESS);
    SHOW(AT_SYMLINK_FOLLOW);
    SHOW(SEEK_SET);
    SHOW(SEEK_CUR);
    SHOW(SEEK_END);
}

static void values_sys_stat(void)
{
    SHOW(S_IFMT);
    SHOW(S_IFSOCK);
    SHOW(S_IFLNK);
    SHOW(S_IFREG);
    SHOW(S_IFBLK);
    SHOW(S_IFDIR);
    SHOW(S_IFCHR);
    SHOW(S_IFIFO);
    SHOW(S_ISUID);
    SHOW(S_ISGID);
    SHOW(S_ISVTX);
    SHOW(S_IRWXU);
    SHOW(S_IRUSR);
    SHOW(S_IWUSR);
    SHOW(S_IXUSR);
    SHOW(S_IRWXG);
    SHOW(S_IRGRP);
    SHOW(S_IWGRP);
    SHOW(S_IXGRP);
    SHOW(S_IRWXO);
    SHOW(S_IROTH);
    SHOW(S_IWOTH);
    SHOW(S_IXOTH);
}

/* The Linux calls of <sys/syscall.h> (the SYS_shim_* calls are the
 * project's own, which glibc does not know). */
static void values_sys_syscall(void)
{
    SHOW(SYS_read);
    SHOW(SYS_write);
    SHOW(SYS_open);
    SHOW(SYS_close);
    SHOW(SYS_stat);
    SHOW(SYS_fstat);
    SHOW(SYS_lstat);
    SHOW(SYS_lseek);
    SHOW(SYS_mmap);
    SHOW(SYS_munmap);
    SHOW(SYS_brk);
    SHOW(SYS_rt_sigaction);
    SHOW(SYS_rt_sigprocmask);
    SHOW(SYS_rt_sigreturn);
    SHOW(SYS_ioctl);
    SHOW(SYS_access);
    SHOW(SYS_pipe);
    SHOW(SYS_sched_yield);
    SHOW(SYS_dup);
    SHOW(SYS_dup2);
    SHOW(SYS_pause);
    SHOW(SYS_nanosleep);
    SHOW(SYS_alarm);
    SHOW(SYS_getpid);
    SHOW(SYS_exit);
    SHOW(SYS_wait4);
    SHOW(SYS_kill);
    SHOW(SYS_fcntl);
    SHOW(SYS_fsync);
    SHOW(SYS_fdatasync);
    SHOW(SYS_truncate);
    SHOW(SYS_ftruncate);
    SHOW(SYS_getcwd);
    SHOW(SYS_chdir);
    SHOW(SYS_fchdir);
    SHOW(SYS_rename);
    SHOW(SYS_mkdir);
    SHOW(SYS_rmdir);
    SHOW(SYS_unlink);
    SHOW(SYS_chmod);
    SHOW(SYS_fchmod);
    SHOW(SYS_umask);
    SHOW(SYS_getuid);
    SHOW(SYS_getgid);
    SHOW(SYS_setuid);
    SHOW(SYS_setgid);
    SHOW(SYS_geteuid);
    SHOW(SYS_getegid);
    SHOW(SYS_setpgid);
    SHOW(SYS_getppid);
    SHOW(SYS_getpgrp);
    SHOW(SYS_setsid);
    SHOW(SYS_setreuid);
    SHOW(SYS_setregid);
    SHOW(SYS_setresuid);
    SHOW(SYS_getresuid);
    SHOW(SYS_setresgid);
    SHOW(SYS_getresgid);
    SHOW(SYS_getpgid);
    SHOW(SYS_getsid);
    SHOW(SYS_rt_sigpending);
    SHOW(SYS_rt_sigsuspend);
    SHOW(SYS_sched_setparam);
    SHOW(SYS_sched_getparam);
    SHOW(SYS_sched_setscheduler);
    SHOW(SYS_sched_getscheduler);
    SHOW(SYS_sched_get_priority_max);
    SHOW(SYS_sched_get_priority_min);
    SHOW(SYS_arch_prctl);
    SHOW(SYS_set_tid_address);
    SHOW(SYS_clock_gettime);
    SHOW(SYS_exit_group);
    SHOW(SYS_pipe2);
}

static void values_sys_wait(void)
{
    SHOW(WNOHANG);
    SHOW(WUNTRACED);
    SHOW(WSTOPPED);
    SHOW(WEXITED);
    SHOW(WCONTINUED);
    SHOW(WNOWAIT);
}

static void values_signal(void)
{
    SHOW(SIGHUP);
    SHOW(SIGINT);
    SHOW(SIGQUIT);
    SHOW(SIGILL);
    SHOW(SIGTRAP);
    SHOW(SIGABRT);
    SHOW(SIGIOT);
    SHOW(SIGBUS);
    SHOW(SIGFPE);
    SHOW(SIGKILL);
    SHOW(SIGUSR1);
    SHOW(SIGSEGV);
    SHOW(SIGUSR2);
    SHOW(SIGPIPE);
    SHOW(SIGALRM);
    SHOW(SIGTERM);
    SHOW(SIGSTKFLT);
    SHOW(SIGCHLD);
    SHOW(SIGCONT);
    SHOW(SIGSTOP);
    SHOW(SIGTSTP);
    SHOW(SIGTTIN);
    SHOW(SIGTTOU);
    SHOW(SIGURG);
    SHOW(SIGXCPU);
    SHOW(SIGXFSZ);
    SHOW(SIGVTALRM);
    SHOW(SIGPROF);
    SHOW(SIGWINCH);
    SHOW(SIGIO);
    SHOW(SIGPOLL);
    SHOW(SIGPWR);
    SHOW(SIGSYS);
    SHOW(SIGRTMIN);
    SHOW(SIGRTMAX);
    SHOW(NSIG);
    SHOW(SIG_BLOCK);
    SHOW(SIG_UNBLOCK);
    SHOW(SIG_SETMASK);
    SHOW(SA_NOCLDSTOP);
    SHOW(SA_NOCLDWAIT);
    SHOW(SA_SIGINFO);
    SHOW(SA_ONSTACK);
    SHOW(SA_RESTART);
    SHOW(SA_NODEFER);
    SHOW(SA_RESETHAND);
    SHOW(SI_USER);
    SHOW(SI_KERNEL);
    SHOW(SI_QUEUE);
    SHOW(SI_TKILL);
    SHOW(CLD_EXITED);
    SHOW(CLD_KILLED);
    SHOW(CLD_DUMPED);
    SHOW(CLD_TRAPPED);
    SHOW(CLD_STOPPED);
    SHOW(CLD_CONTINUED);
}

static void values_sched(void)
{
    SHOW(SCHED_OTHER);
    SHOW(SCHED_FIFO);
    SHOW(SCHED_RR);
    SHOW(SCHED_BATCH);
    SHOW(SCHED_IDLE);
    SHOW(SCHED_RESET_ON_FORK);
}

static void values_time(void)
{
    SHOW(CLOCK_REALTIME);
    SHOW(CLOCK_MONOTONIC);
    SHOW(CLOCK_PROCESS_CPUTIME_ID);
    SHOW(CLOCK_THREAD_CPUTIME_ID);
    SHOW(CLOCK_MONOTONIC_RAW);
    SHOW(CLOCK_REALTIME_COARSE);
    SHOW(CLOCK_MONOTONIC_COARSE);
    SHOW(CLOCK_BOOTTIME);
    SHOW(CLOCKS_PER_SEC);
}

static void values_unistd(void)
{
    SHOW(STDIN_FILENO);
    SHOW(STDOUT_FILENO);
    SHOW(STDERR_FILENO);
    SHOW(F_OK);
    SHOW(X_OK);
    SHOW(W_OK);
    SHOW(R_OK);
    SHOW(_POSIX_VERSION);
    SHOW(_POSIX_SPAWN);
    SHOW(_POSIX_PRIORITY_SCHEDULING);
    SHOW(_POSIX_JOB_CONTROL);
    SHOW(_POSIX_SAVED_IDS);
    SHOW(_SC_ARG_MAX);
    SHOW(_SC_CHILD_MAX);
    SHOW(_SC_CLK_TCK);
    SHOW(_SC_NGROUPS_MAX);
    SHOW(_SC_OPEN_MAX);
    SHOW(_SC_STREAM_MAX);
    SHOW(_SC_JOB_CONTROL);
    SHOW(_SC_SAVED_IDS);
    SHOW(_SC_PRIORITY_SCHEDULING);
    SHOW(_SC_VERSION);
    SHOW(_SC_PAGESIZE);
    SHOW(_SC_PAGE_SIZE);
    SHOW(_SC_LINE_MAX);
    SHOW(_SC_NPROCESSORS_CONF);
    SHOW(_SC_NPROCESSORS_ONLN);
    SHOW(_SC_MONOTONIC_CLOCK);
    SHOW(_SC_SPAWN);
    SHOW(_SC_HOST_NAME_MAX);
}

static void values_stdlib(void)
{
    SHOW(EXIT_SUCCESS);
    SHOW(EXIT_FAILURE);
    SHOW(RAND_MAX);
}

static void values_stdio(void)
{
    SHOW(EOF);
    SHOW(BUFSIZ);
    SHOW(FILENAME_MAX);
    SHOW(FOPEN_MAX);
    SHOW(_IOFBF);
    SHOW(_IOLBF);
    SHOW(_IONBF);
}

static void values_sys_mman(void)
{
    SHOW(PROT_NONE);
    SHOW(PROT_READ);
    SHOW(PROT_WRITE);
    SHOW(PROT_EXEC);
    SHOW(MAP_SHARED);
    SHOW(MAP_PRIVATE);
    SHOW(MAP_FIXED);
    SHOW(MAP_ANONYMOUS);
    SHOW(MAP_ANON);
}

static void values_limits(void)
{
    SHOW(CHAR_BIT);
    SHOW(SCHAR_MIN);
    SHOW(SCHAR_MAX);
    SHOW(UCHAR_MAX);
    SHOW(CHAR_MIN);
    SHOW(CHAR_MAX);
    SHOW(MB_LEN_MAX);
    SHOW(SHRT_MIN);
    SHOW(SHRT_MAX);
    SHOW(USHRT_MAX);
    SHOW(INT_MIN);
    SHOW(INT_MAX);
    SHOW(UINT_MAX);
    SHOW(LONG_MIN);
    SHOW(LONG_MAX);
    SHOW(ULONG_MAX);
    SHOW(LLONG_MIN);
    SHOW(LLONG_MAX);
    SHOW(ULLONG_MAX);
    SHOW(SSIZE_MAX);
    SHOW(LONG_BIT);
    SHOW(WORD_BIT);
    SHOW(PATH_MAX);
    SHOW(NAME_MAX);
    SHOW(PIPE_BUF);
    SHOW(LINE_MAX);
    SHOW(IOV_MAX);
    SHOW(NGROUPS_MAX);
    SHOW(HOST_NAME_MAX);
    SHOW(LOGIN_NAME_MAX);
    SHOW(RTSIG_MAX);
    SHOW(_POSIX_ARG_MAX);
    SHOW(_POSIX_CHILD_MAX);
    SHOW(_POSIX_LINK_MAX);
    SHOW(_POSIX_MAX_CANON);
    SHOW(_POSIX_MAX_INPUT);
    SHOW(_POSIX_NAME_MAX);
    SHOW(_POSIX_NGROUPS_MAX);
    SHOW(_POSIX_OPEN_MAX);
    SHOW(_POSIX_PATH_MAX);
    SHOW(_POSIX_PIPE_BUF);
    SHOW(_POSIX_SSIZE_MAX);
    SHOW(_POSIX_STREAM_MAX);
}

static void values_stdint(void)
{
    SHOW(INT8_MIN);
    SHOW(INT8_MAX);
    SHOW(UINT8_MAX);
    SHOW(INT16_MIN);
    SHOW(INT16_MAX);
    SHOW(UINT16_MAX);
    SHOW(INT32_MIN);
    SHOW(INT32_MAX);
    SHOW(UINT32_MAX);
    SHOW(INT64_MIN);
    SHOW(INT64_MAX);
    SHOW(UINT64_MAX);
    SHOW(INTPTR_MIN);
    SHOW(INTPTR_MAX);
    SHOW(UINTPTR_MAX);
    SHOW(INTMAX_MIN);
    SHOW(INTMAX_MAX);
    SHOW(UINTMAX_MAX);
    SHOW(PTRDIFF_MIN);
    SHOW(PTRDIFF_MAX);
    SHOW(SIZE_MAX);
    SHOW(SIG_ATOMIC_MIN);
    SHOW(SIG_ATOMIC_MAX);
}

static void layouts(void)
{
    SIZE(pid_t); SIGNED(pid_t);
    SIZE(uid_t); SIGNED(uid_t);
    SIZE(gid_t); SIGNED(gid_t);
    SIZE(mode_t); SIGNED(mode_t);
    SIZE(off_t); SIGNED(off_t);
    SIZE(ssize_t); SIGNED(ssize_t);
    SIZE(size_t); SIGNED(size_t);
    SIZE(dev_t); SIZE(ino_t); SIZE(nlink_t);
    SIZE(time_t); SIGNED(time_t);
    SIZE(clockid_t); SIZE(sig_atomic_t); SIZE(sigset_t);
    SIZE(struct timespec);
    OFFSET(struct timespec, tv_sec);
    OFFSET(struct timespec, tv_nsec);
    SIZE(struct stat);
    OFFSET(struct stat, st_dev);
    OFFSET(struct stat, st_ino);
    OFFSET(struct stat, st_nlink);
    OFFSET(struct stat, st_mode);
    OFFSET(struct stat, st_uid);
    OFFSET(struct stat, st_gid);
    OFFSET(struct stat, st_rdev);
    OFFSET(struct stat, st_size);
    OFFSET(struct stat, st_blksize);
    OFFSET(struct stat, st_blocks);
    OFFSET(struct stat, st_atim);
    OFFSET(struct stat, st_mtim);
    OFFSET(struct stat, st_ctim);
    SIZE(struct sched_param);
    OFFSET(struct sched_param, sched_priority);
    SIZE(struct sigaction);
    OFFSET(struct sigaction, sa_handler);
    OFFSET(struct sigaction, sa_sigaction);
    OFFSET(struct sigaction, sa_mask);
    OFFSET(struct sigaction, sa_flags);
    SIZE(siginfo_t);
    OFFSET(siginfo_t, si_signo);
    OFFSET(siginfo_t, si_errno);
    OFFSET(siginfo_t, si_code);
    OFFSET(siginfo_t, si_pid);
    OFFSET(siginfo_t, si_uid);
    OFFSET(siginfo_t, si_status);
    OFFSET(siginfo_t, si_addr);
    OFFSET(siginfo_t, si_value);
    SIZE(union sigval);
    SIZE(struct flock);
    OFFSET(struct flock, l_type);
    OFFSET(struct flock, l_whence);
    OFFSET(struct flock, l_start);
    OFFSET(struct flock, l_len);
    OFFSET(struct flock, l_pid);
    printf("= SIG_DFL %p SIG_IGN %p SIG_ERR %p\n", (void *)SIG_DFL,
           (void *)SIG_IGN, (void *)SIG_ERR);
    printf("= MAP_FAILED %p\n", MAP_FAILED);
    printf("= PRId64 %s PRIu64 %s PRIx64 %s\n", PRId64, PRIu64, PRIx64);
}

static void wait_macros(void)
{
    static const int statuses[] = {0,      1 << 8, 255 << 8, 9,     0x86,
                                   0x137f, 0xffff, 0x7f,     0x8b0, 0x0f};
    for (unsigned i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        int s = statuses[i];
        printf("= status 0x%x: exited %d code %d signaled %d sig %d core %d "
               "stopped %d stopsig %d continued %d\n",
               s, !!WIFEXITED(s), WEXITSTATUS(s), !!WIFSIGNALED(s),
               WTERMSIG(s), !!WCOREDUMP(s), !!WIFSTOPPED(s), WSTOPSIG(s),
               !!WIFCONTINUED(s));
    }
}

static void file_type_macros(void)
{
    static const unsigned modes[] = {S_IFREG | 0644, S_IFDIR | 0755,
                                     S_IFIFO, S_IFCHR, S_IFBLK, S_IFLNK,
                                     S_IFSOCK};
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        unsigned m = modes[i];
        printf("= mode 0%o: reg %d dir %d fifo %d chr %d blk %d lnk %d "
               "sock %d\n", m, !!S_ISREG(m), !!S_ISDIR(m), !!S_ISFIFO(m),
               !!S_ISCHR(m), !!S_ISBLK(m), !!S_ISLNK(m), !!S_ISSOCK(m));
    }
}

int main(void)
{
    errno_values();
    values_fcntl();
    values_sys_stat();
    values_sys_syscall();
    values_sys_wait();
    values_signal();
    values_sched();
    values_time();
    values_unistd();
    values_stdlib();
    values_stdio();
    values_sys_mman();
    values_limits();
    values_stdint();
    layouts();
    wait_macros();
    file_type_macros();
    CHECK("abi-values-printed", 1);
    return DONE();
}
