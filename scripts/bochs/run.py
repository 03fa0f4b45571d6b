#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run Bochs headless with its two serial ports on ptys copied to files.

Bochs's serial "file" mode buffers in 4 KiB bursts, so each port is a pty
whose master side this script copies, unbuffered, to a log file.

usage: run.py CONFIG_TEMPLATE CONSOLE_LOG TAP_LOG [bochs args...]
The template's @COM1@ and @COM2@ are replaced by the pty paths.
"""
import os
import select
import subprocess
import sys
import tty


def main():
    template, console_log, tap_log = sys.argv[1:4]
    extra = sys.argv[4:]
    ports = []
    for path in (console_log, tap_log):
        master, slave = os.openpty()
        tty.setraw(slave)
        ports.append((master, slave, os.ttyname(slave), open(path, "ab", 0)))
    with open(template) as f:
        cfg = f.read()
    cfg = cfg.replace("@COM1@", ports[0][2]).replace("@COM2@", ports[1][2])
    rc_path = template + ".rc"
    with open(rc_path, "w") as f:
        f.write(cfg)
    cmds = template + ".cmds"
    with open(cmds, "w") as f:
        f.write("c\n")     # continue: do not stop at the debugger prompt
    proc = subprocess.Popen(["bochs", "-q", "-f", rc_path, "-rc", cmds] + extra,
                            stdin=subprocess.DEVNULL,
                            stdout=open(console_log + ".bochs", "ab"),
                            stderr=subprocess.STDOUT)
    fds = {p[0]: p[3] for p in ports}
    while True:
        ready, _, _ = select.select(list(fds), [], [], 0.2)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                fds[fd].write(data)
        if proc.poll() is not None and not ready:
            break
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
