#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pathprof report: one exit round trip, instruction by instruction, per function.

Reads the raw traces of pathprof_gdb.py (trace-<scenario>.txt: one line
"<pc hex> <mode>" per stepped instruction, mode k = host kernel, u = host
user, g = the nested guest; "# entry N" before the N-th kernel entry from
user mode after the marker), the guest's /proc/kallsyms and `nm -n` of the
static pathprof binary, and writes per scenario

  <out>/<lane>-<side>-<exit>.txt    side vcpu|kvm, exit user|kernel

and <out>/<lane>-summary.txt.

The round trip:
- user exit: from the first instruction of the kernel's syscall entry of
  one VCPU_RUN/KVM_RUN ioctl to the same point of the next one, i.e. one
  iteration of the ioctl loop (vcpubench's user-exit figure): the syscall,
  the run loop, the guest's own instructions up to the exit, the exit to
  userspace, the user-mode check of the exit and the next ioctl call.
- kernel exit: the driver's guest makes K in-kernel exits per user exit;
  one in-kernel round trip is from the first host instruction after the
  guest's i-th in-kernel exit to the first host instruction after the
  (i+1)-th: the host's handling, the re-entry and the guest's instructions
  up to its next exit.  The middle one (i = K/2) is reported in detail;
  every i and the whole ioctl are listed for comparison.

Functions: each PC is charged to the nearest preceding text symbol of
kallsyms (module symbols are shown with their [module]), user PCs to the
binary's symbols ("<name> (user)"), nested guest PCs to "[guest]".
Nesting (for the inclusive counts and the indented path) is inferred
from the trace alone: arriving at a symbol's first instruction is a call,
arriving in the middle of a function already on the stack is a return to
it; a mode change (syscall, sysret/eret, VM entry and exit) pushes or pops.
That is a heuristic (tail calls look like calls), good enough to attribute.
"""

import argparse
import json
import bisect
import collections
import os
import re
import sys

SCENARIOS = [
    ("vcpu-user", "vcpu", "user"),
    ("vcpu-kernel", "vcpu", "kernel"),
    ("kvm-user", "kvm", "user"),
    ("kvm-kernel", "kvm", "kernel"),
]

EXIT_LABEL = {
    ("x86", "user"): "user exit: guest OUT to port 0x80 -> IO_WRITE / KVM_EXIT_IO to userspace, resume",
    ("x86", "kernel"): "kernel exit: guest RDMSR of EFER, answered in the kernel",
    ("arm64", "user"): "user exit: guest 32-bit STR to unmapped IPA -> MMIO_WRITE / KVM_EXIT_MMIO to userspace, resume",
    ("arm64", "kernel"): "kernel exit: guest HVC PSCI_VERSION, answered in the kernel",
}

GUEST = "[guest]"

# x86 return and indirect-branch thunks (retpoline, retbleed/SRSO return
# thunks, entry untraining) and arm64 module PLT veneers: real
# instructions, counted as such, but jumps rather than calls, so they never
# stay on the inferred call stack, and the ordered path folds them into
# the line before.
THUNK = re.compile(r"^(srso_|__x86_return_thunk|retbleed_|zen_untrain_ret|entry_untrain_ret|"
                   r"__x86_indirect_(call_|jump_)?thunk|module_plt )")


def is_thunk(fn):
    return bool(THUNK.match(fn))


class Symbols:
    """Sorted text symbols: kernel (kallsyms) and user (nm)."""

    def __init__(self, kallsyms, user_nm, module_nm=()):
        # Sizes of module functions (nm -S of the .ko): a PC past the end
        # of a module's last function is in the module's PLT (arm64 module
        # veneers to kernel functions), which kallsyms does not name.
        self.sizes = {}
        for spec in module_nm:
            mod, path = spec.split(":", 1)
            with open(path) as f:
                for line in f:
                    p = line.split()
                    if len(p) == 4 and p[2] in "tTwW":
                        self.sizes[(p[3], mod)] = int(p[1], 16)
        syms = {}
        with open(kallsyms) as f:
            for line in f:
                p = line.split()
                # $x/$d: arm64 mapping symbols, listed for modules
                if len(p) < 3 or p[1] not in "tTwW" or p[2].startswith("$"):
                    continue
                addr = int(p[0], 16)
                if addr == 0:
                    continue
                name = p[2] + (" " + p[3] if len(p) > 3 else "")
                syms.setdefault(addr, name)
        self.k_addr = sorted(syms)
        self.k_name = [syms[a] for a in self.k_addr]
        self.k_starts = set(self.k_addr)
        usyms = {}
        with open(user_nm) as f:
            for line in f:
                p = line.split()
                if len(p) != 3 or p[1] not in "tTwWiI" or p[2].startswith("$"):
                    continue
                usyms.setdefault(int(p[0], 16), p[2] + " (user)")
        self.u_addr = sorted(usyms)
        self.u_name = [usyms[a] for a in self.u_addr]
        self.u_starts = set(self.u_addr)

    def start(self, pc, mode):
        """The address of the symbol pc is charged to, or None."""
        addr = self.u_addr if mode == "u" else self.k_addr
        i = bisect.bisect_right(addr, pc) - 1
        return addr[i] if i >= 0 else None

    def previous(self, pc):
        """The kernel or user symbol that ends where pc's symbol begins."""
        for addr, names in ((self.k_addr, self.k_name), (self.u_addr, self.u_name)):
            i = bisect.bisect_right(addr, pc) - 1
            if i >= 1 and addr[i] == pc:
                return names[i - 1]
        return None

    def lookup(self, pc, mode):
        """(function name, True if pc is the function's first instruction)"""
        if mode == "g":
            return GUEST, False
        if mode == "u":
            addr, names, starts = self.u_addr, self.u_name, self.u_starts
        else:
            addr, names, starts = self.k_addr, self.k_name, self.k_starts
        i = bisect.bisect_right(addr, pc) - 1
        if i < 0:
            return "?%x" % pc, False
        name = names[i]
        if mode == "k" and name.endswith("]"):
            fn, mod = name[:-1].split(" [")
            size = self.sizes.get((fn, mod))
            if size and pc >= addr[i] + size:
                return "module_plt [%s]" % mod, False
        return name, pc in starts


def read_trace(path):
    """[(pc, mode)], the indexes where each "# entry N" stands."""
    steps, entries = [], {}
    with open(path) as f:
        for line in f:
            if line.startswith("# entry"):
                entries[int(line.split()[2])] = len(steps)
                continue
            pc, mode = line.split()
            steps.append((int(pc, 16), mode))
    return steps, entries


class Profile:
    """Self and inclusive counts, collapsed stacks and the ordered path."""

    def __init__(self, syms, steps):
        self.total = len(steps)
        self.by_mode = collections.Counter(m for _, m in steps)
        self.self = collections.Counter()
        self.incl = collections.Counter()
        self.stacks = collections.Counter()
        self.runs = []          # [depth, function, count, thunk count] in order
        stack = []              # [function]
        prev_mode = None
        prev_pc, prev_fn = None, None
        self.thunks = 0
        for pc, mode in steps:
            fn, at_start = syms.lookup(pc, mode)
            if (at_start and mode == prev_mode and prev_fn != fn and
                    0 < pc - prev_pc <= 15 and syms.previous(pc) == prev_fn):
                at_start = "fallthrough"
            if prev_mode is not None and mode != prev_mode:
                if mode == "g":
                    stack.append(GUEST)                 # VM entry
                elif prev_mode == "g":
                    while stack and stack[-1] == GUEST:  # VM exit
                        stack.pop()
                    self._land(stack, fn, at_start, push_unknown=True)
                elif prev_mode == "u":                  # syscall
                    stack.append(fn)
                else:                                   # back to user mode
                    while stack and not stack[-1].endswith("(user)"):
                        stack.pop()
                    self._land(stack, fn, at_start, push_unknown=False)
            elif mode != "g":
                if not stack or stack[-1] != fn or at_start:
                    self._land(stack, fn, at_start, push_unknown=False)
            prev_mode, prev_pc, prev_fn = mode, pc, fn
            self.self[fn] += 1
            for f in set(stack):
                self.incl[f] += 1
            self.stacks[";".join(stack)] += 1
            if is_thunk(fn):
                self.thunks += 1
                if self.runs:
                    self.runs[-1][3] += 1
                    continue
            if self.runs and self.runs[-1][1] == fn and self.runs[-1][0] == len(stack) - 1:
                self.runs[-1][2] += 1
            else:
                self.runs.append([len(stack) - 1, fn, 1, 0])

    @staticmethod
    def _land(stack, fn, at_start, push_unknown):
        """Arriving in fn: a call (its first instruction) or a return."""
        if is_thunk(fn) and not at_start:
            if not stack or stack[-1] != fn:
                stack.append(fn)        # a veneer: jumps on to a function start
            return
        if at_start == "fallthrough" and stack:
            stack[-1] = fn
            return
        if at_start:
            # a thunk jumps on: it is not a caller
            while stack and is_thunk(stack[-1]):
                stack.pop()
            stack.append(fn)
            return
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] == fn:
                del stack[i + 1:]
                return
        # Not on the stack: a jump into another symbol (a .cold part, an
        # entry stub) or a return past where the trace began (the caller
        # becomes the new root).
        while stack and is_thunk(stack[-1]):
            stack.pop()
        if push_unknown or not stack:
            stack.append(fn)
        else:
            stack[-1] = fn


