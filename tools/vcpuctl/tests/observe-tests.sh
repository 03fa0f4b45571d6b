#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of vcpuctl list/stats/top against recorded debugfs trees in
# tests/fixtures/ (VCPUCTL_DEBUGFS, --root), and of top's terminal handling
# under tmux.  Usage: observe-tests.sh VCPUCTL
# Prints "ok"/"FAIL" lines and a last line "observe: P passed, F failed".

VCPUCTL=$1
FIX=$(cd "$(dirname "$0")/fixtures" && pwd)
pass=0
fail=0
tmp=$(mktemp -d)
out=$tmp/out
err=$tmp/err
trap 'for s in "$tmp"/*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {
	fail=$((fail + 1)); echo "FAIL $1"
	[ -f "$2" ] && sed 's/^/     | /' "$2" | tail -n 25
}

# run NAME STATUS ROOT ARGS...: run vcpuctl on a fixture root
run() {
	name=$1 want=$2 root=$3
	shift 3
	VCPUCTL_DEBUGFS=$root "$VCPUCTL" "$@" >"$out" 2>"$err"
	got=$?
	if [ "$got" != "$want" ]; then
		cat "$err" >>"$out"
		bad "$name: status $got (want $want)" "$out"
		return 1
	fi
	return 0
}

# has NAME PATTERN: the last output matches the (basic) regex
has() {
	if grep -q -e "$2" "$out" "$err"; then ok "$1"; else bad "$1: no '$2'" "$out"; fi
}

hasnt() {
	if grep -q -e "$2" "$out" "$err"; then bad "$1: unexpected '$2'" "$out"; else ok "$1"; fi
}

# json NAME: the last output parses as JSON (when python3 is there)
json() {
	if ! command -v python3 >/dev/null; then ok "$1 (not validated)"; return; fi
	if python3 -m json.tool "$out" >/dev/null 2>"$err"; then ok "$1"
	else cat "$err" >>"$out"; bad "$1: invalid JSON" "$out"; fi
}

B=$FIX/basic

# --- list ---
run list 0 "$B" list &&
	has list-row '^ *3 *0 *1234 Ready *1 *52  IO_WRITE$'
has list-unbound '^ *4 *0 *2222 Invalid *- *1  FAIL_ENTRY$'
run list-json 0 "$B" list --json && json list-json-valid
has list-json-row '"vm": 4, "vcpu": 0, "pid": 2222, "state": "Invalid", "cpu": null, "exits": 1, "last_exit": "FAIL_ENTRY"'
run list-root-option 0 /nonexistent list --root "$B" && has list-root-option '1234 Running'
run list-empty 0 "$FIX/empty" list --json && has list-empty '^{"vcpus": \[\]}$'
run list-missing 1 "$tmp/none" list && has list-missing 'is the vcpu module loaded'
run list-extra-arg 1 "$B" list 3 && has list-extra-arg "unexpected argument '3'"

# --- stats ---
run stats 0 "$B" stats &&
	has stats-hist '^  IO_WRITE  *25  *2.9us  *15.4us  2^10:5 2^11:18 2^13:2$'
has stats-all-vcpus '^vm 4 vcpu 0: pid 2222, Invalid, cpu -, last exit FAIL_ENTRY$'
has stats-counters '^  entries 52, exits 52, run 2.5ms, in guest 1.0ms (40.0%)$'
has stats-single-sample '^  HYPERCALL  *1  *6.1us  *8.2us  2^12:1$'
run stats-vm 0 "$B" stats 3 && has stats-vm 'vm 3 vcpu 1: pid 1234, Running, cpu 2'
hasnt stats-vm-only 'vm 4'
run stats-fail 0 "$B" stats 4/0 &&
	has stats-fail-reason '^  failure: errno 5, reason: VMRUN: VMEXIT_INVALID (guest state)$'
