// `fulcrum apply -f PATH`: validate a set of descriptors and apply it in one transaction, or nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { paths } from '../client/index.js';
import { formatProblem, type Problem } from '../errors.js';
import { CliError, connect, ok } from './client.js';
import { readInputFile } from './files.js';

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
  const files = values.file.flatMap(collect);
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

/** A file, or every .yaml/.yml file under a folder (recursively, in a stable order). */
function collect(target: string): SourceFile[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    throw new CliError(`cannot read ${target}: ${(err as Error).message.replace(/, stat .*$/, '')}`, 2);
  }
  if (!stat.isDirectory()) return [{ path: target, content: readInputFile(target, 'a descriptor file') }];
  return yamlNamesUnder(target)
    .map((rel) => ({ rel, shown: path.join(target, rel.toString()) }))
    .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : Buffer.compare(a.rel, b.rel)))
    .flatMap(({ rel, shown }) => {
      // As bytes: a name that is not UTF-8 (a file from an older system, an archive unpacked as
      // Latin-1) decoded to text names another file, with U+FFFD for the byte, that does not exist.
      const file = Buffer.concat([Buffer.from(path.join(target, path.sep)), rel]);
      let isFile: boolean;
      try {
        isFile = fs.statSync(file).isFile();
      } catch (err) {
        // A link leading nowhere or round in a loop: the set would be applied without it.
        throw new CliError(`cannot read ${shown}: ${(err as Error).message.replace(/, stat .*$/, '')}`, 2);
      }
      return isFile ? [{ path: shown, content: readInputFile(file, 'a descriptor file') }] : [];
    });
}

/**
 * The names (as bytes, relative to `dir`) of the .yaml/.yml entries under `dir`, going into folders but
 * not into links to folders (as readdir's own `recursive` does, which on Node 20 cannot give bytes).
 */
function yamlNamesUnder(dir: string, under: Buffer = Buffer.alloc(0)): Buffer[] {
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
    if (e.isDirectory()) return yamlNamesUnder(dir, rel);
    return /\.ya?ml$/i.test(name.toString('latin1')) ? [rel] : [];
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
