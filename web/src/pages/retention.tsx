// Retention: how long each kind of data is kept (GET /v1/retention), the cut-off each period gives
// today, the last purge that removed anything (the audit log's retention.purged), and a purge now for
// the people the server lets (registry.write), after a confirmation that shows the server's preview of
// what goes and what is held; those people change the periods here too (docs/governance.md, "Retention").
import { useState } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { can, ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtNumber, who } from '../lib/format';
import { cutoff, type DataType, type Policy, type Purged, TYPE_KEYS, TYPES } from '../lib/retention';
import { useLoad, useSession } from '../lib/use-api';
import { LastBackupCard } from './retention-backup';
import { PeriodsForm, PurgePreview } from './retention-forms';

export function RetentionPage() {
  const { api, me } = useSession();
  const mayPurge = can(me, 'registry.write');
  const policy = useLoad((a) => ok(a.GET('/v1/retention')), []);
  const last = useLoad((a) => ok(a.GET('/v1/audit', { params: { query: { kind: 'retention.purged', limit: 1 } } })), []);
  const [asking, setAsking] = useState(false);
  const [purged, setPurged] = useState<Purged | null>(null);

  return (
    <>
      <PageHeader
        title="Retention"
        subtitle="How long each kind of data is kept, and the purge that enforces it. Every node also purges on a timer (FULCRUM_RETENTION_INTERVAL_HOURS)."
        actions={
          mayPurge && (
            <button type="button" className="btn btn-danger-outline" onClick={() => setAsking(true)} disabled={!policy.data}>
              Purge now…
            </button>
          )
        }
      />
      {purged && <PurgeResult result={purged} />}
      <Loaded state={policy}>{(p) => <Periods policy={p} mayChange={mayPurge} onSaved={policy.reload} />}</Loaded>
      <Card
        title="Last purge that removed anything"
        subtitle="From the audit log; a purge that found nothing due records nothing."
      >
        <Loaded state={last}>
          {(d) => {
            const e = d.items[0];
            if (!e) return <Empty title="No purge has removed anything yet" />;
            const deleted = (e.detail.deleted ?? {}) as Partial<Record<DataType, number>>;
            return (
              <p data-testid="last-purge">
                {fmtDateTime(e.at)} by <VisibleText text={who(e.actor)} />:{' '}
                {TYPE_KEYS.filter((k) => (deleted[k] ?? 0) > 0)
                  .map((k) => `${fmtNumber(deleted[k])} ${TYPES[k].label.toLowerCase()}`)
                  .join(', ')}
                .
              </p>
            );
          }}
        </Loaded>
      </Card>
      <LastBackupCard />
      {asking && policy.data && (
        <ConfirmDialog
          title="Purge what is past its period now?"
          confirmLabel="Purge"
          danger
          onClose={() => setAsking(false)}
          onConfirm={async () => {
            setPurged(await ok(api.POST('/v1/retention/purge')));
            last.reload();
          }}
        >
          <PurgePreview policy={policy.data} />
        </ConfirmDialog>
      )}
    </>
  );
}

function Periods({ policy, mayChange, onSaved }: { policy: Policy; mayChange: boolean; onSaved(): void }) {
  return (
    <Card
      title="Periods"
      subtitle={`Logs of high-risk and prohibited initiatives' agents are kept at least ${policy.highRiskFloorDays} days whatever the period, and data of agents linked to an incident that is not closed until it closes.`}
    >
      <Table testId="retention" columns={['Data', { label: 'Kept (days)', num: true }, 'A purge today removes', 'How']}>
        {TYPE_KEYS.map((k) => (
          <tr key={k} data-type={k}>
            <td>{TYPES[k].label}</td>
            <td className="num">{fmtNumber(policy.periods[k])}</td>
            <td className="nowrap">before {fmtDate(cutoff(policy.periods[k]))}</td>
            <td className="small">{TYPES[k].action}</td>
          </tr>
        ))}
      </Table>
      {mayChange ? (
        <PeriodsForm policy={policy} onSaved={onSaved} />
      ) : (
        <p className="small muted">
          Changing a period: fulcrum retention set TYPE=DAYS (platform or admin), or PUT /v1/retention.
        </p>
      )}
    </Card>
  );
}

function PurgeResult({ result }: { result: Purged }) {
  const removed = TYPE_KEYS.filter((k) => result[k] > 0);
  const { held } = result;
  return (
    <Card title="Purge done" className="purge-result">
      <p role="status" data-testid="purge-result">
        {removed.length === 0
          ? 'Nothing was past its period: nothing was removed.'
          : `Removed ${removed.map((k) => `${fmtNumber(result[k])} ${TYPES[k].label.toLowerCase()}`).join(', ')}.`}
      </p>
      {result.auditHeldBack && (
        <p className="callout callout-warn" role="note">
          No audit entry was purged: <VisibleText text={result.auditHeldBack} />
        </p>
      )}
      {held.highRiskCount + held.incidentCount > 0 && (
        <ul className="plain-list small">
          {held.highRiskCount > 0 && (
            <li>
              Held at the high-risk floor ({fmtNumber(held.highRiskCount)} agents):{' '}
              <VisibleText text={held.highRisk.join(', ')} />
              {held.highRiskCount > held.highRisk.length && ` and ${fmtNumber(held.highRiskCount - held.highRisk.length)} more`}
            </li>
          )}
          {held.incidentCount > 0 && (
            <li>
              Held for an open incident ({fmtNumber(held.incidentCount)} agents): <VisibleText text={held.incident.join(', ')} />
              {held.incidentCount > held.incident.length && ` and ${fmtNumber(held.incidentCount - held.incident.length)} more`}
            </li>
          )}
        </ul>
      )}
    </Card>
  );
}
