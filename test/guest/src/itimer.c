/*
 * An interval timer: setitimer(ITIMER_REAL) sends SIGALRM every 2 ms while
 * the program waits in sigsuspend, computes, sleeps and reads a pipe the
 * handler fills; then a one-shot timer, alarm() and a refused setting. Prints
 * only what does not depend on timing.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "guest-util.h"

static volatile sig_atomic_t ticks;
static volatile sig_atomic_t fill_at = -1;
static int pipe_fds[2];

static void on_alarm(int sig) {
  (void)sig;
  ticks++;
  if (ticks == fill_at) {
    if (write(pipe_fds[1], "x", 1) != 1) _exit(3);
  }
}

static const char *ok(int good) { return good ? "ok" : "no"; }

static void nap_ms(long ms) {
  struct timespec nap = {0, ms * 1000000L};
  while (nanosleep(&nap, &nap) != 0 && errno == EINTR) {
  }
}

/*
 * Waits in sigsuspend, SIGALRM blocked outside it, until `count` ticks.
 * Returns the count seen while still blocked: once unblocked, the next tick
 * may come at any instruction.
 */
static int wait_ticks(int count) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGALRM);
  sigprocmask(SIG_BLOCK, &block, &old);
  while (ticks < count) sigsuspend(&old);
  int seen = ticks;
  sigprocmask(SIG_SETMASK, &old, NULL);
  return seen;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGALRM, &sa, NULL) != 0 || pipe(pipe_fds) != 0) return 1;

  struct itimerval cur;
  getitimer(ITIMER_REAL, &cur);
  printf("disarmed at start: %s\n", ok(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0));

  /* Every 2 ms; sigsuspend takes one tick per call. */
  struct itimerval every = {{0, 2000}, {0, 2000}};
  if (setitimer(ITIMER_REAL, &every, NULL) != 0) return 1;
  printf("ticks while suspended: %d\n", wait_ticks(10));
  getitimer(ITIMER_REAL, &cur);
  printf("interval reads back: %s\n",
         ok(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 2000 &&
            cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
            cur.it_value.tv_usec <= 2000));

  /* Handlers run between instructions of a computation without harming it. */
  uint64_t state = 88172645463325252ULL, hash = FNV_OFFSET;
  for (int i = 0; i < 40000; i++) hash = fnv_u64(hash, prng_next(&state));
  printf("checksum %016llx\n", (unsigned long long)hash);
  wait_ticks(ticks + 3);
  printf("ticks kept coming: ok\n");

  /* A long sleep is cut short: EINTR, with the time left reported. */
  struct timespec nap = {5, 0}, rem = {0, 0};
  int r = nanosleep(&nap, &rem);
  printf("nanosleep interrupted: %s\n",
         ok(r == -1 && errno == EINTR && rem.tv_sec <= 5 && (rem.tv_sec > 0 || rem.tv_nsec > 0)));

  /* A pipe read restarts after each tick (SA_RESTART) until the handler fills it. */
  fill_at = ticks + 4;
  char c = 0;
  r = (int)read(pipe_fds[0], &c, 1);
  printf("pipe read across ticks: %s\n", ok(r == 1 && c == 'x'));

  /* Disarming reports the old setting, and no tick comes after it. */
  struct itimerval zero, prev;
  memset(&zero, 0, sizeof zero);
  setitimer(ITIMER_REAL, &zero, &prev);
  printf("disarm returns interval: %s\n", ok(prev.it_interval.tv_usec == 2000));
  int after = ticks;
  nap_ms(10);
  printf("no ticks after disarm: %s\n", ok(ticks == after));

  /* A one-shot timer fires once. */
  struct itimerval once = {{0, 0}, {0, 3000}};
  setitimer(ITIMER_REAL, &once, NULL);
  wait_ticks(after + 1);
  nap_ms(10);
  getitimer(ITIMER_REAL, &cur);
  printf("one-shot fired once: %s\n",
         ok(ticks == after + 1 && cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0));

  /* alarm returns the whole seconds left of the previous one. */
  unsigned first = alarm(5);
  unsigned second = alarm(0);
  printf("alarm returns %u then %u\n", first, second);

  /* Microseconds past a second are refused. */
  struct itimerval bad = {{0, 0}, {0, 1000000}};
  r = setitimer(ITIMER_REAL, &bad, NULL);
  printf("bad setting refused: %s\n", ok(r == -1 && errno == EINVAL));
  fprintf(stderr, "itimer done\n");
  return 0;
}
