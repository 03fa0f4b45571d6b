
# ---- refuse: on a CPU where the kernel runs at EL1 (no VHE), the module
# must not load, and must say why.  Settings: MODULE.

say "# vcpu-harness: refusal check on $(uname -m), $(grep -c ^processor /proc/cpuinfo) cpus"
if insmod "/$MODULE.ko" 2>/tmp/insmod.err; then
	fail "insmod $MODULE.ko refused without VHE (it loaded)"
	rmmod "$MODULE"
else
	pass "insmod $MODULE.ko refused without VHE ($(tr -d '\n' </tmp/insmod.err))"
fi
check "refusal explained in the kernel log" \
	sh -c "dmesg | grep -q 'vcpu: the kernel runs at EL1'"
check "$MODULE not loaded" sh -c "! grep -q '^$MODULE ' /proc/modules"

bad=$(new_bad_taint)
check "kernel not tainted by oops/warning/lockup (taint $(cat /proc/sys/kernel/tainted))" \
	test "$bad" = 0

finish
