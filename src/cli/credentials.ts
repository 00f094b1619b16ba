// `fulcrum keys …` (agent and telemetry-collector keys) and `fulcrum tokens …` (person API tokens).
import { parseArgs } from 'node:util';
import type { CredentialInfo } from '../auth/credential-store.js';
import { CliError, createClient } from './client.js';

type Flag = 'agent' | 'collector' | 'person';
type Target = { flag: Flag; base: (name: string) => string; secret: 'key' | 'token' };
const TARGETS: Record<Flag, Target> = {
  agent: { flag: 'agent', base: (n) => `/v1/agents/${encodeURIComponent(n)}/keys`, secret: 'key' },
  collector: { flag: 'collector', base: (n) => `/v1/telemetry-collectors/${encodeURIComponent(n)}/keys`, secret: 'key' },
  person: { flag: 'person', base: (n) => `/v1/people/${encodeURIComponent(n)}/tokens`, secret: 'token' },
};
const FLAGS: Record<'keys' | 'tokens', Flag[]> = { keys: ['agent', 'collector'], tokens: ['person'] };

export async function credentials(command: 'keys' | 'tokens', argv: string[]): Promise<number> {
  const flags = FLAGS[command];
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])),
      description: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const named = values as Partial<Record<Flag, string>>;
  const [sub, id] = positionals;
  const given = flags.filter((f) => named[f] !== undefined);
  const usage = `usage: fulcrum ${command} create|list|revoke ${flags.map((f) => `--${f} NAME`).join(' | ')} [ID] [--description TEXT]`;
  if (given.length !== 1 || !sub) throw new CliError(usage, 2);
  const t = TARGETS[given[0] as Flag];
  const name = named[t.flag] as string;
  const client = createClient({ url: values.url as string | undefined });
  switch (sub) {
    case 'create': {
      const body = values.description ? { description: values.description } : {};
      const r = await client.request<Record<string, string>>('POST', t.base(name), body);
      process.stderr.write(`${t.secret} ${r.id} for ${t.flag} "${name}" (shown once, store it now):\n`);
      process.stdout.write(`${r[t.secret]}\n`);
      return 0;
    }
    case 'list': {
      const { items } = await client.request<{ items: CredentialInfo[] }>('GET', t.base(name));
      for (const k of items)
        process.stdout.write(
          `${k.id}\t${k.prefix}…\tcreated ${k.createdAt} by ${k.createdBy}${k.revokedAt ? `\trevoked ${k.revokedAt}` : ''}\n`,
        );
      return 0;
    }
    case 'revoke':
      if (!id) throw new CliError(usage, 2);
      await client.request('DELETE', `${t.base(name)}/${encodeURIComponent(id)}`);
      process.stdout.write(`revoked ${id}\n`);
      return 0;
    default:
      throw new CliError(usage, 2);
  }
}
