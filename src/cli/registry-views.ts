// What only the console and curl could show: the registry's change log (`fulcrum changes`), the
// identities acting without a registration (`fulcrum shadow-agents`), the policies in force (`fulcrum
// policies`) and what a call would be answered (`fulcrum simulate`).
import { parseArgs } from 'node:util';
import { CliError, connect, ok } from './client.js';
import { jsonOut } from './terminal.js';

const USAGE = {
  changes: 'usage: fulcrum changes [--limit N] [--json]',
  'shadow-agents': 'usage: fulcrum shadow-agents [--limit N] [--after CURSOR] [--json]',
  policies: 'usage: fulcrum policies [--cedar] [--json]',
  simulate: 'usage: fulcrum simulate --agent NAME (--tool TOOL [--arguments JSON] | --model MODEL) [--data-domains A,B] [--json]',
};
export type ViewCommand = keyof typeof USAGE;

export async function registryView(command: ViewCommand, argv: string[]): Promise<number> {
  // An option it does not have is main's to answer (exit 2), as for every command.
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      after: { type: 'string' },
      cedar: { type: 'boolean' },
      agent: { type: 'string' },
      tool: { type: 'string' },
      model: { type: 'string' },
      arguments: { type: 'string' },
      'data-domains': { type: 'string' },
      json: { type: 'boolean' },
      url: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new CliError(USAGE[command], 2);
  const limit = (max: number) => {
    if (values.limit === undefined) return undefined;
    const n = Number(values.limit);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`--limit must be a whole number from 1 to ${max}`, 2);
    return n;
  };
  const out = (data: unknown, table: () => string) => process.stdout.write(values.json ? jsonOut(data) : table());
  const api = connect({ url: values.url });

  switch (command) {
    case 'changes': {
      const { items } = await ok(api.GET('/v1/registry/changes', { params: { query: { limit: limit(1000) ?? 50 } } }));
      out(items, () =>
        items.length === 0
          ? 'no registry change yet\n'
          : items.map((c) => `${c.at}\trevision ${c.revision}\t${c.action}\t${c.kind}/${c.name}\tby ${c.actor}\n`).join(''),
      );
      return 0;
    }
    case 'shadow-agents': {
      const query = { limit: limit(1000) ?? 100, ...(values.after ? { after: values.after } : {}) };
      const page = await ok(api.GET('/v1/shadow-agents', { params: { query } }));
      out(
        page,
        () =>
          (page.items.length === 0 ? 'no identity seen acting without a registration\n' : '') +
          page.items
            .map((s) => `${s.identity}\t${s.source}\t${s.count} time(s)\tfirst ${s.firstSeen}\tlast ${s.lastSeen}\t${s.detail}\n`)
            .join('') +
          (page.nextCursor ? `more: fulcrum shadow-agents --after ${page.nextCursor}\n` : ''),
      );
      return 0;
    }
    case 'policies': {
      const set = await ok(api.GET('/v1/policies/effective'));
      out(set, () =>
        values.cedar
          ? set.policies.map((p) => `// ${p.id} (${p.source}, ${p.mode})\n${p.text.trimEnd()}\n\n`).join('')
          : `registry revision ${set.revision}: ${set.policies.length} policies in force\n` +
            set.policies
              .map(
                (p) =>
                  `${p.id}\t${p.effect}${p.approval !== undefined ? ' (approval)' : ''}\t${p.mode}\t${p.source}${p.description ? `\t${p.description}` : ''}\n`,
              )
              .join(''),
      );
      return 0;
    }
    case 'simulate': {
      if (!values.agent || !!values.tool === !!values.model || (values.model && values.arguments !== undefined))
        throw new CliError(USAGE.simulate, 2);
      let args: Record<string, unknown> | undefined;
      if (values.arguments !== undefined) {
        try {
          args = JSON.parse(values.arguments);
        } catch (err) {
          throw new CliError(`--arguments is not JSON: ${(err as Error).message}`, 2);
        }
        if (typeof args !== 'object' || args === null || Array.isArray(args))
          throw new CliError('--arguments must be a JSON object (the tool call\'s arguments, e.g. {"amount": 900})', 2);
      }
      const dataDomains = values['data-domains']
        ?.split(',')
        .map((d) => d.trim())
        .filter(Boolean);
      const request = values.tool
        ? { action: 'tool.call' as const, tool: values.tool, ...(args ? { arguments: args } : {}) }
        : { action: 'model.call' as const, model: values.model as string };
      const r = await ok(
        api.POST('/v1/decisions/simulate', {
          body: { agent: values.agent, request: { ...request, ...(dataDomains?.length ? { dataDomains } : {}) } },
        }),
      );
      const line = (x: { policy: string; effect: string; message?: string }) =>
        `  ${x.policy} (${x.effect})${x.message ? `: ${x.message}` : ''}\n`;
      out(
        r,
        () =>
          `${r.decision} (registry revision ${r.policyVersion}; nothing recorded)\n` +
          r.reasons.map(line).join('') +
          (r.monitor.length ? `monitor-mode policies that would have changed it:\n${r.monitor.map(line).join('')}` : ''),
      );
      return 0;
    }
  }
}
