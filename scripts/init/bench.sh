
# ---- bench: load the module and the KVM peer, run vcpubench once ---------
# Settings: MODULE, PEER_MODULES (file names in /lib/peer), BENCH_ARGS.
# vcpubench's output goes to the TAP port (no kernel message in it) and the
# console; the host extracts the table and the JSON between its markers.

# bench_floor=1 offers the debug-only bench floor in debugfs (the floor figure).
if ! insmod "/$MODULE.ko" bench_floor=1; then
	say "vcpu-harness: bench FAILED: insmod $MODULE.ko"
	finish
fi
for m in $PEER_MODULES; do
	peer_insmod "$m" || say "vcpu-harness: insmod $m failed (KVM column will be empty)"
done
say "vcpu-harness: \$ vcpubench $BENCH_ARGS"
# shellcheck disable=SC2086
{ /bin/vcpubench $BENCH_ARGS </dev/null 2>&1; echo $? >/tmp/bench.rc; } | tee /tmp/bench.out
rc=$(cat /tmp/bench.rc)
[ -n "$TAP_DEV" ] && cat /tmp/bench.out >&3
# The Linux guest to its prompt and back (bench.sh reads its mark line).
if [ -f /guest/vmlinuz ]; then
	guest_linux
	[ "$(cat /tmp/guest.rc 2>/dev/null)" = 0 ] || rc=1
fi
say "vcpu-harness: vcpubench exited with status $rc"
if [ "$rc" = 0 ] && [ "$(new_bad_taint)" = 0 ]; then
	say "vcpu-harness: bench OK"
else
	say "vcpu-harness: bench FAILED"
fi
finish
