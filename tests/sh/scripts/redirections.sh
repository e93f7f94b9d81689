#!/bin/sh
# <, >, >>, 2>&1, n>file, n<&m, n>&-, here-documents.
f=sh_redir_file
echo first > $f
echo second >> $f
cat < $f
cat $f > sh_redir_copy
cat sh_redir_copy
cat /nonexistent/file 2> sh_redir_err
echo "status $?"
test -s sh_redir_err && echo "stderr went to the file"
{ echo out; cat /nonexistent/file; } > sh_redir_both 2>&1
test -s sh_redir_both && echo "both in the file"
echo to three 3> sh_redir_three >&3
cat sh_redir_three
exec 4< $f
cat <&4
echo closed >&- 2>/dev/null
echo "closed stdout status is nonzero: $([ $? -ne 0 ] && echo yes)"
cat <<EOF2
here $f
  indented
EOF2
cat <<'EOF2'
quoted $f
EOF2
cat <<-EOF2
	tabs stripped
	EOF2
echo after heredocs
> sh_redir_empty
test -f sh_redir_empty && echo "created by a lone redirection"
