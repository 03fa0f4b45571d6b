
# ---- check: load the module, run every selftest, unload the module -------
# Settings: MODULE (module name), DEVNODE (device it creates), TESTS (names
# to run, empty = all), TEST_TIMEOUT (seconds per test binary), TEST_ENV
# and FUZZ_SECONDS (make fuzz, see below).

say "# vcpu-harness: svm=$(grep -qw svm /proc/cpuinfo && echo y || echo n) vmx=$(grep -qw vmx /proc/cpuinfo && echo y || echo n) taint=$taint_at_boot"

loaded=0
# shellcheck disable=SC2086
if insmod "/$MODULE.ko" $MODULE_PARAMS; then
	loaded=1
	pass "insmod $MODULE.ko${MODULE_PARAMS:+ $MODULE_PARAMS}"
else
	fail "insmod $MODULE.ko${MODULE_PARAMS:+ $MODULE_PARAMS}"
fi

if [ "$loaded" = 1 ] && [ -n "$DEVNODE" ]; then
	i=0
	while [ ! -c "$DEVNODE" ] && [ $i -lt 10 ]; do sleep 0.1; i=$((i + 1)); done
	check "$DEVNODE exists" test -c "$DEVNODE"
fi

# run_test PATH: one selftest binary, its output to the TAP stream; the
# harness adds a failure when the binary's exit status or plan disagrees
# with what it printed (crash, timeout, missing results).
run_test() {
	t=$1
	n=${t##*/}
	say "# vcpu-harness: running $n"
	( cd /tmp && timeout "$TEST_TIMEOUT" "$t" </dev/null 2>&1; echo $? >/tmp/rc ) |
		tee /tmp/out >&3
	rc=$(cat /tmp/rc)
	results=$(grep -cE '^(not )?ok( |$)' /tmp/out)
	failed=$(grep -cE '^not ok( |$)' /tmp/out)
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' /tmp/out | head -n 1)
	say "# vcpu-harness: $n exited with status $rc ($results results)"
	case $rc in
	0 | 4) why= ;;
	124 | 143) why="timed out after TEST_TIMEOUT=${TEST_TIMEOUT}s" ;;
	1[3-9][0-9]) why="killed by signal $((rc - 128))" ;;
	*) why="exited with status $rc" ;;
	esac
	if [ -n "$why" ] && { [ "$failed" = 0 ] || [ "$rc" -gt 128 ]; }; then
		fail "$n: $why"
	elif [ -n "$plan" ] && [ "$results" -lt "$plan" ]; then
		fail "$n: planned $plan results, printed $results"
	elif [ "$results" = 0 ] && [ "$rc" = 4 ]; then
		skip "$n" "exited with KSFT_SKIP"
	elif [ "$results" = 0 ]; then
		fail "$n: printed no TAP result"
	fi
}

# vcpuctl end to end: the sample guest as an ELF image (x86 examples).
if [ "$loaded" = 1 ] && [ -f /examples/hello.elf ]; then
	check "vcpuctl runs an ELF guest" \
		sh -c 'vcpuctl run /examples/hello.elf 2>/dev/null | grep -q "Hello from a vcpu guest"'
fi

# Several vCPUs of one VM at once, one thread each (x86 examples).
if [ "$loaded" = 1 ] && [ -f /examples/smp.bin ]; then
	check "vcpuctl runs a 2-vCPU guest (both report, both halt)" sh -c '
		out=$(vcpuctl run --vcpus 2 /examples/smp.bin 2>/tmp/smp.err) &&
		case "$out" in *0*1* | *1*0*) ;; *) exit 1 ;; esac &&
		grep -q "HALT 2" /tmp/smp.err'
fi

# The peer hypervisor (Debian's KVM) for the coexistence selftests.  KVM
# 6.1 takes the CPUs' virtualization extensions only when a VM exists;
# 6.12's does so from its load unless kvm.enable_virt_at_load=0
# (PEER_ARGS, set by the 6.12 lanes).
if [ -n "$PEER_MODULES" ]; then
	ok=1
	for m in $PEER_MODULES; do
		peer_insmod "$m" || ok=0
	done
	if [ "$ok" = 1 ] && [ -c /dev/kvm ]; then
		pass "peer hypervisor loaded ($PEER_MODULES)"
	else
		fail "peer hypervisor loaded ($PEER_MODULES)"
	fi
