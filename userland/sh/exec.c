/*
 * exec.c - running commands: simple commands (command search, built-ins,
 * functions, programs), pipelines, lists, compound commands, background
 * jobs, subshells; and run_string, which parses and runs a text.
 *
 * No fork: a program or a child shell is started by child.c, its
 * redirections and pipe ends given as the descriptor map's file actions.
 * So a pipeline of N commands costs N spawns, whatever they are.
 *
 * run_string is the one way back up into this file from below: `eval`
 * (builtins.c) and trap commands (trap.c) are shell text the shell runs
 * itself, the language's own recursion (sh.h, README.md).
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* PATH when the variable is unset. */
#define DEFAULT_PATH "/bin:/usr/bin"

/* ---- simple commands */

/* The program a command name runs: itself when it holds a '/', else the
 * first PATH entry holding it. *status: 127 not found, 126 found but not
 * executable. NULL when there is none. */
static char *find_program(const char *name, int *status)
{
    struct stat st;
    if (strchr(name, '/') != NULL) {
        if (stat(name, &st) != 0) {
            *status = STATUS_NOT_FOUND;
            return NULL;
        }
        return xstrdup(name);
    }
    const char *path = var_get("PATH");
    if (path == NULL)
        path = DEFAULT_PATH;
    char *found_not_executable = NULL;
    for (const char *dir = path;;) {
        const char *end = strchr(dir, ':');
        size_t dlen = end ? (size_t)(end - dir) : strlen(dir);
        struct buf b = {0};
        buf_addn(&b, dlen ? dir : ".", dlen ? dlen : 1);
        buf_add(&b, '/');
        buf_adds(&b, name);
        char *full = buf_take(&b);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(full, X_OK) == 0) {
                free(found_not_executable);
                return full;
            }
            if (found_not_executable == NULL) {
                found_not_executable = full;
                full = NULL;
            }
        }
        free(full);
        if (end == NULL)
            break;
        dir = end + 1;
    }
    if (found_not_executable != NULL)
        return found_not_executable;
    *status = STATUS_NOT_FOUND;
    return NULL;
}

