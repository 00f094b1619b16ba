// The Overview's "needs attention" panel: counts of what waits for a person, each linking to its page.
import { Card, Empty, Loaded } from '../components/ui';
import { ok } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-api';

/** What needs a person now, each line linking to the page where it is dealt with. */
export function Attention() {
  const state = useLoad(async (api) => {
    const [approvals, incidents, overdue, signals, shadow, agents, reviews] = await Promise.all([
      ok(api.GET('/v1/approvals', { params: { query: { status: 'pending', limit: 1000 } } })),
      ok(api.GET('/v1/incidents', { params: { query: { overdue: false, limit: 1000 } } })),
      ok(api.GET('/v1/incidents', { params: { query: { overdue: true, limit: 1000 } } })),
      ok(api.GET('/v1/signals')),
      ok(api.GET('/v1/shadow-agents', { params: { query: { limit: 1000 } } })),
      ok(api.GET('/v1/agents')),
      ok(api.GET('/v1/reviews', { params: { query: { status: 'open', limit: 1000 } } })),
    ]);
    return [
      { n: approvals.items.length, text: 'calls waiting for a human approval', href: '/approvals', tone: 'warn' },
      { n: overdue.items.length, text: 'serious incidents past their reporting deadline', href: '/incidents', tone: 'bad' },
      { n: incidents.items.filter((i) => i.status === 'open').length, text: 'open incidents', href: '/incidents', tone: 'warn' },
      {
        n: agents.items.filter((a) => a.status?.effective === 'suspended').length,
        text: 'agents suspended',
        href: '/agents',
        tone: 'bad',
      },
      { n: shadow.items.length, text: 'shadow identities acting without a registration', href: '/agents', tone: 'bad' },
      { n: signals.stalledPilots.length, text: 'pilots stalled for more than 180 days', href: '/portfolio', tone: 'warn' },
      { n: reviews.items.length, text: 'stage promotions waiting for sign-off', href: '/reviews', tone: 'info' },
    ];
  }, []);
  return (
    <Card title="Needs attention" subtitle="Right now, across the guard and governance">
      <Loaded state={state}>
        {(rows) => {
          const open = rows.filter((r) => r.n > 0);
          return open.length === 0 ? (
            <Empty title="Nothing is waiting">No approvals, incidents, suspensions, shadow agents or stalled pilots.</Empty>
          ) : (
            <ul className="attention">
              {open.map((r) => (
                <li key={r.text}>
                  <Link href={r.href}>
                    <span className={`attention-n attention-${r.tone}`}>{r.n}</span>
                    <span>{r.text}</span>
                  </Link>
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
    </Card>
  );
}
