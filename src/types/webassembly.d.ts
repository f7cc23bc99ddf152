// The parts of the WebAssembly JavaScript API that Amber uses. TypeScript
// ships them only with the DOM library, which a Node.js program should not
// pull in.
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
}
