#!/bin/sh
# Variables, ${...} forms, special parameters, positional parameters.
name=world
echo "hello $name ${name}s"
unset name
echo "unset: [${name}] [${name-default}] [${name:-colon}]"
empty=
echo "[${empty-dash}] [${empty:-colon}] [${empty+plus}] [${empty:+colonplus}]"
echo "[${assigned=now}] [$assigned]"
long=abcabc.tar.gz
echo "${#long} ${long#*b} ${long##*b} ${long%.*} ${long%%.*}"
set -- one "two words" three
echo "count $#: $1 | $2 | $3"
for a in "$@"; do echo "at: [$a]"; done
for a in $@; do echo "split: [$a]"; done
echo "star: $*"
shift
echo "after shift $#: $1"
set --
for a in "$@"; do echo "never"; done
echo "empty count $#"
echo "pid is a number: $(test "$$" -gt 0 && echo yes)"
