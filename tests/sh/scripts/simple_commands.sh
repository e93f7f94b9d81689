#!/bin/sh
# Simple commands, arguments, built-in and external echo, exit statuses.
echo hello world
/bin/echo external echo
true
echo "true: $?"
false
echo "false: $?"
:
echo "colon: $?"
echo -n no newline
echo
echo tab'\t'escape
