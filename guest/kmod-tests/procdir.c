/*
 * procdir.c - directories of /proc made by a module: /proc/procdir (proc_mkdir)
 * with the file "alpha" and the directory "sub" (proc_mkdir_data, nested) holding
 * "beta" (proc_create with a parent). The exit removes alpha by name and the rest
 * with remove_proc_subtree.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static struct proc_dir_entry *top, *sub;
static char sub_tag[] = "in sub";

static int alpha_show(struct seq_file *m, void *v)
{
	seq_printf(m, "alpha\n");
	return 0;
}

static int beta_show(struct seq_file *m, void *v)
{
	seq_printf(m, "beta %s\n", (const char *)m->private);
	return 0;
}

static int __init procdir_init(void)
{
	top = proc_mkdir("procdir", NULL);
	if (!top)
		return -ENOMEM;
	sub = proc_mkdir_data("sub", 0555, top, sub_tag);
	if (!sub || !proc_create_single("alpha", 0444, top, alpha_show) ||
	    !proc_create_single_data("beta", 0444, sub, beta_show, sub_tag)) {
		proc_remove(top);
		return -ENOMEM;
	}
	if (proc_mkdir("sub", top))
		pr_err("procdir: a second sub was made\n");
	pr_info("procdir: /proc/procdir made\n");
	return 0;
}

static void __exit procdir_exit(void)
{
	remove_proc_entry("alpha", top);
	if (remove_proc_subtree("procdir", NULL))
		pr_err("procdir: remove_proc_subtree found nothing\n");
}

module_init(procdir_init);
module_exit(procdir_exit);
MODULE_LICENSE("GPL");