has stats-history 'Running  -> Invalid  fail  reason=VMRUN: VMEXIT_INVALID (guest state)$'
run stats-json 0 "$B" stats 3/0 --json && json stats-json-valid
has stats-json-exit '"exit_IO_WRITE": 25, "exit_EXTERNAL_INTERRUPT": 0'
has stats-json-counters '"counters": {"entries": 52, "exits": 52, "run_ns": 2500000, "guest_ns": 1000000, "samples_lost": 0, "exit_NOTHING": 0'
has stats-json-hist '"IO_READ": {"samples": 24, "p50_ns": 1638, "p99_ns": 3973, "buckets": \[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 4, 0,'
has stats-json-history '{"ns": 1000100000, "from": "Free", "to": "Ready", "op": "bind", "reason": null}'
run stats-json-fail 0 "$B" stats 4/0 --json && json stats-json-fail-valid
has stats-json-reason '"to": "Invalid", "op": "fail", "reason": "VMRUN: VMEXIT_INVALID (guest state)"}'
has stats-json-info '"fail_errno": 5, "fail_reason": "VMRUN: VMEXIT_INVALID (guest state)"'
run stats-filter 0 "$B" stats 3/0 &&
	has stats-filter '^  handled in the kernel: HYPERCALL EXTERNAL_INTERRUPT HALT; interrupts queued: 48 64$'
run stats-json-filter 0 "$B" stats 3/0 --json &&
	has stats-json-filter '"exit_filter": \["HYPERCALL", "EXTERNAL_INTERRUPT", "HALT"\], "irqs_pending": \[48, 64\]'
has stats-json-no-failure '"fail_errno": null, "fail_reason": null'
has stats-json-no-samples '"SYSREG_READ": {"samples": 0, "p50_ns": null, "p99_ns": null, "buckets"'
run stats-json-all 0 "$B" stats --json && json stats-json-all-valid
run stats-no-vm 1 "$B" stats 9 && has stats-no-vm 'no VM 9'
run stats-no-vcpu 1 "$B" stats 3/7 && has stats-no-vcpu 'no vCPU 3/7'
run stats-bad-selector 1 "$B" stats 3/x && has stats-bad-selector "'3/x' is not VM or VM/VCPU"

# A VM file holds one section per vCPU: each vCPU gets its own, whatever
# the order; a listed vCPU without a section (closed since) is skipped.
run stats-sections 0 "$B" stats 3 --json && json stats-sections-valid
has stats-sections-vcpu1 '"vm": 3, "vcpu": 1, "pid": 1234, "state": "Running", "cpu": 2, "last_exit": "HALT"'
has stats-sections-counts '"counters": {"entries": 11, "exits": 10, '
G=$FIX/gone
run stats-gone 0 "$G" stats && has stats-gone '^vm 5 vcpu 2: pid 77, Ready, cpu 0, last exit IO_READ$'
has stats-lost '^  entries 4, exits 4, run 1.0ms, in guest 500.0us (50.0%), 3 histogram samples lost (no memory)$'
hasnt stats-gone-skipped 'vm 5 vcpu 1'
run top-gone 0 "$G" top --once --interval 10 &&
	has top-gone '^vcpuctl top - 1 vCPU in 1 VM, interval 10 ms$'
run stats-gone-vm 1 "$G" stats 6 && has stats-gone-vm "no VM 6"

# --- top, without a terminal ---
run top-once 0 "$B" top --once --interval 10 &&
	has top-once-header '^vcpuctl top - 3 vCPUs in 2 VMs, interval 10 ms$'
has top-once-total '^TOTAL  *63  *0  *100.0$'
# TOTAL is the sum of every row; the % column adds up to 100.
awk '/^EXIT/ { t = 1; next } t && /^TOTAL/ { tot = $2; pt = $4; exit }
     t { s += $2; p += $4 }
     END { exit !(tot == s && s > 0 && p > 99.5 && p < 100.5 && pt == 100.0) }' "$out" &&
	ok top-once-total-adds-up || bad top-once-total-adds-up "$out"
