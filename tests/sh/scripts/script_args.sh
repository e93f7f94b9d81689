#!/bin/sh
# sh -c with arguments, sh FILE, commands on standard input.
sh -c 'echo "0=$0 1=$1 #=$#"' name one two
echo 'echo "from file $1"' > sh_args_script
sh sh_args_script arg
echo 'echo "from stdin"; exit 4' | sh
echo "stdin shell: $?"
sh -c 'if' 2>/dev/null
echo "syntax error: $?"
