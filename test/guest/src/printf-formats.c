/*
 * Formats integers, doubles and long doubles through many printf
 * conversions, including edge values (extremes, zero of both signs,
 * subnormals, infinities, NaN). musl formats floating point with x87 long
 * double arithmetic, so this also checks the x87 emulation's precision.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static const char *const INT_FORMATS[] = {"%d", "%i", "%5d", "%-5d|", "%+d", "% d", "%05d", "%.3d"};
static const char *const UINT_FORMATS[] = {"%u", "%x", "%X", "%o", "%#x", "%#o", "%08x", "%#10.6X"};
static const char *const DOUBLE_FORMATS[] = {
    "%f", "%.0f", "%.3f", "%.20f", "%e", "%.0e", "%.15e", "%E", "%g", "%.3g",
    "%.17g", "%G", "%#g", "%#.0f", "%a", "%A", "%.3a", "%+12.4f", "%-12.4e|", "%012.3f"};
static const char *const LDOUBLE_FORMATS[] = {"%Lf", "%.25Lf", "%Le", "%.21Le", "%Lg", "%.21Lg", "%La"};

static void print_ints(void) {
  static const int ints[] = {0, 1, -1, 7, -42, 100000, INT_MAX, INT_MIN, 12345678};
  static const unsigned uints[] = {0, 1, 255, 0xdeadbeef, UINT_MAX, 0x80000000u, 01234567};
  for (size_t f = 0; f < sizeof INT_FORMATS / sizeof INT_FORMATS[0]; f++) {
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
      printf(INT_FORMATS[f], ints[i]);
      putchar(' ');
    }
    putchar('\n');
  }
  for (size_t f = 0; f < sizeof UINT_FORMATS / sizeof UINT_FORMATS[0]; f++) {
    for (size_t i = 0; i < sizeof uints / sizeof uints[0]; i++) {
      printf(UINT_FORMATS[f], uints[i]);
      putchar(' ');
    }
    putchar('\n');
  }
  printf("%lld %lld %llu %llx\n", LLONG_MAX, LLONG_MIN, ULLONG_MAX, 0x0123456789abcdefULL);
  printf("%ld %lu %zu %jd %hd %hhu %hhd\n", -1L, 1UL << 63, (size_t)12345, (intmax_t)-99,
         (short)-32768, (unsigned char)200, (signed char)-128);
  printf("[%c][%5c][%-3c][%s][%.2s][%8s][%-8s]\n", 'A', 'b', 'c', "str", "string", "pad", "left");
  printf("%%literal %*d %-*d| %.*f\n", 6, 42, 4, 7, 2, 3.14159);
}

static void print_doubles(void) {
  static const double values[] = {
      0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.5, 1.0 / 3.0, 123456.789, -9.87654321e-5,
      1e15, 1e16, 1e21, 1e-7, 1e300, 1e-300, DBL_MAX, DBL_MIN, 4.9406564584124654e-324,
      2.2250738585072009e-308, 0.999999999999, 9.5, 1.25e-10, 6.02214076e23,
      INFINITY, -INFINITY, NAN};
  for (size_t f = 0; f < sizeof DOUBLE_FORMATS / sizeof DOUBLE_FORMATS[0]; f++) {
    printf("%s:", DOUBLE_FORMATS[f]);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
      putchar(' ');
      printf(DOUBLE_FORMATS[f], values[i]);
    }
    putchar('\n');
  }
}

static void print_long_doubles(void) {
  static const long double values[] = {
      0.0L, -0.0L, 1.0L, 0.1L, 1.0L / 3.0L, 2.0L / 3.0L, 3.141592653589793238462643383279L,
      1e4000L, 1e-4000L, LDBL_MAX, LDBL_MIN, 12345678901234567890.0L, -2.5e-20L};
  for (size_t f = 0; f < sizeof LDOUBLE_FORMATS / sizeof LDOUBLE_FORMATS[0]; f++) {
    printf("%s:", LDOUBLE_FORMATS[f]);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
      putchar(' ');
      printf(LDOUBLE_FORMATS[f], values[i]);
    }
    putchar('\n');
  }
}

/* Many values built by arithmetic, so that rounding of every digit counts. */
static void print_series(void) {
  double x = 1.0;
  long double lx = 1.0L;
  for (int i = 0; i < 60; i++) {
    printf("%d %.17g %.6e %.10f %.20Lg\n", i, x, x, x, lx);
    x = x * 3.7 + 0.013;
    lx = lx / 7.3L - 0.25L;
  }
}

int main(void) {
  print_ints();
  print_doubles();
  print_long_doubles();
  print_series();
  /* The size comes through a volatile so the compiler cannot warn about it. */
  char buf[64];
  volatile size_t limit = 10;
  int n = snprintf(buf, limit, "%s-%d", "truncated", 12345);
  printf("snprintf=%d [%s]\n", n, buf);
  return 0;
}
