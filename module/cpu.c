// SPDX-License-Identifier: GPL-2.0
/*
 * Per physical CPU enabling of the virtualization extensions.  A CPU is
 * enabled while at least one vCPU is bound to it, and disabled when the
 * last one unbinds, when the CPU goes offline (re-enabled when it comes
 * back), and on the emergency path (crash, kexec, reboot).
 *
 * Lock order: CPU hotplug lock, then vcpu_cpu_lock.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include "arch.h"
#include "backend.h"
#include "vcpu.h"

static DEFINE_MUTEX(vcpu_cpu_lock);
static DEFINE_PER_CPU(unsigned int, vcpu_cpu_users);
/*
 * Whether this module has the extension enabled on the CPU.  Written only
 * on that CPU with interrupts off (an IPI or a hotplug callback), read by
 * vcpu_entry() with interrupts off there.  Nothing else turns the
 * extension off under us: KVM disables only the CPUs it enabled itself,
 * and enables none where it is on (it refuses: EFER.SVME, CR4.VMXE).
 */
DEFINE_PER_CPU(bool, vcpu_cpu_enabled);
static unsigned int vcpu_cpus_used;	/* CPUs with users, under the lock */
static enum cpuhp_state vcpu_cpuhp_state;

static void vcpu_cpu_enable_fn(void *arg)
{
	int *ret = arg;

	*ret = vcpu_backend->cpu_enable();
	if (!*ret)
		this_cpu_write(vcpu_cpu_enabled, true);
}

static void vcpu_cpu_disable_fn(void *arg)
{
	if (this_cpu_read(vcpu_cpu_enabled)) {
		this_cpu_write(vcpu_cpu_enabled, false);
		vcpu_backend->cpu_disable();
	}
}

/* Called on every CPU by the kernel's emergency reboot/crash path. */
static void vcpu_cpu_emergency(void)
{
	if (this_cpu_read(vcpu_cpu_enabled)) {
		this_cpu_write(vcpu_cpu_enabled, false);
		vcpu_backend->cpu_emergency_disable();
	}
}

int vcpu_cpu_get(unsigned int cpu)
{
	int ret = 0;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	cpus_read_lock();
	mutex_lock(&vcpu_cpu_lock);
	if (!cpu_online(cpu)) {
		ret = -EINVAL;
		goto out;
	}
	if (!per_cpu(vcpu_cpu_users, cpu)) {
		smp_call_function_single(cpu, vcpu_cpu_enable_fn, &ret, 1);
		if (ret) {
			if (ret == -EBUSY)
				pr_warn_ratelimited("CPU %u: %s already in use by another hypervisor (kvm?)\n",
						    cpu, vcpu_backend->name);
			goto out;
		}
	}
	/* The emergency hook is needed only while something is enabled. */
	if (!per_cpu(vcpu_cpu_users, cpu)++ && !vcpu_cpus_used++)
		vcpu_arch_emergency_get(vcpu_cpu_emergency);
out:
	mutex_unlock(&vcpu_cpu_lock);
	cpus_read_unlock();
	return ret;
}

void vcpu_cpu_put(unsigned int cpu)
{
	cpus_read_lock();
	mutex_lock(&vcpu_cpu_lock);
	if (!--per_cpu(vcpu_cpu_users, cpu)) {
		if (cpu_online(cpu))
			smp_call_function_single(cpu, vcpu_cpu_disable_fn,
						 NULL, 1);
		if (!--vcpu_cpus_used)
			vcpu_arch_emergency_put(vcpu_cpu_emergency);
	}
	mutex_unlock(&vcpu_cpu_lock);
	cpus_read_unlock();
}

/*
 * RUN found the extension on @cpu not this module's although vCPUs are
 * bound there: another hypervisor took it while the CPU came back online
 * (KVM's hotplug callback runs before ours), and may have released it
 * since.  Take it back if it is free.  Returns 0 when enabled, -ENODEV
 * while another hypervisor holds it, -ENXIO when @cpu is offline.
 * Called from the run loop, pinned to @cpu, preemptible.
 */
int vcpu_cpu_reclaim(unsigned int cpu)
{
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&vcpu_cpu_lock);
	if (!cpu_online(cpu)) {
		ret = -ENXIO;
	} else if (per_cpu(vcpu_cpu_users, cpu) &&
		   !per_cpu(vcpu_cpu_enabled, cpu)) {
		smp_call_function_single(cpu, vcpu_cpu_enable_fn, &ret, 1);
		if (ret)
			ret = -ENODEV;
		else
			pr_info("CPU %u: %s enabled again\n", cpu,
				vcpu_backend->name);
	}
	mutex_unlock(&vcpu_cpu_lock);
	cpus_read_unlock();
	return ret;
}

/* Hotplug callbacks run on the CPU concerned. */
static int vcpu_cpu_online(unsigned int cpu)
{
	int ret = 0;

	mutex_lock(&vcpu_cpu_lock);
	if (per_cpu(vcpu_cpu_users, cpu)) {
		local_irq_disable();
		vcpu_cpu_enable_fn(&ret);
		local_irq_enable();
		if (ret)
			pr_warn("CPU %u back online but %s cannot be enabled (%d): its vCPUs fail to run (ENODEV) until it can\n",
				cpu, vcpu_backend->name, ret);
	}
	mutex_unlock(&vcpu_cpu_lock);
	return 0;
}

static int vcpu_cpu_offline(unsigned int cpu)
{
	mutex_lock(&vcpu_cpu_lock);
	local_irq_disable();
	vcpu_cpu_disable_fn(NULL);
	local_irq_enable();
	mutex_unlock(&vcpu_cpu_lock);
	return 0;
}

int vcpu_cpu_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "vcpu:online",
					vcpu_cpu_online, vcpu_cpu_offline);
	if (ret < 0)
		return ret;
	vcpu_cpuhp_state = ret;
	return 0;
}

void vcpu_cpu_exit(void)
{
	cpuhp_remove_state_nocalls(vcpu_cpuhp_state);
	/* Every fd is closed by now; disable whatever is still on. */
	on_each_cpu(vcpu_cpu_disable_fn, NULL, 1);
}
