/* ktest: vCPU mode — VCPU_CONTROL and RESUME errors, events from user mode (syscall, exception, page fault, IRQ), FPU and FS/GS state, deleting a vCPU in user mode. */
#include "ktest.h"
#include "pecan/vcpu.h"

/*
 * Each test makes one or more vCPUs (struct vc): a thread of this task put in
 * vCPU mode, a "guest" task holding the program image, a guest stack and a
 * page shared with this task (struct vc_shared). The main thread fills the
 * state area and starts the thread at vc_start_fn, which resumes into user
 * mode. Every event enters vc_entry (on the vCPU's entry stack), which calls
 * vc_event with the state area; that runs the test's on_event, which checks
 * the event and either resumes or ends the vCPU's part with a report on the
 * vCPU's gate to the main thread (0: passed, 1: failed, recorded with
 * kt_fail). The guests are assembly (below): the registers they hold at an
 * event are what the test checks.
 */

#define F PECAN_CAP_FACTORY
#define RW (PECAN_FPAGE_R | PECAN_FPAGE_W)
#define VC_STATE(i) (KT_UTCB_BASE + (500ull + (i)) * 4096) /* UTCB-region slots no kt_thread takes */
#define VC_MAX 4
#define VC_PF_ADDR 0x0000620000000000ull /* unmapped in a guest task until the handler maps it */
#define XMM3_OFF (160 + 3 * 16)          /* FXSAVE layout: XMM registers from byte 160, 16 bytes each */

enum { VC_LABEL_CLOBBER = 0x7c10, VC_IRQ_LABEL = 0x7c1 };
enum { VC_FAILED = -1, VC_DONE = 0, VC_RESUME = 1 };
enum { RFLAGS_TF = 1 << 8 };

/* The page the guest shares with this task (offsets used by the guest code). */
struct vc_shared {
	volatile uint64_t counter; /* 0: the spinning guests increment it */
	volatile uint64_t stop;    /* 8: the spinning guests leave their loop when it is nonzero */
	volatile uint64_t marker;  /* 16: guests say how far they got */
	volatile uint64_t hold;    /* 24: vcg_fpu spins while it is nonzero */
};

struct vc;
typedef int (*vc_event_fn)(struct vc *v, struct pecan_vcpu_state *s);

struct vc {
	struct kt_task user;      /* the guest task: user mode runs in it */
	struct kt_thread th;      /* the vCPU thread, in this task */
	struct pecan_vcpu_state *s;
	uint64_t *kstack;         /* entry stack of kernel mode */
	uint64_t *ustack;         /* guest stack, mapped into the guest task */
	struct vc_shared *sh;     /* mapped into the guest task */
	l4_cap_t gate;            /* to the main thread: the final report, requests */
	vc_event_fn on_event;
	volatile uint64_t events; /* events seen so far */
	uint64_t round;
	uint64_t a, b, c;         /* for the test */
	void *p1, *p2, *p3;       /* for the test */
	l4_cap_t irq;             /* for the test */
	uint64_t clobbers;        /* FPU uses of the main thread on request */
	uint64_t held;            /* FPU uses of the main thread while the guest spun on hold */
};

static struct vc *vcs[VC_MAX]; /* by state-area slot */

