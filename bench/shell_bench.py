"""shell_bench.py: what a shell costs, reported by `x.py bench` (never
asserted): `sh -c true` round trip and a 3-stage pipeline
(`sh -c '/bin/true | /bin/true | /bin/true'`), timed by
bench/shell_bench.c.

- kernel-shim: the guest build of shell_bench.c, the guest's own
  /bin/sh (userland/sh, no fork: every command through posix_spawn).
- Linux, in the same QEMU (qemu/args): Debian's kernel (the one bench.py
  fetches) with an initramfs whose /init is shell_bench.c built
  statically against glibc and whose /bin/sh and /bin/true are Debian's
  static busybox (`apt-get download busybox-static`, unpacked with
  `dpkg -x` into build/bench/busybox; cached, never installed): a shell
  that forks.

    figures(out_dir, rounds, linux_kernel, linux_cmdline) -> results
    lines(results)                                        -> report lines

`python3 -m bench.shell_bench [ROUNDS]` runs the kernel-shim side alone.
Standard library only.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sys
from pathlib import Path

from tools import qemu
from tools.build import build_guest, compile_guest_c
from tools.command import StepFailed, run as run_command
from tools.initrd import InitrdFile, archive as cpio_archive
from tools.paths import BUILD_DIR
from tools.prereq import require_glibc_static
from tools.run import encode_arg

BENCH_DIR = Path(__file__).resolve().parent
SOURCE = BENCH_DIR / "shell_bench.c"
NAME = "shell_bench"
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2"]
LINUX_CFLAGS = [*CFLAGS, "-static", "-DBENCH_LINUX"]
BUSYBOX_PACKAGE = "busybox-static"
DEFAULT_ROUNDS = 50
TIMEOUT_SECONDS = 600
CASE_RESULT = re.compile(r"^case (\S+) median_us=([\d.]+) p90_us=([\d.]+) "
                         r"min_us=([\d.]+) max_us=([\d.]+) rounds=(\d+)")
CASE_ERROR = re.compile(r"^case (\S+) error=(.*)$")
#: What each case runs, for the report.
CASES = {"sh_c_true": "`sh -c true`, spawn to wait",
         "sh_c_pipeline_3": "`sh -c '/bin/true \\| /bin/true \\| /bin/true'` (3-stage pipeline)"}
#: The initramfs's directories and console (as bench.py's).
DIRECTORY_MODE = 0o040755
CONSOLE_MODE = 0o020600
CONSOLE_RDEV = (5, 1)


def parse(lines: list[str]) -> dict:
    """{case: {"median_us", "p90_us", "min_us", "max_us"} or {"error"}}."""
    cases: dict = {}
    for line in lines:
        line = line.strip()
        if m := CASE_RESULT.match(line):
            cases[m.group(1)] = {"median_us": float(m.group(2)),
                                 "p90_us": float(m.group(3)),
                                 "min_us": float(m.group(4)),
                                 "max_us": float(m.group(5))}
        elif m := CASE_ERROR.match(line):
            cases[m.group(1)] = {"error": m.group(2)}
    return cases


def boot_cases(command: list[str]) -> dict:
    boot = qemu.launch(command, timeout=TIMEOUT_SECONDS)
    cases = parse(boot.lines)
    if not cases:
        cases = {"boot": {"error": f"no result (QEMU exit {boot.code}, "
                                   f"timed out: {boot.timed_out})"}}
    return cases


def guest_side(out_dir: Path, rounds: int) -> dict:
    """The kernel-shim side: shell_bench in the guest with its /bin/sh."""
    out_dir.mkdir(parents=True, exist_ok=True)
    exe = out_dir / NAME
    compile_guest_c([SOURCE], exe, CFLAGS)
    initrd = out_dir / "initrd-shell.cpio"
    kernel = build_guest({f"bin/{NAME}": exe.read_bytes()}, out=initrd)
    own_kernel = out_dir / "kernel-shim-shell"
    shutil.copyfile(kernel, own_kernel)
    cmdline = " ".join(["run", NAME, *map(encode_arg,
                                          ["--rounds", str(rounds)])])
    return boot_cases(qemu.command(own_kernel, cmdline, initrd=initrd,
                                   log=out_dir / "kernel-shim-shell.log"))


def busybox(cache: Path) -> Path:
    """Debian's static busybox, downloaded and unpacked once."""
    unpacked = cache / "root"
    binary = unpacked / "bin" / "busybox"
    if binary.exists():
        return binary
    cache.mkdir(parents=True, exist_ok=True)
    for program in ("apt-get", "dpkg"):
        if shutil.which(program) is None:
            raise StepFailed(f"{program} is needed to fetch {BUSYBOX_PACKAGE}")
    debs = sorted(cache.glob(f"{BUSYBOX_PACKAGE}_*.deb"))
    if not debs:
        run_command(["apt-get", "download", BUSYBOX_PACKAGE], cwd=cache)
        debs = sorted(cache.glob(f"{BUSYBOX_PACKAGE}_*.deb"))
    if not debs:
        raise StepFailed(f"apt-get download {BUSYBOX_PACKAGE} left no package")
    tmp = cache / "unpacking"
    shutil.rmtree(tmp, ignore_errors=True)
    run_command(["dpkg", "-x", debs[-1], tmp])
    tmp.rename(unpacked)
    if not binary.exists():
        raise StepFailed(f"{debs[-1].name} holds no bin/busybox")
    return binary


