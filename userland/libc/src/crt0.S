/*
 * crt0.S - the process entry point.
 *
 * The kernel enters _start with the System V initial stack: rsp points at
 * argc, followed by argv[0..argc-1], NULL, envp[...], NULL, then the
 * auxiliary vector. _start hands that address to __libc_start (start.c)
 * on a 16-byte aligned stack, as the ABI requires at a call.
 */
    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp          /* outermost frame: end of frame-pointer chain */
    mov %rsp, %rdi          /* argument: the initial stack */
    and $-16, %rsp
    call __libc_start       /* does not return */
    hlt
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
