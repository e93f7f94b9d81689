#!/bin/sh
# 127 not found, 126 not executable, 128+N for a signal, exit N.
no_such_command_here 2>/dev/null
echo "not found: $?"
/no/such/path 2>/dev/null
echo "not found by path: $?"
echo 'echo hi' > ./sh_status_noexec
./sh_status_noexec 2>/dev/null
echo "not executable: $?"
sh -c 'exit 3'
echo "sh -c exit: $?"
(exit 42)
echo "subshell: $?"
sh -c 'exit 300'
echo "wrapped: $?"
exit 5
