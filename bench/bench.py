"""bench.py: `x.py bench` and the benchmark's smoke test (issue 7).

Standard library only. The guest side is built and booted with the same
tools modules as `x.py run` and `x.py test` (tools.build, tools.qemu's one
launcher); this module never calls back into x.py.

    run(rounds, runs, out_dir)      -> exit status of `x.py bench`
    run_profile(rounds, out_dir)    -> exit status of `x.py bench --profile`
    smoke(out_dir)                  -> (passed, failed), for `x.py test`

What `x.py bench` does:

1. Builds bench/spawn_bench.c twice: against musl (the guest build) and
   libspawn (the kernel-shim side) and, with -DBENCH_LINUX, statically
   against glibc (the Linux side). The child, bench/bench_child.c, is built
   once against musl (the guest build): that static binary runs unchanged on
   both kernels (kernel-shim implements the Linux system-call ABI), so both
   sides load and start the same bytes.
2. Fetches Debian's stock kernel: `apt-get download` of the package
   `linux-image-amd64` depends on, unpacked with `dpkg -x` into
   build/bench/linux (cached; never installed).
3. Boots both systems with the one QEMU command of qemu/args (microvm,
   TCG, 1 CPU, 256 MiB): kernel-shim through PVH with the initrd, Debian's
   bzImage through microvm's firmware (qboot) with an initramfs holding the
   glibc build as /init, the child as /bin/bench_child and /dev/console.
   Runs alternate: kernel-shim, Linux, kernel-shim, Linux...
4. Counts instructions (QEMU's `-icount shift=0`, module notes below):
   one kernel-shim boot as in step 3, two kernel-shim boots with the spawn
   profile (`profile` on the kernel command line, bench/profile.py), which
   must agree exactly (the determinism check), and two Linux boots with
   LINUX_ICOUNT_ROUNDS rounds (Linux under icount is slow).
5. Times QEMU start to the first line the benchmark prints ("bench start")
   on both systems; the floor (a 20-byte PVH kernel, assembled here, that
   prints one line and makes QEMU exit); and one boot of the whole guest
   test suite.
6. Prints the side-by-side table, the profile and the ratios, writes
   bench/results.json and bench/plot.svg, then the shell figures
   (bench/shell_bench.py: `sh -c true` and a 3-stage pipeline,
   kernel-shim's /bin/sh beside busybox sh on the same Linux).

`x.py bench --profile` runs only the kernel-shim part of step 4 (no Linux)
and replaces the profile in bench/results.json.

Linux's clock under TCG: without HPET or an ACPI PM timer (microvm has
neither) Linux cannot calibrate the TSC and falls back to jiffies, a 4 ms
clock that cannot time a spawn. TCG's guest TSC runs at the host's TSC
rate, so the Linux command line gets `tsc_early_khz=<host rate> tsc=reliable`
(the rate measured on the host by the glibc build, `spawn_bench tsc-khz`).
The Linux side prints its clocksource as an `info` line, kept in the
results.

Instructions: under `-icount shift=0` QEMU's virtual clock advances 1 ns
per guest instruction and the guest TSC is that clock, so the TSC counts
instructions exactly. kernel-shim's spawn profile reads the TSC; Linux
gets `tsc_early_khz=1000000` (1 GHz: one tick per instruction), so its
CLOCK_MONOTONIC counts instructions. Noise is removed from those boots:
the RTC follows the virtual clock from a fixed date (ICOUNT_RTC), and
Linux runs with `norandmaps` (no address-space randomization, which the
wall-clock time would otherwise seed). kernel-shim places nothing at
random (its AT_RANDOM bytes come from the TSC and the clock, the same on
every icount boot).
"""

from __future__ import annotations

import datetime
import gzip
import json
import math
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

from bench import profile, run_figures, shell_bench
from tools import qemu
from tools.abi import (DEBUG_EXIT_PORT, GUEST_EXIT_SUCCESS,
                       QEMU_EXIT_SUCCESS)
from tools.build import build_guest, compile_guest_c
from tools.cargo import guest_binaries
from tools.command import StepFailed, run as run_command
from tools.initrd import InitrdFile, archive as cpio_archive
from tools.paths import BUILD_DIR, INITRD, ROOT
from tools.prereq import require_glibc_static
from tools.run import encode_arg
from tools.transcript import guest_test_names, parse_transcript

BENCH_DIR = Path(__file__).resolve().parent
BENCH_SOURCE = BENCH_DIR / "spawn_bench.c"
CHILD_SOURCE = BENCH_DIR / "bench_child.c"
RESULTS_JSON = BENCH_DIR / "results.json"
PLOT_SVG = BENCH_DIR / "plot.svg"
BENCH_NAME = "spawn_bench"
CHILD_NAME = "bench_child"
WARNING_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]
LINUX_CFLAGS = [*WARNING_FLAGS, "-O2", "-static", "-DBENCH_LINUX"]
# Debian's metapackage; the kernel package is the one it depends on.
LINUX_METAPACKAGE = "linux-image-amd64"
# Linux command line: the console and the TSC rate (module docstring);
# panic=-1 turns a panic into a reboot, which -no-reboot turns into exit.
LINUX_CMDLINE = "console=ttyS0 quiet panic=-1 tsc_early_khz={khz} tsc=reliable"
FIRST_LINE = "bench start"
DONE_LINE = re.compile(r"^bench done cases=(\d+) errors=(\d+)")
CASE_RESULT = re.compile(r"^case (\S+) median_us=([\d.]+) p90_us=([\d.]+) "
                         r"min_us=([\d.]+) max_us=([\d.]+) rounds=(\d+)"
                         r"(?: mean_us=([\d.]+))?")
