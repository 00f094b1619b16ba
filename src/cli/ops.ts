// Day-to-day commands over the API: approvals, the kill switch, the audit log, costs and outcomes.
import { parseArgs } from 'node:util';
import type { paths } from '../client/index.js';
import { formatMoney } from '../money.js';
import { CliError, connect, ok } from './client.js';
import { MAX_DOWNLOAD_BYTES } from './fetch.js';
import { writeOutputFile } from './files.js';
import { jsonOut } from './terminal.js';

/** A cost on its own line: exact, so a call of $0.0000001 is not $0.00. */
const usd = (v: number) => formatMoney(v, 'USD', { exact: true });

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

const USAGE = {
  approvals: 'usage: fulcrum approvals list [--status pending] | approve ID [--comment TEXT] | deny ID [--comment TEXT]',
  agents: 'usage: fulcrum agents suspend|resume NAME --reason TEXT',
  costs:
    'usage: fulcrum costs [--group-by agent|initiative|model|business-unit] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N]',
  outcomes:
    'usage: fulcrum outcomes INITIATIVE | outcomes INITIATIVE record METRIC VALUE --period PERIOD | outcomes INITIATIVE measurements [--limit N]',
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
      period: { type: 'string' },
    },
  });
  // An evidence archive is streamed to its file, so it may be larger than an answer read into memory.
  const api = connect({ url: values.url, ...(command === 'evidence' ? { maxAnswerBytes: MAX_DOWNLOAD_BYTES } : {}) });
  const [sub, target] = positionals;
  const out = (data: unknown, table: () => string) => process.stdout.write(values.json ? jsonOut(data) : table());

  switch (command) {
    case 'approvals': {
      if (sub === 'list' || sub === undefined) {
        // The server checks the status (an unknown one is its 400, as for every value given here).
        const status = (values.status ?? 'pending') as Query<'/v1/approvals'>['status'];
        const { items } = await ok(api.GET('/v1/approvals', { params: { query: { status, limit: 100 } } }));
        out(items, () =>
          items.length === 0
            ? 'no approvals\n'
            : items
                .map(
                  (a) =>
                    `${a.id}\t${a.status}${a.revokedReason ? ` (${a.revokedReason})` : ''}\t${a.agent}\t${a.tool}\t${JSON.stringify(a.arguments)}\texpires ${a.expiresAt}\n`,
                )
                .join(''),
        );
        return 0;
      }
      if ((sub === 'approve' || sub === 'deny') && target) {
        const body = values.comment ? { comment: values.comment } : {};
        const params = { path: { id: target } };
        const a = await ok(
          sub === 'approve'
            ? api.POST('/v1/approvals/{id}/approve', { params, body })
            : api.POST('/v1/approvals/{id}/deny', { params, body }),
        );
        out(a, () => `${a.id}: ${a.status} by ${a.decidedBy}\n`);
        return 0;
      }
      break;
    }
    case 'agents': {
      if ((sub === 'suspend' || sub === 'resume') && target) {
        if (!values.reason) throw new CliError(`${USAGE.agents} (a reason is required)`, 2);
        const init = { params: { path: { name: target } }, body: { reason: values.reason } };
        const r = await ok(
          sub === 'suspend' ? api.POST('/v1/agents/{name}/suspend', init) : api.POST('/v1/agents/{name}/resume', init),
        );
        out(r, () => `${r.agent}: ${r.status} (${r.reason})\n`);
        return 0;
      }
      break;
    }
    case 'costs': {
      const groupBy = values['group-by'] as Query<'/v1/costs'>['groupBy'];
      const query = { groupBy, from: values.from, to: values.to, limit: Number(values.limit) };
      const r = await ok(api.GET('/v1/costs', { params: { query } }));
      out(r, () =>
        [
          `${r.from} … ${r.to}`,
          ...r.rows.map((x) => `${x.key.padEnd(32)} ${usd(x.costUsd).padStart(13)}  ${x.calls} calls`),
          ...(r.totalRows > r.rows.length ? [`… ${r.totalRows - r.rows.length} more (--limit, at most 1000)`] : []),
        ]
          .map((line) => `${line}\n`)
          .join(''),
      );
      return 0;
    }
    case 'outcomes': {
      if (!sub) break;
      // A manual metric's value is recorded by a person (docs/evidence.md): here, not only with curl.
      if (target === 'record') {
        const [, , metric, given] = positionals;
        const value = Number(given);
        if (!metric || given === undefined || given.trim() === '' || !Number.isFinite(value) || !values.period) break;
        const m = await ok(
          api.POST('/v1/initiatives/{name}/measurements', {
            params: { path: { name: sub } },
            body: { metric, value, period: values.period },
          }),
        );
        out(m, () => `${m.initiative}: ${m.metric} = ${m.value} for ${m.period} (${m.provenance}, by ${m.recordedBy})\n`);
        return 0;
      }
      // Every self-reported value, with who recorded it: the outcomes show only the latest per period.
      if (target === 'measurements') {
        const query = { limit: Number(values.limit) };
        const r = await ok(api.GET('/v1/initiatives/{name}/measurements', { params: { path: { name: sub }, query } }));
        out(r, () =>
          r.items.length === 0
            ? `${sub}: no measurement recorded\n`
            : r.items.map((m) => `${m.recordedAt}  ${m.metric} = ${m.value} for ${m.period} (by ${m.recordedBy})\n`).join(''),
        );
        return 0;
      }
      if (target !== undefined) break;
      const r = await ok(api.GET('/v1/initiatives/{name}/outcomes', { params: { path: { name: sub } } }));
      out(r, () =>
        r.metrics
          .map(
            (m) =>
              `${m.name.padEnd(28)} baseline ${m.baseline.value}  target ${m.target}  current ${m.current ?? '—'} (${m.provenance})  progress ${m.progress ?? '—'}\n`,
          )
          .join(''),
      );
      return 0;
    }
    case 'roi': {
      if (!sub) break;
      const r = await ok(api.GET('/v1/initiatives/{name}/roi', { params: { path: { name: sub } } }));
      // As the console and the report say it: nothing valued is "not valued", never $0.00, a cost that
      // leaves something out is "at least", and a missing ROI says which of the three it lacks (the
      // command printed "value $0.00" and "no cost recorded" beside a cost of thousands).
      const valued = r.value.items.length > 0;
      const incomplete = r.cost.incomplete.length > 0;
      const noRoi = !valued ? 'not valued' : incomplete ? 'cost incomplete' : 'no cost recorded';
      out(r, () =>
        [
          `${sub}  ${r.window.from} … ${r.window.to}`,
          valued ? `value  ${usd(r.value.total)}  (assumed: improvement × valuePerUnit)` : 'value  not valued',
          ...r.value.items.map((v) => `  ${v.metric.padEnd(26)} ${usd(v.value)}  (improvement ${v.improvementProvenance})`),
          ...r.value.notValued.map((n) => `  ${n.metric.padEnd(26)} not valued: ${n.why}`),
          `cost   ${incomplete ? 'at least ' : ''}${usd(r.cost.total)}`,
          ...r.cost.items.map((c) => `  ${c.source.padEnd(52)} ${usd(c.amountUsd)}  (${c.provenance})`),
          ...r.cost.incomplete.map((why) => `  leaves out: ${why}`),
          `ROI    ${r.roi === null ? `— (${noRoi})` : `${(r.roi * 100).toFixed(0)}%`}`,
        ]
          .map((l) => `${l}\n`)
          .join(''),
      );
      return 0;
    }
    case 'decisions': {
      const query = {
        kind: 'decision',
        agent: values.agent,
        decision: values.decision as Query<'/v1/audit'>['decision'],
        limit: Number(values.limit),
      };
      const { items } = await ok(api.GET('/v1/audit', { params: { query } }));
      out(items, () =>
        items
          .map((e) => `${e.at}\t${e.agent}\t${e.target}\t${e.decision}\t${e.reasons.map((r) => r.policy).join(',')}\n`)
          .join(''),
      );
      return 0;
    }
    case 'evidence': {
      if (sub !== 'export' || !values.initiative || !values.output) break;
      const data = await ok(
        api.GET('/v1/initiatives/{name}/evidence', {
          params: { path: { name: values.initiative } },
          parseAs: 'stream',
          headers: { accept: '*/*' },
        }),
      );
      // The audit log's entries, call arguments included: only its owner may read the archive (0600).
      const bytes = await writeOutputFile(values.output, data, 0o600);
      process.stdout.write(
        `wrote ${values.output} (${bytes} bytes); check it with: fulcrum audit verify --archive ${values.output}\n`,
      );
      return 0;
    }
  }
  throw new CliError(USAGE[command], 2);
}
