
# ---- demo: load the module, run one sample guest through vcpuctl ---------
# Settings: MODULE, DEMO_GUEST (path inside the initramfs), DEMO_ARGS.

if ! insmod "/$MODULE.ko"; then
	say "vcpu-harness: demo FAILED: insmod $MODULE.ko"
	finish
fi
say "vcpu-harness: \$ vcpuctl $DEMO_ARGS $DEMO_GUEST"
# shellcheck disable=SC2086
/bin/vcpuctl $DEMO_ARGS "$DEMO_GUEST" </dev/null
rc=$?
say "vcpu-harness: vcpuctl exited with status $rc"
rmmod "$MODULE" || say "vcpu-harness: rmmod $MODULE failed"
if [ "$rc" = 0 ] && [ "$(new_bad_taint)" = 0 ]; then
	say "vcpu-harness: demo OK"
else
	say "vcpu-harness: demo FAILED"
fi
finish
