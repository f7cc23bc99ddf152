/*
 * Jumps out of nested calls with longjmp and checks that the values survive
 * and that setjmp returns the value given (1 when longjmp is given 0).
 */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;

static int descend(int depth, int target) {
  volatile int local[8];
  for (int i = 0; i < 8; i++) local[i] = depth * 8 + i;
  if (depth == target) longjmp(env, depth);
  if (depth > 100) return 0;
  return descend(depth + 1, target) + local[depth % 8];
}

int main(void) {
  volatile int attempts = 0;
  volatile long total = 0;

  int got = setjmp(env);
  if (got != 0) {
    total += got;
    printf("returned from depth %d\n", got);
  }
  attempts++;
  if (attempts <= 10) {
    descend(1, attempts * 3);
    puts("not reached");
  }
  printf("attempts=%d total=%ld\n", attempts, total);

  /* longjmp with 0 must make setjmp return 1. */
  volatile int zero_seen = 0;
  if (setjmp(env) == 0) {
    longjmp(env, 0);
  } else {
    zero_seen = 1;
  }
  printf("longjmp(0) gives 1: %s\n", zero_seen ? "yes" : "no");

  /* sigsetjmp without saving the mask behaves like setjmp. */
  sigjmp_buf senv;
  volatile int hops = 0;
  if (sigsetjmp(senv, 0) < 5) {
    hops++;
    siglongjmp(senv, hops);
  }
  printf("hops=%d\n", hops);
  return 0;
}
