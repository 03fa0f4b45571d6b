#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest /init of the test harness: this part is common to every lane and
# mode; scripts/lib.sh appends the mode's body (scripts/init/<mode>.sh).
# Settings come from /etc/harness.conf (written by the host side).
#
# Output channels: the kernel console (first serial port) carries kernel
# messages and the harness's own lines; when a second serial port exists
# (TAP_DEV), the TAP stream (harness steps and test output) goes there too,
# where no kernel message can interleave with it.

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

. /etc/harness.conf

# Every kernel message reaches the console from here on ("quiet" hid the
# boot chatter, but a WARNING is printed at KERN_WARNING and must be seen).
echo 8 >/proc/sys/kernel/printk

if [ -n "$TAP_DEV" ] && [ -c "$TAP_DEV" ] && exec 3>"$TAP_DEV"; then
	stty -F "$TAP_DEV" raw -echo 2>/dev/null
else
	exec 3>&1
	TAP_DEV=
fi

# say LINE: to the console and, when separate, to the TAP port.
say() {
	echo "$*"
	[ -n "$TAP_DEV" ] && echo "$*" >&3
}
pass() { say "ok - $*"; }
fail() { say "not ok - $*"; }
skip() { say "ok - $1 # SKIP $2"; }

# check NAME CMD...: one harness step, counted like a test.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# peer_insmod FILE: insmod /lib/peer/FILE (a peer hypervisor module) with
# its parameters from PEER_ARGS, words "module.param=value" as on the
# kernel command line (busybox insmod does not read that).
peer_insmod() {
	pm=${1%.ko}
	pargs=
	for pa in $PEER_ARGS; do
		case $pa in
		"$pm".* | "$(echo "$pm" | tr - _)".*) pargs="$pargs ${pa#*.}" ;;
		esac
	done
	# shellcheck disable=SC2086
	insmod "/lib/peer/$1" $pargs
}

# Taint bits that mean the kernel misbehaved: B (bad page, 5), D (oops, 7),
# W (warning, 9), L (soft lockup, 14).
TAINT_BAD=$(( (1 << 5) | (1 << 7) | (1 << 9) | (1 << 14) ))
taint_at_boot=$(cat /proc/sys/kernel/tainted)
new_bad_taint() {
	t=$(cat /proc/sys/kernel/tainted)
	echo $(( t & ~taint_at_boot & TAINT_BAD ))
}

finish() {
	say "vcpu-harness: END uptime $(cut -d' ' -f1 /proc/uptime)"
	sync
	if [ "$KEEP" = 1 ]; then
		echo "vcpu-harness: KEEP=1, shell on the console (exit or ^D powers off)"
		setsid cttyhack sh
	fi
	# Let the serial ports drain (slow under Bochs) before powering off.
	sleep "${POWEROFF_DELAY:-1}"
	poweroff -f
}

