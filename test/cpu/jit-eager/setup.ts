/**
 * Set-up file that makes every CPU compile each block the first time it
 * runs, so that the tests exercise the block compiler instead of the
 * interpreter. Used by config.ts beside it.
 */
import { jitOptions } from '../../../src/cpu/jit/options.ts';

jitOptions.threshold = 0;
