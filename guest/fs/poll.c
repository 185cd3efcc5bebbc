/*
 * poll, ppoll, select, pselect6: readiness of open files (lx_file_ops.poll),
 * and the sleeping with a deadline that they share with nanosleep.
 *
 * A call that finds nothing ready sleeps and runs again from the start
 * when woken (LX_BLOCK). Each file's poll names the channel its state
 * changes are announced on (a pipe, the console). When all the files share
 * one channel the process sleeps on it; when they name several, it sleeps
 * on the first and also wakes at the next tick to look again (lx_wake wakes
 * one channel; 10 ms is the most a readiness can wait to be seen). The
 * timeout is a deadline in ticks, kept across the reruns (sys_misc.h).
 * A signal ends the sleep; the signal code gives -EINTR (these calls never
 * restart after a handler).
 */
#include "fs/fs.h"
#include "proc.h"
#include "sys_misc.h"
#include "stdlib.h"
#include "string.h"

/* ---- sleeping with a deadline ---- */

static struct wait_state {
	int pid;
	uint64_t rip, nr, deadline;
	bool active;
} waits[LX_MAX_PROCS];

static struct wait_state *wait_of(struct lx_proc *p)
{
	return &waits[p - lx_procs];
}

int lx_wait_resume(struct lx_proc *p, uint64_t *deadline)
{
	struct wait_state *w = wait_of(p);
	if (w->active && w->pid == p->pid && w->rip == p->regs.rip && w->nr == p->orig_rax) {
		*deadline = w->deadline;
		return 1;
	}
	w->active = false;
	return 0;
}

long lx_wait_sleep(struct lx_proc *p, const void *channel, uint64_t deadline, bool recheck)
{
	struct wait_state *w = wait_of(p);
	w->active = true;
	w->pid = p->pid;
	w->rip = p->regs.rip;
	w->nr = p->orig_rax;
	w->deadline = deadline;
	uint64_t wake = deadline == LX_NO_DEADLINE ? 0 : deadline;
	if (recheck && (!wake || wake > lx_ticks() + 1))
		wake = lx_ticks() + 1;
	p->state = LX_SLEEPING;
	p->wait_channel = channel ? channel : (const void *)w;
	p->wake_tick = wake;
	return LX_BLOCK;
}

void lx_wait_done(struct lx_proc *p)
{
	wait_of(p)->active = false;
}

uint64_t lx_deadline_after_ns(uint64_t ns)
{
	return lx_ticks() + (ns + LX_TICK_NS - 1) / LX_TICK_NS;
}

static bool passed(uint64_t deadline)
{
	return deadline != LX_NO_DEADLINE && lx_ticks() >= deadline;
}

/* The time left until deadline, for the calls that write it back. */
static uint64_t left_ns(uint64_t deadline)
{
	uint64_t now = lx_ticks();
	return deadline == LX_NO_DEADLINE || deadline <= now ? 0 : (deadline - now) * LX_TICK_NS;
}

/* The channels a wait watches: one, or "several" */
struct channels {
	const void *first;
	bool several;
};

static void watch(struct channels *c, const void *ch)
{
	if (!ch)
		return;
	if (!c->first)
		c->first = ch;
	else if (c->first != ch)
		c->several = true;
}

/* ---- poll and ppoll ---- */

struct kpollfd {
	int32_t fd;
	int16_t events, revents;
};

#define POLL_MAX 4096

