// The node's last good backup on the Retention page (GET /v1/backup; docs/operations.md, "Backups"):
// when, where, how large, what its check found, or why the node cannot say (no silent "never").
import { Card, Empty, Loaded } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDateTime, fmtNumber, fmtRelative } from '../lib/format';
import { useLoad } from '../lib/use-api';

/** The heading for each state this console knows; a state a newer server adds is shown by its note. */
const NONE: Record<string, string | undefined> = {
  none: 'No backup recorded',
  unreadable: 'The last backup’s record cannot be read',
  elsewhere: 'Backed up outside Fulcrum',
};

export function LastBackupCard() {
  const status = useLoad((a) => ok(a.GET('/v1/backup')), []);
  return (
    <Card
      title="Last backup"
      subtitle="The last backup of this node’s database that fulcrum backup wrote whole and checked clean."
    >
      <Loaded state={status}>
        {(s) => {
          const b = s.lastBackup;
          if (!b)
            return (
              <Empty title={NONE[s.state] ?? `Backup state: ${s.state}`}>
                <VisibleText text={s.note ?? ''} />
              </Empty>
            );
          return (
            <p data-testid="last-backup">
              {fmtDateTime(b.at)} ({fmtRelative(b.at, Date.parse(b.at) + b.ageSeconds * 1000)}): <VisibleText text={b.file} />,{' '}
              {fmtNumber(b.bytes)} bytes.{' '}
              <span className="small muted">
                <VisibleText text={b.checked ?? 'What its check found was not recorded (an older fulcrum wrote it).'} />
              </span>
            </p>
          );
        }}
      </Loaded>
    </Card>
  );
}
