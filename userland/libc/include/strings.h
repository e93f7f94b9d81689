/* strings.h - case-insensitive comparison (ASCII). */
#ifndef _LIBC_STRINGS_H
#define _LIBC_STRINGS_H

#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif
