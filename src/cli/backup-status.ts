// `fulcrum backup status`: the node's last good backup, asked of the server (GET /v1/backup), so that the
// one who runs it need not be on the node's machine nor read its data directory.
import { parseArgs } from 'node:util';
import { CliError, connect, ok } from './client.js';
import { jsonOut } from './terminal.js';

const USAGE = 'usage: fulcrum backup status [--json] [--url URL]';

/** Exit 1 where a backup is due and there is none to show: a script or a cron job's check can act on it. */
const WANTING = new Set(['none', 'unreadable']);

export async function backupStatus(argv: string[]): Promise<number> {
  let values: { json?: boolean; url?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, url: { type: 'string' } } }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const status = await ok(connect({ url: values.url }).GET('/v1/backup'));
  const last = status.lastBackup;
  if (values.json) process.stdout.write(jsonOut(status));
  else if (last)
    process.stdout.write(
      `last backup ${last.at} (${age(last.ageSeconds)} ago): ${last.file}, ${last.bytes} bytes` +
        `${last.seconds !== undefined ? `, ${last.seconds.toFixed(1)} s` : ''}\n` +
        `checked: ${last.checked ?? 'clean (what was checked was not recorded: a backup taken before session 40)'}\n`,
    );
  // Any other state, one this CLI knows or one a newer server added, is shown as the server words it.
  else
    process.stdout.write(
      `no backup to show (${status.engine}, ${status.state}): ${status.note ?? 'the server gave no reason'}\n`,
    );
  return WANTING.has(status.state) ? 1 : 0;
}

/** 3 d 4 h, 2 h 5 min, 40 s: the largest unit and the next (when not 0), enough to judge a backup's age by. */
export function age(seconds: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const first = units.findIndex(([, size]) => seconds >= size);
  if (first < 0) return '0 s';
  const [unit, size] = units[first] as [string, number];
  const next = units[first + 1];
  const rest = next ? Math.floor((seconds % size) / next[1]) : 0;
  return `${Math.floor(seconds / size)} ${unit}${next && rest > 0 ? ` ${rest} ${next[0]}` : ''}`;
}
