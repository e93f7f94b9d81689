/*
 * getopt.c - POSIX command-line option parsing.
 *
 * Scans argv from optind: each element that starts with '-' and is more
 * than "-" holds one or more option characters ("-ab" is "-a -b"). An
 * option followed by ':' in optstring takes an argument, the rest of the
 * same element ("-ofile") or else the next element ("-o file"). Parsing
 * stops at the first operand, at "--" (which is skipped) or at the end.
 *
 * argv is never reordered (glibc permutes operands to the end unless
 * POSIXLY_CORRECT is set or optstring starts with '+'; this library always
 * behaves as POSIX says). A leading '+' or '-' in optstring is accepted and
 * ignored, so optstrings written for glibc parse the same way here as
 * glibc parses them with '+'. A ':' first (after any '+'/'-') makes getopt
 * quiet and report a missing argument as ':' instead of '?'.
 *
 * Setting optind to 1 (or 0, as glibc allows) restarts the scan.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1;
int opterr = 1;
int optopt;

/* The next option character inside argv[optind] when a grouped element
 * such as "-abc" is half read; NULL between elements. */
static const char *next_in_group;
/* The optind value that next_in_group belongs to: a caller that changes
 * optind (to restart, or to skip elements) abandons the group. */
static int group_index;

/* The optstring without its mode prefixes; *quiet is set by a ':'. */
static const char *option_letters(const char *optstring, int *quiet)
{
    while (*optstring == '+' || *optstring == '-')
        optstring++;
    *quiet = *optstring == ':';
    return *quiet ? optstring + 1 : optstring;
}

/* Moves to the next element once the current group is used up. */
static void finish_element(void)
{
    if (next_in_group != NULL && *next_in_group == '\0') {
        next_in_group = NULL;
        optind++;
    }
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    int quiet;
    const char *letters = option_letters(optstring, &quiet);

    if (optind == 0)
        optind = 1;
    if (next_in_group != NULL && group_index != optind)
        next_in_group = NULL;
    optarg = NULL;
    if (next_in_group == NULL) {
        if (optind >= argc || argv[optind] == NULL)
            return -1;
        const char *element = argv[optind];
        if (element[0] != '-' || element[1] == '\0')
            return -1; /* an operand, or "-" (standard input, by convention) */
        if (strcmp(element, "--") == 0) {
            optind++;
            return -1;
        }
        next_in_group = element + 1;
        group_index = optind;
    }

    int letter = (unsigned char)*next_in_group++;
    const char *spec = letter == ':' ? NULL : strchr(letters, letter);
    if (spec == NULL) {
        optopt = letter;
        if (opterr && !quiet)
            fprintf(stderr, "%s: unknown option -- %c\n", argv[0], letter);
        finish_element();
        return '?';
    }
    if (spec[1] != ':') {
        finish_element();
        return letter;
    }
    /* The option takes an argument: the rest of this element, or the next. */
    if (*next_in_group != '\0') {
        optarg = (char *)next_in_group;
        optind++;
    } else if (optind + 1 < argc) {
        optarg = argv[optind + 1];
        optind += 2;
    } else {
        next_in_group = NULL;
        optind++;
        optopt = letter;
        if (quiet)
            return ':';
        if (opterr)
            fprintf(stderr, "%s: option -%c needs an argument\n", argv[0], letter);
        return '?';
    }
    next_in_group = NULL;
    return letter;
}
