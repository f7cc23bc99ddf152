/*
 * Oracle for the soft-float tests: runs one real SSE instruction per input
 * line under a given MXCSR and prints the result bits, the MXCSR after it,
 * the arithmetic flags (for comis) and whether #XM (SIGFPE) was raised.
 *
 * Input lines:  <op> <mxcsr hex> <a hex64> <b hex64>
 * Output lines: <result hex64> <mxcsr hex> <rflags hex> <fault 0|1>
 *
 * Unary operations read a; binary ones compute a OP b with a as the first
 * (destination) operand. Built with -mno-red-zone because pushfq is used.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf jump;
static volatile uint32_t fault_mxcsr;

static void on_fpe(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)info;
  ucontext_t *uc = ctx;
  fault_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
  siglongjmp(jump, 1);
}

typedef struct {
  uint64_t r;
  uint32_t mx;
  uint64_t fl;
} out_t;

static __m128i v64(uint64_t x) { return _mm_cvtsi64_si128((long long)x); }
static uint64_t low64(__m128i x) { return (uint64_t)_mm_cvtsi128_si64(x); }

/* Binary xmm,xmm op: a = a OP b. */
#define BIN(NAME, INSN)                                                        \
  static void NAME(uint32_t m, uint64_t a, uint64_t b, out_t *o) {             \
    __m128i x = v64(a), y = v64(b);                                            \
    uint32_t mo;                                                               \
    __asm__ volatile("ldmxcsr %[m]\n\t" INSN " %[y], %[x]\n\tstmxcsr %[mo]"      \
                     : [x] "+x"(x), [mo] "=m"(mo)                              \
                     : [y] "x"(y), [m] "m"(m));                                \
    o->r = low64(x);                                                           \
    o->mx = mo;                                                                \
  }

/* Unary op: a = OP a (source in a register of its own). */
#define UN(NAME, INSN)                                                         \
  static void NAME(uint32_t m, uint64_t a, uint64_t b, out_t *o) {             \
    (void)b;                                                                   \
    __m128i x = v64(0), y = v64(a);                                            \
    uint32_t mo;                                                               \
    __asm__ volatile("ldmxcsr %[m]\n\t" INSN " %[y], %[x]\n\tstmxcsr %[mo]"      \
                     : [x] "+x"(x), [mo] "=m"(mo)                              \
                     : [y] "x"(y), [m] "m"(m));                                \
    o->r = low64(x);                                                           \
    o->mx = mo;                                                                \
  }

/* Compare into RFLAGS. */
#define COMI(NAME, INSN)                                                       \
  static void NAME(uint32_t m, uint64_t a, uint64_t b, out_t *o) {             \
    __m128i x = v64(a), y = v64(b);                                            \
    uint32_t mo;                                                               \
    uint64_t fl;                                                               \
    __asm__ volatile("ldmxcsr %[m]\n\t" INSN " %[y], %[x]\n\tstmxcsr %[mo]\n\t" \
                     "pushfq\n\tpopq %[fl]"                                    \
                     : [mo] "=m"(mo), [fl] "=r"(fl)                            \
                     : [x] "x"(x), [y] "x"(y), [m] "m"(m)                      \
                     : "cc");                                                  \
    o->r = 0;                                                                  \
    o->mx = mo;                                                                \
    o->fl = fl & 0x8d5;                                                        \
  }

/* Float to integer, 32 or 64 bits. */
#define TOINT(NAME, INSN, T)                                                   \
  static void NAME(uint32_t m, uint64_t a, uint64_t b, out_t *o) {             \
    (void)b;                                                                   \
    __m128i y = v64(a);                                                        \
    T r = 0;                                                                   \
    uint32_t mo;                                                               \
    __asm__ volatile("ldmxcsr %[m]\n\t" INSN " %[y], %[r]\n\tstmxcsr %[mo]"      \
                     : [r] "+r"(r), [mo] "=m"(mo)                              \
                     : [y] "x"(y), [m] "m"(m));                                \
    o->r = (uint64_t)(uint32_t)r;                                              \
    if (sizeof(T) == 8) o->r = (uint64_t)r;                                    \
    o->mx = mo;                                                                \
  }

/* Integer to float, 32 or 64 bits. */
#define FROMINT(NAME, INSN, T)                                                 \
  static void NAME(uint32_t m, uint64_t a, uint64_t b, out_t *o) {             \
    (void)b;                                                                   \
    __m128i x = v64(0);                                                        \
    T v = (T)a;                                                                \
    uint32_t mo;                                                               \
    __asm__ volatile("ldmxcsr %[m]\n\t" INSN " %[v], %[x]\n\tstmxcsr %[mo]"      \
                     : [x] "+x"(x), [mo] "=m"(mo)                              \
                     : [v] "r"(v), [m] "m"(m));                                \
    o->r = low64(x);                                                           \
    o->mx = mo;                                                                \
  }

