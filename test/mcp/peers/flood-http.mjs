// An MCP server of the 2025-11-25 generation over HTTP that floods a call's SSE answer. Tools:
//  flood {count?}: `count` log notifications (notifications/message) as fast as the socket takes them,
//                  then the answer `flooded <count>`; without a count, notifications until the stream
//                  is closed, never an answer
//  steady {}:      20 log notifications, then the answer (what a long tool honestly sends)
import http from 'node:http';

const note = (i) =>
  `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `step ${i}` } })}\n\n`;
const answerEvent = (id, text) =>
  `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } })}\n\n`;

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => {
    body += d;
  });
  req.on('end', () => {
    const m = JSON.parse(body);
    const answer = (result) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
    };
    if (m.id === undefined) {
      res.writeHead(202);
      return res.end();
    }
    if (m.method === 'initialize')
      return answer({ protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'flood', version: '1' } });
    if (m.method === 'tools/list')
      return answer({ tools: ['flood', 'steady'].map((name) => ({ name, inputSchema: { type: 'object' } })) });
    if (m.method === 'tools/call' && m.params.name === 'steady') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 20; i++) res.write(note(i));
      return res.end(answerEvent(m.id, 'done'));
    }
    if (m.method === 'tools/call') {
      const count = m.params.arguments?.count;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      let open = true;
      res.on('close', () => {
        open = false;
      });
      const more = () => {
        if (!open) return;
        let chunk = '';
        for (let n = 0; n < 500 && (count === undefined || i < count); n++) chunk += note(i++);
        if (count !== undefined && i >= count) return res.end(chunk + answerEvent(m.id, `flooded ${count}`));
        if (res.write(chunk)) setImmediate(more);
        else res.once('drain', more);
      };
      return more();
    }
    answer(undefined);
  });
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`LOOPBACK_PORT=${server.address().port}\n`));