/* ---- the guests: run in user mode in the guest task; rdi = the shared page at the start ---- */
__asm__(".pushsection .text\n"
	/* syscall rounds: rax = 39 and known values, then a report syscall (rax 40) with
	 * rdi = round, rsi = the result the first syscall returned, rdx = 0 when rbx, r13..r15
	 * came back intact */
	".globl vcg_syscall\n"
	"vcg_syscall:\n"
	"	xor %r12d, %r12d\n"
	"1:	mov $39, %eax\n"
	"	mov %r12, %rdi\n"
	"	movabs $0x1111222233334444, %rbx\n"
	"	movabs $0x5555666677778888, %rdx\n"
	"	movabs $0x99990000aaaabbbb, %rsi\n"
	"	movabs $0xccccddddeeeeffff, %rbp\n"
	"	movabs $0x0123456789abcdef, %r8\n"
	"	movabs $0xfedcba9876543210, %r9\n"
	"	movabs $0x0f0f0f0f0f0f0f0f, %r10\n"
	"	movabs $0xf0f0f0f0f0f0f0f0, %r13\n"
	"	movabs $0x1357913579135791, %r14\n"
	"	movabs $0x2468024680246802, %r15\n"
	"	syscall\n"
	".globl vcg_syscall_after\n"
	"vcg_syscall_after:\n"
	"	mov %rax, %rsi\n"
	"	movabs $0x1111222233334444, %rcx\n"
	"	xor %rcx, %rbx\n"
	"	movabs $0xf0f0f0f0f0f0f0f0, %rcx\n"
	"	xor %rcx, %r13\n"
	"	or %r13, %rbx\n"
	"	movabs $0x1357913579135791, %rcx\n"
	"	xor %rcx, %r14\n"
	"	or %r14, %rbx\n"
	"	movabs $0x2468024680246802, %rcx\n"
	"	xor %rcx, %r15\n"
	"	or %r15, %rbx\n"
	"	mov %rbx, %rdx\n"
	"	mov %r12, %rdi\n"
	"	mov $40, %eax\n"
	"	syscall\n"
	"	inc %r12\n"
	"	jmp 1b\n"

	/* exceptions: ud2 (#UD), hlt (#GP), a division by zero (#DE), a single step (#DB, the
	 * handler sets TF), then syscall 50 */
	".globl vcg_exc\n"
	"vcg_exc:\n"
	"	mov %rdi, %r12\n"
	"	movabs $0x0bad0bad0bad0bad, %rbx\n"
	".globl vcg_exc_ud2\n"
	"vcg_exc_ud2:\n"
	"	ud2\n"
	"	movq $1, 16(%r12)\n"
	".globl vcg_exc_hlt\n"
	"vcg_exc_hlt:\n"
	"	hlt\n"
	"	movq $2, 16(%r12)\n"
	"	xor %ecx, %ecx\n"
	"	mov $1, %eax\n"
	"	xor %edx, %edx\n"
	".globl vcg_exc_div\n"
	"vcg_exc_div:\n"
	"	div %rcx\n"
	".globl vcg_exc_div_after\n"
	"vcg_exc_div_after:\n"
	"	movq $3, 16(%r12)\n"
	".globl vcg_exc_step\n"
	"vcg_exc_step:\n"
	"	mov $50, %eax\n"
	"	syscall\n"
	"	ud2\n"

	/* page faults: rsi = the address to touch. A write fault, a read of the mapped page,
	 * a read fault on the next page, a write to it (mapped read-only), then syscall 60 with
	 * rbx = the first read, r9 = the second */
	".globl vcg_pf\n"
	"vcg_pf:\n"
	"	movabs $0x0123456789abcdef, %rax\n"
	".globl vcg_pf_write\n"
	"vcg_pf_write:\n"
	"	mov %rax, (%rsi)\n"
	"	mov 8(%rsi), %rbx\n"
	".globl vcg_pf_read\n"
	"vcg_pf_read:\n"
	"	mov 0x1000(%rsi), %r9\n"
	".globl vcg_pf_ro\n"
	"vcg_pf_ro:\n"
	"	mov %rax, 0x1008(%rsi)\n"
	".globl vcg_pf_ro_after\n"
	"vcg_pf_ro_after:\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	ud2\n"

	/* spin: count until told to stop, then syscall 70 */
	".globl vcg_spin\n"
	"vcg_spin:\n"
	"	incq (%rdi)\n"
	"	cmpq $0, 8(%rdi)\n"
	"	je vcg_spin\n"
	".globl vcg_spin_end\n"
	"vcg_spin_end:\n"
	"	mov $70, %eax\n"
	"	syscall\n"
	"	ud2\n"

	/* marker: says it ran, r8 = xmm3, then syscall 71 */
	".globl vcg_marker\n"
	"vcg_marker:\n"
	"	movq $1, 16(%rdi)\n"
	"	movq %xmm3, %r8\n"
	"	mov $71, %eax\n"
	"	syscall\n"
	"	ud2\n"

	/* FPU and FS/GS: each round r8 = xmm3 as found, rbx = %fs:0, rdx = %gs:0, rsi = round;
	 * then xmm3 = 0x5ee0000000000000 + round; spin while hold is set; syscall 80 */
	".globl vcg_fpu\n"
	"vcg_fpu:\n"
	"	xor %r12d, %r12d\n"
	"1:	movq %xmm3, %r8\n"
	"	mov %fs:0, %rbx\n"
	"	mov %gs:0, %rdx\n"
	"	mov %r12, %rsi\n"
	"	movabs $0x5ee0000000000000, %rcx\n"
	"	add %r12, %rcx\n"
	"	movq %rcx, %xmm3\n"
	"2:	cmpq $0, 24(%rdi)\n"
	"	je 3f\n"
	"	incq (%rdi)\n"
	"	jmp 2b\n"
	"3:	mov $80, %eax\n"
	"	syscall\n"
	".globl vcg_fpu_after\n"
	"vcg_fpu_after:\n"
	"	inc %r12\n"
	"	jmp 1b\n"

	/* The kernel-mode entry: rsp = entry_sp, rdi = the state area. */
	".globl vc_entry\n"
	"vc_entry:\n"
	"	and $-16, %rsp\n"
	"	xor %ebp, %ebp\n"
	"	call vc_event\n"
	"	ud2\n"

	/* Another thread's use of the FPU: xmm0 and xmm3 get garbage. */
	".globl vc_clobber_fpu\n"
	"vc_clobber_fpu:\n"
	"	movabs $0xdeadbeefdeadbeef, %rax\n"
	"	movq %rax, %xmm0\n"
	"	movq %rax, %xmm3\n"
	"	ret\n"
	".popsection\n");

extern char vcg_syscall[], vcg_syscall_after[], vcg_exc[], vcg_exc_ud2[], vcg_exc_hlt[], vcg_exc_div[],
	vcg_exc_div_after[], vcg_exc_step[], vcg_pf[], vcg_pf_write[], vcg_pf_read[], vcg_pf_ro[], vcg_pf_ro_after[], vcg_spin[],
	vcg_spin_end[], vcg_marker[], vcg_fpu[], vcg_fpu_after[], vc_entry[];
void vc_clobber_fpu(void);
void vc_event(struct pecan_vcpu_state *s) __attribute__((noreturn));

/* ---- the mechanism's calls ---- */
static long vc_control(l4_cap_t thread, uint64_t addr)
{
	return l4_invoke(thread, PECAN_THREAD_VCPU_CONTROL, &addr, 1, 0, 0);
}

/* RESUME on the calling thread's own capability: returns only with an error. */
static long vc_resume_sel(l4_cap_t self)
{
	return l4_invoke(self, PECAN_THREAD_VCPU_RESUME, 0, 0, 0, 0);
}

static uint64_t xmm3_lo(const struct pecan_vcpu_state *s) { return *(const uint64_t *)(s->fpu + XMM3_OFF); }
static uint64_t xmm3_hi(const struct pecan_vcpu_state *s) { return *(const uint64_t *)(s->fpu + XMM3_OFF + 8); }
static void set_xmm3(struct pecan_vcpu_state *s, uint64_t lo)
{
	*(uint64_t *)(s->fpu + XMM3_OFF) = lo;
	*(uint64_t *)(s->fpu + XMM3_OFF + 8) = 0;
}

/* ---- kernel mode: the event handler ---- */
static void __attribute__((noreturn)) vc_report_and_park(struct vc *v, int r)
{
	kt_report1(v->gate, r == VC_DONE ? 0 : 1);
	kt_park();
}

