
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

# ---- the Linux guest (issue 17) ----------------------------------------------
# The lane's own kernel with a busybox initramfs (/guest), booted by
# `vcpuctl run --kernel` with as many vCPUs as this machine has CPUs.  The
# commands are typed into the guest's console (the VMM's UART) once its
# prompt shows; the whole console goes to the lane log, prefixed "guest| ".
# Selected with the others by TESTS (name: guest_linux).  Settings:
# GUEST_MEM (MiB), GUEST_TIMEOUT (seconds for the whole boot).
GUEST_PROMPT='guest# '
case $(uname -m) in
aarch64) GUEST_CONSOLE=ttyAMA0 ;;
*) GUEST_CONSOLE=ttyS0 ;;
esac

# guest_wait PATTERN SECONDS: wait until the console holds PATTERN (grep -F).
guest_wait() {
	i=0
	while [ $i -lt "$2" ]; do
		tr -d '\r' </tmp/guest.out | grep -qF -- "$1" && return 0
		[ -f /tmp/guest.rc ] && break
		sleep 1
		i=$((i + 1))
	done
	tr -d '\r' </tmp/guest.out | grep -qF -- "$1"
}

# guest_idle_rate OUTPUT: the exits per second of the idle guest, from the
# two idle marks vcpuctl printed (time in ns, exits by kind).
guest_idle_rate() {
	echo "$1" | awk '
	function total(line,   n, i, a, s) {
		sub(/.*exits: /, "", line)
		n = split(line, a, ", ")
		for (i = 1; i <= n; i++) { split(a[i], f, " "); s += f[2] }
		return s
	}
	/mark "idle-2-begin" after/ { t0 = $5; e0 = total($0) }
	/mark "idle-2-end" after/ { t1 = $5; e1 = total($0) }
	END {
		if (t1 > t0 && t0 > 0)
			printf "# vcpu-harness: guest_linux: idle guest: %d exits in %.1f s (%.0f per second)\n", e1 - e0, (t1 - t0) / 1e9, (e1 - e0) / ((t1 - t0) / 1e9)
	}' >&3
}

guest_linux() {
	n=$(nproc)
	release=$(uname -r)
	rm -f /tmp/guest.in /tmp/guest.out /tmp/guest.rc
	mkfifo /tmp/guest.in
	say "# vcpu-harness: guest_linux: $release, $n vCPUs, ${GUEST_MEM:-192} MiB"
	( timeout "${GUEST_TIMEOUT:-600}" vcpuctl run --kernel /guest/vmlinuz \
		--initrd /guest/initrd.gz -m "${GUEST_MEM:-192}" -c "$n" \
		--mark "$GUEST_PROMPT" --mark idle-2-begin --mark idle-2-end \
		--append "${GUEST_APPEND:-console=$GUEST_CONSOLE}" \
		</tmp/guest.in >/tmp/guest.out 2>&1
	  echo $? >/tmp/guest.rc ) &
	exec 5>/tmp/guest.in
	if guest_wait "$GUEST_PROMPT" "${GUEST_TIMEOUT:-600}"; then
		pass "guest_linux: the guest's shell prompt"
		# The marker is computed: the echoed command line does not match it.
		printf 'uname -r; nproc; cat /proc/interrupts; dmesg | tail; echo guest-cmds-$((6*7))\n' >&5
		guest_wait "guest-cmds-42" 120
		# The idle guest's exits: between two marks, 5 s of sleep.
		printf 'echo idle-$((1+1))-begin; sleep 5; echo idle-$((1+1))-end\n' >&5
		guest_wait "idle-2-end" 120
		printf 'poweroff -f\n' >&5
	else
		fail "guest_linux: the guest's shell prompt"
	fi
	i=0
	while [ ! -f /tmp/guest.rc ] && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
	exec 5>&-
	wait
	tr -d '\r' </tmp/guest.out | sed 's/^/guest| /'
	out=$(tr -d '\r' </tmp/guest.out)
	# uname -r's line (exactly the release: the typed line wraps and
	# echoes), then nproc's count on the next one.
	got_rel=$(echo "$out" | awk -v r="$release" '$0 == r { print; exit }')
	got_n=$(echo "$out" | awk -v r="$release" '$0 == r { getline; print; exit }')
	check "guest_linux: uname -r in the guest is the lane's ($release)" \
		test "$got_rel" = "$release"
	check "guest_linux: nproc in the guest is $n" test "$got_n" = "$n"
	check "guest_linux: the timer and the UART interrupt the guest" \
		sh -c 'echo "$0" | grep -q "Local timer\|arch_timer" && echo "$0" | grep -q "ttyS0\|uart\|pl011"' "$out"
	check "guest_linux: no kernel problem on the guest's console (panic, oops, warning, BUG)" \
		sh -c '! echo "$0" | grep -q "Kernel panic\|Oops\|WARNING: CPU\|BUG:"' "$out"
	guest_idle_rate "$out"
	echo "$out" | sed -n 's/^vcpuctl: mark "guest# " after \([0-9]*\) ns; exits: \(.*\)/# vcpu-harness: guest_linux: prompt after \1 ns; exits: \2/p' >&3
	check "guest_linux: clean power-off (vcpuctl status 0)" \
		sh -c 'test "$(cat /tmp/guest.rc)" = 0 && echo "$0" | grep -q "stopped: guest power-off"' "$out"
}

