// Governance from the command line (docs/governance.md): incidents and their Art. 73 clock, stage
// promotions and their sign-offs, risk assessments, monitors, retention. Each subcommand is one call
// to the HTTP API; the server checks roles and values, and its error is what the user sees.
import { parseArgs } from 'node:util';
import type { components, paths } from '../client/index.js';
import { parseYamlValue } from '../registry/descriptors.js';
import { CliError, connect, ok } from './client.js';
import { readInputFile } from './files.js';
import { jsonOut } from './terminal.js';

type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } }
  ? B
  : never;
type Put<P extends keyof paths> = paths[P] extends { put: { requestBody?: { content: { 'application/json': infer B } } } }
  ? B
  : never;
type Incident = components['schemas']['Incident'];
type Review = components['schemas']['Review'];
type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export const GOVERNANCE_USAGE = {
  incidents: [
    'usage: fulcrum incidents [list] [--status S] [--overdue] [--limit N]',
    '       fulcrum incidents show ID',
    '       fulcrum incidents open --title T --severity sev1|sev2|sev3|sev4 [--description D] [--owner PERSON]',
    '                              [--agent NAME]… [--initiative NAME]… [--serious death|widespread-infringement|critical-infrastructure|other] [--aware-at ISO]',
    '       fulcrum incidents move ID --to mitigated|resolved|closed [--note TEXT]',
    '       fulcrum incidents note ID TEXT',
    '       fulcrum incidents report ID --reference REF',
  ].join('\n'),
  reviews: [
    'usage: fulcrum reviews [list] [--status open|approved|rejected] [--initiative NAME] [--limit N]',
    '       fulcrum reviews show ID',
    '       fulcrum reviews promote INITIATIVE --to pilot|production|scaled|retired',
    '       fulcrum reviews sign-off ID --role ROLE --decision approve|reject [--comment TEXT]',
  ].join('\n'),
  risk: [
    'usage: fulcrum risk questionnaire',
    '       fulcrum risk assess INITIATIVE -f ANSWERS.yaml|.json [--notes TEXT]',
    '       fulcrum risk history INITIATIVE',
  ].join('\n'),
  monitors: 'usage: fulcrum monitors [status] | evaluate',
  retention: 'usage: fulcrum retention [show] | set TYPE=DAYS… | purge [--dry-run]',
};
export type GovernanceCommand = keyof typeof GOVERNANCE_USAGE;

const line = (cells: Array<string | number | null | undefined>) => `${cells.map((c) => c ?? '—').join('\t')}\n`;

/** The agents a purge names for a hold, and how many more it held (the answer lists the first 100). */
const heldNames = (names: string[], count: number) =>
  names.join(', ') + (count > names.length ? ` … and ${count - names.length} more` : '');

function incidentLine(x: Incident): string {
  const clock = x.reporting
    ? x.reporting.reportedAt
      ? `reported ${x.reporting.reportedAt.slice(0, 10)}`
      : x.reporting.overdue
        ? `REPORT OVERDUE since ${x.reporting.dueAt.slice(0, 10)}`
        : `report due ${x.reporting.dueAt.slice(0, 10)} (${x.reporting.daysLeft} days)`
    : '';
  const on = [...x.agents.map((a) => `agent ${a}`), ...x.initiatives.map((i) => `initiative ${i}`)].join(', ');
  return line([x.id, x.severity, x.status, x.owner, x.title, on || null, clock || null]);
}

function reviewText(r: Review): string {
  return [
    `${r.id}: ${r.initiative} ${r.from} → ${r.to} (${r.tier} tier), ${r.status}, opened by ${r.openedBy} ${r.openedAt}`,
    `  required: ${r.required.join(', ')}`,
    `  waiting for: ${r.pending.length ? r.pending.join(', ') : 'nobody'}`,
    ...r.signOffs.map((s) => `  ${s.decision} as ${s.role} by ${s.person} ${s.at}${s.comment ? `: ${s.comment}` : ''}`),
  ]
    .map((l) => `${l}\n`)
    .join('');
}

