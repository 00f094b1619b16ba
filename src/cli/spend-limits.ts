// `fulcrum spend-limits [list] [--json]` and `fulcrum spend-limits status NAME [--json]`: the LLM
// gateway's spend limits in their current period (spent, held by calls in flight, left), and one
// limit's burn-down by hour. Reads GET /v1/spend-limit-status and /v1/spend-limits/<name>/status.
import { parseArgs } from 'node:util';
import { formatMoney } from '../money.js';
import { CliError, connect, ok } from './client.js';
import { jsonOut } from './terminal.js';

const USAGE = 'usage: fulcrum spend-limits [list] [--json] | fulcrum spend-limits status NAME [--json]';

const usd = (v: number) => formatMoney(v, 'USD', { exact: true });
const scopeOf = (s: Record<string, string>) =>
  Object.entries(s)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export async function spendLimits(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, url: { type: 'string' } },
  });
  const [sub = 'list', name, ...extra] = positionals;
  const api = connect({ url: values.url });
  const status = (name: string) => ok(api.GET('/v1/spend-limits/{name}/status', { params: { path: { name } } }));
  if (sub === 'status') {
    if (!name || extra.length > 0) throw new CliError(`status takes one SpendLimit name; ${USAGE}`, 2);
    const s = await status(name);
    if (values.json) {
      process.stdout.write(jsonOut(s));
      return 0;
    }
    const lines = [
      `${s.name}: ${scopeOf(s.scope)}, ${usd(s.limitUsd)} per ${s.period} (${s.enforce})`,
      `  period     ${s.periodStart} … ${s.periodEnd}`,
      `  spent      ${usd(s.spentUsd)} (${s.calls} calls admitted)`,
      `  in flight  ${usd(s.reservedUsd)} (worst case, held until the calls settle)`,
      `  left       ${usd(s.remainingUsd)}`,
      ...(s.alertedAt ? [`  passed at  ${s.alertedAt}`] : []),
      ...(s.burnDown.length > 0
        ? [
            '  burn-down (settled, end of each hour with spend):',
            ...s.burnDown.map((b) => `    ${b.hour}  spent ${usd(b.spentUsd)}  left ${usd(b.remainingUsd)}`),
          ]
        : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  if (sub !== 'list' || name) throw new CliError(`unknown spend-limits command "${sub}"; ${USAGE}`, 2);
  // Every limit with its status, a page (100) a request: not one request per limit.
  const all = [];
  let after: string | undefined;
  do {
    const page = await ok(api.GET('/v1/spend-limit-status', { params: { query: after === undefined ? {} : { after } } }));
    all.push(...page.items);
    after = page.nextCursor;
  } while (after !== undefined);
  if (values.json) {
    process.stdout.write(jsonOut(all));
    return 0;
  }
  if (all.length === 0) {
    process.stdout.write('no SpendLimit in the registry (kind: SpendLimit, docs/llm-gateway.md)\n');
    return 0;
  }
  for (const s of all) {
    const used = s.limitUsd > 0 ? Math.round(((s.spentUsd + s.reservedUsd) / s.limitUsd) * 100) : 100;
    process.stdout.write(
      `${s.name.padEnd(24)} ${scopeOf(s.scope).padEnd(34)} ${s.period.padEnd(5)} ${usd(s.spentUsd)} spent + ${usd(s.reservedUsd)} in flight of ${usd(s.limitUsd)} (${used}%)${s.enforce === 'block' ? '' : ` [${s.enforce}]`}\n`,
    );
  }
  return 0;
}
