// SPDX-License-Identifier: GPL-2.0
/*
 * Memory regions: guest-physical ranges backed by pinned user pages and
 * mapped in the VM's second-stage table.
 *
 * Pinned pages are locked memory: a region counts against the caller's
 * RLIMIT_MEMLOCK (mm->locked_vm, as vfio and io_uring account theirs)
 * unless it has CAP_IPC_LOCK, and the charge is taken before anything is
 * pinned, so a region over the limit fails with ENOMEM having touched
 * nothing.  The pages themselves stay charged to the memory cgroup that
 * faulted them in (they are the process's own memory); the page array and
 * the second-stage tables are allocated with __GFP_ACCOUNT.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "backend.h"
#include "vcpu.h"

static void vcpu_memslot_unmap(struct vcpu_vm *vm, struct vcpu_memslot *s,
			       unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		vcpu_pt_unmap(&vm->pt, s->gpa + ((u64)i << PAGE_SHIFT));
		/* Under mem_lock, a mutex: a region may be 1 GiB of pages. */
		if (!(i & 511))
			cond_resched();
	}
}

/* A slot pointer under mem_lock. */
static struct vcpu_memslot *vcpu_memslot_locked(struct vcpu_vm *vm, int i)
{
	return rcu_dereference_protected(vm->slots[i],
					 lockdep_is_held(&vm->mem_lock));
}

struct vcpu_memslot *vcpu_memslot_find(struct vcpu_vm *vm, u64 gpa)
{
	struct vcpu_memslot *s;
	int i;

