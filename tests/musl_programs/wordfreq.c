/* wordfreq - counts words written to a temporary file, read back with
 * getline, sorted with qsort; then passes the report through a pipe. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct word {
    char text[32];
    int count;
};

static struct word words[256];
static int nwords;

static const char *const text[] = {
    "the quick brown fox jumps over the lazy dog",
    "The dog sleeps; the fox runs.",
    "",
    "a fox, a dog, and THE end",
};

static void add(const char *token)
{
    for (int i = 0; i < nwords; i++) {
        if (strcmp(words[i].text, token) == 0) {
            words[i].count++;
            return;
        }
    }
    snprintf(words[nwords].text, sizeof words[nwords].text, "%s", token);
    words[nwords++].count = 1;
}

static int by_count_then_name(const void *a, const void *b)
{
    const struct word *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->text, y->text);
}

int main(void)
{
    char path[] = "/tmp/wordfreq-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return perror("mkstemp"), 1;
    FILE *out = fdopen(fd, "w");
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        fprintf(out, "%s\n", text[i]);
    fclose(out);

    FILE *in = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lines = 0;
    while ((len = getline(&line, &cap, in)) != -1) {
        lines++;
        printf("line %d: %zd bytes\n", lines, len);
        for (char *p = line; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        for (char *tok = strtok(line, " ,;.\n"); tok; tok = strtok(NULL, " ,;.\n"))
            add(tok);
    }
    free(line);
    fclose(in);
    unlink(path);
    printf("%d lines, %d distinct words\n", lines, nwords);

    qsort(words, (size_t)nwords, sizeof words[0], by_count_then_name);
    int fds[2];
    if (pipe(fds) != 0)
        return perror("pipe"), 1;
    FILE *w = fdopen(fds[1], "w");
    for (int i = 0; i < nwords && i < 5; i++)
        fprintf(w, "%-6s %d\n", words[i].text, words[i].count);
    fclose(w);
    FILE *r = fdopen(fds[0], "r");
    char buf[64];
    while (fgets(buf, sizeof buf, r))
        printf("top: %s", buf);
    fclose(r);
    return 0;
}
