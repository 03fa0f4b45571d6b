#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's summary: the goals per lane and the path-length gate.

    bench_report.py --dir build/bench --baseline bench/baseline.json
                    [--check | --update] LANE...

Reads build/bench/<lane>.json, written by vcpubench --insn in the lane's
path-length boot (every timing in instructions per round trip).

The goals (informative; measured against Debian's KVM in the same boot):
  user exit <= 0.5x KVM's, in-kernel exit <= 0.7x KVM's,
  user exit <= 1.5x the floor, kernel memory per vCPU <= 12 KiB.

--check: every gated figure of the module against the baseline: a path
length may grow by at most 10%, memory per vCPU by at most 1 KiB.  A lane
or figure missing from the run or from the baseline fails too.  Exit 1 on
any failure.
--update: (re)write the baseline entries of the lanes given, keeping the
others.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

# figure key -> (kind, allowance): "path" grows by at most the fraction,
# "mem" by at most the KiB.
GATED = {
    "user_exit": ("path", 0.10),
    "kernel_exit": ("path", 0.10),
    "floor": ("path", 0.10),
    "null_ioctl": ("path", 0.10),
    "memcg_kib": ("mem", 1.0),
}

GOALS = [
    # label, numerator, denominator (figure, column), limit
    ("user exit / KVM's", ("user_exit", "vcpu"), ("user_exit", "kvm"), 0.5),
    ("kernel exit / KVM's", ("kernel_exit", "vcpu"), ("kernel_exit", "kvm"), 0.7),
    ("user exit / floor", ("user_exit", "vcpu"), ("floor", "vcpu"), 1.5),
    ("KiB per vCPU", ("memcg_kib", "vcpu"), None, 12.0),
]


def median(run, key, col):
    f = run["figures"].get(key)
    if not f or not f.get(col):
        return None
    return f[col]["median"]


def load(path):
    with open(path) as f:
        return json.load(f)


def goals(lane, run):
    print("goals, lane %s (path lengths, one boot, module vs KVM):" % lane)
    for label, num, den, limit in GOALS:
        a = median(run, *num)
        b = median(run, *den) if den else 1.0
        if a is None or not b:
            print("  %-22s %10s  (goal <= %g)  not measured" % (label, "-", limit))
            continue
        v = a / b
        print("  %-22s %10.2f  (goal <= %g)  %s" %
              (label, v, limit, "met" if v <= limit else "NOT MET"))
    # In instructions a user exit is the floor plus a whole syscall round
    # trip (the floor ioctl enters many times per syscall): the same goal
    # with the syscall counted on the floor's side, for reading it.
    u, fl, ni = (median(run, "user_exit", "vcpu"), median(run, "floor", "vcpu"),
                 median(run, "null_ioctl", "vcpu"))
    if u and fl and ni:
        print("  %-22s %10.2f  (user exit / (floor + null ioctl), informative)" %
              ("user exit / floor+sys", u / (fl + ni)))


def check(lane, run, base):
    """Rows of (key, base, now, ratio, ok, why) for one lane."""
    rows = []
    for key, (kind, allow) in GATED.items():
        b = base.get(key)
        now = median(run, key, "vcpu")
        if b is None:
            rows.append((key, None, now, None, False, "not in the baseline"))
            continue
        if now is None:
            rows.append((key, b, None, None, False, "not measured"))
            continue
        if kind == "path":
            ok = now <= b * (1 + allow)
            why = "" if ok else "grew by more than %d%%" % (allow * 100)
        else:
            ok = now <= b + allow
            why = "" if ok else "grew by more than %g KiB" % allow
        rows.append((key, b, now, now / b if b else None, ok, why))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--baseline", required=True)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true")
    g.add_argument("--update", action="store_true")
    ap.add_argument("lanes", nargs="*")
    a = ap.parse_args()

    runs = {}
    for lane in a.lanes:
        p = os.path.join(a.dir, lane + ".json")
        if os.path.exists(p):
            runs[lane] = load(p)
            if runs[lane].get("mode") != "insns":
                sys.exit("%s: not a path-length run (vcpubench --insn)" % p)
    for lane, run in runs.items():
        goals(lane, run)

    base = load(a.baseline) if os.path.exists(a.baseline) else {"lanes": {}}
    if a.update:
        try:
            top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            rev = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"],
                                          cwd=top, text=True,
                                          stderr=subprocess.DEVNULL).strip()
        except (OSError, subprocess.CalledProcessError):
            rev = "unknown"
        for lane, run in runs.items():
            entry = {"commit": rev, "date": datetime.date.today().isoformat(),
                     "iterations": run["iterations"], "repetitions": run["repetitions"],
                     "figures": {}, "kvm": {}}
            for key in GATED:
                v = median(run, key, "vcpu")
                if v is not None:
                    entry["figures"][key] = round(v, 1)
                k = median(run, key, "kvm")
                if k is not None:
                    entry["kvm"][key] = round(k, 1)
            base["lanes"][lane] = entry
        os.makedirs(os.path.dirname(os.path.abspath(a.baseline)), exist_ok=True)
        with open(a.baseline, "w") as f:
            json.dump(base, f, indent=1, sort_keys=True)
            f.write("\n")
        print("bench-baseline: wrote %s for %s" % (a.baseline, " ".join(runs) or "no lane"))
        return 0 if runs and len(runs) == len(a.lanes) else 1

    if not a.check:
        return 0
    within = over = 0
    print("bench-check against %s (path: +10%%, memory: +1 KiB):" % a.baseline)
    print("  %-10s %-12s %12s %12s %7s" % ("lane", "figure", "baseline", "now", "ratio"))
    for lane in a.lanes:
        if lane not in runs:
            print("  %-10s FAILED: no path-length result from this run" % lane)
            over += 1
            continue
        entry = base["lanes"].get(lane)
        if not entry:
            print("  %-10s FAILED: no baseline for this lane (make bench-baseline)" % lane)
            over += 1
            continue
        for key, b, now, ratio, ok, why in check(lane, runs[lane], entry["figures"]):
            fmt = lambda v: "-" if v is None else "%.1f" % v
            print("  %-10s %-12s %12s %12s %7s  %s" %
                  (lane, key, fmt(b), fmt(now), "-" if ratio is None else "%.3f" % ratio,
                   "ok" if ok else "FAILED: " + why))
            if ok:
                within += 1
                if ratio is not None and ratio < 0.9 and GATED[key][0] == "path":
                    print("  %-10s %-12s (10%% shorter than the baseline: "
                          "make bench-baseline to keep the gain)" % ("", ""))
            else:
                over += 1
    print("bench-check: %d figures within their allowance, %d over" % (within, over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
