/*
 * builtins.c - the built-in utilities: the special ones (XCU 2.14: `:`,
 * break, continue, eval, exec, exit, export, return, set, shift, unset)
 * and the regular ones the shell runs itself (cd, echo, false, pwd,
 * read, test/[, true, wait). They write through the command's logical
 * descriptors (out_write), so their redirections never touch the shell's.
 */
#include "sh.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static int bi_true(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}

static int bi_false(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 1;
}

/* Appends one conversion of printf to `out`: measured first, so a
 * width or precision of any size is honoured (dash's printf has no limit
 * either). `spec` is built by bi_printf from the caller's format. */
static void format_piece(struct buf *out, const char *spec, ...)
{
    va_list args, again;
    va_start(args, spec);
    va_copy(again, args);
    int n = vsnprintf(NULL, 0, spec, args);
    va_end(args);
    if (n > 0) {
        char *piece = xmalloc((size_t)n + 1);
        vsnprintf(piece, (size_t)n + 1, spec, again);
        buf_adds(out, piece);
        free(piece);
    }
    va_end(again);
}

/* echo as dash and XSI have it: -n, and backslash escapes (\a \b \c \f
 * \n \r \t \v \\ \0NNN). */
static int bi_echo(int argc, char **argv)
{
    struct buf out = {0};
    int i = 1, newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        i = 2;
    }
    for (; i < argc; i++) {
        for (const char *s = argv[i]; *s; s++) {
            if (*s != '\\' || s[1] == '\0') {
                buf_add(&out, *s);
                continue;
            }
            s++;
            switch (*s) {
            case 'a': buf_add(&out, '\a'); break;
            case 'b': buf_add(&out, '\b'); break;
            case 'f': buf_add(&out, '\f'); break;
            case 'n': buf_add(&out, '\n'); break;
            case 'r': buf_add(&out, '\r'); break;
            case 't': buf_add(&out, '\t'); break;
            case 'v': buf_add(&out, '\v'); break;
            case '\\': buf_add(&out, '\\'); break;
            case 'c':
                newline = 0;
                i = argc;
                goto done;
            case '0': {
                int v = 0;
                for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
                    v = v * 8 + (*++s - '0');
                buf_add(&out, (char)v);
                break;
            }
            default:
                buf_add(&out, '\\');
                buf_add(&out, *s);
            }
        }
        if (i + 1 < argc)
            buf_add(&out, ' ');
    }
done:
    if (newline)
        buf_add(&out, '\n');
    int r = out.len ? out_write(1, out.data, out.len) : 0;
    free(out.data);
    if (r < 0) {
        sh_error("echo: write error: %s", strerror(errno));
        return 1;
    }
    return 0;
}

/* A backslash escape of printf's format or %b argument at s (after the
 * backslash); appends it and returns the characters used. */
static int printf_escape(struct buf *out, const char *s)
{
    static const char from[] = "abfnrtv\\\"", to[] = "\a\b\f\n\r\t\v\\\"";
    const char *hit = *s ? strchr(from, *s) : NULL;
    if (hit != NULL) {
        buf_add(out, to[hit - from]);
        return 1;
    }
    if (*s >= '0' && *s <= '7') {
        int v = 0, n = 0;
        for (; n < 3 && s[n] >= '0' && s[n] <= '7'; n++)
            v = v * 8 + (s[n] - '0');
        buf_add(out, (char)v);
        return n;
    }
    buf_add(out, '\\');
    return 0;
}

/* printf FORMAT [ARG...] (XCU printf): %s %b %c %d %i %o %u %x %X %%, with
 * flags, width and precision; the format is reused while arguments
 * remain. */
