/**
 * Command used by test/setup.sh: prints the path of a static busybox and
 * exits 0, or prints why there is none and exits 1.
 */
import { findBusybox } from './busybox.ts';

const found = findBusybox();
if (found.path !== null) {
  console.log(found.path);
} else {
  console.log(found.reason);
  process.exitCode = 1;
}
