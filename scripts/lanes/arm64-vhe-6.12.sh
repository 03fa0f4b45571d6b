# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane arm64-vhe-6.12: the arm64-vhe lane (scripts/lanes/arm64-vhe.sh,
# whose functions and data it takes, the EL1 refusal boot included) on
# Debian's 6.12 arm64 kernel from bookworm-backports, with the module
# cross-built against 6.12's arm64 headers (build flavour arm64-6.12).
# 6.12's arm64 KVM is built in, as 6.1's: kvm-arm.mode=none keeps it off.

# shellcheck source=scripts/lanes/arm64-vhe.sh
. "$SCRIPTS/lanes/arm64-vhe.sh"
LANE_FLAVOUR=arm64-6.12