void vc_event(struct pecan_vcpu_state *s)
{
	struct vc *v = 0;
	for (int i = 0; i < VC_MAX; i++)
		if (vcs[i] && vcs[i]->s == s)
			v = vcs[i];
	if (!v) {
		/* no report gate to use: the main thread times out */
		kt_fail(__FILE__, __LINE__, "an event entered kernel mode with rdi %p, no state area", (void *)s);
		kt_park();
	}
	v->events++;
	int r = v->on_event(v, s);
	if (r == VC_RESUME) {
		long err = vc_resume_sel(v->th.cap);
		kt_fail(__FILE__, __LINE__, "resume after event %lu (rip %#lx): %s", v->events, s->user.rip,
			l4_strerror(err));
		r = VC_FAILED;
	}
	vc_report_and_park(v, r);
}

static void vc_start_fn(void *p)
{
	struct vc *v = p;
	long err = vc_resume_sel(v->th.cap);
	kt_fail(__FILE__, __LINE__, "the first resume: %s", l4_strerror(err));
	vc_report_and_park(v, VC_FAILED);
}

/* A failed check in kernel mode: record it and end the vCPU's part. */
#define VC_EXPECT(cond)                                                                                    \
	do {                                                                                               \
		if (!(cond)) {                                                                             \
			kt_fail(__FILE__, __LINE__, "event %lu: %s (event %lu vector %lu error %#lx addr %#lx " \
				"rip %#lx rax %#lx)",                                                      \
				v->events, #cond, s->event, s->vector, s->error, s->fault_addr, s->user.rip,  \
				s->user.rax);                                                              \
			return VC_FAILED;                                                                  \
		}                                                                                          \
	} while (0)
#define VC_EXPECT_EQ(a, b)                                                                                    \
	do {                                                                                                  \
		uint64_t vc_a_ = (uint64_t)(a), vc_b_ = (uint64_t)(b);                                        \
		if (vc_a_ != vc_b_) {                                                                         \
			kt_fail(__FILE__, __LINE__, "event %lu: %s == %s: got %#lx, expected %#lx", v->events, \
				#a, #b, vc_a_, vc_b_);                                                        \
			return VC_FAILED;                                                                     \
		}                                                                                             \
	} while (0)

/* ---- the main thread's side ---- */

/* A vCPU in slot (its state area's place) with a fresh guest task, ready to start at guest. */
static int vc_setup(struct vc *v, unsigned slot, const void *guest, vc_event_fn fn, uint64_t flags)
{
	memset(v, 0, sizeof(*v));
	if (slot == 0)
		memset(vcs, 0, sizeof(vcs)); /* the first of a test: forget the last test's */
	KT_CHECK(kt_task_create(&v->user));
	v->kstack = kt_page();
	v->ustack = kt_page();
	v->sh = kt_page();
	KT_ASSERT(v->kstack && v->ustack && v->sh);
	KT_OK(kt_task_map_page(&v->user, v->ustack, RW));
	KT_OK(kt_task_map_page(&v->user, v->sh, RW));
	KT_CHECK(kt_thread_create(&v->th, 0, 0, 0));
	KT_OK(vc_control(v->th.cap, VC_STATE(slot)));
	v->gate = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(v->gate);
	struct pecan_vcpu_state *s = (struct pecan_vcpu_state *)VC_STATE(slot);
	v->s = s;
	v->on_event = fn;
	/* a fresh state area: zero, FPU in its initial state */
	KT_EQ(s->flags, 0);
	KT_EQ(s->event, PECAN_VCPU_EV_NONE);
	KT_EQ(s->user.rip, 0);
	KT_EQ(*(uint16_t *)(s->fpu + 0), 0x037f);
	KT_EQ(*(uint32_t *)(s->fpu + 24), 0x1f80);
	s->flags = flags;
	s->entry_ip = (uint64_t)vc_entry;
	s->entry_sp = (uint64_t)(v->kstack + 512);
	s->user_task = v->user.cap;
	s->user.rip = (uint64_t)guest;
	s->user.rsp = (uint64_t)(v->ustack + 512) - 64;
	s->user.rdi = (uint64_t)v->sh;
	s->user.rflags = 0x202;
	vcs[slot] = v;
	return 0;
}

static int vc_start(struct vc *v)
{
	KT_OK(kt_thread_start(&v->th, vc_start_fn, v));
	return 0;
}

/* Serves the vCPU's requests (FPU clobbers; poll between waits) until its final report. */
static int vc_wait_poll(struct vc *v, void (*poll)(struct vc *v))
{
	for (int i = 0; i < 1000; i++) {
		pecan_msgtag_t tag;
		uint64_t label;
		long err = l4_ipc_receive(v->gate, &tag, &label, 2000);
		if (err == PECAN_ETIMEOUT) {
			if (poll)
				poll(v);
			continue;
		}
		if (err)
			KT_FAIL("waiting for the vCPU (%lu events): %s", v->events, l4_strerror(err));
		if (pecan_msgtag_label(tag) == VC_LABEL_CLOBBER) {
			vc_clobber_fpu();
			v->clobbers++;
			KT_OK(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)));
			continue;
		}
		KT_EQ(pecan_msgtag_label(tag), KT_LABEL_REPORT);
		KT_EQ(pecan_msgtag_words(tag), 1);
		return pecan_utcb()->mr[0] ? -1 : 0; /* the vCPU recorded its failure */
	}
	KT_FAIL("no report from the vCPU (%lu events, guest counter %lu, marker %lu)", v->events, v->sh->counter,
		v->sh->marker);
}

static int vc_wait(struct vc *v) { return vc_wait_poll(v, 0); }

/* Waits (sleeping) until the guest's counter passes at least `more` beyond its current value. */
static int vc_wait_counter(struct vc *v, uint64_t more)
{
	uint64_t c0 = v->sh->counter;
	for (int i = 0; i < 1000; i++) {
		if (v->sh->counter >= c0 + more)
			return 0;
		kt_sleep_us(1000);
	}
	KT_FAIL("the guest does not run: counter %lu, was %lu (%lu events)", v->sh->counter, c0, v->events);
}

/* Waits until the vCPU saw n events. */
static int vc_wait_events(struct vc *v, uint64_t n)
{
	for (int i = 0; i < 1000; i++) {
		if (v->events >= n)
			return 0;
		kt_sleep_us(1000);
	}
	KT_FAIL("%lu events, waited for %lu", v->events, n);
}

