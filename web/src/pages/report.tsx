// Report: the board report as Markdown, HTML or PDF. Downloaded with the token in the header and
// saved from a Blob, so the token never appears in a URL.
import { useState } from 'react';
import { Card, Loaded, PageHeader } from '../components/ui';
import { ApiError, download as downloaded } from '../lib/api';
import { useLoad, useSession } from '../lib/use-api';

const FORMATS = [
  { format: 'pdf', label: 'PDF', hint: 'for the board pack', ext: 'pdf' },
  { format: 'html', label: 'HTML', hint: 'to read in a browser or mail', ext: 'html' },
  { format: 'md', label: 'Markdown', hint: 'to edit or put in a wiki', ext: 'md' },
] as const;

export function ReportPage() {
  const { api } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const preview = useLoad(
    async (a) => (await downloaded(a.GET('/v1/report', { params: { query: { format: 'html' } }, parseAs: 'blob' }))).blob.text(),
    [],
  );

  const download = async (format: (typeof FORMATS)[number]['format'], ext: string) => {
    setBusy(format);
    setMessage(null);
    try {
      const { blob, filename } = await downloaded(api.GET('/v1/report', { params: { query: { format } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `fulcrum-board-report-${new Date().toISOString().slice(0, 10)}.${ext}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage({ tone: 'good', text: `Downloaded ${a.download}.` });
    } catch (err) {
      const missing = err instanceof ApiError && err.status === 404 && err.code === 'not_found';
      setMessage({
        tone: 'bad',
        text: missing
          ? 'This Fulcrum server does not offer the board report (GET /v1/report). Upgrade the server to get it.'
          : (err as Error).message,
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Board report"
        subtitle="The scale-or-fail verdict, outcomes, ROI, risk and spend, as a document for the board pre-read."
      />
      <Card title="Download" subtitle="Generated now from live evidence; every number carries its provenance.">
        <div className="downloads">
          {FORMATS.map((f) => (
            <button
              key={f.format}
              type="button"
              className="download"
              onClick={() => download(f.format, f.ext)}
              disabled={busy !== null}
            >
              <span className="download-label">{busy === f.format ? 'Preparing…' : f.label}</span>
              <span className="muted small">{f.hint}</span>
            </button>
          ))}
        </div>
        {message && (
          <p className={message.tone === 'good' ? 'form-ok' : 'form-error'} role={message.tone === 'good' ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </Card>
      <Card title="Preview" subtitle="The HTML edition, as the board will read it">
        <Loaded state={preview}>
          {(html) => (
            // No scripts run in it (an empty sandbox); its own styles apply only inside the frame.
            <iframe className="report-preview" title="Board report preview" sandbox="" srcDoc={html} />
          )}
        </Loaded>
      </Card>
    </>
  );
}
