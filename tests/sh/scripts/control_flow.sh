#!/bin/sh
# if/elif/else, while, until, for, case, break, continue.
for x in 1 2 3; do
    if [ $x = 1 ]; then echo "one"
    elif [ $x = 2 ]; then echo "two"
    else echo "other $x"
    fi
done
i=0
while [ $i -lt 5 ]; do
    i=$((i + 1))
    [ $i = 2 ] && continue
    [ $i = 4 ] && break
    echo "while $i"
done
n=3
until [ $n -eq 0 ]; do echo "until $n"; n=$((n - 1)); done
for word in apple banana cherry "x y"; do
    case $word in
        a*) echo "$word starts with a" ;;
        *an*|*err*) echo "$word has an or err" ;;
        "x y") echo "quoted pattern" ;;
        *) echo "default" ;;
    esac
done
case "[x]" in
    "[x]") echo "literal brackets" ;;
esac
for outer in a b; do
    for inner in 1 2; do
        [ $inner = 2 ] && continue 2
        echo "$outer$inner"
    done
done
if false; then echo no; fi
echo "if without else: $?"
for none in; do echo never; done
echo done
