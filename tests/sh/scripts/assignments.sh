#!/bin/sh
# Assignments alone and before commands; export; unset; env sees exports.
a=1 b=2
echo "$a $b"
c=3 env | grep_c=x cat >/dev/null
X_ONE=only_for_env env > sh_assign_env
while read line; do case $line in X_ONE=*) echo "env: $line";; esac; done < sh_assign_env
echo "after: [${X_ONE}]"
X_TWO=exported
export X_TWO
env > sh_assign_env
while read line; do case $line in X_TWO=*) echo "env: $line";; esac; done < sh_assign_env
export X_THREE=three
unset X_TWO
env > sh_assign_env
while read line; do case $line in X_T*) echo "env: $line";; esac; done < sh_assign_env
x=$(echo substituted)
echo "$x"
