# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# The debug kernel of the x86-svm-debug lane (`make check-debug`): Debian's
# linux-source-6.1, `make tinyconfig` plus scripts/debug-kernel.config
# (lockdep, DEBUG_ATOMIC_SLEEP, KASAN, kmemleak, debugfs, tracepoints, KVM as
# modules), built with `nice make -j$DEBUG_KERNEL_JOBS bzImage modules` and
# kept as a whole tree, so that the module builds against it out of tree
# (`make -C <tree> M=...`).  See shared/docs/lanes.md, "A debug kernel for
# lockdep and KASAN".
#
# Sourced after scripts/lib.sh (by scripts/lanes/x86-svm-debug.sh).  Also a
# command: `bash scripts/debug-kernel.sh` builds (or finds) the kernel and
# prints where it is.
#
# Cache: $BUILD/debug-kernel/<key>/, key = hash of the config fragment, the
# linux-source-6.1 version and the host compiler; reused while those are
# unchanged, other keys are removed after a successful build.
# $BUILD/debug-kernel/current links to the one in use.
#
# Knobs: DEBUG_KERNEL_JOBS (make -j, default 2), DEBUG_KERNEL_REBUILD=1
# (ignore the cache).

DEBUG_KCONFIG=$SCRIPTS/debug-kernel.config
DEBUG_KERNEL_JOBS=${DEBUG_KERNEL_JOBS:-2}
DEBUG_KERNEL_ROOT=$BUILD/debug-kernel
# The tree as the module build sees it (FLAVOUR_KDIR of flavour x86_64-debug).
DEBUG_KERNEL_TREE=$DEBUG_KERNEL_ROOT/current/linux-source-6.1

