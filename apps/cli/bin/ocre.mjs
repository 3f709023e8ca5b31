#!/usr/bin/env node
// Runs the ocre CLI from its TypeScript sources through tsx, so TypeScript containers load too.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
