/* l4bdds: /dev/l4bddsN, lx's character devices over the block devices of bdds (docs/shell.md). */
#include "l4bdds.h"
#include "sel.h"
#include "fs/fs.h"
#include "l4.h"
#include "stdio.h"
#include "string.h"
#include "l4/re/env.h"
#include "l4/re/c/bdds.h"


#define BLOCK PECAN_BDDS_BLOCK_SIZE
#define BUF_ORDER 16
#define BUF_SIZE (1u << BUF_ORDER)
#define BUF_BLOCKS (BUF_SIZE / BLOCK)

struct l4bdds {
	bool ready;
	bool readonly;
	uint64_t gate;          /* the capability l4bddsN */
	uint64_t blocks;
	char what[48];          /* the l4bdds.add= value */
};

static struct l4bdds devs[L4BDDS_MAX];
/* One shared buffer per device (SETUP), aligned to its size as bdds wants it. */
static uint8_t bufs[L4BDDS_MAX][BUF_SIZE] __attribute__((aligned(BUF_SIZE)));

static long setup_buffer(unsigned n)
{
	/* the pages must be present in lx before they can be mapped to bdds */
	memset(bufs[n], 0, BUF_SIZE);
	return l4re_bdds_setup(devs[n].gate, bufs[n], BUF_ORDER);
}

/* One bdds request for count blocks from first; on a lost buffer (bdds drops
 * one that failed it) the buffer is shared again and the request retried. */
static long transfer(unsigned n, bool write, uint64_t first, uint64_t count)
{
	struct l4bdds *d = &devs[n];
	long err = write ? l4re_bdds_write(d->gate, first, count) : l4re_bdds_read(d->gate, first, count);
	if (err == PECAN_EBUSY && setup_buffer(n) == PECAN_OK)
		err = write ? l4re_bdds_write(d->gate, first, count) : l4re_bdds_read(d->gate, first, count);
	if (err) {
		static unsigned reported;
		if (reported++ < 8)
			lx_log("lx: l4bdds%u: %s of blocks %lu+%lu failed: %s", n, write ? "write" : "read",
			       (unsigned long)first, (unsigned long)count, l4_strerror(err));
		return -LX_EIO;
	}
	return 0;
}

static struct l4bdds *dev_of(struct lx_file *f, unsigned *n)
{
	*n = f->inode->rdev & 0xff;
	return *n < L4BDDS_MAX && devs[*n].ready ? &devs[*n] : NULL;
}

static long bd_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	unsigned n;
	struct l4bdds *d = dev_of(f, &n);
	if (!d)
		return -LX_ENXIO;
	if (d->readonly && (f->flags & LX_O_ACCMODE) != LX_O_RDONLY)
		return -LX_EROFS;
	return 0;
}

/* Reads or writes up to len bytes at *pos, buffer-sized run by run. */
static long bd_rw(struct lx_proc *p, struct lx_file *f, uint64_t ubuf, size_t len, uint64_t *pos, bool write)
{
	unsigned n;
	struct l4bdds *d = dev_of(f, &n);
	if (!d)
		return -LX_ENXIO;
	if (write && d->readonly)
		return -LX_EROFS;
	uint64_t size = d->blocks * BLOCK;
	if (*pos >= size)
		return write && len ? -LX_ENOSPC : 0;
	if (len > size - *pos)
		len = (size_t)(size - *pos);
	size_t done = 0;
	while (done < len) {
		uint64_t at = *pos + done;
		uint64_t first = at / BLOCK, off = at % BLOCK;
		uint64_t count = (off + (len - done) + BLOCK - 1) / BLOCK;
		if (count > BUF_BLOCKS)
			count = BUF_BLOCKS;
		size_t chunk = (size_t)(count * BLOCK - off);
		if (chunk > len - done)
			chunk = len - done;
		long err = 0;
		if (write) {
			/* a part of a block keeps the rest of the block: read it first */
			if ((off || (off + chunk) % BLOCK) && (err = transfer(n, false, first, count)))
				goto out;
			if (lx_copy_from_user(p, bufs[n] + off, ubuf + done, chunk)) {
				err = -LX_EFAULT;
				goto out;
			}
			if ((err = transfer(n, true, first, count)))
				goto out;
		} else {
			if ((err = transfer(n, false, first, count)))
				goto out;
			if (lx_copy_to_user(p, ubuf + done, bufs[n] + off, chunk)) {
				err = -LX_EFAULT;
				goto out;
			}
		}
		done += chunk;
		continue;
	out:
		if (!done)
			return err;
		break;
	}
	*pos += done;
	return (long)done;
}

static long bd_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	return bd_rw(p, f, buf, n, pos, false);
}

