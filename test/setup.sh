#!/usr/bin/env bash
# Makes a machine ready for the tests; `npm test` runs it first (pretest).
# Idempotent and quick when everything is in place. It checks that the
# committed guest binaries are present (it never builds them: see
# test/guest/build.sh) and provides a static x86-64 busybox, installing
# Debian's busybox-static when running as root.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Guest programs: one binary per libc for each C source, one per assembly one.
missing=()
for file in test/guest/src/*.c; do
  name="$(basename "$file" .c)"
  for libc in musl glibc; do
    [ -f "test/guest/bin/$name.$libc" ] || missing+=("test/guest/bin/$name.$libc")
  done
done
for file in test/guest/src/*.S; do
  name="$(basename "$file" .S)"
  [ -f "test/guest/bin/$name" ] || missing+=("test/guest/bin/$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: guest binaries missing: ${missing[*]}" >&2
  echo "setup: they are kept in the repository; rebuild them with test/guest/build.sh" >&2
  exit 1
fi

check_busybox() {
  node_modules/.bin/tsx test/support/busybox-check.ts
}

if found="$(check_busybox)"; then
  exit 0
fi
echo "setup: $found"

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup: tests that need busybox will be skipped." >&2
  echo "setup: to run them, as root on Debian: apt-get install -y busybox-static" >&2
  exit 0
fi

echo "setup: installing busybox-static with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q busybox-static; then
  # A fresh machine may have no package lists yet.
  apt-get update -q && apt-get install -y -q busybox-static
fi
if ! found="$(check_busybox)"; then
  echo "setup: busybox still unusable after install: $found" >&2
  exit 1
fi
echo "setup: busybox at $found"
