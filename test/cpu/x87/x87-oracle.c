/*
 * Host oracle for the x87 tests: reads one case per line from stdin,
 *   op cw ase ahi alo bse bhi blo mhi mlo   (hex)
 * loads b then a (so ST(0) = a, ST(1) = b, 8 bytes m in memory), sets the
 * control word, runs one instruction and prints
 *   sw eflags st0(se hi lo) st1(se hi lo) mhi mlo tagword
 * The state is captured with fnsave, which does not wait, so unmasked
 * exceptions are observed without trapping.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tbyte {
  uint64_t sig;
  uint16_t se;
} __attribute__((packed));

static struct tbyte a, b;
static uint64_t m;
static uint16_t cw, sw;
static uint32_t fl;
static unsigned char env[108];

#define PRE "fninit\n\tfldt b\n\tfldt a\n\tfnclex\n\tfldcw cw\n\t"
#define POST                                                               \
  "\n\tfnstsw sw\n\tlahf\n\tmovzbl %%ah, %%eax\n\tmovl %%eax, fl\n\t"      \
  "fnsave env\n\t"
#define RUN(body) __asm__ volatile(PRE body POST ::: "rax", "memory", "cc")

static int run(const char *op) {
  if (!strcmp(op, "add")) RUN(".byte 0xd8,0xc1");
  else if (!strcmp(op, "sub")) RUN(".byte 0xd8,0xe1");
  else if (!strcmp(op, "subr")) RUN(".byte 0xd8,0xe9");
  else if (!strcmp(op, "mul")) RUN(".byte 0xd8,0xc9");
  else if (!strcmp(op, "div")) RUN(".byte 0xd8,0xf1");
  else if (!strcmp(op, "divr")) RUN(".byte 0xd8,0xf9");
  else if (!strcmp(op, "sqrt")) RUN(".byte 0xd9,0xfa");
  else if (!strcmp(op, "prem")) RUN(".byte 0xd9,0xf8");
  else if (!strcmp(op, "prem1")) RUN(".byte 0xd9,0xf5");
  else if (!strcmp(op, "rndint")) RUN(".byte 0xd9,0xfc");
  else if (!strcmp(op, "scale")) RUN(".byte 0xd9,0xfd");
  else if (!strcmp(op, "xtract")) RUN(".byte 0xd9,0xf4");
  else if (!strcmp(op, "sin")) RUN(".byte 0xd9,0xfe");
  else if (!strcmp(op, "cos")) RUN(".byte 0xd9,0xff");
  else if (!strcmp(op, "sincos")) RUN(".byte 0xd9,0xfb");
  else if (!strcmp(op, "ptan")) RUN(".byte 0xd9,0xf2");
  else if (!strcmp(op, "patan")) RUN(".byte 0xd9,0xf3");
  else if (!strcmp(op, "f2xm1")) RUN(".byte 0xd9,0xf0");
  else if (!strcmp(op, "yl2x")) RUN(".byte 0xd9,0xf1");
  else if (!strcmp(op, "yl2xp1")) RUN(".byte 0xd9,0xf9");
  else if (!strcmp(op, "ucomi")) RUN(".byte 0xdb,0xe9");
  else if (!strcmp(op, "comi")) RUN(".byte 0xdb,0xf1");
  else if (!strcmp(op, "ucom")) RUN(".byte 0xdd,0xe1");
  else if (!strcmp(op, "com")) RUN(".byte 0xd8,0xd1");
  else if (!strcmp(op, "tst")) RUN(".byte 0xd9,0xe4");
  else if (!strcmp(op, "xam")) RUN(".byte 0xd9,0xe5");
  else if (!strcmp(op, "chs")) RUN(".byte 0xd9,0xe0");
  else if (!strcmp(op, "abs")) RUN(".byte 0xd9,0xe1");
  else if (!strcmp(op, "st32")) RUN("fsts m");
  else if (!strcmp(op, "st64")) RUN("fstl m");
  else if (!strcmp(op, "ist16")) RUN("fists m");
  else if (!strcmp(op, "ist32")) RUN("fistl m");
  else if (!strcmp(op, "ist64")) RUN("fistpll m");
  else if (!strcmp(op, "istt16")) RUN("fisttps m");
  else if (!strcmp(op, "istt32")) RUN("fisttpl m");
  else if (!strcmp(op, "istt64")) RUN("fisttpll m");
  else if (!strcmp(op, "ld32")) RUN("flds m");
  else if (!strcmp(op, "ld64")) RUN("fldl m");
  else if (!strcmp(op, "ild16")) RUN("filds m");
  else if (!strcmp(op, "ild32")) RUN("fildl m");
  else if (!strcmp(op, "ild64")) RUN("fildll m");
  else return 0;
  return 1;
}

int main(void) {
  char op[32];
  unsigned c, ase, ahi, alo, bse, bhi, blo, mhi, mlo;
  while (scanf("%31s %x %x %x %x %x %x %x %x %x", op, &c, &ase, &ahi, &alo, &bse, &bhi, &blo,
               &mhi, &mlo) == 10) {
    a.se = ase;
    a.sig = ((uint64_t)ahi << 32) | alo;
    b.se = bse;
    b.sig = ((uint64_t)bhi << 32) | blo;
    m = ((uint64_t)mhi << 32) | mlo;
    cw = c;
    if (!run(op)) {
      printf("?\n");
      continue;
    }
    uint16_t tag;
    memcpy(&tag, env + 8, 2);
    uint16_t se0, se1;
    uint64_t s0, s1;
    memcpy(&s0, env + 28, 8);
    memcpy(&se0, env + 36, 2);
    memcpy(&s1, env + 38, 8);
    memcpy(&se1, env + 46, 2);
    printf("%x %x %x %x %x %x %x %x %x %x %x\n", sw, fl, se0, (unsigned)(s0 >> 32), (unsigned)s0,
           se1, (unsigned)(s1 >> 32), (unsigned)s1, (unsigned)(m >> 32), (unsigned)m, tag);
  }
  return 0;
}
