#!/usr/bin/env node
// Entry point for `npx amber`: runs the TypeScript command line through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