static l4_cap_t vc_irq(struct vc *v, uint64_t label)
{
	l4_cap_t irq = kt_sel();
	long err = irq ? l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq) : PECAN_EINVAL;
	if (!err)
		err = l4_irq_bind(irq, v->th.cap, label);
	if (err) {
		kt_fail(__FILE__, __LINE__, "create and bind an IRQ: %s", l4_strerror(err));
		return 0;
	}
	return irq;
}

/* ---- vcpu.control ---------------------------------------------------------- */
struct control_arg {
	l4_cap_t self, self_r, task, task_r, exited, gate;
	uint64_t state;
};

/* On the vCPU thread (kernel mode): every RESUME that must fail, then a report of the errors. */
static void control_resume_fn(void *p)
{
	struct control_arg *a = p;
	struct pecan_vcpu_state *s = (struct pecan_vcpu_state *)a->state;
	uint64_t r[10];
	s->user.rip = (uint64_t)vcg_spin;
	s->user_task = 250; /* names nothing */
	r[0] = (uint64_t)vc_resume_sel(a->self);
	s->user_task = a->self; /* not a task */
	r[1] = (uint64_t)vc_resume_sel(a->self);
	s->user_task = PECAN_CAP_TASK; /* its own task */
	r[2] = (uint64_t)vc_resume_sel(a->self);
	s->user_task = a->task_r; /* a task capability without W */
	r[3] = (uint64_t)vc_resume_sel(a->self);
	s->user_task = a->exited;
	r[4] = (uint64_t)vc_resume_sel(a->self);
	s->user_task = a->task;
	s->user.rip = 0xffff800000001000ull; /* the kernel half */
	r[5] = (uint64_t)vc_resume_sel(a->self);
	s->user.rip = 0x0000800000000000ull; /* the first non-canonical address */
	r[6] = (uint64_t)vc_resume_sel(a->self);
	s->user.rip = (uint64_t)vcg_spin;
	s->user.fs_base = 0xffff800000000000ull;
	r[7] = (uint64_t)vc_resume_sel(a->self);
	s->user.fs_base = 0;
	s->user.gs_base = 0x0000800000000000ull;
	r[8] = (uint64_t)vc_resume_sel(a->self);
	s->user.gs_base = 0;
	r[9] = (uint64_t)vc_resume_sel(a->self_r); /* through a capability without W */
	kt_report(a->gate, 10, r);
	kt_park();
}

static int t_vcpu_control(void)
{
	memset(vcs, 0, sizeof(vcs));
	l4_cap_t unbound = kt_sel();
	KT_ASSERT(unbound);
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, unbound));
	KT_ERR(vc_control(unbound, VC_STATE(0)), PECAN_EINVAL);

	struct kt_thread t;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	KT_ERR(vc_control(t.cap, 0), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, VC_STATE(0) + 8), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, VC_STATE(0) + 0x800), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, 0x0000800000000000ull), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, 0xffff800000000000ull), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, 0xfffffffffffff000ull), PECAN_EFAULT);
	KT_ERR(vc_control(t.cap, t.utcb), PECAN_EBUSY); /* its UTCB is there */
	/* W is needed; missing words */
	l4_cap_t tr = kt_sel();
	KT_OK(kt_map_self(t.cap, PECAN_CAP_R, tr));
	KT_ERR(vc_control(tr, VC_STATE(0)), PECAN_EPERM);
	KT_ERR(l4_invoke(t.cap, PECAN_THREAD_VCPU_CONTROL, 0, 0, 0, 0), PECAN_EINVAL);
	uint64_t objects = kt_objects();
	KT_OK(vc_control(t.cap, VC_STATE(0)));
	KT_EQ(kt_objects(), objects);
	KT_ERR(vc_control(t.cap, VC_STATE(1)), PECAN_EBUSY);
	KT_ERR(vc_control(t.cap, VC_STATE(0)), PECAN_EBUSY);
	/* the area is mapped here, zeroed, with the initial FPU state */
	struct pecan_vcpu_state *s = (struct pecan_vcpu_state *)VC_STATE(0);
	KT_EQ(s->flags, 0);
	KT_EQ(s->entry_ip, 0);
	KT_EQ(s->user.rip, 0);
	KT_EQ(*(uint16_t *)(s->fpu + 0), 0x037f);
	KT_EQ(*(uint32_t *)(s->fpu + 24), 0x1f80);
	KT_EQ(xmm3_lo(s), 0);
	/* another thread cannot take the same place */
	struct kt_thread t2;
	KT_CHECK(kt_thread_create(&t2, 0, 0, 0));
	KT_ERR(vc_control(t2.cap, VC_STATE(0)), PECAN_EBUSY);

	/* RESUME: the main thread is no vCPU; another thread's capability never resumes */
	KT_ERR(vc_resume_sel(PECAN_CAP_THREAD), PECAN_EINVAL);
	KT_ERR(vc_resume_sel(t.cap), PECAN_EINVAL);
	KT_ERR(vc_resume_sel(t2.cap), PECAN_EINVAL);

	/* RESUME by the vCPU thread itself, each with a bad state area */
	struct kt_task task, gone;
	KT_CHECK(kt_task_create(&task));
	KT_CHECK(kt_task_create(&gone));
	KT_OK(l4_task_exit(gone.cap, 0));
	struct control_arg *a = t.data;
	a->self = t.cap;
	a->self_r = tr;
	a->task = task.cap;
	a->task_r = kt_sel();
	a->exited = gone.cap;
	a->gate = kt_main_gate(KT_LABEL_REPORT);
	a->state = VC_STATE(0);
	KT_ASSERT(a->task_r && a->gate);
	KT_OK(kt_map_self(task.cap, PECAN_CAP_R, a->task_r));
	s->entry_ip = (uint64_t)vc_entry;
	s->entry_sp = (uint64_t)t.stack + 2048;
	s->user.rsp = 0x1000;
	s->user.rflags = 0x202;
	KT_OK(kt_thread_start(&t, control_resume_fn, a));
	uint64_t r[10];
	KT_REPORT(a->gate, 10, r);
	KT_ERR((long)r[0], PECAN_ECAP);
	KT_ERR((long)r[1], PECAN_ECAP);
	KT_ERR((long)r[2], PECAN_EINVAL);
	KT_ERR((long)r[3], PECAN_EPERM);
	KT_ERR((long)r[4], PECAN_EINVAL);
	KT_ERR((long)r[5], PECAN_EINVAL);
	KT_ERR((long)r[6], PECAN_EINVAL);
	KT_ERR((long)r[7], PECAN_EINVAL);
	KT_ERR((long)r[8], PECAN_EINVAL);
	KT_ERR((long)r[9], PECAN_EPERM);
	/* it is still a normal thread in kernel mode: parked in an open wait */
	KT_CHECK(kt_wait_state(t.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_EQ(s->event, PECAN_VCPU_EV_NONE);
	return 0;
}

/* ---- vcpu.syscall_event ---------------------------------------------------- */
enum { SYSCALL_ROUNDS = 5 };

static int syscall_event(struct vc *v, struct pecan_vcpu_state *s)
{
	VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
	VC_EXPECT_EQ(s->flags & PECAN_VCPU_IRQS, 0);
	if (s->user.rax == 39) {
		VC_EXPECT_EQ(s->user.rdi, v->round);
		VC_EXPECT_EQ(s->user.rbx, 0x1111222233334444ull);
		VC_EXPECT_EQ(s->user.rdx, 0x5555666677778888ull);
		VC_EXPECT_EQ(s->user.rsi, 0x99990000aaaabbbbull);
		VC_EXPECT_EQ(s->user.rbp, 0xccccddddeeeeffffull);
		VC_EXPECT_EQ(s->user.r8, 0x0123456789abcdefull);
		VC_EXPECT_EQ(s->user.r9, 0xfedcba9876543210ull);
		VC_EXPECT_EQ(s->user.r10, 0x0f0f0f0f0f0f0f0full);
		VC_EXPECT_EQ(s->user.r12, v->round);
		VC_EXPECT_EQ(s->user.r13, 0xf0f0f0f0f0f0f0f0ull);
		VC_EXPECT_EQ(s->user.r14, 0x1357913579135791ull);
		VC_EXPECT_EQ(s->user.r15, 0x2468024680246802ull);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_syscall_after);
		VC_EXPECT_EQ(s->user.rsp, v->a);
		VC_EXPECT(s->user.rflags & 0x200);
		VC_EXPECT_EQ(s->user.fs_base, 0);
		VC_EXPECT_EQ(s->user.gs_base, 0);
		VC_EXPECT_EQ(s->vector, 0);
		VC_EXPECT_EQ(s->fault_addr, 0);
		s->user.rax = v->round * 3 + 7; /* the "system call's" result */
		return VC_RESUME;
	}
	VC_EXPECT_EQ(s->user.rax, 40);
	VC_EXPECT_EQ(s->user.rdi, v->round);
	VC_EXPECT_EQ(s->user.rsi, v->round * 3 + 7); /* the guest got the result */
	VC_EXPECT_EQ(s->user.rdx, 0);                /* and its registers back */
	if (++v->round == SYSCALL_ROUNDS)
		return VC_DONE;
	return VC_RESUME;
}