def fmt_table(counter, total, limit=None):
    out = []
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    for fn, n in items[:limit]:
        out.append("%7d %5.1f%%  %s" % (n, 100.0 * n / total, fn))
    return out


def write_profile(path, head, prof, extra=()):
    lines = list(head)
    lines.append("total: %d instructions (host kernel %d, host user %d, guest %d)" %
                 (prof.total, prof.by_mode.get("k", 0), prof.by_mode.get("u", 0),
                  prof.by_mode.get("g", 0)))
    if prof.thunks:
        lines.append("of which in return/indirect-branch thunks (mitigations): %d" % prof.thunks)
    lines += extra
    lines.append("")
    lines.append("== self instructions per function (%d functions)" % len(prof.self))
    lines += fmt_table(prof.self, prof.total)
    lines.append("")
    lines.append("== ordered path: consecutive instructions in one function merged, "
                 "indented by inferred call depth (count, function)")
    for depth, fn, n, th in prof.runs:
        lines.append("%7d  %s%s%s" % (n + th, "  " * max(depth, 0), fn,
                                      "  (%d in thunks)" % th if th else ""))
    lines.append("")
    lines.append("== inclusive instructions per function (heuristic call nesting)")
    lines += fmt_table(prof.incl, prof.total, 60)
    lines.append("")
    lines.append("== collapsed stacks (flame graph input: stack count)")
    for st, n in sorted(prof.stacks.items(), key=lambda kv: -kv[1]):
        lines.append("%s %d" % (st.replace(" ", "_") if st else "[root]", n))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def guest_exits(steps):
    """Indexes of the first host instruction after each guest->host switch."""
    return [i for i in range(1, len(steps))
            if steps[i - 1][1] == "g" and steps[i][1] != "g"]


