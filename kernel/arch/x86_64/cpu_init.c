/* Per-CPU feature setup: SSE for user programs and the syscall/sysret MSRs. */
#include "cpu.h"
#include "layout.h"
#include "../../console.h"

extern const char syscall_entry[];

void cpu_init(void)
{
	/* SSE for user mode: CR0.MP on, EM off, NE (native FPU errors); CR4.OSFXSR/OSXMMEXCPT. */
	write_cr0((read_cr0() & ~(1ull << 2)) | (1ull << 1) | (1ull << 5));
	write_cr4(read_cr4() | (1ull << 9) | (1ull << 10));

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* syscall: CS = 0x08, SS = 0x10; sysret: SS = 0x10 + 8 = user data, CS = 0x10 + 16 = user code. */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_KDATA) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
}
