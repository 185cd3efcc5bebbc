/* ticker.c - a timer, a work item and a kthread counting; /dev/ticker reads the counts. */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static struct timer_list timer;
static struct work_struct work;
static struct task_struct *thread;
static int timer_runs, work_runs, thread_loops;

static void ticker_work(struct work_struct *w) { work_runs++; }

static void ticker_timer(struct timer_list *t)
{
	timer_runs++;
	schedule_work(&work);
	mod_timer(&timer, jiffies + msecs_to_jiffies(50));
}

static int ticker_thread(void *data)
{
	while (!kthread_should_stop()) {
		thread_loops++;
		msleep(20);
	}
	return 0;
}

static ssize_t ticker_read(struct file *f, char __user *u, size_t n, loff_t *off)
{
	char text[96];
	int k = snprintf(text, sizeof(text), "timer %d work %d thread %d\n", timer_runs, work_runs, thread_loops);
	return simple_read_from_buffer(u, n, off, text, k);
}

static const struct file_operations ticker_fops = {.owner = THIS_MODULE, .read = ticker_read};
static struct miscdevice ticker_dev = {.minor = MISC_DYNAMIC_MINOR, .name = "ticker", .fops = &ticker_fops};

static int __init ticker_init(void)
{
	INIT_WORK(&work, ticker_work);
	timer_setup(&timer, ticker_timer, 0);
	mod_timer(&timer, jiffies + msecs_to_jiffies(50));
	thread = kthread_run(ticker_thread, NULL, "ticker");
	if (IS_ERR(thread)) {
		del_timer_sync(&timer);
		return PTR_ERR(thread);
	}
	return misc_register(&ticker_dev);
}

static void __exit ticker_exit(void)
{
	misc_deregister(&ticker_dev);
	kthread_stop(thread);
	del_timer_sync(&timer);
	cancel_work_sync(&work);
	pr_info("ticker: stopped after timer %d work %d thread %d\n", timer_runs, work_runs, thread_loops);
}

module_init(ticker_init);
module_exit(ticker_exit);
MODULE_LICENSE("GPL");
