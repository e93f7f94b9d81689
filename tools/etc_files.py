"""The guest's /etc/passwd and /etc/group, packed into every initrd.

musl's getpwnam, getpwuid, getgrnam and getgrgid read these files. They
name root, the user the guest tests switch to (uid and gid 1000) and
nobody; the shells are /bin/sh even though the guest has no shell yet.
Standard library only.
"""

from __future__ import annotations

from tools.initrd import InitrdFile

#: Mode of both files: a regular file, rw-r--r--.
ETC_MODE = 0o100644

#: name:password:uid:gid:gecos:home:shell, one account a line.
PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "user:x:1000:1000:user:/tmp:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/:/bin/sh\n"
)

#: name:password:gid:members, one group a line.
GROUP = (
    "root:x:0:\n"
    "user:x:1000:\n"
    "nogroup:x:65534:\n"
)


def etc_files() -> dict[str, InitrdFile]:
    """The initrd entries of /etc/passwd and /etc/group."""
    return {
        "etc/passwd": InitrdFile(PASSWD.encode(), mode=ETC_MODE),
        "etc/group": InitrdFile(GROUP.encode(), mode=ETC_MODE),
    }
