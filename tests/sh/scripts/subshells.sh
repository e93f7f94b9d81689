#!/bin/sh
# ( ... ) does not change the shell; { ...; } does.
x=outer
(x=inner; echo "in: $x")
echo "out: $x"
{ x=group; }
echo "group: $x"
(cd /; pwd)
(exit 3) || echo "subshell failed with $?"
hidden=notexported
(echo "subshell sees $hidden")
f() { echo "function in subshell"; }
(f)
[ "$(echo $$)" = "$$" ] && echo "a command substitution keeps \$\$"
echo $$ | { read p; [ "$p" = "$$" ] && echo "a pipeline keeps \$\$"; }
(false)
(echo "subshell sees status $?")
