/*
 * CPU-bound kernels for bench/cpu-loops.ts. Freestanding: no library calls,
 * no globals; each takes a size and a scratch buffer and returns a checksum
 * so that the work cannot be optimised away.
 */
typedef unsigned long u64;
typedef unsigned int u32;

/* FNV-style hash over a 4 KiB window, with a store per iteration. */
u64 k_hash(u64 n, unsigned char *buf) {
  u64 h = 1469598103934665603UL;
  for (u64 i = 0; i < n; i++) {
    h ^= buf[i & 4095];
    h *= 1099511628211UL;
    h ^= h >> 29;
    buf[(i * 7) & 4095] = (unsigned char)h;
  }
  return h;
}

/* Sieve of Eratosthenes over n bytes. */
u64 k_sieve(u64 n, unsigned char *flags) {
  u64 count = 0;
  for (u64 i = 0; i < n; i++) flags[i] = 1;
  for (u64 i = 2; i < n; i++) {
    if (flags[i]) {
      count++;
      for (u64 j = i + i; j < n; j += i) flags[j] = 0;
    }
  }
  return count;
}

static void quicksort(int *a, long lo, long hi) {
  while (lo < hi) {
    int pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

/* Sorts n pseudo-random ints (recursive quicksort), returns a checksum. */
u64 k_sort(u64 n, unsigned char *buf) {
  int *a = (int *)buf;
  u32 x = 12345;
  for (u64 i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    a[i] = (int)(x >> 1);
  }
  quicksort(a, 0, (long)n - 1);
  u64 sum = 0;
  for (u64 i = 0; i < n; i++) sum = sum * 31 + (u32)a[i];
  return sum;
}

/* Floating point with SSE2 doubles: a damped oscillator and a series. */
u64 k_float(u64 n, unsigned char *buf) {
  double *v = (double *)buf;
  double x = 1.0, p = 0.0, dt = 0.001, acc = 0.0;
  for (u64 i = 0; i < n; i++) {
    double f = -x * 4.0 - p * 0.1;
    p += f * dt;
    x += p * dt;
    acc += x * x / (1.0 + p * p);
    v[i & 511] = acc;
  }
  return (u64)(acc * 1000.0) ^ (u64)(long)(x * 1e9);
}

/* Byte and word copies and a string scan over a 64 KiB buffer. */
u64 k_copy(u64 n, unsigned char *buf) {
  unsigned char *src = buf, *dst = buf + 32768;
  for (int i = 0; i < 4096; i++) src[i] = (unsigned char)(i * 13 + 1);
  src[4095] = 0;
  u64 total = 0;
  for (u64 r = 0; r < n; r++) {
    u64 len = 1000 + (r & 1023);
    for (u64 i = 0; i < len; i++) dst[i] = src[i];
    u64 *d8 = (u64 *)(dst + 8192);
    const u64 *s8 = (const u64 *)src;
    for (u64 i = 0; i < len / 8; i++) d8[i] = s8[i] ^ r;
    const unsigned char *p = dst;
    while (*p) p++;
    total += (u64)(p - dst) + d8[r & 63];
  }
  return total;
}
