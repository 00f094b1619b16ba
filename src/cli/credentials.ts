// `fulcrum keys …` (agent and telemetry-collector keys) and `fulcrum tokens …` (person API tokens).
import { parseArgs } from 'node:util';
import { type Api, CliError, connect, ok } from './client.js';

type Flag = 'agent' | 'collector' | 'person';

/** The three kinds of credential, each its typed operations; `secret` names the field that carries it. */
const TARGETS = {
  agent: {
    secret: 'key',
    create: (api: Api, name: string, body: { description?: string }) =>
      ok(api.POST('/v1/agents/{name}/keys', { params: { path: { name } }, body })).then((r) => ({ id: r.id, secret: r.key })),
    list: (api: Api, name: string) => ok(api.GET('/v1/agents/{name}/keys', { params: { path: { name } } })),
    revoke: (api: Api, name: string, id: string) =>
      ok(api.DELETE('/v1/agents/{name}/keys/{id}', { params: { path: { name, id } } })),
  },
  collector: {
    secret: 'key',
    create: (api: Api, name: string, body: { description?: string }) =>
      ok(api.POST('/v1/telemetry-collectors/{name}/keys', { params: { path: { name } }, body })).then((r) => ({
        id: r.id,
        secret: r.key,
      })),
    list: (api: Api, name: string) => ok(api.GET('/v1/telemetry-collectors/{name}/keys', { params: { path: { name } } })),
    revoke: (api: Api, name: string, id: string) =>
      ok(api.DELETE('/v1/telemetry-collectors/{name}/keys/{id}', { params: { path: { name, id } } })),
  },
  person: {
    secret: 'token',
    create: (api: Api, name: string, body: { description?: string }) =>
      ok(api.POST('/v1/people/{name}/tokens', { params: { path: { name } }, body })).then((r) => ({
        id: r.id,
        secret: r.token,
      })),
    list: (api: Api, name: string) => ok(api.GET('/v1/people/{name}/tokens', { params: { path: { name } } })),
    revoke: (api: Api, name: string, id: string) =>
      ok(api.DELETE('/v1/people/{name}/tokens/{id}', { params: { path: { name, id } } })),
  },
} as const;
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
  const flag = given[0] as Flag;
  const t = TARGETS[flag];
  const name = named[flag] as string;
  const api = connect({ url: values.url as string | undefined });
  switch (sub) {
    case 'create': {
      const body = values.description ? { description: values.description } : {};
      const r = await t.create(api, name, body);
      // What a script keeps as the secret: an answer without one is a failure, never "undefined" (exit 0).
      if (typeof r.secret !== 'string' || r.secret === '') throw new TypeError(`the answer holds no ${t.secret}`);
      process.stderr.write(`${t.secret} ${r.id} for ${flag} "${name}" (shown once, store it now):\n`);
      process.stdout.write(`${r.secret}\n`);
      return 0;
    }
    case 'list': {
      const { items } = await t.list(api, name);
      for (const k of items)
        process.stdout.write(
          `${k.id}\t${k.prefix}…\tcreated ${k.createdAt} by ${k.createdBy}${k.revokedAt ? `\trevoked ${k.revokedAt}${k.revokedBy ? ` by ${k.revokedBy}` : ''}` : ''}\n`,
        );
      return 0;
    }
    case 'revoke':
      if (!id) throw new CliError(usage, 2);
      await t.revoke(api, name, id);
      process.stdout.write(`revoked ${id}\n`);
      return 0;
    default:
      throw new CliError(usage, 2);
  }
}