/** A YAML or JSON file of answers (YAML is a superset of JSON), bounded like every upload. */
function readAnswers(file: string): Record<string, unknown> {
  const text = readInputFile(file, 'a file of answers', 1_000_000);
  let data: unknown;
  try {
    // Bounded as a descriptor is (depth, aliases, YAML 1.2 only): the library's own parse ran out of stack.
    data = parseYamlValue(text);
  } catch (err) {
    throw new CliError(`${file}: not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CliError(`${file}: expected a mapping of question id → true or false (fulcrum risk questionnaire lists them)`);
  // Either the answers themselves, or {answers, notes} as the API takes them.
  const d = data as Record<string, unknown>;
  return 'answers' in d && typeof d.answers === 'object' ? d : { answers: d };
}

export async function governance(command: GovernanceCommand, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      overdue: { type: 'boolean', default: false },
      limit: { type: 'string', default: '100' },
      title: { type: 'string' },
      severity: { type: 'string' },
      description: { type: 'string' },
      owner: { type: 'string' },
      agent: { type: 'string', multiple: true },
      initiative: { type: 'string', multiple: true },
      serious: { type: 'string' },
      'aware-at': { type: 'string' },
      to: { type: 'string' },
      note: { type: 'string' },
      reference: { type: 'string' },
      role: { type: 'string' },
      decision: { type: 'string' },
      comment: { type: 'string' },
      notes: { type: 'string' },
      file: { type: 'string', short: 'f' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  const usage = GOVERNANCE_USAGE[command];
  const [sub, target, ...rest] = positionals;
  const need = (v: string | undefined, what: string): string => {
    if (!v) throw new CliError(`${what} is required\n${usage}`, 2);
    return v;
  };
  const limit = (): number => {
    const n = Number(values.limit);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`--limit must be a whole number of at least 1, not "${values.limit}"`, 2);
    return n;
  };
  const api = connect({ url: values.url });
  const out = (data: unknown, text: () => string) => {
    process.stdout.write(values.json ? jsonOut(data) : text());
    return 0;
  };

  switch (command) {
    case 'incidents': {
      if (sub === undefined || sub === 'list') {
        const query = {
          status: values.status as Query<'/v1/incidents'>['status'],
          overdue: values.overdue,
          limit: limit(),
        };
        const { items } = await ok(api.GET('/v1/incidents', { params: { query } }));
        return out(items, () => (items.length ? items.map(incidentLine).join('') : 'no incidents\n'));
      }
      if (sub === 'show' && target) {
        const x = await ok(api.GET('/v1/incidents/{id}', { params: { path: { id: target } } }));
        return out(x, () =>
          [
            incidentLine(x),
            ...(x.description ? [`  ${x.description}\n`] : []),
            ...x.timeline.map(
              (e) => `  ${e.at}  ${e.actor}  ${e.kind}${e.status ? ` → ${e.status}` : ''}${e.note ? `: ${e.note}` : ''}\n`,
            ),
          ].join(''),
        );
      }
      if (sub === 'open' && !target) {
        const body: Body<'/v1/incidents'> = {
          title: need(values.title, '--title'),
          severity: need(values.severity, '--severity') as Body<'/v1/incidents'>['severity'],
          ...(values.description ? { description: values.description } : {}),
          ...(values.owner ? { owner: values.owner } : {}),
          ...(values.agent ? { agents: values.agent } : {}),
          ...(values.initiative ? { initiatives: values.initiative } : {}),
          ...(values.serious
            ? { seriousIncident: true, seriousKind: values.serious as Body<'/v1/incidents'>['seriousKind'] }
            : {}),
          ...(values['aware-at'] ? { awareAt: values['aware-at'] } : {}),
        };
        const x = await ok(api.POST('/v1/incidents', { body }));
        return out(x, () => incidentLine(x));
      }
      if (sub === 'move' && target) {
        const to = need(values.to, '--to') as Body<'/v1/incidents/{id}/transitions'>['to'];
        const x = await ok(
          api.POST('/v1/incidents/{id}/transitions', {
            params: { path: { id: target } },
            body: { to, ...(values.note ? { note: values.note } : {}) },
          }),
        );
        return out(x, () => incidentLine(x));
      }
      if (sub === 'note' && target && rest.length > 0) {
        await ok(api.POST('/v1/incidents/{id}/notes', { params: { path: { id: target } }, body: { note: rest.join(' ') } }));
        return out({ noted: target }, () => `noted on ${target}\n`);
      }
      if (sub === 'report' && target) {
        const reference = need(values.reference, '--reference');
        const x = await ok(api.POST('/v1/incidents/{id}/report', { params: { path: { id: target } }, body: { reference } }));
        return out(x, () => incidentLine(x));
      }
      break;
    }
    case 'reviews': {
      if (sub === undefined || sub === 'list') {
        const query = {
          status: values.status as Query<'/v1/reviews'>['status'],
          initiative: values.initiative?.[0],
          limit: limit(),
        };
        const { items } = await ok(api.GET('/v1/reviews', { params: { query } }));
        return out(items, () =>
          items.length
            ? items
                .map((r) =>
                  line([
                    r.id,
                    r.initiative,
                    `${r.from} → ${r.to}`,
                    r.status,
                    r.pending.length ? `waits for ${r.pending.join(', ')}` : null,
                  ]),
                )
                .join('')
            : 'no reviews\n',
        );
      }
      if (sub === 'show' && target) {
        const r = await ok(api.GET('/v1/reviews/{id}', { params: { path: { id: target } } }));
        return out(r, () => reviewText(r));
      }
      if (sub === 'promote' && target) {
        const to = need(values.to, '--to') as Body<'/v1/initiatives/{name}/promotions'>['to'];
        const r = await ok(api.POST('/v1/initiatives/{name}/promotions', { params: { path: { name: target } }, body: { to } }));
        return out(r, () => reviewText(r));
      }
      if (sub === 'sign-off' && target) {
        const body = {
          role: need(values.role, '--role'),
          decision: need(values.decision, '--decision') as Body<'/v1/reviews/{id}/sign-offs'>['decision'],
          ...(values.comment ? { comment: values.comment } : {}),
        };
        const r = await ok(api.POST('/v1/reviews/{id}/sign-offs', { params: { path: { id: target } }, body }));
        return out(r, () => reviewText(r));
      }
      break;
    }
    case 'risk': {
      if (sub === 'questionnaire') {
        const q = await ok(api.GET('/v1/risk-questionnaire'));
        return out(q, () =>
          [
            'Answer every question true or false (a YAML or JSON file for fulcrum risk assess):',
            ...Object.entries(q.questions).map(([id, text]) => `  ${id}: ${text}`),
            'prohibitedPractices: a list of the Art. 5 practices that apply (empty when none):',
            ...Object.entries(q.prohibitedPractices).map(([id, text]) => `  ${id}: ${text}`),
          ]
            .map((l) => `${l}\n`)
            .join(''),
        );
      }
      if (sub === 'assess' && target) {
        const body = readAnswers(need(values.file, '-f ANSWERS'));
        if (values.notes) body.notes = values.notes;
        const a = await ok(
          api.POST('/v1/initiatives/{name}/risk-assessment', {
            params: { path: { name: target } },
            body: body as Body<'/v1/initiatives/{name}/risk-assessment'>,
          }),
        );
        return out(a, () =>
          [
            `${a.initiative}: ${a.tier} (version ${a.version})`,
            ...a.reasons.map((r) => `  ${r}`),
            ...(a.warning ? [`warning: ${a.warning}`] : []),
          ]
            .map((l) => `${l}\n`)
            .join(''),
        );
      }
      if (sub === 'history' && target) {
        const { items } = await ok(api.GET('/v1/initiatives/{name}/risk-assessments', { params: { path: { name: target } } }));
        return out(items, () =>
          items.length
            ? items.map((a) => line([`v${a.version}`, a.tier, a.assessedBy, a.assessedAt, a.reasons.join('; ')])).join('')
            : `${target} has no risk assessment\n`,
        );
      }
      break;
    }
    case 'monitors': {
      if (target !== undefined || (sub !== undefined && sub !== 'status' && sub !== 'evaluate')) break;
      // The usage is for what was typed only: an answer without `items` (another service's JSON) fails
      // below as that answer's fault, naming the server, where it printed the usage with exit 2.
      const { items } = await ok(sub === 'evaluate' ? api.POST('/v1/monitors/evaluate') : api.GET('/v1/monitors/status'));
      return out(items, () =>
        items.length
          ? items
              .map((m) =>
                m.error
                  ? line([m.monitor, m.metric, `NOT EVALUATED: ${m.error}`])
                  : line([
                      m.monitor,
                      m.metric,
                      `${m.value} over ${m.samples} samples`,
                      `threshold ${m.threshold}`,
                      m.breached ? 'BREACHED' : 'ok',
                      m.incident ? `incident ${m.incident}${m.deduplicated ? ' (already open)' : ''}` : null,
                      m.suspended?.length ? `suspended ${m.suspended.join(', ')}` : null,
                    ]),
              )
              .join('')
          : 'no monitor has been evaluated on this node yet (fulcrum monitors evaluate)\n',
      );
    }
    case 'retention': {
      if (sub === undefined || sub === 'show') {
        if (target) break;
        const p = await ok(api.GET('/v1/retention'));
        return out(p, () =>
          [
            ...Object.entries(p.periods).map(([k, v]) => `${k.padEnd(14)} ${v} days`),
            `high-risk initiatives' agents: logs kept at least ${p.highRiskFloorDays} days`,
          ]
            .map((l) => `${l}\n`)
            .join(''),
        );
      }
      if (sub === 'set' && target) {
        const body: Record<string, number> = {};
        for (const pair of [target, ...rest]) {
          const m = /^([A-Za-z]+)=(\d{1,6})$/.exec(pair);
          if (!m) throw new CliError(`"${pair}" is not TYPE=DAYS (e.g. spans=90)\n${usage}`, 2);
          body[m[1] as string] = Number(m[2]);
        }
        const p = await ok(api.PUT('/v1/retention', { body: body as Put<'/v1/retention'> }));
        return out(
          p,
          () =>
            `${Object.entries(p.periods)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}\n`,
        );
      }
      if (sub === 'purge' && !target) {
        const dryRun = values['dry-run'];
        const r = await ok(api.POST('/v1/retention/purge', { params: { query: { dryRun } } }));
        return out(r, () =>
          [
            ...(dryRun ? ['dry run: nothing was deleted or redacted'] : []),
            ...Object.entries(r)
              .filter(([, v]) => typeof v === 'number')
              .map(([k, v]) => `${k.padEnd(14)} ${v} ${dryRun ? 'would be ' : ''}${k === 'arguments' ? 'redacted' : 'deleted'}`),
            ...(r.held.highRisk.length ? [`held (high risk): ${heldNames(r.held.highRisk, r.held.highRiskCount)}`] : []),
            ...(r.held.incident.length ? [`held (open incident): ${heldNames(r.held.incident, r.held.incidentCount)}`] : []),
            ...(r.auditHeldBack ? [`audit entries held back: ${r.auditHeldBack}`] : []),
          ]
            .map((l) => `${l}\n`)
            .join(''),
        );
      }
      break;
    }
  }
  throw new CliError(usage, 2);
}
