/*
 * wait.h - the old name of <sys/wait.h>, which glibc still provides and
 * the Linux manual pages' examples include. Everything is in sys/wait.h.
 */
#ifndef _LIBC_WAIT_H
#define _LIBC_WAIT_H

#include <sys/wait.h>

#endif