static void free_strv(struct strv *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* The expanded words and assignments of a simple command. */
struct expanded {
    struct strv argv;
    struct strv assigns; /* "NAME=value" */
};

static void expand_simple(struct node *n, struct expanded *x)
{
    memset(x, 0, sizeof *x);
    for (int i = 0; i < n->assigns.n; i++) {
        const char *eq = strchr(n->assigns.v[i], '=');
        char *value = expand_string(eq + 1);
        struct buf b = {0};
        buf_addn(&b, n->assigns.v[i], (size_t)(eq - n->assigns.v[i]) + 1);
        buf_adds(&b, value);
        free(value);
        strv_add(&x->assigns, buf_take(&b));
    }
    for (int i = 0; i < n->words.n; i++)
        expand_fields(n->words.v[i], &x->argv);
}

static void assign_all(struct strv *assigns)
{
    for (int i = 0; i < assigns->n; i++) {
        char *eq = strchr(assigns->v[i], '=');
        *eq = '\0';
        var_set(assigns->v[i], eq + 1, 0);
        *eq = '=';
    }
}

/* Starts an external program for an expanded simple command; the pid, or
 * -1 with *status. */
static pid_t start_program(struct expanded *x, struct fdmap *fds,
                           const struct job_attr *ja, int *status)
{
    const char *name = x->argv.v[0];
    char *path = find_program(name, status);
    if (path == NULL) {
        struct fdmap *saved = current_fds;
        current_fds = fds;
        sh_error("%s: not found", name);
        current_fds = saved;
        return -1;
    }
    char **envp = var_environ(&x->assigns);
    struct fdmap *saved = current_fds;
    current_fds = fds; /* spawn errors go to the command's stderr */
    pid_t pid = spawn_with(path, name, x->argv.v, envp, fds, ja, status);
    current_fds = saved;
    for (char **e = envp; *e; e++)
        free(*e);
    free(envp);
    free(path);
    return pid;
}

/* Whether an expanded command is run by the shell itself. */
static int runs_in_shell(const char *name)
{
    return builtin_find(name) != NULL || func_get(name) != NULL;
}

static int call_function(struct node *def, struct strv *argv)
{
    if (sh.func_depth >= MAX_FUNCTION_DEPTH) {
        sh_error("%s: function nesting deeper than %d", argv->v[0], MAX_FUNCTION_DEPTH);
        return STATUS_SYNTAX;
    }
    struct strv saved = sh.params;
    memset(&sh.params, 0, sizeof sh.params);
    for (int i = 1; i < argv->n; i++)
        strv_add(&sh.params, xstrdup(argv->v[i]));
    sh.func_depth++;
    int status = run_node(def->a);
    sh.func_depth--;
    sh.returning = 0;
    free_strv(&sh.params);
    sh.params = saved;
    return status;
}

/* A simple command in the shell (foreground). */
static int run_simple(struct node *n)
{
    struct expanded x;
    sh.subst_status = -1;
    expand_simple(n, &x);
    int subst_status = sh.subst_status < 0 ? 0 : sh.subst_status;
    struct fdmap fds;
    fdmap_copy(&fds, current_fds);
    int status;
    if (x.argv.n == 0) {
        /* Assignments alone change the shell; redirections alone are
         * performed and undone. The status is the last command
         * substitution's. */
        assign_all(&x.assigns);
        status = redirect_apply(n->redirs, &fds) < 0 ? 1 : subst_status;
        fdmap_release(&fds);
        free_strv(&x.assigns);
        return status;
    }
    if (redirect_apply(n->redirs, &fds) < 0) {
        fdmap_release(&fds);
        free_strv(&x.argv);
        free_strv(&x.assigns);
        return STATUS_SYNTAX;
    }
    const char *name = x.argv.v[0];
    builtin_fn builtin = builtin_find(name);
    struct node *def = func_get(name);
    if (builtin != NULL || def != NULL) {
        /* Assignments: permanent before a special built-in, else only for
         * the command (XCU 2.9.1). */
        struct strv saved = {0};
        int temporary = !builtin_is_special(name);
        for (int i = 0; temporary && i < x.assigns.n; i++) {
            char *eq = strchr(x.assigns.v[i], '=');
            *eq = '\0';
            const char *old = var_get(x.assigns.v[i]);
            struct buf b = {0};
            buf_adds(&b, x.assigns.v[i]);
            if (old) {
                buf_add(&b, '=');
                buf_adds(&b, old);
            }
            strv_add(&saved, buf_take(&b));
            *eq = '=';
        }
        assign_all(&x.assigns);
        struct fdmap *outer = current_fds;
        current_fds = &fds;
        if (builtin != NULL)
            status = builtin(x.argv.n, x.argv.v);
        else
            status = call_function(def, &x.argv);
        current_fds = outer;
        for (int i = 0; i < saved.n; i++) {
            char *eq = strchr(saved.v[i], '=');
            if (eq == NULL) {
                var_unset(saved.v[i]);
            } else {
                *eq = '\0';
                var_set(saved.v[i], eq + 1, 0);
            }
        }
        free_strv(&saved);
    } else {
        struct job_attr ja = {.background = 0, .pgroup = -1};
        pid_t pid = start_program(&x, &fds, &ja, &status);
        if (pid > 0)
            status = wait_pid(pid);
    }
    fdmap_release(&fds);
    free_strv(&x.argv);
    free_strv(&x.assigns);
    return status;
}

/* Starts one command of a pipeline or a background job as a child with
 * the given descriptors; returns the pid or -1 with *status. */
static pid_t start_child(struct node *n, struct fdmap *base,
                         const struct job_attr *ja, int *status)
{
    struct fdmap fds;
    fdmap_copy(&fds, base);
    pid_t pid = -1;
    if (n->kind == N_SIMPLE) {
        struct expanded x;
        expand_simple(n, &x);
        if (redirect_apply(n->redirs, &fds) < 0) {
            *status = STATUS_SYNTAX;
        } else if (x.argv.n == 0) {
            *status = 0;
        } else if (!runs_in_shell(x.argv.v[0])) {
            pid = start_program(&x, &fds, ja, status);
        } else {
            /* A built-in or function: a child shell runs "$@", already
             * expanded, the assignments in its environment. */
            pid = spawn_shell("\"$@\"", &x.argv, &x.assigns, &fds, ja, status);
        }
        free_strv(&x.argv);
        free_strv(&x.assigns);
    } else {
        if (redirect_apply(n->redirs, &fds) < 0)
            *status = STATUS_SYNTAX;
        else if (n->kind == N_SUBSHELL)
            pid = spawn_shell(n->name, NULL, NULL, &fds, ja, status);
        else
            pid = spawn_shell(n->text, NULL, NULL, &fds, ja, status);
    }
    fdmap_release(&fds);
    return pid;
}

/* set -e: a failed command ends the shell, except where POSIX ignores
 * -e (a condition, a command before && or ||, a ! pipeline) and after a
 * compound command, whose own commands were checked. */
static void check_errexit(int status)
{
    if (sh.errexit && sh.no_errexit == 0 && status != 0) {
        sh.status = status;
        exit(status);
    }
}

static int run_pipeline(struct node *n, int background)
{
    if (n->ncmds == 1 && !background) {
        struct node *cmd = n->cmds[0];
        if (n->bang)
            sh.no_errexit++;
        int status = run_node(cmd);
        if (n->bang) {
            sh.no_errexit--;
            return !status;
        }
        if (cmd->kind == N_SIMPLE || cmd->kind == N_SUBSHELL)
            check_errexit(status);
        return status;
    }
    pid_t *pids = xmalloc(n->ncmds * sizeof *pids);
    int *statuses = xmalloc(n->ncmds * sizeof *statuses);
    int in = -1;
    pid_t group = 0;
    for (int i = 0; i < n->ncmds; i++) {
        int pipefd[2] = {-1, -1};
        if (i + 1 < n->ncmds) {
            if (pipe2(pipefd, O_CLOEXEC) != 0) {
                sh_error("pipe: %s", strerror(errno));
                pids[i] = -1;
                statuses[i] = STATUS_SYNTAX;
                for (int k = i + 1; k < n->ncmds; k++)
                    pids[k] = -1, statuses[k] = STATUS_SYNTAX;
                break;
            }
            pipefd[0] = fd_move_high(pipefd[0]);
            pipefd[1] = fd_move_high(pipefd[1]);
        }
        struct fdmap fds;
        fdmap_copy(&fds, current_fds);
        if (in >= 0)
            fds.real[0] = in;
        else if (background && !sh.interactive)
            fds.real[0] = -2; /* replaced below by /dev/null */
        if (pipefd[1] >= 0)
            fds.real[1] = pipefd[1];
        int devnull = -1;
        if (fds.real[0] == -2) {
            devnull = fd_move_high(open("/dev/null", O_RDONLY | O_CLOEXEC));
            fds.real[0] = devnull;
        }
        /* Every command of the pipeline in one new process group. */
        struct job_attr ja = {.background = background, .pgroup = group};
        statuses[i] = 0;
        pids[i] = start_child(n->cmds[i], &fds, &ja, &statuses[i]);
        if (group == 0 && pids[i] > 0)
            group = pids[i];
        if (devnull >= 0)
            close(devnull);
        if (in >= 0)
            close(in);
        if (pipefd[1] >= 0)
            close(pipefd[1]);
        in = pipefd[0];
    }
    if (in >= 0)
        close(in);
    int status = 0;
    if (background) {
        for (int i = 0; i < n->ncmds; i++)
            if (pids[i] > 0)
                jobs_add(pids[i]);
        sh.last_bg = pids[n->ncmds - 1] > 0 ? pids[n->ncmds - 1] : 0;
    } else {
        for (int i = 0; i < n->ncmds; i++)
            if (pids[i] > 0)
                statuses[i] = wait_pid(pids[i]);
        status = statuses[n->ncmds - 1];
        if (n->bang)
            status = !status;
        else
            check_errexit(status);
    }
    free(pids);
    free(statuses);
    return status;
}

static int run_background(struct node *n)
{
    if (n->a->kind == N_PIPE) {
        run_pipeline(n->a, 1);
        return 0;
    }
    /* An and-or list: a child shell runs all of it. */
    struct fdmap fds;
    fdmap_copy(&fds, current_fds);
    int devnull = -1;
    if (!sh.interactive) {
        devnull = fd_move_high(open("/dev/null", O_RDONLY | O_CLOEXEC));
        fds.real[0] = devnull;
    }
    struct job_attr ja = {.background = 1, .pgroup = 0};
    int status;
    pid_t pid = spawn_shell(n->text, NULL, NULL, &fds, &ja, &status);
    if (devnull >= 0)
        close(devnull);
    if (pid > 0) {
        jobs_add(pid);
        sh.last_bg = pid;
    }
    return 0;
}

static int loop_should_stop(void)
{
    if (sh.returning)
        return 1;
    if (sh.breaking) {
        sh.breaking--;
        return 1;
    }
    if (sh.continuing) {
        if (--sh.continuing > 0)
            return 1;
    }
    return 0;
}

static int run_case(struct node *n)
{
    char *word = expand_string(n->name);
    int status = 0;
    for (struct case_item *item = n->items; item; item = item->next) {
        for (int i = 0; i < item->patterns.n; i++) {
            char *pat = expand_pattern(item->patterns.v[i]);
            int match = fnmatch(pat, word, 0) == 0;
            free(pat);
            if (match) {
                status = item->body ? run_node(item->body) : 0;
                free(word);
                return status;
            }
        }
    }
    free(word);
    return status;
}

static int run_compound(struct node *n)
{
    int status = 0;
    switch (n->kind) {
    case N_IF:
        sh.no_errexit++;
        status = run_node(n->a);
        sh.no_errexit--;
        if (status == 0)
            status = run_node(n->b);
        else if (n->c)
            status = run_node(n->c);
        else
            status = 0;
        break;
    case N_WHILE:
    case N_UNTIL:
        sh.loop_depth++;
        for (;;) {
            sh.no_errexit++;
            int cond = run_node(n->a);
            sh.no_errexit--;
            if (loop_should_stop())
                break;
            if ((cond == 0) != (n->kind == N_WHILE))
                break;
            status = run_node(n->b);
            if (loop_should_stop())
                break;
        }
        sh.loop_depth--;
        break;
    case N_FOR: {
        struct strv words = {0};
        for (int i = 0; i < n->words.n; i++)
            expand_fields(n->words.v[i], &words);
        sh.loop_depth++;
        for (int i = 0; i < words.n; i++) {
            var_set(n->name, words.v[i], 0);
            status = run_node(n->a);
            if (loop_should_stop())
                break;
        }
        sh.loop_depth--;
        free_strv(&words);
        break;
    }
    case N_CASE:
        status = run_case(n);
        break;
    case N_GROUP:
        status = run_node(n->a);
        break;
    default:
        break;
    }
    return status;
}

int run_node(struct node *n)
{
    int status = 0;
    traps_run_pending();
    if (sh.breaking || sh.continuing || sh.returning)
        return sh.status;
    switch (n->kind) {
    case N_SIMPLE:
        status = run_simple(n);
        break;
    case N_PIPE:
        status = run_pipeline(n, 0);
        break;
    case N_AND:
        sh.no_errexit++;
        status = run_node(n->a);
        sh.no_errexit--;
        if (status == 0 && !sh.breaking && !sh.continuing && !sh.returning)
            status = run_node(n->b);
        break;
    case N_OR:
        sh.no_errexit++;
        status = run_node(n->a);
        sh.no_errexit--;
        if (status != 0 && !sh.breaking && !sh.continuing && !sh.returning)
            status = run_node(n->b);
        break;
    case N_SEQ:
        run_node(n->a);
        status = run_node(n->b);
        break;
    case N_BACKGROUND:
        status = run_background(n);
        break;
    case N_FUNCDEF:
        func_set(n->name, n);
        status = 0;
        break;
    case N_SUBSHELL: {
        struct job_attr ja = {.background = 0, .pgroup = -1};
        pid_t pid = start_child(n, current_fds, &ja, &status);
        if (pid > 0)
            status = wait_pid(pid);
        break;
    }
    default: {
        /* A compound command: its redirections for the time it runs. */
        struct fdmap fds;
        fdmap_copy(&fds, current_fds);
        if (redirect_apply(n->redirs, &fds) < 0) {
            status = STATUS_SYNTAX;
        } else {
            struct fdmap *outer = current_fds;
            current_fds = &fds;
            status = run_compound(n);
            current_fds = outer;
        }
        fdmap_release(&fds);
        break;
    }
    }
    if (sh.returning || sh.breaking || sh.continuing)
        return sh.status;
    sh.status = status;
    traps_run_pending();
    return status;
}

/* Runs every command of a complete text (-c, a script file, eval, a trap
 * command), stopping where a return, break or continue unwinds. */
int run_string(const char *text)
{
    struct parser *p = parser_new(text, strlen(text), 0);
    struct node *n;
    while (parse_next(p, &n) == PARSE_OK) {
        if (n != NULL)
            run_node(n);
        if (sh.returning || sh.breaking || sh.continuing)
            break;
    }
    parser_free(p);
    return sh.status;
}
