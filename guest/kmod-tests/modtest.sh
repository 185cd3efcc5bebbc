#!/bin/sh
# modtest: lx's loadable modules under busybox's own insmod, rmmod, lsmod, modinfo and dmesg
# (docs/modules.md). Installed as /bin/modtest, run by /init; prints "modtest: PASS" when all is well.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
M=/lib/modules
fails=0

ok() { echo "modtest: ok: $*"; }
bad() { echo "modtest: not ok: $*"; fails=$((fails + 1)); }
# must DESCRIPTION COMMAND...: the command must succeed; mustnt ...: it must fail
must() { d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
mustnt() { d=$1; shift; if "$@"; then bad "$d (it succeeded)"; else ok "$d"; fi; }
loaded() { grep -q "^$1 " /proc/modules; }
logged() { dmesg | grep -q "$1"; }
same() { [ "$1" = "$2" ] || { echo "modtest: got '$1', want '$2'"; return 1; }; }

# 1. hello world, loaded and unloaded twice (the exercise's task 1)
for i in 1 2; do
	must "insmod hello.ko ($i)" insmod $M/hello.ko
	must "hello in /proc/modules ($i)" loaded hello
	mustnt "a second insmod of hello.ko: EEXIST ($i)" insmod $M/hello.ko
	must "rmmod hello ($i)" rmmod hello
	mustnt "hello gone ($i)" loaded hello
done
must "hello's messages in the kernel log" logged "Hello, world: a module runs inside lx"
must "hello's exit message" logged "Goodbye, world"
mustnt "rmmod of a module not loaded" rmmod hello
must "modinfo hello.ko shows the license" sh -c "modinfo $M/hello.ko | grep -q 'license: *GPL'"
must "modinfo hello.ko shows the vermagic" sh -c "modinfo $M/hello.ko | grep -q \"vermagic: *$(uname -r) \""

# 2. the guide's char device: /dev/chardev made by device_create, read with cat, twice
for i in 1 2; do
	must "insmod chardev.ko ($i)" insmod $M/chardev.ko
	must "/dev/chardev exists ($i)" test -c /dev/chardev
	must "cat /dev/chardev ($i)" same "$(cat /dev/chardev)" "I already told you 0 times Hello world!"
	must "cat /dev/chardev again ($i)" same "$(cat /dev/chardev)" "I already told you 1 times Hello world!"
	mustnt "echo > /dev/chardev is refused ($i)" sh -c "echo hi > /dev/chardev"
	must "chardev in /proc/devices ($i)" grep -q " chardev$" /proc/devices
	must "rmmod chardev ($i)" rmmod chardev
	mustnt "/dev/chardev gone ($i)" test -e /dev/chardev
done

# 3. the exercise's tasks 2 and 3: echo into /dev/l4log, printed with l4re_log_print
for i in 1 2; do
	must "insmod l4log.ko ($i)" insmod $M/l4log.ko
	must "echo > /dev/l4log ($i)" sh -c "echo 'Hello, L4 from a busybox echo ($i)' > /dev/l4log"
	must "cat /dev/l4log gives it back ($i)" same "$(cat /dev/l4log)" "Hello, L4 from a busybox echo ($i)"
	must "rmmod l4log ($i)" rmmod l4log
done

# 4. parameters
must "insmod params.ko with parameters" insmod $M/params.ko level=2 count=3 big=-5 name=pecan verbose values=5,6 word=hi
must "the parameters arrived" logged "params: level=2 count=3 big=-5 name=pecan verbose=1 word=hi values(2)=5,6,3,4"
must "rmmod params" rmmod params
must "insmod params.ko with defaults" insmod $M/params.ko
must "the defaults" logged "params: level=1 count=7 big=-1 name=nobody verbose=0 word=none values(4)=1,2,3,4"
must "rmmod params (defaults)" rmmod params
mustnt "a bad number: EINVAL" insmod $M/params.ko count=abc
mustnt "a string too long: ENOSPC" insmod $M/params.ko word=muchtoolong
mustnt "too many array values" insmod $M/params.ko values=1,2,3,4,5
mustnt "params not left loaded" loaded params
must "an unknown parameter is only a warning" insmod $M/params.ko nosuch=1
must "rmmod params (unknown parameter)" rmmod params

# 5. a misc device with read back, and the reference an open file holds
must "insmod echoback.ko" insmod $M/echoback.ko
must "/dev/echoback exists" test -c /dev/echoback
echo "written to a misc device" > /dev/echoback
must "cat /dev/echoback" same "$(cat /dev/echoback)" "written to a misc device"
exec 3</dev/echoback
must "an open file holds a reference" sh -c "grep -q '^echoback [0-9]* 1 ' /proc/modules"
mustnt "rmmod of a module in use" rmmod echoback
exec 3<&-
must "rmmod echoback once closed" rmmod echoback
mustnt "/dev/echoback gone" test -e /dev/echoback

# 6. a read that sleeps until a write wakes it
must "insmod waitq.ko" insmod $M/waitq.ko
rm -f /tmp/waitq.out
dd if=/dev/waitq of=/tmp/waitq.out bs=64 count=1 2>/dev/null &
reader=$!
sleep 1
must "the reader is still waiting" kill -0 $reader
echo "wake up" > /dev/waitq
wait $reader
must "the reader got what was written" same "$(cat /tmp/waitq.out)" "wake up"
must "rmmod waitq" rmmod waitq
must "the reader slept" logged "waitq: readers slept [1-9]"

# 7. one module using another's exports
mustnt "expo_user without expo: Unknown symbol" insmod $M/expo_user.ko
must "the unknown symbol is named" logged "expo_user: Unknown symbol expo_add"
must "insmod expo.ko" insmod $M/expo.ko
must "insmod expo_user.ko" insmod $M/expo_user.ko
must "expo_user called expo" logged "expo_user: 2 + 3 = 5, secret 42"
lsmod
cat /proc/modules
must "expo is used by expo_user" grep -q "^expo [0-9]* 1 expo_user, Live" /proc/modules
mustnt "rmmod expo while expo_user uses it" rmmod expo
mustnt "a proprietary module cannot use a GPL-only symbol" insmod $M/proprietary.ko
must "the GPL-only symbol is named" logged "proprietary: Unknown symbol expo_secret (a GPL-only symbol"
must "rmmod expo_user" rmmod expo_user
must "rmmod expo" rmmod expo

# 8. failures that must leave nothing behind
mustnt "unknown symbol" insmod $M/unknownsym.ko
must "the unknown symbol is named" logged "unknownsym: Unknown symbol no_such_function"
mustnt "an init that fails" insmod $M/badinit.ko
mustnt "badinit not loaded" loaded badinit
mustnt "badinit's device removed" test -e /dev/badinit
must "what badinit left was cleaned up" logged "badinit: left char device 10"
mustnt "a module for another kernel version" insmod $M/badmagic.ko
must "the version magic is named" logged "hello: version magic .6.1.0-other-lx mod_unload. should be"
mustnt "a truncated module" insmod $M/truncated.ko
must "the format error is named" logged "invalid module format"
mustnt "a file that is no module" insmod /bin/busybox

# 9. a timer, a work item and a kthread
must "insmod ticker.ko" insmod $M/ticker.ko
sleep 1
cat /dev/ticker
must "timer, work and kthread ran" sh -c "cat /dev/ticker | grep -q 'timer [1-9][0-9]* work [1-9][0-9]* thread [1-9][0-9]*'"
must "rmmod ticker (kthread_stop)" rmmod ticker
must "ticker stopped" logged "ticker: stopped after timer"

# 10. an oops: a fault in module code kills the calling process, not lx
must "insmod oops.ko" insmod $M/oops.ko
must "cat /dev/oops" same "$(cat /dev/oops)" "still here"
sh -c "echo boom > /dev/oops"
st=$?
must "the writer was killed by SIGSEGV (status $st)" test $st -eq 139
must "the oops names module and function" logged "lx: Oops: NULL pointer dereference at oops:oops_write+0x"
must "the module is marked (D)" grep -q "^oops .*Live .*(D)" /proc/modules
must "the module still reads" same "$(cat /dev/oops)" "still here"
must "other modules still work" insmod $M/hello.ko
must "rmmod hello after the oops" rmmod hello
must "rmmod oops" rmmod oops
insmod $M/oopsinit.ko
st=$?
must "insmod of an init that oopses dies (status $st)" test $st -ne 0
must "its oops is logged" logged "lx: Oops: NULL pointer dereference at oopsinit:oopsinit_init+0x"
mustnt "oopsinit not loaded" loaded oopsinit
must "a module loads after it" insmod $M/hello.ko
must "rmmod hello after the init oops" rmmod hello

# 11. /proc files: the guide's procfs1..procfs4, each loaded, used and unloaded twice
for i in 1 2; do
	must "insmod procfs1.ko ($i)" insmod $M/procfs1.ko
	must "/proc/helloworld exists ($i)" test -f /proc/helloworld
	must "cat /proc/helloworld ($i)" sh -c "cat /proc/helloworld | grep -q '^HelloWorld!'"
	must "procfs1 knows the file's name ($i)" logged "procfile read helloworld"
	mustnt "/proc/helloworld is not writable ($i)" sh -c "echo x > /proc/helloworld"
	must "rmmod procfs1 ($i)" rmmod procfs1
	mustnt "/proc/helloworld gone ($i)" test -e /proc/helloworld

	must "insmod procfs2.ko ($i)" insmod $M/procfs2.ko
	must "echo > /proc/buffer1k ($i)" sh -c "echo 'written to buffer1k ($i)' > /proc/buffer1k"
	must "procfs2 got it ($i)" logged "procfile write written to buffer1k ($i)"
	must "cat /proc/buffer1k ($i)" sh -c "cat /proc/buffer1k | grep -q '^HelloWorld!'"
	must "rmmod procfs2 ($i)" rmmod procfs2

	must "insmod procfs3.ko ($i)" insmod $M/procfs3.ko
	must "/proc/buffer2k shows size 80 ($i)" sh -c "ls -l /proc/buffer2k | grep -q ' 80 '"
	must "echo > /proc/buffer2k ($i)" sh -c "echo 'kept in buffer2k ($i)' > /proc/buffer2k"
	must "cat /proc/buffer2k gives it back ($i)" same "$(cat /proc/buffer2k)" "kept in buffer2k ($i)"
	exec 3</proc/buffer2k
	must "an open /proc file holds its module ($i)" sh -c "grep -q '^procfs3 [0-9]* [1-9]' /proc/modules"
	mustnt "rmmod procfs3 while open ($i)" rmmod procfs3
	exec 3<&-
	must "rmmod procfs3 ($i)" rmmod procfs3
	mustnt "/proc/buffer2k gone ($i)" test -e /proc/buffer2k

	must "insmod procfs4.ko ($i)" insmod $M/procfs4.ko
	must "/proc/iter in ls /proc ($i)" sh -c "ls /proc | grep -q '^iter$'"
	must "cat /proc/iter ($i)" same "$(cat /proc/iter)" "0"
	must "cat /proc/iter again ($i)" same "$(cat /proc/iter)" "1"
	must "rmmod procfs4 ($i)" rmmod procfs4
	mustnt "/proc/iter gone ($i)" test -e /proc/iter
done
must "insmod procleft.ko" insmod $M/procleft.ko
must "a name taken: proc_create fails" logged "procleft: the name is taken"
mustnt "a built-in name is not taken over" logged "procleft: /proc/meminfo was taken over"
must "single_open and seq_printf" same "$(cat /proc/procleft)" "procleft data call 1
second line"
must "proc_create_single" same "$(cat /proc/procsingle)" "single 42"
must "rmmod procleft" rmmod procleft
must "what procleft left was removed" logged "procleft: left /proc/procleft; removed"
mustnt "/proc/procleft gone" test -e /proc/procleft
mustnt "/proc/procsingle gone" test -e /proc/procsingle

# 12. /sys: the guide's hello-sysfs loaded, used and unloaded twice; an attribute group
must "/sys/kernel exists" test -d /sys/kernel
mustnt "no mkdir in /sys" mkdir /sys/kernel/nothere
for i in 1 2; do
	must "insmod hellosysfs.ko ($i)" insmod $M/hellosysfs.ko
	must "/sys/kernel/mymodule is a directory ($i)" test -d /sys/kernel/mymodule
	must "myvariable in ls ($i)" sh -c "ls /sys/kernel/mymodule | grep -q '^myvariable$'"
	must "stat myvariable ($i)" sh -c "ls -l /sys/kernel/mymodule/myvariable | grep -q '^-rw-rw----'"
	must "cat myvariable ($i)" same "$(cat /sys/kernel/mymodule/myvariable)" "0"
	must "echo 32 > myvariable ($i)" sh -c "echo 32 > /sys/kernel/mymodule/myvariable"
	must "cat myvariable gives 32 ($i)" same "$(cat /sys/kernel/mymodule/myvariable)" "32"
	exec 3</sys/kernel/mymodule/myvariable
	mustnt "rmmod hellosysfs while open ($i)" rmmod hellosysfs
	exec 3<&-
	must "rmmod hellosysfs ($i)" rmmod hellosysfs
	mustnt "/sys/kernel/mymodule gone ($i)" test -e /sys/kernel/mymodule
done
must "insmod sysgroup.ko" insmod $M/sysgroup.ko
mustnt "a kobject name taken" logged "sysgroup: a second sysgroup was made"
G=/sys/kernel/sysgroup/inner
must "the group's files" same "$(ls $G | tr '\n' ' ')" "label level secret "
must "cat level" same "$(cat $G/level)" "3"
must "echo 7 > level" sh -c "echo 7 > $G/level"
must "cat level gives 7" same "$(cat $G/level)" "7"
mustnt "echo 12 > level: store says EINVAL" sh -c "echo 12 > $G/level"
mustnt "echo x > level: store says EINVAL" sh -c "echo x > $G/level"
must "level still 7" same "$(cat $G/level)" "7"
must "echo > label" sh -c "echo hello > $G/label"
must "cat label" same "$(cat $G/label)" "hello in inner"
must "cat secret" same "$(cat $G/secret)" "ro"
mustnt "secret is read-only" sh -c "echo x > $G/secret"
must "/sys/sysleft exists" test -d /sys/sysleft
must "rmmod sysgroup" rmmod sysgroup
must "what sysgroup left was removed" logged "sysgroup: left kobject sysleft in /sys; removed"
mustnt "/sys/kernel/sysgroup gone" test -e /sys/kernel/sysgroup
mustnt "/sys/sysleft gone" test -e /sys/sysleft

# /proc handlers that sleep (procsleep.ko, the guide's sleep.c style): a read waits for a write,
# a second reader's open waits until the first closes
for i in 1 2; do
	must "insmod procsleep.ko ($i)" insmod $M/procsleep.ko
	rm -f /tmp/ps.out /tmp/ps.order
	cat /proc/procsleep > /tmp/ps.out &
	sleep 1
	must "echo > /proc/procsleep wakes the reader ($i)" sh -c "echo 'wake $i' > /proc/procsleep"
	wait
	must "the sleeping reader got the message ($i)" same "$(cat /tmp/ps.out)" "wake $i"
	(exec 3</proc/procsleep; sleep 2; echo closing >> /tmp/ps.order; exec 3<&-) &
	sleep 1
	must "a second reader's open waits for the first close ($i)" sh -c "cat /proc/procsleep > /dev/null && echo cat >> /tmp/ps.order"
	wait
	must "the second reader ran after the close ($i)" same "$(cat /tmp/ps.order | tr '\n' ' ')" "closing cat "
	must "rmmod procsleep ($i)" rmmod procsleep
	mustnt "/proc/procsleep gone ($i)" test -e /proc/procsleep
done
must "procsleep's open and read slept" logged "procsleep: openers slept [1-9][0-9]* times, readers [1-9]"

# directories under /proc (procdir.ko): proc_mkdir, nested, files in them, removed with the module
for i in 1 2; do
	must "insmod procdir.ko ($i)" insmod $M/procdir.ko
	must "/proc/procdir is a directory ($i)" test -d /proc/procdir
	must "ls /proc/procdir ($i)" same "$(ls /proc/procdir | tr '\n' ' ')" "alpha sub "
	must "ls /proc/procdir/sub ($i)" same "$(ls /proc/procdir/sub | tr '\n' ' ')" "beta "
	must "procdir in ls /proc ($i)" sh -c "ls /proc | grep -q '^procdir$'"
	must "cat /proc/procdir/alpha ($i)" same "$(cat /proc/procdir/alpha)" "alpha"
	must "cat /proc/procdir/sub/beta ($i)" same "$(cat /proc/procdir/sub/beta)" "beta in sub"
	mustnt "/proc/alpha is not there ($i)" test -e /proc/alpha
	must "rmmod procdir ($i)" rmmod procdir
	mustnt "/proc/procdir gone ($i)" test -e /proc/procdir
done
mustnt "a name taken in a /proc directory" logged "procdir: a second sub was made"
mustnt "remove_proc_subtree found procdir" logged "procdir: remove_proc_subtree found nothing"

lsmod
must "no module left" same "$(cat /proc/modules)" ""
if [ $fails -eq 0 ]; then
	echo "modtest: PASS"
	exit 0
fi
echo "modtest: FAIL ($fails checks failed)"
exit 1
