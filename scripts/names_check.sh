#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# names_check.sh KO KERNEL_DIR: no name that KO defines (functions and
# data, static ones included) may also be defined by the kernel it was
# built for (KERNEL_DIR/boot/System.map-*: built-in KVM on arm64) or by
# KVM's modules (kvm*.ko, compressed or not, under KERNEL_DIR/lib/modules),
# so that an oops, a trace or a perf report on a machine with KVM names one
# or the other without doubt.  Left out: the boilerplate every module has
# (init_module, __this_module, 6.12's orc_header and alloc_tags bounds,
# the trace macros' local tables such as __print_symbolic's symbols, ...), compiler-made suffixes (.cold, .isra, numbered copies), and the
# kernel headers' inline functions the compiler emitted out of line (the
# kernel's code under the kernel's name: KERNEL_INLINES).  Prints the
# shared names and fails if there are any.
set -euo pipefail

ko=$1 kdir=$2
# Header inlines seen out of line (the debug kernel's options change which).
KERNEL_INLINES='cr4_clear_bits|cr4_set_bits|find_(first|last|next)(_zero|_and)?_bit'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined names, one per line, compiler suffixes stripped.
defined() {
	nm --defined-only "$1" 2>/dev/null | awk 'NF == 3 { print $3 }' |
		sed -E 's/\.(cold|isra|constprop|part|llvm)(\.[0-9]+)*$//; s/\.[0-9]+$//' |
		grep -vE '^(init_module|cleanup_module|__this_module|____versions|__func__|__key|symbols|_rs|_note_[0-9]+|__UNIQUE_ID_.*|__start_alloc_tags|__stop_alloc_tags|orc_header|\.L.*|__pfx_.*|__cfi_.*)$' | grep -vxE "$KERNEL_INLINES" || true
}

defined "$ko" | sort -u >"$tmp/ours"
[ -s "$tmp/ours" ] || { echo "names_check: no names in $ko" >&2; exit 1; }

: >"$tmp/theirs.raw"
for map in "$kdir"/boot/System.map-*; do
	[ -f "$map" ] && awk '{ print $3 }' "$map" >>"$tmp/theirs.raw"
done
while IFS= read -r -d '' m; do
	case $m in
	*.xz) xz -dc "$m" >"$tmp/m.ko" ;;
	*.zst) zstd -qdc "$m" >"$tmp/m.ko" ;;
	*) cp "$m" "$tmp/m.ko" ;;
	esac
	defined "$tmp/m.ko" >>"$tmp/theirs.raw"
done < <(find "$kdir/lib/modules" -path '*/kvm/*' -name 'kvm*.ko*' -print0 2>/dev/null)
[ -s "$tmp/theirs.raw" ] || { echo "names_check: no System.map or KVM module under $kdir" >&2; exit 1; }
sed -E 's/\.[0-9]+$//' "$tmp/theirs.raw" | sort -u >"$tmp/theirs"

comm -12 "$tmp/ours" "$tmp/theirs" >"$tmp/shared"
if [ -s "$tmp/shared" ]; then
	echo "names_check: $(wc -l <"$tmp/shared") name(s) of $(basename "$ko") also defined by the kernel or KVM under $kdir:"
	sed 's/^/  /' "$tmp/shared"
	exit 1
fi
echo "names_check: $(wc -l <"$tmp/ours") names in $(basename "$ko"), none shared with $(basename "$kdir")'s kernel and KVM"
