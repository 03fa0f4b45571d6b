/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical memory as vcpuctl lays it out: one anonymous host mapping
 * in which guest-physical address G lives at host + G, registered as one or
 * two memory slots.  On x86 the legacy VGA window [0xA0000, 0xC0000) is left
 * without memory, as on a PC, so that a real-mode guest can reach MMIO.
 */
#ifndef VCPUCTL_GUEST_H
#define VCPUCTL_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_PAGE_SIZE		4096ULL
#define GUEST_VGA_HOLE_START	0xa0000ULL
#define GUEST_VGA_HOLE_END	0xc0000ULL

struct guest_slot {
	uint64_t gpa;
	uint64_t size;
};

struct guest_mem {
	uint8_t *host;
	uint64_t size;			/* guest-physical span: [0, size) */
	struct guest_slot slots[2];
	unsigned int nr_slots;
};

/* Map @size bytes (page aligned) and plan the slots. -1 on failure. */
int guest_mem_create(struct guest_mem *mem, uint64_t size, bool vga_hole);
void guest_mem_destroy(struct guest_mem *mem);
/* VCPU_SET_MEMORY_REGION for every slot. -1 on failure (printed). */
int guest_mem_register(const struct guest_mem *mem, int vm_fd);
/* [gpa, gpa + len) is entirely memory (no hole, nothing past the end). */
bool guest_mem_is_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Copy the file @path to @gpa; its length in *@len. -1 on failure. */
int guest_load_image(struct guest_mem *mem, const char *path, uint64_t gpa,
		     uint64_t *len);

/*
 * If @path is an ELF image, load its PT_LOAD segments at their physical
 * addresses: 0 with the entry point in *@entry and the end of the highest
 * segment in *@end; 1 if it is not ELF (a flat image); -1 on failure.
 */
int guest_load_elf(struct guest_mem *mem, const char *path, uint64_t *entry,
		   uint64_t *end);

/* Pages guest_build_identity_map() needs to map [0, @span). */
uint64_t guest_identity_map_pages(uint64_t span);
/*
 * Write 4-level x86-64 page tables at @table_gpa (guest memory) that map
 * [0, @span) one to one with 2 MiB pages, writable and executable; the
 * PML4 comes first, so @table_gpa is the CR3 value.  -1 if they do not fit.
 */
int guest_build_identity_map(struct guest_mem *mem, uint64_t table_gpa,
			     uint64_t span);

#endif /* VCPUCTL_GUEST_H */
