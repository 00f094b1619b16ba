// Agents: the registry with each agent's conformance to its archetype, the kill switch, the
// identities seen acting without a registration (shadow agents), and telemetry that claimed to be
// another agent's (attribution mismatches), and model calls it could not price (unpriced, with the reason).
import { useState } from 'react';
import type { Schemas } from '../../../src/client/index';
import { ConfirmDialog } from '../components/dialog';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill, Stat } from '../components/ui';
import { VisibleText, visibleString } from '../components/visible-text';
import { can, ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtMoney, fmtNumber } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';

type Agent = Schemas['Agent'];
type ArchetypeSpec = Schemas['Archetype']['spec'];
type Conformance = { tone: 'good' | 'warn' | 'bad'; label: string; detail: string };

function conformance(a: Agent, archetypes: Map<string, ArchetypeSpec>): Conformance {
  if (!a.spec.archetype) return { tone: 'bad', label: 'Ad hoc', detail: 'No archetype: it follows no standard pattern.' };
  const arch = archetypes.get(a.spec.archetype);
  const frameworks = arch?.frameworks ?? [];
  if (!a.spec.framework)
    return { tone: 'warn', label: 'Framework unknown', detail: 'The agent does not say which framework it runs on.' };
  if (frameworks.length > 0 && !frameworks.includes(a.spec.framework))
    return {
      tone: 'warn',
      label: 'Off-standard framework',
      detail: `${a.spec.framework} is not among ${a.spec.archetype}'s frameworks (${frameworks.join(', ')}).`,
    };
  return { tone: 'good', label: 'Conforms', detail: `Archetype ${a.spec.archetype} on ${a.spec.framework}.` };
}

