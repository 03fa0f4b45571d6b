// SPDX-License-Identifier: GPL-2.0
/* arch/x86/decode.c: the MMIO decoder, form by form. */
#include <string.h>

#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "arch/x86/decode.h"

#define B(...)	.insn = { __VA_ARGS__ }, .n = sizeof((u8[]){ __VA_ARGS__ })
/* 8-byte and 4-byte moffs / filler */
#define M8	0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define M4	0x00, 0x10, 0x00, 0x00

enum { RD, WR, BAD, SHORT };

struct decode_case {
	const char *name;
	unsigned int bits;
	u8 insn[20];
	unsigned int n;
	int kind;		/* RD/WR: decodes; BAD: -EINVAL; SHORT: -EAGAIN */
	u8 len, width, reg, reg_width;
	bool high, sext, imm, rip;
	u64 imm_val;
	u8 seg;			/* 0: none expected */
};

#define RDX(l, w, r, rw)	.kind = RD, .len = l, .width = w, .reg = r, \
				.reg_width = rw
#define WRX(l, w, r)		.kind = WR, .len = l, .width = w, .reg = r, \
				.reg_width = w
#define IMM(l, w, v)		.kind = WR, .len = l, .width = w, .reg = 0, \
				.reg_width = w, .imm = true, .imm_val = v

