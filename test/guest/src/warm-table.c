/*
 * A server with a slow start, for image benchmarks: `warm-table [ROUNDS]`
 * first builds a 64 Ki-entry table by ROUNDS passes of a mixing function
 * (the start-up an image skips), prints "ready" and then answers each line
 * of standard input holding a number N with "N TABLE[N % SIZE]" in hex.
 * It exits with status 0 at the end of its input.
 */
#include <stdio.h>
#include <stdlib.h>

#include "guest-util.h"

#define SIZE 65536

static uint64_t table[SIZE];

static void build(long rounds) {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (long r = 0; r < rounds; r++) {
    for (size_t i = 0; i < SIZE; i++) {
      uint64_t x = table[i] ^ prng_next(&state);
      table[i] = fnv_u64(x, table[(i * 7 + r) % SIZE]);
    }
  }
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 10;
  build(rounds);
  printf("ready\n");
  fflush(stdout);
  char line[128];
  while (fgets(line, sizeof line, stdin) != NULL) {
    unsigned long n = strtoul(line, NULL, 10);
    printf("%lu %016llx\n", n, (unsigned long long)table[n % SIZE]);
    fflush(stdout);
  }
  return 0;
}