	for (i = 0; i < VCPU_MAX_MEM_SLOTS; i++) {
		s = srcu_dereference_check(vm->slots[i], &vm->srcu,
					   lockdep_is_held(&vm->mem_lock));
		if (s && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/*
 * The guest may have written any page of a writable region behind the
 * host's page tables (the second stage maps them directly): they are
 * marked dirty as they are unpinned, or a file-backed region's writes
 * could be dropped by writeback (the page cache never saw them dirtied).
 */
static void vcpu_memslot_unpin(struct vcpu_memslot *s, unsigned long npages)
{
	unsigned long done;

	for (done = 0; done < npages; done += 512) {
		unsigned long n = min_t(unsigned long, npages - done, 512);

		if (s->flags & VCPU_MEM_READONLY)
			unpin_user_pages(s->pages + done, n);
		else
			unpin_user_pages_dirty_lock(s->pages + done, n, true);
		cond_resched();
	}
}

/*
 * The region's share of locked_vm goes back to the mm it was charged to,
 * which need not be the caller's (the VM may be closed by another
 * process, or after its creator exited: then there is nothing to give
 * back).
 */
static void vcpu_memslot_unaccount(struct vcpu_memslot *s)
{
	if (mmget_not_zero(s->mm)) {
		account_locked_vm(s->mm, s->npages, false);
		mmput(s->mm);
	}
	mmdrop(s->mm);
}

static void vcpu_memslot_free(struct vcpu_memslot *s)
{
	vcpu_memslot_unpin(s, s->npages);
	vcpu_memslot_unaccount(s);
	kvfree(s->pages);
	kfree(s);
}

static int vcpu_memslot_pin(struct vcpu_memslot *s)
{
	unsigned int gup = FOLL_LONGTERM;
	unsigned long done = 0;

	if (!(s->flags & VCPU_MEM_READONLY))
		gup |= FOLL_WRITE;
	while (done < s->npages) {
		int n = min_t(unsigned long, s->npages - done, 512);
		int got;

		got = pin_user_pages_fast(s->uaddr + (done << PAGE_SHIFT), n,
					  gup, s->pages + done);
		if (got <= 0) {
			/* Never mapped: the guest wrote none of these. */
			unpin_user_pages(s->pages, done);
			return got ? got : -EFAULT;
		}
		done += got;
		if (got < n) {
			unpin_user_pages(s->pages, done);
			return -EFAULT;
		}
		cond_resched();
	}
	return 0;
}

static int vcpu_memslot_add(struct vcpu_vm *vm, const struct vcpu_memory_region *r)
{
	unsigned int prot = VCPU_PT_READ | VCPU_PT_EXEC;
	struct vcpu_memslot *s;
	unsigned long i;
	int ret;

	for (i = 0; i < VCPU_MAX_MEM_SLOTS; i++) {
		struct vcpu_memslot *o = vcpu_memslot_locked(vm, i);

		if (o && r->guest_phys_addr < o->gpa + o->size &&
		    o->gpa < r->guest_phys_addr + r->memory_size)
			return -EEXIST;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	s->gpa = r->guest_phys_addr;
	s->size = r->memory_size;
	s->uaddr = r->userspace_addr;
	s->flags = r->flags;
	s->npages = r->memory_size >> PAGE_SHIFT;
	/* More than all of RAM can never be pinned: not worth an OOM kill. */
	if (s->npages > totalram_pages()) {
		ret = -ENOMEM;
		goto err_slot;
	}
	s->mm = current->mm;
	ret = account_locked_vm(s->mm, s->npages, true);
	if (ret)
		goto err_slot;
	mmgrab(s->mm);
	s->pages = kvcalloc(s->npages, sizeof(*s->pages), GFP_KERNEL_ACCOUNT);
	if (!s->pages) {
		ret = -ENOMEM;
		goto err_account;
	}
	ret = vcpu_memslot_pin(s);
	if (ret)
		goto err_pages;

	if (!(s->flags & VCPU_MEM_READONLY))
		prot |= VCPU_PT_WRITE;
	for (i = 0; i < s->npages; i++) {
		ret = vcpu_pt_map(&vm->pt, s->gpa + ((u64)i << PAGE_SHIFT),
				  page_to_phys(s->pages[i]), prot);
		if (ret)
			goto err_unmap;
		if (!(i & 511))
			cond_resched();
	}
	rcu_assign_pointer(vm->slots[r->slot], s);
	return 0;

err_unmap:
	vcpu_memslot_unmap(vm, s, i);
	/* Nothing ran with these mappings yet: no vCPU can have cached them
	 * unless it walked them, so flush before unpinning all the same.
	 */
	vcpu_vm_flush_tlb(vm);
	vcpu_memslot_unpin(s, s->npages);	/* a vCPU may have written */
err_pages:
	kvfree(s->pages);
err_account:
	vcpu_memslot_unaccount(s);
err_slot:
	kfree(s);
	return ret;
}

int vcpu_memslot_set(struct vcpu_vm *vm, const struct vcpu_memory_region *r)
{
	struct vcpu_memslot *s;
	int ret = 0;

	if (r->slot >= VCPU_MAX_MEM_SLOTS || r->flags & ~VCPU_MEM_FLAGS_ALL)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->guest_phys_addr) || !PAGE_ALIGNED(r->memory_size) ||
	    !PAGE_ALIGNED(r->userspace_addr))
		return -EINVAL;
	if (r->memory_size > VCPU_MAX_REGION_SIZE)
		return -E2BIG;
	if (r->memory_size &&
	    (r->guest_phys_addr + r->memory_size < r->guest_phys_addr ||
	     r->guest_phys_addr + r->memory_size > vcpu_backend->max_gpa() ||
	     r->userspace_addr + r->memory_size < r->userspace_addr))
		return -EINVAL;

	mutex_lock(&vm->mem_lock);
	s = vcpu_memslot_locked(vm, r->slot);
	if (!r->memory_size) {
		if (!s) {
			ret = -ENOENT;
			goto out;
		}
		RCU_INIT_POINTER(vm->slots[r->slot], NULL);
		vcpu_memslot_unmap(vm, s, s->npages);
		vcpu_vm_flush_tlb(vm);
		/* Readers that found the slot before it went are done. */
		synchronize_srcu(&vm->srcu);
		vcpu_memslot_free(s);
	} else if (s) {
		ret = -EEXIST;
	} else {
		ret = vcpu_memslot_add(vm, r);
	}
out:
	mutex_unlock(&vm->mem_lock);
	return ret;
}

/* The VM is going away: no vCPU is left, so no flush is needed. */
void vcpu_memslot_free_all(struct vcpu_vm *vm)
{
	struct vcpu_memslot *s;
	int i;

	for (i = 0; i < VCPU_MAX_MEM_SLOTS; i++) {
		s = rcu_dereference_protected(vm->slots[i], true);
		if (s) {
			vcpu_memslot_free(s);
			RCU_INIT_POINTER(vm->slots[i], NULL);
		}
	}
}
