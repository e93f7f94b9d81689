/* string.c - the str* and mem* functions, strerror and strsignal. */
#include "check.h"

#include <signal.h>
#include <stdlib.h>
#include <strings.h>

static void test_lengths_and_compare(void)
{
    CHECK_INT("strlen-empty", strlen(""), 0);
    CHECK_INT("strlen", strlen("hello"), 5);
    CHECK_INT("strnlen-short", strnlen("hello", 3), 3);
    CHECK_INT("strnlen-long", strnlen("hi", 10), 2);
    CHECK("strcmp-equal", strcmp("abc", "abc") == 0);
    CHECK("strcmp-less", strcmp("abc", "abd") < 0);
    CHECK("strcmp-prefix", strcmp("ab", "abc") < 0);
    CHECK("strcmp-unsigned", strcmp("\xff", "a") > 0);
    CHECK("strncmp-limited", strncmp("abcx", "abcy", 3) == 0);
    CHECK("strncmp-differs", strncmp("abcx", "abcy", 4) < 0);
    CHECK("strncmp-zero", strncmp("a", "b", 0) == 0);
    CHECK("memcmp-equal", memcmp("abc", "abc", 3) == 0);
    CHECK("memcmp-unsigned", memcmp("\x80", "\x01", 1) > 0);
    CHECK("memcmp-embedded-nul", memcmp("a\0b", "a\0c", 3) < 0);
    CHECK("strcasecmp", strcasecmp("HeLLo", "hello") == 0);
    CHECK("strncasecmp", strncasecmp("ABCd", "abce", 3) == 0);
}

static void test_copy(void)
{
    char buf[32];

    CHECK_STR("strcpy", strcpy(buf, "copy me"), "copy me");
    memset(buf, 'x', sizeof buf);
    strncpy(buf, "ab", 5);
    CHECK("strncpy-pads", buf[0] == 'a' && buf[1] == 'b' && buf[2] == 0 &&
                              buf[4] == 0 && buf[5] == 'x');
    memset(buf, 'x', sizeof buf);
    strncpy(buf, opaque("abcdef"), 3);
    CHECK("strncpy-no-terminator", memcmp(buf, "abcx", 4) == 0);
    strcpy(buf, "foo");
    CHECK_STR("strcat", strcat(buf, "bar"), "foobar");
    CHECK_STR("strncat", strncat(buf, opaque("bazzz"), 3), "foobarbaz");

    char m[16] = "0123456789";
    memmove(m + 2, m, 5);
    CHECK_STR("memmove-forward-overlap", m, "0101234789");
    strcpy(m, "0123456789");
    memmove(m, m + 3, 5);
    CHECK_STR("memmove-backward-overlap", m, "3456756789");

    unsigned char big[300], big2[300];
    for (int i = 0; i < 300; i++)
        big[i] = (unsigned char)i;
    memcpy(big2, big, sizeof big);
    CHECK("memcpy-large", memcmp(big, big2, sizeof big) == 0);
    memcpy(big2 + 1, big + 3, 200); /* unaligned */
    CHECK("memcpy-unaligned", memcmp(big2 + 1, big + 3, 200) == 0);
    memset(big, 0xab, sizeof big);
    CHECK("memset", big[0] == 0xab && big[299] == 0xab);
    CHECK("memchr-found", memchr("abc", 'c', 3) != NULL);
    CHECK("memchr-absent", memchr("abc", 'c', 2) == NULL);

    char *d = strdup("duplicate");
    CHECK_STR("strdup", d, "duplicate");
    free(d);
    d = strndup("duplicate", 3);
    CHECK_STR("strndup", d, "dup");
    free(d);
}

static void test_search(void)
{
    const char *s = "hello world";

    CHECK("strchr", strchr(s, 'o') == s + 4);
    CHECK("strchr-nul", strchr(s, 0) == s + 11);
    CHECK("strchr-absent", strchr(s, 'z') == NULL);
    CHECK("strrchr", strrchr(s, 'o') == s + 7);
    CHECK("strrchr-absent", strrchr(s, 'z') == NULL);
    CHECK("strstr", strstr(s, "wor") == s + 6);
    CHECK("strstr-empty-needle", strstr(s, "") == s);
    CHECK("strstr-absent", strstr(s, "worlds") == NULL);
    CHECK("strstr-partial-overlap", strstr("aaab", "aab") != NULL);
    CHECK_INT("strspn", strspn("aabbc", "ab"), 4);
    CHECK_INT("strcspn", strcspn("hello", "lo"), 2);
    CHECK("strpbrk", strpbrk(s, "wd") == s + 6);

    char t[] = "  a,b;;c ";
    const char *tok1 = strtok(t, " ,;");
    const char *tok2 = strtok(NULL, " ,;");
    const char *tok3 = strtok(NULL, " ,;");
    const char *tok4 = strtok(NULL, " ,;");
    CHECK("strtok", tok1 && tok2 && tok3 && strcmp(tok1, "a") == 0 &&
                        strcmp(tok2, "b") == 0 && strcmp(tok3, "c") == 0 &&
                        tok4 == NULL);
}

static void test_messages(void)
{
    CHECK("strerror-ENOENT", strlen(strerror(ENOENT)) > 0);
    CHECK_STR("strerror-EPERM", strerror(EPERM), "Operation not permitted");
    CHECK_STR("strerror-ENOENT-text", strerror(ENOENT),
              "No such file or directory");
    CHECK_STR("strerror-EACCES", strerror(EACCES), "Permission denied");
    CHECK("strerror-distinct", strcmp(strerror(EINVAL), strerror(EBADF)));
    CHECK("strerror-unknown", strstr(strerror(9999), "9999") != NULL);
    CHECK("strerror-all-defined", strerror(EHWPOISON)[0] != 0 &&
                                      strstr(strerror(ENOTSUP), "nknown") ==
                                          NULL);
    CHECK("strsignal", strlen(strsignal(SIGTERM)) > 0);
}

int main(void)
{
    test_lengths_and_compare();
    test_copy();
    test_search();
    test_messages();
    return DONE();
}
