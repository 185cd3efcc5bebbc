/* The runtime libc's process functions. */
#ifndef C_STDLIB_H
#define C_STDLIB_H

void exit(int code) __attribute__((noreturn));

#endif
