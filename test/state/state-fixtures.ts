// Sample classes and helpers shared by the state codec tests.

import { createHash } from 'node:crypto';
import { TypeRegistry } from '../../src/state/index.ts';

/** Counts constructor calls, so tests can see that load never runs one. */
export const constructed = { count: 0 };

/** A class with saved fields, a host-handle field and a cache. */
export class Task {
  tid: number;
  name: string;
  parent: Task | null = null;
  children: Task[] = [];
  regs = new Uint32Array(4);
  /** Not saved: a host callback; afterLoad restores a fresh one. */
  onExit: () => void = () => undefined;
  /** Not saved: derived from regs; afterLoad recomputes it. */
  regSum = 0;

  constructor(tid: number, name: string) {
    constructed.count++;
    this.tid = tid;
    this.name = name;
  }
}

/** A second class that points at tasks. */
export class Kernel {
  tasks = new Map<number, Task>();
  root: Task | null = null;
  clock = 0;
}

/** The order in which afterLoad hooks ran, by a tag per object. */
export const afterLoadLog: string[] = [];

/** A registry with both sample classes. */
export function sampleRegistry(): TypeRegistry {
  const registry = new TypeRegistry();
  registry.register(Task, {
    name: 'test.Task',
    fields: ['tid', 'name', 'parent', 'children', 'regs'],
    unsaved: ['onExit', 'regSum'],
    afterLoad: (task) => {
      task.onExit = () => undefined;
      task.regSum = task.regs.reduce((a, b) => a + b, 0);
      afterLoadLog.push(`task ${task.tid}`);
    },
  });
  registry.register(Kernel, {
    name: 'test.Kernel',
    fields: ['tasks', 'root', 'clock'],
    afterLoad: () => afterLoadLog.push('kernel'),
  });
  return registry;
}

/** A kernel with a root task, two children and a grandchild. */
export function sampleKernel(): Kernel {
  const kernel = new Kernel();
  const root = new Task(1, 'init');
  kernel.root = root;
  for (const [tid, name, parent] of [
    [2, 'sh', root],
    [3, 'cat', root],
  ] as const) {
    const child = new Task(tid, name);
    child.parent = parent;
    parent.children.push(child);
  }
  const grandchild = new Task(4, 'grep');
  grandchild.parent = root.children[0];
  root.children[0].children.push(grandchild);
  for (const task of [root, ...root.children, grandchild]) {
    task.regs.set([task.tid, 10, 20, 30]);
    kernel.tasks.set(task.tid, task);
  }
  kernel.clock = 123456789.25;
  return kernel;
}

/**
 * Wraps a hand-made body in a valid header and checksum, as encodeSection
 * lays them out, so tests reach the decoder's checks behind the checksum.
 */
export function sealBody(body: Uint8Array | readonly number[]): Uint8Array {
  const section = new Uint8Array(12 + body.length + 32);
  const view = new DataView(section.buffer);
  section.set([0x41, 0x6d, 0x53, 0x74], 0);
  view.setUint16(4, 1, true);
  view.setUint32(8, body.length, true);
  section.set(body, 12);
  reseal(section);
  return section;
}

/** Recomputes a section's checksum in place, after a test changed its body. */
export function reseal(section: Uint8Array): void {
  const end = section.length - 32;
  section.set(createHash('sha256').update(section.subarray(0, end)).digest(), end);
}

/** The body of a section: what lies between header and checksum. */
export function bodyOf(section: Uint8Array): Uint8Array {
  return section.slice(12, section.length - 32);
}
