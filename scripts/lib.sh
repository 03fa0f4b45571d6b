# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# (SC2034: many variables set here are read by the scripts that source this.)
#
# Shared helpers of the test harness (scripts/check.sh, scripts/demo.sh):
# logging and step timings, apt helpers, Debian kernel ABI discovery and
# download, the build of the module and the static userland from a snapshot
# of the work tree, initramfs packing, and TAP/console parsing.
#
# Everything downloaded or built lives under $BUILD (default <repo>/build),
# cached between runs.  Environment knobs are documented in scripts/README.md.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
LOGDIR=$BUILD/logs
SCRIPTS=$TOP/scripts
TREE=${TREE:-$TOP}        # the source tree that is built and tested
export DEBIAN_FRONTEND=noninteractive

# --------------------------------------------------------------------------
# Logging and timings

_t0=${EPOCHREALTIME/,/.}
STEP_NAMES=()
STEP_TIMES=()

now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

say() { printf '%s\n' "$*"; }
note() { printf '  %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# step NAME: start a timed step; step_done: end it (prints its duration).
step() {
	_step_name=$1
	_step_t0=$(now)
	printf '==> %s\n' "$_step_name"
}
step_done() {
	local t
	t=$(elapsed "$_step_t0")
	STEP_NAMES+=("$_step_name")
	STEP_TIMES+=("$t")
	printf '    %s: %ss\n' "$_step_name" "$t"
}
print_timings() {
	local i
	say "timings:"
	for i in "${!STEP_NAMES[@]}"; do
		printf '  %7ss  %s\n' "${STEP_TIMES[$i]}" "${STEP_NAMES[$i]}"
	done
	printf '  %7ss  total\n' "$(elapsed "$_t0")"
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show
# the tail of LOG and return CMD's status.
run_logged() {
	local log=$1 rc=0
	shift
	mkdir -p "$(dirname "$log")"
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		say "    FAILED ($rc): $*"
		tail -n 40 "$log" | sed 's/^/    | /'
		say "    (full log: $log)"
	fi
	return "$rc"
}

# --------------------------------------------------------------------------
# apt helpers.  Packages are installed only if missing, `apt-get update`
# runs at most once per invocation.  Never install a foreign-architecture
# package (apt would remove the host toolchain to satisfy it): those are
# only ever downloaded and unpacked (apt_fetch_deb).

# Kernel lines: 6.1 is bookworm's own kernel, read through the machine's apt
# configuration; 6.12 is trixie's, built for bookworm in bookworm-backports,
# whose index is read through a private apt configuration under
# $BUILD/apt-bpo (the machine's apt sources are never changed).  Every apt
# call about a kernel package takes the line.  The arm64 packages of 6.1's
# archive (headers, busybox, libfdt) are read through another private
# configuration, "6.1-arm64" under $BUILD/apt-arm64, so that dpkg's own
# architectures are never changed either (no dpkg --add-architecture).
KLINES="6.1 6.12"

# apt_line_opts LINE: sets APT_OPTS, the options that make apt-get and
# apt-cache read LINE's archive.
apt_line_opts() {
	local d
	APT_OPTS=()
	case $1 in
	6.1) return 0 ;;
	6.1-arm64) d=$BUILD/apt-arm64 ;;
	6.12) d=$BUILD/apt-bpo ;;
	*) die "unknown kernel line $1 (known: $KLINES)" ;;
	esac
	# A private configuration: its own sources, lists and cache under d,
	# the machine's dpkg status (read only), both architectures' indexes.
	APT_OPTS=(-o "Dir::Etc::SourceList=$d/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State=$d/state" -o "Dir::State::Lists=$d/state/lists"
		-o Dir::State::status=/var/lib/dpkg/status
		-o "Dir::Cache=$d/cache"
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64)
}

# debian_mirror: the Debian archive the machine's apt sources use (deb822
# or one-line format), for the private backports configuration.
debian_mirror() {
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }')
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++)
			if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
	echo "${m:-http://deb.debian.org/debian}"
}

# debian_security_mirror: the same for bookworm-security.
debian_security_mirror() {
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		/^URIs:/ { u = $2 } /^Suites:/ && / bookworm-security( |$)/ { print u; exit }')
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 ~ / bookworm-security / { for (i = 2; i <= NF; i++)
			if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
	echo "${m:-http://deb.debian.org/debian-security}"
}

declare -A _APT_UPDATED
# apt_update_once [LINE]: `apt-get update` of LINE's archive (default 6.1,
# the machine's), at most once per invocation.
apt_update_once() {
	local line=${1:-6.1} d=$BUILD/apt-bpo
	[ -n "${_APT_UPDATED[$line]:-}" ] && return 0
	[ "${SKIP_APT:-0}" = 1 ] && return 0
	apt_line_opts "$line"
	local key=/usr/share/keyrings/debian-archive-keyring.gpg
	case $line in
	6.1-arm64)
		d=$BUILD/apt-arm64
		mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial"
		{
			echo "deb [arch=arm64 signed-by=$key] $(debian_mirror) bookworm bookworm-updates main"
			echo "deb [arch=arm64 signed-by=$key] $(debian_security_mirror) bookworm-security main"
		} >"$d/sources.list"
		;;
	6.12)
		mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial"
		echo "deb [arch=amd64,arm64 signed-by=$key] $(debian_mirror) bookworm-backports main" \
			>"$d/sources.list"
		;;
	esac
	note "apt-get update ($line)"
	apt-get "${APT_OPTS[@]}" update -qq >"$LOGDIR/apt-update-$line.log" 2>&1 ||
		{ tail -n 20 "$LOGDIR/apt-update-$line.log"; die "apt-get update ($line) failed"; }
	_APT_UPDATED[$line]=1
}

pkg_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