fi

# What the emulated CPU of this lane is known not to do (selftests skip
# the checks that depend on it, saying so).
export VCPU_LANE_QUIRKS

# TEST_ENV: extra "NAME=value ..." for the selftests (make fuzz).
for kv in $TEST_ENV; do
	# shellcheck disable=SC2163
	export "$kv"
done

# FUZZ_SECONDS (make fuzz): run the selected tests again and again, each
# round with new seeds for the fuzzer and the chaos test, until that much
# time has passed.  Otherwise: one round, default seeds.
round=0
start=$(cut -d. -f1 /proc/uptime)
while :; do
	round=$((round + 1))
	if [ "${FUZZ_SECONDS:-0}" -gt 0 ]; then
		export VCPU_FUZZ_SEED=$((0x5eed + round)) VCPU_CHAOS_SEED=$((0xc4a05 + round))
		say "# vcpu-harness: fuzz round $round, seeds $VCPU_FUZZ_SEED $VCPU_CHAOS_SEED"
	fi
	ntests=0
	for t in /selftests/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		if [ -n "$TESTS" ]; then
			case " $TESTS " in *" ${t##*/} "*) ;; *) continue ;; esac
		fi
		ntests=$((ntests + 1))
		if [ "$loaded" = 1 ]; then
			run_test "$t"
		else
			skip "${t##*/}" "module not loaded"
		fi
	done
	[ "$ntests" = 0 ] && say "# vcpu-harness: no selftest binaries in /selftests"
	[ "${FUZZ_SECONDS:-0}" -gt 0 ] && [ "$loaded" = 1 ] && [ "$ntests" -gt 0 ] || break
	[ $(($(cut -d. -f1 /proc/uptime) - start)) -lt "$FUZZ_SECONDS" ] || break
done

if [ "$loaded" = 1 ] && [ -f /guest/vmlinuz ]; then
	case " ${TESTS:-guest_linux} " in
	*" guest_linux "*) guest_linux ;;
	esac
	case " ${TESTS:-} " in
	*" guest_bootloop "*) guest_bootloop ;;
	esac
fi

# Debug kernels (kmemleak on): where the module's code lives, so that the
# host can attribute leaks reported after its unload (raw addresses) to it.
if [ "$loaded" = 1 ] && [ -e /sys/kernel/debug/kmemleak ]; then
	for s in /sys/module/"$MODULE"/sections/.*text*; do
		echo "# vcpu-harness: section ${s##*/} $(cat "$s")"
	done
fi

# Module unload once every fd is closed is a required test.
if [ "$loaded" = 1 ]; then
	check "rmmod $MODULE" rmmod "$MODULE"
	check "$MODULE gone after rmmod" \
		sh -c "! test -e /sys/module/$MODULE && ! grep -q '^$MODULE ' /proc/modules"
fi

# Debug kernels: lockdep must still be on (its first report switches it
# off); kmemleak scans once the module is gone and lists what nothing
# references any more (an object must be older than 5 s and unchanged
# between two scans to be reported).  The host judges the list.
if [ -r /proc/lockdep_stats ]; then
	check "lockdep still active (debug_locks 1)" \
		sh -c "grep -qE 'debug_locks: +1\$' /proc/lockdep_stats"
fi
if [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	check "kmemleak scan" sh -c \
		'echo scan >/sys/kernel/debug/kmemleak && echo scan >/sys/kernel/debug/kmemleak'
	echo "vcpu-harness: kmemleak report begin"
	cat /sys/kernel/debug/kmemleak
	echo "vcpu-harness: kmemleak report end"
fi

bad=$(new_bad_taint)
check "kernel not tainted by oops/warning/lockup (taint $(cat /proc/sys/kernel/tainted))" \
	test "$bad" = 0

finish
