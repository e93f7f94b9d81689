#!/bin/sh
# The printf built-in: conversions, flags, width, precision, escapes, reuse.
printf 'plain\n'
printf '%s and %s\n' one two
printf '[%5s][%-5s][%.2s]\n' ab cd efgh
printf '%d %i %o %x %X %u\n' 42 -7 8 255 255 3
printf '[%05d][%-4d][%+d]\n' 42 7 5
printf '%c%c\n' hello world
printf '%s\n' reused format for each
printf 'tab\there, backslash \\, octal \101\n'
printf '%b\n' 'escapes\tin %b'
printf '%%literal percent\n'
printf '%d\n' "'A"
printf 'missing: [%s] [%d]\n'
printf 'no newline'
echo

# A width far beyond any fixed buffer: every byte is printed.
wide=$(printf '%0100000d' 7)
echo "${#wide}"
wide=$(printf '%-70000s|' left)
echo "${#wide}"
