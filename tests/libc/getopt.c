/* getopt.c - POSIX option parsing, compared with glibc. Every optstring
 * starts with '+' where an operand comes before an option, so glibc does
 * not permute argv (this library never does). */
#include "check.h"

#include <unistd.h>

/* Parses argv (NULL-terminated) with optstring from a fresh start and
 * prints one "= " line per getopt result, which the runner compares with
 * glibc's: the letter, its argument, optind and optopt. */
static void parse(const char *label, const char *optstring, char **argv)
{
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    /* 0, not 1: glibc reads the optstring's '+' only when it starts over,
     * and it starts over only at optind 0 (this library treats 0 as 1). */
    optind = 0;
    opterr = 0;
    int c;
    char line[256];
    size_t used = (size_t)snprintf(line, sizeof line, "= %s:", label);
    while ((c = getopt(argc, argv, optstring)) != -1 && used < sizeof line) {
        used += (size_t)snprintf(line + used, sizeof line - used, " %c", c);
        if (optarg != NULL && used < sizeof line)
            used += (size_t)snprintf(line + used, sizeof line - used, "[%s]", optarg);
        if ((c == '?' || c == ':') && used < sizeof line)
            used += (size_t)snprintf(line + used, sizeof line - used, "(optopt %c)", optopt);
    }
    if (used < sizeof line)
        snprintf(line + used, sizeof line - used, " end optind %d", optind);
    printf("%s\n", line);
}

int main(void)
{
    char *simple[] = {"prog", "-a", "-b", "operand", NULL};
    parse("simple", "ab", simple);
    char *grouped[] = {"prog", "-ab", "-c", NULL};
    parse("grouped", "abc", grouped);
    char *attached[] = {"prog", "-ofile", "-v", NULL};
    parse("attached-argument", "o:v", attached);
    char *separate[] = {"prog", "-o", "file", "-v", "rest", NULL};
    parse("separate-argument", "o:v", separate);
    char *in_group[] = {"prog", "-vofile", "x", NULL};
    parse("argument-ends-group", "o:v", in_group);
    char *dashdash[] = {"prog", "-a", "--", "-b", NULL};
    parse("double-dash-ends", "ab", dashdash);
    char *lone[] = {"prog", "-a", "-", "-b", NULL};
    parse("lone-dash-is-operand", "+ab", lone);
    char *unknown[] = {"prog", "-x", "-a", NULL};
    parse("unknown-option", "a", unknown);
    char *missing[] = {"prog", "-a", "-o", NULL};
    parse("missing-argument", "ao:", missing);
    parse("missing-argument-quiet", ":ao:", missing);
    char *operand_first[] = {"prog", "file", "-a", NULL};
    parse("operand-first-stops", "+a", operand_first);
    char *dash_argument[] = {"prog", "-o", "-a", NULL};
    parse("argument-may-start-with-dash", "ao:", dash_argument);
    char *colon[] = {"prog", "-:", NULL};
    parse("colon-is-not-an-option", "a:", colon);
    char *none[] = {"prog", NULL};
    parse("no-arguments", "a", none);

    /* Restart by setting optind back to 1 after a complete scan. */
    char *again[] = {"prog", "-a", NULL};
    optind = 1;
    CHECK_INT("first-scan", getopt(2, again, "a"), 'a');
    CHECK_INT("first-scan-end", getopt(2, again, "a"), -1);
    optind = 1;
    CHECK_INT("restart-with-optind-1", getopt(2, again, "a"), 'a');
    CHECK_INT("optind-after-restart", optind, 2);

    /* opterr = 0 keeps getopt quiet; the result is still '?'. */
    char *bad[] = {"prog", "-z", NULL};
    optind = 1;
    opterr = 0;
    CHECK_INT("unknown-is-question-mark", getopt(2, bad, "a"), '?');
    CHECK_INT("unknown-sets-optopt", optopt, 'z');
    return DONE();
}
