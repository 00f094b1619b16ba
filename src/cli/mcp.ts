// `fulcrum mcp discover SERVER [--all] [--write DIR]`: the upstream's tools the registry does not
// have yet, listed, and written as Tool descriptors to review and apply. The server does the
// connecting (it is where upstreams are reachable from); this command only reads the answer.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { CliError, connect, ok } from './client.js';
import { makeOutputDir, writeOutputFile } from './files.js';
import { jsonOut } from './terminal.js';

const USAGE = 'usage: fulcrum mcp discover SERVER [--all] [--write DIR] [--json]';

export async function mcp(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      write: { type: 'string' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  const [sub, server, ...extra] = positionals;
  if (sub !== 'discover') throw new CliError(sub ? `unknown mcp command "${sub}"; ${USAGE}` : USAGE, 2);
  if (!server || extra.length > 0) throw new CliError(`discover takes one McpServer name; ${USAGE}`, 2);
  const found = await ok(
    connect({ url: values.url }).GET('/v1/mcp-servers/{name}/tools', { params: { path: { name: server } } }),
  );
  const shown = values.all ? found.tools : found.tools.filter((t) => !t.registered);
  if (values.json) {
    process.stdout.write(jsonOut({ ...found, tools: shown }));
  } else {
    const missing = found.tools.filter((t) => !t.registered).length;
    process.stdout.write(`${found.server}: ${found.tools.length} upstream tool(s), ${missing} not in the registry\n`);
    for (const t of shown) {
      const d = t.descriptor.spec;
      const mark = t.registered ? 'registered' : 'new';
      const shownAs = t.mcpName === t.name ? '' : ` (agents see ${t.mcpName})`;
      process.stdout.write(`  ${t.name}${shownAs}  [${mark}, effect ${d.effect}?]  ${(d.description ?? '').split('\n')[0]}\n`);
    }
  }
  if (values.write) {
    const fresh = found.tools.filter((t) => !t.registered).map((t) => t.descriptor);
    if (fresh.length === 0) {
      process.stderr.write('nothing to write: every upstream tool is in the registry\n');
      return 0;
    }
    makeOutputDir(values.write);
    // Named from the name given, not the server's answer: an answer must not choose where a file goes.
    const file = path.join(values.write, `${path.basename(server)}-tools.yaml`);
    const header =
      `# Tools of McpServer ${found.server}, written by \`fulcrum mcp discover\`.\n` +
      '# `effect` is a guess from the MCP annotations and `dataDomains` is empty: review both, then `fulcrum apply`.\n';
    await writeOutputFile(file, header + fresh.map((d) => stringify(d)).join('---\n'));
    process.stderr.write(`wrote ${fresh.length} Tool descriptor(s) to ${file}\n`);
  }
  return 0;
}
