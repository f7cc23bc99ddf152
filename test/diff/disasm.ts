/** Disassembly of case bytes for mismatch reports, through iced-x86. */
import { Decoder, DecoderOptions, Formatter, FormatterSyntax, Instruction } from 'iced-x86';
import { CODE_BASE } from './layout.ts';

let formatter: Formatter | undefined;

/** The instructions in `code` (placed at CODE_BASE), one per line. */
export function disassemble(code: Uint8Array | readonly number[]): string {
  const bytes = Uint8Array.from(code);
  formatter ??= new Formatter(FormatterSyntax.Intel);
  const decoder = new Decoder(64, bytes, DecoderOptions.None);
  decoder.ip = BigInt(CODE_BASE);
  const insn = new Instruction();
  const lines: string[] = [];
  try {
    while (decoder.canDecode) {
      decoder.decodeOut(insn);
      const offset = Number(insn.ip - BigInt(CODE_BASE));
      const hex = Buffer.from(bytes.subarray(offset, offset + insn.length)).toString('hex');
      lines.push(
        `  +${offset.toString(16).padStart(3, '0')}  ${hex.padEnd(24)} ${formatter.format(insn)}`,
      );
    }
  } finally {
    insn.free();
    decoder.free();
  }
  return lines.join('\n');
}
