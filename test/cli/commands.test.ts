// The CLI's commands as a newcomer meets them: every command `fulcrum help` lists is one the CLI runs,
// every `fulcrum …` command the README and docs show is one of them, and `--help` on any of them
// says what it does without doing it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helpEntries, main } from '../../src/cli/main.js';
import { cli, ROOT } from '../support/process.js';

/** Runs the CLI's entry point in this process, with what it writes captured (and the streams restored). */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out.stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(argv), ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

/** The files a user reads to learn the commands: the README, docs/, the examples' and deploy/'s notes. */
function documents(): string[] {
  const under = (dir: string, ext: RegExp) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => ext.test(f))
      .map((f) => path.join(dir, f));
  return ['README.md', ...under('docs', /\.md$/), ...under('examples', /\.md$/), ...under('deploy', /\.(md|ya?ml|sh)$/)];
}

/** Each `fulcrum COMMAND [WORD]` the documents show, with where it is first shown. */
function documentedCommands(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of documents()) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    // `fulcrum` at the start of a word (not `/srv/fulcrum`, `fulcrum/sdk`), then lower-case words.
    for (const m of text.matchAll(/(?:^|[\s`(])(?:bin\/)?fulcrum ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/gm)) {
      const line = text.slice(0, m.index).split('\n').length;
      const shown = [m[1], m[2]].filter(Boolean).join(' ');
      if (!found.has(shown)) found.set(shown, `${file}:${line}`);
    }
  }
  return found;
}

/**
 * The sub-commands an entry of `fulcrum help` names before its options (`keys create|list|revoke --agent …`);
 * none when an argument comes first (`outcomes INITIATIVE record …`).
 */
function subcommands(entry: string): string[] {
  const words = ((entry.split('\n')[0] ?? '').trim().split(/[\s[]-/)[0] ?? '').split(/\s+/).slice(1);
  if (!/[a-z]/.test(words[0] ?? '')) return [];
  return words.flatMap((w) => w.match(/\b[a-z][a-z-]*\b/g) ?? []);
}

describe('the commands of fulcrum', () => {
  const entries = helpEntries();
  const commands = new Set(entries.flatMap((e) => e.commands));

  it('runs every command its help lists (an unknown option is refused by that command, not as an unknown command)', async () => {
    expect(commands.size).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const command of commands) {
      const r = await run(command, '--no-such-option');
      // `audit` alone answers its usage: what counts is that `audit` read the option, not that it is unknown.
      if (r.code !== 2 || !r.stderr.startsWith(`fulcrum ${command}: `))
        wrong.push(`${command}: exit ${r.code}, ${r.stderr.split('\n')[0]}`);
    }
    expect(wrong).toEqual([]);
  });

  it('has every command the README and docs show, and each answers --help with its usage', async () => {
    const documented = documentedCommands();
    expect(documented.size).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const [shown, where] of documented) {
      const [command = '', word] = shown.split(' ');
      const entry = entries
        .filter((e) => e.commands.includes(command))
        .map((e) => e.text)
        .join('');
      if (!entry) {
        wrong.push(`${where}: fulcrum ${shown}: no such command`);
        continue;
      }
      // A second word is a sub-command where the command has them (otherwise it is an argument).
      const subs = entries.filter((e) => e.commands[0] === command).flatMap((e) => subcommands(e.text));
      if (word && subs.length > 0 && !subs.includes(word))
        wrong.push(`${where}: fulcrum ${shown}: ${command} has no sub-command "${word}" (${subs.join(', ')})`);
      const help = await run(...shown.split(' '), '--help');
      if (help.code !== 0 || !help.stdout.includes(entry)) wrong.push(`${where}: fulcrum ${shown} --help: exit ${help.code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('says it does not know a command, even asked for its help', async () => {
    const r = await run('frobnicate', '--help');
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'unknown command "frobnicate"']);
  });

  describe('as a process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-commands-'));
    const dataDir = path.join(dir, 'data');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('answers migrate --help, or an option migrate does not have, without touching a database', async () => {
      const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dataDir };
      const help = await cli(env, 'migrate', '--help');
      expect([help.code, help.stdout]).toEqual([
        0,
        expect.stringMatching(/^ {2}migrate +bring the database schema up to date$/m),
      ]);
      const dry = await cli(env, 'migrate', '--dry-run');
      expect([dry.code, dry.stderr]).toEqual([2, "fulcrum migrate: Unknown option '--dry-run'\n"]);
      // Before: both migrated FULCRUM_DATA_DIR's database (creating it), the second under the name of a dry run.
      expect(fs.existsSync(dataDir)).toBe(false);
    });
  });
});
