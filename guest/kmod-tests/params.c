/* params.c - module parameters of each kind, printed at load (insmod params.ko count=3 name=pecan ...). */
#include <linux/module.h>
#include <linux/moduleparam.h>

static short level = 1;
static int count = 7;
static long big = -1;
static char *name = "nobody";
static bool verbose;
static int values[4] = {1, 2, 3, 4};
static int nvalues = 4;
static char word[8] = "none";

module_param(level, short, 0444);
module_param(count, int, 0644);
module_param(big, long, 0);
module_param(name, charp, 0444);
module_param(verbose, bool, 0);
module_param_array(values, int, &nvalues, 0444);
module_param_string(word, word, sizeof(word), 0);
MODULE_PARM_DESC(count, "how many");
MODULE_PARM_DESC(name, "who");

static int __init params_init(void)
{
	pr_info("params: level=%hd count=%d big=%ld name=%s verbose=%d word=%s values(%d)=%d,%d,%d,%d\n", level, count,
		big, name, verbose, word, nvalues, values[0], values[1], values[2], values[3]);
	return 0;
}

static void __exit params_exit(void)
{
	pr_info("params: unloaded (count was %d)\n", count);
}

module_init(params_init);
module_exit(params_exit);
MODULE_LICENSE("GPL");