hasnt top-once-no-ansi "$(printf '\033')"
run top-pipe 0 "$B" top --interval 10 && has top-pipe '^IO_WRITE  *25  *0  *39.7$'
run top-pid 0 "$B" top --once -i 10 -p 2222 && has top-pid '^TOTAL  *1  *0  *100.0$'
has top-pid-row '^FAIL_ENTRY  *1 '
has top-pid-header 'only pid 2222'
run top-vm 0 "$B" top --once -i 10 --vm 3 && has top-vm '^vcpuctl top - 2 vCPUs in 1 VM, interval 10 ms, only vm 3$'
hasnt top-vm-only 'FAIL_ENTRY'
run top-exit 0 "$B" top --once -i 10 -e IO_READ,IO_WRITE && has top-exit '^TOTAL  *49  *0  *100.0$'
hasnt top-exit-only 'HALT'
run top-log 0 "$B" top -l -n 3 -i 10 -e IO_READ,HALT && has top-log-header '^      TIME      TOTAL IO_READ HALT$'
[ "$(grep -c '^ *[0-9][0-9.]* *0 *0 *0$' "$out")" = 3 ] && ok top-log-lines || bad top-log-lines "$out"
run top-bad-exit 1 "$B" top -e ,IO_READ && has top-bad-exit 'wants KIND'
run top-count-alone 1 "$B" top -n 2 && has top-count-alone 'goes with --log'
run top-once-log 1 "$B" top --once -l && has top-once-log 'exclude each other'
run top-vcpu 0 "$B" top --once --interval 10 --vcpu 3/1 &&
	has top-vcpu '^vcpuctl top - vCPU 3/1, interval 10 ms$'
hasnt top-vcpu-only 'IO_WRITE'
run top-vcpu-missing 1 "$B" top --once --interval 10 --vcpu 3/9 &&
	has top-vcpu-missing 'no vCPU 3/9'
run top-bad-interval 1 "$B" top --interval 0 && has top-bad-interval 'invalid --interval'

# A counter that moves during the interval sorts first, with its rate.
live=$tmp/live
cp -R "$B" "$live"
bump() {	# bump VM VCPU KIND NEW: rewrite exit_KIND of one vCPU atomically
	f=$live/vm$1/stats
	awk -v id="$2" -v key="exit_$3" -v n="$4" \
		'/^vcpu / { sec = ($2 == id) } sec && $1 == key { $0 = key " " n } { print }' \
		"$f" >"$f.new" && mv "$f.new" "$f"
}
# The counter keeps moving while top runs (no guess at when its first
# sample is taken): it is the first row, with a rate.
(n=300; while [ ! -f "$tmp/stop" ]; do bump 4 0 SHUTDOWN $n; n=$((n + 1)); sleep 0.05; done) &
bumpjob=$!
VCPUCTL_DEBUGFS=$live "$VCPUCTL" top --once --interval 1000 >"$out" 2>&1
touch "$tmp/stop"
wait $bumpjob
rm -f "$tmp/stop"
sed -n '5p' "$out" | grep -q '^SHUTDOWN  *[3-9][0-9][0-9]*  *[1-9][0-9]*  *[0-9.]*$' &&
	ok top-once-rate || bad "top-once-rate: SHUTDOWN not first with a rate" "$out"

# --- --help of every command ---
for c in list stats top run state version; do
	run "help-$c" 0 "$B" "$c" --help && has "help-$c" "^usage: vcpuctl $c"
done
run help-top-level 0 "$B" --help && has help-top-level '^  top '

