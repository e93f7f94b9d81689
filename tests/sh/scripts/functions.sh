#!/bin/sh
# Functions: arguments, return, locals of the caller restored.
greet() {
    echo "hello $1 ($#)"
    return 7
}
greet you there
echo "returned $?"
set -- outer
greet inner
echo "after call: $1"
count() { n=0; for a; do n=$((n + 1)); done; echo $n; }
count a b c
early() { echo start; return 0; echo never; }
early
recurse() { [ $1 -gt 0 ] && { echo "depth $1"; recurse $(($1 - 1)); }; }
recurse 3

# Endless recursion stops with an error (status 2 in dash and here; the
# messages on standard error differ), never a crash.
endless() { endless; }
( endless ) 2>/dev/null
echo "endless recursion: $?"
