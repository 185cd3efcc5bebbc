/* linux/signal.h - the signal sets a task carries (lx fills what sleep.c-style code reads). */
#ifndef _LINUX_SIGNAL_H
#define _LINUX_SIGNAL_H
#include <linux/types.h>
#include <linux/list.h>

#define _NSIG 64
#define _NSIG_BPW 64
#define _NSIG_WORDS (_NSIG / _NSIG_BPW)
typedef struct {
	unsigned long sig[_NSIG_WORDS];
} sigset_t;
struct sigpending {
	struct list_head list;
	sigset_t signal;
};
#define SIGINT 2
#define SIGKILL 9
#define SIGTERM 15

#endif