static const struct decode_case decode_cases[] = {
	/* ---- 64-bit: MOV r/m, r (store) ---- */
	{ "64/89 mov [rax],ebx", 64, B(0x89, 0x18), WRX(2, 4, 3) },
	{ "64/48 89 mov [rax],rbx", 64, B(0x48, 0x89, 0x18), WRX(3, 8, 3) },
	{ "64/66 89 mov [rax],bx", 64, B(0x66, 0x89, 0x18), WRX(3, 2, 3) },
	{ "64/4c 89 mov [rax],r8 (REX.WR)", 64, B(0x4c, 0x89, 0x00),
	  WRX(3, 8, 8) },
	{ "64/41 89 mov [r8],eax (REX.B)", 64, B(0x41, 0x89, 0x00),
	  WRX(3, 4, 0) },
	{ "64/66 48 89 REX.W beats 66", 64, B(0x66, 0x48, 0x89, 0x18),
	  WRX(4, 8, 3) },
	{ "64/88 mov [rax],ah", 64, B(0x88, 0x20), WRX(2, 1, 4), .high = 1 },
	{ "64/88 mov [rbx],bh", 64, B(0x88, 0x3b), WRX(2, 1, 7), .high = 1 },
	{ "64/88 mov [rax],cl", 64, B(0x88, 0x08), WRX(2, 1, 1) },
	{ "64/40 88 mov [rax],spl", 64, B(0x40, 0x88, 0x20), WRX(3, 1, 4) },
	{ "64/40 88 mov [rax],dil", 64, B(0x40, 0x88, 0x38), WRX(3, 1, 7) },
	{ "64/44 88 mov [rax],r15b", 64, B(0x44, 0x88, 0x38), WRX(3, 1, 15) },
	/* ---- 64-bit: MOV r, r/m (load) ---- */
	{ "64/8b mov eax,[rbx]", 64, B(0x8b, 0x03), RDX(2, 4, 0, 4) },
	{ "64/48 8b mov rax,[rbx]", 64, B(0x48, 0x8b, 0x03), RDX(3, 8, 0, 8) },
	{ "64/66 8b mov ax,[rbx]", 64, B(0x66, 0x8b, 0x03), RDX(3, 2, 0, 2) },
	{ "64/8a mov ah,[rbx]", 64, B(0x8a, 0x23), RDX(2, 1, 4, 1), .high = 1 },
	{ "64/8a mov dh,[rbx]", 64, B(0x8a, 0x33), RDX(2, 1, 6, 1), .high = 1 },
	{ "64/40 8a mov spl,[rbx]", 64, B(0x40, 0x8a, 0x23),
	  RDX(3, 1, 4, 1) },
	{ "64/41 8a mov sil,[r11]", 64, B(0x41, 0x8a, 0x33),
	  RDX(3, 1, 6, 1) },
	{ "64/45 8b mov r15d,[r13+0]", 64, B(0x45, 0x8b, 0x7d, 0x00),
	  RDX(4, 4, 15, 4) },
	/* ---- 64-bit: addressing forms ---- */
	{ "64/sib disp8 [rsp+8]", 64, B(0x8b, 0x44, 0x24, 0x08),
	  RDX(4, 4, 0, 4) },
	{ "64/sib disp32 [rsp+0x100]", 64,
	  B(0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00), RDX(7, 4, 0, 4) },
	{ "64/rip-relative", 64, B(0x8b, 0x05, 0x10, 0x00, 0x00, 0x00),
	  RDX(6, 4, 0, 4), .rip = 1 },
	{ "64/67 eip-relative", 64,
	  B(0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00), RDX(7, 4, 0, 4),
	  .rip = 1 },
	{ "64/sib no base [disp32]", 64,
	  B(0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00), RDX(7, 4, 0, 4) },
	{ "64/sib [rbx+rcx*4]", 64, B(0x8b, 0x04, 0x8b), RDX(3, 4, 0, 4) },
	{ "64/sib disp8 [rbx+rcx*4+16]", 64, B(0x8b, 0x44, 0x8b, 0x10),
	  RDX(4, 4, 0, 4) },
	{ "64/sib disp32 [rbx+rcx*4+0x1000]", 64,
	  B(0x8b, 0x84, 0x8b, 0x00, 0x10, 0x00, 0x00), RDX(7, 4, 0, 4) },
	{ "64/sib no base [rcx*8+disp32]", 64,
	  B(0x8b, 0x04, 0xcd, 0x00, 0x10, 0x00, 0x00), RDX(7, 4, 0, 4) },
	{ "64/sib index-only mod1 base rbp", 64, B(0x8b, 0x44, 0xcd, 0x08),
	  RDX(4, 4, 0, 4) },
	{ "64/41 [r13+0] needs disp8", 64, B(0x41, 0x8b, 0x45, 0x00),
	  RDX(4, 4, 0, 4) },
	{ "64/41 [r12] needs sib", 64, B(0x41, 0x8b, 0x04, 0x24),
	  RDX(4, 4, 0, 4) },
	{ "64/42 [rax+r12] REX.X", 64, B(0x42, 0x8b, 0x04, 0x20),
	  RDX(4, 4, 0, 4) },
	{ "64/41 sib [r13] mod0 base5 is disp32", 64,
	  B(0x41, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00), RDX(8, 4, 0, 4) },
	{ "64/67 mov eax,[ebx]", 64, B(0x67, 0x8b, 0x03), RDX(3, 4, 0, 4) },
	{ "64/disp32 [rax+0x12345678]", 64,
	  B(0x8b, 0x80, 0x78, 0x56, 0x34, 0x12), RDX(6, 4, 0, 4) },
	{ "64/fs: mov eax,fs:[0x28]", 64,
	  B(0x64, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00),
	  RDX(8, 4, 0, 4), .seg = 0x64 },
	{ "64/cs: mov [rax],ebx", 64, B(0x2e, 0x89, 0x18), WRX(3, 4, 3),
	  .seg = 0x2e },
	{ "64/66 67 mov [eax],bx", 64, B(0x66, 0x67, 0x89, 0x18),
	  WRX(4, 2, 3) },
	{ "64/15 bytes with prefixes", 64,
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x8b, 0x03), RDX(15, 2, 0, 2) },
	/* ---- 64-bit: immediates ---- */
	{ "64/c6 mov byte [rax],0x12", 64, B(0xc6, 0x00, 0x12),
	  IMM(3, 1, 0x12) },
	{ "64/66 c7 mov word [rax],0x1234", 64, B(0x66, 0xc7, 0x00, 0x34, 0x12),
	  IMM(5, 2, 0x1234) },
	{ "64/c7 mov dword [rax],0x12345678", 64,
	  B(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12), IMM(6, 4, 0x12345678) },
	{ "64/c7 dword 0x80000000 not extended", 64,
	  B(0xc7, 0x00, 0x00, 0x00, 0x00, 0x80), IMM(6, 4, 0x80000000) },
	{ "64/48 c7 qword -1 sign-extended", 64,
	  B(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff),
	  IMM(7, 8, 0xffffffffffffffffULL) },
	{ "64/48 c7 qword 0x80000000 sign-extended", 64,
	  B(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  IMM(7, 8, 0xffffffff80000000ULL) },
	{ "64/48 c7 qword 0x7fffffff", 64,
	  B(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f), IMM(7, 8, 0x7fffffff) },
	{ "64/c7 disp32 + imm32", 64,
	  B(0xc7, 0x80, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00),
	  IMM(10, 4, 1) },
	{ "64/c7 sib disp8 + imm32", 64,
	  B(0xc7, 0x44, 0x24, 0x04, 0x01, 0x00, 0x00, 0x00), IMM(8, 4, 1) },
	{ "64/c7 rip-relative + imm32", 64,
	  B(0xc7, 0x05, 0xf0, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00),
	  IMM(10, 4, 1), .rip = 1 },
	{ "64/c6 rip-relative + imm8", 64,
	  B(0xc6, 0x05, 0x00, 0x01, 0x00, 0x00, 0xff), IMM(7, 1, 0xff),
	  .rip = 1 },
	{ "64/49 c7 [r12+8] qword", 64,
	  B(0x49, 0xc7, 0x44, 0x24, 0x08, 0x02, 0x00, 0x00, 0x00),
	  IMM(9, 8, 2) },
	/* ---- 64-bit: moffs ---- */
	{ "64/a0 mov al,moffs64", 64, B(0xa0, M8), RDX(9, 1, 0, 1) },
	{ "64/a1 mov eax,moffs64", 64, B(0xa1, M8), RDX(9, 4, 0, 4) },
	{ "64/48 a1 mov rax,moffs64", 64, B(0x48, 0xa1, M8), RDX(10, 8, 0, 8) },
	{ "64/66 a1 mov ax,moffs64", 64, B(0x66, 0xa1, M8), RDX(10, 2, 0, 2) },
	{ "64/a2 mov moffs64,al", 64, B(0xa2, M8), WRX(9, 1, 0) },
	{ "64/48 a3 mov moffs64,rax", 64, B(0x48, 0xa3, M8), WRX(10, 8, 0) },
	{ "64/67 a1 mov eax,moffs32", 64, B(0x67, 0xa1, M4), RDX(6, 4, 0, 4) },
	/* ---- 64-bit: MOVZX / MOVSX / MOVSXD ---- */
	{ "64/0f b6 movzx eax,byte", 64, B(0x0f, 0xb6, 0x03), RDX(3, 1, 0, 4) },
	{ "64/48 0f b6 movzx rax,byte", 64, B(0x48, 0x0f, 0xb6, 0x03),
	  RDX(4, 1, 0, 8) },
	{ "64/66 0f b6 movzx ax,byte", 64, B(0x66, 0x0f, 0xb6, 0x03),
	  RDX(4, 1, 0, 2) },
	{ "64/0f b6 movzx esp,byte (no high byte)", 64, B(0x0f, 0xb6, 0x23),
	  RDX(3, 1, 4, 4) },
	{ "64/0f b7 movzx eax,word", 64, B(0x0f, 0xb7, 0x03), RDX(3, 2, 0, 4) },
	{ "64/48 0f b7 movzx rax,word", 64, B(0x48, 0x0f, 0xb7, 0x03),
	  RDX(4, 2, 0, 8) },
	{ "64/44 0f b6 movzx r8d,[rbx+1]", 64,
	  B(0x44, 0x0f, 0xb6, 0x43, 0x01), RDX(5, 1, 8, 4) },
	{ "64/0f be movsx eax,byte", 64, B(0x0f, 0xbe, 0x03), RDX(3, 1, 0, 4),
	  .sext = 1 },
	{ "64/48 0f be movsx rax,byte", 64, B(0x48, 0x0f, 0xbe, 0x03),
	  RDX(4, 1, 0, 8), .sext = 1 },
	{ "64/66 0f be movsx ax,byte", 64, B(0x66, 0x0f, 0xbe, 0x03),
	  RDX(4, 1, 0, 2), .sext = 1 },
	{ "64/0f bf movsx eax,word", 64, B(0x0f, 0xbf, 0x03), RDX(3, 2, 0, 4),
	  .sext = 1 },
	{ "64/4c 0f bf movsx r8,word", 64, B(0x4c, 0x0f, 0xbf, 0x03),
	  RDX(4, 2, 8, 8), .sext = 1 },
	{ "64/48 63 movsxd rax,[rbx]", 64, B(0x48, 0x63, 0x03),
	  RDX(3, 4, 0, 8), .sext = 1 },
	{ "64/4c 63 movsxd r8,[rbx+8]", 64, B(0x4c, 0x63, 0x43, 0x08),
	  RDX(4, 4, 8, 8), .sext = 1 },
	/* ---- 64-bit: rejected ---- */
	{ "64/reject 89 mod3", 64, B(0x89, 0xd8), .kind = BAD },
	{ "64/reject 8b mod3", 64, B(0x8b, 0xc3), .kind = BAD },
	{ "64/reject 0f b6 mod3", 64, B(0x0f, 0xb6, 0xc3), .kind = BAD },
	{ "64/reject c7 mod3", 64, B(0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00),
	  .kind = BAD },
	{ "64/reject lock", 64, B(0xf0, 0x89, 0x18), .kind = BAD },
	{ "64/reject rep", 64, B(0xf3, 0x89, 0x18), .kind = BAD },
	{ "64/reject repne", 64, B(0xf2, 0x89, 0x18), .kind = BAD },
	{ "64/reject rex before 66", 64, B(0x48, 0x66, 0x89, 0x18),
	  .kind = BAD },
	{ "64/reject two rex", 64, B(0x48, 0x48, 0x89, 0x18), .kind = BAD },
	{ "64/reject 63 without REX.W", 64, B(0x63, 0x03), .kind = BAD },
	{ "64/reject c6 /1", 64, B(0xc6, 0x08, 0x12), .kind = BAD },
	{ "64/reject c7 /7", 64, B(0xc7, 0x38, 0, 0, 0, 0), .kind = BAD },
	{ "64/reject add", 64, B(0x01, 0x18), .kind = BAD },
	{ "64/reject movups", 64, B(0x0f, 0x10, 0x00), .kind = BAD },
	{ "64/reject vex", 64, B(0xc5, 0xf8, 0x10, 0x00), .kind = BAD },
	{ "64/reject movs", 64, B(0xa5), .kind = BAD },
	{ "64/reject mov sreg", 64, B(0x8e, 0x18), .kind = BAD },
	{ "64/reject 16 bytes", 64,
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0x8b, 0x03), .kind = BAD },
	{ "64/reject imm past 15 bytes", 64,
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xc7,
	    0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00), .kind = BAD },
	/* ---- truncated ---- */
	{ "64/short empty", 64, .n = 0, .kind = SHORT },
	{ "64/short opcode only", 64, B(0x8b), .kind = SHORT },
	{ "64/short prefix only", 64, B(0x48), .kind = SHORT },
	{ "64/short 0f only", 64, B(0x0f), .kind = SHORT },
	{ "64/short sib", 64, B(0x8b, 0x44), .kind = SHORT },
	{ "64/short disp8", 64, B(0x8b, 0x44, 0x24), .kind = SHORT },
	{ "64/short disp32", 64, B(0x8b, 0x05, 0x10, 0x00, 0x00),
	  .kind = SHORT },
	{ "64/short imm32", 64, B(0xc7, 0x00, 0x78, 0x56), .kind = SHORT },
	{ "64/short moffs", 64, B(0xa1, 0x00, 0x00, 0x00, 0x00), .kind = SHORT },

	/* ---- 32-bit code ---- */
	{ "32/89 mov [eax],ebx", 32, B(0x89, 0x18), WRX(2, 4, 3) },
	{ "32/66 89 mov [eax],bx", 32, B(0x66, 0x89, 0x18), WRX(3, 2, 3) },
	{ "32/88 mov [eax],ah", 32, B(0x88, 0x20), WRX(2, 1, 4), .high = 1 },
	{ "32/8b [disp32] absolute", 32,
	  B(0x8b, 0x05, 0x00, 0x10, 0x00, 0x00), RDX(6, 4, 0, 4) },
	{ "32/8b sib [ecx*4+disp32]", 32,
	  B(0x8b, 0x04, 0x8d, 0x00, 0x10, 0x00, 0x00), RDX(7, 4, 0, 4) },
	{ "32/67 8b mov eax,[bx]", 32, B(0x67, 0x8b, 0x07), RDX(3, 4, 0, 4) },
	{ "32/67 8b mov eax,[bx+16]", 32, B(0x67, 0x8b, 0x47, 0x10),
	  RDX(4, 4, 0, 4) },
	{ "32/a1 mov eax,moffs32", 32, B(0xa1, M4), RDX(5, 4, 0, 4) },
	{ "32/67 a1 mov eax,moffs16", 32, B(0x67, 0xa1, 0x00, 0x10),
	  RDX(4, 4, 0, 4) },
	{ "32/a2 mov moffs32,al", 32, B(0xa2, M4), WRX(5, 1, 0) },
	{ "32/0f b7 movzx eax,word", 32, B(0x0f, 0xb7, 0x03), RDX(3, 2, 0, 4) },
	{ "32/66 0f be movsx ax,byte", 32, B(0x66, 0x0f, 0xbe, 0x03),
	  RDX(4, 1, 0, 2), .sext = 1 },
	{ "32/c7 mov dword [eax],imm32", 32,
	  B(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12), IMM(6, 4, 0x12345678) },
	{ "32/66 c7 mov word [eax],imm16", 32, B(0x66, 0xc7, 0x00, 0x34, 0x12),
	  IMM(5, 2, 0x1234) },
	{ "32/reject 48 is dec", 32, B(0x48, 0x89, 0x18), .kind = BAD },
	{ "32/reject 63 is arpl", 32, B(0x63, 0x03), .kind = BAD },
	{ "32/short 67 disp16", 32, B(0x67, 0x8b, 0x06, 0x00), .kind = SHORT },

	/* ---- 16-bit code ---- */
	{ "16/89 mov [bx],ax", 16, B(0x89, 0x07), WRX(2, 2, 0) },
	{ "16/66 89 mov [bx],eax", 16, B(0x66, 0x89, 0x07), WRX(3, 4, 0) },
	{ "16/8b mov ax,[bx+si]", 16, B(0x8b, 0x00), RDX(2, 2, 0, 2) },
	{ "16/8b mov ax,[disp16]", 16, B(0x8b, 0x06, 0x00, 0x10),
	  RDX(4, 2, 0, 2) },
	{ "16/8b mov ax,[bx+si+disp8]", 16, B(0x8b, 0x40, 0x10),
	  RDX(3, 2, 0, 2) },
	{ "16/8b mov ax,[bx+si+disp16]", 16, B(0x8b, 0x80, 0x00, 0x10),
	  RDX(4, 2, 0, 2) },
	{ "16/8b mov ax,[bp+0]", 16, B(0x8b, 0x46, 0x00), RDX(3, 2, 0, 2) },
	{ "16/8b mov cx,[bp+di]", 16, B(0x8b, 0x0b), RDX(2, 2, 1, 2) },
	{ "16/67 8b mov ax,[ebx]", 16, B(0x67, 0x8b, 0x03), RDX(3, 2, 0, 2) },
	{ "16/67 8b sib", 16, B(0x67, 0x8b, 0x04, 0x8b), RDX(4, 2, 0, 2) },
	{ "16/67 8b [disp32] not rip", 16,
	  B(0x67, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00), RDX(7, 2, 0, 2) },
	{ "16/a1 mov ax,moffs16", 16, B(0xa1, 0x00, 0x10), RDX(3, 2, 0, 2) },
	{ "16/67 a1 mov ax,moffs32", 16, B(0x67, 0xa1, M4), RDX(6, 2, 0, 2) },
	{ "16/66 a1 mov eax,moffs16", 16, B(0x66, 0xa1, 0x00, 0x10),
	  RDX(4, 4, 0, 4) },
	{ "16/a3 mov moffs16,ax", 16, B(0xa3, 0x00, 0x10), WRX(3, 2, 0) },
	{ "16/c7 mov word [bx],imm16", 16, B(0xc7, 0x07, 0x34, 0x12),
	  IMM(4, 2, 0x1234) },
	{ "16/66 c7 mov dword [bx],imm32", 16,
	  B(0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), IMM(7, 4, 0x12345678) },
	{ "16/c6 mov byte [disp16],imm8", 16,
	  B(0xc6, 0x06, 0x00, 0x10, 0x12), IMM(5, 1, 0x12) },
	{ "16/0f b6 movzx ax,byte", 16, B(0x0f, 0xb6, 0x07), RDX(3, 1, 0, 2) },
	{ "16/66 0f b6 movzx eax,byte", 16, B(0x66, 0x0f, 0xb6, 0x07),
	  RDX(4, 1, 0, 4) },
	{ "16/66 0f bf movsx eax,word", 16, B(0x66, 0x0f, 0xbf, 0x07),
	  RDX(4, 2, 0, 4), .sext = 1 },
	{ "16/es: 8a mov ah,[bx]", 16, B(0x26, 0x8a, 0x27), RDX(3, 1, 4, 1),
	  .high = 1, .seg = 0x26 },
	{ "16/reject 40 is inc", 16, B(0x40, 0x8b, 0x07), .kind = BAD },
	{ "16/reject mod3", 16, B(0x8b, 0xc3), .kind = BAD },
	{ "16/short disp16", 16, B(0x8b, 0x80, 0x00), .kind = SHORT },
	{ "8/reject bad code_bits", 8, B(0x89, 0x18), .kind = BAD },
};