static int bi_printf(int argc, char **argv)
{
    if (argc < 2) {
        sh_error("printf: usage: printf format [arg ...]");
        return 2;
    }
    const char *format = argv[1];
    int arg = 2, status = 0;
    struct buf out = {0};
    do {
        int used_arg = 0;
        for (const char *f = format; *f; f++) {
            if (*f == '\\') {
                f += printf_escape(&out, f + 1);
                continue;
            }
            if (*f != '%') {
                buf_add(&out, *f);
                continue;
            }
            if (f[1] == '%') {
                buf_add(&out, '%');
                f++;
                continue;
            }
            /* The conversion's flags, width and precision, kept as given. */
            const char *start = f++;
            f += strspn(f, "-+ #0");
            f += strspn(f, "0123456789");
            if (*f == '.') {
                f++;
                f += strspn(f, "0123456789");
            }
            char conv = *f;
            if (conv == '\0' || !strchr("sbcdiouxX", conv)) {
                sh_error("printf: %%%c: invalid directive", conv ? conv : ' ');
                free(out.data);
                return 1;
            }
            const char *value = arg < argc ? argv[arg++] : NULL;
            used_arg = 1;
            char spec[NUMBER_BYTES];
            int speclen = (int)(f - start);
            if (speclen + 3 > (int)sizeof spec) {
                sh_error("printf: directive too long");
                free(out.data);
                return 1;
            }
            if (conv == 's' || conv == 'b' || conv == 'c') {
                struct buf text = {0};
                const char *v = value ? value : "";
                if (conv == 'b') {
                    for (; *v; v++)
                        if (*v == '\\')
                            v += printf_escape(&text, v + 1);
                        else
                            buf_add(&text, *v);
                } else if (conv == 'c') {
                    if (*v)
                        buf_add(&text, *v);
                } else {
                    buf_adds(&text, v);
                }
                char *t = buf_take(&text);
                snprintf(spec, sizeof spec, "%.*ss", speclen, start);
                format_piece(&out, spec, t);
                free(t);
                continue;
            }
            char *end = NULL;
            long number = 0;
            if (value != NULL && (value[0] == '\'' || value[0] == '"')) {
                number = (unsigned char)value[1];
            } else if (value != NULL && *value) {
                errno = 0;
                number = strtol(value, &end, 0);
                if (*end != '\0' || errno != 0) {
                    sh_error("printf: %s: invalid number", value);
                    status = 1;
                }
            }
            snprintf(spec, sizeof spec, "%.*sl%c", speclen, start, conv);
            format_piece(&out, spec, number);
        }
        if (!used_arg)
            break;
    } while (arg < argc);
    int r = out.len ? out_write(1, out.data, out.len) : 0;
    free(out.data);
    if (r < 0) {
        sh_error("printf: write error: %s", strerror(errno));
        return 1;
    }
    return status;
}

static int bi_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    if (dir == NULL) {
        sh_error("cd: HOME not set");
        return 1;
    }
    if (chdir(dir) != 0) {
        sh_error("cd: can't cd to %s", dir);
        return 2;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) != NULL) {
        const char *old = var_get("PWD");
        if (old)
            var_set("OLDPWD", old, 0);
        var_set("PWD", cwd, 0);
    }
    return 0;
}

static int bi_pwd(int argc, char **argv)
{
    (void)argc, (void)argv;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL) {
        sh_error("pwd: %s", strerror(errno));
        return 2;
    }
    return out_printf(1, "%s\n", cwd) < 0;
}

static int bi_exit(int argc, char **argv)
{
    if (argc > 1)
        sh.status = atoi(argv[1]) & STATUS_MASK;
    exit(sh.status);
}

static int bi_export(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-p") == 0)
            continue;
        char *eq = strchr(argv[i], '=');
        if (eq != NULL) {
            *eq = '\0';
            var_set(argv[i], eq + 1, 1);
            *eq = '=';
        } else {
            var_export(argv[i]);
        }
    }
    return 0;
}

static int bi_unset(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-')
            var_unset(argv[i]);
    return 0;
}

/* set [-e|+e] [-- ARG...]: the option -e (errexit) and the positional
 * parameters. Other options are accepted and ignored. */
static int bi_set(int argc, char **argv)
{
    int i = 1;
    while (i < argc && (argv[i][0] == '-' || argv[i][0] == '+') &&
           strcmp(argv[i], "--") != 0) {
        if (strchr(argv[i], 'e') != NULL)
            sh.errexit = argv[i][0] == '-';
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i == argc)
        return 0;
    for (int k = 0; k < sh.params.n; k++)
        free(sh.params.v[k]);
    sh.params.n = 0;
    if (sh.params.v)
        sh.params.v[0] = NULL;
    for (; i < argc; i++)
        strv_add(&sh.params, xstrdup(argv[i]));
    return 0;
}

