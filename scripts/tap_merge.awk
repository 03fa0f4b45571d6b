# SPDX-License-Identifier: GPL-2.0
#
# tap_merge.awk RAW: one standard TAP stream from what a lane printed (the
# TAP port, or the console where the lane has one serial port; the arm64
# lane appends a second boot's), in the form run_kselftest.sh gives:
#
#   TAP version 13
#   1..N                                  N top-level results
#   ok 1 - insmod vcpu.ko                 a harness step
#   # selftests: vcpu: vcpu_state_test    a selftest binary: its own TAP,
#   # TAP version 13                      nested with "# " ...
#   # 1..41
#   # ok 1 state.new_vcpu_is_created
#   ...
#   ok 5 selftests: vcpu: vcpu_state_test ... and one result for it
#
# The guest's /init marks each binary with "# vcpu-harness: running NAME"
# and "# vcpu-harness: NAME exited with status RC (N results)"; the
# harness's verdict on a binary that died ("not ok - NAME: why") or skipped
# as a whole ("ok - NAME # SKIP ...") becomes that binary's result.  Lines
# that are neither TAP nor harness comments (kernel messages on a shared
# console) are left out: the lane log has them.  Numbering is the merged
# stream's; the plan comes first, as every result is known by then.

function flush_binary(   st, dir) {
	if (bin == "")
		return
	st = "ok"
	dir = ""
	if (verdict ~ /^not ok/ || sub_fail > 0 || (rc != 0 && rc != 4))
		st = "not ok"
	if (verdict ~ /^not ok/) {
		dir = verdict
		sub(/^not ok( -)? */, "", dir)
		sub("^" bin ": *", "", dir)
		dir = " # " dir
	} else if (rc == 4 && sub_results == 0) {
		r = "exited with KSFT_SKIP"
		if (verdict ~ /# *SKIP/) {
			r = verdict
			sub(/.*# *SKIP */, "", r)
		}
		dir = " # SKIP " r
	} else if (st == "not ok" && rc != 0) {
		dir = " # exit=" rc
	}
	out[++n] = "# selftests: vcpu: " bin
	for (i = 1; i <= nlines; i++)
		out[++n] = "# " lines[i]
	results++
	out[++n] = st " " results " selftests: vcpu: " bin dir
	bin = ""
	verdict = ""
	nlines = 0
}

BEGIN { n = 0; results = 0; bin = ""; inside = 0; nlines = 0 }

{ sub(/\r$/, "") }

# A binary starts: its output follows until the "exited" marker.
/^# vcpu-harness: running / {
	flush_binary()
	bin = $4
	inside = 1
	rc = ""
	sub_fail = 0
	sub_results = 0
	verdict = ""
	next
}

inside && /^# vcpu-harness: .* exited with status / {
	rc = $0
	sub(/.* exited with status /, "", rc)
	sub(/ .*/, "", rc)
	rc += 0
	inside = 0
	next
}

inside {
	lines[++nlines] = $0
	if ($0 ~ /^not ok( |$)/) { sub_fail++; sub_results++ }
	else if ($0 ~ /^ok( |$)/) sub_results++
	next
}

# The harness's verdict on the binary just finished.
bin != "" && /^(not )?ok( -)? / {
	v = $0
	sub(/^(not )?ok( -)? */, "", v)
	if (index(v, bin) == 1 && (substr(v, length(bin) + 1, 1) ~ /^(:| |)$/)) {
		verdict = $0
		next
	}
}

/^(not )?ok( |$)/ {
	flush_binary()
	st = ($0 ~ /^not ok/) ? "not ok" : "ok"
	d = $0
	sub(/^(not )?ok *[0-9]* *(- *)?/, "", d)
	results++
	out[++n] = st " " results " - " d
	next
}

# Harness comments (and its un-prefixed "vcpu-harness:" lines) stay.
/^#/ { flush_binary(); out[++n] = $0; next }
/^vcpu-harness: / { flush_binary(); out[++n] = "# " $0; next }

END {
	flush_binary()
	print "TAP version 13"
	print "1.." results
	for (i = 1; i <= n; i++)
		print out[i]
}