/** The reasons a call has no cost, as the fix each one asks for. */
function unpricedWhy(r: { unknownModel: number; noPrice: number; noUsage: number; serviceTier?: number }): string {
  const parts = [
    r.unknownModel && `${fmtNumber(r.unknownModel)} no registry Model has this name or alias`,
    r.noPrice && `${fmtNumber(r.noPrice)} no USD price that day`,
    r.noUsage && `${fmtNumber(r.noUsage)} no token counts sent`,
    r.serviceTier && `${fmtNumber(r.serviceTier)} billed at a service tier above the price`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'recorded before reasons were kept';
}

function effectiveStatus(a: Agent): string {
  return (a.status?.effective as string | undefined) ?? a.spec.status;
}

/** Who suspended the agent with the kill switch (`person:…`, `admin`, `monitor:…`), if anyone did. */
function suspendedBy(a: Agent): string | undefined {
  return (a.status?.suspension as { actor?: string } | undefined)?.actor;
}

export function AgentsPage() {
  const { me } = useSession();
  const state = useLoad(async (api) => {
    const [agents, archetypes, shadow, signals] = await Promise.all([
      ok(api.GET('/v1/agents')),
      ok(api.GET('/v1/archetypes')),
      ok(api.GET('/v1/shadow-agents', { params: { query: { limit: 1000 } } })),
      ok(api.GET('/v1/signals')),
    ]);
    return {
      agents: agents.items,
      archetypes: new Map(archetypes.items.map((a) => [a.metadata.name, a.spec])),
      shadow: shadow.items,
      signals,
    };
  }, []);
  const [pending, setPending] = useState<{ agent: string; suspend: boolean } | null>(null);
  const { api } = useSession();
  // The server's rule: the platform team (who may change the registry), or the agent's owner; an owner
  // lifts only a suspension they made (one by platform or a monitor stays until platform lifts it). A
  // suspension is the kill switch's: an agent its descriptor suspends is resumed by a registry change,
  // and the kill switch's Resume did nothing for it.
  const canSwitch = (a: Agent) => {
    if (effectiveStatus(a) === 'suspended' && !suspendedBy(a)) return false;
    if (can(me, 'registry.write')) return true;
    if (me.type !== 'person' || me.id !== a.spec.owner) return false;
    return effectiveStatus(a) !== 'suspended' || suspendedBy(a) === `person:${me.id}`;
  };

  return (
    <>
      <PageHeader title="Agents" subtitle="What runs, on which standard pattern, and the kill switch." />
      <Loaded state={state}>
        {(d) => {
          // What needs attention first: suspended, then off the standard pattern, then the rest; retired last.
          const rank = (r: { c: Conformance; status: string }) =>
            r.status === 'retired' ? 3 : r.status === 'suspended' ? 0 : r.c.tone === 'good' ? 2 : 1;
          const rows = d.agents
            .map((a) => ({ a, c: conformance(a, d.archetypes), status: effectiveStatus(a) }))
            .sort((x, y) => rank(x) - rank(y) || x.a.metadata.name.localeCompare(y.a.metadata.name));
          const live = rows.filter((r) => r.status !== 'retired');
          return (
            <>
              <div className="stats">
                <Stat label="Registered agents" value={fmtNumber(live.length)} />
                <Stat
                  label="Conform to an archetype"
                  value={fmtNumber(live.filter((r) => r.c.tone === 'good').length)}
                  tone="good"
                />
                <Stat
                  label="Ad hoc or off-standard"
                  value={fmtNumber(live.filter((r) => r.c.tone !== 'good').length)}
                  tone={live.some((r) => r.c.tone !== 'good') ? 'warn' : undefined}
                />
                <Stat
                  label="Suspended"
                  value={fmtNumber(live.filter((r) => r.status === 'suspended').length)}
                  tone={live.some((r) => r.status === 'suspended') ? 'bad' : undefined}
                />
                <Stat label="Shadow identities" value={fmtNumber(d.shadow.length)} tone={d.shadow.length ? 'bad' : 'good'} />
              </div>
              <Card
                title="Registry"
                subtitle="Suspending an agent makes every node deny its next decision (platform team or the agent's owner)."
              >
                {rows.length === 0 ? (
                  <Empty title="No agents registered">Apply Agent descriptors to see them here.</Empty>
                ) : (
                  <Table
                    columns={[
                      'Agent',
                      'Initiative and owner',
                      'Archetype and framework',
                      'Conformance',
                      'Status',
                      { label: 'Kill switch', hidden: true },
                    ]}
                  >
                    {rows.map(({ a, c, status }) => (
                      <tr key={a.metadata.name} data-agent={a.metadata.name}>
                        <td className="agent-cell">
                          <div className="strong">{a.metadata.name}</div>
                          {a.spec.description && (
                            <div className="muted small clamp">
                              <VisibleText text={a.spec.description} />
                            </div>
                          )}
                        </td>
                        <td>
                          <div>{a.spec.initiative}</div>
                          <div className="muted small">{a.spec.owner}</div>
                        </td>
                        <td>
                          <div>{a.spec.archetype ?? <span className="muted">no archetype</span>}</div>
                          <div className="muted small">
                            {a.spec.framework ? <VisibleText text={a.spec.framework} /> : 'framework not stated'}
                          </div>
                        </td>
                        <td>
                          <span className={`pill pill-${c.tone}`} title={visibleString(c.detail)}>
                            {c.label}
                          </span>
                        </td>
                        <td>
                          <Pill value={status} />
                        </td>
                        <td className="actions">
                          {canSwitch(a) && status !== 'retired' && (
                            <button
                              type="button"
                              className={`btn btn-sm ${status === 'suspended' ? '' : 'btn-danger-outline'}`}
                              onClick={() => setPending({ agent: a.metadata.name, suspend: status !== 'suspended' })}
                            >
                              {status === 'suspended' ? 'Resume' : 'Suspend'}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Card>
              <div className="grid-2">
                <Card title="Shadow agents" subtitle="Identities seen acting without a valid registration">
                  {d.shadow.length === 0 ? (
                    <Empty title="None seen">Every identity that called Fulcrum is registered.</Empty>
                  ) : (
                    <Table columns={['Identity', 'Seen by', 'Times', 'Last seen']}>
                      {d.shadow.map((s) => (
                        <tr key={`${s.identity}/${s.source}`}>
                          <td>
                            <div className="strong">
                              <VisibleText text={s.identity} />
                            </div>
                            <div className="muted small">
                              <VisibleText text={s.detail} />
                            </div>
                          </td>
                          <td>{s.source}</td>
                          <td>{fmtNumber(s.count)}</td>
                          <td className="nowrap">{fmtDateTime(s.lastSeen)}</td>
                        </tr>
                      ))}
                    </Table>
                  )}
                </Card>
                <Card title="Sprawl" subtitle="Agents per archetype, and agents that overlap">
                  <ul className="plain-list">
                    {d.signals.agentSprawl.perArchetype.map((p) => (
                      <li key={p.archetype}>
                        <span className="strong">{p.archetype}</span>: {p.agents.length} agent{p.agents.length === 1 ? '' : 's'}
                      </li>
                    ))}
                    {d.signals.agentSprawl.adHoc.length > 0 && (
                      <li>
                        <span className="strong">Ad hoc</span>: {d.signals.agentSprawl.adHoc.join(', ')}
                      </li>
                    )}
                  </ul>
                  {d.signals.agentSprawl.nearDuplicates.length > 0 && (
                    <p className="small muted">
                      {d.signals.agentSprawl.nearDuplicatePairs} pairs share most of their tools (e.g.{' '}
                      {d.signals.agentSprawl.nearDuplicates
                        .slice(0, 2)
                        .map((n) => n.agents.join(' & '))
                        .join('; ')}
                      ): candidates to consolidate.
                    </p>
                  )}
                </Card>
              </div>
              <Card
                title="Attribution mismatches"
                subtitle="Telemetry in the last 30 days that named an agent its key may not speak for: booked to the sending agent (or to none, from a collector), never to the agent it named"
              >
                {d.signals.attributionMismatches.length === 0 ? (
                  <Empty title="None seen">Every span and task event named the agent whose key sent it.</Empty>
                ) : (
                  <Table
                    columns={['Sent by', 'Named agent', 'Booked to', 'Spans', 'Events', 'Cost', 'Last seen']}
                    testId="attribution-mismatches"
                  >
                    {d.signals.attributionMismatches.map((m) => (
                      <tr key={`${m.sentBy}/${m.claimedAgent}/${m.bookedTo}`}>
                        <td className="strong">{m.sentBy}</td>
                        <td>
                          <VisibleText text={m.claimedAgent} />
                        </td>
                        <td>{m.bookedTo ?? <span className="muted">no agent</span>}</td>
                        <td>{fmtNumber(m.spans)}</td>
                        <td>{fmtNumber(m.events)}</td>
                        <td>{fmtMoney(m.costUsd)}</td>
                        <td className="nowrap">{fmtDate(m.lastDay)}</td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Card>
              <Card
                title="Unpriced model calls"
                subtitle="Model calls in the last 30 days Fulcrum could not price: left out of every cost figure, never counted as $0"
              >
                {(d.signals.unpricedModelCalls ?? []).length === 0 ? (
                  <Empty title="None">Every model call had a known model, a price and token counts.</Empty>
                ) : (
                  <Table columns={['Agent', 'Model', 'Calls', 'Why', 'Last seen']} testId="unpriced-model-calls">
                    {(d.signals.unpricedModelCalls ?? []).map((u) => (
                      <tr key={`${u.agent}/${u.model}`}>
                        <td className="strong">{u.agent}</td>
                        <td>{u.model ? <VisibleText text={u.model} /> : <span className="muted">none named</span>}</td>
                        <td>{fmtNumber(u.calls)}</td>
                        <td>{unpricedWhy(u.reasons)}</td>
                        <td className="nowrap">{fmtDate(u.lastDay)}</td>
                      </tr>
                    ))}
                  </Table>
                )}
                {(d.signals.unpricedModelCallsTotal ?? 0) > (d.signals.unpricedModelCalls ?? []).length && (
                  <p className="muted" data-testid="unpriced-model-calls-more">
                    The {fmtNumber((d.signals.unpricedModelCalls ?? []).length)} with the most calls of{' '}
                    {fmtNumber(d.signals.unpricedModelCallsTotal)} agent and model pairs with unpriced calls.
                  </p>
                )}
              </Card>
            </>
          );
        }}
      </Loaded>
      {pending && (
        <ConfirmDialog
          title={pending.suspend ? `Suspend ${pending.agent}?` : `Resume ${pending.agent}?`}
          confirmLabel={pending.suspend ? 'Suspend agent' : 'Resume agent'}
          danger={pending.suspend}
          reasonLabel="Reason (recorded in the audit log)"
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            const path = { params: { path: { name: pending.agent } }, body: { reason } };
            await ok(pending.suspend ? api.POST('/v1/agents/{name}/suspend', path) : api.POST('/v1/agents/{name}/resume', path));
            state.reload();
          }}
        >
          {pending.suspend ? (
            <p>Every Fulcrum node will deny this agent's next decision, until someone resumes it.</p>
          ) : (
            <p>The agent's decisions will be evaluated by policy again.</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