CASE_ERROR = re.compile(r"^case (\S+) error=(-?\d+) errname=(\S+) step=(.*)$")
CASE_SKIPPED = re.compile(r"^case (\S+) skipped$")
INFO_LINE = re.compile(r"^info (.*)$")
BENCH_TIMEOUT_SECONDS = 900
BOOT_TIMEOUT_SECONDS = 120
# Boots of the floor and of kernel-shim alone, interleaved, for boot times.
BOOT_SAMPLES = 7
# kernel-shim's init prints this line when it has run the child.
INIT_LINE = "init:"
# The instruction profile: with -icount shift=0 QEMU's virtual clock, and
# so the guest's CLOCK_MONOTONIC, advances 1 ns per guest instruction: the
# benchmark's microseconds become thousands of instructions, free of host
# noise (to the PIT's 838 ns = 838-instruction resolution).
ICOUNT_FLAGS = ["-icount", "shift=0,sleep=off"]
#: The RTC of icount boots: the virtual clock from a fixed date, so no
#: host time enters the guest (module docstring).
ICOUNT_RTC = ["-rtc", "base=2026-01-01T00:00:00,clock=vm"]
#: The kernel-shim command-line word that turns the spawn profile on.
PROFILE_WORD = "profile"
#: Linux under icount: few rounds (its boot alone is ~10 s of host time).
LINUX_ICOUNT_ROUNDS = 10
#: Linux's command line under icount: the TSC ticks once per instruction.
LINUX_ICOUNT_CMDLINE = ("console=ttyS0 quiet panic=-1 tsc_early_khz=1000000 "
                        "tsc=reliable norandmaps")
SMOKE_ROUNDS = 3
SMOKE_TIMEOUT_SECONDS = 60
DEFAULT_ROUNDS = 100
DEFAULT_RUNS = 2

# Cases kernel-shim cannot run yet, with the reason. The smoke test skips
# exactly these (and says so); every other case must succeed. Empty the
# entry when the kernel gains the feature.
GUEST_PENDING: dict[str, str] = {}

# The x axes of the plot and the sweeps of the targets: case per x value.
MEMORY_SWEEP = {0: "spawn", 16: "spawn_mem_16mib", 64: "spawn_mem_64mib"}
ACTIONS_SWEEP = {0: "spawn", 8: "spawn_fa_8", 64: "spawn_fa_64"}
FDS_SWEEP = {0: "spawn", 100: "spawn_fds_100", 1000: "spawn_fds_1000"}
ARGENV_SWEEP = {0: "spawn", 4: "spawn_argenv_4kib", 64: "spawn_argenv_64kib"}

# Table order and what each case measures.
CASES = [
    ("spawn", "posix_spawn + waitpid"),
    ("spawn_fa_8", "  with 8 file actions"),
    ("spawn_fa_64", "  with 64 file actions"),
    ("spawn_mem_16mib", "  parent holds 16 MiB"),
    ("spawn_mem_64mib", "  parent holds 64 MiB"),
    ("spawn_fds_100", "  parent holds 100 fds"),
    ("spawn_fds_1000", "  parent holds 1000 fds"),
    ("spawn_argenv_4kib", "  argv+envp 4 KiB"),
    ("spawn_argenv_64kib", "  argv+envp 64 KiB"),
    ("spawn_nowait_return", "posix_spawn return (NOWAIT)"),
    ("fork_exec", "fork + execve + waitpid"),
    ("fork_exec_mem_16mib", "  parent holds 16 MiB"),
    ("fork_exec_mem_64mib", "  parent holds 64 MiB"),
    ("fork_exec_fds_100", "  parent holds 100 fds"),
    ("fork_exec_fds_1000", "  parent holds 1000 fds"),
    ("vfork_exec", "vfork + execve + waitpid"),
    ("vfork_exec_mem_16mib", "  parent holds 16 MiB"),
    ("vfork_exec_mem_64mib", "  parent holds 64 MiB"),
    ("vfork_exec_fds_100", "  parent holds 100 fds"),
    ("vfork_exec_fds_1000", "  parent holds 1000 fds"),
]

# The floor: a PVH kernel that prints one line (FLOOR_LINE) on COM1 and
# writes the success code to isa-debug-exit, without touching memory or
# interrupts. A template: {line}, {port} and {code} are filled in.
FLOOR_LINE = "F"
FLOOR_ASSEMBLY = r"""
    .section .note.pvh, "a", @note
    .balign 4
    .long 4                 /* namesz: "Xen\0" */
    .long 4                 /* descsz: the entry address */
    .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long _start
    .text
    .code32
    .globl _start
_start:                     /* 32-bit protected mode, paging off */
    mov $0x3f8, %dx
    mov $'{line}', %al
    out %al, %dx
    mov $'\n', %al
    out %al, %dx
    mov ${port:#x}, %dx
    mov ${code:#x}, %al
    out %al, %dx
1:  hlt
    jmp 1b
"""
FLOOR_LOAD_ADDRESS = 0x200000


# --- building ----------------------------------------------------------------

def build_guest_side(out_dir: Path) -> tuple[Path, Path]:
    """The guest builds of the benchmark and of the child."""
    bench = out_dir / BENCH_NAME
    child = out_dir / CHILD_NAME
    compile_guest_c([BENCH_SOURCE], bench, WARNING_FLAGS)
    compile_guest_c([CHILD_SOURCE], child, WARNING_FLAGS)
    return bench, child


