# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane x86-svm-6.12: the x86-svm lane (scripts/lanes/x86-svm.sh, whose
# functions and data it takes) on Debian's 6.12 kernel from
# bookworm-backports, with the module built against 6.12's headers (build
# flavour x86_64-6.12) and 6.12's KVM as the peer hypervisor.
#
# 6.12's KVM turns SVM on in every CPU when it loads (its module parameter
# enable_virt_at_load, default on) and keeps it on: this module would then
# find EFER.SVME set everywhere and refuse every BIND.  The lane loads KVM
# with enable_virt_at_load=0, so that, as with 6.1's KVM, it holds the
# CPUs only while one of its VMs exists (the coexistence selftests rely on
# that).

# shellcheck source=scripts/lanes/x86-svm.sh
. "$SCRIPTS/lanes/x86-svm.sh"
LANE_FLAVOUR=x86_64-6.12
LANE_PEER_ARGS="kvm.enable_virt_at_load=0"