apt_ensure() {
	local p missing=()
	for p in "$@"; do
		case $p in
		*:*) die "refusing to apt-get install foreign-arch package $p" ;;
		esac
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && { note "packages present: $*"; return 0; }
	[ "${SKIP_APT:-0}" = 1 ] && die "missing packages (SKIP_APT=1): ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}: run as root"
	apt_update_once
	note "apt-get install ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>"$LOGDIR/apt-install.log" 2>&1 ||
		{ tail -n 30 "$LOGDIR/apt-install.log"; die "apt-get install failed"; }
}

# apt_fetch_deb PKG DESTDIR [LINE]: `apt-get download` PKG from LINE's
# archive (default 6.1) and `dpkg-deb -x` it into DESTDIR; the .deb is
# removed afterwards.  Retries once after apt-get update (the mirror keeps
# only the newest kernel ABI).
apt_fetch_deb() {
	local pkg=$1 dest=$2 line=${3:-6.1} dl=$BUILD/cache/dl deb
	# 6.1's foreign-architecture packages: the private arm64 configuration.
	case $line:$pkg in 6.1:*:arm64) line=6.1-arm64 ;; esac
	apt_line_opts "$line"
	rm -rf "$dl"
	mkdir -p "$dl" "$dest"
	if ! (cd "$dl" && apt-get "${APT_OPTS[@]}" download -q "$pkg") >"$LOGDIR/apt-download.log" 2>&1; then
		apt_update_once "$line"
		(cd "$dl" && apt-get "${APT_OPTS[@]}" download -q "$pkg") >"$LOGDIR/apt-download.log" 2>&1 ||
			{ tail -n 20 "$LOGDIR/apt-download.log"; die "apt-get download $pkg ($line) failed"; }
	fi
	deb=$(ls "$dl"/*.deb)
	dpkg-deb -x "$deb" "$dest" || die "dpkg-deb -x $deb failed"
	rm -rf "$dl"
}

# apt_depends PKG [LINE]: the names PKG depends on in LINE's archive
# (":arch" suffixes dropped); runs apt-get update once if PKG is unknown.
apt_depends() {
	local pkg=$1 line=${2:-6.1} out
	apt_line_opts "$line"
	out=$(apt-cache "${APT_OPTS[@]}" depends "$pkg" 2>/dev/null) || true
	if [ -z "$out" ]; then
		apt_update_once "$line"
		out=$(apt-cache "${APT_OPTS[@]}" depends "$pkg" 2>/dev/null) || true
	fi
	sed -n 's/^ *Depends: \([^ :]*\).*/\1/p' <<<"$out"
}

# --------------------------------------------------------------------------
# Debian kernel ABIs: discovered from linux-image-<flavour>'s dependency in
# the line's archive, never hard-coded (they move with security updates;
# only the newest is on the mirror).  E.g. 6.1.0-57 (bookworm), 6.12.95+deb12
# (bookworm-backports).

declare -A KABI_OF
# kernel_abi FLAVOUR [LINE]: sets KABI_OF[LINE] (default 6.1), and KABI
# for line 6.1 (the ABI of the host headers every tool but the 6.12
# lanes uses).
kernel_abi() {
	local flavour=$1 line=${2:-6.1} pkg abi=
	for pkg in $(apt_depends "linux-image-$flavour" "$line"); do
		case $pkg in
		"linux-image-$line".*-"$flavour") abi=${pkg#linux-image-}; abi=${abi%-"$flavour"}; break ;;
		esac
	done
	[ -n "$abi" ] || die "cannot discover the $line kernel ABI from linux-image-$flavour"
	KABI_OF[$line]=$abi
	if [ "$line" = 6.1 ]; then KABI=$abi; fi
}

# deb_arch FLAVOUR: the ":arch" suffix of FLAVOUR's packages ("" if native).
deb_arch() {
	case $1 in
	arm64) echo :arm64 ;;
	*) ;;
	esac
}

# kernel_image_dir FLAVOUR LINE: where fetch_kernel unpacks LINE's image.
kernel_image_dir() {
	echo "$BUILD/kernel/${KABI_OF[$2]:-none}-$1"
}

# fetch_kernel FLAVOUR [LINE]: download and unpack
# linux-image-<ABI>-FLAVOUR-unsigned of LINE (default 6.1) into
# $BUILD/kernel/<ABI>-FLAVOUR (cached).  Sets KIMG_DIR, KVMLINUZ.
fetch_kernel() {
	local flavour=$1 line=${2:-6.1} rel
	rel=${KABI_OF[$line]}-$flavour
	KIMG_DIR=$(kernel_image_dir "$flavour" "$line")
	KVMLINUZ=$KIMG_DIR/boot/vmlinuz-$rel
	if [ -f "$KIMG_DIR/.done" ] && [ -f "$KVMLINUZ" ]; then
		note "kernel image cached: $KIMG_DIR"
		return 0
	fi
	rm -rf "$KIMG_DIR"
	note "downloading linux-image-$rel-unsigned$(deb_arch "$flavour") ($line)"
	apt_fetch_deb "linux-image-$rel-unsigned$(deb_arch "$flavour")" "$KIMG_DIR" "$line"
	[ -f "$KVMLINUZ" ] || die "no $KVMLINUZ in linux-image-$rel-unsigned"
	touch "$KIMG_DIR/.done"
}

# headers_dir FLAVOUR LINE: where the module is built against LINE's
# FLAVOUR headers.  6.1: amd64 installed on the host, arm64 unpacked by
# fetch_arm64; other lines: unpacked by fetch_headers.
headers_dir() {
	local flavour=$1 line=$2 abi=${KABI_OF[$2]:-}
	if [ "$line" = 6.1 ]; then
		abi=${KABI:-}
		case $flavour in
		amd64) echo "/usr/src/linux-headers-$abi-amd64" ;;
		*) echo "$BUILD/kernel/$flavour-headers-$abi/usr/src/linux-headers-$abi-$flavour" ;;
		esac
		return 0
	fi
	echo "$BUILD/kernel/headers-$abi/usr/src/linux-headers-$abi-$flavour"
}

