// Registry: what AI the enterprise runs, kind by kind (initiatives, agents, tools, models, data
// domains …), each object's whole descriptor a click away (`/registry#<plural>/<name>`), and who
// changed what lately. Each kind loads on its own: a refusal shows in its card, not as an empty table.
import { Fragment, useState } from 'react';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill } from '../components/ui';
import { HiddenCharsWarning, VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtNumber, who } from '../lib/format';
import { fact, kindNamed, REGISTRY_KINDS, type RegistryKind, registryHash } from '../lib/registry-kinds';
import { Link, useLocation, useScrollToHash } from '../lib/router';
import { useLoad } from '../lib/use-api';

/** How many recent changes the page shows at first, and after "Show more" (the API gives up to 1000). */
const CHANGES_FIRST = 10;
const CHANGES_MORE = 200;

export function RegistryPage() {
  const { hash } = useLocation();
  return (
    <>
      <PageHeader
        title="Registry"
        subtitle="Every AI initiative, agent, tool, model and data domain on the register, and who changed what."
      />
      <nav className="chips" aria-label="Registry kinds">
        {REGISTRY_KINDS.map((k) => (
          <Link key={k.plural} href={`/registry#${k.plural}`} className="chip">
            {k.label}
          </Link>
        ))}
      </nav>
      <ChangesCard />
      {REGISTRY_KINDS.map((k) => (
        <KindSection key={k.plural} k={k} hash={hash} />
      ))}
    </>
  );
}

function ChangesCard() {
  const [limit, setLimit] = useState(CHANGES_FIRST);
  const state = useLoad(
    async (api) => (await ok(api.GET('/v1/registry/changes', { params: { query: { limit } } }))).items,
    [limit],
  );
  const more = limit === CHANGES_FIRST && state.data?.length === CHANGES_FIRST;
  return (
    <Card
      title="Recent changes"
      subtitle={`The latest ${limit} registry changes, newest first`}
      id="changes"
      actions={
        more && (
          <button type="button" className="btn btn-sm" onClick={() => setLimit(CHANGES_MORE)}>
            Show the latest {CHANGES_MORE}
          </button>
        )
      }
    >
      <Loaded state={state}>
        {(changes) =>
          changes.length === 0 ? (
            <Empty title="No changes recorded">Apply descriptors (fulcrum apply -f …) and each change shows here.</Empty>
          ) : (
            <Table columns={['When', 'Who', 'Change', 'Object', { label: 'Revision', num: true }]} testId="registry-changes">
              {changes.map((c) => {
                const k = kindNamed(c.kind);
                return (
                  <tr key={c.id}>
                    <td className="nowrap">{fmtDateTime(c.at)}</td>
                    <td>{who(c.actor)}</td>
                    <td>
                      <Pill value={c.action} tone={c.action === 'deleted' ? 'bad' : c.action === 'created' ? 'good' : 'info'} />
                    </td>
                    <td>
                      <span className="muted">{c.kind}</span>{' '}
                      {k && c.action !== 'deleted' ? <Link href={`/registry#${registryHash(k, c.name)}`}>{c.name}</Link> : c.name}
                    </td>
                    <td className="num">{fmtNumber(c.revision)}</td>
                  </tr>
                );
              })}
            </Table>
          )
        }
      </Loaded>
    </Card>
  );
}

function KindSection({ k, hash }: { k: RegistryKind; hash: string }) {
  const state = useLoad(async (api) => (await ok(api.GET(k.path))).items, [k.path]);
  const mine = hash === k.plural || hash.startsWith(`${k.plural}/`);
  useScrollToHash(hash, mine && state.data !== undefined);
  const selected = hash.startsWith(`${k.plural}/`) ? hash.slice(k.plural.length + 1) : null;
  return (
    <Card
      title={k.label}
      subtitle={state.data ? `${fmtNumber(state.data.length)} on the register` : undefined}
      id={k.plural}
      className="registry-kind"
    >
      <Loaded state={state}>
        {(items) => (
          <>
            {selected !== null && !items.some((o) => o.metadata.name === selected) && (
              <p className="callout callout-warn small" role="note">
                No {k.kind} named “<VisibleText text={selected} />” is on the register (it may have been deleted).
              </p>
            )}
            {items.length === 0 ? (
              <Empty title={`No ${k.label.toLowerCase()} registered`}>Apply {k.kind} descriptors to see them here.</Empty>
            ) : (
              <Table columns={['Name', ...k.facts.map(([heading]) => heading), 'Updated']} testId={`registry-${k.plural}`}>
                {items.map((o) => {
                  const id = registryHash(k, o.metadata.name);
                  const open = hash === id;
                  return (
                    <Fragment key={o.metadata.name}>
                      <tr data-name={o.metadata.name} className={open ? 'row-target' : undefined}>
                        <td className="strong">
                          <Link href={`/registry#${open ? k.plural : id}`} aria-expanded={open}>
                            {o.metadata.name}
                          </Link>
                        </td>
                        {k.facts.map(([heading, field]) => {
                          const v = fact(o.spec, field);
                          return (
                            <td key={heading}>
                              {v === undefined ? <span className="muted">not stated</span> : <VisibleText text={v} />}
                            </td>
                          );
                        })}
                        <td className="nowrap">{fmtDate(o.metadata.updatedAt)}</td>
                      </tr>
                      {open && (
                        <tr>
                          <td colSpan={k.facts.length + 2}>
                            <Descriptor k={k} o={o} id={id} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table>
            )}
          </>
        )}
      </Loaded>
    </Card>
  );
}

interface RegistryItem {
  kind: string;
  metadata: { name: string; generation: number; createdAt: string; updatedAt: string; labels?: Record<string, string> };
  spec: unknown;
  status?: unknown;
}

/** One object whole: its spec as the API gives it, what Fulcrum observes of it, and where to see more. */
function Descriptor({ k, o, id }: { k: RegistryKind; o: RegistryItem; id: string }) {
  const spec = JSON.stringify(o.spec, null, 2);
  return (
    <div className="descriptor" id={id} tabIndex={-1}>
      <p className="small">
        {k.kind} <span className="strong">{o.metadata.name}</span>, generation {fmtNumber(o.metadata.generation)}: created{' '}
        {fmtDateTime(o.metadata.createdAt)}, last changed {fmtDateTime(o.metadata.updatedAt)}.
        {k.kind === 'Initiative' && (
          <>
            {' '}
            <Link href={`/initiatives#${o.metadata.name}`}>Outcomes, ROI and risk of this initiative</Link>.
          </>
        )}
        {k.kind === 'Agent' && (
          <>
            {' '}
            <Link href="/agents">Conformance and the kill switch on Agents</Link>.
          </>
        )}
      </p>
      {o.metadata.labels && (
        <p className="small">
          <span className="muted">Labels:</span>{' '}
          <VisibleText
            text={Object.entries(o.metadata.labels)
              .map(([l, v]) => `${l}=${v}`)
              .join(', ')}
          />
        </p>
      )}
      <HiddenCharsWarning text={spec} what="this descriptor" />
      <pre className="code" data-testid="descriptor-spec">
        <VisibleText text={spec} />
      </pre>
      {o.status !== undefined && (
        <>
          <p className="small muted">Observed by Fulcrum (not part of the descriptor):</p>
          <pre className="code">
            <VisibleText text={JSON.stringify(o.status, null, 2)} />
          </pre>
        </>
      )}
    </div>
  );
}
