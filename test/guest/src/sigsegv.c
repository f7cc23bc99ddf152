/*
 * Touches unmapped memory three times; a SIGSEGV handler records the fault
 * and returns to the program through siglongjmp. Checks the signal mask is
 * restored and that si_addr is the address touched.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf recover;
static volatile sig_atomic_t faults;
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *info, void *context) {
  (void)context;
  faults++;
  fault_addr = (uintptr_t)info->si_addr;
  fault_code = info->si_code;
  siglongjmp(recover, sig);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSEGV, &sa, NULL) != 0) return 1;

  static const uintptr_t targets[] = {0x10, 0x1000, 0x7ff0};
  for (int i = 0; i < 3; i++) {
    int sig = sigsetjmp(recover, 1);
    if (sig == 0) {
      volatile int *p = (volatile int *)targets[i];
      *p = 1;
      puts("no fault");
    } else {
      printf("caught signal %d at 0x%lx code=%s\n", sig, (unsigned long)fault_addr,
             fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    }
  }

  sigset_t mask;
  sigprocmask(SIG_BLOCK, NULL, &mask);
  printf("faults=%d SIGSEGV blocked after recovery=%d\n", (int)faults, sigismember(&mask, SIGSEGV));
  return 0;
}
