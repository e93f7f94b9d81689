#!/bin/sh
# Lists with ;, &&, ||, and their statuses.
true && echo "and runs"
false && echo "never"
false || echo "or runs"
true || echo "never"
false && echo never || echo "and-or chain"
true; false; echo "after ; $?"
echo a; echo b
false || false || echo "third"
true && true && echo "both"
{ false; } && echo no || echo "group status"
