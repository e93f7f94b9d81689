/*
 * sh.h - the shared declarations of /bin/sh (userland/sh/README.md).
 *
 * The shell never forks: every command that is not run by the shell
 * itself is started with posix_spawn (libspawn), and redirections become
 * file actions over a map of the shell's logical descriptors (redirect.c),
 * never a change in the shell's own descriptors.
 *
 * The sections below run in the order of the files' layering, bottom
 * first: a file calls only those above its own section here, but for
 * run_string (exec.c), the one deliberate call upward (README.md, "How it
 * is organised").
 */
#ifndef SH_H
#define SH_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses POSIX gives meanings to. */
#define STATUS_SYNTAX 2        /* syntax or usage error, failed redirection */
#define STATUS_NOT_EXECUTABLE 126
#define STATUS_NOT_FOUND 127
#define STATUS_SIGNAL_BASE 128 /* + N: killed by signal N */

/* The options a child shell gets its parent's $? with, and the commands
 * that recreate its unexported variables and functions (child.c). */
#define STATUS_OPTION "--status="
#define PREAMBLE_OPTION "--preamble="
/* ... and the shell's $$, which a subshell keeps (XCU 2.5.2). */
#define SHELL_PID_OPTION "--shell-pid="

/* An exit status is the low 8 bits of exit's argument. */
#define STATUS_MASK 0xff
/* Room for a number formatted in decimal (a long, with sign and NUL). */
#define NUMBER_BYTES 32
/* Bytes read from a descriptor at a time (input, command substitution). */
#define READ_CHUNK 4096

/* Logical descriptors a redirection can name: 0..9 (POSIX's minimum). */
#define LOGICAL_FDS 10
/* Function calls nested at most this deep: deeper is an error (status 2),
 * not a crash when the C stack runs out (dash stops at 1000 too). */
#define MAX_FUNCTION_DEPTH 1000

/* ---- memory (memory.c): allocation that reports ENOMEM as an sh: error
 * and abandons the command, so it never returns NULL */
