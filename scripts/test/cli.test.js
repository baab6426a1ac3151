// The command-line tools run the way a person runs them: through a symlink, from another directory,
// from a path with spaces and non-ASCII characters, with `--help`, and against a node that is down
// (one line on stderr and a non-zero exit within the connect timeout, never a hang or a stack trace).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = ['audit.js', 'status.js', 'sudo.js', 'feed.js', 'upgrade.js', 'audit-throughput.js'];

async function run (file, args, env = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cwd '));
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['--experimental-websocket', file, ...args], {
      cwd, timeout: 30_000, env: { ...process.env, EMISSION_CONNECT_TIMEOUT_MS: '1500', ...env }
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, killed: err.killed };
  }
}

describe('the tools as a user runs them', () => {
  const linkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tools é '));
  for (const tool of TOOLS) {
    const link = path.join(linkDir, `my ${tool}`);
    fs.symlinkSync(path.join(scripts, tool), link);

    it(`${tool} --help through a symlink from another directory: usage on stdout, exit 0`, async () => {
      const { code, stdout } = await run(link, ['--help']);
      assert.equal(code, 0);
      assert.match(stdout, /usage: node/);
    });
  }

  for (const [tool, args] of [
    ['audit.js', ['verify', '--url', 'ws://127.0.0.1:1', '--at', '1']],
    ['status.js', ['--url', 'ws://127.0.0.1:1']],
    ['sudo.js', ['emission.setTurnLength', '5', '--url', 'ws://127.0.0.1:1']],
    ['feed.js', ['--suri', '//Dave', 'steady', '1', '1', 'true', '1', '--url', 'ws://127.0.0.1:1']]
  ]) {
    it(`${tool} against a node that is down: one error line, exit 2, no hang`, async () => {
      const started = Date.now();
      const { code, stderr, killed } = await run(path.join(linkDir, `my ${tool}`), args);
      assert.ok(!killed, 'it did not hang');
      assert.equal(code, 2, stderr);
      assert.match(stderr, /cannot reach a node at ws:\/\/127\.0\.0\.1:1/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      assert.ok(Date.now() - started < 20_000);
    });
  }
});
