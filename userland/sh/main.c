/*
 * main.c - /bin/sh's entry: `sh -c STRING [NAME [ARG...]]`, `sh FILE
 * [ARG...]`, `sh` (commands from standard input); the read-parse-run
 * loop. The top of the program (README.md, "How it is organised").
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* An interactive shell's prompts (POSIX's default PS1 and PS2). */
#define PROMPT_NEW "$ "
#define PROMPT_MORE "> "
#define PROMPT_BYTES 2

/* The shell's own descriptors: what every command's map starts from. */
static struct fdmap base_fds;

/* Reads commands from a descriptor as they come: a command is run as
 * soon as it is complete, so an interactive user sees each result. */
static int run_stream(int fd)
{
    /* Static: they live across sh_abort's longjmp. */
    static struct buf input;
    static size_t done; /* input consumed by commands already run */
    static int at_eof;
    /* Where an abandoned command comes back to (state.c). */
    if (setjmp(command_loop)) {
        /* An aborted command: drop the rest of what was read, and leave
         * whatever compound command or function it was in. */
        done = input.len;
        current_fds = &base_fds;
        sh.loop_depth = sh.func_depth = sh.no_errexit = 0;
        sh.breaking = sh.continuing = sh.returning = 0;
    }
    command_loop_set = 1;
    for (;;) {
        if (!at_eof) {
            /* The prompts: PS1 for a new command, PS2 for more of one. */
            if (sh.interactive)
                out_write(2, done == input.len ? PROMPT_NEW : PROMPT_MORE,
                          PROMPT_BYTES);
            char chunk[READ_CHUNK];
            ssize_t got = read(fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                at_eof = 1;
            else
                buf_addn(&input, chunk, (size_t)got);
        }
        for (;;) {
            struct parser *p = parser_new(input.data ? input.data + done : "",
                                          input.len - done, !at_eof);
            struct node *n;
            enum parse_result r = parse_next(p, &n);
            size_t used = parser_offset(p);
            parser_free(p);
            if (r != PARSE_OK)
                break;
            done += used;
            if (n != NULL)
                run_node(n);
        }
        if (at_eof)
            return sh.status;
    }
}

static int run_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sh_error("cannot open %s: %s", path, strerror(errno));
        return STATUS_NOT_FOUND;
    }
    fd = fd_move_high(fd);
    struct buf text = {0};
    char chunk[READ_CHUNK];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            sh_error("cannot read %s: %s", path, strerror(errno));
            close(fd);
            return STATUS_SYNTAX;
        }
        buf_addn(&text, chunk, (size_t)got);
    }
    close(fd);
    char *s = buf_take(&text);
    return run_string(s);
}

static void usage(void)
{
    sh_error("usage: sh [-c STRING [NAME [ARG...]] | FILE [ARG...]]");
    exit(STATUS_SYNTAX);
}

int main(int argc, char **argv)
{
    fdmap_init(&base_fds);
    current_fds = &base_fds;
    sh.arg0 = argc > 0 ? argv[0] : "sh";
    sh.pid = getpid();
    var_import(environ);
    traps_init();
    if (var_get("IFS") == NULL)
        var_set("IFS", " \t\n", 0);

    int i = 1, initial_status = 0;
    const char *command = NULL, *preamble = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-c") == 0)
            command = "";
        else if (strcmp(argv[i], "-e") == 0)
            sh.errexit = 1;
        else if (strncmp(argv[i], STATUS_OPTION, strlen(STATUS_OPTION)) == 0)
            initial_status = atoi(argv[i] + strlen(STATUS_OPTION)) & STATUS_MASK;
        else if (strncmp(argv[i], SHELL_PID_OPTION, strlen(SHELL_PID_OPTION)) == 0)
            sh.pid = (pid_t)atol(argv[i] + strlen(SHELL_PID_OPTION));
        else if (strncmp(argv[i], PREAMBLE_OPTION, strlen(PREAMBLE_OPTION)) == 0)
            preamble = argv[i] + strlen(PREAMBLE_OPTION);
        else if (strcmp(argv[i], "-s") != 0)
            usage();
    }
    if (command != NULL) {
        if (i >= argc)
            usage();
        command = argv[i++];
        if (i < argc)
            sh.arg0 = argv[i++];
    } else if (i < argc) {
        sh.arg0 = argv[i++];
        for (; i < argc; i++)
            strv_add(&sh.params, xstrdup(argv[i]));
        exit(run_file(sh.arg0));
    }
    for (; i < argc; i++)
        strv_add(&sh.params, xstrdup(argv[i]));
    if (preamble != NULL)
        run_string(preamble);
    sh.status = initial_status;
    if (command != NULL)
        exit(run_string(command));
    sh.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
    exit(run_stream(STDIN_FILENO));
}
