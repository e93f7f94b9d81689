"""tools: the build and run machinery behind x.py (standard library only).

x.py parses the command line and calls one function here per command.
The modules import one another only downward, in this order (a module
imports only modules listed before it):

    paths, abi          where things are; numbers shared with the Rust side
    command             run and echo a command; StepFailed
    prereq, cargo       programs x.py needs; cargo builds and metadata
    initrd, fixtures    the cpio initrd format; the ENOEXEC fixtures
    etc_files           the guest's /etc/passwd and /etc/group
    transcript          what /bin/init reports on the serial console
    relay               `x.py run`'s standard output: a memfd copied on
                        to x.py's own
    qemu                the QEMU command line and the one launcher
    musl, build         guest C programs (musl + libspawn); the kernel,
                        programs, initrd
    guest_c             the C guest programs (tests and their fixtures)
    guest_musl          guest tests built with musl-gcc (static, static PIE)
    testlog             the console and log of `x.py test`
    run, fuzz           `x.py run`, `x.py qemu`; `x.py fuzz host|guest`
    testing             `x.py test`: the stages, which import the runners
                        in tests/ and bench/ (they import tools, never
                        testing)

tests/test_imports_py.py checks that the imports form no circle.
"""