static void check_decode(const struct decode_case *c)
{
	struct vcpu_x86_insn insn;
	int ret = vcpu_x86_decode(c->insn, c->n, c->bits, &insn);

	if (c->kind == BAD) {
		UNIT_EXPECT_EQ(ret, -EINVAL);
		return;
	}
	if (c->kind == SHORT) {
		UNIT_EXPECT_EQ(ret, -EAGAIN);
		return;
	}
	UNIT_ASSERT_EQ(ret, 0);
	UNIT_EXPECT_EQ(insn.len, c->len);
	UNIT_EXPECT_EQ(insn.is_write, c->kind == WR);
	UNIT_EXPECT_EQ(insn.width, c->width);
	UNIT_EXPECT_EQ(insn.reg, c->reg);
	UNIT_EXPECT_EQ(insn.high_byte, c->high);
	UNIT_EXPECT_EQ(insn.reg_width, c->reg_width);
	UNIT_EXPECT_EQ(insn.sign_extend, c->sext);
	UNIT_EXPECT_EQ(insn.has_imm, c->imm);
	if (c->imm)
		UNIT_EXPECT_EQ(insn.imm, c->imm_val);
	UNIT_EXPECT_EQ(insn.rip_relative, c->rip);
	UNIT_EXPECT_EQ(insn.seg, c->seg ? c->seg : VCPU_X86_SEG_NONE);

	/* The same bytes, one short, must ask for more. */
	UNIT_EXPECT_EQ(vcpu_x86_decode(c->insn, c->len - 1, c->bits, &insn),
		       -EAGAIN);
	/* Trailing bytes do not change the length. */
	if (c->n == c->len && c->len < VCPU_X86_MAX_INSN_LEN) {
		u8 buf[VCPU_X86_MAX_INSN_LEN + 4];

		memset(buf, 0x90, sizeof(buf));
		memcpy(buf, c->insn, c->n);
		UNIT_EXPECT_EQ(vcpu_x86_decode(buf, sizeof(buf), c->bits, &insn),
			       0);
		UNIT_EXPECT_EQ(insn.len, c->len);
	}
}
UNIT_TABLE(decode, decode_cases, check_decode);