static int t_vcpu_syscall_event(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_syscall, syscall_event, 0));
	v.a = v.s->user.rsp;
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait(&v));
	KT_EQ(v.events, 2 * SYSCALL_ROUNDS);
	KT_EQ(v.round, SYSCALL_ROUNDS);
	return 0;
}

/* ---- vcpu.exception_event -------------------------------------------------- */
static int exception_event(struct vc *v, struct pecan_vcpu_state *s)
{
	switch (v->events) {
	case 1:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_EXCEPTION);
		VC_EXPECT_EQ(s->vector, 6);
		VC_EXPECT_EQ(s->error, 0);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_exc_ud2);
		VC_EXPECT_EQ(s->user.rbx, 0x0bad0bad0bad0badull);
		VC_EXPECT_EQ(v->sh->marker, 0);
		s->user.rip += 2; /* past the ud2 */
		return VC_RESUME;
	case 2:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_EXCEPTION);
		VC_EXPECT_EQ(s->vector, 13); /* hlt in user mode: #GP(0) */
		VC_EXPECT_EQ(s->error, 0);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_exc_hlt);
		VC_EXPECT_EQ(v->sh->marker, 1);
		s->user.rip += 1;
		return VC_RESUME;
	case 3:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_EXCEPTION);
		VC_EXPECT_EQ(s->vector, 0); /* #DE */
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_exc_div);
		VC_EXPECT_EQ(s->user.rcx, 0);
		VC_EXPECT_EQ(v->sh->marker, 2);
		s->user.rip = (uint64_t)vcg_exc_div_after;
		s->user.rflags |= RFLAGS_TF; /* single-step the next instruction */
		return VC_RESUME;
	case 4:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_EXCEPTION);
		VC_EXPECT_EQ(s->vector, 1); /* #DB: a trap, after the instruction */
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_exc_step);
		VC_EXPECT(s->user.rflags & RFLAGS_TF);
		VC_EXPECT_EQ(v->sh->marker, 3);
		s->user.rflags &= ~(uint64_t)RFLAGS_TF;
		return VC_RESUME;
	default:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
		VC_EXPECT_EQ(s->user.rax, 50);
		VC_EXPECT_EQ(v->sh->marker, 3);
		return VC_DONE;
	}
}

static int t_vcpu_exception_event(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_exc, exception_event, 0));
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait(&v));
	KT_EQ(v.events, 5);
	KT_EQ(v.sh->marker, 3);
	return 0;
}

/* ---- vcpu.page_fault_event ------------------------------------------------- */
enum { PF_USER = 4, PF_WRITE = 2, PF_PRESENT = 1 };

