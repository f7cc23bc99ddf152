/**
 * Linear sweep of a binary's executable sections with iced-x86, the
 * reference decoder, comparing each instruction's length with a length
 * function under test. Used by test/cpu/decode-length.test.ts.
 */
import { Decoder, DecoderOptions, Instruction, Mnemonic } from 'iced-x86';
import { executableSections, parseElf } from './elf.ts';

/** The length function under test: bytes, or -1 when it finds them invalid. */
export type LengthFn = (code: Uint8Array, offset: number, address: number) => number;

/** One instruction where the reference and the function under test disagree. */
export interface LengthMismatch {
  section: string;
  address: number;
  bytes: string;
  mnemonic: string;
  expected: number;
  actual: number;
}

/** What one sweep saw, per binary. */
export interface SweepReport {
  /** Instructions iced decoded as valid, all compared. */
  compared: number;
  /** Places iced found invalid (data or padding), skipped past as iced does. */
  invalidToIced: number;
  /** Mismatch counts keyed by opcode bytes and mnemonic. */
  byOpcode: Map<string, number>;
  /** The first mismatches in address order, with their bytes. */
  samples: LengthMismatch[];
  mismatches: number;
}

const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * A grouping key for an instruction: the last mandatory-prefix candidate
 * (66, F2, F3), then the opcode bytes without REX, including the escape
 * bytes, then the mnemonic. For VEX and EVEX the map and opcode are shown.
 */
export function opcodeKey(insn: Uint8Array, mnemonic: string): string {
  let i = 0;
  let simdPrefix = '';
  while (i < insn.length && LEGACY_PREFIXES.has(insn[i])) {
    if (insn[i] === 0x66 || insn[i] === 0xf2 || insn[i] === 0xf3)
      simdPrefix = hex(insn.subarray(i, i + 1));
    i++;
  }
  if (i < insn.length && (insn[i] & 0xf0) === 0x40) i++;
  const b = insn[i];
  let opcode: string;
  if (b === 0x0f && (insn[i + 1] === 0x38 || insn[i + 1] === 0x3a)) {
    opcode = hex(insn.subarray(i, i + 3));
  } else if (b === 0x0f) {
    opcode = hex(insn.subarray(i, i + 2));
  } else if (b === 0xc5) {
    opcode = `vex map1 ${hex(insn.subarray(i + 2, i + 3))}`;
  } else if (b === 0xc4) {
    opcode = `vex map${insn[i + 1] & 0x1f} ${hex(insn.subarray(i + 3, i + 4))}`;
  } else if (b === 0x62) {
    opcode = `evex map${insn[i + 1] & 0x07} ${hex(insn.subarray(i + 4, i + 5))}`;
  } else {
    opcode = hex(insn.subarray(i, i + 1));
  }
  return `${simdPrefix ? simdPrefix + ' ' : ''}${opcode} ${mnemonic}`;
}

/**
 * Sweeps every executable section of the ELF file in `image`. Where iced
 * finds the bytes invalid the sweep moves on past them as iced does; where
 * the function under test disagrees, iced's length is still used, so one
 * disagreement does not derail the rest of the sweep.
 */
export function sweepLengths(image: Uint8Array, lengthOf: LengthFn, maxSamples = 20): SweepReport {
  const report: SweepReport = {
    compared: 0,
    invalidToIced: 0,
    byOpcode: new Map(),
    samples: [],
    mismatches: 0,
  };
  for (const section of executableSections(parseElf(image))) {
    const code = image.subarray(section.offset, section.offset + section.size);
    sweepSection(section.name, section.addr, code, lengthOf, maxSamples, report);
  }
  return report;
}

function sweepSection(
  name: string,
  base: number,
  code: Uint8Array,
  lengthOf: LengthFn,
  maxSamples: number,
  report: SweepReport,
): void {
  const decoder = new Decoder(64, code, DecoderOptions.None);
  decoder.ip = BigInt(base);
  const insn = new Instruction();
  let offset = 0;
  try {
    while (decoder.canDecode) {
      decoder.decodeOut(insn);
      const length = insn.length;
      if (insn.isInvalid) {
        report.invalidToIced++;
        offset += length;
        continue;
      }
      report.compared++;
      const actual = lengthOf(code, offset, base + offset);
      if (actual !== length) {
        const bytes = code.subarray(offset, offset + length);
        const mnemonic = Mnemonic[insn.mnemonic] ?? String(insn.mnemonic);
        const key = opcodeKey(bytes, mnemonic);
        report.byOpcode.set(key, (report.byOpcode.get(key) ?? 0) + 1);
        report.mismatches++;
        if (report.samples.length < maxSamples) {
          report.samples.push({
            section: name,
            address: base + offset,
            bytes: hex(bytes),
            mnemonic,
            expected: length,
            actual,
          });
        }
      }
      offset += length;
    }
  } finally {
    insn.free();
    decoder.free();
  }
}

/** A readable summary of a sweep's mismatches, largest groups first. */
export function formatMismatches(report: SweepReport): string {
  const groups = [...report.byOpcode.entries()].sort((a, b) => b[1] - a[1]);
  const lines = [`${report.mismatches} mismatches in ${report.compared} instructions, by opcode:`];
  for (const [key, count] of groups) lines.push(`  ${String(count).padStart(7)}  ${key}`);
  lines.push('first mismatches (address: bytes mnemonic, iced length vs ours):');
  for (const m of report.samples) {
    lines.push(
      `  ${m.section} 0x${m.address.toString(16)}: ${m.bytes} ${m.mnemonic} ${m.expected} vs ` +
        `${m.actual}`,
    );
  }
  return lines.join('\n');
}
