// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's console on the process's stdin and stdout.  A terminal on
 * stdin goes to raw mode (no echo, no line editing: the guest's tty does
 * that) but keeps ISIG, so Ctrl-C still stops the VM.  Output may come
 * from any vCPU thread: one mutex keeps writes whole and the mark match
 * (vm->mark) consistent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../vmm.h"
#include "core.h"

struct vmm_console {
	void (*rx)(void *arg, const uint8_t *buf, size_t n);
	void *arg;
	bool raw;
	struct termios saved;
	pthread_mutex_t out_lock;
	size_t mark_pos[VMM_MAX_MARKS];
	bool mark_done[VMM_MAX_MARKS];
	bool in_eof;
};

static void console_input(struct vmm_vm *vm, int fd, void *arg)
{
	struct vmm_console *c = arg;
	uint8_t buf[256];
	ssize_t n;

	if (c->in_eof)
		return;
	n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		c->rx(c->arg, buf, n);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	/*
	 * End of input: the guest keeps running; poll() ignores a negative
	 * fd, so stdin drops out of the loop without moving the others.
	 */
	c->in_eof = true;
	for (unsigned int i = 0; i < vm->nr_loop; i++)
		if (vm->loop[i].fd == fd)
			vm->loop[i].fd = -1;
}

int vmm_console_open(struct vmm_vm *vm,
		     void (*rx)(void *arg, const uint8_t *buf, size_t n), void *arg)
{
	struct vmm_console *c = calloc(1, sizeof(*c));
	struct termios t;

	if (!c)
		return -1;
	c->rx = rx;
	c->arg = arg;
	pthread_mutex_init(&c->out_lock, NULL);
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &c->saved)) {
		t = c->saved;
		t.c_iflag &= ~(ICRNL | IXON | INLCR | IGNCR);
		t.c_lflag &= ~(ICANON | ECHO | ECHONL | IEXTEN);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
			c->raw = true;
	}
	vm->console = c;
	if (rx && vmm_loop_add_fd(vm, STDIN_FILENO, console_input, c))
		return -1;
	return 0;
}

void vmm_console_close(struct vmm_vm *vm)
{
	struct vmm_console *c = vm->console;

	if (!c)
		return;
	if (c->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
	pthread_mutex_destroy(&c->out_lock);
	free(c);
	vm->console = NULL;
}

/* Look for each vm->mark[] in the output stream (naive restart on mismatch). */
static void console_mark(struct vmm_vm *vm, struct vmm_console *c,
			 const uint8_t *buf, size_t n)
{
	unsigned int m;
	char exits[512];
	size_t i;

	for (m = 0; m < vm->nr_marks; m++) {
		const char *mark = vm->mark[m];
		size_t len = strlen(mark), *pos = &c->mark_pos[m];

		for (i = 0; i < n && !c->mark_done[m]; i++) {
			if (buf[i] == (uint8_t)mark[*pos])
				(*pos)++;
			else
				*pos = buf[i] == (uint8_t)mark[0];
			if (*pos == len) {
				c->mark_done[m] = true;
				vmm_format_exits(vm, exits, sizeof(exits));
				fprintf(stderr, "\nvcpuctl: mark \"%s\" after %" PRIu64 " ns; exits: %s\n",
					mark, vmm_now_ns() - vm->t0_ns, exits);
			}
		}
	}
}

void vmm_console_write(struct vmm_vm *vm, const void *buf, size_t n)
{
	struct vmm_console *c = vm->console;
	const uint8_t *p = buf;
	ssize_t w;

	if (c)
		pthread_mutex_lock(&c->out_lock);
	while (n) {
		w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;	/* nobody reads the console: drop it */
		if (c && vm->nr_marks)
			console_mark(vm, c, p, w);
		p += w;
		n -= w;
	}
	if (c)
		pthread_mutex_unlock(&c->out_lock);
}