/* ---- read completion: decode, complete, compare every register ---- */

struct complete_case {
	const char *name;
	unsigned int bits;
	u8 insn[16];
	unsigned int n;
	u64 data;
	u8 reg;			/* register that changes */
	u64 want;
};

#define GPR_INIT(i)	\
	(0x8877665544332211ULL ^ ((u64)(i) * 0x0101010101010101ULL))

static const struct complete_case complete_cases[] = {
	{ "8a al merges low byte", 64, B(0x8a, 0x03), 0xaa, 0,
	  (GPR_INIT(0) & ~0xffULL) | 0xaa },
	{ "8a ah writes bits 15:8 of rax", 64, B(0x8a, 0x23), 0xaa, 0,
	  (GPR_INIT(0) & ~0xff00ULL) | 0xaa00 },
	{ "8a bh writes bits 15:8 of rbx", 32, B(0x8a, 0x3b), 0x5a, 3,
	  (GPR_INIT(3) & ~0xff00ULL) | 0x5a00 },
	{ "40 8a spl writes low byte of rsp", 64, B(0x40, 0x8a, 0x23), 0xaa,
	  4, (GPR_INIT(4) & ~0xffULL) | 0xaa },
	{ "8a garbage above width ignored", 64, B(0x8a, 0x03),
	  0xdeadbeef12345678ULL, 0, (GPR_INIT(0) & ~0xffULL) | 0x78 },
	{ "66 8b ax merges low word", 64, B(0x66, 0x8b, 0x03), 0xbbaa, 0,
	  (GPR_INIT(0) & ~0xffffULL) | 0xbbaa },
	{ "8b eax zero-extends to 64", 64, B(0x8b, 0x03), 0xfeedbeef, 0,
	  0xfeedbeef },
	{ "48 8b rax full", 64, B(0x48, 0x8b, 0x03), 0x0123456789abcdefULL, 0,
	  0x0123456789abcdefULL },
	{ "4c 8b r15 full", 64, B(0x4c, 0x8b, 0x3b), 0x0123456789abcdefULL,
	  15, 0x0123456789abcdefULL },
	{ "44 8b r9d zero-extends", 64, B(0x44, 0x8b, 0x0b), 0x80000000, 9,
	  0x80000000 },
	{ "0f b6 movzx eax,byte 0x80", 64, B(0x0f, 0xb6, 0x03), 0x80, 0,
	  0x80 },
	{ "48 0f b6 movzx rax,byte", 64, B(0x48, 0x0f, 0xb6, 0x03), 0xff80, 0,
	  0x80 },
	{ "66 0f b6 movzx ax,byte merges", 64, B(0x66, 0x0f, 0xb6, 0x03),
	  0x80, 0, (GPR_INIT(0) & ~0xffffULL) | 0x0080 },
	{ "0f b7 movzx eax,word", 64, B(0x0f, 0xb7, 0x03), 0x8001, 0, 0x8001 },
	{ "0f be movsx eax,byte neg", 64, B(0x0f, 0xbe, 0x03), 0x80, 0,
	  0xffffff80 },
	{ "0f be movsx eax,byte pos", 64, B(0x0f, 0xbe, 0x03), 0x7f, 0, 0x7f },
	{ "48 0f be movsx rax,byte", 64, B(0x48, 0x0f, 0xbe, 0x03), 0x80, 0,
	  0xffffffffffffff80ULL },
	{ "66 0f be movsx ax,byte merges", 64, B(0x66, 0x0f, 0xbe, 0x03),
	  0x80, 0, (GPR_INIT(0) & ~0xffffULL) | 0xff80 },
	{ "0f bf movsx eax,word", 64, B(0x0f, 0xbf, 0x03), 0x8000, 0,
	  0xffff8000 },
	{ "48 0f bf movsx rax,word", 64, B(0x48, 0x0f, 0xbf, 0x03), 0x8000, 0,
	  0xffffffffffff8000ULL },
	{ "48 63 movsxd neg", 64, B(0x48, 0x63, 0x03), 0x80000000, 0,
	  0xffffffff80000000ULL },
	{ "48 63 movsxd pos", 64, B(0x48, 0x63, 0x03), 0x7fffffff, 0,
	  0x7fffffff },
	{ "4c 63 movsxd r8", 64, B(0x4c, 0x63, 0x03), 0xfffffffe, 8,
	  0xfffffffffffffffeULL },
	{ "a0 al from moffs", 64, B(0xa0, M8), 0x11, 0,
	  (GPR_INIT(0) & ~0xffULL) | 0x11 },
	{ "16/8b ax merges", 16, B(0x8b, 0x07), 0x1234, 0,
	  (GPR_INIT(0) & ~0xffffULL) | 0x1234 },
	{ "16/66 8b eax zero-extends", 16, B(0x66, 0x8b, 0x07), 0x12345678, 0,
	  0x12345678 },
	{ "32/8a dh", 32, B(0x8a, 0x33), 0xc3, 2,
	  (GPR_INIT(2) & ~0xff00ULL) | 0xc300 },
};

