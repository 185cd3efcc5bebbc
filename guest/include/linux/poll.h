/* linux/poll.h - poll and select: a driver names the wait queue its readiness changes on. */
#ifndef _LINUX_POLL_H
#define _LINUX_POLL_H
#include <linux/types.h>
#include <linux/fs.h>
#include <linux/wait.h>

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define EPOLLIN POLLIN
#define EPOLLOUT POLLOUT
#define EPOLLERR POLLERR
#define EPOLLHUP POLLHUP
#define EPOLLRDNORM POLLRDNORM
#define EPOLLWRNORM POLLWRNORM

typedef struct poll_table_struct {
	wait_queue_head_t *__lx_first;  /* the first queue named: lx sleeps on it */
} poll_table;

static inline void poll_wait(struct file *filp, wait_queue_head_t *wq, poll_table *p)
{
	(void)filp;
	if (p && !p->__lx_first)
		p->__lx_first = wq;
}

#endif
