/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints: vcpu:vcpu_entry, vcpu:vcpu_exit, vcpu:vcpu_state. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vcpu

#if !defined(VCPU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VCPU_TRACE_H

#include <linux/tracepoint.h>

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
	TP_printk("vm %u vcpu %u reason %u info %#llx", __entry->vm,
		  __entry->vcpu, __entry->reason, __entry->info)
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
	TP_printk("vm %u vcpu %u %u -> %u", __entry->vm, __entry->vcpu,
		  __entry->from, __entry->to)
);

#endif /* VCPU_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