static int bi_shift(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (n < 0 || n > sh.params.n) {
        sh_error("shift: can't shift that many");
        return 2;
    }
    for (int k = 0; k < n; k++)
        free(sh.params.v[k]);
    memmove(sh.params.v, sh.params.v + n,
            (size_t)(sh.params.n - n + 1) * sizeof *sh.params.v);
    sh.params.n -= n;
    return 0;
}

static int bi_wait(int argc, char **argv)
{
    if (argc == 1)
        return jobs_wait_all();
    int status = 0;
    for (int i = 1; i < argc; i++)
        status = jobs_wait((pid_t)atoi(argv[i]));
    return status;
}

static int bi_break(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (sh.loop_depth == 0 || n < 1)
        return 0;
    if (n > sh.loop_depth)
        n = sh.loop_depth;
    if (argv[0][0] == 'b')
        sh.breaking = n;
    else
        sh.continuing = n;
    return 0;
}

static int bi_return(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : sh.status;
    sh.status = status;
    if (sh.func_depth > 0)
        sh.returning = 1;
    return status;
}

static int bi_eval(int argc, char **argv)
{
    struct buf text = {0};
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            buf_add(&text, ' ');
        buf_adds(&text, argv[i]);
    }
    char *s = buf_take(&text);
    sh.status = 0;
    int status = run_string(s);
    free(s);
    return status;
}

/* exec [COMMAND [ARG...]]: with a command, the shell becomes it (execve,
 * its redirections made the shell's own first); without, the
 * redirections stay for the rest of the shell. */
static int bi_exec(int argc, char **argv)
{
    if (fdmap_make_permanent(current_fds) != 0)
        return STATUS_SYNTAX;
    if (argc < 2)
        return 0;
    char **envp = var_environ(NULL);
    const char *name = argv[1];
    if (strchr(name, '/') != NULL) {
        execve(name, argv + 1, envp);
    } else {
        const char *path = var_get("PATH");
        if (path == NULL)
            path = "/bin:/usr/bin";
        for (const char *dir = path;;) {
            const char *end = strchr(dir, ':');
            size_t len = end ? (size_t)(end - dir) : strlen(dir);
            struct buf full = {0};
            buf_addn(&full, len ? dir : ".", len ? len : 1);
            buf_add(&full, '/');
            buf_adds(&full, name);
            execve(full.data, argv + 1, envp);
            free(full.data);
            if (errno != ENOENT && errno != ENOTDIR)
                break;
            if (end == NULL)
                break;
            dir = end + 1;
        }
    }
    int err = errno;
    sh_error("exec: %s: %s", name, err == ENOENT ? "not found" : strerror(err));
    exit(err == ENOENT ? STATUS_NOT_FOUND : STATUS_NOT_EXECUTABLE);
}

/* read [-r] NAME...: one line from standard input, a byte at a time (so
 * nothing after the line is taken from a shared descriptor). */
static int bi_read(int argc, char **argv)
{
    int i = 1, raw = 0;
    if (i < argc && strcmp(argv[i], "-r") == 0) {
        raw = 1;
        i++;
    }
    int fd = fdmap_fd(current_fds, 0);
    struct buf line = {0};
    int got_newline = 0;
    char c;
    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (c == '\\' && !raw) {
            if (read(fd, &c, 1) != 1)
                break;
            if (c == '\n')
                continue;
        } else if (c == '\n') {
            got_newline = 1;
            break;
        }
        buf_add(&line, c);
    }
    char *s = buf_take(&line);
    const char *ifs = var_get("IFS");
    if (ifs == NULL)
        ifs = " \t\n";
    char *p = s;
    for (; i < argc; i++) {
        while (*p && strchr(ifs, *p) && strchr(" \t\n", *p))
            p++;
        char *start = p;
        if (i + 1 == argc) {
            p += strlen(p);
            while (p > start && strchr(ifs, p[-1]) && strchr(" \t\n", p[-1]))
                p--;
            *p = '\0';
        } else {
            while (*p && !strchr(ifs, *p))
                p++;
            if (*p)
                *p++ = '\0';
        }
        var_set(argv[i], start, 0);
    }
    free(s);
    return got_newline ? 0 : 1;
}

/* ---- test / [ */

