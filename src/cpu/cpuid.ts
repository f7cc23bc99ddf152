/**
 * The CPUID feature set: exactly what Amber's CPU implements, as data. It is
 * versioned, serialisable (it opens every snapshot) and comparable: a
 * snapshot taken under feature set F may resume only on a CPU whose set
 * contains every feature of F.
 */

/** A feature: its CPUID leaf, output register and bit. */
interface FeatureBit {
  leaf: number;
  reg: 'ebx' | 'ecx' | 'edx';
  bit: number;
}

/** Every feature Amber knows how to report, by its Linux /proc/cpuinfo name. */
const KNOWN: Record<string, FeatureBit> = {
  fpu: { leaf: 1, reg: 'edx', bit: 0 },
  tsc: { leaf: 1, reg: 'edx', bit: 4 },
  cx8: { leaf: 1, reg: 'edx', bit: 8 },
  cmov: { leaf: 1, reg: 'edx', bit: 15 },
  clflush: { leaf: 1, reg: 'edx', bit: 19 },
  mmx: { leaf: 1, reg: 'edx', bit: 23 },
  fxsr: { leaf: 1, reg: 'edx', bit: 24 },
  sse: { leaf: 1, reg: 'edx', bit: 25 },
  sse2: { leaf: 1, reg: 'edx', bit: 26 },
  pni: { leaf: 1, reg: 'ecx', bit: 0 },
  cx16: { leaf: 1, reg: 'ecx', bit: 13 },
  popcnt: { leaf: 1, reg: 'ecx', bit: 23 },
  syscall: { leaf: 0x80000001, reg: 'edx', bit: 11 },
  nx: { leaf: 0x80000001, reg: 'edx', bit: 20 },
  lm: { leaf: 0x80000001, reg: 'edx', bit: 29 },
  lahf_lm: { leaf: 0x80000001, reg: 'ecx', bit: 0 },
  abm: { leaf: 0x80000001, reg: 'ecx', bit: 5 },
};

/** A versioned set of CPU features. */
export interface FeatureSet {
  /** Version of Amber's CPU model that produced the set. */
  readonly version: number;
  /** Vendor string reported by CPUID leaf 0 (12 characters). */
  readonly vendor: string;
  /** Feature names, sorted. */
  readonly features: readonly string[];
}

/** Version of the feature set below; bump when the CPU model changes. */
export const FEATURE_SET_VERSION = 1;

/**
 * What this build of Amber implements. MMX is listed because the x86-64
 * baseline requires it (glibc refuses to start without it).
 * TODO: MMX register forms are not implemented: a program that uses mm0-mm7
 * gets SIGILL although CPUID reports MMX.
 */
export const AMBER_FEATURES: FeatureSet = {
  version: FEATURE_SET_VERSION,
  vendor: 'AmberVirtCPU',
  features: [
    'clflush',
    'cmov',
    'cx16',
    'cx8',
    'fpu',
    'fxsr',
    'lahf_lm',
    'lm',
    'mmx',
    'nx',
    'pni',
    'popcnt',
    'sse',
    'sse2',
    'syscall',
    'tsc',
  ],
};

/**
 * The features of `required` that `available` lacks; empty when a guest
 * that expects `required` can run on `available`.
 */
export function missingFeatures(available: FeatureSet, required: FeatureSet): string[] {
  const have = new Set(available.features);
  return required.features.filter((f) => !have.has(f));
}

/** Encodes a feature set as bytes (UTF-8 JSON with sorted keys). */
export function encodeFeatureSet(set: FeatureSet): Uint8Array {
  const json = JSON.stringify({
    version: set.version,
    vendor: set.vendor,
    features: [...set.features].sort(),
  });
  return new TextEncoder().encode(json);
}

/** Decodes and validates a feature set; throws a TypeError naming the problem. */
export function decodeFeatureSet(bytes: Uint8Array): FeatureSet {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TypeError('feature set is not valid JSON text');
  }
  const v = value as Partial<FeatureSet> | null;
  if (typeof v !== 'object' || v === null) throw new TypeError('feature set is not an object');
  if (!Number.isInteger(v.version) || (v.version as number) < 1) {
    throw new TypeError('feature set has no valid version');
  }
  if (typeof v.vendor !== 'string' || v.vendor.length !== 12) {
    throw new TypeError('feature set has no valid vendor');
  }
  if (!Array.isArray(v.features) || !v.features.every((f) => typeof f === 'string')) {
    throw new TypeError('feature set has no valid feature list');
  }
  return { version: v.version as number, vendor: v.vendor, features: [...v.features].sort() };
}

/** Brand string of leaves 0x80000002-4 (48 bytes). */
const BRAND = 'Amber x86-64 interpreter'.padEnd(48, '\0');

function stringDwords(s: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < s.length; k += 4) {
    out.push(
      s.charCodeAt(k) |
        (s.charCodeAt(k + 1) << 8) |
        (s.charCodeAt(k + 2) << 16) |
        (s.charCodeAt(k + 3) << 24),
    );
  }
  return out;
}

/**
 * The CPUID results for a leaf and subleaf under a feature set, as
 * [eax, ebx, ecx, edx]. Unknown leaves answer zeros, as CPUs do for leaves
 * above their maximum.
 */
export function cpuidLeaf(set: FeatureSet, leaf: number, subleaf: number): number[] {
  void subleaf;
  const out = [0, 0, 0, 0];
  const regIndex = { ebx: 1, ecx: 2, edx: 3 } as const;
  for (const name of set.features) {
    const f = KNOWN[name];
    if (f !== undefined && f.leaf === leaf) out[regIndex[f.reg]] |= 1 << f.bit;
  }
  switch (leaf) {
    case 0: {
      const [b, d, c] = stringDwords(set.vendor);
      return [7, b, c, d];
    }
    case 1:
      // Family 6, model 0x2a-like signature; CLFLUSH line size 8 (64 bytes).
      out[0] = 0x000206a0;
      out[1] |= 8 << 8;
      return out;
    case 0x80000000:
      return [0x80000008, 0, 0, 0];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const k = (leaf - 0x80000002) * 4;
      return stringDwords(BRAND).slice(k, k + 4);
    }
    case 0x80000008:
      return [0x3030, 0, 0, 0];
    default:
      return out;
  }
}

/** Names Amber can report, for validation of a configured set. */
export function knownFeatures(): string[] {
  return Object.keys(KNOWN).sort();
}
