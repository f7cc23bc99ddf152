import { describe, expect, it } from 'vitest';
import { StateRegistryError, TypeRegistry } from '../../src/state/index.ts';

class A {
  x = 0;
}
class B {
  y = 0;
}

function refuses(register: (registry: TypeRegistry) => void): string {
  const registry = new TypeRegistry();
  try {
    register(registry);
  } catch (error) {
    expect(error).toBeInstanceOf(StateRegistryError);
    return (error as Error).message;
  }
  throw new Error('the registration was accepted');
}

describe('TypeRegistry', () => {
  it('refuses a name or a class registered twice', () => {
    expect(
      refuses((r) => {
        r.register(A, { name: 'test.A', fields: ['x'] });
        r.register(B, { name: 'test.A', fields: ['y'] });
      }),
    ).toContain('already registered');
    expect(
      refuses((r) => {
        r.register(A, { name: 'test.A', fields: ['x'] });
        r.register(A, { name: 'test.A2', fields: ['x'] });
      }),
    ).toContain('A is already registered as test.A');
  });

  it('refuses fields listed twice or in both saved and unsaved lists', () => {
    refuses((r) => r.register(A, { name: 'test.A', fields: ['x', 'x'] }));
    refuses((r) => r.register(A, { name: 'test.A', fields: ['x'], unsaved: ['x'] }));
    refuses((r) => r.register(A, { name: 'test.A', fields: ['x'], retired: ['x'] }));
    refuses((r) => r.register(A, { name: 'test.A', fields: ['__proto__'] }));
  });

  it('accepts a field that is both unsaved now and retired from old sections', () => {
    const registry = new TypeRegistry();
    registry.register(A, { name: 'test.A', fields: [], unsaved: ['x'], retired: ['x'] });
    expect(registry.names()).toEqual(['test.A']);
  });

  it('refuses bad names, versions and defaults', () => {
    refuses((r) => r.register(A, { name: '', fields: ['x'] }));
    refuses((r) => r.register(A, { name: 'has space', fields: ['x'] }));
    refuses((r) => r.register(A, { name: 'test.A', version: 0, fields: ['x'] }));
    refuses((r) => r.register(A, { name: 'test.A', version: 1.5, fields: ['x'] }));
    refuses((r) => r.register(A, { name: 'test.A', fields: ['x'], defaults: { y: 1 } }));
    refuses((r) => r.register(A, { name: 'test.A', fields: ['x'], defaults: { x: [] as never } }));
  });

  it('refuses built-in prototypes the codec already handles', () => {
    refuses((r) => r.register(Map, { name: 'test.Map', fields: [] }));
    refuses((r) => r.register(Uint8Array, { name: 'test.Bytes', fields: [] }));
    refuses((r) => r.register(Object, { name: 'test.Object', fields: [] }));
  });
});
