// SPDX-License-Identifier: GPL-2.0
/* Guest memory, image loading and long-mode identity page tables. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "vcpuctl.h"
#include "vmm.h"

int guest_mem_create(struct guest_mem *mem, uint64_t size, bool vga_hole)
{
	void *host;

	memset(mem, 0, sizeof(*mem));
	if (!size || size % GUEST_PAGE_SIZE) {
		pr_err("memory size 0x%" PRIx64 " is not a multiple of 4 KiB",
		       size);
		return -1;
	}
	if (size > VCPU_MAX_REGION_SIZE) {
		pr_err("memory size 0x%" PRIx64 " is over the %llu GiB a slot may hold",
		       size, VCPU_MAX_REGION_SIZE >> 30);
		return -1;
	}
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED) {
		pr_errno("mmap %" PRIu64 " bytes of guest memory", size);
		return -1;
	}
	mem->host = host;
	mem->size = size;

	if (!vga_hole || size <= GUEST_VGA_HOLE_START) {
		mem->slots[0] = (struct guest_slot){ 0, size };
		mem->nr_slots = 1;
		return 0;
	}
	mem->slots[0] = (struct guest_slot){ 0, GUEST_VGA_HOLE_START };
	mem->nr_slots = 1;
	if (size > GUEST_VGA_HOLE_END) {
		mem->slots[1] = (struct guest_slot){
			GUEST_VGA_HOLE_END, size - GUEST_VGA_HOLE_END
		};
		mem->nr_slots = 2;
	}
	return 0;
}

void guest_mem_destroy(struct guest_mem *mem)
{
	if (mem->host)
		munmap(mem->host, mem->size);
	mem->host = NULL;
}

int guest_mem_register(const struct guest_mem *mem, int vm_fd)
{
	unsigned int i;

	for (i = 0; i < mem->nr_slots; i++) {
		const struct guest_slot *s = &mem->slots[i];
		struct vcpu_memory_region region = {
			.slot = i,
			.flags = 0,
			.guest_phys_addr = s->gpa,
			.memory_size = s->size,
			.userspace_addr = (uintptr_t)(mem->host + s->gpa),
		};

		if (ioctl(vm_fd, VCPU_SET_MEMORY_REGION, &region) < 0) {
			pr_errno("VCPU_SET_MEMORY_REGION slot %u [0x%" PRIx64
				 ", 0x%" PRIx64 ")", i, s->gpa, s->gpa + s->size);
			return -1;
		}
	}
	return 0;
}

bool guest_mem_is_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < mem->nr_slots; i++) {
		const struct guest_slot *s = &mem->slots[i];

		if (gpa >= s->gpa && gpa - s->gpa <= s->size &&
		    len <= s->size - (gpa - s->gpa))
			return true;
	}
	return false;
}

int guest_load_image(struct guest_mem *mem, const char *path, uint64_t gpa,
		     uint64_t *len)
{
	uint64_t done = 0, size;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_errno("open %s", path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		pr_errno("stat %s", path);
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		pr_err("%s: not a regular file", path);
		goto err_close;
	}
	size = st.st_size;
	if (!size) {
		pr_err("%s: empty image", path);
		goto err_close;
	}
	if (!guest_mem_is_ram(mem, gpa, size)) {
		pr_err("%s: %" PRIu64 " bytes at 0x%" PRIx64
		       " do not fit in guest memory (raise --mem?)",
		       path, size, gpa);
		goto err_close;
	}
	while (done < size) {
		ssize_t n = read(fd, mem->host + gpa + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pr_errno("read %s", path);
			goto err_close;
		}
		if (!n) {
			pr_err("%s: file shrank while reading", path);
			goto err_close;
		}
		done += n;
	}
	close(fd);
	*len = size;
	return 0;

err_close:
	close(fd);
	return -1;
}

uint64_t guest_identity_map_pages(uint64_t span)
{
	return vmm_x86_identity_map_pages(span);
}

int guest_build_identity_map(struct guest_mem *mem, uint64_t table_gpa,
			     uint64_t span)
{
	if (!guest_mem_is_ram(mem, table_gpa,
			      guest_identity_map_pages(span) * GUEST_PAGE_SIZE))
		return -1;
	return vmm_x86_identity_map(mem->host + table_gpa, table_gpa, span);
}
