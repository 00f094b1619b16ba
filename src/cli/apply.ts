// `fulcrum apply -f PATH`: validate a set of descriptors and apply it in one transaction, or nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { paths } from '../client/index.js';
import { formatProblem, type Problem } from '../errors.js';
import { CliError, connect, ok } from './client.js';
import { MAX_INPUT_BYTES, readInputFile } from './files.js';

type Apply = paths['/v1/apply']['post'];
type SourceFile = Exclude<Apply['requestBody']['content']['application/json'], string>['files'][number];
type ApplyResult = Apply['responses'][200]['content']['application/json'];

export async function apply(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string', short: 'f', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      prune: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  if (!values.file?.length) throw new CliError('usage: fulcrum apply -f FILE|DIR [-f ...] [--dry-run] [--prune]', 2);
  const budget = { files: MAX_APPLY_FILES, bytes: MAX_INPUT_BYTES };
  const files = values.file.flatMap((target) => collect(target, budget));
  if (files.length === 0) throw new CliError(`no .yaml or .yml files under ${values.file.join(', ')}`, 2);
  try {
    const result = await ok(
      connect({ url: values.url }).POST('/v1/apply', {
        params: { query: { dryRun: values['dry-run'], prune: values.prune } },
        body: { files },
      }),
    );
    printResult(result);
    return 0;
  } catch (err) {
    if (err instanceof CliError && Array.isArray(err.details)) {
      // Problems only: another body's details (null, a number) failed the command with a TypeError.
      for (const p of err.details as unknown[])
        if (typeof (p as Problem | null)?.message === 'string') process.stderr.write(`${formatProblem(p as Problem)}\n`);
      process.stderr.write(`apply failed: ${err.details.length} problem(s); nothing was applied\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * The most descriptor files one apply reads: `apply -f ~` (or any folder holding far more than
 * descriptors) walked and read the whole tree before anything was sent, for minutes and as much
 * memory as it held. The bytes are bounded as well, by the server's apply body limit (16 MiB).
 */
export const MAX_APPLY_FILES = 10_000;

interface Budget {
  files: number;
  bytes: number;
}

/**
 * A file, or every .yaml/.yml file under a folder (recursively, in a stable order), within what is
 * left of `budget` (shared by every -f): past it, a usage error naming the limit and the path, before
 * any file under the folder is read.
 */
function collect(target: string, budget: Budget): SourceFile[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    throw new CliError(`cannot read ${target}: ${(err as Error).message.replace(/, stat .*$/, '')}`, 2);
  }
  if (!stat.isDirectory()) {
    spend(budget, target, stat.isFile() ? stat.size : 0);
    return [{ path: target, content: readCounted(target, stat.isFile() ? stat.size : 0, budget) }];
  }
  const names = yamlNamesUnder(target, Buffer.alloc(0), { left: budget.files, limit: target });
  const listed = names
    .map((rel) => ({ rel, shown: path.join(target, rel.toString()) }))
    .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : Buffer.compare(a.rel, b.rel)))
    .flatMap(({ rel, shown }) => {
      // As bytes: a name that is not UTF-8 (a file from an older system, an archive unpacked as
      // Latin-1) decoded to text names another file, with U+FFFD for the byte, that does not exist.
      const file = Buffer.concat([Buffer.from(path.join(target, path.sep)), rel]);
      let entry: fs.Stats;
      try {
        entry = fs.statSync(file);
      } catch (err) {
        // A link leading nowhere or round in a loop: the set would be applied without it.
        throw new CliError(`cannot read ${shown}: ${(err as Error).message.replace(/, stat .*$/, '')}`, 2);
      }
      if (!entry.isFile()) return [];
      // Counted from the sizes before any is read, so a set over the limit fails before its bytes are held.
      spend(budget, shown, entry.size);
      return [{ file, shown, size: entry.size }];
    });
  return listed.map(({ file, shown, size }) => ({ path: shown, content: readCounted(file, size, budget) }));
}

/**
 * The text of a descriptor file counted at `size` bytes: what it holds beyond that (it grew since it
 * was counted) comes out of what is left of `budget`, and is bounded by it.
 */
function readCounted(file: string | Buffer, size: number, budget: Budget): string {
  const content = readInputFile(file, 'a descriptor file', size + Math.max(0, budget.bytes));
  budget.bytes -= Buffer.byteLength(content) - size;
  return content;
}

/** Takes one file of `size` bytes at `shown` from `budget`, or fails naming the limit it would cross. */
function spend(budget: Budget, shown: string, size: number): void {
  // One file over the limit alone is that file's fault, said as any input file over it is.
  if (size > MAX_INPUT_BYTES)
    throw new CliError(`${shown}: ${size} bytes, over the ${MAX_INPUT_BYTES} a descriptor file may hold`, 2);
  budget.files -= 1;
  budget.bytes -= size;
  if (budget.files < 0)
    throw new CliError(
      `${shown}: over the ${MAX_APPLY_FILES} descriptor files one apply reads; give the folders that hold the descriptors, or apply them in parts`,
      2,
    );
  if (budget.bytes < 0)
    throw new CliError(
      `${shown}: the descriptors read up to it are over the ${MAX_INPUT_BYTES} bytes one apply sends; give the folders that hold the descriptors, or apply them in parts`,
      2,
    );
}

/**
 * The names (as bytes, relative to `dir`) of the .yaml/.yml entries under `dir`, going into folders but
 * not into links to folders (as readdir's own `recursive` does, which on Node 20 cannot give bytes);
 * at most `count.left` of them, or a usage error naming the folder.
 */
function yamlNamesUnder(dir: string, under: Buffer, count: { left: number; limit: string }): Buffer[] {
  const here = under.length ? Buffer.concat([Buffer.from(path.join(dir, path.sep)), under]) : dir;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(here, { withFileTypes: true, encoding: 'buffer' }) as unknown as fs.Dirent[];
  } catch (err) {
    throw new CliError(
      `cannot read ${path.join(dir, under.toString())}: ${(err as Error).message.replace(/, scandir .*$/, '')}`,
      2,
    );
  }
  return entries.flatMap((e) => {
    const name = e.name as unknown as Buffer;
    const rel = under.length ? Buffer.concat([under, Buffer.from(path.sep), name]) : name;
    if (e.isDirectory()) return yamlNamesUnder(dir, rel, count);
    if (!/\.ya?ml$/i.test(name.toString('latin1'))) return [];
    // Stopped here, not after the whole tree: a home folder's would take minutes to walk.
    if (--count.left < 0)
      throw new CliError(
        `${count.limit}: over the ${MAX_APPLY_FILES} descriptor files one apply reads (at ${path.join(dir, rel.toString())}); give the folders that hold the descriptors, or apply them in parts`,
        2,
      );
    return [rel];
  });
}

function printResult(r: ApplyResult): void {
  const out = process.stdout;
  // Applied all the same (exit 0), but on stderr where a person sees it past a pipe. A server
  // older than the field sends none.
  for (const w of r.warnings ?? []) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  for (const [label, keys] of [
    ['created', r.created],
    ['updated', r.updated],
    ['deleted', r.deleted],
  ] as const)
    for (const k of keys) out.write(`${label.padEnd(8)} ${k}\n`);
  const changed = r.created.length + r.updated.length + r.deleted.length;
  const counts = `${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} deleted`;
  if (changed === 0) out.write(`no changes (${r.unchanged.length} unchanged)${r.dryRun ? ' [dry run]' : ''}\n`);
  else out.write(`${r.dryRun ? 'dry run, would apply' : 'applied'}: ${counts}${r.dryRun ? '' : ` (revision ${r.revision})`}\n`);
}
