"""The guest stage of `x.py test`: one QEMU boot of the whole guest suite.

Every guest program runs as its own process: the Rust `t_*` tests, the
demo (it exits 0 only if every child behaved, so what `x.py run` shows
cannot rot), the C guest tests (tools/guest_c.py), the unmodified static
musl programs (tools/guest_musl.py), the shell's script suite
(tests/shell_suite.py, compared with dash) and the C conformance suite (tests/conformance.py),
whose checks are then compared with glibc's, next to native runs against
glibc and musl and the cross-library table (tests/conformance_stage.py).

    run_suite() -> {"guest": (passed, failed), "conformance": (passed, failed),
                    "conf-glibc", "conf-musl", "conf-matrix",
                    "musl-programs", "shell", "shell-native",
                    "link-map": (passed, failed)}

Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests import conformance, conformance_stage, musl_compare, shell_suite
from tools import guest_c, guest_musl, qemu
from tools.abi import (QEMU_EXIT_FAILURE, QEMU_EXIT_MEANINGS,
                       QEMU_EXIT_SUCCESS)
from tools.build import build_guest
from tools.cargo import guest_binaries
from tools.initrd import BIN_PREFIX, InitrdFile
from tools.paths import BUILD_DIR, KERNEL_LOG
from tools.prereq import require_qemu
from tools.testlog import CONSOLE_PREFIX as SHOWN
from tools.transcript import guest_test_names, parse_transcript

#: Whole-suite limit for one QEMU boot; a healthy run takes seconds.
GUEST_TIMEOUT_SECONDS = 300
#: The program `x.py run` shows, run in the suite too.
DEMO_PROGRAM = "demo"
#: The list of programs init runs in the guest suite (`init suite FILE`).
SUITE_LIST = "etc/guest-suite"
#: Owner of the conformance suite's set-user-ID fixture: any non-root user.
SUID_FIXTURE_UID = 1000
#: The kernel log and the transcript of the boot under injection.
FAILSLAB_LOG = BUILD_DIR / "kernel-failslab.log"
FAILSLAB_TRANSCRIPT = BUILD_DIR / "guest-failslab.txt"
#: The most lines of a failed guest test's output shown on the console.
FAILED_OUTPUT_LINES = 30
#: The most lines of the kernel log shown when the boot itself failed.
KERNEL_LOG_LINES = 40


def conformance_programs() -> dict[str, Path | InitrdFile]:
    """The C conformance suite built for the guest, as initrd entries."""
    built = conformance.build_guest(conformance.ROOT,
                                    BUILD_DIR / "conformance" / "guest")
    files: dict[str, Path | InitrdFile] = {
        BIN_PREFIX + name: exe for name, exe in built.items()}
    # E84 needs a set-user-ID image owned by someone else: any program of
    # the suite will do, since it only reports its ids.
    files[BIN_PREFIX + "cf_suid"] = InitrdFile(
        built["attrs_at_spawn"], mode=0o104755, uid=SUID_FIXTURE_UID,
        gid=SUID_FIXTURE_UID)
    return files


def show_failed_test_output(transcript: str) -> None:
    """Repeats, where the console sees it, what each failed guest test
    printed (the lines between the previous result line and its own)."""
    section: list[str] = []
    for line in transcript.splitlines():
        if line.startswith("test ") and line.endswith(" ... ok"):
            section = []
        elif line.startswith("test ") and " ... FAILED" in line:
            print(f"{SHOWN} output of the failed {line[5:].split()[0]}:")
            for shown in section[-FAILED_OUTPUT_LINES:]:
                print(f"{SHOWN}   | {shown}")
            section = []
        else:
            section.append(line)


def boot_problems(boot: qemu.Boot) -> list[str]:
    """What is wrong with the boot itself (a timeout, a failure status)."""
    if boot.timed_out:
        return [f"QEMU timed out after {GUEST_TIMEOUT_SECONDS} s"]
    if boot.code != QEMU_EXIT_SUCCESS:
        meaning = QEMU_EXIT_MEANINGS.get(
            boot.code, f"not the success code {QEMU_EXIT_SUCCESS}")
        return [f"QEMU exited with {boot.code} ({meaning})"]
    return []


def build_suite() -> tuple[Path, list[str]]:
    """Builds every guest program and the initrd with the suite list;
    returns the kernel and the names of the suite's programs."""
    require_qemu()
    conformance_files = conformance_programs()
    conformance_names = sorted(
        name.removeprefix(BIN_PREFIX)
        for name, entry in conformance_files.items()
        if not isinstance(entry, InitrdFile))
    c_files, c_names = guest_c.build()
    musl_files, musl_names = musl_compare.guest_programs()
    start_files, start_names = guest_musl.build()
    shell_files, shell_names = shell_suite.guest_programs()
    names = (guest_test_names(guest_binaries()) + [DEMO_PROGRAM]
             + c_names + start_names + conformance_names + musl_names
             + shell_names)
    suite = {SUITE_LIST: ("\n".join(names) + "\n").encode()}
    kernel = build_guest({**conformance_files, **c_files, **musl_files, **start_files,
                          **shell_files, **suite})
    return kernel, names


