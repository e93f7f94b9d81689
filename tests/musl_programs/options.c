/* options - getopt_long over a command line a tool might get. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char *argv[] = {"tool", "-v", "--output=out.txt", "-n", "5", "--force",
                    "-vq", "--level", "3", "file1", "--", "-notanoption", NULL};
    int argc = (int)(sizeof argv / sizeof argv[0]) - 1;
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"level", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    int verbose = 0, index = -1, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "vqn:o:", longs, &index)) != -1) {
        switch (c) {
        case 'v': verbose++; printf("-v\n"); break;
        case 'q': printf("-q\n"); break;
        case 'n': printf("-n %d\n", atoi(optarg)); break;
        case 'o': printf("output %s (long index %d)\n", optarg, index); break;
        case 'f': printf("force (long index %d)\n", index); break;
        case 'l': printf("level %s\n", optarg); break;
        default: printf("unknown option %c\n", optopt); break;
        }
    }
    printf("verbose %d, operands:", verbose);
    for (int i = optind; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
