// `bin/fulcrum` in a checkout that was never built (a clone before `npm ci`, or dist/ removed): it printed
// Node's "Cannot find module …/dist/cli/main.js" and a stack, saying not what to do.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { BIN } from '../support/process.js';

it('says, when it is not built, what is missing and how to build it', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-unbuilt-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync(BIN, path.join(root, 'bin/fulcrum'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"type": "module"}\n');
    const run = await promisify(execFile)(process.execPath, [path.join(root, 'bin/fulcrum'), 'help']).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `fulcrum is not built: ${fs.realpathSync(root)}/dist/cli/main.js is missing. Run npm ci (it builds), or npm run build after a change.\n`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