say "vcpu-harness: init uptime $(cut -d' ' -f1 /proc/uptime) kernel $(uname -r) cpus $(grep -c ^processor /proc/cpuinfo)"

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
	# The guest's release: the lane's own (/guest/release, from the image's
	# name), which is this kernel's except in x86-svm-debug.
	release=$(cat /guest/release 2>/dev/null || uname -r)
	rm -f /tmp/guest.in /tmp/guest.out /tmp/guest.rc
	mkfifo /tmp/guest.in
	say "# vcpu-harness: guest_linux: $release, $n vCPUs, ${GUEST_MEM:-192} MiB"
	( timeout "${GUEST_TIMEOUT:-600}" vcpuctl run --kernel /guest/vmlinuz \
		--initrd /guest/initrd.gz -m "${GUEST_MEM:-192}" -c "$n" \
		--mark "$GUEST_PROMPT" --mark idle-2-begin --mark idle-2-end \
		--append "${GUEST_APPEND:-console=$GUEST_CONSOLE}" \
		</tmp/guest.in >/tmp/guest.out 2>&1
	  echo $? >/tmp/guest.rc ) &
	# Read-write: the open does not wait for the reader, and a write never
	# meets a FIFO without one (no SIGPIPE if the VMM is gone).
	exec 5<>/tmp/guest.in
	if guest_wait "$GUEST_PROMPT" "${GUEST_TIMEOUT:-600}"; then
		pass "guest_linux: the guest's shell prompt"
		# The marker is computed: the echoed command line does not match it.
		printf 'uname -r; nproc; cat /proc/interrupts; dmesg | tail; echo guest-cmds-$((6*7))\n' >&5
		guest_wait "guest-cmds-42" 120
		# The VM's per-vCPU histograms after thousands of exits.
		cat /sys/kernel/debug/vcpu/vm*/stats >/tmp/guest.stats 2>/dev/null
		# The idle guest's exits: between two marks, 5 s of sleep.
		printf 'echo idle-$((1+1))-begin; sleep 5; echo idle-$((1+1))-end\n' >&5
		# vcpuctl top over one second of the idle guest.
		guest_wait "idle-2-begin" 120
		vcpuctl top --once -i 1000 >/tmp/guest.top 2>&1
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
	check "guest_linux: uname -r in the guest is its kernel's ($release)" \
		test "$got_rel" = "$release"
	check "guest_linux: nproc in the guest is $n" test "$got_n" = "$n"
	check "guest_linux: the timer and the UART interrupt the guest" \
		sh -c 'echo "$0" | grep -q "Local timer\|arch_timer" && echo "$0" | grep -q "ttyS0\|uart\|pl011"' "$out"
	check "guest_linux: no kernel problem on the guest's console (panic, oops, warning, BUG)" \
		sh -c '! echo "$0" | grep -q "Kernel panic\|Oops\|WARNING: CPU\|BUG:"' "$out"
	# Time outside the guest per exit (log2 ns buckets): an exit the VMM
	# handled is a round trip through user space, never under 2 ns
	# (bucket 0); the kinds the kernel absorbs count as 0 ns by design.
	grep -E '^hist_' /tmp/guest.stats 2>/dev/null | grep -v ' 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0$' |
		sed 's/^/# vcpu-harness: guest_linux: /' >&3
	check "guest_linux: no VMM-handled exit timed under 2 ns (debugfs histograms)" \
		sh -c 'test -s /tmp/guest.stats && ! grep -qE "^hist_(IO_READ|IO_WRITE|MMIO_READ|MMIO_WRITE|SYSREG_READ|SYSREG_WRITE|SEND_IPI|CPU_UP) [1-9]" /tmp/guest.stats'
	sed 's/^/# vcpu-harness: guest_linux: top| /' /tmp/guest.top >&3
	check "guest_linux: vcpuctl top's TOTAL is the sum of its rows" \
		awk '/^EXIT/ { t = 1; next } t && /^TOTAL/ { tot = $2; n++; exit }
		     t { s += $2 } END { exit !(n && tot == s && s > 0) }' /tmp/guest.top
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
		t0=$(cut -d' ' -f1 /proc/uptime)
		# shellcheck disable=SC2086
		if timeout "${GUEST_BOOT_TIMEOUT:-120}" vcpuctl run $args --append "$append" \
			</dev/null >/tmp/boot.out 2>&1 &&
		   grep -q "stopped: guest power-off" /tmp/boot.out &&
		   ! grep -q "Kernel panic" /tmp/boot.out; then
			ok=$((ok + 1))
		else
			say "# vcpu-harness: boot $i failed:"
			tail -n 20 /tmp/boot.out | sed 's/^/# guest| /' >&3
		fi
		say "# vcpu-harness: boot $i: $(tail -n 2 /tmp/boot.out | head -n 1) (uptime $t0 -> $(cut -d' ' -f1 /proc/uptime))"
	done
	say "# vcpu-harness: guest_bootloop: $ok of $boots boots powered off cleanly"
	check "guest_bootloop: $boots boots in a row, each a clean power-off" test "$ok" = "$boots"
	# Ctrl-C (SIGINT) in the middle of a boot: a clean stop, a summary.
	# shellcheck disable=SC2086
	vcpuctl run $args --append "$append" </dev/null >/tmp/boot.out 2>&1 &
	pid=$!
	sleep 2
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	check "guest_bootloop: SIGINT stops the VMM cleanly (status 130, summary)" \
		sh -c 'test '"$rc"' = 130 && grep -q "stopped: stopped by signal 2" /tmp/boot.out'
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
	check "guest_bootloop: the host's log stays clean (no oops, warning or BUG)" \
		sh -c '! dmesg | tail -n +$(('"$dmesg_lines"' + 1)) | grep -q "Oops\|WARNING:\|BUG:"'
}
