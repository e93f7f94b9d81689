#!/bin/sh
# Command substitution, arithmetic, field splitting, pathname expansion.
echo "$(echo nested $(echo deeper))"
echo `echo backquotes`
lines=$(echo a; echo b)
echo "$lines"
echo $((1 + 2 * 3)) $(( (1 + 2) * 3 )) $((7 / 2)) $((7 % 3)) $((-4 + 1))
echo $((1 < 2)) $((2 == 2 && 3 != 4)) $((0 || 0)) $((5 > 3 ? 10 : 20))
v=5
echo $((v * v)) $(($v + 1))
words="a b   c"
for w in $words; do echo "[$w]"; done
for w in "$words"; do echo "[$w]"; done
IFS=:
path=x:y:z
for p in $path; do echo "part $p"; done
IFS=' 	
'
echo > sh_glob_a.gl
echo > sh_glob_b.gl
for f in sh_glob_*.gl; do echo "glob $f"; done
echo sh_glob_none_*.zz
echo "sh_glob_*.gl"
echo '*'