def run_suite() -> dict[str, tuple[int, int]]:
    """Builds every guest program, boots once, and returns the totals of
    the guest tests and of the conformance checks compared with glibc;
    then boots the suite again with allocation-failure injection
    (`run_suite_failslab`)."""
    kernel, names = build_suite()
    command = qemu.command(kernel, f"suite /{SUITE_LIST}")
    boot = qemu.launch(command, timeout=GUEST_TIMEOUT_SECONDS)
    transcript = boot.text
    sys.stdout.write(transcript)
    passed, failed = parse_transcript(transcript)
    missing = [n for n in names
               if n not in passed and n not in {f for f, _ in failed}]
    problems = boot_problems(boot)
    if missing:
        problems.append("no result for: " + " ".join(missing))
    print(f"guest: {len(passed)} passed, {len(failed) + len(missing)} failed "
          f"in one boot of {boot.seconds:.2f} s")
    show_failed_test_output(transcript)
    if problems:
        print("guest run FAILED: " + "; ".join(problems))
        print(f"{SHOWN} QEMU command: " + " ".join(command))
        if KERNEL_LOG.exists():
            print(f"{SHOWN} kernel log ({KERNEL_LOG}), last lines:")
            log = KERNEL_LOG.read_text(errors="replace").splitlines()
            for line in log[-KERNEL_LOG_LINES:]:
                print(f"{SHOWN}   {line}")
    failures = len(failed) + len(missing) + (1 if problems and not failed
                                             and not missing else 0)
    return {"guest": (len(passed), failures),
            **conformance_stage.differential(transcript),
            "musl-programs": musl_compare.compare(transcript),
            "shell": shell_suite.compare(transcript),
            "shell-native": shell_suite.native_compare(),
            "link-map": musl_compare.link_map_checks(),
            "failslab": run_suite_failslab(kernel, names)}


#: The injection of the suite's second boot: every Nth kernel allocation
#: fails (see kernel-shim/src/failslab.rs).
FAILSLAB_OPTION = "failslab=every:97"
#: init's leak check after the last test (userland/progs/src/bin/init.rs).
COUNTERS_BACK = "init: kernel counters back to baseline"


def failslab_problems(boot: qemu.Boot, names: list[str],
                      report: str | None) -> list[str]:
    """What is wrong with a boot of the suite under injection: programs may
    fail, the kernel may not panic or hang, and the counters must be back
    at their baseline when the suite ends."""
    problems = []
    if boot.timed_out:
        problems.append(f"QEMU timed out after {GUEST_TIMEOUT_SECONDS} s")
    elif boot.code not in (QEMU_EXIT_SUCCESS, QEMU_EXIT_FAILURE):
        problems.append(f"QEMU exited with {boot.code} "
                        f"({QEMU_EXIT_MEANINGS.get(boot.code, 'unknown')})")
    passed, failed = parse_transcript(boot.text)
    ran = len(passed) + len(failed)
    if ran != len(names):
        problems.append(f"{ran} of {len(names)} programs reported")
    if COUNTERS_BACK not in boot.text:
        problems.append("the kernel counters were not back at their baseline")
    if report is None:
        problems.append("no failslab report in the kernel log")
    return problems


def run_suite_failslab(kernel: Path, names: list[str]) -> tuple[int, int]:
    """The guest suite once more with allocation-failure injection: one
    check, passed iff the kernel neither panicked nor hung, every program
    reported, and the counters came back (programs may fail)."""
    command = qemu.command(kernel, f"{FAILSLAB_OPTION} suite /{SUITE_LIST}",
                           log=FAILSLAB_LOG)
    boot = qemu.launch(command, timeout=GUEST_TIMEOUT_SECONDS)
    FAILSLAB_TRANSCRIPT.write_text(boot.text)
    report = qemu.failslab_report(FAILSLAB_LOG)
    passed, failed = parse_transcript(boot.text)
    print(f"guest under {FAILSLAB_OPTION}: {len(passed)} programs passed, "
          f"{len(failed)} failed (allowed) in {boot.seconds:.2f} s; "
          f"kernel: {report}")
    problems = failslab_problems(boot, names, report)
    if problems:
        print(f"guest under {FAILSLAB_OPTION} FAILED: " + "; ".join(problems)
              + f" (transcript {FAILSLAB_TRANSCRIPT}, kernel log "
              f"{FAILSLAB_LOG})")
        return (0, 1)
    return (1, 0)
