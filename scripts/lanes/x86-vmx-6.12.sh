# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane x86-vmx-6.12 (opt-in: LANES=x86-vmx-6.12): the x86-vmx lane
# (scripts/lanes/x86-vmx.sh, whose functions and data it takes) on
# Debian's 6.12 kernel from bookworm-backports, with the module built
# against 6.12's headers and 6.12's kvm_intel as the peer, loaded with
# enable_virt_at_load=0 (see x86-svm-6.12.sh).  Not in make check's
# default lanes: Bochs is slow (see scripts/README.md).
LANE_OPT_IN=1

# shellcheck source=scripts/lanes/x86-vmx.sh
. "$SCRIPTS/lanes/x86-vmx.sh"
LANE_FLAVOUR=x86_64-6.12
LANE_PEER_ARGS="kvm.enable_virt_at_load=0"
