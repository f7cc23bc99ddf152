/*
 * Benchmark guest for snapshots: `bench-touch N M [random]` maps N MiB,
 * fills every page of it with a non-zero pattern, prints a checksum and waits
 * for a line on stdin (where a snapshot is taken); then it rewrites the first
 * M MiB, prints the checksum again and waits for another line (where a child
 * snapshot is taken), and exits.
 *
 * Each page is filled by one memset, which musl runs as `rep stosq` and an
 * interpreter can run as a block fill, then stamped with a word of its own
 * at each end: no two pages are alike, so no two snapshot chunks are either,
 * yet the pages compress well. With `random` every word is pseudo-random
 * instead, so that nothing compresses; that costs about eight instructions a
 * word. The checksum reads both stamps of every page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "guest-util.h"

#define PAGE 4096
#define MIB (1024 * 1024)

/* Fills and stamps pages [0, pages) for round `round`. */
static void fill(unsigned char *base, size_t pages, uint64_t round, int random) {
  uint64_t rng = 0x9e3779b97f4a7c15ULL ^ round;
  for (size_t p = 0; p < pages; p++) {
    unsigned char *page = base + p * PAGE;
    if (random) {
      for (size_t w = 0; w < PAGE; w += 8) {
        uint64_t word = prng_next(&rng);
        memcpy(page + w, &word, 8);
      }
    } else {
      memset(page, (int)(1 + (p * 7 + round * 13) % 255), PAGE);
    }
    uint64_t stamp = prng_next(&rng);
    memcpy(page, &stamp, 8);
    memcpy(page + PAGE - 8, &p, 8);
  }
}

/* FNV-1a over both stamps of every page. */
static uint64_t checksum(const unsigned char *base, size_t pages) {
  uint64_t hash = FNV_OFFSET;
  for (size_t p = 0; p < pages; p++) {
    uint64_t head, tail;
    memcpy(&head, base + p * PAGE, 8);
    memcpy(&tail, base + p * PAGE + PAGE - 8, 8);
    hash = fnv_u64(fnv_u64(hash, head), tail);
  }
  return hash;
}

/* Reads one line of standard input; 0 at end of input. */
static int wait_line(void) {
  char line[64];
  return fgets(line, sizeof line, stdin) != NULL;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "random") != 0)) {
    fprintf(stderr, "usage: bench-touch MIB DIRTY_MIB [random]\n");
    return 2;
  }
  int random = argc == 4;
  size_t total = strtoul(argv[1], NULL, 10);
  size_t dirty = strtoul(argv[2], NULL, 10);
  if (total == 0 || dirty > total) {
    fprintf(stderr, "bench-touch: need 0 < DIRTY_MIB <= MIB\n");
    return 2;
  }
  unsigned char *base =
      mmap(NULL, total * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  size_t pages = total * MIB / PAGE;

  fill(base, pages, 0, random);
  printf("touched %zu MiB checksum %016llx\n", total, (unsigned long long)checksum(base, pages));
  fflush(stdout);
  if (!wait_line()) return 3;

  fill(base, dirty * MIB / PAGE, 1, random);
  printf("dirtied %zu MiB checksum %016llx\n", dirty, (unsigned long long)checksum(base, pages));
  fflush(stdout);
  if (!wait_line()) return 3;
  return 0;
}
