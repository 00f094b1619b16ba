// Policies: every policy in force as Cedar (built-in rules generated from the registry and custom
// ones), its mode, and a tester that asks what would happen without recording a decision.
import { type FormEvent, useMemo, useState } from 'react';
import type { paths } from '../../../src/client/index';
import { Card, Empty, Field, Loaded, PageHeader, Pill } from '../components/ui';
import { HiddenCharsWarning, VisibleText } from '../components/visible-text';
import { type Api, ok } from '../lib/api';
import { useLocation, useScrollToHash } from '../lib/router';
import { useLoad, useSession } from '../lib/use-api';

const simulate = (api: Api, agent: string, request: SimulationRequest) =>
  ok(api.POST('/v1/decisions/simulate', { body: { agent, request } }));
type SimulationRequest = NonNullable<
  paths['/v1/decisions/simulate']['post']['requestBody']
>['content']['application/json']['request'];
type Simulation = Awaited<ReturnType<typeof simulate>>;

export function PoliciesPage() {
  const state = useLoad((api) => ok(api.GET('/v1/policies/effective')), []);
  const { hash } = useLocation();
  useScrollToHash(hash, state.data !== undefined);
  const [show, setShow] = useState<'all' | 'custom' | 'builtin'>('all');
  return (
    <>
      <PageHeader
        title="Policies"
        subtitle={
          state.data
            ? `Everything in force at registry revision ${state.data.revision}. Precedence: deny, then approval, then allow.`
            : undefined
        }
      />
      <Tester />
      <Loaded state={state}>
        {(d) => {
          const custom = d.policies.filter((p) => p.source !== 'builtin');
          // Custom policies first: they are the organisation's own rules; the built-in ones follow from the registry.
          const shown = [...custom, ...d.policies.filter((p) => p.source === 'builtin')].filter(
            (p) => show === 'all' || (show === 'builtin' ? p.source === 'builtin' : p.source !== 'builtin'),
          );
          return (
            <Card
              title="Policies in force"
              subtitle={`${d.policies.length} policies: ${custom.length} custom (${custom.filter((p) => p.mode === 'monitor').length} in monitor mode), ${d.policies.length - custom.length} built in`}
              actions={
                <fieldset className="segmented">
                  <legend className="sr-only">Show</legend>
                  {(['all', 'custom', 'builtin'] as const).map((s) => (
                    <button key={s} type="button" aria-pressed={show === s} onClick={() => setShow(s)}>
                      {s === 'builtin' ? 'Built in' : s === 'all' ? 'All' : 'Custom'}
                    </button>
                  ))}
                </fieldset>
              }
            >
              {shown.length === 0 ? (
                <Empty title="No policies of this kind" />
              ) : (
                <div className="policies">
                  {shown.map((p) => (
                    <article key={p.id} id={p.id} tabIndex={-1} className={`policy ${hash === p.id ? 'policy-target' : ''}`}>
                      <div className="policy-head">
                        <h3>
                          <code>{p.id}</code>
                        </h3>
                        <div className="policy-tags">
                          <Pill value={p.mode} label={p.mode === 'monitor' ? 'Monitor' : 'Enforce'} />
                          <Pill
                            value={p.effect}
                            tone={p.approval ? 'warn' : p.effect === 'forbid' ? 'bad' : 'good'}
                            label={p.approval ? 'Needs approval' : p.effect}
                          />
                          <span className="muted small">{p.source === 'builtin' ? 'built in' : 'custom'}</span>
                        </div>
                      </div>
                      {(p.description || p.approval) && (
                        <p className="small">
                          {p.approval && (
                            <>
                              “<VisibleText text={p.approval} />” ·{' '}
                            </>
                          )}
                          <VisibleText text={p.description ?? ''} />
                        </p>
                      )}
                      {p.source === 'builtin' ? (
                        <details open={hash === p.id}>
                          <summary className="small">Cedar</summary>
                          <pre className="code cedar">
                            <VisibleText text={p.text} />
                          </pre>
                        </details>
                      ) : (
                        <>
                          <HiddenCharsWarning text={p.text} what="this policy" />
                          <pre className="code cedar">
                            <VisibleText text={p.text} />
                          </pre>
                        </>
                      )}
                    </article>
                  ))}
                </div>
              )}
            </Card>
          );
        }}
      </Loaded>
    </>
  );
}

