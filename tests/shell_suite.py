"""The shell's script suite: each tests/sh/scripts/NAME.sh run by the
guest's /bin/sh (userland/sh) and by the host's /bin/sh (dash, the
oracle), standard output and exit status compared.

In the guest suite's boot each script is installed as
/etc/sh-scripts/NAME.sh and run by a wrapper, /bin/sh_NAME, itself a
`#!/bin/sh` script that init runs like any test program: it runs the
script with `sh` in /tmp (standard input /dev/null, standard error to a
file), then prints `sh-status: N` and the script's standard error as
`sh-stderr: ` lines. The host runs the same script with dash in a fresh
scratch directory. Each script is one check; a script named in
tests/sh/DIFFERENCES.md (`- NAME: reason`) may differ.

    guest_programs()     -> ({initrd path: content}, names)
    compare(transcript)  -> (passed, failed)
    native_compare()     -> (passed, failed)

The shell also builds natively (musl-gcc -static, musl's own posix_spawn
on Linux, its child shells pointed at itself): native_compare runs the
suite with it against dash without QEMU, a quicker second opinion (the
`shell-native` line); the guest run is the one that counts.

Standard library only.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.native import native_scratch, print_outputs, run_native
from tools import musl
from tools.command import echo, run
from tools.initrd import BIN_PREFIX, InitrdFile
from tools.paths import BUILD_DIR, ROOT

#: The scripts, and the list of intended differences.
SCRIPT_DIR = ROOT / "tests" / "sh" / "scripts"
DIFFERENCES = ROOT / "tests" / "sh" / "DIFFERENCES.md"
#: Where the scripts go in the initrd, and their wrappers' prefix.
GUEST_SCRIPT_DIR = "etc/sh-scripts/"
GUEST_PREFIX = "sh_"
#: The oracle.
HOST_SHELL = "/bin/sh"
NATIVE_TIMEOUT_SECONDS = 60
#: A data file's mode in the initrd.
SCRIPT_MODE = 0o100644
#: The native build of the shell, and a directory where `sh` is it.
NATIVE_DIR = BUILD_DIR / "sh-native"
NATIVE_SHELL = NATIVE_DIR / "sh"
NATIVE_BIN = NATIVE_DIR / "bin"
#: The wrapper's report lines.
STATUS_PREFIX = "sh-status: "
STDERR_PREFIX = "sh-stderr: "
#: init's result line for one program.
RESULT_LINE = re.compile(r"^test (\S+) \.\.\. (?:ok|FAILED: (.*))$")
DIFFERENCE_LINE = re.compile(r"^- (\w+): (.+)$")

WRAPPER = """#!/bin/sh
cd /tmp
sh /{script} < /dev/null 2> /tmp/sh-suite-stderr
echo "{status}$?"
while read -r line; do echo "{stderr}$line"; done < /tmp/sh-suite-stderr
"""


def scripts() -> list[Path]:
    return sorted(SCRIPT_DIR.glob("*.sh"))


def intended_differences() -> dict[str, str]:
    """{script name: reason} from DIFFERENCES."""
    found = {}
    for line in DIFFERENCES.read_text().splitlines():
        match = DIFFERENCE_LINE.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def guest_programs() -> tuple[dict[str, bytes | InitrdFile], list[str]]:
    """The scripts and their wrappers as initrd entries; the wrappers'
    names, which init runs."""
    files: dict[str, bytes | InitrdFile] = {}
    names = []
    for script in scripts():
        installed = GUEST_SCRIPT_DIR + script.name
        files[installed] = InitrdFile(script.read_bytes(), mode=SCRIPT_MODE)
        name = GUEST_PREFIX + script.stem
        files[BIN_PREFIX + name] = WRAPPER.format(
            script=installed, status=STATUS_PREFIX,
            stderr=STDERR_PREFIX).encode()
        names.append(name)
    return files, names


def host_run(script: Path, shell: str | Path = HOST_SHELL,
             path: str = "/bin:/usr/bin") -> tuple[str, int]:
    """The script under a host shell (dash unless told):
    (standard output, exit status)."""
    with native_scratch("sh-script-") as tmp:
        echo([shell, script])
        try:
            result = run_native([shell, script], tmp,
                                NATIVE_TIMEOUT_SECONDS, PATH=path)
        except subprocess.TimeoutExpired:
            return "(timed out)", -1
    return result.stdout, result.returncode


def build_native_shell() -> Path:
    """userland/sh as a native static musl program whose child shells
    are itself; `sh` in NATIVE_BIN is it."""
    sources = sorted(musl.SHELL_DIR.glob("*.c"))
    inputs = [*sources, *musl.SHELL_DIR.glob("*.h"), Path(__file__)]
    if musl.stale(NATIVE_SHELL, inputs):
        NATIVE_DIR.mkdir(parents=True, exist_ok=True)
        run([musl.CC, "-static", "-O2", *musl.WARNING_FLAGS,
             f'-DSHELL_PATH="{NATIVE_SHELL}"', "-o", NATIVE_SHELL, *sources])
    NATIVE_BIN.mkdir(parents=True, exist_ok=True)
    link = NATIVE_BIN / "sh"
    if not link.is_symlink():
        link.unlink(missing_ok=True)
        link.symlink_to(NATIVE_SHELL)
    return NATIVE_SHELL


def native_compare() -> tuple[int, int]:
    """Each script under the native build of the shell against dash."""
    shell = build_native_shell()
    allowed = intended_differences()
    passed = failed = 0
    for script in scripts():
        ours = host_run(script, shell, f"{NATIVE_BIN}:/bin:/usr/bin")
        if ours == host_run(script) or script.stem in allowed:
            passed += 1
        else:
            failed += 1
            print(f"shell-native: {script.stem}: FAILED: differs from dash "
                  f"(status {ours[1]}); output:")
            for line in ours[0].splitlines():
                print(f"shell-native:   | {line}")
    print(f"shell-native: {passed} scripts match dash, {failed} differ")
    return passed, failed


def guest_results(transcript: str) -> dict[str, tuple[str, int | None, list[str]]]:
    """{script: (its output, exit status or None, its stderr lines)} for
    every wrapper's section of the transcript."""
    results = {}
    section: list[str] = []
    for raw in transcript.splitlines():
        line = raw.rstrip("\r")
        match = RESULT_LINE.match(line)
        if match is None:
            section.append(line)
            continue
        name = match.group(1)
        if name.startswith(GUEST_PREFIX):
            output, stderr, status = [], [], None
            for part in section:
                if part.startswith(STATUS_PREFIX):
                    status = int(part[len(STATUS_PREFIX):])
                elif part.startswith(STDERR_PREFIX):
                    stderr.append(part[len(STDERR_PREFIX):])
                else:
                    output.append(part + "\n")
            results[name.removeprefix(GUEST_PREFIX)] = (
                "".join(output), status, stderr)
        section = []
    return results


def compare(transcript: str) -> tuple[int, int]:
    """Each script's guest output and status against dash's."""
    guest = guest_results(transcript)
    allowed = intended_differences()
    passed = failed = 0
    for script in scripts():
        name = script.stem
        host_out, host_status = host_run(script)
        if name not in guest:
            print(f"shell: {name}: no result in the guest")
            failed += 1
            continue
        guest_out, guest_status, stderr = guest[name]
        if (guest_out, guest_status) == (host_out, host_status):
            print(f"shell: {name}: matches dash")
            passed += 1
            continue
        if name in allowed:
            print(f"shell: {name}: differs from dash as intended: "
                  f"{allowed[name]}")
            passed += 1
            continue
        failed += 1
        print(f"shell: {name}: FAILED: guest status {guest_status}, dash "
              f"{host_status}")
        if guest_out != host_out:
            print_outputs("shell", name,
                          (("dash", host_out), ("guest", guest_out)))
        for line in stderr:
            print(f"shell: {name}: guest stderr | {line}")
    print(f"shell: {passed} scripts match dash, {failed} differ")
    return passed, failed