# linux_source_version: the candidate version of linux-source-6.1.
linux_source_version() {
	local v
	v=$(apt-cache show --no-all-versions linux-source-6.1 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	if [ -z "$v" ]; then
		apt_update_once
		v=$(apt-cache show --no-all-versions linux-source-6.1 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	fi
	[ -n "$v" ] || die "cannot find linux-source-6.1 in the apt lists"
	printf '%s\n' "$v"
}

# debug_kernel_check_config TREE: every option of the fragment survived
# olddefconfig (a dependency missing would silently drop it).
debug_kernel_check_config() {
	local tree=$1 line opt bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qx "$line" "$tree/.config" || { say "    $line did not survive olddefconfig"; bad=1; } ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			grep -q "^$opt=" "$tree/.config" && { say "    $opt is still set"; bad=1; } ;;
		esac
	done <"$DEBUG_KCONFIG"
	return "$bad"
}

# debug_kernel: find or build the kernel.  Sets DEBUG_KERNEL_DIR (the cache
# entry), DEBUG_VMLINUX (booted through its PVH note), DEBUG_BZIMAGE,
# DEBUG_MODDIR (modules_install root: lib/modules/<release>/...),
# DEBUG_KERNEL_RELEASE, DEBUG_KERNEL_BUILD_S (seconds the build took, when
# it was built now or from the cache entry's record).
debug_kernel() {
	local ver key dir tree t0 log=$LOGDIR/debug-kernel.log f old
	ver=$(linux_source_version)
	key=$( { printf '%s\n' "$ver"; gcc --version | head -n 1; cat "$DEBUG_KCONFIG"; } |
		sha256sum | cut -c1-16)
	dir=$DEBUG_KERNEL_ROOT/$ver-$key
	tree=$dir/linux-source-6.1
	DEBUG_KERNEL_DIR=$dir
	DEBUG_VMLINUX=$tree/vmlinux
	DEBUG_BZIMAGE=$tree/arch/x86/boot/bzImage
	DEBUG_MODDIR=$dir/modules
	if [ "${DEBUG_KERNEL_REBUILD:-0}" != 1 ] && [ -f "$dir/.done" ]; then
		DEBUG_KERNEL_RELEASE=$(cat "$tree/include/config/kernel.release")
		DEBUG_KERNEL_BUILD_S=$(cat "$dir/build-seconds" 2>/dev/null || echo "?")
		note "debug kernel cached: $dir ($DEBUG_KERNEL_RELEASE, linux-source-6.1 $ver; built in ${DEBUG_KERNEL_BUILD_S}s)"
		ln -sfn "$(basename "$dir")" "$DEBUG_KERNEL_ROOT/current"
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir" "$LOGDIR"

	t0=$(now)
	note "downloading linux-source-6.1 $ver"
	apt_fetch_deb linux-source-6.1 "$dir/deb"
	note "downloaded in $(elapsed "$t0")s; extracting the whole tarball"
	t0=$(now)
	tar -xJf "$dir"/deb/usr/src/linux-source-6.1.tar.xz -C "$dir" ||
		die "extracting linux-source-6.1.tar.xz failed"
	rm -rf "$dir/deb"
	note "extracted in $(elapsed "$t0")s"
	# The kselftest harness and style tools (fetch_ksrc) come from the same
	# tarball: take them from here rather than download it a second time.
	for f in $KSRC_FILES; do
		if [ ! -f "$BUILD/linux-source/$f" ] && [ -f "$tree/$f" ]; then
			mkdir -p "$(dirname "$BUILD/linux-source/$f")"
			cp "$tree/$f" "$BUILD/linux-source/$f"
		fi
	done

	note "configuring: tinyconfig + $(basename "$DEBUG_KCONFIG"), olddefconfig"
	{
		make -C "$tree" tinyconfig &&
			(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$DEBUG_KCONFIG") &&
			make -C "$tree" olddefconfig
	} >"$log" 2>&1 || { tail -n 30 "$log"; die "configuring the debug kernel failed (log: $log)"; }
	debug_kernel_check_config "$tree" || die "the debug kernel's config is not what $DEBUG_KCONFIG asks"

	note "building bzImage and modules (nice make -j$DEBUG_KERNEL_JOBS; log: $log)"
	t0=$(now)
	nice make -C "$tree" -j"$DEBUG_KERNEL_JOBS" bzImage modules >>"$log" 2>&1 ||
		{ tail -n 40 "$log"; die "building the debug kernel failed (log: $log)"; }
	DEBUG_KERNEL_BUILD_S=$(elapsed "$t0")
	echo "$DEBUG_KERNEL_BUILD_S" >"$dir/build-seconds"
	make -C "$tree" modules_install INSTALL_MOD_PATH="$DEBUG_MODDIR" >>"$log" 2>&1 ||
		{ tail -n 20 "$log"; die "modules_install of the debug kernel failed (log: $log)"; }
	DEBUG_KERNEL_RELEASE=$(cat "$tree/include/config/kernel.release")
	note "built $DEBUG_KERNEL_RELEASE in ${DEBUG_KERNEL_BUILD_S}s ($(du -sh "$dir" | cut -f1) on disk)"
	touch "$dir/.done"
	# Older entries (another fragment or source version) are not reused.
	for old in "$DEBUG_KERNEL_ROOT"/*; do
		[ "$old" = "$dir" ] || [ -L "$old" ] || rm -rf "$old"
	done
	ln -sfn "$(basename "$dir")" "$DEBUG_KERNEL_ROOT/current"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	# shellcheck source=scripts/lib.sh
	. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
	DEBUG_KCONFIG=$SCRIPTS/debug-kernel.config
	DEBUG_KERNEL_ROOT=$BUILD/debug-kernel
	DEBUG_KERNEL_TREE=$DEBUG_KERNEL_ROOT/current/linux-source-6.1
	mkdir -p "$LOGDIR"
	step "debug kernel"
	debug_kernel
	step_done
	say "tree:    $DEBUG_KERNEL_TREE"
	say "vmlinux: $DEBUG_VMLINUX"
	say "bzImage: $DEBUG_BZIMAGE"
	say "modules: $DEBUG_MODDIR/lib/modules/$DEBUG_KERNEL_RELEASE"
fi