function Tester() {
  const { api } = useSession();
  const agents = useLoad((a) => ok(a.GET('/v1/agents')), []);
  const tools = useLoad((a) => ok(a.GET('/v1/tools')), []);
  const models = useLoad((a) => ok(a.GET('/v1/models')), []);
  const [agent, setAgent] = useState('');
  const [action, setAction] = useState<'tool.call' | 'model.call'>('tool.call');
  const [target, setTarget] = useState('');
  const [args, setArgs] = useState('{}');
  const [domains, setDomains] = useState('');
  const [result, setResult] = useState<Simulation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = useMemo(
    () => (action === 'tool.call' ? tools.data?.items : models.data?.items)?.map((t) => t.metadata.name) ?? [],
    [action, tools.data, models.data],
  );

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(args || '{}');
    } catch {
      setError('Arguments must be a JSON object, e.g. {"amount": 900}.');
      return;
    }
    const dataDomains = domains
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError('Arguments must be a JSON object, e.g. {"amount": 900}.');
      return;
    }
    const request: SimulationRequest =
      action === 'tool.call'
        ? { action, tool: target, arguments: parsed as Record<string, unknown>, ...(dataDomains.length ? { dataDomains } : {}) }
        : { action, model: target, ...(dataDomains.length ? { dataDomains } : {}) };
    setBusy(true);
    try {
      setResult(await simulate(api, agent, request));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title="What would happen?"
      subtitle="Runs a decision against the policies in force. Nothing is recorded, no approval is created."
    >
      <form className="tester" onSubmit={run}>
        <Field label="Agent">
          {(id) => (
            <select id={id} value={agent} onChange={(e) => setAgent(e.target.value)} required>
              <option value="">Choose an agent</option>
              {(agents.data?.items ?? []).map((a) => (
                <option key={a.metadata.name}>{a.metadata.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Call">
          {(id) => (
            <select
              id={id}
              value={action}
              onChange={(e) => {
                setAction(e.target.value as 'tool.call' | 'model.call');
                setTarget('');
              }}
            >
              <option value="tool.call">Tool call</option>
              <option value="model.call">Model call</option>
            </select>
          )}
        </Field>
        <Field label={action === 'tool.call' ? 'Tool' : 'Model'}>
          {(id) => (
            <select id={id} value={target} onChange={(e) => setTarget(e.target.value)} required>
              <option value="">Choose</option>
              {targets.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <label className="field">
          <span>Data domains (comma-separated)</span>
          <input value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="e.g. payment-data" />
        </label>
        {action === 'tool.call' && (
          <label className="field span-all">
            <span>Arguments (JSON)</span>
            <textarea className="mono" rows={3} value={args} onChange={(e) => setArgs(e.target.value)} spellCheck={false} />
          </label>
        )}
        <div className="span-all tester-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Evaluating…' : 'Evaluate'}
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className={`sim sim-${result.decision}`} role="status" aria-live="polite">
          <div className="sim-head">
            <Pill
              value={result.decision}
              label={
                result.decision === 'approval_required' ? 'Approval required' : result.decision === 'allow' ? 'Allow' : 'Deny'
              }
            />
            <span className="muted small">at registry revision {result.policyVersion} · not recorded</span>
          </div>
          <ul className="reasons compact">
            {result.reasons.map((r) => (
              <li key={r.policy}>
                <a className="policy-link" href={`#${r.policy}`}>
                  {r.policy}
                </a>
                {r.message && (
                  <span className="muted">
                    {' '}
                    — <VisibleText text={r.message} />
                  </span>
                )}
              </li>
            ))}
            {result.monitor.map((r) => (
              <li key={`m-${r.policy}`}>
                <Pill value="monitor" /> would {r.effect}: {r.policy}
                {r.message && (
                  <span className="muted">
                    {' '}
                    — <VisibleText text={r.message} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
