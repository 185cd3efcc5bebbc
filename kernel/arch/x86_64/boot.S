/* Multiboot entry: from 32-bit protected mode into long mode and the higher half. */
#include "layout.h"

#define MB_MAGIC 0x1badb002
/* page-align modules | memory map | the load addresses below are valid (the a.out kludge) */
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80

	.section .multiboot, "a"
	.align 4
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long multiboot_header /* header_addr */
	.long __kernel_phys_start /* load_addr */
	.long __load_end_phys /* load_end_addr */
	.long __kernel_end_phys /* bss_end_addr */
	.long _start32 /* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	/* eax = multiboot magic, ebx = physical address of the multiboot info; keep both. */
	mov %eax, %edi
	mov %ebx, %esi

	/* Four page directories of 2 MiB pages cover physical 0..4 GiB. */
	mov $boot_pd, %ecx
	xor %eax, %eax
1:	mov %eax, %edx
	shl $21, %edx
	or $(PTE_P | PTE_W | PTE_PS), %edx
	mov %edx, (%ecx, %eax, 8)
	/* the high dword of a 2 MiB page above 4 GiB would be nonzero; below it is 0 */
	movl $0, 4(%ecx, %eax, 8)
	inc %eax
	cmp $2048, %eax
	jne 1b

	/* PDPT low: entries 0..3 -> the four page directories (identity and physmap share it). */
	mov $boot_pdpt_low, %ecx
	mov $boot_pd + (PTE_P | PTE_W), %eax
	mov %eax, 0(%ecx)
	add $4096, %eax
	mov %eax, 8(%ecx)
	add $4096, %eax
	mov %eax, 16(%ecx)
	add $4096, %eax
	mov %eax, 24(%ecx)
	/* PDPT high: entry 510 (-2 GiB) -> the first page directory: the kernel image. */
	mov $boot_pdpt_high, %ecx
	movl $boot_pd + (PTE_P | PTE_W), 510 * 8(%ecx)

	mov $boot_pml4, %ecx
	movl $boot_pdpt_low + (PTE_P | PTE_W), 0(%ecx)          /* identity, dropped later */
	movl $boot_pdpt_low + (PTE_P | PTE_W), 256 * 8(%ecx)    /* physmap */
	movl $boot_pdpt_high + (PTE_P | PTE_W), 511 * 8(%ecx)   /* kernel image */

	/* CR4.PAE, CR3, EFER.LME (+NXE when the CPU has it), then CR0.PG. */
	mov %cr4, %eax
	or $(1 << 5), %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3

	mov $0x80000001, %eax
	cpuid
	mov %edx, %ebp
	mov $0xc0000080, %ecx
	rdmsr
	or $(1 << 8), %eax        /* LME */
	test $(1 << 20), %ebp
	jz 2f
	or $(1 << 11), %eax       /* NXE */
2:	wrmsr

	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax   /* PG | WP | PE */
	mov %eax, %cr0

	lgdt boot_gdtr
	ljmp $SEL_KCODE, $start64_low

	.code64
start64_low:
	movabs $start64_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 64-bit kernel code */
	.quad 0x00cf92000000ffff /* kernel data */
boot_gdt_end:
boot_gdtr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.align 4096
	.globl boot_pml4
boot_pml4:
	.fill 512, 8, 0
boot_pdpt_low:
	.fill 512, 8, 0
boot_pdpt_high:
	.fill 512, 8, 0
boot_pd:
	.fill 4 * 512, 8, 0

	.text
	.code64
start64_high:
	mov $SEL_KDATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp   /* ends the backtrace */
	/* edi = magic, esi = multiboot info (physical); upper halves are zero. */
	call kernel_main
3:	cli
	hlt
	jmp 3b

	.bss
	.align 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip KSTACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
