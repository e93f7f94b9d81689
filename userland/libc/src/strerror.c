/*
 * strerror.c - messages for error numbers and signal numbers.
 *
 * The wording follows the descriptions in POSIX's <errno.h> and
 * <signal.h> where POSIX has the number; the Linux-only ones are described
 * in our own words. Programs should not compare these strings.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *const error_messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted function",
    [EIO] = "I/O error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Executable file format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource unavailable, try again",
    [ENOMEM] = "Not enough space",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [ENOTBLK] = "Block device required",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory or a symbolic link to a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many files open in system",
    [EMFILE] = "File descriptor value too large",
    [ENOTTY] = "Inappropriate I/O control operation",
    [ETXTBSY] = "Text file busy",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Invalid seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Mathematics argument out of domain of function",
    [ERANGE] = "Result too large",
    [EDEADLK] = "Resource deadlock would occur",
    [ENAMETOOLONG] = "Filename too long",
    [ENOLCK] = "No locks available",
    [ENOSYS] = "Function not supported",
    [ENOTEMPTY] = "Directory not empty",
    [ELOOP] = "Too many levels of symbolic links",
    [ENOMSG] = "No message of the desired type",
    [EIDRM] = "Identifier removed",
    [ECHRNG] = "Channel number out of range",
    [EL2NSYNC] = "Level 2 out of sync",
    [EL3HLT] = "Level 3 stopped",
    [EL3RST] = "Level 3 was reset",
    [ELNRNG] = "Link number beyond range",
    [EUNATCH] = "Protocol driver is not attached",
    [ENOCSI] = "No CSI structure",
    [EL2HLT] = "Level 2 stopped",
    [EBADE] = "Bad exchange",
    [EBADR] = "Bad request descriptor",
    [EXFULL] = "Exchange is full",
    [ENOANO] = "No anode available",
    [EBADRQC] = "Bad request code",
    [EBADSLT] = "Bad slot",
    [EBFONT] = "Font file has a bad format",
    [ENOSTR] = "Not a STREAM",
    [ENODATA] = "No message is available on the STREAM head read queue",
    [ETIME] = "Stream ioctl() timeout",
    [ENOSR] = "No STREAM resources",
    [ENONET] = "Host is not on the network",
    [ENOPKG] = "Package is not installed",
    [EREMOTE] = "The object is remote",
    [ENOLINK] = "Reserved (link severed)",
    [EADV] = "Advertise failure",
    [ESRMNT] = "Srmount failure",
    [ECOMM] = "Send failed: communication error",
    [EPROTO] = "Protocol error",
    [EMULTIHOP] = "Reserved (multihop)",
    [EDOTDOT] = "Remote file system error",
    [EBADMSG] = "Bad message",
    [EOVERFLOW] = "Value too large to be stored in data type",
    [ENOTUNIQ] = "Network name is not unique",
    [EBADFD] = "Descriptor is in a bad state",
    [EREMCHG] = "The remote address changed",
    [ELIBACC] = "A needed shared library cannot be accessed",
    [ELIBBAD] = "A shared library is corrupted",
    [ELIBSCN] = "Corrupted .lib section in an a.out file",
    [ELIBMAX] = "Linking too many shared libraries",
    [ELIBEXEC] = "A shared library cannot be executed directly",
    [EILSEQ] = "Illegal byte sequence",
    [ERESTART] = "Interrupted call to be restarted",
    [ESTRPIPE] = "Stream pipe failure",
    [EUSERS] = "There are too many users",
    [ENOTSOCK] = "Not a socket",
    [EDESTADDRREQ] = "Destination address required",
    [EMSGSIZE] = "Message too large",
    [EPROTOTYPE] = "Protocol wrong type for socket",
    [ENOPROTOOPT] = "Protocol not available",
    [EPROTONOSUPPORT] = "Protocol not supported",
    [ESOCKTNOSUPPORT] = "Socket type is not supported",
    [EOPNOTSUPP] = "Operation not supported",
    [EPFNOSUPPORT] = "Protocol family is not supported",
    [EAFNOSUPPORT] = "Address family not supported",
    [EADDRINUSE] = "Address in use",
    [EADDRNOTAVAIL] = "Address not available",
    [ENETDOWN] = "Network is down",
    [ENETUNREACH] = "Network unreachable",
    [ENETRESET] = "Connection aborted by network",
    [ECONNABORTED] = "Connection aborted",
    [ECONNRESET] = "Connection reset",
    [ENOBUFS] = "No buffer space available",
    [EISCONN] = "Socket is connected",
    [ENOTCONN] = "The socket is not connected",
    [ESHUTDOWN] = "Endpoint was shut down: cannot send",
    [ETOOMANYREFS] = "Too many references",
    [ETIMEDOUT] = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
    [EHOSTDOWN] = "Host is down",
    [EHOSTUNREACH] = "Host is unreachable",
    [EALREADY] = "Connection already in progress",
    [EINPROGRESS] = "Operation in progress",
    [ESTALE] = "Reserved (stale file handle)",
    [EUCLEAN] = "The structure needs cleaning",
    [ENOTNAM] = "Not a named type file",
    [ENAVAIL] = "No named semaphores are available",
    [EISNAM] = "It is a named type file",
    [EREMOTEIO] = "Remote I/O failure",
    [EDQUOT] = "Reserved (disk quota exceeded)",
    [ENOMEDIUM] = "No medium is present",
    [EMEDIUMTYPE] = "The medium has the wrong type",
    [ECANCELED] = "Operation canceled",
    [ENOKEY] = "The required key is not available",
    [EKEYEXPIRED] = "The key has expired",
    [EKEYREVOKED] = "The key was revoked",
    [EKEYREJECTED] = "The service rejected the key",
    [EOWNERDEAD] = "Previous owner died",
    [ENOTRECOVERABLE] = "State not recoverable",
    [ERFKILL] = "Not possible while RF-kill is on",
    [EHWPOISON] = "Hardware error in a memory page",
};

static const char *const signal_names[] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Terminal interrupt signal",
    [SIGQUIT] = "Terminal quit signal",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Process abort signal",
    [SIGBUS] = "Access to an undefined portion of a memory object",
    [SIGFPE] = "Erroneous arithmetic operation",
    [SIGKILL] = "Kill (cannot be caught or ignored)",
    [SIGUSR1] = "User-defined signal 1",
    [SIGSEGV] = "Invalid memory reference",
    [SIGUSR2] = "User-defined signal 2",
    [SIGPIPE] = "Write on a pipe with no one to read it",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Termination signal",
    [SIGSTKFLT] = "Coprocessor stack fault",
    [SIGCHLD] = "Child process terminated, stopped, or continued",
    [SIGCONT] = "Continue executing, if stopped",
    [SIGSTOP] = "Stop executing (cannot be caught or ignored)",
    [SIGTSTP] = "Terminal stop signal",
    [SIGTTIN] = "Background process attempting read",
    [SIGTTOU] = "Background process attempting write",
    [SIGURG] = "High bandwidth data is available at a socket",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGWINCH] = "Window size changed",
    [SIGIO] = "I/O is possible",
    [SIGPWR] = "Power is failing",
    [SIGSYS] = "Bad system call",
};

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

/* For numbers without a message; strerror's result may be overwritten by
 * the next call, as POSIX allows. */
static char unknown[40];

char *strerror(int errnum)
{
    if (errnum >= 0 && errnum < COUNT(error_messages) &&
        error_messages[errnum])
        return (char *)error_messages[errnum];
    snprintf(unknown, sizeof unknown, "Unknown error %d", errnum);
    return unknown;
}

char *strsignal(int sig)
{
    if (sig > 0 && sig < COUNT(signal_names) && signal_names[sig])
        return (char *)signal_names[sig];
    if (sig >= 32 && sig <= 64) {
        snprintf(unknown, sizeof unknown, "Real-time signal %d", sig - 32);
        return unknown;
    }
    snprintf(unknown, sizeof unknown, "Unknown signal %d", sig);
    return unknown;
}