static int page_fault_event(struct vc *v, struct pecan_vcpu_state *s)
{
	long err;
	switch (v->events) {
	case 1: /* the write to an unmapped page */
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_PAGE_FAULT);
		VC_EXPECT_EQ(s->vector, 14);
		VC_EXPECT_EQ(s->fault_addr, VC_PF_ADDR);
		VC_EXPECT_EQ(s->error & (PF_USER | PF_WRITE | PF_PRESENT), PF_USER | PF_WRITE);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_pf_write);
		err = l4_task_map(v->user.cap, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)v->p1, 12, RW), VC_PF_ADDR,
				  PECAN_ITEM_MAP);
		VC_EXPECT(err == PECAN_OK);
		return VC_RESUME;
	case 2: /* the read of the next page */
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_PAGE_FAULT);
		VC_EXPECT_EQ(s->fault_addr, VC_PF_ADDR + 0x1000);
		VC_EXPECT_EQ(s->error & (PF_USER | PF_WRITE | PF_PRESENT), PF_USER);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_pf_read);
		VC_EXPECT_EQ(s->user.rbx, 0x5a5a5a5a);
		err = l4_task_map(v->user.cap, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)v->p2, 12, PECAN_FPAGE_R),
				  VC_PF_ADDR + 0x1000, PECAN_ITEM_MAP);
		VC_EXPECT(err == PECAN_OK);
		return VC_RESUME;
	case 3: /* the write to the read-only page: present and write */
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_PAGE_FAULT);
		VC_EXPECT_EQ(s->fault_addr, VC_PF_ADDR + 0x1008);
		VC_EXPECT_EQ(s->error & (PF_USER | PF_WRITE | PF_PRESENT), PF_USER | PF_WRITE | PF_PRESENT);
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_pf_ro);
		VC_EXPECT_EQ(s->user.r9, 0x77);
		s->user.rip = (uint64_t)vcg_pf_ro_after; /* skip it */
		return VC_RESUME;
	default:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
		VC_EXPECT_EQ(s->user.rax, 60);
		VC_EXPECT_EQ(s->user.rbx, 0x5a5a5a5a);
		VC_EXPECT_EQ(s->user.r9, 0x77);
		return VC_DONE;
	}
}

static int t_vcpu_page_fault_event(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_pf, page_fault_event, 0));
	uint64_t *p1 = kt_page(), *p2 = kt_page();
	KT_ASSERT(p1 && p2);
	p1[1] = 0x5a5a5a5a;
	p2[0] = 0x77;
	p2[1] = 0x99;
	v.p1 = p1;
	v.p2 = p2;
	v.s->user.rsi = VC_PF_ADDR;
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait(&v));
	KT_EQ(v.events, 4);
	KT_EQ(p1[0], 0x0123456789abcdefull); /* the guest's write went to the page mapped for it */
	KT_EQ(p2[1], 0x99);                  /* and not through the read-only mapping */
	return 0;
}

/* ---- vcpu.irq_event --------------------------------------------------------- */
enum { IRQ_ROUNDS = 3 };

static int irq_event(struct vc *v, struct pecan_vcpu_state *s)
{
	if (v->round < IRQ_ROUNDS) {
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_IRQ);
		VC_EXPECT_EQ(s->irq_label, VC_IRQ_LABEL);
		VC_EXPECT_EQ(s->vector, 0);
		VC_EXPECT_EQ(s->flags & PECAN_VCPU_IRQS, 0); /* the kernel turned virtual interrupts off */
		VC_EXPECT(s->user.rip >= (uint64_t)vcg_spin && s->user.rip <= (uint64_t)vcg_spin_end);
		VC_EXPECT_EQ(s->user.rdi, (uint64_t)v->sh);
		if (++v->round == IRQ_ROUNDS)
			v->sh->stop = 1;
		s->flags |= PECAN_VCPU_IRQS;
		return VC_RESUME;
	}
	VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
	VC_EXPECT_EQ(s->user.rax, 70);
	VC_EXPECT_EQ(s->irq_label, 0);
	/* delivered once: nothing left to receive as IPC */
	pecan_msgtag_t tag;
	uint64_t label;
	VC_EXPECT(l4_ipc_receive(v->irq, &tag, &label, PECAN_TIMEOUT_ZERO) == PECAN_ETIMEOUT);
	return VC_DONE;
}

static int t_vcpu_irq_event(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_spin, irq_event, PECAN_VCPU_IRQS));
	v.irq = vc_irq(&v, VC_IRQ_LABEL);
	KT_ASSERT(v.irq);
	KT_CHECK(vc_start(&v));
	for (uint64_t i = 0; i < IRQ_ROUNDS; i++) {
		KT_CHECK(vc_wait_counter(&v, 100)); /* in user mode, spinning */
		KT_EQ(v.events, i);
		KT_OK(l4_irq_trigger(v.irq));
		KT_CHECK(vc_wait_events(&v, i + 1));
	}
	KT_CHECK(vc_wait(&v));
	KT_EQ(v.events, IRQ_ROUNDS + 1);
	return 0;
}

/* ---- vcpu.irq_deferred ------------------------------------------------------ */
static int irq_deferred_event(struct vc *v, struct pecan_vcpu_state *s)
{
	switch (v->events) {
	case 1: /* the IRQ stayed pending while user mode ran with virtual interrupts off */
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
		VC_EXPECT_EQ(s->user.rax, 70);
		/* turn them on and resume into a guest that must not run before the IRQ */
		s->user.rip = (uint64_t)vcg_marker;
		s->user.rbx = 0xb0b0b0b0;
		set_xmm3(s, 0x3333444455556666ull);
		s->flags |= PECAN_VCPU_IRQS;
		return VC_RESUME;
	case 2:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_IRQ);
		VC_EXPECT_EQ(s->irq_label, VC_IRQ_LABEL);
		VC_EXPECT_EQ(s->flags & PECAN_VCPU_IRQS, 0);
		VC_EXPECT_EQ(v->sh->marker, 0); /* before the guest ran */
		/* the user state the guest kernel set is still there */
		VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_marker);
		VC_EXPECT_EQ(s->user.rdi, (uint64_t)v->sh);
		VC_EXPECT_EQ(s->user.rbx, 0xb0b0b0b0);
		VC_EXPECT_EQ(xmm3_lo(s), 0x3333444455556666ull);
		/* unchanged since this event: the kernel may keep the FPU state as
		 * it is, which must be the image written before the IRQ came */
		s->flags |= PECAN_VCPU_FPU_KEEP;
		return VC_RESUME;
	default:
		VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
		VC_EXPECT_EQ(s->user.rax, 71);
		VC_EXPECT_EQ(v->sh->marker, 1);
		VC_EXPECT_EQ(s->user.r8, 0x3333444455556666ull); /* xmm3 as the guest found it */
		return VC_DONE;
	}
}

