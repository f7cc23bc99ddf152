/*
 * Divides an integer by zero: the process must die by SIGFPE. The divisor is
 * read through a volatile so the compiler cannot fold the division away.
 */
#include <stdio.h>

int main(void) {
  volatile int divisor = 0;
  volatile int dividend = 100;
  puts("about to divide by zero");
  fflush(stdout);
  printf("quotient=%d\n", dividend / divisor);
  return 0;
}
