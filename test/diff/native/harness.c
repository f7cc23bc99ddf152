/*
 * Native side of Amber's differential CPU tests.
 *
 * Reads a batch of cases from stdin, runs each one on the host processor and
 * writes one result per case to stdout. A case is a byte sequence plus the
 * whole user-visible machine state (GPRs, RFLAGS, an FXSAVE image holding the
 * x87 and SSE state, and the initial content of a data region); the result is
 * the state after the bytes ran, or the signal they raised. The wire format
 * is described in test/diff/README.md and mirrored in test/diff/wire.ts; all
 * integers are little-endian.
 *
 * Fixed guest memory, identical on the Amber side:
 *   code page  CODE_BASE, CODE_SIZE bytes, read/write/execute, filled with
 *              int3 and followed by an absolute jump to amber_exit;
 *   data       DATA_BASE, DATA_SIZE bytes, read/write, zeroed per case;
 *   guards     one PROT_NONE page on each side of both, so that a case that
 *              runs off its region faults the same way on both sides.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_BASE 0x7f0000000UL
#define CODE_SIZE 0x2000UL
#define DATA_BASE 0x7e0000000UL
#define DATA_SIZE 0x10000UL
#define GUARD 0x1000UL

#define CASE_MAGIC 0x45534143u   /* "CASE" */
#define RESULT_MAGIC 0x544c5352u /* "RSLT" */

enum { ST_OK = 0, ST_SIGNAL = 1, ST_TIMEOUT = 2, ST_BAD_INPUT = 3 };

/* Flags a case may set: CF PF AF ZF SF DF OF. Bit 1 always reads as one. */
#define FLAGS_ALLOWED 0xcd5UL
#define FLAGS_FIXED 0x2UL

/* State shared with harness-entry.S. */
extern uint8_t amber_in_fx[512], amber_out_fx[512];
extern uint64_t amber_in_gpr[16], amber_out_gpr[16];
extern uint64_t amber_in_flags, amber_out_flags;
extern void amber_enter(void);
extern void amber_exit(void);

struct case_header {
  uint32_t magic;
  uint32_t code_len;
  uint32_t n_segments;
  uint32_t reserved;
  uint64_t gpr[16];
  uint64_t rflags;
  uint8_t fx[512];
};

struct result_header {
  uint32_t magic;
  uint32_t status;
  uint32_t signo;
  uint32_t si_code;
  uint64_t fault_addr;
  uint64_t trapno;
  uint64_t err;
  uint64_t rip;
  uint64_t gpr[16];
  uint64_t rflags;
  uint8_t fx[512];
  uint32_t n_spans;
  uint32_t reserved;
};

static sigjmp_buf case_jump;
static volatile sig_atomic_t in_guest;
static struct result_header res;
static uint8_t initial_data[DATA_SIZE];

/* Order of the GPRs in the wire format (rax rcx rdx rbx rsp rbp rsi rdi r8-r15),
 * as indexes into ucontext's gregs. */
static const int greg_index[16] = {
    REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
    REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void die(const char *what) {
  fprintf(stderr, "harness: %s\n", what);
  exit(2);
}

/* A fault in the guest's bytes: keep the machine state at the faulting
 * instruction and unwind to the case loop. A fault outside a case is a bug in
 * the harness, so it is allowed to kill the process. */
static void on_signal(int signo, siginfo_t *info, void *ctx_void) {
  ucontext_t *ctx = ctx_void;
  if (!in_guest) {
    if (signo == SIGALRM) return;
    signal(signo, SIG_DFL);
    return;
  }
  in_guest = 0;
  res.status = signo == SIGALRM ? ST_TIMEOUT : ST_SIGNAL;
  res.signo = (uint32_t)signo;
  res.si_code = (uint32_t)info->si_code;
  res.fault_addr = (uint64_t)(uintptr_t)info->si_addr;
  res.trapno = (uint64_t)ctx->uc_mcontext.gregs[REG_TRAPNO];
  res.err = (uint64_t)ctx->uc_mcontext.gregs[REG_ERR];
  res.rip = (uint64_t)ctx->uc_mcontext.gregs[REG_RIP];
  res.rflags = (uint64_t)ctx->uc_mcontext.gregs[REG_EFL];
  for (int r = 0; r < 16; r++) res.gpr[r] = (uint64_t)ctx->uc_mcontext.gregs[greg_index[r]];
  if (ctx->uc_mcontext.fpregs) memcpy(res.fx, ctx->uc_mcontext.fpregs, 512);
  siglongjmp(case_jump, 1);
}

static void map_fixed(unsigned long addr, unsigned long len, int prot) {
  void *p = mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != (void *)addr) die("cannot map the fixed guest regions");
}