# The man page covers every command of the top-level help, and formats
# without warnings.
MAN=$(dirname "$0")/../vcpuctl.1
for c in $("$VCPUCTL" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	grep -q "^\.SS $c" "$MAN" && ok "man-$c" || bad "man-$c: no .SS $c in vcpuctl.1"
done
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$MAN" >"$out" 2>&1 && ! [ -s "$out" ] &&
		ok man-format || bad man-format "$out"
fi

# --- top in a terminal (tmux) ---
if ! command -v tmux >/dev/null; then
	echo "skip top-tmux: tmux not installed"
	echo "observe: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
fi
cp -R "$B" "$live.tty"
live=$live.tty
screen=$tmp/screen
S=top1
capture() { $T capture-pane -p -t $S >"$screen"; cp "$screen" "$out"; }
# wait_for PATTERN: until the pane shows it (bounded at 60 s: a loaded
# machine is slow, never a reason to fail)
wait_for() {
	i=0
	while [ $i -lt 600 ]; do
		capture
		grep -q -e "$1" "$screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# The pane's shell prints the tty settings before and after: they must
# match.  It survives the Ctrl-C sent to top (trap, reset in top).
script='trap : INT; s0=$(stty -g); VCPUCTL_DEBUGFS='$live' '$VCPUCTL' top --interval 200; rc=$?; [ "$(stty -g)" = "$s0" ] && echo TTY-RESTORED; echo TOP-EXIT=$rc; exec sleep 60'
# One tmux server per session (tmux 3.3a's server can die on a second
# new-session after resize-window).
start_top() {	# start_top SESSION
	S=$1
	T="tmux -S $tmp/$S.sock"
	$T -f /dev/null new-session -d -s $S -x 100 -y 30 "sh -c '$script'"
}

start_top top1
if wait_for '^IO_WRITE  *25 '; then ok top-tmux-first-frame; else bad "top-tmux-first-frame" "$screen"; fi
grep -q '(q quit, r reset' "$screen" && ok top-tmux-header || bad top-tmux-header "$screen"
# The counter moves until the pane shows its rate: a frame with the rate
# lasts one interval, which a loaded machine's capture can miss.
(n=124; while [ ! -f "$tmp/stop" ]; do bump 3 0 IO_READ $n; n=$((n + 1)); sleep 0.1; done) &
bumpjob=$!
if wait_for '^IO_READ  *1[2-9][0-9]  *[1-9]'; then ok top-tmux-rate; else bad "top-tmux-rate" "$screen"; fi
touch "$tmp/stop"
wait $bumpjob
rm -f "$tmp/stop"
# The moving counter is the first row under the column header.
grep -A1 '^EXIT  *SUM  *PER SEC' "$screen" | tail -n 1 | grep -q '^IO_READ ' &&
	ok top-tmux-sorted || bad top-tmux-sorted "$screen"
# Redraws in place: exactly one header and one TOTAL on the screen.
[ "$(grep -c '^vcpuctl top' "$screen")" = 1 ] && [ "$(grep -c '^TOTAL' "$screen")" = 1 ] &&
	ok top-tmux-in-place || bad top-tmux-in-place "$screen"
# A smaller terminal (SIGWINCH): the frame fits it.
$T resize-window -t $S -x 40 -y 8
# wait_until CMD: until the pane's capture satisfies CMD (60 s bound).
wait_until() {
	i=0
	while [ $i -lt 600 ]; do
		capture
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
fits40() {
	[ "$(awk '{ if (length($0) > 40) n++ } END { print n + 0 }' "$screen")" = 0 ] &&
	grep -q '^vcpuctl top' "$screen" && grep -q '^EXIT' "$screen" &&
	[ "$(grep -c . "$screen")" -le 8 ]
}
if wait_until fits40; then ok top-tmux-resize; else bad top-tmux-resize "$screen"; fi
$T resize-window -t $S -x 100 -y 30
wait_for '^TOTAL' >/dev/null
# r: the counts start again from zero (no row has a count yet).
$T send-keys -t $S r
if wait_for '^TOTAL  *0 '; then ok top-tmux-reset; else bad top-tmux-reset "$screen"; fi
# k: one exit kind only; a: all again.
$T send-keys -t $S k
if wait_for 'only exits '; then ok top-tmux-kind-filter; else bad top-tmux-kind-filter "$screen"; fi
$T send-keys -t $S a
if wait_until sh -c '! grep -q "only exits" "$0"' "$screen"; then ok top-tmux-all; else bad top-tmux-all "$screen"; fi
$T send-keys -t $S q
if wait_for 'TOP-EXIT='; then :; fi
grep -q '^TOP-EXIT=0$' "$screen" && ok top-tmux-q-exit || bad top-tmux-q-exit "$screen"
grep -q '^TTY-RESTORED$' "$screen" && ok top-tmux-q-tty || bad top-tmux-q-tty "$screen"
# Nothing of the view is left: the alternate screen is gone.
[ "$(grep -c . "$screen")" = 2 ] && ok top-tmux-q-clean || bad top-tmux-q-clean "$screen"

$T kill-server
start_top top2
wait_for '^TOTAL' >/dev/null
$T send-keys -t $S C-c
wait_for 'TOP-EXIT=' >/dev/null
grep -q '^TOP-EXIT=0$' "$screen" && grep -q '^TTY-RESTORED$' "$screen" &&
	[ "$(grep -c . "$screen")" = 2 ] && ok top-tmux-ctrl-c || bad top-tmux-ctrl-c "$screen"
$T kill-server 2>/dev/null

echo "observe: $pass passed, $fail failed"
[ "$fail" = 0 ]
