// Run one of the user scripts (`sudo.js`, `status.js`, `feed.js`, ...) as a user would, in a child
// process, for the tests that check their output and exit status.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Run `scripts/<name>` with `args`; resolve with `{ code, stdout, stderr }` (code 0 on success). */
export async function runScript (name, args) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [path.join(scriptsDir, name), ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
