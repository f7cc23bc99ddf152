/**
 * x87 register state. Placeholder until the x87 unit lands: the control word
 * and status word exist so the rest of the CPU can save and reset them.
 * TODO: the x87 registers and instructions are missing; x87 code raises #UD.
 */
export class X87State {
  /** Control word; 0x037F after FNINIT. */
  fcw = 0x037f;
  /** Status word. */
  fsw = 0;

  /** Resets to the FNINIT state. */
  reset(): void {
    this.fcw = 0x037f;
    this.fsw = 0;
  }
}
