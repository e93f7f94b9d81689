/* filter - stdio on files (seek, tell, ungetc, fscanf, tmpfile) and a
 * child process fed through pipes with posix_spawnp. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    FILE *f = tmpfile();
    if (!f)
        return perror("tmpfile"), 1;
    for (int i = 1; i <= 5; i++)
        fprintf(f, "%d %d.%d item%d\n", i, i * i, i, i);
    printf("size %ld\n", ftell(f));
    rewind(f);
    int n, sum = 0;
    double d;
    char name[16];
    while (fscanf(f, "%d %lf %15s", &n, &d, name) == 3)
        sum += n, printf("read %d %.1f %s\n", n, d, name);
    printf("sum %d eof %d\n", sum, feof(f));
    fseek(f, 2, SEEK_SET);
    int c = fgetc(f);
    ungetc('X', f);
    printf("at 2: '%c', after ungetc '%c', tell %ld\n", c, fgetc(f), ftell(f));
    fclose(f);

    int to_child[2], from_child[2];
    if (pipe(to_child) || pipe(from_child))
        return perror("pipe"), 1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
    posix_spawn_file_actions_addclose(&fa, to_child[1]);
    posix_spawn_file_actions_addclose(&fa, from_child[0]);
    char *argv[] = {"cat", NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "cat", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err)
        return printf("spawn: %s\n", strerror(err)), 1;
    close(to_child[0]);
    close(from_child[1]);
    const char *msg = "through cat\nand back\n";
    write(to_child[1], msg, strlen(msg));
    close(to_child[1]);
    char buf[128];
    ssize_t got, total = 0;
    while ((got = read(from_child[0], buf + total, sizeof buf - 1 - (size_t)total)) > 0)
        total += got;
    buf[total] = '\0';
    close(from_child[0]);
    int status;
    waitpid(pid, &status, 0);
    printf("cat said: %s", buf);
    printf("cat exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
