/*
 * Runs the string.h functions over many lengths and alignments and prints a
 * checksum of their results. libc picks vectorised versions of these from
 * CPUID, and they read past the end of strings within a page, so this covers
 * both the SIMD instructions and unaligned edge cases.
 */
#include <stdio.h>
#include <string.h>

#include "guest-util.h"

#define MAX_LEN 300
#define ALIGNS 17
#define AREA (MAX_LEN + 2 * 64)

static unsigned char src_area[AREA] __attribute__((aligned(64)));
static unsigned char dst_area[AREA] __attribute__((aligned(64)));

static int sign(int v) { return (v > 0) - (v < 0); }

/* A NUL-free pattern that depends on the seed and the position. */
static void fill_text(unsigned char *p, size_t len, unsigned seed) {
  for (size_t i = 0; i < len; i++) p[i] = (unsigned char)('a' + (i * 7 + seed) % 26);
}

static uint64_t check_memory(uint64_t h, size_t len, size_t sa, size_t da) {
  unsigned char *src = src_area + sa;
  unsigned char *dst = dst_area + da;

  memset(dst_area, 0x55, AREA);
  fill_text(src_area, AREA, (unsigned)(len + sa));
  memcpy(dst, src, len);
  h = fnv_bytes(h, dst_area, AREA);

  h = fnv_u64(h, (uint64_t)(sign(memcmp(dst, src, len)) + 1));
  if (len > 0) {
    dst[len - 1] ^= 1;
    h = fnv_u64(h, (uint64_t)(sign(memcmp(dst, src, len)) + 1));
    dst[len / 2] = 0xff;
    h = fnv_u64(h, (uint64_t)(sign(memcmp(src, dst, len)) + 1));
  }

  /* Overlapping moves in both directions. */
  fill_text(dst_area, AREA, (unsigned)len);
  memmove(dst_area + da + 5, dst_area + da, len);
  memmove(dst_area + sa, dst_area + sa + 3, len);
  h = fnv_bytes(h, dst_area, AREA);

  memset(dst, (int)(len & 0xff), len);
  return fnv_bytes(h, dst_area, AREA);
}

static uint64_t check_strings(uint64_t h, size_t len, size_t sa, size_t da) {
  char *s = (char *)src_area + sa;
  char *d = (char *)dst_area + da;

  memset(src_area, 0, AREA);
  memset(dst_area, 0, AREA);
  fill_text((unsigned char *)s, len, (unsigned)da);
  h = fnv_u64(h, strlen(s));

  for (int c = 'a'; c <= 'z'; c += 5) {
    char *first = strchr(s, c);
    char *last = strrchr(s, c);
    h = fnv_u64(h, first ? (uint64_t)(first - s) : 999999);
    h = fnv_u64(h, last ? (uint64_t)(last - s) : 999999);
  }
  h = fnv_u64(h, (uint64_t)(strchr(s, 0) - s));

  strcpy(d, s);
  h = fnv_u64(h, (uint64_t)(sign(strcmp(d, s)) + 1));
  if (len > 0) {
    d[len - 1] = 'A';
    h = fnv_u64(h, (uint64_t)(sign(strcmp(d, s)) + 1));
    h = fnv_u64(h, (uint64_t)(sign(strncmp(d, s, len - 1)) + 1));
    h = fnv_u64(h, (uint64_t)(sign(strncmp(s, d, len)) + 1));
    h = fnv_u64(h, (uint64_t)(sign(strcmp(s, d + len / 2)) + 1));
  }

  const char *needle = s + len / 3;
  char saved = needle[len / 8 + 1];
  ((char *)needle)[len / 8 + 1] = '\0';
  char needle_copy[MAX_LEN + 1];
  strcpy(needle_copy, needle);
  ((char *)needle)[len / 8 + 1] = saved;
  char *found = strstr(s, needle_copy);
  h = fnv_u64(h, found ? (uint64_t)(found - s) : 999999);
  found = strstr(s, "zzq");
  h = fnv_u64(h, found ? (uint64_t)(found - s) : 999999);
  return fnv_bytes(h, dst_area, AREA);
}

int main(void) {
  uint64_t mem_hash = FNV_OFFSET;
  uint64_t str_hash = FNV_OFFSET;
  for (size_t len = 0; len <= MAX_LEN; len++) {
    for (size_t sa = 0; sa < ALIGNS; sa++) {
      size_t da = (sa * 5 + len) % ALIGNS;
      mem_hash = check_memory(mem_hash, len, sa, da);
      str_hash = check_strings(str_hash, len, sa, da);
    }
  }
  printf("memory functions: %016llx\n", (unsigned long long)mem_hash);
  printf("string functions: %016llx\n", (unsigned long long)str_hash);
  printf("strstr: %s\n", strstr("the quick brown fox", "brown"));
  return 0;
}
