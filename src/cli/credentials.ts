// `fulcrum keys …` (agent keys) and `fulcrum tokens …` (person API tokens).
import { parseArgs } from 'node:util';
import type { CredentialInfo } from '../auth/credential-store.js';
import { CliError, createClient } from './client.js';

type Target = { flag: 'agent' | 'person'; base: (name: string) => string; secret: 'key' | 'token' };
const TARGETS: Record<'keys' | 'tokens', Target> = {
  keys: { flag: 'agent', base: (n) => `/v1/agents/${encodeURIComponent(n)}/keys`, secret: 'key' },
  tokens: { flag: 'person', base: (n) => `/v1/people/${encodeURIComponent(n)}/tokens`, secret: 'token' },
};

export async function credentials(command: 'keys' | 'tokens', argv: string[]): Promise<number> {
  const t = TARGETS[command];
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { [t.flag]: { type: 'string' }, description: { type: 'string' }, url: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const name = values[t.flag] as string | undefined;
  const usage = `usage: fulcrum ${command} create|list|revoke --${t.flag} NAME [ID] [--description TEXT]`;
  if (!name || !sub) throw new CliError(usage, 2);
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