static void setup(void) {
  map_fixed(CODE_BASE - GUARD, GUARD, PROT_NONE);
  map_fixed(CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  map_fixed(CODE_BASE + CODE_SIZE, GUARD, PROT_NONE);
  map_fixed(DATA_BASE - GUARD, GUARD, PROT_NONE);
  map_fixed(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  map_fixed(DATA_BASE + DATA_SIZE, GUARD, PROT_NONE);

  /* The guest's rsp may point anywhere, so signals run on a stack of ours. */
  stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0};
  if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0) die("sigaltstack failed");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGALRM};
  for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);
}

static int read_exact(void *buf, size_t len) {
  return fread(buf, 1, len, stdin) == len;
}

/* Loads one case's code and data; returns 0 on malformed input. */
static int load_case(const struct case_header *h) {
  uint8_t *code = (uint8_t *)CODE_BASE;
  uint8_t *data = (uint8_t *)DATA_BASE;
  if (h->code_len > CODE_SIZE - 16) return 0;
  memset(code, 0xcc, CODE_SIZE);
  if (!read_exact(code, h->code_len)) die("truncated code");

  /* jmp qword ptr [rip+0]; .quad amber_exit */
  uint8_t *stub = code + h->code_len;
  const uint8_t jmp[6] = {0xff, 0x25, 0, 0, 0, 0};
  uint64_t target = (uint64_t)(uintptr_t)amber_exit;
  memcpy(stub, jmp, 6);
  memcpy(stub + 6, &target, 8);

  memset(data, 0, DATA_SIZE);
  int ok = 1;
  for (uint32_t s = 0; s < h->n_segments; s++) {
    uint32_t off_len[2];
    if (!read_exact(off_len, 8)) die("truncated segment");
    if ((uint64_t)off_len[0] + off_len[1] > DATA_SIZE) {
      ok = 0;
      for (uint32_t k = 0; k < off_len[1]; k++) getchar();
      continue;
    }
    if (!read_exact(data + off_len[0], off_len[1])) die("truncated segment data");
  }
  memcpy(initial_data, data, DATA_SIZE);
  return ok;
}

static void run_case(const struct case_header *h) {
  memcpy(amber_in_gpr, h->gpr, sizeof h->gpr);
  amber_in_flags = (h->rflags & FLAGS_ALLOWED) | FLAGS_FIXED;
  memcpy(amber_in_fx, h->fx, 512);

  struct itimerval limit = {.it_value = {.tv_sec = 2}};
  struct itimerval off = {0};
  if (sigsetjmp(case_jump, 1) == 0) {
    setitimer(ITIMER_REAL, &limit, NULL);
    in_guest = 1;
    amber_enter();
    in_guest = 0;
    res.status = ST_OK;
    res.rip = CODE_BASE + h->code_len;
    memcpy(res.gpr, amber_out_gpr, sizeof res.gpr);
    res.rflags = amber_out_flags;
    memcpy(res.fx, amber_out_fx, 512);
  }
  setitimer(ITIMER_REAL, &off, NULL);
}

/* Writes the data region as the spans that differ from the case's input. */
static void write_spans(void) {
  const uint8_t *data = (const uint8_t *)DATA_BASE;
  uint32_t spans[DATA_SIZE / 16][2];
  uint32_t n = 0, i = 0;
  while (i < DATA_SIZE) {
    if (data[i] == initial_data[i]) {
      i++;
      continue;
    }
    uint32_t start = i;
    while (i < DATA_SIZE && data[i] != initial_data[i]) i++;
    if (n < DATA_SIZE / 16) {
      spans[n][0] = start;
      spans[n][1] = i - start;
      n++;
    } else {
      /* Too fragmented: widen the last span to cover this change too. */
      spans[n - 1][1] = i - spans[n - 1][0];
    }
  }
  res.n_spans = n;
  fwrite(&res, sizeof res, 1, stdout);
  for (uint32_t s = 0; s < n; s++) {
    fwrite(spans[s], 8, 1, stdout);
    fwrite(data + spans[s][0], 1, spans[s][1], stdout);
  }
}

int main(void) {
  static char inbuf[1 << 20], outbuf[1 << 20];
  setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  setup();

  struct case_header h;
  while (read_exact(&h, sizeof h)) {
    if (h.magic != CASE_MAGIC) die("bad case magic");
    memset(&res, 0, sizeof res);
    res.magic = RESULT_MAGIC;
    if (load_case(&h))
      run_case(&h);
    else
      res.status = ST_BAD_INPUT;
    write_spans();
  }
  fflush(stdout);
  return 0;
}
