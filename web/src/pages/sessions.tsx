// Your sessions: where the signed-in person is signed in (the console's cookies, `fulcrum login`), each
// ended on its own or all but this one at once; an admin (sessions.manage) looks up anyone's, to end
// them after a laptop is lost or a device code phished (docs/auth.md, "Sessions: seeing and ending them").
import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { Table } from '../components/table';
import { Card, Empty, Field, Loaded, PageHeader, Pill } from '../components/ui';
import { can, ok } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';

export function SessionsPage() {
  const { me } = useSession();
  const mayManage = can(me, 'sessions.manage');
  const own = me.type === 'person' ? me.id : null;
  const [person, setPerson] = useState<string | null>(own);
  const [draft, setDraft] = useState(own ?? '');

  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    const name = draft.trim();
    if (name) setPerson(name);
  };

  return (
    <>
      <PageHeader
        title="Your sessions"
        subtitle="Where you are signed in: the console in each browser, and fulcrum login. End any you do not recognise; API tokens are not sessions."
      />
      {mayManage && (
        <Card title="Look up a person" subtitle="As an admin you may see and end anyone's sessions.">
          <form className="filters" onSubmit={lookUp} aria-label="Look up a person's sessions">
            <Field label="Person">
              {(id) => (
                <input
                  id={id}
                  value={draft}
                  maxLength={253}
                  onChange={(e) => setDraft(e.target.value)}
                  placeholder="maria.okafor"
                />
              )}
            </Field>
            <button type="submit" className="btn btn-sm">
              Show sessions
            </button>
          </form>
        </Card>
      )}
      {person ? (
        <PersonSessions key={person} person={person} mine={person === own} />
      ) : (
        <Card title="Sessions">
          <Empty title="No person named">You are signed in with the admin token, which is no person: name one above.</Empty>
        </Card>
      )}
    </>
  );
}

function PersonSessions({ person, mine }: { person: string; mine: boolean }) {
  const { api } = useSession();
  const state = useLoad((a) => ok(a.GET('/v1/people/{name}/sessions', { params: { path: { name: person } } })), [person]);
  const [ending, setEnding] = useState<{ id: string } | { all: true } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const whose = mine ? 'your' : `${person}'s`;

  return (
    <Card
      title={mine ? 'Signed in' : `${person}'s sessions`}
      subtitle="Each session ends by itself at the time shown; ending one signs it out at its next request, on every node."
      actions={
        <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setEnding({ all: true })}>
          {mine ? 'End all other sessions' : 'End all sessions'}
        </button>
      }
    >
      {result && (
        <p className="form-ok" role="status">
          {result}
        </p>
      )}
      <Loaded state={state}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty title="No live session">
              {mine ? 'You are signed in with an API token.' : `${person} is signed in nowhere.`}
            </Empty>
          ) : (
            <>
              <Table columns={['Session', 'Kind', 'Started', 'Ends', 'Action']}>
                {d.items.map((s) => (
                  <tr key={s.id} data-session={s.id}>
                    <td className="mono">
                      {s.id} {s.current && <Pill value="this one" tone="good" />}
                    </td>
                    <td>{s.kind === 'browser' ? 'console (browser)' : 'fulcrum login (CLI)'}</td>
                    <td className="nowrap">{fmtDateTime(s.createdAt)}</td>
                    <td className="nowrap">{fmtDateTime(s.expiresAt)}</td>
                    <td>
                      {!s.current && (
                        <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setEnding({ id: s.id })}>
                          End
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
              {d.more && (
                <p className="small muted">More than 1,000 live sessions: the oldest are listed. End all to end every one.</p>
              )}
            </>
          )
        }
      </Loaded>
      {ending && (
        <ConfirmDialog
          title={'id' in ending ? `End ${ending.id}?` : `End ${mine ? 'all your other' : `all ${whose}`} sessions?`}
          confirmLabel={'id' in ending ? 'End session' : 'End sessions'}
          danger
          onClose={() => setEnding(null)}
          onConfirm={async () => {
            if ('id' in ending) {
              await ok(api.DELETE('/v1/people/{name}/sessions/{id}', { params: { path: { name: person, id: ending.id } } }));
              setResult(`Ended ${ending.id}.`);
            } else {
              const r = await ok(api.DELETE('/v1/people/{name}/sessions', { params: { path: { name: person } } }));
              setResult(r.ended.length === 0 ? 'There was no other session to end.' : `Ended ${r.ended.length} session(s).`);
            }
            state.reload();
          }}
        >
          <p>
            Whoever holds it is signed out at their next request and must sign in again. The end is recorded in the audit log.
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}
