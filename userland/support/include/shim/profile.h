/*
 * shim/profile.h - kernel-shim's spawn profile (SYS_shim_profile).
 *
 * A copy of the one definition in the shim-abi crate (abi/src/profile.rs:
 * `SpawnProfile` and the `Phase` list, whose documentation says what each
 * phase covers): abi/tests/c_copies.rs fails if the structure's fields or
 * the phase names here differ from it.
 *
 * The kernel profiles only when its command line starts with the word
 * `profile`; otherwise `enabled` is 0. Counters are cycles of the
 * time-stamp counter since profiling started (guest instructions under
 * QEMU's -icount shift=0): take two snapshots and subtract.
 */
#ifndef SHIM_PROFILE_H
#define SHIM_PROFILE_H

#include <stdint.h>

#define SHIM_PHASE_COUNT 18

/* The phase names, in counter order. */
#define SHIM_PHASE_NAMES                                                \
	{ "parent_user", "parent_kernel", "copy_in", "create", "switch",   \
	  "executor", "cloexec", "lookup", "load_parse", "load_mapping",   \
	  "load_private", "load_stack", "child_start", "child_user",       \
	  "child_kernel", "exit", "wake", "wait4" }

struct shim_profile {
	uint64_t enabled;
	uint64_t now;
	uint64_t marks;
	uint64_t mark_cost;
	uint64_t cycles[SHIM_PHASE_COUNT];
};

#endif
