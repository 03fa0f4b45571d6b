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
