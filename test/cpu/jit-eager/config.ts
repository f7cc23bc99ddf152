/**
 * The project's vitest configuration with every block compiled on first
 * sight: `npx vitest run --config test/cpu/jit-eager/config.ts test/cpu test/diff`
 * runs the CPU and differential tests through the block compiler.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { config } from '../../../vitest.config.ts';

export default mergeConfig(
  config,
  defineConfig({
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    test: { setupFiles: [fileURLToPath(new URL('./setup.ts', import.meta.url))] },
  }),
);
