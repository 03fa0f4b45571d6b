
# ---- demo: load the module, run one sample guest through vcpuctl ---------
# Settings: MODULE, DEMO_GUEST (path inside the initramfs), DEMO_ARGS.

if ! insmod "/$MODULE.ko"; then
	say "vcpu-harness: demo FAILED: insmod $MODULE.ko"
	finish
fi
if [ "$DEMO_GUEST" = linux ] && [ "${DEMO_TTY:-0}" = 1 ]; then
	# The lane's own kernel on the module, its console on this terminal.
	say "vcpu-harness: \$ vcpuctl run --kernel /guest/vmlinuz --initrd /guest/initrd.gz -c $(nproc) -m 192"
	say "vcpu-harness: type at the guest's prompt; 'poweroff -f' (or Ctrl-C) ends it"
	/bin/vcpuctl run --kernel /guest/vmlinuz --initrd /guest/initrd.gz -c "$(nproc)" -m 192 \
		--append "console=$GUEST_CONSOLE"
	rc=$?
elif [ "$DEMO_GUEST" = linux ]; then
	# No terminal: the lane step's commands, typed for the user.
	guest_linux
	rc=$(cat /tmp/guest.rc)
else
	# The module's tracepoints around the sample guest (tracefs), shown
	# after it: exit kinds and states by name, as perf and trace-cmd see them.
	tr=/sys/kernel/tracing
	[ -w "$tr/events/vcpu/enable" ] || tr=
	if [ -n "$tr" ]; then
		echo 0 >"$tr/tracing_on"; : >"$tr/trace"
		echo 1 >"$tr/events/vcpu/enable"; echo 1 >"$tr/tracing_on"
	fi
	say "vcpu-harness: \$ vcpuctl $DEMO_ARGS $DEMO_GUEST"
	# shellcheck disable=SC2086
	/bin/vcpuctl $DEMO_ARGS "$DEMO_GUEST" </dev/null
	rc=$?
	if [ -n "$tr" ]; then
		echo 0 >"$tr/tracing_on"; echo 0 >"$tr/events/vcpu/enable"
		say "vcpu-harness: \$ grep vcpu_ $tr/trace | head -n 16   (of $(grep -c vcpu_ "$tr/trace") events)"
		grep vcpu_ "$tr/trace" | head -n 16
		: >"$tr/trace"; echo 1 >"$tr/tracing_on"
	fi
fi
say "vcpu-harness: vcpuctl exited with status $rc"
rmmod "$MODULE" || say "vcpu-harness: rmmod $MODULE failed"
if [ "$rc" = 0 ] && [ "$(new_bad_taint)" = 0 ]; then
	say "vcpu-harness: demo OK"
else
	say "vcpu-harness: demo FAILED"
fi
finish