static long bd_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	return bd_rw(p, f, buf, n, pos, true);
}

enum { BLKROGET = 0x125e, BLKGETSIZE = 0x1260, BLKFLSBUF = 0x1261, BLKSSZGET = 0x1268, BLKGETSIZE64 = 0x80081272 };

static long bd_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	unsigned n;
	struct l4bdds *d = dev_of(f, &n);
	if (!d)
		return -LX_ENXIO;
	switch (cmd) {
	case BLKGETSIZE64: {
		uint64_t bytes = d->blocks * BLOCK;
		return lx_copy_to_user(p, arg, &bytes, sizeof(bytes));
	}
	case BLKGETSIZE: {
		uint64_t sectors = d->blocks * BLOCK / 512;
		return lx_copy_to_user(p, arg, &sectors, sizeof(sectors));
	}
	case BLKSSZGET: {
		int32_t bs = BLOCK;
		return lx_copy_to_user(p, arg, &bs, sizeof(bs));
	}
	case BLKROGET: {
		int32_t ro = d->readonly;
		return lx_copy_to_user(p, arg, &ro, sizeof(ro));
	}
	case BLKFLSBUF:
		return 0; /* nothing is cached */
	}
	return -LX_ENOTTY;
}

static const struct lx_file_ops bd_ops = {
	.open = bd_open,
	.read = bd_read,
	.write = bd_write,
	.ioctl = bd_ioctl,
	.seekable = true,
};
static const struct lx_chrdev bd_dev = {.major = L4BDDS_MAJOR, .minor_first = 0, .minor_count = L4BDDS_MAX,
					.name = "l4bdds", .ops = &bd_ops};

/* For rom/NAME: warns when the device does not have the module's size. */
static void check_rom(unsigned n, const char *what)
{
	if (strncmp(what, "rom/", 4) != 0)
		return;
	uint64_t sel = lx_sel_alloc(), size = 0, flags = 0;
	if (!sel)
		return;
	long err = l4re_ns_query(what, sel);
	if (!err)
		err = l4re_ds_info(sel, &size, &flags);
	if (err)
		lx_log("lx: l4bdds%u: %s: %s (the device is used as it is)", n, what, l4_strerror(err));
	else if ((size + BLOCK - 1) / BLOCK != devs[n].blocks)
		lx_log("lx: l4bdds%u: %s has %lu bytes but the device %lu blocks: is it the module the config "
		       "script gave bdds?", n, what, (unsigned long)size, (unsigned long)devs[n].blocks);
	lx_sel_free(sel);
}

static void add(unsigned n, const char *what)
{
	struct l4bdds *d = &devs[n];
	char name[16], path[32];
	snprintf(name, sizeof(name), "l4bdds%u", n);
	snprintf(path, sizeof(path), "/dev/%s", name);
	strlcpy(d->what, what, sizeof(d->what));
	d->gate = l4re_env_get_cap(name);
	if (!d->gate) {
		lx_log("lx: %s (%s): no capability '%s' (give lx the bdds gate with cap=%s); left out", path, what,
		       name, name);
		return;
	}
	uint64_t block_size;
	int ro;
	long err = l4re_bdds_info(d->gate, &d->blocks, &block_size, &ro);
	if (!err && block_size != BLOCK)
		err = PECAN_EINVAL;
	if (!err)
		err = setup_buffer(n);
	if (err) {
		lx_log("lx: %s (%s): the bdds device does not answer: %s; left out", path, what, l4_strerror(err));
		return;
	}
	d->readonly = ro;
	check_rom(n, what);
	err = fs_mknod(path, LX_S_IFCHR | (ro ? 0440 : 0660), L4BDDS_MAJOR, n);
	if (err && err != -LX_EEXIST) {
		lx_log("lx: %s: cannot create the node: error %ld; left out", path, -err);
		return;
	}
	d->ready = true;
	lx_log("lx: %s: %s, %lu blocks of %u bytes, %s", path, what, (unsigned long)d->blocks, BLOCK,
	       ro ? "read-only" : "read-write");
}

void l4bdds_init(int argc, char **argv)
{
	static const char key[] = "l4bdds.add=";
	unsigned n = 0;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], key, sizeof(key) - 1) != 0)
			continue;
		if (n == 0 && fs_chrdev_register(&bd_dev) < 0) {
			lx_log("lx: l4bdds: cannot register the driver (major %u taken)", L4BDDS_MAJOR);
			return;
		}
		if (n == L4BDDS_MAX) {
			lx_log("lx: l4bdds: more than %u devices; %s left out", L4BDDS_MAX, argv[i]);
			continue;
		}
		add(n++, argv[i] + sizeof(key) - 1);
	}
}