# fetch_headers FLAVOUR LINE: LINE's kernel headers for FLAVOUR, ready for
# out-of-tree builds.  6.1: linux-headers-<ABI>-amd64 installed on the host
# (arm64: fetch_arm64).  Other lines are never installed: every flavour's
# linux-headers-<ABI>-FLAVOUR, the -common package and the amd64
# linux-kbuild (host tools; it also serves the arm64 cross build) they
# depend on are unpacked into one root, $BUILD/kernel/headers-<ABI>, where
# the packages' relative tool links resolve; their absolute include of the
# -common Makefile is made relative (headers_include_relative).
# headers_include_relative KD: KD/Makefile includes the -common Makefile
# next to KD by a path relative to itself, so that the unpacked root works
# wherever $BUILD is (or was, when the cache was made).
headers_include_relative() {
	# shellcheck disable=SC2016  # make's $(...), not the shell's
	sed -i -E 's|^include .*/(linux-headers-[^/]+-common/Makefile)$|include $(dir $(lastword $(MAKEFILE_LIST)))../\1|' "$1/Makefile"
}

fetch_headers() {
	local flavour=$1 line=$2 abi=${KABI_OF[$2]} root kd pkg dep
	if [ "$line" = 6.1 ]; then
		case $flavour in
		amd64) apt_ensure "linux-headers-$KABI-amd64" ;;
		arm64) fetch_arm64 ;;
		esac
		return 0
	fi
	root=$BUILD/kernel/headers-$abi
	kd=$root/usr/src/linux-headers-$abi-$flavour
	if [ -f "$kd/.done" ]; then
		headers_include_relative "$kd"
		note "$line headers cached: $kd"
		return 0
	fi
	# The amd64 headers bring -common and the host kbuild along.
	[ "$flavour" = amd64 ] || fetch_headers amd64 "$line"
	pkg=linux-headers-$abi-$flavour
	for dep in "$pkg$(deb_arch "$flavour")" \
		$([ "$flavour" = amd64 ] && apt_depends "$pkg" "$line" | grep -E '^linux-(headers-.*-common|kbuild-)'); do
		note "downloading $dep ($line)"
		apt_fetch_deb "$dep" "$root" "$line"
	done
	[ -f "$kd/Makefile" ] || die "no $kd/Makefile in $pkg"
	headers_include_relative "$kd"
	[ -x "$kd/scripts/basic/fixdep" ] || die "$kd/scripts does not lead to an amd64 kbuild"
	touch "$kd/.done"
}

# fetch_arm64: the 6.1 arm64 flavour's headers (tool links re-pointed at the
# host's linux-kbuild-6.1) and static busybox, downloaded with apt-get
# download of the :arm64 packages through the private "6.1-arm64" apt
# configuration and unpacked (cached).  Needs the host's
# linux-headers-$KABI-amd64 (for linux-headers-$KABI-common and kbuild).
fetch_arm64() {
	local hdr=$BUILD/kernel/arm64-headers-$KABI bb=$BUILD/kernel/arm64-busybox kd
	kd=$hdr/usr/src/linux-headers-$KABI-arm64
	if [ ! -f "$hdr/.done" ]; then
		rm -rf "$hdr"
		note "downloading linux-headers-$KABI-arm64:arm64"
		apt_fetch_deb "linux-headers-$KABI-arm64:arm64" "$hdr"
		ln -sfn /usr/lib/linux-kbuild-6.1/scripts "$kd/scripts"
		ln -sfn /usr/lib/linux-kbuild-6.1/tools "$kd/tools"
		touch "$hdr/.done"
	fi
	if [ ! -x "$bb/bin/busybox" ]; then
		rm -rf "$bb"
		note "downloading busybox-static:arm64"
		apt_fetch_deb busybox-static:arm64 "$bb"
	fi
}