/* timeout_ns < 0: none. *deadline_out: for ppoll's remaining time. */
static long do_poll(struct lx_proc *p, uint64_t ufds, uint64_t nfds, int64_t timeout_ns, uint64_t *deadline_out)
{
	if (nfds > POLL_MAX)
		return -LX_EINVAL;
	uint64_t deadline;
	if (!lx_wait_resume(p, &deadline))
		deadline = timeout_ns < 0 ? LX_NO_DEADLINE : lx_deadline_after_ns((uint64_t)timeout_ns);
	*deadline_out = deadline;
	struct kpollfd small[16], *fds = small;
	if (nfds > 16 && !(fds = malloc(nfds * sizeof(*fds)))) {
		lx_wait_done(p);
		return -LX_ENOMEM;
	}
	long r;
	if (nfds && lx_copy_from_user(p, fds, ufds, nfds * sizeof(*fds))) {
		r = -LX_EFAULT;
		goto done;
	}
	long ready = 0;
	struct channels ch = {0};
	for (uint64_t i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		struct lx_file *f = fd_get(p, fds[i].fd);
		unsigned m;
		if (!f) {
			m = LX_POLLNVAL;
		} else {
			const void *c;
			m = file_poll(f, &c);
			watch(&ch, c);
			if (m & LX_POLLIN)
				m |= LX_POLLRDNORM;
			if (m & LX_POLLOUT)
				m |= LX_POLLWRNORM;
		}
		unsigned want = (uint16_t)fds[i].events | LX_POLLERR | LX_POLLHUP | LX_POLLNVAL;
		fds[i].revents = (int16_t)(m & want);
		if (fds[i].revents)
			ready++;
	}
	if (!ready && !passed(deadline)) {
		r = lx_wait_sleep(p, ch.first, deadline, ch.several);
		if (fds != small)
			free(fds);
		return r;
	}
	r = ready;
	for (uint64_t i = 0; i < nfds; i++)
		if (lx_copy_to_user(p, ufds + i * sizeof(*fds) + 6, &fds[i].revents, 2)) {
			r = -LX_EFAULT;
			break;
		}
done:
	lx_wait_done(p);
	if (fds != small)
		free(fds);
	return r;
}

static long sys_poll(struct lx_proc *p, uint64_t ufds, uint64_t nfds, uint64_t timeout, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	int32_t ms = (int32_t)timeout;
	uint64_t deadline;
	return do_poll(p, ufds, nfds, ms < 0 ? -1 : (int64_t)ms * 1000000, &deadline);
}

struct ktimespec {
	int64_t sec, nsec;
};