BIN(addss, "addss") BIN(subss, "subss") BIN(mulss, "mulss") BIN(divss, "divss")
BIN(minss, "minss") BIN(maxss, "maxss")
BIN(addsd, "addsd") BIN(subsd, "subsd") BIN(mulsd, "mulsd") BIN(divsd, "divsd")
BIN(minsd, "minsd") BIN(maxsd, "maxsd")
BIN(cmpss0, "cmpss $0,") BIN(cmpss1, "cmpss $1,") BIN(cmpss2, "cmpss $2,")
BIN(cmpss3, "cmpss $3,") BIN(cmpss4, "cmpss $4,") BIN(cmpss5, "cmpss $5,")
BIN(cmpss6, "cmpss $6,") BIN(cmpss7, "cmpss $7,")
BIN(cmpsd0, "cmpsd $0,") BIN(cmpsd1, "cmpsd $1,") BIN(cmpsd2, "cmpsd $2,")
BIN(cmpsd3, "cmpsd $3,") BIN(cmpsd4, "cmpsd $4,") BIN(cmpsd5, "cmpsd $5,")
BIN(cmpsd6, "cmpsd $6,") BIN(cmpsd7, "cmpsd $7,")
UN(sqrtss, "sqrtss") UN(sqrtsd, "sqrtsd") UN(rcpss, "rcpss") UN(rsqrtss, "rsqrtss")
UN(cvtss2sd, "cvtss2sd") UN(cvtsd2ss, "cvtsd2ss")
COMI(comiss, "comiss") COMI(ucomiss, "ucomiss") COMI(comisd, "comisd")
COMI(ucomisd, "ucomisd")
TOINT(cvtss2si, "cvtss2si", int32_t) TOINT(cvttss2si, "cvttss2si", int32_t)
TOINT(cvtsd2si, "cvtsd2si", int32_t) TOINT(cvttsd2si, "cvttsd2si", int32_t)
TOINT(cvtss2si64, "cvtss2si", int64_t) TOINT(cvttss2si64, "cvttss2si", int64_t)
TOINT(cvtsd2si64, "cvtsd2si", int64_t) TOINT(cvttsd2si64, "cvttsd2si", int64_t)
FROMINT(cvtsi2ss, "cvtsi2ssl", int32_t) FROMINT(cvtsi2sd, "cvtsi2sdl", int32_t)
FROMINT(cvtsi2ss64, "cvtsi2ssq", int64_t) FROMINT(cvtsi2sd64, "cvtsi2sdq", int64_t)

typedef void (*op_fn)(uint32_t, uint64_t, uint64_t, out_t *);
static const struct {
  const char *name;
  op_fn fn;
} OPS[] = {
#define E(n) {#n, n},
    E(addss) E(subss) E(mulss) E(divss) E(minss) E(maxss) E(addsd) E(subsd)
    E(mulsd) E(divsd) E(minsd) E(maxsd) E(cmpss0) E(cmpss1) E(cmpss2) E(cmpss3)
    E(cmpss4) E(cmpss5) E(cmpss6) E(cmpss7) E(cmpsd0) E(cmpsd1) E(cmpsd2)
    E(cmpsd3) E(cmpsd4) E(cmpsd5) E(cmpsd6) E(cmpsd7) E(sqrtss) E(sqrtsd)
    E(rcpss) E(rsqrtss) E(cvtss2sd) E(cvtsd2ss) E(comiss) E(ucomiss) E(comisd)
    E(ucomisd) E(cvtss2si) E(cvttss2si) E(cvtsd2si) E(cvttsd2si) E(cvtss2si64)
    E(cvttss2si64) E(cvtsd2si64) E(cvttsd2si64) E(cvtsi2ss) E(cvtsi2sd)
    E(cvtsi2ss64) E(cvtsi2sd64)
#undef E
};

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fpe;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, NULL);
  char name[32];
  unsigned mx;
  unsigned long long a, b;
  while (scanf("%31s %x %llx %llx", name, &mx, &a, &b) == 4) {
    op_fn fn = NULL;
    for (size_t k = 0; k < sizeof OPS / sizeof OPS[0]; k++)
      if (strcmp(OPS[k].name, name) == 0) fn = OPS[k].fn;
    if (!fn) {
      fprintf(stderr, "unknown op %s\n", name);
      return 2;
    }
    out_t o = {0, 0, 0};
    int fault = 0;
    if (sigsetjmp(jump, 1)) {
      fault = 1;
      o.r = 0;
      o.mx = fault_mxcsr;
    } else {
      fn(mx, a, b, &o);
    }
    uint32_t clean = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(clean));
    printf("%016llx %x %llx %d\n", (unsigned long long)o.r, o.mx,
           (unsigned long long)o.fl, fault);
  }
  return 0;
}
