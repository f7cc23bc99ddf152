/*
 * Native driver for kernels.c: runs one kernel on the host and prints its
 * checksum and wall time, for bench/cpu-loops.ts to compare against.
 * Usage: native <kernel> <n>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned long u64;
u64 k_hash(u64, unsigned char *);
u64 k_sieve(u64, unsigned char *);
u64 k_sort(u64, unsigned char *);
u64 k_float(u64, unsigned char *);
u64 k_copy(u64, unsigned char *);

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  static unsigned char buf[64 << 20];
  u64 n = strtoul(argv[2], 0, 0);
  u64 (*f)(u64, unsigned char *) = 0;
  if (!strcmp(argv[1], "hash")) f = k_hash;
  if (!strcmp(argv[1], "sieve")) f = k_sieve;
  if (!strcmp(argv[1], "sort")) f = k_sort;
  if (!strcmp(argv[1], "float")) f = k_float;
  if (!strcmp(argv[1], "copy")) f = k_copy;
  if (!f) return 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  u64 r = f(n, buf);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%lu %.6f\n", r, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
