#!/usr/bin/env python3
"""x.py: build, check, test and run libspawn + kernel-shim.

    python3 x.py run [--timeout S] [--] [FILE [ARG...]]
                                        boot the demo, or run a program (C
                                        source or a static x86_64 executable)
                                        in QEMU; everything after FILE is the
                                        program's
    python3 x.py test [--miri] [--verbose]
                                        every test: host, C ABI, guest; ends
                                        with the line "N passed, N failed"
    python3 x.py build                  build everything
    python3 x.py check                  rustfmt --check and clippy -D warnings
    python3 x.py qemu [--gdb]           boot the demo, optionally waiting for gdb
    python3 x.py bench [--rounds N] [--runs N] [--run-figures] [--profile]
                                        spawn benchmarks: kernel-shim and Linux
                                        side by side (bench/bench.py)
    python3 x.py conformance [--cc CC] [--cflags FLAGS] [--name NAME]
                                        the posix_spawn conformance suite
                                        against any C library on this
                                        machine (default gcc: glibc;
                                        musl-gcc: musl); every check line,
                                        then the totals
    python3 x.py fuzz host [--seconds N]
                                        libspawn's cargo-fuzz targets, N s in
                                        all (tools/fuzz.py)
    python3 x.py fuzz guest [--calls N] [--seed S] [--exhaust]
                            [--failslab every:N|prob:P,seed:S]
                                        the guest system-call fuzzer
                                        (tests/guest_c/t_syscall_fuzz.c);
                                        reports the kernel's longest
                                        interrupts-off stretch and, with
                                        --failslab, the injected
                                        allocation failures

Standard library only. Every command x.py runs is printed first ("+ ..."),
and the exit code of a failing step is passed through. This file only
parses the command line; the work is done in tools/ (see
tools/__init__.py for its modules), the tests in tests/, the benchmarks
in bench/.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
from pathlib import Path

from bench import bench, run_figures
from tests import conformance_native
from tools import cargo, fuzz, prereq
from tools.build import build_all
from tools.command import (Interrupted, StepFailed, echo_to_stderr,
                           reset_inherited_signal_state, set_echo,
                           stop_on_signals)
from tools.run import RUN_TIMEOUT_STATUS, qemu_by_hand, run_demo, run_file
from tools.testing import run_tests


def cmd_build(_args) -> int:
    prereq.require_rust()
    build_all()
    return 0


def cmd_check(_args) -> int:
    prereq.require_rust()
    cargo.check()
    return 0


def cmd_test(args) -> int:
    return run_tests(args.miri, args.verbose)


def cmd_run(args) -> int:
    prereq.require_qemu()
    if args.file:
        echo_to_stderr(True)  # standard output is the program's
        if args.file.endswith(".c"):
            prereq.require_gcc()
        return run_file(Path(args.file).absolute(), args.args, args.timeout)
    prereq.require_rust()
    return run_demo()


def cmd_qemu(args) -> int:
    prereq.require_rust()
    prereq.require_qemu()
    return qemu_by_hand(args.gdb)


def cmd_bench(args) -> int:
    if args.run_figures:
        print("\n".join(run_figures.lines(run_figures.figures())))
        return 0
    prereq.require_rust()
    prereq.require_qemu()
    if args.profile:
        return bench.run_profile(args.rounds)
    prereq.require_gcc()
    return bench.run(args.rounds, args.runs)


def cmd_conformance(args) -> int:
    prereq.require_program(args.cc, prereq.COMPILER_PACKAGES.get(args.cc,
                                                                 args.cc))
    return conformance_native.main(args.cc, shlex.split(args.cflags),
                                   args.name)


def cmd_fuzz(args) -> int:
    if args.target == "host":
        return fuzz.run_host(args.seconds)
    prereq.require_rust()
    prereq.require_qemu()
    prereq.require_gcc()
    return fuzz.run_guest(args.calls, args.seed, args.exhaust, args.failslab)


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per cmd_* function."""
    top = argparse.ArgumentParser(
        prog="x.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("-q", "--quiet", action="store_true",
                     help="do not echo the commands x.py runs")
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build everything").set_defaults(func=cmd_build)
    sub.add_parser("check", help="rustfmt and clippy").set_defaults(func=cmd_check)
    test = sub.add_parser("test", help="run every test")
    test.add_argument("--miri", action="store_true",
                      help="also run the libspawn host tests under Miri")
    test.add_argument("-v", "--verbose", action="store_true",
                      help="show the whole output on the console too (it "
                      "always goes to build/test.log)")
    test.set_defaults(func=cmd_test)
    run_p = sub.add_parser(
        "run", help="boot the demo, or run a program",
        usage="x.py run [-h] [--timeout SECONDS] [--] [FILE [ARG ...]]",
        description="Runs FILE (C source, FILE.c, or a static x86_64 "
        "executable) in the guest as /usr/local/bin/NAME with the host's "
        "standard input, output and error, and exits with its status. "
        "x.py's options go before FILE; everything after FILE, '--' "
        "included, is the program's arguments. Without FILE: the demo.")
    run_p.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="with FILE: stop QEMU after SECONDS and exit "
                       f"{RUN_TIMEOUT_STATUS} (default: no limit)")
    run_p.add_argument("file", nargs="?", metavar="FILE",
                       help="C source (FILE.c) or a static x86_64 "
                       "executable")
    run_p.add_argument("args", nargs="*", metavar="ARG",
                       help="the program's arguments (all of them, even "
                       "ones that look like x.py's options, and --)")
    run_p.set_defaults(func=cmd_run)
    qemu = sub.add_parser("qemu", help="boot the demo by hand")
    qemu.add_argument("--gdb", action="store_true",
                      help="wait for gdb on :1234 (and set no time limit)")
    qemu.set_defaults(func=cmd_qemu)
    bench_p = sub.add_parser("bench", help="spawn benchmarks, kernel-shim "
                             "and Linux side by side")
    bench_p.add_argument("--rounds", type=int, default=bench.DEFAULT_ROUNDS,
                         help="timed rounds per case and run (default "
                         f"{bench.DEFAULT_ROUNDS})")
    bench_p.add_argument("--runs", type=int, default=bench.DEFAULT_RUNS,
                         help="boots of each system, alternating (default "
                         f"{bench.DEFAULT_RUNS})")
    bench_p.add_argument("--run-figures", action="store_true",
                         help="only x.py run's latency and console "
                         "throughput (the full run prints them last)")
    bench_p.add_argument("--profile", action="store_true",
                         help="only kernel-shim's per-phase instruction "
                         "profile under icount, two boots compared (the "
                         "full run includes it)")
    bench_p.set_defaults(func=cmd_bench)
    conf = sub.add_parser("conformance", help="the conformance suite "
                          "against any C library (docs/porting.md)")
    conf.add_argument("--cc", default="gcc",
                      help="the library's compiler driver (default gcc)")
    conf.add_argument("--cflags", default="",
                      help="extra flags for every compile and link, one "
                      "string (such as \"-I/opt/mylibc/include -L...\")")
    conf.add_argument("--name", help="the library's name in the output "
                      "(default: what the library says it is)")
    conf.set_defaults(func=cmd_conformance)
    fuzz_p = sub.add_parser("fuzz", help="fuzzing: host (libspawn) or guest "
                            "(system calls)")
    fuzz_p.add_argument("target", choices=["host", "guest"])
    fuzz_p.add_argument("--calls", type=int, default=1_000_000,
                        help="guest: system calls to make (default 1000000)")
    fuzz_p.add_argument("--seed", type=int, default=1,
                        help="guest: the generator's seed (default 1)")
    fuzz_p.add_argument("--exhaust", action="store_true",
                        help="guest: fill the kernel heap and the process "
                        "table before each batch's calls")
    fuzz_p.add_argument("--failslab", metavar="SPEC",
                        help="guest: make kernel allocations fail on purpose "
                        "(the kernel's failslab= boot option: every:N or "
                        "prob:P,seed:S, P in percent)")
    fuzz_p.add_argument("--seconds", type=int, default=fuzz.DEFAULT_SECONDS,
                        help="host: total fuzzing time, shared by the "
                        f"targets (default {fuzz.DEFAULT_SECONDS})")
    fuzz_p.set_defaults(func=cmd_fuzz)
    return top


def main(argv: list[str]) -> int:
    ours, program_args = split_program_arguments(argv)
    args = parser().parse_args(ours)
    if args.command == "run":
        args.args = program_args
    set_echo(not args.quiet)
    reset_inherited_signal_state()
    stop_on_signals()
    try:
        return args.func(args)
    except StepFailed as failure:
        print(f"x.py: {failure}", file=sys.stderr)
        return failure.code
    except Interrupted as stop:
        print(f"x.py: stopped by {signal.Signals(stop.signum).name}",
              file=sys.stderr)
        return stop.code


def split_program_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """Splits `x.py ... run [OPTIONS] [--] FILE ARG...` into what argparse
    reads (up to FILE) and the program's arguments: everything after FILE,
    whatever it looks like (`--` and x.py's own options included)."""
    if "run" not in argv:
        return argv, []
    at = argv.index("run") + 1
    while at < len(argv):
        word = argv[at]
        if word == "--":
            if at + 1 < len(argv):
                return argv[:at + 2], argv[at + 2:]
            return argv[:at], []
        if word == "--timeout":
            at += 2
        elif word.startswith("-"):
            at += 1
        else:
            return argv[:at + 1], argv[at + 1:]
    return argv, []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
