/**
 * `reclab` as a process of its own on the TypeScript sources (as bin/reclab.js runs the built
 * dist/cli.js), for tests that must kill it: `node --import tsx reclabProcess.ts <args>`.
 */
import { main } from '../../../src/cli/main.js';

void main(process.argv.slice(2)).then((code) => process.exit(code));
