#!/bin/sh
# Single quotes, double quotes, backslashes, and quote removal.
x=value
echo 'single $x "double" \n'
echo "double $x 'single' \$x \\ \" end"
echo back\ slash\ space \$x \\ \'
echo "a  b   c"
echo a  b   c
echo ''"$x"''
echo "multi
line"
echo x\
y
empty=""
echo "[$empty]" [$empty] "[]"
