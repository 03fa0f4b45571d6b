# SPDX-License-Identifier: GPL-2.0
#
# pathprof, the gdb side: run as `gdb -batch -nx -x pathprof_gdb.py` (gdb or
# gdb-multiarch) against QEMU's gdbstub while the guest's /init runs
# tools/pathprof/pathprof.  Settings come from the environment:
#
#   PATHPROF_ARCH    x86 | arm64
#   PATHPROF_PORT    QEMU's gdbstub TCP port (localhost)
#   PATHPROF_MARKER  hex address of the marker syscall's handler
#                    (__x64_sys_ / __arm64_sys_sched_get_priority_min)
#   PATHPROF_GO      file (the guest's serial input) to write the go byte to
#                    once the breakpoint is set
#   PATHPROF_OUT     directory for the raw traces, trace-<scenario>.txt
#   PATHPROF_MAX     most steps per scenario (default 400000)
#   PATHPROF_WINDOWS round trips to step per scenario (default 3, at most 4:
#                    pathprof makes 4 ioctls after the marker)
#   PATHPROF_SSTEP   QEMU's single-step flags (Qqemu.sstep): 1 ENABLE,
#                    2 NOIRQ, 4 NOTIMER; default 5 (see below)
#
# At each hit of the marker the scenario id is read from the syscall's
# first argument; gdb then single-steps (stepi) until the (WINDOWS+1)-th
# entry into the kernel from user mode after the marker: through the
# marker's return, then WINDOWS whole VCPU_RUN/KVM_RUN round trips.  Each
# trace line: "<pc hex> <mode>", mode k (host kernel), u (host user) or g
# (the nested guest); "# entry N" precedes the N-th kernel entry.  The
# report (pathprof_report.py) picks one round trip.
#
# Interrupts: QEMU's default (7) steps with interrupts masked.  Then an
# interrupt that becomes pending (the host tick is found pending at the
# marker on arm64) is never taken, and KVM/arm64 livelocks: __guest_enter
# sees ISR_EL1 != 0 and returns ARM_EXCEPTION_IRQ without entering the
# guest, the run loop enables interrupts (which stay masked by QEMU) and
# tries again, for ever.  So the default lets interrupts in (5: no
# timers while stepping): a pending one is taken at once, before the first
# round trip, and the report rejects a round trip an interrupt entered.

import os
import sys
import time

import gdb

ARCH = os.environ["PATHPROF_ARCH"]
PORT = os.environ["PATHPROF_PORT"]
MARKER = int(os.environ["PATHPROF_MARKER"], 16)
GO = os.environ["PATHPROF_GO"]
OUT = os.environ["PATHPROF_OUT"]
MAX_STEPS = int(os.environ.get("PATHPROF_MAX", "400000"))
WINDOWS = min(max(int(os.environ.get("PATHPROF_WINDOWS", "3")), 1), 4)
SSTEP = int(os.environ.get("PATHPROF_SSTEP", "5"), 0)

MAGIC = 0x50A70000
DONE = 0xFF
NAMES = {1: "vcpu-user", 2: "vcpu-kernel", 3: "kvm-user", 4: "kvm-kernel"}


def log(msg):
    sys.stdout.write("pathprof-gdb: %s\n" % msg)
    sys.stdout.flush()


def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF


if ARCH == "x86":
    # The host kernel runs with CS 0x10, host user mode with CS 0x33 (and
    # 0x23 for 32-bit code); anything else is the nested guest (the
    # profiled guests run in real mode at CS 0).
    def mode(pc):
        cs = reg("cs") & 0xFFFF
        if cs == 0x10:
            return "k"
        if cs in (0x33, 0x23, 0x2B):
            return "u"
        return "g"

    def marker_arg():
        # __x64_sys_*(const struct pt_regs *regs): regs->di (offset 0x70)
        return int(gdb.parse_and_eval("*(unsigned long *)($rdi + 0x70)"))

else:
    # PSTATE.M[3:2] is the exception level: the VHE host kernel at EL2,
    # host user mode at EL0, the guest at EL1.
    def mode(pc):
        el = (reg("cpsr") >> 2) & 3
        return {2: "k", 0: "u"}.get(el, "g")

    def marker_arg():
        # __arm64_sys_*(const struct pt_regs *regs): regs->regs[0]
        return int(gdb.parse_and_eval("*(unsigned long *)$x0"))


def step_scenario(name):
    """stepi until the (WINDOWS+1)-th user->kernel entry after the marker."""
    path = os.path.join(OUT, "trace-%s.txt" % name)
    t0 = time.time()
    entries = 0
    steps = 0
    prev = "k"
    with open(path, "w") as f:
        pc = reg("pc")
        f.write("%x k\n" % pc)
        while steps < MAX_STEPS:
            gdb.execute("stepi", to_string=True)
            steps += 1
            pc = reg("pc")
            m = mode(pc)
            if prev == "u" and m == "k":
                entries += 1
                f.write("# entry %d\n" % entries)
            f.write("%x %s\n" % (pc, m))
            prev = m
            if entries == WINDOWS + 1:
                break
    dt = time.time() - t0
    log("%s: %d steps in %.1f s (%.0f steps/s)%s" %
        (name, steps, dt, steps / dt if dt else 0,
         "" if entries == WINDOWS + 1 else ", INCOMPLETE (step limit)"))
    return entries == WINDOWS + 1


def marker_bp():
    gdb.execute("break *0x%x" % MARKER, to_string=True)


def main():
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set height 0")
    gdb.execute("set width 0")
    if ARCH == "x86":
        gdb.execute("set architecture i386:x86-64")
    else:
        gdb.execute("set architecture aarch64")
    gdb.execute("target remote localhost:%s" % PORT)
    reply = gdb.execute("maint packet Qqemu.sstep=0x%x" % SSTEP, to_string=True)
    if '"OK"' not in reply:
        log("QEMU refused Qqemu.sstep=0x%x: %s" % (SSTEP, reply.strip()))
    marker_bp()
    with open(GO, "w") as go:
        go.write("g\n")
    log("attached, marker breakpoint at 0x%x, go sent" % MARKER)
    ok = True
    while True:
        gdb.execute("continue", to_string=True)
        pc = reg("pc")
        if pc != MARKER:
            log("stopped at 0x%x, not the marker: giving up" % pc)
            ok = False
            break
        arg = marker_arg()
        if arg - MAGIC == DONE:
            log("done marker")
            break
        if arg - MAGIC not in NAMES:
            # someone else's sched_get_priority_min
            continue
        # No breakpoint while stepping: gdb would insert and remove it
        # around every step, and QEMU drops translated code each time.
        gdb.execute("delete")
        ok = step_scenario(NAMES[arg - MAGIC]) and ok
        marker_bp()
    gdb.execute("delete")
    gdb.execute("detach")
    log("detached" + ("" if ok else " (with errors)"))


try:
    main()
except Exception as e:  # noqa: BLE001 - report anything, let the guest go on
    log("error: %s" % e)
    try:
        gdb.execute("detach")
    except gdb.error:
        pass
    gdb.execute("quit 1")