# fetch_libfdt_arm64: Debian's libfdt-dev:arm64 (headers, libfdt.a) unpacked
# in $LIBFDT_ARM64 for the arm64 vcpuctl's device tree (libvmm), cached.
LIBFDT_ARM64=$BUILD/kernel/arm64-libfdt
fetch_libfdt_arm64() {
	ls "$LIBFDT_ARM64"/usr/lib/*/libfdt.a >/dev/null 2>&1 && return 0
	rm -rf "$LIBFDT_ARM64"
	note "downloading libfdt-dev:arm64"
	apt_fetch_deb libfdt-dev:arm64 "$LIBFDT_ARM64"
}

# extract_vmlinux VMLINUZ OUT: decompress the payload of a bzImage (the ELF
# vmlinux, bootable by QEMU through its PVH note: 3-5 s faster a boot).
# 6.1's is xz, 6.12's zstd.
extract_vmlinux() {
	local in=$1 out=$2 off magic unpack
	if [ -s "$out" ] && [ "$out" -nt "$in" ]; then
		note "vmlinux cached: $out"
		return 0
	fi
	for magic in '\xfd7zXZ\x00:xz' '\x28\xb5\x2f\xfd:zstd'; do
		off=$(LC_ALL=C grep -obUaP "${magic%:*}" "$in" | head -n 1 | cut -d: -f1) || true
		unpack=${magic##*:}
		[ -z "$off" ] || break
	done
	[ -n "$off" ] || die "no xz or zstd payload in $in"
	# The decompressor complains about the trailing garbage after the
	# stream: that is fine as long as the result is an ELF file.
	tail -c +$((off + 1)) "$in" | "$unpack" -dc >"$out.tmp" 2>/dev/null || true
	[ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		die "decompressed payload of $in is not an ELF vmlinux"
	mv "$out.tmp" "$out"
}

# fetch_ksrc: the kselftest harness and the kernel style tools, extracted
# from linux-source-6.1 into $BUILD/linux-source (linux-source-6.1/ stripped).
KSRC_FILES="tools/testing/selftests/kselftest_harness.h
tools/testing/selftests/kselftest.h
tools/testing/selftests/lib.mk
tools/testing/selftests/Makefile
tools/testing/selftests/run_kselftest.sh
tools/testing/selftests/kselftest/runner.sh
tools/testing/selftests/kselftest/prefix.pl
tools/testing/selftests/kselftest/module.sh
scripts/subarch.include
scripts/checkpatch.pl
scripts/spelling.txt
scripts/const_structs.checkpatch
.clang-format"

fetch_ksrc() {
	local dir=$BUILD/linux-source f need=0 tmp
	for f in $KSRC_FILES; do
		[ -f "$dir/$f" ] || need=1
	done
	if [ "$need" = 0 ]; then
		note "kernel sources cached: $dir"
		return 0
	fi
	tmp=$BUILD/cache/linux-source
	rm -rf "$tmp"
	note "downloading linux-source-6.1"
	apt_fetch_deb linux-source-6.1 "$tmp"
	mkdir -p "$dir"
	# shellcheck disable=SC2046,SC2086
	tar -xJf "$tmp"/usr/src/linux-source-6.1.tar.xz -C "$dir" \
		--strip-components=1 $(printf 'linux-source-6.1/%s ' $KSRC_FILES) ||
		die "extracting from linux-source-6.1.tar.xz failed"
	rm -rf "$tmp"
}

# kselftest_dropin SRC: the selftests as a kernel tree's kselftest target:
# `make -C selftests export` into a copy of the kselftest tree fetch_ksrc
# extracted (tools/testing/selftests and the scripts it includes), the uapi
# header where `make headers` of a tree carrying it would put it
# (usr/include/linux/vcpu.h, kselftest's default KHDR_INCLUDES), then
# kselftest's own build, install, gen_tar and run_kselftest.sh on this host,
# which has no /dev/vcpu: every binary must report SKIP.  Prints what
# failed; the log is $LOGDIR/kselftest.log.
kselftest_dropin() {
	local src=$1 k=$BUILD/kselftest log=$LOGDIR/kselftest.log tree inst n nskip
	tree=$k/linux
	inst=$k/install
	rm -rf "$k"
	mkdir -p "$tree/usr/include/linux"
	cp -r "$BUILD/linux-source/tools" "$BUILD/linux-source/scripts" "$tree/"
	cp "$src/include/uapi/linux/vcpu.h" "$tree/usr/include/linux/"
	{
		make -C "$src/selftests" export DEST="$tree/tools/testing/selftests/vcpu" &&
		make -C "$tree/tools/testing/selftests" TARGETS=vcpu -j"$JOBS" &&
		make -C "$tree/tools/testing/selftests" TARGETS=vcpu install \
			INSTALL_PATH="$inst" &&
		make -C "$tree/tools/testing/selftests" TARGETS=vcpu gen_tar \
			INSTALL_PATH="$inst"
	} >"$log" 2>&1 || { say "    the kselftest build, install or gen_tar failed"; tail -n 20 "$log" | sed 's/^/    | /'; return 1; }
	ls "$inst"/kselftest-packages/kselftest.tar* >/dev/null 2>&1 ||
		{ say "    gen_tar made no kselftest.tar"; return 1; }
	# Through a pipe: the runner reopens /dev/stdout, which on a regular
	# file would write over its own output.
	(cd "$inst" && ./run_kselftest.sh) 2>&1 | cat >"$k/run.tap"
	cat "$k/run.tap" >>"$log"
	n=$(wc -l <"$inst/kselftest-list.txt")
	nskip=$(grep -cE '^ok [0-9]+ selftests: vcpu: [a-z0-9_]+ # SKIP' "$k/run.tap" || true)
	note "kselftest tree: $n binaries in kselftest-list.txt, $nskip SKIP in run_kselftest.sh's output"
	if [ "$n" -eq 0 ] || [ "$nskip" -ne "$n" ] || grep -q '^not ok' "$k/run.tap"; then
		say "    run_kselftest.sh without /dev/vcpu: expected $n SKIP results"
		tail -n 20 "$k/run.tap" | sed 's/^/    | /'
		return 1
	fi
	tap_valid "$k/run.tap" >/dev/null || { say "    run_kselftest.sh's output is not valid TAP"; return 1; }
}

# --------------------------------------------------------------------------
# Build flavours: one per target architecture and kernel line ("x86_64",
# "arm64": 6.1; "x86_64-6.12", "arm64-6.12": the module built against
# 6.12's headers); lanes that share one (x86-svm and x86-vmx) share the
# build.  flavour_vars FLAVOUR sets:
#   FLAVOUR      FLAVOUR itself
#   KLINE        the kernel line (6.1 unless FLAVOUR ends in -<line>)
#   KARCH        kernel ARCH=
#   CROSS        CROSS_COMPILE prefix ("" for native)
#   TCC          C compiler for the static userland
#   KFLAVOUR     Debian kernel flavour (linux-image-$KABI-$KFLAVOUR)
#   FLAVOUR_PKGS host packages the flavour needs (native arch only!)
#   BUSYBOX      static busybox binary for the initramfs
#   FLAVOUR_KDIR kernel headers to build against (headers_dir)
flavour_vars() {
	local base=$1
	FLAVOUR=$1 KLINE=6.1
	case " $KLINES " in
	*" ${1##*-} "*) KLINE=${1##*-} base=${1%-*} ;;
	esac
	case $base in
	x86_64)
		KARCH=x86 CROSS='' TCC=gcc KFLAVOUR=amd64
		FLAVOUR_PKGS="gcc make libc6-dev binutils busybox-static"
		BUSYBOX=/bin/busybox
		FLAVOUR_KDIR=$(headers_dir amd64 "$KLINE")
		;;
	x86_64-debug)
		# The x86-svm-debug lane: built against the debug kernel tree
		# that its lane_prepare builds (scripts/debug-kernel.sh).
		KARCH=x86 CROSS='' TCC=gcc KFLAVOUR=amd64
		FLAVOUR_PKGS="gcc make libc6-dev binutils busybox-static"
		FLAVOUR_KDIR=$BUILD/debug-kernel/current/linux-source-6.1
		BUSYBOX=/bin/busybox
		;;
	arm64)
		# Cross-built against Debian's arm64 headers, unpacked (never
		# installed) by fetch_arm64 with their tool links re-pointed at
		# the host's kbuild; busybox from busybox-static:arm64.
		KARCH=arm64 CROSS=aarch64-linux-gnu- TCC=aarch64-linux-gnu-gcc
		KFLAVOUR=arm64
		FLAVOUR_PKGS="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross make"
		FLAVOUR_KDIR=$(headers_dir arm64 "$KLINE")
		BUSYBOX=$BUILD/kernel/arm64-busybox/bin/busybox
		;;
	*) die "unknown build flavour $1" ;;
	esac
	# 6.12's headers carry vmlinux: kbuild generates the module's BTF
	# with pahole.
	if [ "$KLINE" != 6.1 ]; then FLAVOUR_PKGS+=" dwarves"; fi
}

# Parallel jobs of the builds (module, sparse, selftests, vcpuctl): every
# CPU by default, as the builds run one after another.
JOBS=${JOBS:-$(nproc)}

# build_lane_module WHAT: a fresh snapshot of the tree for the loaded lane's
# flavour (load_lane) in $BUILD/src/WHAT-<flavour>, and its module built
# into $BUILD/out/WHAT-<flavour> against FLAVOUR_KDIR; SRC and OUT name
# them.  Dies when the module does not build.  For the scripts that boot a
# lane with their own tools (demo, bench, pathprof).
build_lane_module() {
	SRC=$BUILD/src/$1-$LANE_FLAVOUR
	OUT=$BUILD/out/$1-$LANE_FLAVOUR
	snapshot_tree "$SRC"
	rm -rf "$OUT"
	build_module "$SRC" "$OUT" "$FLAVOUR_KDIR" ||
		die "the module does not build (see above)"
}

# snapshot_tree DEST: copy the work tree (tracked and untracked, not ignored
# files, uncommitted changes included) to DEST, so that builds neither race
# with other builds in the tree nor mix architectures, and always start
# clean (warnings are then reported on every run, not only after an edit).
snapshot_tree() {
	local dest=$1
	rm -rf "$dest"
	mkdir -p "$dest"
	if git -C "$TREE" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TREE" && git ls-files -z -co --exclude-standard |
			tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$dest"
	else
		(cd "$TREE" && tar --exclude=./build -cf - .) | tar -xf - -C "$dest"
	fi
	# The selftests find the kselftest harness under $(TOP)/build/linux-source.
	mkdir -p "$dest/build"
	ln -sfn "$BUILD/linux-source" "$dest/build/linux-source"
}

# our_diagnostics LOG SRC: compiler/sparse warnings and errors about files of
# the project (not about kernel headers), paths made relative to SRC.
our_diagnostics() {
	grep -E "^$2/[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):" "$1" | sed "s|^$2/||" || true
}

# --------------------------------------------------------------------------
# initramfs

# initramfs_root DIR: a fresh root with busybox (applet links are made by
# /init itself with `busybox --install -s`).
initramfs_root() {
	local root=$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,selftests,examples,lib/modules}
	cp "$BUSYBOX" "$root/bin/busybox"
	readelf -l "$root/bin/busybox" | grep -q INTERP &&
		die "$BUSYBOX is not static"
	return 0
}

# initramfs_init ROOT BODY [VAR=VALUE...]: write ROOT/init from
# scripts/init/common.sh + scripts/init/BODY.sh, with the settings in
# ROOT/etc/harness.conf.
initramfs_init() {
	local root=$1 body=$2 kv
	shift 2
	: >"$root/etc/harness.conf"
	for kv in "$@"; do
		printf "%s='%s'\n" "${kv%%=*}" "${kv#*=}" >>"$root/etc/harness.conf"
	done
	cat "$SCRIPTS/init/common.sh" "$SCRIPTS/init/$body.sh" >"$root/init"
	chmod 755 "$root/init"
}

# guest_initramfs OUT: the Linux guest's initramfs (issue 17): $BUSYBOX
# (the lane architecture's static busybox) and scripts/guest/init.
guest_initramfs() {
	local out=$1 root
	root=$(dirname "$out")/guest-root
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp}
	cp "$BUSYBOX" "$root/bin/busybox"
	cp "$SCRIPTS/guest/init" "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -9 >"$out"
	rm -rf "$root"
}

# guest_kernel OUT: the lane's own kernel image as the guest boots it:
# x86 the bzImage (vmlinuz), arm64 the Image (Debian's vmlinuz is a gzip'd
# Image: decompressed here, not changed).
guest_kernel() {
	local out=$1 img
	img=$(ls "$KIMG_DIR"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	# A lane whose own kernel is not Debian's (x86-svm-debug) names the
	# Debian flavour its guest boots (LANE_GUEST_FLAVOUR, 6.1 line).
	if [ ! -f "$img" ] && [ -n "${LANE_GUEST_FLAVOUR:-}" ]; then
		img=$( (fetch_kernel "$LANE_GUEST_FLAVOUR" 6.1 >/dev/null 2>&1 && echo "$KVMLINUZ") )
	fi
	[ -f "$img" ] || return 1
	# The release its uname -r must print, for the guest step.
	basename "$img" | sed 's/^vmlinuz-//' >"$(dirname "$out")/release"
	if [ "$(head -c 2 "$img" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		gzip -dc "$img" >"$out"
	else
		cp "$img" "$out"
	fi
}

# initramfs_pack ROOT OUT: cpio newc, gzip.
initramfs_pack() {
	local root=$1 out=$2
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
}

# is_static FILE: an ELF without a program interpreter.
is_static() {
	! readelf -l "$1" 2>/dev/null | grep -q INTERP
}
is_elf() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ]
}

# --------------------------------------------------------------------------
# Results

# tap_merge RAW OUT: the lane's output RAW as one standard TAP stream in
# OUT (scripts/tap_merge.awk: one plan, each selftest binary's own TAP
# nested under its result, as run_kselftest.sh prints it).
tap_merge() {
	awk -f "$SCRIPTS/tap_merge.awk" "$1" >"$2"
}

# tap_valid FILE: FILE parses as TAP (Perl's TAP::Parser, what prove
# uses): prints the parse errors, fails if there are any.
tap_valid() {
	perl -MTAP::Parser -e '
		open(my $fh, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
		my $p = TAP::Parser->new({ tap => do { local $/; <$fh> } });
		while (my $r = $p->next) { }
		my @e = $p->parse_errors;
		print "$_\n" for @e;
		exit(@e ? 1 : 0);' "$1"
}

# tap_count FILE: "PASSED FAILED SKIPPED" of a merged stream (tap_merge),
# counted as before the merge: every harness step, and every result of
# each selftest binary (its nested "# ok"/"# not ok" lines); a binary's
# own result counts only when it says more than those (it died, or
# skipped as a whole).
tap_count() {
	awk '{ sub(/\r$/, "") }
	     function res(line, nested) {
		if (line ~ /^not ok/) { f++; if (nested) bf++ }
		else if (tolower(line) ~ /#[ \t]*skip/) s++
		else p++
		if (nested) bn++
	     }
	     /^# selftests: vcpu: / { bn = 0; bf = 0; next }
	     /^# (not )?ok( |$)/ { line = $0; sub(/^# /, "", line); res(line, 1); next }
	     /^(not )?ok [0-9]+ selftests: vcpu: / {
		if ($0 ~ /^not ok/ && bf == 0) f++
		else if ($0 ~ /^ok/ && bn == 0 && tolower($0) ~ /#[ \t]*skip/) s++
		next
	     }
	     /^(not )?ok( |$)/ { res($0, 0) }
	     END { print p + 0, f + 0, s + 0 }' "$1"
}

# tap_recover_tail TAP CONSOLE: Bochs's second serial port sometimes stops
# transmitting near the end of a run, losing the last harness lines of the
# TAP stream.  Those lines (not the selftests' output) are also written to
# the console, so once every test binary has finished (the rmmod step is in
# the TAP stream) the missing harness lines and the end marker are taken
# from the console.  Anything lost earlier still fails the lane.
tap_recover_tail() {
	local tap=$1 log=$2 last
	grep -q 'vcpu-harness: END' "$tap" && return 0
	grep -q 'vcpu-harness: END' "$log" || return 0
	grep -qE '^(not )?ok - rmmod ' "$tap" || return 0
	# Drop a torn last line, then find the last whole harness line.
	if [ -n "$(tail -c 1 "$tap")" ]; then
		sed -i '$d' "$tap"
	fi
	last=$(tr -d '\r' <"$tap" | grep -E '^(not )?ok - ' | tail -n 1)
	[ -n "$last" ] || return 0
	tr -d '\r' <"$log" | grep -E '^(not )?ok - |^vcpu-harness: END' |
		awk -v last="$last" 'found { print } $0 == last { found = 1 }' >>"$tap"
	note "TAP port lost its tail: harness lines after \"$last\" taken from the console"
}

# Kernel console lines that fail a lane wherever they appear.
CONSOLE_BAD='Oops|BUG:|WARNING:|Call Trace|general protection fault|RCU stall|detected stall|self-detected stall|soft lockup|hard LOCKUP|hung_task|blocked for more than|Kernel panic|UBSAN:|KASAN:|kmemleak:.*new suspected'

# console_problems LOG: "LINE:text" of each such line; a lane may judge its
# console itself (lane_console_problems, same output).  Lines of the Linux
# guest's console ("guest| ", scripts/init/check.sh) are the guest's: its
# step judges them.
console_problems() {
	if declare -F lane_console_problems >/dev/null; then
		lane_console_problems "$1"
		return 0
	fi
	tr -d '\r' <"$1" | grep -nE "$CONSOLE_BAD" | grep -v '^[0-9]*:guest| ' || true
}

# --------------------------------------------------------------------------
# Builds, from a snapshot SRC of the tree (snapshot_tree) into OUT.  Each
# returns non-zero on failure after printing why; logs go to $LOGDIR.
# Expected of the tree (see scripts/README.md):
#   make module KDIR= [W=1] [C=2]      -> $MODULE.ko somewhere in the tree
#   make -C selftests OUTPUT= CC= STATIC=1   -> static test binaries in OUTPUT
#   make -C tools/vcpuctl OUTPUT= CC= STATIC=1 -> OUTPUT/vcpuctl, OUTPUT/examples/

MODULE=${MODULE:-vcpu}

# build_module SRC OUT KDIR: W=1 build; any compiler warning about our own
# files fails it unless ALLOW_WARNINGS=1.  Copies $MODULE.ko to OUT.
build_module() {
	local src=$1 out=$2 kdir=$3 log=$LOGDIR/module-${FLAVOUR:-$KARCH}.log ko diags
	mkdir -p "$out"
	rm -f "$out/$MODULE.ko"
	run_logged "$log" make -j"$JOBS" -C "$src" module KDIR="$kdir" ARCH="$KARCH" \
		${CROSS:+CROSS_COMPILE=$CROSS} W=1 || return 1
	ko=$(find "$src" -path "$src/build" -prune -o -name "$MODULE.ko" -print | head -n 1)
	[ -n "$ko" ] || {
		say "    'make module' built no $MODULE.ko (no Kbuild with obj-m += $MODULE.o yet?) (log: $log)"
		return 1
	}
	cp "$ko" "$out/$MODULE.ko"
	note "$(strings "$out/$MODULE.ko" | grep -m1 '^vermagic=')"
	diags=$(our_diagnostics "$log" "$src")
	if [ -n "$diags" ]; then
		say "    W=1 diagnostics in our files:"
		printf '%s\n' "$diags" | sed 's/^/    | /'
		[ "${ALLOW_WARNINGS:-0}" = 1 ] || return 1
	fi
}

# build_sparse SRC KDIR: sparse over every source (C=2, no recompilation);
# fails on a sparse warning about our own files.
build_sparse() {
	local src=$1 kdir=$2 log=$LOGDIR/sparse-${FLAVOUR:-$KARCH}.log diags
	run_logged "$log" make -j"$JOBS" -C "$src" module KDIR="$kdir" ARCH="$KARCH" \
		${CROSS:+CROSS_COMPILE=$CROSS} W=1 C=2 || return 1
	diags=$(our_diagnostics "$log" "$src")
	if [ -n "$diags" ]; then
		say "    sparse diagnostics in our files:"
		printf '%s\n' "$diags" | sed 's/^/    | /'
		return 1
	fi
}

# build_selftests SRC OUT: static kselftest binaries into OUT/selftests.
build_selftests() {
	local src=$1 out=$2/selftests log=$LOGDIR/selftests-$KARCH.log f bad=0 n=0
	[ -f "$src/selftests/Makefile" ] ||
		{ say "    selftests/Makefile does not exist (yet)"; return 1; }
	rm -rf "$out"
	mkdir -p "$out"
	run_logged "$log" make -j"$JOBS" -C "$src/selftests" OUTPUT="$out" CC="$TCC" STATIC=1 \
		ARCH="$KARCH" ${CROSS:+CROSS_COMPILE=$CROSS} \
		KSFT_DIR="$BUILD/linux-source/tools/testing/selftests" \
		KHDR_INCLUDES="-isystem $src/include/uapi" || return 1
	for f in "$out"/*; do
		[ -f "$f" ] && [ -x "$f" ] && is_elf "$f" || continue
		n=$((n + 1))
		is_static "$f" || { say "    $(basename "$f") is not linked statically"; bad=1; }
	done
	note "$n selftest binaries"
	[ "$n" -gt 0 ] || { say "    'make -C selftests' produced no executable in OUTPUT"; return 1; }
	return "$bad"
}

# build_vcpuctl SRC OUT: OUT/vcpuctl/vcpuctl (static) and OUT/vcpuctl/examples/.
build_vcpuctl() {
	local src=$1 out=$2/vcpuctl log=$LOGDIR/vcpuctl-$KARCH.log
	[ -f "$src/tools/vcpuctl/Makefile" ] ||
		{ say "    tools/vcpuctl/Makefile does not exist (yet)"; return 1; }
	rm -rf "$out"
	mkdir -p "$out"
	# arm64: libvmm's device tree needs libfdt (an arm64 build of it).
	local fdt=()
	if [ "$KARCH" = arm64 ]; then
		fetch_libfdt_arm64
		fdt=(LIBFDT_DIR="$LIBFDT_ARM64")
	fi
	run_logged "$log" make -j"$JOBS" -C "$src/tools/vcpuctl" OUTPUT="$out" CC="$TCC" STATIC=1 \
		ARCH="$KARCH" ${CROSS:+CROSS_COMPILE=$CROSS} "${fdt[@]}" || return 1
	[ -x "$out/vcpuctl" ] || { say "    no vcpuctl in OUTPUT=$out"; return 1; }
	is_static "$out/vcpuctl" || { say "    vcpuctl is not linked statically"; return 1; }
	[ -d "$out/examples" ] && note "examples: $(cd "$out/examples" && echo *)"
	return 0
}

# build_static_tool SRC OUT NAME: tools/NAME of the snapshot SRC, built
# statically for the flavour into OUT/NAME/ (its binary OUT/NAME/NAME).
build_static_tool() {
	local src=$1 out=$2/$3 name=$3
	run_logged "$LOGDIR/$name-$KARCH.log" make -C "$src/tools/$name" \
		OUTPUT="$out" CC="$TCC" STATIC=1 ARCH="$KARCH" \
		${CROSS:+CROSS_COMPILE=$CROSS} || { say "    $name does not build"; return 1; }
	is_static "$out/$name" || { say "    $name is not linked statically"; return 1; }
}

# ko_depends KO: the modules KO depends on (its .modinfo "depends=", which
# modpost writes; read without modinfo, which the host may lack).
ko_depends() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '
}

# initramfs_peers ROOT: the lane's LANE_PEER_MODULES (Debian's KVM) into
# ROOT/lib/peer/, in load order, decompressed (6.12 ships .ko.xz; the
# guest's busybox insmod takes plain ELF); sets PEERS to their file names
# and PEER_ARGS to LANE_PEER_ARGS.  Fails when a module depends on one that
# is not listed before it: busybox insmod resolves no dependencies.
initramfs_peers() {
	local root=$1 m f name dep moddir
	PEERS=
	PEER_ARGS=${LANE_PEER_ARGS:-}
	moddir=$(echo "$KIMG_DIR"/lib/modules/*)
	for m in ${LANE_PEER_MODULES:-}; do
		f=$moddir/$m
		mkdir -p "$root/lib/peer"
		name=${m##*/}
		if [ -f "$f" ]; then
			cp "$f" "$root/lib/peer/$name"
		elif [ -f "$f.xz" ]; then
			xz -dc "$f.xz" >"$root/lib/peer/$name"
		else
			die "peer module $m missing from the kernel package ($KIMG_DIR)"
		fi
		for dep in $(ko_depends "$root/lib/peer/$name"); do
			case " $PEERS " in
			*" $dep.ko "* | *" ${dep//_/-}.ko "*) ;;
			*) die "peer module $name needs $dep, which LANE_PEER_MODULES does not load before it" ;;
			esac
		done
		PEERS="$PEERS $name"
	done
	PEERS=${PEERS# }
}