static int t_vcpu_irq_deferred(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_spin, irq_deferred_event, 0));
	v.irq = vc_irq(&v, VC_IRQ_LABEL);
	KT_ASSERT(v.irq);
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait_counter(&v, 100));
	KT_OK(l4_irq_trigger(v.irq));
	/* user mode goes on: several time slices of spinning, no event */
	KT_CHECK(vc_wait_counter(&v, 10000));
	kt_sleep_us(3000);
	KT_CHECK(vc_wait_counter(&v, 10000));
	KT_EQ(v.events, 0);
	v.sh->stop = 1;
	KT_CHECK(vc_wait(&v));
	KT_EQ(v.events, 3);
	return 0;
}

/* ---- vcpu.fpu_and_fs -------------------------------------------------------- */
enum { FPU_ROUNDS = 12 };

/*
 * Per round the guest reports xmm3 as it found it (r8), %fs:0 (rbx) and
 * %gs:0 (rdx), then sets xmm3 to 0x5ee0000000000000 + round. The handler
 * checks that value in the state area and, on odd rounds, writes another
 * one there; it moves FS and GS base between pages p1/p2 and p3/sh. On
 * rounds 1 mod 3 it asks the main thread to use the FPU before it resumes
 * (kernel mode lost the registers); on rounds 2 mod 4 it sets hold, and the
 * main thread uses the FPU while the guest spins after setting xmm3 (at the
 * event the registers no longer hold the vCPU's state). On even rounds
 * (the handler did not write the image) it resumes with
 * PECAN_VCPU_FPU_KEEP, which the kernel must clear at the next event: the
 * guest still finds its xmm3, whether it stayed in the registers or the
 * main thread's use moved it to the save area.
 */
static int fpu_event(struct vc *v, struct pecan_vcpu_state *s)
{
	uint64_t r = v->round;
	uint64_t *fa = v->p1, *fb = v->p2, *ga = v->p3;
	VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_SYSCALL);
	VC_EXPECT_EQ(s->user.rax, 80);
	VC_EXPECT_EQ(s->flags & PECAN_VCPU_FPU_KEEP, 0);
	VC_EXPECT_EQ(s->user.rsi, r);
	VC_EXPECT_EQ(s->user.rip, (uint64_t)vcg_fpu_after);
	VC_EXPECT_EQ(s->user.r8, v->a);                       /* xmm3 as the guest found it */
	VC_EXPECT_EQ(xmm3_lo(s), 0x5ee0000000000000ull + r); /* xmm3 as the guest left it */
	VC_EXPECT_EQ(xmm3_hi(s), 0);
	VC_EXPECT_EQ(s->user.rbx, v->b);                     /* %fs:0 */
	VC_EXPECT_EQ(s->user.rdx, v->c);                     /* %gs:0 */
	VC_EXPECT_EQ(s->user.fs_base, (r & 1) ? (uint64_t)fb : (uint64_t)fa);
	VC_EXPECT_EQ(s->user.gs_base, (r & 1) ? (uint64_t)v->sh : (uint64_t)ga);
	VC_EXPECT_EQ(*(uint16_t *)(s->fpu + 0), 0x037f);
	VC_EXPECT_EQ(*(uint32_t *)(s->fpu + 24) & 0xffbf, 0x1f80);
	VC_EXPECT_EQ(v->sh->hold, 0);
	if (++v->round == FPU_ROUNDS)
		return VC_DONE;
	r = v->round;
	/* the next round's FPU contents */
	if (r & 1) {
		v->a = 0xabc0000000000000ull + r;
		set_xmm3(s, v->a);
	} else {
		v->a = 0x5ee0000000000000ull + r - 1;
		s->flags |= PECAN_VCPU_FPU_KEEP; /* the image is as the event left it */
	}
	/* and FS and GS: the pages swap, their contents change */
	uint64_t *f = (r & 1) ? fb : fa;
	f[0] = 0xf5000000 + r;
	v->b = f[0];
	s->user.fs_base = (uint64_t)f;
	if (r & 1) {
		s->user.gs_base = (uint64_t)v->sh; /* %gs:0 is the counter there */
		v->c = v->sh->counter;
	} else {
		ga[0] = 0x65000000 + r;
		v->c = ga[0];
		s->user.gs_base = (uint64_t)ga;
	}
	if (r % 3 == 1) {
		pecan_msgtag_t tag;
		long err = l4_ipc_call(v->gate, pecan_msgtag(VC_LABEL_CLOBBER, 0, 0, 0), KT_TIMEOUT, &tag);
		VC_EXPECT(err == PECAN_OK);
	}
	if (r % 4 == 2) {
		v->sh->hold = 1;
		v->sh->counter = 0; /* fpu_poll waits for it to grow */
	}
	return VC_RESUME;
}

/* Between waits: when the guest spins on hold, use the FPU here, then let it go on. */
static void fpu_poll(struct vc *v)
{
	if (v->sh->hold && v->sh->counter > 100) {
		vc_clobber_fpu();
		v->held++;
		v->sh->hold = 0;
	}
}

