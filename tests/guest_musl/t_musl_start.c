/*
 * Guest test: an unmodified static musl program starts where the linker
 * put it. Built twice by tools/guest_musl.py with Debian's musl-gcc:
 * `-static` (ET_EXEC at the linkers' default 0x400000, installed as
 * /bin/t_musl_start_static) and `-static-pie` (ET_DYN without PT_INTERP, loaded
 * at the kernel's PIE base, /bin/t_musl_start_static_pie, built with -DPIE).
 *
 * It checks what musl's start-up relies on: the auxiliary vector
 * (getauxval), thread-local storage (arch_prctl ARCH_SET_FS and
 * set_tid_address during __init_tls), the program break (brk after the
 * image) and that its code runs at the expected place. Each failed check
 * sets one bit of the exit status and writes a line with write(2) (musl's
 * stdio needs writev, which this kernel may not have yet).
 */
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#ifdef PIE
/* kernel-shim/src/mm/mod.rs PIE_LOAD_BASE: 2/3 of the user range. */
#define EXPECTED_BASE 0x555555555000UL
#else
/* The linkers' default for a static x86_64 executable. */
#define EXPECTED_BASE 0x400000UL
#endif
/* How far above its base a small program's code may lie. */
#define CODE_SPAN 0x1000000UL

static int failures;

static void check(int ok, int bit, const char *what)
{
    if (ok)
        return;
    failures |= 1 << bit;
    write(2, "t_musl_start: FAILED ", 21);
    write(2, what, strlen(what));
    write(2, "\n", 1);
}

static __thread int tls_counter = 41;
static __thread char tls_zeroed[64];

int main(int argc, char **argv)
{
    (void)argc;
    unsigned long main_address = (unsigned long)(uintptr_t)&main;
    check(main_address - EXPECTED_BASE < CODE_SPAN, 0, "main is not near the expected base");
    check(getauxval(AT_PAGESZ) == 4096, 1, "AT_PAGESZ is not 4096");
    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    check(random != NULL, 2, "AT_RANDOM is missing");
    check(getauxval(AT_PHDR) - EXPECTED_BASE < CODE_SPAN, 3, "AT_PHDR is not in the image");
    check(getauxval(AT_ENTRY) - EXPECTED_BASE < CODE_SPAN, 3, "AT_ENTRY is not in the image");
    check(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid()
              && getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid()
              && getauxval(AT_SECURE) == 0,
          4, "AT_UID/EUID/GID/EGID/SECURE disagree with the ids");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    check(execfn != NULL && argv[0] != NULL && strstr(execfn, "t_musl_start_static") != NULL, 5,
          "AT_EXECFN does not name the program");
    /* TLS: the initialised and the zeroed part, read and written. */
    tls_counter++;
    check(tls_counter == 42 && tls_zeroed[63] == 0, 6, "thread-local storage is wrong");
    /* The break starts above the image (musl's malloc may use it). */
    void *brk_start = sbrk(0);
    check(brk_start != (void *)-1 && (unsigned long)brk_start > main_address, 7,
          "the program break is not above the image");
    return failures;
}
