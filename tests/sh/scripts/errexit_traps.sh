#!/bin/sh
# set -e (and where POSIX ignores it), trap on EXIT and ignored signals.
trap 'echo "exit trap, status $?"' EXIT
trap '' INT
echo "trap status $?"
set -e
false || echo "or list survives"
if false; then echo no; fi
! true
while false; do :; done
echo "still running"
(set +e; false; echo "subshell without -e")
f() { false; echo "never printed"; }
f
echo "never printed either"
