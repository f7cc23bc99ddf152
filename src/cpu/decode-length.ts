import { Decoder } from './decoder.ts';
import { instructionTable } from './isa.ts';

let decoder: Decoder | undefined;

/**
 * Length in bytes of the instruction at `code[offset]` (at guest address
 * `address`), or -1 when the bytes run out before it ends. Instructions the
 * CPU does not implement still get their architectural length.
 */
export function decodeLength(code: Uint8Array, offset: number, address: number): number {
  decoder ??= new Decoder(instructionTable());
  const insn = decoder.decode(code, offset, code.length, address);
  return insn === null ? -1 : insn.len;
}
