/* listing - <dirent.h> and <sys/stat.h>: a scratch directory under /tmp
 * gets files and a subdirectory; readdir lists them (sorted here, since
 * the order of a directory is the file system's), stat gives their types
 * and sizes, rewinddir lists them again, and everything is removed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NAMES 16

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(DIR *dir, char **names)
{
    int count = 0;
    for (struct dirent *entry; (entry = readdir(dir)) && count < MAX_NAMES;)
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            names[count++] = strdup(entry->d_name);
    qsort(names, count, sizeof *names, by_name);
    return count;
}

int main(void)
{
    char base[] = "/tmp/listingXXXXXX";
    if (!mkdtemp(base) || chdir(base))
        return perror("scratch directory"), 1;
    const char *files[] = {"zeta.txt", "alpha.txt", "mid.dat"};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(files[i], "w");
        if (!f)
            return perror(files[i]), 1;
        for (int j = 0; j <= i * 100; j++)
            fputc('a' + j % 26, f);
        fclose(f);
    }
    if (mkdir("sub", 0755))
        return perror("mkdir"), 1;
    DIR *dir = opendir(".");
    if (!dir)
        return perror("opendir"), 1;
    char *names[MAX_NAMES];
    int count = list(dir, names);
    printf("%d entries\n", count);
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st))
            return perror(names[i]), 1;
        printf("%-10s %s %lld\n", names[i], S_ISDIR(st.st_mode) ? "dir " : "file",
               S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
        free(names[i]);
    }
    rewinddir(dir);
    int again = list(dir, names);
    printf("after rewinddir: %d entries, first %s\n", again, again ? names[0] : "-");
    for (int i = 0; i < again; i++)
        free(names[i]);
    closedir(dir);
    for (int i = 0; i < 3; i++)
        unlink(files[i]);
    rmdir("sub");
    if (chdir("/") || rmdir(base))
        return perror("cleanup"), 1;
    printf("removed: %s\n", opendir(base) ? "no" : "yes");
    return 0;
}
