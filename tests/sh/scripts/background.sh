#!/bin/sh
# &, $!, wait.
sh -c 'exit 3' &
pid=$!
test -n "$pid" && echo "have a pid"
wait $pid
echo "waited: $?"
echo background > sh_bg_out &
wait
cat sh_bg_out
true | true &
wait
echo "all waited"
