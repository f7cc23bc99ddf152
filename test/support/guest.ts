/**
 * Where the guest test programs are. They are built by test/guest/build.sh
 * and kept in the repository: <name>.musl and <name>.glibc from C sources,
 * a bare <name> from assembly sources (no libc).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the folder holding the built guest binaries. */
export const GUEST_BIN_DIR = fileURLToPath(new URL('../guest/bin/', import.meta.url));

/** The C library a C guest program was linked with. */
export type GuestLibc = 'musl' | 'glibc';

/**
 * The path of a built guest program: `guestBinary('hello', 'musl')` for a C
 * program, `guestBinary('raw-hello')` for an assembly one. Throws when the
 * binary is missing, naming the script that builds it.
 */
export function guestBinary(name: string, libc?: GuestLibc): string {
  const path = GUEST_BIN_DIR + (libc === undefined ? name : `${name}.${libc}`);
  if (!existsSync(path)) {
    throw new Error(`guest binary ${path} is missing; rebuild with test/guest/build.sh`);
  }
  return path;
}

/** The names of the C guest programs (each built for both C libraries). */
export function guestCPrograms(): string[] {
  return readdirSync(GUEST_BIN_DIR)
    .filter((file) => file.endsWith('.musl'))
    .map((file) => file.slice(0, -'.musl'.length))
    .sort();
}
