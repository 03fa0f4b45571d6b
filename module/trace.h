/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints: vcpu:vcpu_entry, vcpu:vcpu_exit, vcpu:vcpu_state. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vcpu

#if !defined(VCPU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VCPU_TRACE_H

#include <linux/tracepoint.h>
#include <uapi/linux/vcpu.h>

/*
 * Exit kinds and states by name in the trace output.  They are enum
 * constants, so each is also exported with TRACE_DEFINE_ENUM: the event's
 * format file then holds numbers that perf and trace-cmd can map back.
 */
TRACE_DEFINE_ENUM(VCPU_EXIT_NOTHING);
TRACE_DEFINE_ENUM(VCPU_EXIT_HYPERCALL);
TRACE_DEFINE_ENUM(VCPU_EXIT_MMIO_READ);
TRACE_DEFINE_ENUM(VCPU_EXIT_MMIO_WRITE);
TRACE_DEFINE_ENUM(VCPU_EXIT_SYSREG_READ);
TRACE_DEFINE_ENUM(VCPU_EXIT_SYSREG_WRITE);
TRACE_DEFINE_ENUM(VCPU_EXIT_IO_READ);
TRACE_DEFINE_ENUM(VCPU_EXIT_IO_WRITE);
TRACE_DEFINE_ENUM(VCPU_EXIT_EXTERNAL_INTERRUPT);
TRACE_DEFINE_ENUM(VCPU_EXIT_NESTED_PAGE_FAULT);
TRACE_DEFINE_ENUM(VCPU_EXIT_HALT);
TRACE_DEFINE_ENUM(VCPU_EXIT_CPU_UP);
TRACE_DEFINE_ENUM(VCPU_EXIT_CPU_DOWN);
TRACE_DEFINE_ENUM(VCPU_EXIT_SYSTEM_DOWN);
TRACE_DEFINE_ENUM(VCPU_EXIT_SEND_IPI);
TRACE_DEFINE_ENUM(VCPU_EXIT_FAIL_ENTRY);
TRACE_DEFINE_ENUM(VCPU_EXIT_INTR);
TRACE_DEFINE_ENUM(VCPU_EXIT_SHUTDOWN);
TRACE_DEFINE_ENUM(VCPU_EXIT_INTERNAL_ERROR);
TRACE_DEFINE_ENUM(VCPU_STATE_INVALID);
TRACE_DEFINE_ENUM(VCPU_STATE_CREATED);
TRACE_DEFINE_ENUM(VCPU_STATE_FREE);
TRACE_DEFINE_ENUM(VCPU_STATE_READY);
TRACE_DEFINE_ENUM(VCPU_STATE_RUNNING);
TRACE_DEFINE_ENUM(VCPU_STATE_BLOCKED);

TRACE_EVENT(vcpu_entry,
	TP_PROTO(u32 vm, u32 vcpu),
	TP_ARGS(vm, vcpu),
	TP_STRUCT__entry(
		__field(u32, vm)
		__field(u32, vcpu)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
	),
	TP_printk("vm %u vcpu %u", __entry->vm, __entry->vcpu)
);

/* @info is the exit's key payload: port, address, number or code. */
TRACE_EVENT(vcpu_exit,
	TP_PROTO(u32 vm, u32 vcpu, u32 reason, u64 info),
	TP_ARGS(vm, vcpu, reason, info),
	TP_STRUCT__entry(
		__field(u32, vm)
		__field(u32, vcpu)
		__field(u32, reason)
		__field(u64, info)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
		__entry->reason = reason;
		__entry->info = info;
	),
	TP_printk("vm %u vcpu %u %s info %#llx", __entry->vm, __entry->vcpu,
		  __print_symbolic(__entry->reason,
			{ VCPU_EXIT_NOTHING, "NOTHING" },
			{ VCPU_EXIT_HYPERCALL, "HYPERCALL" },
			{ VCPU_EXIT_MMIO_READ, "MMIO_READ" },
			{ VCPU_EXIT_MMIO_WRITE, "MMIO_WRITE" },
			{ VCPU_EXIT_SYSREG_READ, "SYSREG_READ" },
			{ VCPU_EXIT_SYSREG_WRITE, "SYSREG_WRITE" },
			{ VCPU_EXIT_IO_READ, "IO_READ" },
			{ VCPU_EXIT_IO_WRITE, "IO_WRITE" },
			{ VCPU_EXIT_EXTERNAL_INTERRUPT, "EXTERNAL_INTERRUPT" },
			{ VCPU_EXIT_NESTED_PAGE_FAULT, "NESTED_PAGE_FAULT" },
			{ VCPU_EXIT_HALT, "HALT" },
			{ VCPU_EXIT_CPU_UP, "CPU_UP" },
			{ VCPU_EXIT_CPU_DOWN, "CPU_DOWN" },
			{ VCPU_EXIT_SYSTEM_DOWN, "SYSTEM_DOWN" },
			{ VCPU_EXIT_SEND_IPI, "SEND_IPI" },
			{ VCPU_EXIT_FAIL_ENTRY, "FAIL_ENTRY" },
			{ VCPU_EXIT_INTR, "INTR" },
			{ VCPU_EXIT_SHUTDOWN, "SHUTDOWN" },
			{ VCPU_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR" }),
		  __entry->info)
);

TRACE_EVENT(vcpu_state,
	TP_PROTO(u32 vm, u32 vcpu, u32 from, u32 to),
	TP_ARGS(vm, vcpu, from, to),
	TP_STRUCT__entry(
		__field(u32, vm)
		__field(u32, vcpu)
		__field(u32, from)
		__field(u32, to)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
		__entry->from = from;
		__entry->to = to;
	),
	TP_printk("vm %u vcpu %u %s -> %s", __entry->vm, __entry->vcpu,
		  __print_symbolic(__entry->from,
			{ VCPU_STATE_INVALID, "Invalid" },
			{ VCPU_STATE_CREATED, "Created" },
			{ VCPU_STATE_FREE, "Free" },
			{ VCPU_STATE_READY, "Ready" },
			{ VCPU_STATE_RUNNING, "Running" },
			{ VCPU_STATE_BLOCKED, "Blocked" }),
		  __print_symbolic(__entry->to,
			{ VCPU_STATE_INVALID, "Invalid" },
			{ VCPU_STATE_CREATED, "Created" },
			{ VCPU_STATE_FREE, "Free" },
			{ VCPU_STATE_READY, "Ready" },
			{ VCPU_STATE_RUNNING, "Running" },
			{ VCPU_STATE_BLOCKED, "Blocked" }))
);

#endif /* VCPU_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