/* A user timespec as ns: 0, -LX_EFAULT, -LX_EINVAL; *ns = -1 for NULL. */
static long timespec_in(struct lx_proc *p, uint64_t uts, int64_t *ns)
{
	struct ktimespec ts;
	if (!uts) {
		*ns = -1;
		return 0;
	}
	if (lx_copy_from_user(p, &ts, uts, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
		return -LX_EINVAL;
	*ns = ts.sec > (INT64_MAX / 1000000000) - 1 ? INT64_MAX / 2 : ts.sec * 1000000000 + ts.nsec;
	return 0;
}

static void timespec_out(struct lx_proc *p, uint64_t uts, uint64_t ns)
{
	struct ktimespec ts = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
	if (uts)
		lx_copy_to_user(p, uts, &ts, sizeof(ts));
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize): the mask is not applied (docs/lx.md). */
static long sys_ppoll(struct lx_proc *p, uint64_t ufds, uint64_t nfds, uint64_t uts, uint64_t umask,
		      uint64_t size, uint64_t a5)
{
	(void)a5;
	if (umask && size != 8)
		return -LX_EINVAL;
	int64_t ns;
	long err = timespec_in(p, uts, &ns);
	if (err)
		return err;
	uint64_t deadline;
	long r = do_poll(p, ufds, nfds, ns, &deadline);
	if (r != LX_BLOCK && r >= 0 && uts)
		timespec_out(p, uts, left_ns(deadline));
	return r;
}

/* ---- select and pselect6 ---- */

#define SELECT_MAX 1024
#define SET_WORDS (SELECT_MAX / 64)

static long do_select(struct lx_proc *p, uint64_t nfds, uint64_t uin, uint64_t uout, uint64_t uex,
		      int64_t timeout_ns, uint64_t *deadline_out)
{
	if ((int32_t)nfds < 0 || nfds > SELECT_MAX)
		return -LX_EINVAL;
	uint64_t deadline;
	if (!lx_wait_resume(p, &deadline))
		deadline = timeout_ns < 0 ? LX_NO_DEADLINE : lx_deadline_after_ns((uint64_t)timeout_ns);
	*deadline_out = deadline;
	size_t bytes = (nfds + 63) / 64 * 8;
	uint64_t in[SET_WORDS] = {0}, out[SET_WORDS] = {0}, ex[SET_WORDS] = {0};
	uint64_t rin[SET_WORDS] = {0}, rout[SET_WORDS] = {0}, rex[SET_WORDS] = {0};
	long r;
	if ((uin && lx_copy_from_user(p, in, uin, bytes)) || (uout && lx_copy_from_user(p, out, uout, bytes)) ||
	    (uex && lx_copy_from_user(p, ex, uex, bytes))) {
		r = -LX_EFAULT;
		goto done;
	}
	long ready = 0;
	struct channels ch = {0};
	for (uint64_t fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1ull << (fd % 64);
		unsigned w = (unsigned)(fd / 64);
		if (!((in[w] | out[w] | ex[w]) & bit))
			continue;
		struct lx_file *f = fd_get(p, (int)fd);
		if (!f) {
			r = -LX_EBADF;
			goto done;
		}
		const void *c;
		unsigned m = file_poll(f, &c);
		watch(&ch, c);
		if ((in[w] & bit) && (m & (LX_POLLIN | LX_POLLHUP | LX_POLLERR)))
			rin[w] |= bit, ready++;
		if ((out[w] & bit) && (m & (LX_POLLOUT | LX_POLLERR)))
			rout[w] |= bit, ready++;
		if ((ex[w] & bit) && (m & LX_POLLPRI))
			rex[w] |= bit, ready++;
	}
	if (!ready && !passed(deadline))
		return lx_wait_sleep(p, ch.first, deadline, ch.several);
	if ((uin && lx_copy_to_user(p, uin, rin, bytes)) || (uout && lx_copy_to_user(p, uout, rout, bytes)) ||
	    (uex && lx_copy_to_user(p, uex, rex, bytes)))
		r = -LX_EFAULT;
	else
		r = ready;
done:
	lx_wait_done(p);
	return r;
}

static long sys_select(struct lx_proc *p, uint64_t nfds, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t utv,
		       uint64_t a5)
{
	(void)a5;
	int64_t ns = -1;
	if (utv) {
		int64_t tv[2];
		if (lx_copy_from_user(p, tv, utv, sizeof(tv)))
			return -LX_EFAULT;
		if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
			return -LX_EINVAL;
		ns = tv[0] > INT64_MAX / 2000000000 ? INT64_MAX / 2 : tv[0] * 1000000000 + tv[1] * 1000;
	}
	uint64_t deadline;
	long r = do_select(p, nfds, uin, uout, uex, ns, &deadline);
	if (r != LX_BLOCK && r >= 0 && utv) {
		uint64_t left = left_ns(deadline);
		int64_t tv[2] = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000 / 1000)};
		lx_copy_to_user(p, utv, tv, sizeof(tv));
	}
	return r;
}

/* pselect6(nfds, in, out, ex, timeout, {sigmask, size}): the mask is not applied (docs/lx.md). */
static long sys_pselect6(struct lx_proc *p, uint64_t nfds, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t uts,
			 uint64_t usig)
{
	(void)usig;
	int64_t ns;
	long err = timespec_in(p, uts, &ns);
	if (err)
		return err;
	uint64_t deadline;
	long r = do_select(p, nfds, uin, uout, uex, ns, &deadline);
	if (r != LX_BLOCK && r >= 0 && uts)
		timespec_out(p, uts, left_ns(deadline));
	return r;
}

void sys_poll_register(void)
{
	lx_syscall_register(7, "poll", sys_poll);
	lx_syscall_register(23, "select", sys_select);
	lx_syscall_register(270, "pselect6", sys_pselect6);
	lx_syscall_register(271, "ppoll", sys_ppoll);
}
