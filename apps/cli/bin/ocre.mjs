#!/usr/bin/env node
// Runs the ocre CLI from its TypeScript sources through tsx: the workspace's bin (the published one is dist/main.js).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
