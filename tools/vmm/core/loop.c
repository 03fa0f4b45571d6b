// SPDX-License-Identifier: GPL-2.0
/*
 * The main thread's loop (console input, device timers and files), the
 * stop protocol, signals, and the end-of-run summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../vmm.h"
#include "core.h"
#include "../names.h"

static struct vmm_vm *signal_vm;

uint64_t vmm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int vmm_vcpu_start(struct vmm_vcpu *vcpu)
{
	struct vmm_vm *vm = vcpu->vm;
	int ret;

	pthread_mutex_lock(&vm->lock);
	if (vcpu->thread_started || vm->stopping) {
		pthread_mutex_unlock(&vm->lock);
		return -1;
	}
	vm->bus_frozen = true;
	vcpu->thread_started = true;
	vm->threads_running++;
	ret = pthread_create(&vcpu->thread, NULL, vmm_vcpu_thread, vcpu);
	if (ret) {
		vcpu->thread_started = false;
		vm->threads_running--;
	}
	pthread_mutex_unlock(&vm->lock);
	if (ret) {
		fprintf(stderr, "vmm: vCPU %u thread: %s\n", vcpu->id, strerror(ret));
		return -1;
	}
	return 0;
}

void vmm_loop_wake(struct vmm_vm *vm)
{
	uint64_t one = 1;

	if (write(vm->stop_efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		perror("vmm: eventfd");
}

void vmm_stop(struct vmm_vm *vm, int status, const char *fmt, ...)
{
	unsigned int i;
	va_list ap;

	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->stopping = 1;
		vm->status = status;
		va_start(ap, fmt);
		vsnprintf(vm->why, sizeof(vm->why), fmt, ap);
		va_end(ap);
	}
	/* Kicks reach Running and Blocked vCPUs; parked ones wait on ->wake. */
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vmm_vcpu *vcpu = vm->vcpus[i];

		if (!vcpu)
			continue;
		vmm_vcpu_kick(vcpu);
		pthread_cond_signal(&vcpu->wake);
	}
	pthread_mutex_unlock(&vm->lock);
	vmm_loop_wake(vm);
}

static void on_signal(int sig)
{
	struct vmm_vm *vm = signal_vm;

	if (!vm)
		return;
	/*
	 * Only async-signal-safe work here: note it and wake the loop, which
	 * does the stop (locks, kicks) in normal context.
	 */
	vm->pending_signal = sig;
	vmm_loop_wake(vm);
}

int vmm_install_signals(struct vmm_vm *vm)
{
	struct sigaction sa = { .sa_handler = on_signal };

	signal_vm = vm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGHUP, &sa, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int vmm_loop_add_fd(struct vmm_vm *vm, int fd,
		    void (*cb)(struct vmm_vm *vm, int fd, void *arg), void *arg)
{
	if (vm->nr_loop == VMM_MAX_LOOP_FDS) {
		errno = ENOSPC;
		return -1;
	}
	vm->loop[vm->nr_loop++] = (struct vmm_loop_fd){ fd, cb, arg };
	return 0;
}

int vmm_loop(struct vmm_vm *vm)
{
	struct pollfd pfd[VMM_MAX_LOOP_FDS + 1];
	unsigned int i, n, running;
	uint64_t v;

	for (;;) {
		if (vm->pending_signal)
			vmm_stop(vm, VMM_STATUS_SIGNAL, "stopped by signal %d (%s)",
				 vm->pending_signal, strsignal(vm->pending_signal));
		pthread_mutex_lock(&vm->lock);
		running = vm->threads_running;
		pthread_mutex_unlock(&vm->lock);
		if (!running && !vm->stopping)
			vmm_stop(vm, VMM_STATUS_ERROR, "no vCPU is running");
		if (!running)
			break;

		n = 0;
		pfd[n++] = (struct pollfd){ .fd = vm->stop_efd, .events = POLLIN };
		for (i = 0; i < vm->nr_loop && !vm->stopping; i++)
			pfd[n++] = (struct pollfd){ .fd = vm->loop[i].fd, .events = POLLIN };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			vmm_stop(vm, VMM_STATUS_ERROR, "poll: %s", strerror(errno));
			continue;
		}
		if (pfd[0].revents && read(vm->stop_efd, &v, sizeof(v)) < 0 &&
		    errno != EAGAIN)
			break;
		for (i = 1; i < n; i++) {
			const struct vmm_loop_fd *l = &vm->loop[i - 1];

			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				l->cb(vm, l->fd, l->arg);
		}
	}
	/* Every thread has ended (or was never started): reap them. */
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->thread_started)
			pthread_join(vm->vcpus[i]->thread, NULL);
	return vm->status;
}

void vmm_format_exits(struct vmm_vm *vm, char *buf, size_t len)
{
	uint64_t sum[VMM_EXIT_KINDS] = { 0 }, unhandled = 0;
	unsigned int i, k;
	size_t off = 0;

	buf[0] = 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		const struct vmm_vcpu *vcpu = vm->vcpus[i];

		if (!vcpu)
			continue;
		for (k = 0; k < VMM_EXIT_KINDS; k++)
			sum[k] += vcpu->exits[k];
		unhandled += vcpu->unhandled;
	}
	for (k = 0; k < VMM_EXIT_KINDS && off < len; k++) {
		if (!sum[k])
			continue;
		off += snprintf(buf + off, len - off, "%s%s %" PRIu64,
				off ? ", " : "", vmm_exit_name(k), sum[k]);
	}
	if (unhandled && off < len)
		snprintf(buf + off, len - off, "%sunclaimed %" PRIu64,
			 off ? ", " : "", unhandled);
}

void vmm_print_summary(struct vmm_vm *vm, FILE *f, const char *prefix)
{
	char exits[512];
	double s = (vmm_now_ns() - vm->t0_ns) / 1e9;

	vmm_format_exits(vm, exits, sizeof(exits));
	fprintf(f, "%sstopped: %s (status %d) after %.3f s, %u vCPU%s\n", prefix,
		vm->why[0] ? vm->why : "?", vm->status, s, vm->nr_vcpus,
		vm->nr_vcpus == 1 ? "" : "s");
	fprintf(f, "%sexits: %s\n", prefix, exits[0] ? exits : "none");
}

const char *vmm_exit_name(uint32_t reason)
{
	return vcpu_exit_reason_name(reason);
}

void *vmm_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		fprintf(stderr, "vmm: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 20);

			if (!nb) {
				free(buf);
				fclose(f);
				fprintf(stderr, "vmm: %s: out of memory\n", path);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	if (ferror(f)) {
		fprintf(stderr, "vmm: %s: read error\n", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}
