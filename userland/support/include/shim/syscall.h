/*
 * shim/syscall.h - the numbers of kernel-shim's own system calls.
 *
 * Linux's calls keep Linux's numbers, which musl's <sys/syscall.h> gives
 * (SYS_read, ...). The project's own calls start at 1000 (SHIM_BASE) and
 * are only here. A copy of the one definition, the `Sysno` enum of the
 * shim-abi crate (abi/src/sysno.rs): abi/tests/c_copies.rs fails if a
 * number here differs from it or a call is missing on either side, and
 * checks musl's numbers for the Linux calls the kernel serves. Nothing
 * else in the C sources may write a system-call number. Use them with
 * musl's syscall(2): syscall(SYS_shim_kstats, &stats).
 */
#ifndef SHIM_SYSCALL_H
#define SHIM_SYSCALL_H

#define SYS_shim_spawn 1000
#define SYS_shim_kstats 1001
#define SYS_shim_poweroff 1002
#define SYS_shim_profile 1003

#endif
