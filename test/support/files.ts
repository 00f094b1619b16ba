// Reads descriptor bundles from disk as the CLI sends them.
import fs from 'node:fs';
import path from 'node:path';
import { STORY_DATE, shiftDates } from '../../src/demo/replay.js';
import type { SourceFile } from '../../src/registry/descriptors.js';

export const ACME = path.resolve(import.meta.dirname, '../../examples/acme');
/** The smallest enterprise the tests use: one initiative, agent support-bot-eu, budget fy2026. */
export const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
/** The last day of MINI's budget fy2026 as readMini gives it (see there). */
/** The mini enterprise's agent support-bot-eu, as its descriptor has it, with `status`. */
export const supportBotSpec = (status: string) => ({
  initiative: 'support-deflection',
  archetype: 'support-agent',
  owner: 'omar.owner',
  framework: 'openai-agents-sdk',
  status,
});

export const miniBudgetEnd = (now = new Date()) => `${Math.max(2026, now.getUTCFullYear())}-12-31`;
/** The command line of examples/acme's stdio McpServer: test servers allow it, as its README asks operators to. */
export const ACME_STDIO = ['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31'];

export function readBundle(dir: string): SourceFile[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: path.join(path.relative(process.cwd(), dir), f), content: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * examples/acme as `fulcrum demo` applies it: every date moved by (today − STORY_DATE), so its budget
 * covers today and its pilots are as old as the story says. Read as written, from 2027 on no budget of
 * it covered today.
 */
export function readStory(now = new Date()): SourceFile[] {
  const shift = Math.round((Date.parse(now.toISOString().slice(0, 10)) - Date.parse(STORY_DATE)) / 86_400_000);
  return readBundle(ACME).map((f) => ({ ...f, content: shiftDates(f.content, shift) }));
}

/**
 * MINI, with its budget fy2026 (written for 2026) standing until the end of this year: the report, the
 * diagnostic and the plan read the budget covering today, and from 2027 on none did. In 2026, MINI as written.
 */
export function readMini(now = new Date()): SourceFile[] {
  const written = 'period: { from: "2026-01-01", to: "2026-12-31" }';
  const files = readBundle(MINI);
  if (!files.some((f) => f.content.includes(written))) throw new Error(`fy2026 in ${MINI} no longer reads ${written}`);
  return files.map((f) => ({
    ...f,
    content: f.content.replace(written, `period: { from: "2026-01-01", to: "${miniBudgetEnd(now)}" }`),
  }));
}