# Exception vector slots that are not synchronous (IRQ, FIQ, SError), for
# the current EL with SP_ELx and the lower EL (AArch64 and AArch32).
ARM64_ASYNC_SLOTS = {0x080, 0x100, 0x180, 0x280, 0x300, 0x380,
                     0x480, 0x500, 0x580, 0x680, 0x700, 0x780}
X86_ASYNC = re.compile(r"^asm_(sysvec_|common_interrupt|spurious_interrupt|exc_)")


def interrupts(syms, arch, steps):
    """Where an interrupt (or another asynchronous event) entered: [(index, what)]"""
    found = []
    for i, (pc, mode) in enumerate(steps):
        if mode == "g":
            continue
        fn, at_start = syms.lookup(pc, mode)
        if arch == "x86":
            if at_start and X86_ASYNC.match(fn):
                found.append((i, fn))
        else:
            base = syms.start(pc, mode)
            if ("vector" in fn and base is not None and
                    (pc - base) in ARM64_ASYNC_SLOTS):
                found.append((i, "%s+0x%x" % (fn, pc - base)))
    return found


def pick(totals):
    """Index of the lower median of totals."""
    order = sorted(range(len(totals)), key=lambda i: (totals[i], i))
    return order[(len(order) - 1) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lane", required=True)
    ap.add_argument("--arch", required=True, choices=["x86", "arm64"])
    ap.add_argument("--kallsyms", required=True)
    ap.add_argument("--user-nm", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--module-nm", action="append", default=[],
                    help="MODULE:FILE, nm -S of a module's .ko (function sizes)")
    ap.add_argument("--bench", help="vcpubench's JSON from the same boot")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    syms = Symbols(args.kallsyms, args.user_nm, args.module_nm)
    bench = None
    if args.bench and os.path.exists(args.bench) and os.path.getsize(args.bench):
        with open(args.bench) as f:
            bench = json.load(f)["figures"]
    summary = ["pathprof %s: instructions of one round trip (single-stepped under "
               "QEMU TCG -icount shift=0,sleep=off, -smp 1)" % args.lane, ""]
    user_total = {}
    ok = True
    for name, side, exit_kind in SCENARIOS:
        path = os.path.join(args.traces, "trace-%s.txt" % name)
        if not os.path.exists(path):
            summary.append("%-12s no trace" % name)
            continue
        steps, entries = read_trace(path)
        n = max(entries) - 1 if entries else 0
        if n < 1 or any(i not in entries for i in range(1, n + 2)):
            summary.append("%-12s trace incomplete (fewer than two ioctl entries)" % name)
            ok = False
            continue
        # The round trips stepped, and those an interrupt entered.
        wins = [steps[entries[i]:entries[i + 1]] for i in range(1, n + 1)]
        irqs = [interrupts(syms, args.arch, w) for w in wins]
        clean = [i for i in range(n) if not irqs[i]]
        wdesc = ", ".join("%d%s" % (len(w), " (interrupt: %s)" % irqs[i][0][1] if irqs[i] else "")
                          for i, w in enumerate(wins))
        if not clean:
            summary.append("%-12s every round trip stepped was entered by an interrupt: %s"
                           % (name, wdesc))
            ok = False
            continue
        wi = clean[pick([len(wins[i]) for i in clean])]
        trip = wins[wi]
        entry_fn = syms.lookup(*trip[0])[0]
        head = ["pathprof %s, %s, %s" % (args.lane, side, EXIT_LABEL[(args.arch, exit_kind)])]
        wline = ("round trips stepped (instructions): %s; reported: round trip %d "
                 "(the lower median of those no interrupt entered)" % (wdesc, wi + 1))
        out = os.path.join(args.out, "%s-%s-%s.txt" % (args.lane, side, exit_kind))
        if exit_kind == "user":
            user_total[side] = len(trip)
            head.append("round trip: one iteration of the ioctl loop, from the syscall entry "
                        "(%s) of one run ioctl to that of the next" % entry_fn)
            prof = Profile(syms, trip)
            write_profile(out, head, prof, [wline])
            summary.append("%-12s %6d instructions per user exit round trip "
                           "(host kernel %d, host user %d, guest %d)" %
                           (name, prof.total, prof.by_mode.get("k", 0),
                            prof.by_mode.get("u", 0), prof.by_mode.get("g", 0)))
            summary.append("             round trips stepped: %s" % wdesc)
        else:
            ex = guest_exits(trip)
            k = len(ex) - 1          # the last exit is the user exit
            if k < 2:
                summary.append("%-12s fewer than 2 in-kernel exits in the round trip" % name)
                ok = False
                continue
            rts = [trip[ex[i]:ex[i + 1]] for i in range(k - 1)]
            mid = pick([len(r) for r in rts])
            prof = Profile(syms, rts[mid])
            extra = ["round trip: from the first host instruction after in-kernel exit %d "
                     "of %d to the first after exit %d (the guest's own instructions "
                     "included; the lower median of the %d in-kernel round trips)"
                     % (mid + 1, k, mid + 2, k - 1),
                     "every in-kernel round trip of that ioctl: %s" %
                     ", ".join(str(len(r)) for r in rts),
                     "the whole ioctl round trip (%d in-kernel exits + 1 user exit): %d"
                     % (k, len(trip)), wline]
            if side in user_total:
                extra.append("vcpubench's way, (whole - user exit round trip) / K: "
                             "(%d - %d) / %d = %.0f" %
                             (len(trip), user_total[side], k,
                              (len(trip) - user_total[side]) / k))
            write_profile(out, head, prof, extra)
            summary.append("%-12s %6d instructions per in-kernel exit round trip "
                           "(host kernel %d, guest %d)" %
                           (name, prof.total, prof.by_mode.get("k", 0), prof.by_mode.get("g", 0)))
            summary.append("             in-kernel round trips: %s; whole ioctls with %d: %s"
                           % ("/".join(str(len(r)) for r in rts), k, wdesc))
            if side in user_total:
                summary.append("             vcpubench's way, (whole ioctl - user exit) / K: %.0f"
                               % ((len(trip) - user_total[side]) / k))
        if bench:
            fig = bench.get("user_exit" if exit_kind == "user" else "kernel_exit", {})
            b = (fig.get("kvm" if side == "kvm" else "vcpu") or {}).get("median")
            if b:
                line = ("vcpubench in the same boot: %.0f instructions (ns under icount "
                        "shift=0), pathprof - vcpubench = %+.0f" % (b, prof.total - b))
                summary.append("             " + line)
                with open(out, "a") as f:
                    f.write("\n" + line + "\n")
        summary.append("             top functions (self):")
        summary += ["             " + t for t in fmt_table(prof.self, prof.total, args.top)]
        summary.append("             details: %s" % out)
        summary.append("")
    with open(os.path.join(args.out, "%s-summary.txt" % args.lane), "w") as f:
        f.write("\n".join(summary) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