def build_linux_bench(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    run_command(["gcc", *LINUX_CFLAGS, "-o", out, BENCH_SOURCE])
    return out


def build_floor_kernel(out_dir: Path) -> Path:
    """Assembles and links the floor kernel (binutils' as and ld)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / "floor.S"
    obj = out_dir / "floor.o"
    kernel = out_dir / "floor"
    source.write_text(FLOOR_ASSEMBLY.format(
        line=FLOOR_LINE, port=DEBUG_EXIT_PORT, code=GUEST_EXIT_SUCCESS))
    run_command(["as", "--64", "-o", obj, source])
    run_command(["ld", "-m", "elf_x86_64", "-static", "-nostdlib",
                 f"-Ttext={FLOOR_LOAD_ADDRESS:#x}", "-e", "_start", "-z",
                 "noexecstack", "--build-id=none", "-o", kernel, obj])
    return kernel


def host_tsc_khz(linux_bench: Path) -> int:
    result = run_command([linux_bench, "tsc-khz"], capture_output=True,
                         text=True)
    return int(result.stdout.strip())


def linux_kernel(cache: Path) -> tuple[Path, str]:
    """Debian's stock kernel: (vmlinuz, package file name), cached."""
    cache.mkdir(parents=True, exist_ok=True)
    debs = sorted(cache.glob("linux-image-*-amd64_*.deb"))
    if not debs:
        for program in ("apt-get", "apt-cache", "dpkg"):
            if shutil.which(program) is None:
                raise StepFailed(f"{program} is needed to fetch Debian's "
                                     "kernel (a Debian or Ubuntu host)")
        depends = subprocess.run(["apt-cache", "depends", LINUX_METAPACKAGE],
                                 capture_output=True, text=True)
        match = re.search(r"Depends: (linux-image-\S+-amd64)", depends.stdout)
        if match is None and os.geteuid() == 0:
            run_command(["apt-get", "update", "-q"])
            depends = subprocess.run(["apt-cache", "depends",
                                      LINUX_METAPACKAGE],
                                     capture_output=True, text=True)
            match = re.search(r"Depends: (linux-image-\S+-amd64)",
                              depends.stdout)
        if match is None:
            raise StepFailed(f"apt-cache knows no {LINUX_METAPACKAGE}: "
                                 "run `sudo apt-get update`")
        run_command(["apt-get", "download", match.group(1)], cwd=cache)
        debs = sorted(cache.glob("linux-image-*-amd64_*.deb"))
        if not debs:
            raise StepFailed(f"apt-get download {match.group(1)} left "
                                 f"no package in {cache}")
    deb = debs[-1]
    unpacked = cache / (deb.stem + ".root")
    if not unpacked.is_dir():
        tmp = cache / "unpacking"
        shutil.rmtree(tmp, ignore_errors=True)
        run_command(["dpkg", "-x", deb, tmp])
        tmp.rename(unpacked)
    kernels = sorted((unpacked / "boot").glob("vmlinuz-*"))
    if not kernels:
        raise StepFailed(f"{deb.name} holds no boot/vmlinuz-*")
    return kernels[-1], deb.name


# --- the Linux initramfs: cpio "newc" with directories and a device ---------

DIRECTORY_MODE = 0o040755
#: /dev/console: a character device, rw-------, major 5 minor 1.
CONSOLE_MODE = 0o020600
CONSOLE_RDEV = (5, 1)


def linux_initramfs(init: Path, child: Path, out: Path) -> Path:
    """/init (the glibc build), /bin/bench_child, /dev/console, /sys; gzip.

    Linux opens /dev/console for init's descriptors 0-2; without the node
    init would run with none.
    """
    archive = cpio_archive({
        "bin": InitrdFile(b"", mode=DIRECTORY_MODE),
        "dev": InitrdFile(b"", mode=DIRECTORY_MODE),
        "dev/console": InitrdFile(b"", mode=CONSOLE_MODE, rdev=CONSOLE_RDEV),
        "sys": InitrdFile(b"", mode=DIRECTORY_MODE),
        "init": init,
        f"bin/{CHILD_NAME}": child,
    })
    out.write_bytes(gzip.compress(archive, compresslevel=6, mtime=0))
    return out


# --- booting -------------------------------------------------------------------

def timed_boot(command: list[str], timeout: float, first_line: str) -> dict:
    """Boots QEMU through the one launcher; returns the exit code (None on
    timeout), the lines, the seconds from start to the first line starting
    with first_line (None if never seen) and to QEMU's exit."""
    boot = qemu.launch(command, timeout=timeout)
    return {"code": boot.code,
            "lines": [line.rstrip("\r\n") for line in boot.lines],
            "first_line_s": boot.first_time(first_line),
            "total_s": boot.seconds}


def parse_output(lines: list[str]) -> dict:
    """The benchmark's lines: cases, errors, skips, info, done."""
    cases, errors, skipped, info = {}, {}, [], {}
    done = None
    for line in lines:
        line = line.strip()
        if m := CASE_RESULT.match(line):
            cases[m.group(1)] = {
                "median_us": float(m.group(2)), "p90_us": float(m.group(3)),
                "min_us": float(m.group(4)), "max_us": float(m.group(5)),
                "rounds": int(m.group(6))}
            if m.group(7) is not None:
                cases[m.group(1)]["mean_us"] = float(m.group(7))
        elif m := CASE_ERROR.match(line):
            errors[m.group(1)] = {"error": int(m.group(2)),
                                  "errname": m.group(3),
                                  "step": m.group(4)}
        elif m := CASE_SKIPPED.match(line):
            skipped.append(m.group(1))
        elif m := INFO_LINE.match(line):
            for word in m.group(1).split():
                key, _, value = word.partition("=")
                info[key] = value
        elif m := DONE_LINE.match(line):
            done = {"cases": int(m.group(1)), "errors": int(m.group(2))}
    return {"cases": cases, "errors": errors, "skipped": skipped,
            "info": info, "done": done, "profiles": profile.parse(lines)}


#: The kernel-shim boot's debugcon log, in the output directory.
SHIM_LOG = "kernel-shim.log"


class Systems:
    """How to boot each system: built once, booted many times."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        # Private copies: others may rebuild the shared ones meanwhile.
        self.own_kernel = out_dir / "kernel-shim"
        self.own_initrd = out_dir / "initrd-shim.cpio"
        self.shim_log = out_dir / "kernel-shim.log"

    def prepare_guest(self, skip: list[str], rounds: int,
                      profiled: bool = False) -> list[str]:
        """Builds the kernel-shim side; returns its QEMU command (with
        the spawn profile on if `profiled`)."""
        bench, child = build_guest_side(self.out_dir)
        kernel = build_guest({f"bin/{BENCH_NAME}": bench.read_bytes(),
                              f"bin/{CHILD_NAME}": child.read_bytes()})
        shutil.copyfile(kernel, self.own_kernel)
        shutil.copyfile(INITRD, self.own_initrd)
        self.child = child
        args = ["--rounds", str(rounds)]
        if skip:
            args += ["--skip", ",".join(skip)]
        words = ["run", BENCH_NAME, *map(encode_arg, args)]
        return self.guest_command(" ".join(([PROFILE_WORD] if profiled
                                            else []) + words))

    def guest_command(self, cmdline: str) -> list[str]:
        """The QEMU command of the kernel-shim side with `cmdline`."""
        return qemu.command(self.own_kernel, cmdline,
                            initrd=self.own_initrd, log=self.shim_log)

    def prepare_linux(self, rounds: int) -> tuple[list[str], dict]:
        """Builds the Linux side; returns its QEMU command and facts."""
        require_glibc_static()
        linux_bench = build_linux_bench(self.out_dir / "spawn_bench.glibc")
        vmlinuz, package = linux_kernel(self.out_dir / "linux")
        initramfs = linux_initramfs(linux_bench, self.child,
                                    self.out_dir / "initramfs-linux.cpio.gz")
        khz = host_tsc_khz(linux_bench)
        cmdline = (LINUX_CMDLINE.format(khz=khz)
                   + f" -- --rounds {rounds}")
        command = qemu.command(vmlinuz, cmdline, initrd=initramfs,
                               log=self.out_dir / "linux-debugcon.log")
        icount_cmdline = (f"{LINUX_ICOUNT_CMDLINE} -- --rounds "
                          f"{LINUX_ICOUNT_ROUNDS}")
        self.linux_icount_command = qemu.command(
            vmlinuz, icount_cmdline, initrd=initramfs,
            log=self.out_dir / "linux-debugcon.log") + ICOUNT_FLAGS \
            + ICOUNT_RTC
        # The shell figures boot the same kernel (bench/shell_bench.py).
        self.linux_kernel = vmlinuz
        self.linux_cmdline = LINUX_CMDLINE.format(khz=khz)
        facts = {"package": package, "kernel": vmlinuz.name,
                 "cmdline": cmdline, "tsc_khz": khz,
                 "icount_cmdline": icount_cmdline}
        return command, facts

    def irq_off(self) -> str:
        """The kernel's longest interrupts-off stretch in the last
        kernel-shim boot, from its log (kernel-shim/src/arch/irq_off.rs)."""
        return (qemu.irq_off_report(self.shim_log)
                or "no interrupts-off report in the kernel log")


# --- statistics, table, results ----------------------------------------------

def _median(values: list[float]) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else \
        (values[middle - 1] + values[middle]) / 2


def combine_runs(runs: list[dict]) -> dict:
    """Per case: the median over runs of each run's median and p90."""
    names = {name for run in runs for name in run["cases"]}
    combined = {}
    for name in names:
        figures = [run["cases"][name] for run in runs if name in run["cases"]]
        combined[name] = {
            "median_us": round(_median([f["median_us"] for f in figures]), 3),
            "p90_us": round(_median([f["p90_us"] for f in figures]), 3),
            "runs": len(figures),
            "rounds": sum(f["rounds"] for f in figures)}
    return combined


def _ms(seconds) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def _figure(entry) -> str:
    if entry is None:
        return "-"
    return f"{entry['median_us']:.0f} / {entry['p90_us']:.0f}"


def table_lines(shim: dict, linux: dict, shim_errors: dict,
                icount: dict, linux_icount: dict | None = None) -> list[str]:
    """The side-by-side table (Markdown), medians and p90s in µs, and the
    instruction counts (thousands, medians) from the icount boots, with
    their ratio."""
    linux_counted = (linux_icount or {}).get("cases", {})
    lines = ["| Case | kernel-shim median / p90 (µs) | Linux median / p90 "
             "(µs) | kernel-shim / Linux | kernel-shim k-instructions | "
             "Linux k-instructions | kernel-shim / Linux, instructions |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, label in CASES:
        ours, theirs = shim.get(name), linux.get(name)
        if ours is None and theirs is None:
            continue
        if ours is None and name in shim_errors:
            error = shim_errors[name]
            ours_text = f"error {error['errname']} ({error['step']})"
        elif ours is None and not name.startswith(("fork", "vfork")):
            ours_text = "not run"
        else:
            ours_text = _figure(ours)
        ratio = (f"{ours['median_us'] / theirs['median_us']:.2f}"
                 if ours and theirs else "-")
        counted = (f"{icount[name]['median_us']:.1f}" if name in icount
                   else "-")
        theirs_counted = (f"{linux_counted[name]['median'] / 1000:.1f}"
                          if name in linux_counted else "-")
        counted_ratio = (f"{icount[name]['median_us'] * 1000 / linux_counted[name]['median']:.2f}"
                         if name in icount and name in linux_counted
                         and linux_counted[name]["median"] > 0 else "-")
        lines.append(f"| `{name}` {label.strip()} | {ours_text} | "
                     f"{_figure(theirs)} | {ratio} | {counted} | "
                     f"{theirs_counted} | {counted_ratio} |")
    return lines


def ratio_lines(shim: dict, linux: dict, icount: dict,
                linux_icount: dict | None) -> list[str]:
    """kernel-shim's posix_spawn round trip against Linux's posix_spawn
    and its fastest method, vfork + execve, in wall clock and in
    instructions."""
    linux_counted = (linux_icount or {}).get("cases", {})
    lines = ["| kernel-shim `spawn` against | wall clock (median) | "
             "instructions (median) |", "|---|---:|---:|"]
    for name, label in (("spawn", "Linux posix_spawn + waitpid"),
                        ("vfork_exec", "Linux vfork + execve + waitpid")):
        wall = (f"{shim['spawn']['median_us'] / linux[name]['median_us']:.2f}x"
                if "spawn" in shim and name in linux else "-")
        counted = (f"{icount['spawn']['median_us'] * 1000 / linux_counted[name]['median']:.2f}x"
                   if "spawn" in icount and name in linux_counted else "-")
        lines.append(f"| {label} | {wall} | {counted} |")
    return lines


def targets(shim: dict, linux: dict, boots: dict) -> list[dict]:
    """The issue's targets, each with its figure and whether it is met."""
    def ratio(a: dict, name_a: str, b: dict, name_b: str):
        if name_a in a and name_b in b and b[name_b]["median_us"] > 0:
            return a[name_a]["median_us"] / b[name_b]["median_us"]
        return None

    out = []

    def add(name: str, value, limit: float, unit: str) -> None:
        out.append({"target": name, "value": value, "limit": limit,
                    "unit": unit,
                    "met": None if value is None else value <= limit})

    add("spawn round trip, kernel-shim / Linux posix_spawn",
        ratio(shim, "spawn", linux, "spawn"), 0.5, "x")
    add("kernel-shim 64 MiB parent / empty parent",
        ratio(shim, "spawn_mem_64mib", shim, "spawn"), 1.1, "x")
    add("kernel-shim 1000 fds / no extra fds",
        ratio(shim, "spawn_fds_1000", shim, "spawn"), 1.1, "x")
    add("kernel-shim 64 file actions / none",
        ratio(shim, "spawn_fa_64", shim, "spawn"), 1.5, "x")
    floor = boots.get("floor_first_line_ms")
    shim_boot = boots.get("kernel_shim_first_line_ms")
    add("kernel-shim boot to first line, above the floor",
        None if floor is None or shim_boot is None else shim_boot - floor,
        50.0, "ms")
    add("whole guest suite, wall time", boots.get("guest_suite_ms"), 3000.0,
        "ms")
    return out


def target_lines(checks: list[dict]) -> list[str]:
    lines = []
    for check in checks:
        value = check["value"]
        if value is None:
            state, shown = "not measured", "-"
        else:
            state = "met" if check["met"] else "MISSED"
            shown = (f"{value:.2f}x" if check["unit"] == "x"
                     else f"{value:.0f} ms")
        limit = (f"{check['limit']}x" if check["unit"] == "x"
                 else f"{check['limit']:.0f} ms")
        lines.append(f"- {check['target']}: {shown} (target <= {limit}): "
                     f"{state}")
    return lines


# --- the plot (SVG by hand) ------------------------------------------------

PLOT_SERIES = [
    # (label, system key, case per x, colour, dashed)
    ("kernel-shim posix_spawn", "kernel-shim", "spawn", "#1f77b4", False),
    ("Linux posix_spawn", "linux", "spawn", "#d62728", False),
    ("Linux vfork+execve", "linux", "vfork_exec", "#ff7f0e", True),
    ("Linux fork+execve", "linux", "fork_exec", "#2ca02c", True),
]


def _sweep_points(results: dict, system: str, prefix: str,
                  sweep: dict) -> list[tuple[float, float]]:
    cases = results.get(system, {})
    points = []
    for x, name in sweep.items():
        case = prefix + name[len("spawn"):]
        if case in cases:
            points.append((x, cases[case]["median_us"]))
    return points


def _nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten >= raw."""
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def _panel(x0: float, y0: float, width: float, height: float, title: str,
           xlabel: str, series: list, x_max: float) -> list[str]:
    """One panel: axes from 0, ticks, one polyline with markers per series."""
    y_max = max([y for _, _, _, pts in series for _, y in pts] + [1.0])
    step = _nice_step(y_max * 1.1 / 5)
    y_top = step * math.ceil(y_max * 1.1 / step)

    def px(x: float) -> float:
        return x0 + width * x / x_max

    def py(y: float) -> float:
        return y0 + height - height * y / y_top

    svg = [f'<text x="{x0 + width / 2}" y="{y0 - 12}" text-anchor="middle" '
           f'font-weight="bold">{title}</text>',
           f'<line x1="{x0}" y1="{y0 + height}" x2="{x0 + width}" '
           f'y2="{y0 + height}" stroke="black"/>',
           f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y0 + height}" '
           'stroke="black"/>',
           f'<text x="{x0 + width / 2}" y="{y0 + height + 36}" '
           f'text-anchor="middle">{xlabel}</text>',
           f'<text x="{x0 - 48}" y="{y0 + height / 2}" text-anchor="middle" '
           f'transform="rotate(-90 {x0 - 48} {y0 + height / 2})">'
           'median latency (µs)</text>']
    value = 0.0
    while value <= y_top + 1e-9:
        y = py(value)
        svg.append(f'<line x1="{x0 - 4}" y1="{y:.1f}" x2="{x0 + width}" '
                   f'y2="{y:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{x0 - 8}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{value:g}</text>')
        value += step
    xs = sorted({x for _, _, _, pts in series for x, _ in pts})
    for x in xs:
        svg.append(f'<text x="{px(x):.1f}" y="{y0 + height + 18}" '
                   f'text-anchor="middle">{x:g}</text>')
    for _, colour, dashed, points in series:
        if not points:
            continue
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        svg.append(f'<polyline points="{coords}" fill="none" '
                   f'stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in points:
            svg.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" '
                       f'fill="{colour}"><title>{y:.1f} µs</title></circle>')
    return svg


def write_plot(results: dict, subtitle: str, out: Path) -> None:
    width, height = 960, 460
    panel_w, panel_h = 360, 280
    memory = [(label, colour, dashed,
               _sweep_points(results, system, prefix, MEMORY_SWEEP))
              for label, system, prefix, colour, dashed in PLOT_SERIES]
    actions = [(label, colour, dashed,
                _sweep_points(results, system, prefix, ACTIONS_SWEEP))
               for label, system, prefix, colour, dashed in PLOT_SERIES
               if prefix == "spawn"]
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" '
           'font-size="15" font-weight="bold">Spawn latency: kernel-shim vs '
           'Linux + glibc, same QEMU machine</text>',
           f'<text x="{width / 2}" y="40" text-anchor="middle" '
           f'fill="#555">{subtitle}</text>']
    svg += _panel(90, 80, panel_w, panel_h, "Against parent memory",
                  "touched memory in the parent (MiB)", memory, 64)
    svg += _panel(560, 80, panel_w, panel_h, "Against file actions",
                  "file actions (posix_spawn)", actions, 64)
    legend_y = height - 40
    x = 90
    for label, _, _, colour, dashed in PLOT_SERIES:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        svg.append(f'<line x1="{x}" y1="{legend_y}" x2="{x + 28}" '
                   f'y2="{legend_y}" stroke="{colour}" stroke-width="2"'
                   f'{dash}/>')
        svg.append(f'<text x="{x + 34}" y="{legend_y + 4}">{label}</text>')
        x += 210
    svg.append("</svg>")
    out.write_text("\n".join(svg) + "\n")


# --- the commands ------------------------------------------------------------

def qemu_version() -> str:
    result = subprocess.run(["qemu-system-x86_64", "--version"],
                            capture_output=True, text=True)
    first = result.stdout.splitlines()[0] if result.stdout else "unknown"
    return first.replace("QEMU emulator version ", "")


def accelerator(command: list[str]) -> str:
    """The accelerator the command asks for: qemu/args asks for none, and
    QEMU's default for system emulation is TCG."""
    for flag in ("-accel", "-enable-kvm"):
        if flag in command:
            return "kvm" if flag == "-enable-kvm" else \
                command[command.index(flag) + 1]
    machine = command[command.index("-machine") + 1] \
        if "-machine" in command else ""
    match = re.search(r"accel=(\w+)", machine)
    return match.group(1) if match else "tcg"


def suite_boot() -> dict:
    """One boot of the Rust guest tests."""
    kernel = build_guest()
    names = guest_test_names(guest_binaries())
    command = qemu.command(kernel, "test " + " ".join(names))
    boot = timed_boot(command, BENCH_TIMEOUT_SECONDS, "test ")
    passed, failed = parse_transcript("\n".join(boot["lines"]))
    return {"tests": len(names), "passed": len(passed),
            "failed": len(failed), "code": boot["code"],
            "total_s": boot["total_s"]}


def _check_boot(boot: dict, system: str) -> dict:
    parsed = parse_output(boot["lines"])
    if parsed["done"] is None:
        tail = "\n".join(boot["lines"][-30:])
        raise StepFailed(f"{system}: the benchmark did not finish (QEMU "
                             f"exit code {boot['code']}); last lines:\n{tail}")
    return parsed


def icount_boot(command: list[str], system: str) -> dict:
    """One boot under icount (ICOUNT_FLAGS, ICOUNT_RTC), parsed."""
    flags = [] if "-icount" in command else ICOUNT_FLAGS + ICOUNT_RTC
    boot = timed_boot(command + flags, BENCH_TIMEOUT_SECONDS, FIRST_LINE)
    parsed = _check_boot(boot, system)
    parsed["total_s"] = boot["total_s"]
    return parsed


def profile_section(profiled_command: list[str],
                    plain: dict | None = None) -> dict:
    """Two icount boots of kernel-shim with the spawn profile on: per-round
    figures per case, whether the two boots counted identically (and where
    not), and the phases' sum check. With `plain` (an icount boot without
    the profile), the marks' cost as measured: the difference of the two
    boots' `spawn` means (clock_gettime's 838-instruction steps average
    out over the rounds)."""
    boots = []
    for index in range(2):
        print(f"bench: kernel-shim spawn profile, icount boot {index + 1}/2",
              flush=True)
        boots.append(icount_boot(profiled_command, "kernel-shim (profile)"))
    first, second = boots[0]["profiles"], boots[1]["profiles"]
    if not first:
        raise StepFailed("the profile boot printed no profile lines (is "
                         f"`{PROFILE_WORD}` reaching the kernel?)")
    differing = profile.differences(first, second)
    section = {"deterministic": not differing, "differences": differing,
               "sum_problems": profile.sum_problems(first),
               "cases": {name: profile.per_round(figures)
                         for name, figures in first.items()},
               "host_seconds": [round(b["total_s"], 2) for b in boots]}
    if plain is not None:
        with_marks = boots[0]["cases"].get("spawn")
        without = plain["cases"].get("spawn")
        if with_marks and without and "mean_us" in with_marks \
                and "mean_us" in without:
            section["measured_mark_overhead"] = round(
                (with_marks["mean_us"] - without["mean_us"]) * 1000)
    return section


def linux_icount_section(systems: "Systems") -> dict:
    """Two icount boots of Linux with LINUX_ICOUNT_ROUNDS rounds: median
    instructions per case, and whether the boots agree."""
    boots = []
    for index in range(2):
        print(f"bench: linux, icount boot {index + 1}/2 "
              f"({LINUX_ICOUNT_ROUNDS} rounds)", flush=True)
        boots.append(icount_boot(systems.linux_icount_command, "linux"))
    cases = {name: {"median": round(f["median_us"] * 1000),
                    "p90": round(f["p90_us"] * 1000), "rounds": f["rounds"]}
             for name, f in boots[0]["cases"].items()}
    differing = [f"{name}: {boots[0]['cases'][name]['median_us']} != "
                 f"{boots[1]['cases'].get(name, {}).get('median_us')} us"
                 for name in sorted(boots[0]["cases"])
                 if boots[0]["cases"][name].get("median_us")
                 != boots[1]["cases"].get(name, {}).get("median_us")]
    return {"rounds": LINUX_ICOUNT_ROUNDS, "cases": cases,
            "deterministic": not differing, "differences": differing,
            "clocksource": boots[0]["info"].get("clocksource"),
            "host_seconds": [round(b["total_s"], 2) for b in boots]}


def profile_lines(section: dict) -> list[str]:
    """The profile's report: the table, the check and the marks' cost."""
    cases = section["cases"]
    rounds = next(iter(cases.values()))["rounds"] if cases else 0
    lines = [f"Spawn profile: kernel-shim under -icount shift=0, guest "
             f"instructions per round (mean of {rounds} rounds; "
             f"`x.py bench --profile`):", ""]
    lines += profile.table_lines(cases)
    verdict = "yes" if section["deterministic"] else "NO"
    lines += ["", f"deterministic: {verdict} (two boots, every phase of "
              "every case compared)"]
    lines += [f"  differs: {line}" for line in section["differences"][:20]]
    lines += [f"  sum check FAILED: {line}"
              for line in section["sum_problems"]]
    spawn = cases.get("spawn")
    if spawn:
        measured = section.get("measured_mark_overhead")
        lines.append(
            f"marks: {spawn['marks']:g} per spawn round trip at "
            f"{spawn['mark_cost']} instructions each = "
            f"{spawn['mark_overhead']:,.0f} instructions"
            + ("" if measured is None else
               f"; measured (profile boot minus plain boot, spawn mean): "
               f"{measured:,} instructions"))
        lines.append(
            f"child start-up in user mode (musl's _start to main to exit, "
            f"bench/bench_child.c): {spawn['phases'].get('child_user', 0):,.0f}"
            f" instructions; the child's own system calls "
            f"{spawn['phases'].get('child_kernel', 0):,.0f}")
    return lines


def run_profile(rounds: int = DEFAULT_ROUNDS,
                out_dir: Path = BUILD_DIR / "bench") -> int:
    """`x.py bench --profile`: kernel-shim only; the profile table, and
    the profile in bench/results.json replaced (the rest kept)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    systems = Systems(out_dir)
    plain_command = systems.prepare_guest([], rounds)
    profiled_command = systems.prepare_guest([], rounds, profiled=True)
    print("bench: kernel-shim, icount boot without the profile", flush=True)
    plain = icount_boot(plain_command, "kernel-shim")
    section = profile_section(profiled_command, plain)
    try:
        results = json.loads(RESULTS_JSON.read_text())
    except (OSError, ValueError):
        results = {}
    results["profile"] = section
    RESULTS_JSON.write_text(json.dumps(results, indent=1, sort_keys=True)
                            + "\n")
    print()
    print("\n".join(profile_lines(section)))
    print(f"\nwrote the profile into {RESULTS_JSON.relative_to(ROOT)}")
    return 0 if section["deterministic"] and not section["sum_problems"] \
        else 1


def run(rounds: int = DEFAULT_ROUNDS, runs: int = DEFAULT_RUNS,
        out_dir: Path = BUILD_DIR / "bench") -> int:
    """`x.py bench`: both systems, alternating; table, JSON, plot."""
    out_dir.mkdir(parents=True, exist_ok=True)
    systems = Systems(out_dir)
    shim_command = systems.prepare_guest([], rounds)
    linux_command, linux_facts = systems.prepare_linux(rounds)
    floor_kernel = build_floor_kernel(out_dir)

    shim_runs, linux_runs, shim_boots, linux_boots = [], [], [], []
    for index in range(runs):
        for system, command, sink, boots in (
                ("kernel-shim", shim_command, shim_runs, shim_boots),
                ("linux", linux_command, linux_runs, linux_boots)):
            print(f"bench: run {index + 1}/{runs}, {system}", flush=True)
            boot = timed_boot(command, BENCH_TIMEOUT_SECONDS, FIRST_LINE)
            parsed = _check_boot(boot, system)
            for name, error in parsed["errors"].items():
                print(f"bench: {system}: {name} failed: {error['errname']} "
                      f"in {error['step']}")
            if system == "kernel-shim":
                parsed["irq_off"] = systems.irq_off()
                print(f"bench: kernel-shim: {parsed['irq_off']}")
            parsed["qemu_code"] = boot["code"]
            parsed["first_line_s"] = boot["first_line_s"]
            parsed["total_s"] = boot["total_s"]
            sink.append(parsed)
            boots.append(boot["first_line_s"])

    print("bench: kernel-shim instruction counts (-icount shift=0)",
          flush=True)
    plain = icount_boot(shim_command, "kernel-shim")
    icount = plain["cases"]
    spawn_profile = profile_section(
        systems.prepare_guest([], rounds, profiled=True), plain)
    linux_icount = linux_icount_section(systems)

    print("bench: boot times", flush=True)
    floor_command = qemu.command(floor_kernel, "floor", initrd=None,
                                 log=out_dir / "floor.log")
    shim_boot_command = systems.guest_command(f"run {CHILD_NAME}")
    floor_boots, shim_alone = [], []
    for _ in range(BOOT_SAMPLES):
        floor_boots.append(timed_boot(floor_command, BOOT_TIMEOUT_SECONDS,
                                      FLOOR_LINE))
        shim_alone.append(timed_boot(shim_boot_command, BOOT_TIMEOUT_SECONDS,
                                     INIT_LINE)["first_line_s"])
    suite = suite_boot()

    shim = combine_runs(shim_runs)
    linux = combine_runs(linux_runs)
    shim_errors = {name: error for run_ in shim_runs
                   for name, error in run_["errors"].items()}
    boots = {
        "floor_first_line_ms": _median([b["first_line_s"] for b in
                                        floor_boots]) * 1000,
        "floor_exit_ms": _median([b["total_s"] for b in floor_boots]) * 1000,
        "kernel_shim_first_line_ms": _median(shim_alone) * 1000,
        "kernel_shim_bench_first_line_ms": _median(shim_boots) * 1000,
        "linux_first_line_ms": _median(linux_boots) * 1000,
        "guest_suite_ms": suite["total_s"] * 1000,
        "guest_suite_tests": suite["tests"],
        "guest_suite_passed": suite["passed"],
        "guest_suite_failed": suite["failed"],
    }
    checks = targets(shim, linux, boots)
    when = datetime.datetime.now(datetime.timezone.utc)
    setup = {
        "date": when.strftime("%Y-%m-%d %H:%M UTC"),
        "qemu": qemu_version(),
        "accelerator": accelerator(shim_command),
        "qemu_flags": qemu.args_lines(),
        "host": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                f"{_host_cpu()}",
        "rounds": rounds, "runs": runs,
        "linux": {**linux_facts,
                  "clocksource": linux_runs[-1]["info"].get("clocksource"),
                  "thp": linux_runs[-1]["info"].get("thp")},
        "child": "bench/bench_child.c built against musl (the guest build), "
                 "the same binary on both systems",
    }
    results = {"setup": setup, "kernel-shim": shim, "linux": linux,
               "kernel-shim-icount": icount,
               "profile": spawn_profile, "linux-icount": linux_icount,
               "kernel-shim-errors": shim_errors, "boot": boots,
               "targets": checks,
               "runs": {"kernel-shim": [_strip(r) for r in shim_runs],
                        "linux": [_strip(r) for r in linux_runs]}}
    RESULTS_JSON.write_text(json.dumps(results, indent=1, sort_keys=True)
                            + "\n")
    subtitle = (f"QEMU {setup['qemu'].split()[0]}, {setup['accelerator']}, "
                f"microvm, 1 CPU, 256 MiB; median of {rounds} rounds x "
                f"{runs} runs; {setup['date']}")
    write_plot(results, subtitle, PLOT_SVG)

    print("bench: x.py run figures", flush=True)
    run_lines = run_figures.lines(run_figures.figures())
    print("bench: shell figures (bench/shell_bench.py)", flush=True)
    shell_lines = shell_bench.lines(shell_bench.figures(
        out_dir / "shell", rounds, systems.linux_kernel, systems.linux_cmdline))
    print()
    print("\n".join(report_lines(results) + run_lines + shell_lines))
    print(f"\nwrote {RESULTS_JSON.relative_to(ROOT)} and "
          f"{PLOT_SVG.relative_to(ROOT)}")
    return 0


def _host_cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _strip(parsed: dict) -> dict:
    return {key: parsed[key] for key in ("cases", "errors", "info",
                                         "first_line_s", "total_s",
                                         "qemu_code", "irq_off")
            if key in parsed}


def report_lines(results: dict) -> list[str]:
    """The Markdown report: setup, table, boot times, targets."""
    setup, boots = results["setup"], results["boot"]
    lines = [f"QEMU {setup['qemu']}, accelerator {setup['accelerator']}, "
             f"machine and flags of qemu/args (microvm, 1 CPU, 256 MiB); "
             f"{setup['date']}; host {setup['host']}.",
             f"Linux: Debian {setup['linux']['package']}, clocksource "
             f"{setup['linux']['clocksource']}, THP "
             f"{setup['linux']['thp']}. Median and p90 of "
             f"{setup['rounds']} rounds per run, median over "
             f"{setup['runs']} alternating runs per system.",
             ""]
    linux_icount = results.get("linux-icount")
    lines += table_lines(results["kernel-shim"], results["linux"],
                         results["kernel-shim-errors"],
                         results["kernel-shim-icount"], linux_icount)
    lines += [""] + ratio_lines(results["kernel-shim"], results["linux"],
                                results["kernel-shim-icount"], linux_icount)
    if linux_icount:
        verdict = "yes" if linux_icount["deterministic"] else "no"
        lines += ["", f"Instructions: -icount shift=0; kernel-shim "
                  f"{setup['rounds']} rounds, Linux {linux_icount['rounds']} "
                  f"rounds (its icount boot is slow: "
                  f"{linux_icount['host_seconds'][0]:.0f} s); Linux's two "
                  f"icount boots identical: {verdict}."]
        lines += [f"  Linux differs: {line}"
                  for line in linux_icount["differences"][:10]]
    if "profile" in results:
        lines += [""] + profile_lines(results["profile"])
    lines += ["",
              "| Boot (QEMU start to first line) | median |",
              "|---|---:|",
              f"| floor: PVH kernel that prints and exits at once | "
              f"{boots['floor_first_line_ms']:.0f} ms (QEMU exit "
              f"{boots['floor_exit_ms']:.0f} ms) |",
              f"| kernel-shim, to init's first line (`run {CHILD_NAME}`) | "
              f"{boots['kernel_shim_first_line_ms']:.0f} ms |",
              f"| kernel-shim, to the benchmark's first line (bench boots) "
              f"| {boots['kernel_shim_bench_first_line_ms']:.0f} ms |",
              f"| Linux (Debian bzImage via microvm firmware), to /init's "
              f"first line | {boots['linux_first_line_ms']:.0f} ms |",
              f"| whole guest suite ({boots['guest_suite_tests']} tests, "
              f"{boots['guest_suite_passed']} passed), QEMU start to exit | "
              f"{boots['guest_suite_ms']:.0f} ms |",
              ""]
    lines += [f"kernel-shim, run {index + 1}: {run_['irq_off']}"
              for index, run_ in enumerate(results["runs"]["kernel-shim"])
              if "irq_off" in run_]
    lines += ["", "Targets (reported, not asserted):"]
    lines += target_lines(results["targets"])
    return lines


def smoke(out_dir: Path = BUILD_DIR / "bench" / "smoke") -> tuple[int, int]:
    """`x.py test`: the guest side with SMOKE_ROUNDS rounds, the spawn
    profile on; no timing is checked. Every case not in GUEST_PENDING must
    report a result and a profile line whose phases sum to its total."""
    out_dir.mkdir(parents=True, exist_ok=True)
    systems = Systems(out_dir)
    for name, reason in GUEST_PENDING.items():
        print(f"bench smoke: {name} ... skipped: {reason}")
    try:
        command = systems.prepare_guest(sorted(GUEST_PENDING), SMOKE_ROUNDS,
                                        profiled=True)
    except Exception as error:  # a build failure is one failure
        print(f"bench smoke: build failed: {error}")
        return 0, 1
    boot = timed_boot(command, SMOKE_TIMEOUT_SECONDS, FIRST_LINE)
    print(f"bench smoke: kernel-shim: {systems.irq_off()}")
    parsed = parse_output(boot["lines"])
    expected = [name for name, _ in CASES
                if not name.startswith(("fork", "vfork"))
                and name not in GUEST_PENDING]
    passed = failed = 0
    for name in expected:
        if name in parsed["cases"]:
            passed += 1
            print(f"bench smoke: {name} ... ok")
        else:
            failed += 1
            error = parsed["errors"].get(name)
            why = (f"{error['errname']} ({error['error']}) in {error['step']}"
                   if error else "no result")
            print(f"bench smoke: {name} ... FAILED: {why}")
    profiled = {name: parsed["profiles"][name] for name in expected
                if name in parsed["profiles"]}
    problems = profile.sum_problems(profiled)
    problems += [f"{name}: no profile line" for name in expected
                 if name not in profiled]
    problems += [f"{name}: {figures['rounds']} rounds, expected "
                 f"{SMOKE_ROUNDS}" for name, figures in profiled.items()
                 if figures["rounds"] != SMOKE_ROUNDS]
    if problems:
        failed += 1
        print("bench smoke: profile lines parse and their phases sum to "
              "the total ... FAILED:")
        print("\n".join(f"  {problem}" for problem in problems))
    else:
        passed += 1
        print(f"bench smoke: profile lines parse and their phases sum to "
              f"the total ({len(profiled)} cases) ... ok")
    if parsed["done"] is None or boot["code"] != QEMU_EXIT_SUCCESS:
        failed += 1
        print(f"bench smoke: the benchmark did not finish cleanly (QEMU exit "
              f"code {boot['code']}); last lines:")
        print("\n".join(boot["lines"][-20:]))
    # The Linux side is not booted here, but its build must not rot.
    try:
        build_linux_bench(out_dir / "spawn_bench.glibc")
        passed += 1
        print("bench smoke: the glibc build (-DBENCH_LINUX) compiles ... ok")
    except RuntimeError as error:
        failed += 1
        print(f"bench smoke: the glibc build (-DBENCH_LINUX) ... FAILED: "
              f"{error}")
    print(f"bench smoke: {passed} passed, {failed} failed in "
          f"{boot['total_s']:.2f} s")
    return passed, failed
