// The governance commands against a real server process, as an operator runs them: risk
// assessments, incidents with the Art. 73 clock, stage promotions and sign-offs, monitors and
// retention; bad input and a role that may not act are refused with the server's own words.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../support/files.js';
import { cli as runCli, type ServedBundle, serveBundle } from '../support/process.js';

// Each test runs a dozen CLI processes (a Node start each): on a loaded 2-core machine, over 30 s.
describe('fulcrum incidents, reviews, risk, monitors and retention', { timeout: 120_000 }, () => {
  let served: ServedBundle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-governance-'));
  const cli = (...args: string[]) => runCli(served.env, ...args);
  const as = (token: string, ...args: string[]) => runCli({ ...served.env, FULCRUM_TOKEN: token }, ...args);
  const json = async (...args: string[]) => {
    const r = await cli(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    served = await serveBundle(ACME);
  });
  afterAll(async () => {
    await served?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('assesses an initiative from an answers file and keeps its history', async () => {
    const q = await cli('risk', 'questionnaire');
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toMatch(/^ {2}employment: Affects access to employment/m);
    const { questions } = await json('risk', 'questionnaire');
    const answers = path.join(dir, 'answers.yaml');
    const all = Object.fromEntries(Object.keys(questions).map((k) => [k, k === 'employment']));
    fs.writeFileSync(
      answers,
      `${Object.entries(all)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\nprohibitedPractices: []\n`,
    );
    const assessed = await cli('risk', 'assess', 'sales-pipeline-copilot', '-f', answers, '--notes', 'hiring leads');
    expect(assessed.code, assessed.stderr).toBe(0);
    expect(assessed.stdout).toMatch(/^sales-pipeline-copilot: high \(version 1\)$/m);
    expect(assessed.stdout).toContain('Annex III');
    const history = await json('risk', 'history', 'sales-pipeline-copilot');
    expect(history).toEqual([expect.objectContaining({ version: 1, tier: 'high', notes: 'hiring leads' })]);

    // A file that is not a mapping, one missing, and an answer the server refuses: each says what and where.
    const list = path.join(dir, 'list.yaml');
    fs.writeFileSync(list, '- employment\n');
    const notMap = await cli('risk', 'assess', 'sales-pipeline-copilot', '-f', list);
    expect(notMap.code).toBe(1);
    expect(notMap.stderr).toContain(`${list}: expected a mapping of question id → true or false`);
    // Nested past what a file of answers needs: bounded as descriptors are (it said only "Maximum call
    // stack size exceeded at line 1, column 790").
    const deep = path.join(dir, 'deep.yaml');
    fs.writeFileSync(deep, `employment: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const nested = await cli('risk', 'assess', 'sales-pipeline-copilot', '-f', deep);
    expect(nested.code).toBe(1);
    expect(nested.stderr).toContain(`${deep}: not YAML or JSON: the YAML body nests deeper than 64 flow collections`);
    const missing = await cli('risk', 'assess', 'sales-pipeline-copilot', '-f', path.join(dir, 'nope.yaml'));
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml/);
    const partial = path.join(dir, 'partial.json');
    fs.writeFileSync(partial, JSON.stringify({ employment: true }));
    const refused = await cli('risk', 'assess', 'sales-pipeline-copilot', '-f', partial);
    expect(refused.code).toBe(1);
    // The server names every unanswered question, and the CLI prints each with its path.
    expect(refused.stderr).toContain('the questionnaire is incomplete: 11 unanswered');
    expect(refused.stderr).toMatch(/^ {2}\/answers\/education: missing answer \(true or false\)/m);
    expect(await json('risk', 'history', 'sales-pipeline-copilot')).toHaveLength(1);
  });

  it('runs an incident from open to closed, with the Art. 73 clock and its timeline', async () => {
    const opened = await cli(
      'incidents',
      'open',
      '--title',
      'Refunds sent twice',
      '--severity',
      'sev2',
      '--agent',
      'support-bot-eu',
      '--initiative',
      'support-deflection',
      '--owner',
      'raj.patel',
      '--serious',
      'other',
    );
    expect(opened.code, opened.stderr).toBe(0);
    const id = opened.stdout.split('\t')[0] as string;
    expect(opened.stdout).toMatch(
      /\tsev2\topen\traj\.patel\tRefunds sent twice\tagent support-bot-eu, initiative support-deflection\treport due \d{4}-\d\d-\d\d \((14|15) days\)/,
    );
    expect((await cli('incidents', 'list', '--status', 'open')).stdout).toContain(id);
    expect((await cli('incidents', 'move', id, '--to', 'mitigated', '--note', 'refunds paused')).stdout).toContain(
      '\tmitigated\t',
    );
    expect((await cli('incidents', 'note', id, 'root', 'cause', 'found')).stdout).toBe(`noted on ${id}\n`);
    expect((await cli('incidents', 'report', id, '--reference', 'NCA-2026-17')).stdout).toMatch(/reported \d{4}-/);
    // The status only moves forward: the server's refusal is the user's message.
    const back = await cli('incidents', 'move', id, '--to', 'open');
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(/fulcrum incidents: .*(open|forward)/);
    const shown = await cli('incidents', 'show', id);
    expect(shown.stdout).toMatch(/ {2}\S+ {2}admin {2}opened → open\n/);
    expect(shown.stdout).toMatch(/ {2}admin {2}status → mitigated: refunds paused\n/);
    expect(shown.stdout).toMatch(/ {2}admin {2}note: root cause found\n/);
    expect(shown.stdout).toMatch(/ {2}admin {2}\S*report\S*.*NCA-2026-17/);
    const bad = await cli('incidents', 'open', '--title', 'x', '--severity', 'sev9');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/severity/);
    const noTitle = await cli('incidents', 'open', '--severity', 'sev3');
    expect(noTitle.code).toBe(2);
    expect(noTitle.stderr).toContain('--title is required');
  });

  it('promotes an initiative through its review, sign-off by sign-off', async () => {
    const opened = await json('reviews', 'promote', 'meeting-notes-copilot', '--to', 'production');
    expect(opened).toMatchObject({ initiative: 'meeting-notes-copilot', from: 'pilot', to: 'production', status: 'open' });
    expect(opened.pending.length).toBeGreaterThan(0);
    const listed = await cli('reviews', 'list', '--initiative', 'meeting-notes-copilot');
    expect(listed.stdout).toContain(
      `${opened.id}\tmeeting-notes-copilot\tpilot → production\topen\twaits for ${opened.pending.join(', ')}`,
    );
    let last = '';
    for (const role of opened.pending as string[]) {
      const r = await cli('reviews', 'sign-off', opened.id, '--role', role, '--decision', 'approve', '--comment', 'ok');
      expect(r.code, r.stderr).toBe(0);
      last = r.stdout;
    }
    expect(last).toMatch(/, approved, opened by/);
    expect(last).toContain('waiting for: nobody');
    const initiative = (await (
      await fetch(`${served.server.url}/v1/initiatives/meeting-notes-copilot`, {
        headers: { authorization: `Bearer ${fs.readFileSync(path.join(served.db.dir, 'admin-token'), 'utf8').trim()}` },
      })
    ).json()) as { spec: { stage: string } };
    expect(initiative.spec.stage).toBe('production');
  });

  it('evaluates the monitors and reads their status', async () => {
    const evaluated = await cli('monitors', 'evaluate');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/^support-eu-deny-spike\tdeny_rate\t0 over 0 samples\tthreshold 0\.3\tok/m);
    const status = await json('monitors');
    expect(status.map((m: { monitor: string }) => m.monitor)).toContain('support-escalations');
  });

  it('shows and sets retention, purges, and refuses a role that may not', async () => {
    expect((await cli('retention')).stdout).toMatch(/^spans {10}\d+ days$/m);
    const set = await cli('retention', 'set', 'spans=400', 'events=500');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/spans=400/);
    expect((await json('retention')).periods).toMatchObject({ spans: 400, events: 500 });
    const malformed = await cli('retention', 'set', 'spans=forever');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"spans=forever" is not TYPE=DAYS');
    const unknown = await cli('retention', 'set', 'everything=3');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ {2}body: must NOT have additional properties: "everything"$/m);
    // More high-risk agents than the purge's answer names: the CLI says how many more it held.
    const fleet = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(
      fleet,
      Array.from(
        { length: 120 },
        (_, i) =>
          `apiVersion: fulcrum/v1\nkind: Agent\nmetadata:\n  name: screener-${String(i).padStart(3, '0')}\nspec:\n  initiative: cv-screening-assistant\n  owner: omar.haddad\n  framework: openai-agents-sdk\n`,
      ).join('---\n'),
    );
    const applied = await cli('apply', '-f', fleet);
    expect(applied.code, applied.stderr).toBe(0);
    const purged = await cli('retention', 'purge');
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toMatch(/^spans {10}\d+ deleted$/m);
    const held = (await json('retention', 'purge')).held;
    expect(held.highRisk).toHaveLength(100);
    expect(purged.stdout).toMatch(
      new RegExp(`^held \\(high risk\\): [^\\n]*screener-000, [^\\n]* … and ${held.highRiskCount - 100} more$`, 'm'),
    );

    const token = await cli('tokens', 'create', '--person', 'carlos.mendez');
    expect(token.code, token.stderr).toBe(0);
    const owner = token.stdout.trim();
    const denied = await as(owner, 'retention', 'set', 'spans=1');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^fulcrum retention: person "carlos\.mendez" may not registry write \(roles: owner\) \(forbidden\)$/m,
    );
    expect((await json('retention')).periods.spans).toBe(400);
  });

  it('previews a purge with --dry-run, changing nothing, and refuses it to a role that may not purge', async () => {
    // What a purge changes: the audit log (its own entry, the chains' starts) and the purge marks.
    const handle = served.db.open();
    const purges = async () => ({
      entries: (await handle.db.selectFrom('audit_entries').select('id').execute()).length,
      settings: await handle.db.selectFrom('settings').selectAll().orderBy('key').execute(),
    });
    const before = await purges();
    const preview = await cli('retention', 'purge', '--dry-run');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^dry run: nothing was deleted or redacted$/m);
    expect(preview.stdout).toMatch(/^spans {10}\d+ would be deleted$/m);
    expect(preview.stdout).toMatch(/^arguments {6}\d+ would be redacted$/m);
    expect(await json('retention', 'purge', '--dry-run')).toMatchObject({ dryRun: true, spans: expect.any(Number) });
    expect(await purges()).toEqual(before);
    await handle.destroy();
    const token = await cli('tokens', 'create', '--person', 'carlos.mendez');
    expect(token.code, token.stderr).toBe(0);
    const denied = await as(token.stdout.trim(), 'retention', 'purge', '--dry-run');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/may not registry write/);
  });

  it('prints its usage for a command it does not know', async () => {
    const r = await cli('incidents', 'reopen', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: fulcrum incidents [list]');
    expect((await cli('help')).stdout).toMatch(/^ {2}incidents \[list\|show\|open\|move\|note\|report\]/m);
  });
});
