// Reads descriptor bundles from disk as the CLI sends them.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../../src/registry/descriptors.js';

export const ACME = path.resolve(import.meta.dirname, '../../examples/acme');
/** The smallest enterprise the tests use: one initiative, agent support-bot-eu, budget fy2026. */
export const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
/** The command line of examples/acme's stdio McpServer: test servers allow it, as its README asks operators to. */
export const ACME_STDIO = ['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31'];

export function readBundle(dir: string): SourceFile[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: path.join(path.relative(process.cwd(), dir), f), content: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