void *xmalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* ---- growing containers (buf.c) */
/* A growing string. */
struct buf {
    char *data;
    size_t len, cap;
};
void buf_add(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_addn(struct buf *b, const char *s, size_t n);
char *buf_take(struct buf *b); /* the string (never NULL), buffer emptied */

/* A growing NULL-terminated array of strings. */
struct strv {
    char **v;
    int n, cap;
};
void strv_add(struct strv *s, char *str);

/* ---- the shell's state (state.c) */
/* The shell's state that every part reads. */
struct shell {
    char *arg0;
    struct strv params; /* $1... */
    int status;         /* $? */
    pid_t pid;          /* $$ */
    int subst_status;   /* the last command substitution's, -1: none */
    pid_t last_bg;      /* $! (0: none) */
    int interactive;
    int loop_depth;
    int breaking, continuing; /* pending break/continue levels */
    int returning;            /* a return is unwinding a function */
    int func_depth;
    int errexit;     /* set -e */
    int no_errexit;  /* > 0 while -e is ignored: conditions, && || left sides */
};
extern struct shell sh;

/* Where a command that cannot go on (sh_abort, out of memory) goes: the
 * command loop of an interactive shell, which sets it (main.c); else
 * the shell exits. $? is STATUS_SYNTAX either way. */
extern jmp_buf command_loop;
extern int command_loop_set;
void command_abandon(void) __attribute__((noreturn));

/* ---- descriptors (fdmap.c) */
/* The logical descriptors 0..9 of a command: real[i] is the shell's
 * descriptor that becomes i in a child (-1: closed). The shell's own
 * 0..9 never change but through `exec`; what it opens goes to 10 up. */
struct fdmap {
    int real[LOGICAL_FDS];
    int opened[LOGICAL_FDS * 2]; /* descriptors to close when done */
    int nopened;
};
extern struct fdmap *current_fds;
void fdmap_init(struct fdmap *m);
void fdmap_copy(struct fdmap *dst, const struct fdmap *src);
void fdmap_release(struct fdmap *m); /* closes what it opened */
int fdmap_fd(const struct fdmap *m, int logical); /* the real fd, or -1 */
/* The file actions that make a child's 0..9 what the map says. */
int fdmap_actions(struct fdmap *m, void *actions, int *scratch, int *nscratch);
/* Where the shell's own descriptors go: above the logical ones. */
#define FIRST_PRIVATE_FD LOGICAL_FDS
/* Moves a descriptor above the logical range, close-on-exec. */
int fd_move_high(int fd);

/* Output of the shell and its built-ins, through current_fds. */
int out_write(int logical, const char *s, size_t n);
int out_printf(int logical, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- errors (errors.c) */
/* Prints "sh: MESSAGE" on the shell's logical standard error. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A fatal error of the current command (syntax, expansion): reported,
 * then the command is abandoned (command_abandon). */
void sh_abort(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* ---- variables (vars.c) */
const char *var_get(const char *name);
void var_set(const char *name, const char *value, int export);
void var_unset(const char *name);
void var_export(const char *name);
int var_is_name(const char *s, size_t len);
char **var_environ(struct strv *extra); /* exported vars + "NAME=v" extras */
void var_import(char **envp);
void var_preamble(struct buf *out); /* non-exported vars as assignments */
struct node *func_get(const char *name);
void func_set(const char *name, struct node *def);
void func_preamble(struct buf *out);

/* ---- syntax (parse.c) */
enum redir_kind {
    R_IN,      /* <  */
    R_OUT,     /* >, >| */
    R_APPEND,  /* >> */
    R_RDWR,    /* <> */
    R_DUP,     /* n<&m, n>&m, n>&- */
    R_HEREDOC, /* <<, <<- */
};

struct redir {
    enum redir_kind kind;
    int fd;
    char *word;  /* the target word, or the here-document's body */
    int quoted;  /* here-document with a quoted delimiter: no expansion */
    struct redir *next;
    struct redir *pending; /* the parser's queue of here-documents */
};

enum node_kind {
    N_SIMPLE, N_PIPE, N_AND, N_OR, N_SEQ, N_BACKGROUND, N_IF, N_WHILE,
    N_UNTIL, N_FOR, N_CASE, N_SUBSHELL, N_GROUP, N_FUNCDEF,
};

struct case_item {
    struct strv patterns;
    struct node *body;
    struct case_item *next;
};

struct node {
    enum node_kind kind;
    struct node *a, *b, *c;  /* children: list/cond, then/body, else */
    struct strv words;       /* simple: arguments; for: the word list */
    struct strv assigns;     /* simple: NAME=value words */
    struct redir *redirs;
    char *name;              /* for: variable; funcdef: function name;
                                subshell: the text inside ( ) */
    struct case_item *items; /* case */
    struct node **cmds;      /* pipeline */
    int ncmds, bang;
    char *text;              /* source text, to run it in a child shell */
};

/* A parser over a buffer. `more` is nonzero when more input may follow
 * the buffer (then running out of input mid-command is "incomplete"). */
struct parser;
enum parse_result { PARSE_OK, PARSE_EOF, PARSE_INCOMPLETE };
struct parser *parser_new(const char *src, size_t len, int more);
void parser_free(struct parser *p);
/* Parses one complete command (up to a newline) into *out (NULL for an
 * empty line). A syntax error is sh_abort'ed. */
enum parse_result parse_next(struct parser *p, struct node **out);
size_t parser_offset(struct parser *p);

/* ---- arithmetic (arith.c) */
long arith_eval(const char *expr);

/* ---- expansion (expand.c) */
/* Expands a word into fields (parameter, command, arithmetic expansion,
 * field splitting, pathname expansion, quote removal). */
void expand_fields(const char *word, struct strv *out);
/* Expands a word into one string (no splitting, no pathname expansion):
 * assignments, redirection targets, the case word. */
char *expand_string(const char *word);
/* A case pattern: expanded, quoted characters escaped for fnmatch. */
char *expand_pattern(const char *word);
/* A here-document body: parameter, command and arithmetic expansion. */
char *expand_heredoc(const char *body);

/* ---- children (child.c) */
/* How a child is started. */
struct job_attr {
    int background; /* SIGINT and SIGQUIT ignored (non-interactive shell) */
    pid_t pgroup;   /* -1: the shell's group; 0: a new one; else join */
};
/* Spawns `path` with `argv` and `envp`, its descriptors from `fds`; the
 * pid, or -1 with *status (126, 127) after an sh: error naming `name`. */
pid_t spawn_with(const char *path, const char *name, char **argv,
                 char **envp, struct fdmap *fds, const struct job_attr *ja,
                 int *status);
/* A child shell running `text`; `args` its positional parameters (NULL:
 * the shell's own), `env_extra` NAME=value words for its environment. */
pid_t spawn_shell(const char *text, struct strv *args,
                  struct strv *env_extra, struct fdmap *fds,
                  const struct job_attr *ja, int *status);
/* Runs `text` in a child shell with standard output captured (command
 * substitution); sets sh.subst_status. */
char *run_capture(const char *text);
int wait_status(int raw); /* a wait status as $? */
int wait_pid(pid_t pid);  /* waits (EINTR retried); $? of the child */
/* Known background jobs, for `wait`. */
void jobs_add(pid_t pid);
int jobs_wait_all(void);
int jobs_wait(pid_t pid);

/* ---- redirections (redirect.c) */
/* Applies redirections to a map (opening files in the shell, close-on-
 * exec, above 9); -1 after reporting an error. */
int redirect_apply(struct redir *r, struct fdmap *m);
/* Makes the map the shell's own 0..9 (exec with only redirections). */
int fdmap_make_permanent(struct fdmap *m);

/* ---- traps (trap.c) */
int builtin_trap(int argc, char **argv);
void traps_run_pending(void); /* the commands of signals caught since */
void traps_init(void);        /* the EXIT trap runs when the shell exits */

/* ---- built-ins (builtins.c) */
typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn builtin_find(const char *name);
int builtin_is_special(const char *name);

/* ---- execution (exec.c) */
int run_node(struct node *n);
/* Parses and runs every command of a complete text (-c, a script file,
 * --preamble). The one call from below into exec.c: `eval` (builtins.c)
 * and trap commands (trap.c) are shell text the shell runs itself, so
 * running commands and those two recurse into each other, as the
 * language does. Nothing else below calls up. */
int run_string(const char *text);

#endif
