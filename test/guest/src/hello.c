/* The smallest libc program: one line on standard output, exit status 0. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