def linux_side(out_dir: Path, rounds: int, kernel: Path,
               cmdline: str) -> dict:
    """Linux: shell_bench as /init, busybox as /bin/sh and /bin/true."""
    require_glibc_static()
    init = out_dir / (NAME + ".glibc")
    run_command(["gcc", *LINUX_CFLAGS, "-o", init, SOURCE])
    box = busybox(out_dir / "busybox").read_bytes()
    archive = cpio_archive({
        "bin": InitrdFile(b"", mode=DIRECTORY_MODE),
        "dev": InitrdFile(b"", mode=DIRECTORY_MODE),
        "dev/console": InitrdFile(b"", mode=CONSOLE_MODE, rdev=CONSOLE_RDEV),
        "init": init,
        # busybox runs the applet its argv[0] names.
        "bin/sh": box,
        "bin/true": box,
    })
    initramfs = out_dir / "initramfs-shell.cpio.gz"
    initramfs.write_bytes(gzip.compress(archive, compresslevel=6, mtime=0))
    return boot_cases(qemu.command(
        kernel, f"{cmdline} -- --rounds {rounds}", initrd=initramfs,
        log=out_dir / "linux-shell.log"))


def figures(out_dir: Path, rounds: int, linux_kernel: Path | None = None,
            linux_cmdline: str = "") -> dict:
    """Both sides (the Linux one only with a kernel)."""
    results = {"rounds": rounds, "kernel-shim": guest_side(out_dir, rounds)}
    if linux_kernel is not None:
        try:
            results["linux"] = linux_side(out_dir, rounds, linux_kernel,
                                          linux_cmdline)
        except StepFailed as error:
            results["linux"] = {"setup": {"error": str(error)}}
    return results


def _cell(entry: dict | None) -> str:
    if entry is None:
        return "-"
    if "error" in entry:
        return f"error: {entry['error']}"
    return f"{entry['median_us']:.0f} us (p90 {entry['p90_us']:.0f})"


def lines(results: dict) -> list[str]:
    """The report: one row per case, kernel-shim's sh beside busybox sh."""
    shim, linux = results["kernel-shim"], results.get("linux", {})
    out = ["", f"Shell (median of {results['rounds']} rounds; kernel-shim's "
               "/bin/sh never forks, Linux runs Debian's static busybox sh):",
           "", "| Case | kernel-shim | Linux, busybox sh |", "|---|---:|---:|"]
    for name, what in CASES.items():
        out.append(f"| {what} | {_cell(shim.get(name))} | "
                   f"{_cell(linux.get(name))} |")
    for side, cases in (("kernel-shim", shim), ("linux", linux)):
        for name, entry in cases.items():
            if name not in CASES:
                out.append(f"{side}: {name}: {_cell(entry)}")
    return out


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ROUNDS
    print("\n".join(lines(figures(BUILD_DIR / "bench" / "shell", rounds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
