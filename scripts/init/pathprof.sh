
# ---- pathprof: kallsyms to the host, then the round trips gdb steps -------
# Settings: MODULE, PEER_MODULES (file names in /lib/peer), PATHPROF_ARGS,
# WAIT_DEV (the serial port the host writes its "go" byte to once gdb is
# attached), BENCH_ARGS (vcpubench's, when /bin/vcpubench is there).  Everything the host parses goes to the data port (fd 3: the
# TAP port, or the console where the lane has only one).

echo 0 >/proc/sys/kernel/kptr_restrict
if ! insmod "/$MODULE.ko"; then
	say "vcpu-harness: pathprof FAILED: insmod $MODULE.ko"
	finish
fi
for m in $PEER_MODULES; do
	peer_insmod "$m" || say "vcpu-harness: insmod $m failed (no KVM profile)"
done

# /proc/kallsyms (module symbols included), gzip + base64, with its md5.
# The console's log level is lowered meanwhile: where the data port is the
# console, a kernel message must not land inside the dump.
gzip -c /proc/kallsyms >/tmp/kallsyms.gz
level=$(cut -f1 /proc/sys/kernel/printk)
echo 1 >/proc/sys/kernel/printk
{
	echo "PATHPROF-KALLSYMS-BEGIN $(md5sum </tmp/kallsyms.gz | cut -d' ' -f1)"
	base64 </tmp/kallsyms.gz
	echo "PATHPROF-KALLSYMS-END"
} >&3
echo "$level" >/proc/sys/kernel/printk
rm -f /tmp/kallsyms.gz

say "vcpu-harness: \$ pathprof --wait $WAIT_DEV $PATHPROF_ARGS"
# shellcheck disable=SC2086
/bin/pathprof --wait "$WAIT_DEV" $PATHPROF_ARGS </dev/null >&3 2>&3
rc=$?
say "vcpu-harness: pathprof exited with status $rc"

# vcpubench in the same boot (gdb has detached): under icount its ns are
# instructions, the figure pathprof's totals are checked against.
if [ -x /bin/vcpubench ]; then
	say "vcpu-harness: \$ vcpubench $BENCH_ARGS"
	# shellcheck disable=SC2086
	/bin/vcpubench $BENCH_ARGS </dev/null >&3 2>&1 || say "vcpu-harness: vcpubench exited with status $?"
fi
if [ "$rc" = 0 ] && [ "$(new_bad_taint)" = 0 ]; then
	say "vcpu-harness: pathprof OK"
else
	say "vcpu-harness: pathprof FAILED"
fi
finish