# ---- make boot-fuzz: the guest booted and powered off BOOTS times ---------
# Then ~10 boots killed (SIGKILL) at a random moment.  Before and after:
# the pinned pages outstanding (/proc/vmstat), unreclaimable slab and the
# module's reference count must come back (as vcpu_reload_test measures),
# and the host's log must show no Oops, WARNING or BUG.
guest_settle() {
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

guest_pins() {
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}

guest_slab() {
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

guest_bootloop() {
	n=$(nproc)
	boots=${BOOTS:-100}
	args="--kernel /guest/vmlinuz --initrd /guest/initrd.gz -m ${GUEST_MEM:-192} -c $n"
	append="console=$GUEST_CONSOLE quiet vcpu-guest.poweroff"
	dmesg_lines=$(dmesg | wc -l)
	guest_settle
	pins0=$(guest_pins)
	slab0=$(guest_slab)
	ok=0
	i=0
	while [ $i -lt "$boots" ]; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		if timeout "${GUEST_TIMEOUT:-600}" vcpuctl run $args --append "$append" \
			</dev/null >/tmp/boot.out 2>&1 &&
		   grep -q "stopped: guest power-off" /tmp/boot.out &&
		   ! grep -q "Kernel panic" /tmp/boot.out; then
			ok=$((ok + 1))
		else
			say "# vcpu-harness: boot $i failed:"
			tail -n 20 /tmp/boot.out | sed 's/^/# guest| /' >&3
		fi
	done
	say "# vcpu-harness: guest_bootloop: $ok of $boots boots powered off cleanly"
	check "guest_bootloop: $boots boots in a row, each a clean power-off" test "$ok" = "$boots"
	# Killed at a random point of a boot (busybox ash has RANDOM).
	k=0
	while [ $k -lt 10 ]; do
		k=$((k + 1))
		# shellcheck disable=SC2086
		vcpuctl run $args --append "$append" </dev/null >/dev/null 2>&1 &
		pid=$!
		usleep $((RANDOM % 8000000))
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	i=0
	while :; do
		guest_settle
		pins=$(guest_pins)
		slab=$(guest_slab)
		i=$((i + 1))
		[ "$pins" = "$pins0" ] && [ $((slab - slab0)) -le "${SLAB_TOLERANCE_KB:-2048}" ] && break
		[ $i -lt 30 ] || break
	done
	say "# vcpu-harness: guest_bootloop: pinned pages outstanding $pins0 -> $pins; SUnreclaim $slab0 -> $slab kB (after $i settles)"
	check "guest_bootloop: no pinned page left behind" test "$pins" = "$pins0"
	check "guest_bootloop: unreclaimable slab back (within ${SLAB_TOLERANCE_KB:-2048} kB)" \
		test $((slab - slab0)) -le "${SLAB_TOLERANCE_KB:-2048}"
	check "guest_bootloop: the module holds no reference (VMMs all gone)" \
		test "$(cat "/sys/module/$MODULE/refcnt")" = 0
	check "guest_bootloop: no Oops, WARNING or BUG in the host's log" \
		sh -c '! dmesg | tail -n +$(('"$dmesg_lines"' + 1)) | grep -q "Oops\|WARNING:\|BUG:"'
}

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
