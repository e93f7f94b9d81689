#!/bin/sh
# Pipelines: data flow, status of the last command, !, built-ins inside.
echo a b | cat
echo one | cat | cat | cat
false | true
echo "false|true: $?"
true | false
echo "true|false: $?"
! true
echo "!true: $?"
! false | false
echo "!false|false: $?"
echo piped | { cat; echo in group; }
x=outer
echo inner | x=changed cat
echo "x still $x"
cd / | true
printf_like() { echo "f($1)"; }
printf_like arg | cat
echo end
