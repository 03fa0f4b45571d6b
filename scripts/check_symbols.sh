#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check_symbols.sh [--nm NM] KO SYMVERS...: every symbol the module KO
# imports must be exported by the kernel of each Module.symvers given.
# make check runs it on each build flavour's module with the Module.symvers
# of the line it was built for: modpost's check of the same can be turned
# into a warning (KBUILD_MODPOST_WARN), this one cannot.  Each kernel line
# is covered by building against its own headers (build flavours per
# line): comparing a module built for one line with another line's
# Module.symvers says nothing, since header inlines name different
# symbols on each (kmalloc() imports __kmalloc on 6.1, __kmalloc_noprof on
# 6.12).  Prints the missing symbols per Module.symvers; exit status 1 if
# any.

set -euo pipefail

nm="nm"
if [ "${1:-}" = --nm ]; then
	nm=$2
	shift 2
fi
[ $# -ge 2 ] || { echo "usage: $0 [--nm NM] KO SYMVERS..." >&2; exit 2; }
ko=$1
shift

imports=$("$nm" -u "$ko" | awk '{ print $NF }' | sort -u)
[ -n "$imports" ] || { echo "$ko imports nothing? ($nm -u)" >&2; exit 2; }
rc=0
for sv in "$@"; do
	missing=$(awk '{ print $2 }' "$sv" | sort -u | comm -23 <(printf '%s\n' "$imports") -)
	if [ -n "$missing" ]; then
		echo "not exported by $sv:"
		awk '{ print "  " $0 }' <<<"$missing"
		rc=1
	fi
done
exit "$rc"