# --------------------------------------------------------------------------
# Lanes: scripts/lanes/<name>.sh (see x86-svm.sh for the interface).

# Every lane but those marked LANE_OPT_IN=1 (run only when named in LANES).
all_lanes() {
	local f
	for f in "$SCRIPTS"/lanes/*.sh; do
		grep -q '^LANE_OPT_IN=1' "$f" && continue
		basename "$f" .sh
	done
}

declare -A LANE_KERNEL_OF LANE_KIMG_OF
# prepare_lane: lane_prepare, remembering the lane's kernel (and KIMG_DIR,
# where its peer modules are).
prepare_lane() {
	lane_prepare
	LANE_KERNEL_OF[$LANE]=$LANE_KERNEL
	LANE_KIMG_OF[$LANE]=${KIMG_DIR:-}
}

load_lane() {
	[ -f "$SCRIPTS/lanes/$1.sh" ] || die "no lane $1 (scripts/lanes/$1.sh)"
	unset LANE_FLAVOUR LANE_PKGS LANE_CPU LANE_APPEND LANE_TAP_DEV LANE_PEER_MODULES LANE_PEER_ARGS LANE_QUIRKS LANE_POWEROFF_DELAY \
		LANE_BENCH_APPEND LANE_BENCH_NOTE LANE_EL1_CPU LANE_ICOUNT_ARGS LANE_INSN_NS LANE_INSN_SMP \
		LANE_GUEST_APPEND LANE_GUEST_FLAVOUR
	LANE_KERNEL=${LANE_KERNEL_OF[$1]:-}
	KIMG_DIR=${LANE_KIMG_OF[$1]:-${KIMG_DIR:-}}
	unset -f lane_prepare lane_boot lane_console_problems
	# shellcheck disable=SC1090
	. "$SCRIPTS/lanes/$1.sh"
	LANE=$1
	flavour_vars "$LANE_FLAVOUR"
}

# x86_qemu_boot MODE INITRD LOG TAP MEM: the x86 lanes' QEMU TCG boot of
# $LANE_KERNEL (lane_boot's contract, see scripts/lanes/x86-svm.sh) with
# MEM MiB: two serial ports (console, TAP) or, interactive, the console on
# the terminal.
x86_qemu_boot() {
	local mode=$1 initrd=$2 log=$3 tap=$4 mem=$5 serial errlog=${3%.log}.qemu.log fg=()
	if [ "$mode" = interactive ]; then
		# --foreground: QEMU must stay in the terminal's foreground process
		# group to read from it (else SIGTTIN stops it).
		serial=(-serial mon:stdio)
		fg=(--foreground)
	else
		serial=(-serial "file:$log" -serial "file:$tap")
	fi
	# QEMU's stderr (warnings about the EPYC features TCG lacks) goes to a
	# side log, shown on failure.  QEMU_EXTRA: more options (make bench's
	# instruction counting), split on blanks.
	# shellcheck disable=SC2086
	timeout "${fg[@]}" -k 5 "$LANE_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -cpu "$LANE_CPU" -m "$mem" -smp "$SMP" \
		-nodefaults -display none -no-reboot ${QEMU_EXTRA:-} \
		"${serial[@]}" \
		-kernel "$LANE_KERNEL" -initrd "$initrd" \
		-append "$LANE_APPEND ${APPEND:-}" 2>"$errlog"
}

# boot_lane MODE INITRD LOG TAP: lane_boot with the boot-to-/init time
# measured on the host (the first console line of /init).  Sets BOOT_RC,
# BOOT_INIT_S (empty if /init never ran).
boot_lane() {
	local mode=$1 initrd=$2 log=$3 tap=$4 t0 pid tailpid=
	BOOT_INIT_S=
	rm -f "$log" "$tap"
	: >"$log"
	: >"$tap"
	t0=$(now)
	if [ "$mode" = interactive ]; then
		BOOT_RC=0
		lane_boot interactive "$initrd" "$log" "$tap" | tee "$log" || BOOT_RC=$?
		cp "$log" "$tap"
		return 0
	fi
	lane_boot check "$initrd" "$log" "$tap" </dev/null &
	pid=$!
	if [ "${V:-0}" = 1 ]; then
		tail -n +1 -f --pid="$pid" "$log" &
		tailpid=$!
	fi
	while kill -0 "$pid" 2>/dev/null; do
		if [ -z "$BOOT_INIT_S" ] && grep -q 'vcpu-harness: init' "$log" 2>/dev/null; then
			BOOT_INIT_S=$(elapsed "$t0")
		fi
		sleep 0.1
	done
	BOOT_RC=0
	wait "$pid" || BOOT_RC=$?
	if [ -n "$tailpid" ]; then wait "$tailpid" 2>/dev/null || true; fi
	if [ -z "$BOOT_INIT_S" ] && grep -q 'vcpu-harness: init' "$log"; then
		BOOT_INIT_S=$(elapsed "$t0")
	fi
	return 0
}

# prepare_host LANE...: install the packages the lanes need, discover the
# kernel ABI of each kernel line, fetch the headers of every line for each
# architecture the lanes build for (the module's imports are checked
# against all of them, check_symbols), fetch each lane's kernel.  Sets
# KABI (6.1), KABI_OF and FLAVOURS (the build flavours the lanes use).
prepare_host() {
	local lane line fl pkgs="cpio xz-utils gzip make tmux groff-base" kfls=""
	[ "${NO_SPARSE:-0}" = 1 ] || pkgs+=" sparse"
	FLAVOURS=""
	step "packages"
	for lane in "$@"; do
		load_lane "$lane"
		pkgs+=" $LANE_PKGS $FLAVOUR_PKGS"
		case " $FLAVOURS " in *" $LANE_FLAVOUR "*) ;; *) FLAVOURS+="$LANE_FLAVOUR " ;; esac
		case " $kfls " in *" $KFLAVOUR "*) ;; *) kfls+="$KFLAVOUR " ;; esac
	done
	# Every line's headers are fetched: their tools need the same packages.
	for line in $KLINES; do
		[ "$line" = 6.1 ] || { flavour_vars "x86_64-$line"; pkgs+=" $FLAVOUR_PKGS"; }
	done
	# shellcheck disable=SC2046,SC2086
	apt_ensure $(printf '%s\n' $pkgs | sort -u)
	step_done

	step "kernel ABI and headers"
	for line in $KLINES; do
		kernel_abi amd64 "$line"
		note "Debian $line kernel ABI: ${KABI_OF[$line]}"
		for fl in $kfls; do
			fetch_headers "$fl" "$line"
		done
	done
	step_done

	for lane in "$@"; do
		load_lane "$lane"
		step "kernel image ($lane)"
		prepare_lane
		step_done
	done
}
