// The LLM gateway's spend limits on the Budget page: each limit in its current period (settled
// spend, the worst case held by calls in flight, what is left) and its burn-down: what was left at
// the end of each hour with spend, from the limit at the period's start.
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GetResult } from '../../../src/client/index';
import { Card, Empty, Loaded, Pill, Progress } from '../components/ui';
import { ok } from '../lib/api';
import { fmtDate, fmtDateTime, fmtMoney, fmtPercent } from '../lib/format';
import { useLoad } from '../lib/use-api';

type LimitStatus = GetResult<'/v1/spend-limits/{name}/status'>;

/** Dollars with cents, and as many digits as it takes under a dollar (gateway calls cost fractions of a cent). */
const usd = (v: number): string => fmtMoney(v);

export function SpendLimits() {
  const state = useLoad(
    async (api) => {
      // A page (100 limits) a request, not a request per limit.
      const limits: LimitStatus[] = [];
      let after: string | undefined;
      do {
        const page = await ok(api.GET('/v1/spend-limit-status', { params: { query: after === undefined ? {} : { after } } }));
        limits.push(...page.items);
        after = page.nextCursor;
      } while (after !== undefined);
      return limits;
    },
    [],
    15_000,
  );
  return (
    <Card
      title="LLM spend limits"
      subtitle="Enforced by the LLM gateway on every model call. In flight is the worst case of calls not yet settled; a call is admitted only if it fits."
    >
      <Loaded state={state}>
        {(limits) =>
          limits.length === 0 ? (
            <Empty title="No spend limit">
              Add a SpendLimit descriptor (an agent, initiative or business unit; per day, week or month) and point agents' LLM
              clients at /llm/openai/v1 or /llm/anthropic/v1.
            </Empty>
          ) : (
            <div className="grid-2">
              {limits.map((l) => (
                <LimitView key={l.name} limit={l} />
              ))}
            </div>
          )
        }
      </Loaded>
    </Card>
  );
}

function LimitView({ limit: l }: { limit: LimitStatus }) {
  const used = l.limitUsd > 0 ? (l.spentUsd + l.reservedUsd) / l.limitUsd : 1;
  const left = 1 - Math.min(1, used);
  const scope = Object.entries(l.scope)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const from = Date.parse(l.periodStart);
  const to = Date.parse(l.periodEnd);
  const last = l.burnDown.at(-1)?.remainingUsd ?? l.limitUsd;
  // On a time axis over the whole period: the limit at its start, what was left after each hour with
  // spend, and now.
  const points = [
    { t: from, remaining: l.limitUsd },
    ...l.burnDown.map((b) => ({ t: Date.parse(b.hour) + 3_600_000, remaining: b.remainingUsd })),
    { t: Math.min(Date.now(), to), remaining: last },
  ];
  const when = (t: number) => fmtDateTime(new Date(t).toISOString());
  const label = `Burn-down of ${l.name}: ${points.map((p) => `${when(p.t)} ${usd(p.remaining)} left`).join('; ')}`;
  return (
    <section aria-label={`Spend limit ${l.name}`}>
      <h3>
        {l.name} {l.enforce === 'alert' && <Pill value="alert" tone="info" label="Alert only" />}
        {l.alertedAt && <Pill value="passed" tone="bad" label={`Passed at ${fmtDateTime(l.alertedAt)}`} />}
      </h3>
      <p className="muted small">
        {scope} · {usd(l.limitUsd)} per {l.period} · {fmtDateTime(l.periodStart)} – {fmtDateTime(l.periodEnd)}
      </p>
      <Progress value={left} label={`${l.name}: ${fmtPercent(left)} left`} />
      <p>
        Spent <strong>{usd(l.spentUsd)}</strong> ({l.calls} calls) · in flight <strong>{usd(l.reservedUsd)}</strong> · left{' '}
        <strong className={l.remainingUsd <= 0 ? 'text-bad' : ''}>{usd(l.remainingUsd)}</strong> ({fmtPercent(left)})
      </p>
      <div className="chart" role="img" aria-label={label}>
        <ResponsiveContainer width="100%" height={140}>
          <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[from, to]}
              tickFormatter={(v) => fmtDate(new Date(Number(v)).toISOString())}
              tick={{ fontSize: 11 }}
              minTickGap={40}
            />
            <YAxis
              domain={[0, l.limitUsd]}
              tickFormatter={(v) => fmtMoney(Number(v), 'USD', true)}
              tick={{ fontSize: 11 }}
              width={72}
            />
            <ReferenceLine y={0} stroke="#dc2626" />
            <Tooltip formatter={(v) => [usd(Number(v)), 'Left']} labelFormatter={(v) => when(Number(v))} />
            <Area type="stepAfter" dataKey="remaining" stroke="#1d4ed8" fill="#bfdbfe" isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
