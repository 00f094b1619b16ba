// `fulcrum export -o DIR`: the registry written back as descriptor files.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KIND_INFO, KINDS } from '../registry/kinds.js';
import { CliError, connect, ok, serverUrl } from './client.js';
import { makeOutputDir, writeOutputFiles } from './files.js';
import { documentOut } from './terminal.js';

// The names an export's files have (one `<kinds>.yaml` per kind). What answers at the server's address
// (a wrong URL, a man in the middle on plain http) chose any name in the folder otherwise: a
// package.json with an install script, a Makefile, a .bashrc when exporting into a home folder.
const EXPORT_FILES: ReadonlySet<string> = new Set(KINDS.map((kind) => `${KIND_INFO[kind].plural}.yaml`));

export async function exportRegistry(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' }, url: { type: 'string' } } });
  const { files } = await ok(connect({ url: values.url }).GET('/v1/export', { params: { query: { format: 'json' } } }));
  if (!values.output) {
    // Into a file or a pipe as they are, to apply again; on a terminal made safe to show (src/cli/terminal.ts).
    process.stdout.write(documentOut(files.map((f) => `# ${f.path}\n${f.content}`).join('---\n')));
    return 0;
  }
  // Every name is checked before any file is written: an answer refused leaves the folder as it was.
  const named = new Set<string>();
  for (const f of files) {
    if (!EXPORT_FILES.has(f.path) || named.has(f.path))
      throw new CliError(
        `Fulcrum at ${serverUrl(values.url)} named an export file ${JSON.stringify(f.path)}${named.has(f.path) ? ' twice' : ''}, ` +
          'which is not one descriptor file per kind (<kinds>.yaml, e.g. agents.yaml): nothing was written',
      );
    named.add(f.path);
  }
  makeOutputDir(values.output);
  // All or none: a disk that fills midway must not leave some kinds of this export beside another
  // export's (or none) of the rest, which `fulcrum apply -f DIR --prune` would take for the registry.
  const targets = files.map((f) => ({ file: path.join(values.output as string, f.path), content: f.content }));
  writeOutputFiles(targets);
  for (const { file } of targets) process.stdout.write(`wrote ${file}\n`);
  return 0;
}
