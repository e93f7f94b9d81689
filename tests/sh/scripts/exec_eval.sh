#!/bin/sh
# eval, exec with redirections, exec of a command.
cmd='echo evaluated'
eval $cmd
eval "x=1; y=2"
echo "$x $y"
exec 3> sh_exec_fd3
echo "to fd 3" >&3
exec 3>&-
cat sh_exec_fd3
sh -c 'exec echo replaced; echo never'
exec sh -c 'echo "exec status test"; exit 6'
echo never
