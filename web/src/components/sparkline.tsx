// A small trend line for an outcome metric (monthly values), with its target as a dashed line.
import { Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import { fmtMetric } from '../lib/format';
import { visibleString } from './visible-text';

export function Sparkline({
  series,
  unit,
  target,
  label,
}: {
  series: { period: string; value: number }[];
  unit: string;
  target?: number;
  label: string;
}) {
  if (series.length === 0) return <span className="muted small">no data yet</span>;
  const values = series.map((s) => s.value).concat(target === undefined ? [] : [target]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
  const last = series[series.length - 1];
  // The label is an outcome's name, a registry writer's text: its hidden characters written out.
  const shown = visibleString(label);
  return (
    <figure
      className="sparkline"
      aria-label={`${shown}: ${series.map((s) => `${s.period} ${fmtMetric(s.value, unit)}`).join(', ')}`}
    >
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={series} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
          <YAxis hide domain={[min - pad, max + pad]} />
          {target !== undefined && <ReferenceLine y={target} stroke="#94a3b8" strokeDasharray="3 3" />}
          <Tooltip
            cursor={false}
            formatter={(v) => [fmtMetric(Number(v), unit), shown]}
            labelFormatter={(_, p) => (p?.[0]?.payload as { period?: string } | undefined)?.period ?? ''}
            contentStyle={{ fontSize: 12, padding: '4px 8px' }}
          />
          <Line
            type="monotone"
            dataKey="value"
            stroke="#2563eb"
            strokeWidth={2}
            dot={series.length === 1}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      {last && <figcaption className="sr-only">latest {fmtMetric(last.value, unit)}</figcaption>}
    </figure>
  );
}