static void check_complete(const struct complete_case *c)
{
	struct vcpu_x86_insn insn;
	u64 gprs[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		gprs[i] = GPR_INIT(i);
	UNIT_ASSERT_EQ(vcpu_x86_decode(c->insn, c->n, c->bits, &insn), 0);
	UNIT_ASSERT(!insn.is_write);
	vcpu_x86_mmio_complete_read(gprs, &insn, c->data);
	for (i = 0; i < 16; i++)
		UNIT_EXPECT_EQ(gprs[i], i == c->reg ? c->want : GPR_INIT(i));
}
UNIT_TABLE(complete, complete_cases, check_complete);

/* ---- write value: from a register or an immediate ---- */

struct write_case {
	const char *name;
	unsigned int bits;
	u8 insn[16];
	unsigned int n;
	u64 want;
};

static const struct write_case write_cases[] = {
	{ "88 cl", 64, B(0x88, 0x08), GPR_INIT(1) & 0xff },
	{ "88 ah", 64, B(0x88, 0x20), (GPR_INIT(0) >> 8) & 0xff },
	{ "88 bh", 16, B(0x88, 0x3f), (GPR_INIT(3) >> 8) & 0xff },
	{ "40 88 spl", 64, B(0x40, 0x88, 0x20), GPR_INIT(4) & 0xff },
	{ "44 88 r12b", 64, B(0x44, 0x88, 0x20), GPR_INIT(12) & 0xff },
	{ "66 89 bx", 64, B(0x66, 0x89, 0x18), GPR_INIT(3) & 0xffff },
	{ "89 ebx", 64, B(0x89, 0x18), GPR_INIT(3) & 0xffffffff },
	{ "48 89 rbx", 64, B(0x48, 0x89, 0x18), GPR_INIT(3) },
	{ "4c 89 r15", 64, B(0x4c, 0x89, 0x38), GPR_INIT(15) },
	{ "a2 al", 64, B(0xa2, M8), GPR_INIT(0) & 0xff },
	{ "48 a3 rax", 64, B(0x48, 0xa3, M8), GPR_INIT(0) },
	{ "c6 imm8", 64, B(0xc6, 0x00, 0x9a), 0x9a },
	{ "66 c7 imm16", 64, B(0x66, 0xc7, 0x00, 0x34, 0x92), 0x9234 },
	{ "c7 imm32", 64, B(0xc7, 0x00, 0x78, 0x56, 0x34, 0x92), 0x92345678 },
	{ "48 c7 imm32 sign-extended", 64,
	  B(0x48, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x92), 0xffffffff92345678ULL },
	{ "16/c7 imm16", 16, B(0xc7, 0x07, 0x34, 0x12), 0x1234 },
};

static void check_write(const struct write_case *c)
{
	struct vcpu_x86_insn insn;
	u64 gprs[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		gprs[i] = GPR_INIT(i);
	UNIT_ASSERT_EQ(vcpu_x86_decode(c->insn, c->n, c->bits, &insn), 0);
	UNIT_ASSERT(insn.is_write);
	UNIT_EXPECT_EQ(vcpu_x86_mmio_write_value(gprs, &insn), c->want);
}
UNIT_TABLE(write_value, write_cases, check_write);

UNIT_TEST(read_gpr)
{
	u64 gprs[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		gprs[i] = GPR_INIT(i);
	UNIT_EXPECT_EQ(vcpu_x86_read_gpr(gprs, 0, false, 8), GPR_INIT(0));
	UNIT_EXPECT_EQ(vcpu_x86_read_gpr(gprs, 1, false, 4),
		       GPR_INIT(1) & 0xffffffff);
	UNIT_EXPECT_EQ(vcpu_x86_read_gpr(gprs, 14, false, 2),
		       GPR_INIT(14) & 0xffff);
	UNIT_EXPECT_EQ(vcpu_x86_read_gpr(gprs, 5, false, 1),
		       GPR_INIT(5) & 0xff);
	UNIT_EXPECT_EQ(vcpu_x86_read_gpr(gprs, 5, true, 1),
		       (GPR_INIT(1) >> 8) & 0xff);
}

/* ---- MOV to/from a debug register (SVM's DR exits) ---- */
UNIT_TEST(mov_dr)
{
	static const u8 rd[] = { 0x0f, 0x21, 0xc3 };		/* mov %dr0,%rbx */
	static const u8 wr_r9[] = { 0x41, 0x0f, 0x23, 0xf9 };	/* mov %r9,%dr7 */
	static const u8 pfx[] = { 0x66, 0x2e, 0x0f, 0x23, 0xc0 };
	static const u8 rex_r[] = { 0x44, 0x0f, 0x21, 0xc0 };	/* DR8 */
	static const u8 other[] = { 0x0f, 0x20, 0xc0 };		/* mov %cr0 */
	unsigned int gpr = 99;

	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(rd, 3, 64, &gpr), 3);
	UNIT_EXPECT_EQ(gpr, 3);
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(wr_r9, 4, 64, &gpr), 4);
	UNIT_EXPECT_EQ(gpr, 9);
	/* Outside 64-bit code 0x41 is INC ECX, not REX. */
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(wr_r9, 4, 32, &gpr), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(pfx, 5, 16, &gpr), 5);
	UNIT_EXPECT_EQ(gpr, 0);
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(rex_r, 4, 64, &gpr), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(other, 3, 64, &gpr), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_decode_mov_dr(rd, 2, 64, &gpr), -EINVAL);
}
