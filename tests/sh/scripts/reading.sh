#!/bin/sh
# read, here-documents feeding loops, IFS in read.
cat > sh_read_input <<'END'
first line
  second   line  
a:b:c
END
while read -r line; do echo "[$line]"; done < sh_read_input
while read -r a b; do echo "a=[$a] b=[$b]"; done < sh_read_input
IFS=: read -r x y z <<END
one:two:three:four
END
echo "$x|$y|$z"
read missing < /dev/null
echo "read at end of file: $?"
n=0
while read -r _; do n=$((n + 1)); done <<END
1
2
3
END
echo "lines: $n"
