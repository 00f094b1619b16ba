// `fulcrum sessions`: a person's sign-in sessions (the console's and `fulcrum login`'s), listed and ended
// (docs/auth.md, "Sessions: seeing and ending them"). Without --person, the caller's own.
import { parseArgs } from 'node:util';
import { type Api, CliError, connect, ok } from './client.js';

const USAGE = 'usage: fulcrum sessions [list] [--person NAME] [--json] | fulcrum sessions end ID | --all [--person NAME]';

export async function sessions(argv: string[]): Promise<number> {
  // An option it does not have is main's to answer (exit 2), as for every command.
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      person: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      url: { type: 'string' },
    },
  });
  const [sub = 'list', id, ...extra] = positionals;
  if (
    extra.length ||
    (sub === 'list' && (id || values.all)) ||
    (sub === 'end' && !!id === !!values.all) ||
    !['list', 'end'].includes(sub)
  )
    throw new CliError(USAGE, 2);
  const api = connect({ url: values.url });
  const name = values.person ?? (await self(api));
  if (sub === 'list') {
    const { items, more } = await ok(api.GET('/v1/people/{name}/sessions', { params: { path: { name } } }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ items, more }, null, 2)}\n`);
      return 0;
    }
    if (items.length === 0) process.stderr.write(`Person "${name}" has no live session\n`);
    for (const s of items)
      process.stdout.write(`${s.id}\t${s.kind}${s.current ? '\tcurrent' : ''}\tstarted ${s.createdAt}\tuntil ${s.expiresAt}\n`);
    if (more) process.stderr.write('more sessions than the 1,000 listed: end them all with `fulcrum sessions end --all`\n');
    return 0;
  }
  if (id) {
    await ok(api.DELETE('/v1/people/{name}/sessions/{id}', { params: { path: { name, id } } }));
    process.stdout.write(`ended ${id}\n`);
    return 0;
  }
  const { ended } = await ok(api.DELETE('/v1/people/{name}/sessions', { params: { path: { name } } }));
  process.stdout.write(
    ended.length === 0
      ? `Person "${name}" had no other live session\n`
      : `ended ${ended.length} session(s) of Person "${name}": ${ended.join(' ')}\n`,
  );
  return 0;
}

/** The caller's own name, when the caller is a person (an API token or a session of theirs). */
async function self(api: Api): Promise<string> {
  const me = await ok(api.GET('/v1/whoami'));
  if (me.type !== 'person')
    throw new CliError(`this credential is the ${me.type}'s, not a person's: name whose sessions with --person NAME`, 2);
  return me.id;
}