static int t_vcpu_fpu_and_fs(void)
{
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_fpu, fpu_event, 0));
	uint64_t *fa = kt_page(), *fb = kt_page(), *ga = kt_page();
	KT_ASSERT(fa && fb && ga);
	KT_OK(kt_task_map_page(&v.user, fa, PECAN_FPAGE_R));
	KT_OK(kt_task_map_page(&v.user, fb, PECAN_FPAGE_R));
	KT_OK(kt_task_map_page(&v.user, ga, PECAN_FPAGE_R));
	v.p1 = fa;
	v.p2 = fb;
	v.p3 = ga;
	fa[0] = 0xf5000000;
	ga[0] = 0x65000000;
	v.a = 0x1234abcd00000001ull;
	v.b = fa[0];
	v.c = ga[0];
	set_xmm3(v.s, v.a);
	v.s->user.fs_base = (uint64_t)fa;
	v.s->user.gs_base = (uint64_t)ga;
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait_poll(&v, fpu_poll));
	KT_EQ(v.round, FPU_ROUNDS);
	KT_EQ(v.clobbers, 4); /* rounds 1, 4, 7, 10 */
	KT_EQ(v.held, 3);     /* rounds 2, 6, 10 */
	return 0;
}

/* ---- vcpu.kill_in_user_mode ------------------------------------------------- */
static int kill_event(struct vc *v, struct pecan_vcpu_state *s)
{
	/* only the third vCPU sees an event: the IRQ after its task was deleted */
	VC_EXPECT_EQ(s->event, PECAN_VCPU_EV_IRQ);
	VC_EXPECT_EQ(s->irq_label, VC_IRQ_LABEL);
	VC_EXPECT(s->user.rip >= (uint64_t)vcg_spin && s->user.rip <= (uint64_t)vcg_spin_end);
	VC_EXPECT_EQ(s->user_task, v->user.cap);
	long err = vc_resume_sel(v->th.cap);
	VC_EXPECT(err == PECAN_ECAP); /* the task is gone */
	return VC_DONE;
}

static int t_vcpu_kill_in_user_mode(void)
{
	struct vc a, b, c;
	uint64_t n;
	/* 1. the vCPU thread deleted while its guest spins */
	KT_CHECK(vc_setup(&a, 0, vcg_spin, kill_event, 0));
	KT_CHECK(vc_start(&a));
	KT_CHECK(vc_wait_counter(&a, 100));
	KT_OK(kt_delete(a.th.cap));
	n = a.sh->counter;
	kt_sleep_us(3000);
	KT_EQ(a.sh->counter, n);

	/* 2. the guest task deleted while the vCPU runs in it: user mode goes on,
	 * the task lives until the thread is deleted too */
	KT_CHECK(vc_setup(&b, 1, vcg_spin, kill_event, 0));
	KT_CHECK(vc_start(&b));
	KT_CHECK(vc_wait_counter(&b, 100));
	KT_OK(kt_delete(b.user.cap));
	KT_CHECK(vc_wait_counter(&b, 1000));
	uint64_t type, rights;
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, b.user.cap, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(kt_delete(b.th.cap));
	n = b.sh->counter;
	kt_sleep_us(3000);
	KT_EQ(b.sh->counter, n);

	/* 3. the guest task deleted, then an event: kernel mode runs, the task is
	 * gone for good and RESUME says so */
	KT_CHECK(vc_setup(&c, 2, vcg_spin, kill_event, PECAN_VCPU_IRQS));
	c.irq = vc_irq(&c, VC_IRQ_LABEL);
	KT_ASSERT(c.irq);
	KT_CHECK(vc_start(&c));
	KT_CHECK(vc_wait_counter(&c, 100));
	KT_OK(kt_delete(c.user.cap));
	KT_CHECK(vc_wait_counter(&c, 100));
	KT_OK(l4_irq_trigger(c.irq));
	KT_CHECK(vc_wait(&c));
	KT_EQ(c.events, 1);
	return 0;
}

static const uint64_t vc_probe_word = 0x600df00d;

/* ---- vcpu.bad_entry --------------------------------------------------------- */
static int t_vcpu_bad_entry(void)
{
	/* An event with no valid entry point stops the thread (the kernel says
	 * so on the console); its guest task, already deleted, goes with it. */
	struct vc v;
	KT_CHECK(vc_setup(&v, 0, vcg_spin, kill_event, PECAN_VCPU_IRQS));
	v.irq = vc_irq(&v, VC_IRQ_LABEL);
	KT_ASSERT(v.irq);
	v.s->entry_ip = 0xffff800000000000ull;
	KT_CHECK(vc_start(&v));
	KT_CHECK(vc_wait_counter(&v, 100));
	KT_OK(kt_delete(v.user.cap));
	KT_OK(l4_irq_trigger(v.irq));
	KT_CHECK(kt_wait_state(v.th.cap, PECAN_THREAD_STATE_DEAD));
	KT_EQ(v.events, 0);
	uint64_t n = v.sh->counter;
	kt_sleep_us(2000);
	KT_EQ(v.sh->counter, n);
	/* the kernel goes on: a fresh task and a probe in it work */
	struct kt_task t;
	KT_CHECK(kt_task_create(&t));
	KT_PROBE_OK(&t, (uint64_t)&vc_probe_word, 0x600df00d);
	return 0;
}

const struct ktest ktest_vcpu[] = {
	{"vcpu.control", "VCPU_CONTROL and RESUME errors: unbound, twice, bad addresses, rights, bad state",
	 t_vcpu_control},
	{"vcpu.syscall_event", "syscall in user mode is an event with the registers; resume returns a result",
	 t_vcpu_syscall_event},
	{"vcpu.exception_event", "ud2, hlt, divide by zero, single step in user mode are exception events",
	 t_vcpu_exception_event},
	{"vcpu.page_fault_event", "page faults in user mode are events; the guest kernel maps and resumes",
	 t_vcpu_page_fault_event},
	{"vcpu.irq_event", "an IRQ interrupts user mode with the virtual interrupt flag set", t_vcpu_irq_event},
	{"vcpu.irq_deferred", "with the flag clear an IRQ waits; RESUME with the flag set delivers it first",
	 t_vcpu_irq_deferred},
	{"vcpu.fpu_and_fs", "XMM state and FS/GS base of user mode across events, other FPU users between",
	 t_vcpu_fpu_and_fs},
	{"vcpu.kill_in_user_mode", "deleting the vCPU thread or its guest task while user mode runs",
	 t_vcpu_kill_in_user_mode},
	{"vcpu.bad_entry", "an event with an invalid entry point stops the thread, the kernel goes on",
	 t_vcpu_bad_entry},
	{0, 0, 0},
};
