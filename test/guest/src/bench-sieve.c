/*
 * Benchmark: sieve of Eratosthenes over a byte array, run several times.
 * Prints the prime count and a checksum of the last primes. Memory stores
 * and tight loops dominate.
 */
#include <stdio.h>
#include <string.h>

#define LIMIT 8000000
#define RUNS 18

static unsigned char composite[LIMIT + 1];

static unsigned long sieve(void) {
  memset(composite, 0, sizeof composite);
  for (unsigned long i = 2; i * i <= LIMIT; i++) {
    if (composite[i]) continue;
    for (unsigned long j = i * i; j <= LIMIT; j += i) composite[j] = 1;
  }
  unsigned long count = 0;
  for (unsigned long i = 2; i <= LIMIT; i++) count += !composite[i];
  return count;
}

int main(void) {
  unsigned long count = 0;
  for (int run = 0; run < RUNS; run++) count = sieve();
  unsigned long long tail = 0;
  int seen = 0;
  for (unsigned long i = LIMIT; i >= 2 && seen < 10; i--) {
    if (!composite[i]) {
      tail = tail * 1000003ULL + i;
      seen++;
    }
  }
  printf("primes below %d: %lu, tail checksum %llu\n", LIMIT + 1, count, tail);
  return 0;
}
