// Initiatives: every AI use case on the register, and one of them whole (`/initiatives#<name>`):
// its outcomes and measurements, ROI and risk assessment (initiative-view.tsx).
import { Table } from '../components/table';
import { Card, Empty, Loaded, PageHeader, Pill, RiskPill } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ok } from '../lib/api';
import { fmtDate, fmtNumber, titleCase } from '../lib/format';
import { Link, useLocation } from '../lib/router';
import { useLoad } from '../lib/use-api';
import { InitiativeView } from './initiative-view';

export function InitiativesPage() {
  const { hash } = useLocation();
  const state = useLoad(async (api) => (await ok(api.GET('/v1/initiatives'))).items, []);
  const selected = hash || null;
  return (
    <>
      <PageHeader
        title="Initiatives"
        subtitle="Each AI use case: what it should deliver, what it delivers, what it returns and how risky it is."
      />
      {selected && <InitiativeView key={selected} name={selected} />}
      <Card title="On the register" subtitle="Pick one to see its outcomes, ROI and risk assessment">
        <Loaded state={state}>
          {(items) =>
            items.length === 0 ? (
              <Empty title="No initiatives on the register">Apply Initiative descriptors (fulcrum apply -f …) to see them.</Empty>
            ) : (
              <Table
                columns={['Initiative', 'Type', 'Stage', 'Declared risk tier', 'Owner', { label: 'Outcomes', num: true }]}
                testId="initiatives"
              >
                {[...items]
                  .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
                  .map((i) => (
                    <tr
                      key={i.metadata.name}
                      data-initiative={i.metadata.name}
                      className={selected === i.metadata.name ? 'row-target' : undefined}
                    >
                      <td>
                        <Link href={`/initiatives#${i.metadata.name}`} className="strong">
                          {i.metadata.name}
                        </Link>
                        <div className="muted small">
                          <VisibleText text={i.spec.title} />
                        </div>
                      </td>
                      <td>{titleCase(i.spec.type)}</td>
                      <td>
                        <Pill value={i.spec.stage} tone="neutral" />
                        {i.spec.stageSince && <div className="muted small">since {fmtDate(i.spec.stageSince)}</div>}
                      </td>
                      <td>
                        <RiskPill tier={i.spec.riskTier} />
                      </td>
                      <td>
                        <div>{i.spec.owner}</div>
                        <div className="muted small">{i.spec.businessUnit}</div>
                      </td>
                      <td className="num">{fmtNumber(i.spec.outcomes?.length ?? 0)}</td>
                    </tr>
                  ))}
              </Table>
            )
          }
        </Loaded>
      </Card>
    </>
  );
}
