// SPDX-License-Identifier: GPL-2.0
/*
 * ELF guest images: every PT_LOAD segment is copied to its physical
 * address (p_paddr), the rest of its p_memsz zeroed, and e_entry becomes
 * the entry point.  32- and 64-bit little-endian images for x86 and arm64.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "vcpuctl.h"

struct elf_seg {
	uint64_t offset, paddr, filesz, memsz;
	uint32_t type;
};

static int elf_read_at(int fd, uint64_t off, void *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : -1;
}

/* The idx-th program header of either class, normalised. */
static int elf_phdr(int fd, const unsigned char *ident, uint64_t phoff,
		    unsigned int idx, unsigned int phentsize,
		    struct elf_seg *seg)
{
	uint64_t off = phoff + (uint64_t)idx * phentsize;

	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Phdr p;

		if (phentsize < sizeof(p) || elf_read_at(fd, off, &p, sizeof(p)))
			return -1;
		*seg = (struct elf_seg){ p.p_offset, p.p_paddr, p.p_filesz,
					 p.p_memsz, p.p_type };
	} else {
		Elf32_Phdr p;

		if (phentsize < sizeof(p) || elf_read_at(fd, off, &p, sizeof(p)))
			return -1;
		*seg = (struct elf_seg){ p.p_offset, p.p_paddr, p.p_filesz,
					 p.p_memsz, p.p_type };
	}
	return 0;
}

int guest_load_elf(struct guest_mem *mem, const char *path, uint64_t *entry,
		   uint64_t *end)
{
	unsigned char ident[EI_NIDENT];
	unsigned int phnum, phentsize, i, loaded = 0;
	uint64_t phoff;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_errno("open %s", path);
		return -1;
	}
	if (elf_read_at(fd, 0, ident, sizeof(ident)) ||
	    memcmp(ident, ELFMAG, SELFMAG)) {
		ret = 1;			/* not ELF: a flat image */
		goto out;
	}
	if ((ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64) ||
	    ident[EI_DATA] != ELFDATA2LSB) {
		pr_err("%s: only little-endian ELF32/ELF64 images", path);
		goto out;
	}
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr h;

		if (elf_read_at(fd, 0, &h, sizeof(h)))
			goto short_file;
		*entry = h.e_entry;
		phoff = h.e_phoff;
		phnum = h.e_phnum;
		phentsize = h.e_phentsize;
	} else {
		Elf32_Ehdr h;

		if (elf_read_at(fd, 0, &h, sizeof(h)))
			goto short_file;
		*entry = h.e_entry;
		phoff = h.e_phoff;
		phnum = h.e_phnum;
		phentsize = h.e_phentsize;
	}

	*end = 0;
	for (i = 0; i < phnum; i++) {
		struct elf_seg s;

		if (elf_phdr(fd, ident, phoff, i, phentsize, &s))
			goto short_file;
		if (s.type != PT_LOAD || !s.memsz)
			continue;
		if (s.filesz > s.memsz ||
		    !guest_mem_is_ram(mem, s.paddr, s.memsz)) {
			pr_err("%s: segment %u (0x%" PRIx64 ", %" PRIu64
			       " bytes) does not fit in guest memory (raise --mem?)",
			       path, i, s.paddr, s.memsz);
			goto out;
		}
		if (s.filesz &&
		    elf_read_at(fd, s.offset, mem->host + s.paddr, s.filesz))
			goto short_file;
		memset(mem->host + s.paddr + s.filesz, 0, s.memsz - s.filesz);
		if (s.paddr + s.memsz > *end)
			*end = s.paddr + s.memsz;
		loaded++;
	}
	if (!loaded) {
		pr_err("%s: no loadable segment", path);
		goto out;
	}
	ret = 0;
	goto out;

short_file:
	pr_err("%s: truncated or malformed ELF image", path);
out:
	close(fd);
	return ret;
}
