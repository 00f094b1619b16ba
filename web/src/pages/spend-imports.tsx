// A budget's spend imports on the Budget page: each invoice or export booked (who, when, lines,
// total), a CSV or JSON file imported from the browser, and an import withdrawn (to book a corrected
// re-issue) with a confirmation. Importing and withdrawing need registry.write, as in the API; both
// are audited (spend.imported, spend.withdrawn).
import { type ChangeEvent, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { Table } from '../components/table';
import { Card, Empty, Loaded } from '../components/ui';
import { VisibleText } from '../components/visible-text';
import { ApiError, can, ok } from '../lib/api';
import { fmtDateTime, fmtMoney, fmtNumber } from '../lib/format';
import { useLoad, useSession } from '../lib/use-api';

/** Files larger than this are refused in the browser: the server's body limit is larger, but a spend file this size is a mistake. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function SpendImports({ budget, currency, onChange }: { budget: string; currency: string; onChange(): void }) {
  const { api, me } = useSession();
  const state = useLoad((a) => ok(a.GET('/v1/budgets/{name}/spend', { params: { path: { name: budget } } })), [budget]);
  const mayWrite = can(me, 'registry.write');
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: 'good' | 'bad'; text: string; lines?: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const money = (v: number) => fmtMoney(v, currency);

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setResult({ tone: 'bad', text: `${file.name} is ${fmtNumber(file.size)} bytes: over the 5 MiB a spend file may be.` });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      const json = file.name.toLowerCase().endsWith('.json');
      const r = await ok(
        api.POST('/v1/budgets/{name}/spend', {
          params: { path: { name: budget } },
          body: await file.text(),
          bodySerializer: (body) => body,
          headers: { 'content-type': json ? 'application/json' : 'text/csv' },
        }),
      );
      setResult({
        tone: 'good',
        text: r.alreadyImported
          ? `${file.name} was imported before, as ${r.importId}: nothing booked again. To replace it, withdraw ${r.importId}, then import the corrected file.`
          : `Imported ${r.imported} line(s) from ${file.name} as ${r.importId}, total ${money(r.total)}.`,
      });
      state.reload();
      onChange();
    } catch (err) {
      // Every bad line as the server names it (`line 3: …`); nothing was imported.
      const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as Array<{ message?: string }>) : [];
      setResult({
        tone: 'bad',
        text: `${file.name}: ${(err as Error).message}`,
        lines: details
          .map((d) => d.message ?? '')
          .filter(Boolean)
          .slice(0, 50),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title="Spend imports"
      subtitle="Invoices and exports booked against this budget. The same lines imported twice are booked once; a corrected re-issue replaces a withdrawn import."
      actions={
        mayWrite && (
          <>
            <input
              ref={input}
              type="file"
              accept=".csv,.json,text/csv,application/json"
              className="sr-only"
              aria-label={`Spend file for ${budget}`}
              onChange={upload}
            />
            <button type="button" className="btn btn-sm" disabled={busy} onClick={() => input.current?.click()}>
              {busy ? 'Importing…' : 'Import a file'}
            </button>
          </>
        )
      }
    >
      {result && (
        <div className={result.tone === 'bad' ? 'form-error' : 'form-ok'} role={result.tone === 'bad' ? 'alert' : 'status'}>
          <p>
            <VisibleText text={result.text} />
          </p>
          {result.lines && result.lines.length > 0 && (
            <ul className="plain-list small">
              {result.lines.map((l) => (
                <li key={l}>
                  <VisibleText text={l} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <Loaded state={state}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty title="No import yet">
              Import a CSV with the header date,category,amount,initiative,description (or fulcrum budget import {budget} -f
              FILE).
            </Empty>
          ) : (
            <Table
              columns={[
                'Import',
                'Imported',
                'By',
                { label: 'Lines', num: true },
                { label: 'Total', num: true },
                mayWrite && 'Action',
              ]}
            >
              {d.items.map((i) => (
                <tr key={i.importId} data-import={i.importId}>
                  <td className="mono">{i.importId}</td>
                  <td className="nowrap">{fmtDateTime(i.importedAt)}</td>
                  <td>{i.importedBy}</td>
                  <td className="num">{fmtNumber(i.imported)}</td>
                  <td className="num">{money(i.total)}</td>
                  {mayWrite && (
                    <td>
                      <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setWithdrawing(i.importId)}>
                        Withdraw
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
          )
        }
      </Loaded>
      {withdrawing && (
        <ConfirmDialog
          title={`Withdraw ${withdrawing}?`}
          confirmLabel="Withdraw import"
          danger
          onClose={() => setWithdrawing(null)}
          onConfirm={async () => {
            await ok(
              api.DELETE('/v1/budgets/{name}/spend/{importId}', { params: { path: { name: budget, importId: withdrawing } } }),
            );
            setResult({ tone: 'good', text: `Withdrew ${withdrawing} and its lines.` });
            state.reload();
            onChange();
          }}
        >
          <p>Its lines leave {budget}'s actuals. The withdrawal is recorded in the audit log.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}
