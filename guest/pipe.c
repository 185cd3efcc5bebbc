/* Pipes: a ring buffer between a read end and a write end; readers and writers sleep on the pipe. */
#include "fs/fs.h"
#include "syscall.h"
#include "stdlib.h"
#include "string.h"

#define PIPE_SIZE 16384

struct pipe {
	uint8_t *buf;
	size_t head, count;   /* the bytes waiting: count from head, wrapping */
	int readers, writers; /* open ends */
};

static long sleep_on(struct lx_proc *p, struct pipe *pp)
{
	p->state = LX_SLEEPING;
	p->wait_channel = pp;
	return LX_BLOCK;
}

static long pipe_read(struct lx_proc *p, struct lx_file *f, uint64_t ubuf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct pipe *pp = f->priv;
	if (n == 0)
		return 0;
	if (pp->count == 0) {
		if (pp->writers == 0)
			return 0; /* end of file */
		if (f->flags & LX_O_NONBLOCK)
			return -LX_EAGAIN;
		return sleep_on(p, pp);
	}
	size_t done = 0;
	while (done < n && pp->count) {
		size_t chunk = PIPE_SIZE - pp->head;
		if (chunk > pp->count)
			chunk = pp->count;
		if (chunk > n - done)
			chunk = n - done;
		if (lx_copy_to_user(p, ubuf + done, pp->buf + pp->head, chunk))
			return done ? (long)done : -LX_EFAULT;
		pp->head = (pp->head + chunk) % PIPE_SIZE;
		pp->count -= chunk;
		done += chunk;
	}
	lx_wake(pp); /* writers waiting for room */
	return (long)done;
}

static long pipe_write(struct lx_proc *p, struct lx_file *f, uint64_t ubuf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct pipe *pp = f->priv;
	if (pp->readers == 0) {
		lx_signal_send(p, 13); /* SIGPIPE (kills, unless handled or ignored) */
		return -LX_EPIPE;
	}
	if (n == 0)
		return 0;
	if (pp->count == PIPE_SIZE) {
		if (f->flags & LX_O_NONBLOCK)
			return -LX_EAGAIN;
		return sleep_on(p, pp);
	}
	size_t done = 0;
	while (done < n && pp->count < PIPE_SIZE) {
		size_t tail = (pp->head + pp->count) % PIPE_SIZE;
		size_t chunk = (tail >= pp->head ? PIPE_SIZE - tail : pp->head - tail);
		if (chunk > n - done)
			chunk = n - done;
		if (lx_copy_from_user(p, pp->buf + tail, ubuf + done, chunk))
			return done ? (long)done : -LX_EFAULT;
		pp->count += chunk;
		done += chunk;
	}
	lx_wake(pp); /* readers waiting for data */
	return (long)done;
}

static unsigned pipe_poll_read(struct lx_file *f, const void **channel)
{
	struct pipe *pp = f->priv;
	*channel = pp;
	return (pp->count ? LX_POLLIN : 0) | (pp->writers == 0 ? LX_POLLHUP : 0);
}

static unsigned pipe_poll_write(struct lx_file *f, const void **channel)
{
	struct pipe *pp = f->priv;
	*channel = pp;
	return (pp->count < PIPE_SIZE ? LX_POLLOUT : 0) | (pp->readers == 0 ? LX_POLLERR : 0);
}

static void pipe_free_if_unused(struct pipe *pp)
{
	if (pp->readers == 0 && pp->writers == 0) {
		free(pp->buf);
		free(pp);
	}
}

static void pipe_release_read(struct lx_file *f)
{
	struct pipe *pp = f->priv;
	pp->readers--;
	lx_wake(pp);
	pipe_free_if_unused(pp);
}

static void pipe_release_write(struct lx_file *f)
{
	struct pipe *pp = f->priv;
	pp->writers--;
	lx_wake(pp);
	pipe_free_if_unused(pp);
}

static const struct lx_file_ops pipe_read_ops = {
	.read = pipe_read, .poll = pipe_poll_read, .release = pipe_release_read,
	.seekable = false, .stat_mode = LX_S_IFIFO | 0600,
};
static const struct lx_file_ops pipe_write_ops = {
	.write = pipe_write, .poll = pipe_poll_write, .release = pipe_release_write,
	.seekable = false, .stat_mode = LX_S_IFIFO | 0600,
};

static long sys_pipe2(struct lx_proc *p, uint64_t ufds, uint64_t flags, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (flags & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK))
		return -LX_EINVAL;
	struct pipe *pp = calloc(1, sizeof(*pp));
	uint8_t *buf = malloc(PIPE_SIZE);
	if (!pp || !buf) {
		free(pp);
		free(buf);
		return -LX_ENFILE;
	}
	pp->buf = buf;
	unsigned nb = (unsigned)(flags & LX_O_NONBLOCK);
	struct lx_file *r = file_new(NULL, &pipe_read_ops, LX_O_RDONLY | nb, pp);
	if (r)
		pp->readers = 1;
	struct lx_file *w = r ? file_new(NULL, &pipe_write_ops, LX_O_WRONLY | nb, pp) : NULL;
	if (w)
		pp->writers = 1;
	if (!r || !w) {
		if (r)
			file_put(r); /* frees the pipe once both ends are gone */
		else {
			free(buf);
			free(pp);
		}
		return -LX_ENFILE;
	}
	bool cloexec = flags & LX_O_CLOEXEC;
	long rfd = fd_install(p, r, 0, cloexec);
	if (rfd < 0) {
		file_put(r);
		file_put(w);
		return rfd;
	}
	long wfd = fd_install(p, w, 0, cloexec);
	if (wfd < 0) {
		p->fds[rfd] = NULL;
		file_put(r);
		file_put(w);
		return wfd;
	}
	int32_t fds[2] = {(int32_t)rfd, (int32_t)wfd};
	if (lx_copy_to_user(p, ufds, fds, sizeof(fds))) {
		p->fds[rfd] = p->fds[wfd] = NULL;
		file_put(r);
		file_put(w);
		return -LX_EFAULT;
	}
	return 0;
}

static long sys_pipe(struct lx_proc *p, uint64_t ufds, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1;
	return sys_pipe2(p, ufds, 0, a2, a3, a4, a5);
}

void sys_pipe_register(void)
{
	lx_syscall_register(22, "pipe", sys_pipe);
	lx_syscall_register(293, "pipe2", sys_pipe2);
}
