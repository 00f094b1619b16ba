// Day-to-day commands over the API: approvals, the kill switch, the audit log, costs and outcomes.
import { parseArgs } from 'node:util';
import { CliError, createClient } from './client.js';

type Row = Record<string, unknown>;

const USAGE = {
  approvals: 'usage: fulcrum approvals list [--status pending] | approve ID [--comment TEXT] | deny ID [--comment TEXT]',
  agents: 'usage: fulcrum agents suspend|resume NAME --reason TEXT',
  costs: 'usage: fulcrum costs [--group-by agent|initiative|model|business-unit] [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
  outcomes: 'usage: fulcrum outcomes INITIATIVE',
  roi: 'usage: fulcrum roi INITIATIVE',
  decisions: 'usage: fulcrum decisions [--agent NAME] [--decision allow|deny|approval_required] [--limit N]',
  evidence: 'usage: fulcrum evidence export --initiative NAME -o FILE.tar.gz',
};

export async function ops(command: keyof typeof USAGE, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      comment: { type: 'string' },
      reason: { type: 'string' },
      'group-by': { type: 'string', default: 'agent' },
      from: { type: 'string' },
      to: { type: 'string' },
      agent: { type: 'string' },
      decision: { type: 'string' },
      limit: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      initiative: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  const client = createClient({ url: values.url });
  const [sub, target] = positionals;
  const out = (data: unknown, table: () => string) =>
    process.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : table());
  const q = (o: Record<string, string | undefined>) =>
    new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined)).toString();

  switch (command) {
    case 'approvals': {
      if (sub === 'list' || sub === undefined) {
        const { items } = await client.request<{ items: Row[] }>(
          'GET',
          `/v1/approvals?${q({ status: values.status ?? 'pending' })}`,
        );
        out(items, () =>
          items.length === 0
            ? 'no approvals\n'
            : items
                .map(
                  (a) => `${a.id}\t${a.status}\t${a.agent}\t${a.tool}\t${JSON.stringify(a.arguments)}\texpires ${a.expiresAt}\n`,
                )
                .join(''),
        );
        return 0;
      }
      if ((sub === 'approve' || sub === 'deny') && target) {
        const a = await client.request<Row>(
          'POST',
          `/v1/approvals/${encodeURIComponent(target)}/${sub}`,
          values.comment ? { comment: values.comment } : {},
        );
        out(a, () => `${a.id}: ${a.status} by ${a.decidedBy}\n`);
        return 0;
      }
      break;
    }
    case 'agents': {
      if ((sub === 'suspend' || sub === 'resume') && target) {
        if (!values.reason) throw new CliError(`${USAGE.agents} (a reason is required)`, 2);
        const r = await client.request<Row>('POST', `/v1/agents/${encodeURIComponent(target)}/${sub}`, { reason: values.reason });
        out(r, () => `${r.agent}: ${r.status} (${r.reason})\n`);
        return 0;
      }
      break;
    }
    case 'costs': {
      const r = await client.request<{ from: string; to: string; rows: Row[] }>(
        'GET',
        `/v1/costs?${q({ groupBy: values['group-by'], from: values.from, to: values.to })}`,
      );
      out(r, () =>
        [
          `${r.from} … ${r.to}`,
          ...r.rows.map((x) => `${String(x.key).padEnd(32)} $${Number(x.costUsd).toFixed(2).padStart(12)}  ${x.calls} calls`),
        ]
          .map((line) => `${line}\n`)
          .join(''),
      );
      return 0;
    }
    case 'outcomes': {
      if (!sub) break;
      const r = await client.request<{ metrics: Row[] }>('GET', `/v1/initiatives/${encodeURIComponent(sub)}/outcomes`);
      out(r, () =>
        r.metrics
          .map((m) => {
            const baseline = m.baseline as { value: number };
            return `${String(m.name).padEnd(28)} baseline ${baseline.value}  target ${m.target}  current ${m.current ?? '—'} (${m.provenance})  progress ${m.progress ?? '—'}\n`;
          })
          .join(''),
      );
      return 0;
    }
    case 'roi': {
      if (!sub) break;
      const r = await client.request<{
        window: { from: string; to: string };
        value: { total: number; items: Array<{ metric: string; value: number; improvementProvenance: string }> };
        cost: { total: number; items: Array<{ source: string; amountUsd: number; provenance: string }> };
        roi: number | null;
      }>('GET', `/v1/initiatives/${encodeURIComponent(sub)}/roi`);
      out(r, () =>
        [
          `${sub}  ${r.window.from} … ${r.window.to}`,
          `value  $${r.value.total.toFixed(2)}  (assumed: improvement × valuePerUnit)`,
          ...r.value.items.map(
            (v) => `  ${v.metric.padEnd(26)} $${v.value.toFixed(2)}  (improvement ${v.improvementProvenance})`,
          ),
          `cost   $${r.cost.total.toFixed(2)}`,
          ...r.cost.items.map((c) => `  ${c.source.padEnd(52)} $${c.amountUsd.toFixed(2)}  (${c.provenance})`),
          `ROI    ${r.roi === null ? '— (no cost recorded)' : `${(r.roi * 100).toFixed(0)}%`}`,
        ]
          .map((l) => `${l}\n`)
          .join(''),
      );
      return 0;
    }
    case 'decisions': {
      const { items } = await client.request<{ items: Row[] }>(
        'GET',
        `/v1/audit?${q({ kind: 'decision', agent: values.agent, decision: values.decision, limit: values.limit })}`,
      );
      out(items, () =>
        items
          .map(
            (e) =>
              `${e.at}\t${e.agent}\t${e.target}\t${e.decision}\t${(e.reasons as Array<{ policy: string }>).map((r) => r.policy).join(',')}\n`,
          )
          .join(''),
      );
      return 0;
    }
    case 'evidence': {
      if (sub !== 'export' || !values.initiative || !values.output) break;
      const bytes = await client.download(`/v1/initiatives/${encodeURIComponent(values.initiative)}/evidence`, values.output);
      process.stdout.write(
        `wrote ${values.output} (${bytes} bytes); check it with: fulcrum audit verify --archive ${values.output}\n`,
      );
      return 0;
    }
  }
  throw new CliError(USAGE[command], 2);
}
