// `fulcrum export -o DIR`: the registry written back as descriptor files.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connect, ok } from './client.js';
import { writeOutputFile } from './files.js';
import { documentOut } from './terminal.js';

export async function exportRegistry(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' }, url: { type: 'string' } } });
  const { files } = await ok(connect({ url: values.url }).GET('/v1/export', { params: { query: { format: 'json' } } }));
  if (!values.output) {
    // Into a file or a pipe as they are, to apply again; on a terminal made safe to show (src/cli/terminal.ts).
    process.stdout.write(documentOut(files.map((f) => `# ${f.path}\n${f.content}`).join('---\n')));
    return 0;
  }
  fs.mkdirSync(values.output, { recursive: true });
  for (const f of files) {
    const target = path.join(values.output, path.basename(f.path));
    await writeOutputFile(target, f.content);
    process.stdout.write(`wrote ${target}\n`);
  }
  return 0;
}