static int test_unary(const char *op, const char *arg)
{
    struct stat st;
    switch (op[1]) {
    case 'n': return arg[0] != '\0';
    case 'z': return arg[0] == '\0';
    case 'e': return stat(arg, &st) == 0;
    case 'f': return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
    case 'd': return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
    case 's': return stat(arg, &st) == 0 && st.st_size > 0;
    case 'r': return access(arg, R_OK) == 0;
    case 'w': return access(arg, W_OK) == 0;
    case 'x': return access(arg, X_OK) == 0;
    case 't': return isatty(atoi(arg));
    default: return -1;
    }
}

static int test_binary(const char *a, const char *op, const char *b)
{
    if (strcmp(op, "=") == 0) return strcmp(a, b) == 0;
    if (strcmp(op, "!=") == 0) return strcmp(a, b) != 0;
    long x = atol(a), y = atol(b);
    if (strcmp(op, "-eq") == 0) return x == y;
    if (strcmp(op, "-ne") == 0) return x != y;
    if (strcmp(op, "-lt") == 0) return x < y;
    if (strcmp(op, "-le") == 0) return x <= y;
    if (strcmp(op, "-gt") == 0) return x > y;
    if (strcmp(op, "-ge") == 0) return x >= y;
    return -1;
}

static int is_binary_op(const char *s)
{
    static const char *const ops[] = {"=", "!=", "-eq", "-ne", "-lt", "-le",
                                      "-gt", "-ge", NULL};
    for (int i = 0; ops[i]; i++)
        if (strcmp(s, ops[i]) == 0)
            return 1;
    return 0;
}

/* POSIX's rules by argument count (XCU test), plus -a and -o. */
static int test_eval(int argc, char **argv)
{
    for (int i = 1; i < argc - 1; i++) {
        if (strcmp(argv[i], "-o") == 0) {
            int l = test_eval(i, argv), r = test_eval(argc - i, argv + i);
            return l < 0 || r < 0 ? -1 : l || r;
        }
    }
    for (int i = 1; i < argc - 1; i++) {
        if (strcmp(argv[i], "-a") == 0) {
            int l = test_eval(i, argv), r = test_eval(argc - i, argv + i);
            return l < 0 || r < 0 ? -1 : l && r;
        }
    }
    switch (argc - 1) {
    case 0: return 0;
    case 1: return argv[1][0] != '\0';
    case 2:
        if (strcmp(argv[1], "!") == 0)
            return argv[2][0] == '\0';
        if (argv[1][0] == '-' && argv[1][1] && !argv[1][2])
            return test_unary(argv[1], argv[2]);
        return -1;
    case 3:
        if (is_binary_op(argv[2]))
            return test_binary(argv[1], argv[2], argv[3]);
        if (strcmp(argv[1], "!") == 0) {
            int r = test_eval(argc - 1, argv + 1);
            return r < 0 ? r : !r;
        }
        return -1;
    default:
        if (strcmp(argv[1], "!") == 0) {
            int r = test_eval(argc - 1, argv + 1);
            return r < 0 ? r : !r;
        }
        return -1;
    }
}

static int bi_test(int argc, char **argv)
{
    if (strcmp(argv[0], "[") == 0) {
        if (strcmp(argv[argc - 1], "]") != 0) {
            sh_error("[: missing ]");
            return 2;
        }
        argc--;
    }
    int r = test_eval(argc, argv);
    if (r < 0) {
        sh_error("%s: syntax error", argv[0]);
        return 2;
    }
    return !r;
}

static const struct {
    const char *name;
    builtin_fn fn;
    int special;
} builtins[] = {
    {":", bi_true, 1},       {"break", bi_break, 1},   {"continue", bi_break, 1},
    {"eval", bi_eval, 1},    {"exec", bi_exec, 1},     {"exit", bi_exit, 1},
    {"export", bi_export, 1}, {"return", bi_return, 1}, {"set", bi_set, 1},
    {"shift", bi_shift, 1},  {"unset", bi_unset, 1},   {"cd", bi_cd, 0},
    {"echo", bi_echo, 0},    {"false", bi_false, 0},   {"pwd", bi_pwd, 0},
    {"read", bi_read, 0},    {"test", bi_test, 0},     {"[", bi_test, 0},
    {"true", bi_true, 0},    {"wait", bi_wait, 0},     {"trap", builtin_trap, 1},
    {"printf", bi_printf, 0},
};

builtin_fn builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].fn;
    return NULL;
}

int builtin_is_special(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].special;
    return 0;
}
