/* sys/types.h - POSIX basic types (Linux x86_64 sizes). */
#ifndef _LIBC_SYS_TYPES_H
#define _LIBC_SYS_TYPES_H

#include <sys/_types.h>

#endif
