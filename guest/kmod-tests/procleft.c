/* procleft: single_open and proc_create_single, a name taken twice, and an entry left behind at rmmod. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int calls;

static int procleft_show(struct seq_file *m, void *v)
{
	seq_printf(m, "procleft %s call %d\n", (const char *)m->private, ++calls);
	seq_puts(m, "second line");
	seq_putc(m, '\n');
	return 0;
}

static int procleft_open(struct inode *inode, struct file *file)
{
	return single_open(file, procleft_show, pde_data(inode));
}

static const struct proc_ops procleft_ops = {
	.proc_open = procleft_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int single_show(struct seq_file *m, void *v)
{
	seq_printf(m, "single %lld\n", 42LL);
	return 0;
}

static int __init procleft_init(void)
{
	if (!proc_create_data("procleft", 0444, NULL, &procleft_ops, "data"))
		return -ENOMEM;
	if (proc_create("procleft", 0444, NULL, &procleft_ops))
		pr_err("procleft: a second /proc/procleft was made\n");
	else
		pr_info("procleft: the name is taken\n");
	if (proc_create("meminfo", 0444, NULL, &procleft_ops))
		pr_err("procleft: /proc/meminfo was taken over\n");
	if (!proc_create_single("procsingle", 0, NULL, single_show))
		return -ENOMEM;
	return 0;
}

static void __exit procleft_exit(void)
{
	remove_proc_entry("procsingle", NULL);
	/* /proc/procleft is left for the loader to remove */
}

module_init(procleft_init);
module_exit(procleft_exit);

MODULE_LICENSE("GPL");
