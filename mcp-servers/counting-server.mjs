// An MCP server over streamable HTTP whose one tool, `hold`, keeps a call open for a while and counts, at
// the tool, how many tasks it serves at once. Keiko's capacity tests use it to check an agent's
// concurrency limit from outside Keiko. A call names its task with `label`; a retried call of the same task
// (after its worker died) counts once. A call ends early when Keiko cancels it (notifications/cancelled), and
// when the HTTP exchange that carries it closes before its answer (its caller died): nobody then waits for
// it, and it is counted as `abandoned`. Its tool `fail` answers an error (isError) whose text is its `message`,
// as a tool that quotes its arguments in its errors does.
//
//   node counting-server.mjs [port]      prints "counting-server listening on <port>"
//   GET  /stats                          {"maxAtOnce": n, "atOnce": n, "starts": [{"label", "at", "session"}],
//                                         "ends": [{"label", "at", "how"}]}
//   POST /reset                          forgets everything counted so far
import express from 'express';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const calls = new Map(); // label -> calls of that label in flight
const exchanges = new Map(); // "<session>/<request id>" -> aborted when the exchange closes unanswered
let maxAtOnce = 0;
let starts = [];
let ends = [];

function started(label, session) {
  calls.set(label, (calls.get(label) ?? 0) + 1);
  maxAtOnce = Math.max(maxAtOnce, calls.size);
  starts.push({ label, at: Date.now(), session });
}

function ended(label, how) {
  const left = calls.get(label) - 1;
  if (left === 0) {
    calls.delete(label);
  } else {
    calls.set(label, left);
  }
  ends.push({ label, at: Date.now(), how });
}

function newServer() {
  const server = new McpServer({ name: 'counting-server', version: '1.0.0' });
  server.registerTool('hold', {
    description: 'Holds the call open for `millis` and counts the labels held at once',
    inputSchema: { label: z.string(), millis: z.number().int().min(0).max(600000) },
  }, async ({ label, millis }, extra) => {
    started(label, extra.sessionId);
    const exchange = exchanges.get(`${extra.sessionId}/${extra.requestId}`);
    const how = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('completed'), millis);
      const stop = (why) => () => {
        clearTimeout(timer);
        resolve(why);
      };
      extra.signal.addEventListener('abort', stop('cancelled'));
      exchange?.signal.addEventListener('abort', stop('abandoned'));
    });
    ended(label, how);
    return { content: [{ type: 'text', text: `held ${label} for ${millis} ms` }] };
  });
  server.registerTool('fail', {
    description: 'Answers an error whose text is `message`',
    inputSchema: { message: z.string() },
  }, async ({ message }) => ({ content: [{ type: 'text', text: message }], isError: true }));
  return server;
}

const transports = new Map(); // session id -> transport
const app = express();
app.use(express.json());

app.post('/mcp', async (req, res) => {
  const sessionId = req.headers['mcp-session-id'];
  let transport = sessionId ? transports.get(sessionId) : undefined;
  if (!transport) {
    if (sessionId || !isInitializeRequest(req.body)) {
      res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'No such session' }, id: null });
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => transports.set(id, transport),
    });
    transport.onclose = () => transports.delete(transport.sessionId);
    await newServer().connect(transport);
  }
  const keys = (Array.isArray(req.body) ? req.body : [req.body])
    .filter((message) => message?.method === 'tools/call' && message.id !== undefined)
    .map((message) => `${sessionId}/${message.id}`);
  keys.forEach((key) => exchanges.set(key, new AbortController()));
  res.on('close', () => keys.forEach((key) => {
    if (!res.writableFinished) {
      exchanges.get(key)?.abort();
    }
    exchanges.delete(key);
  }));
  await transport.handleRequest(req, res, req.body);
});

const bySession = async (req, res) => {
  const transport = transports.get(req.headers['mcp-session-id']);
  if (!transport) {
    res.status(400).send('No such session');
    return;
  }
  await transport.handleRequest(req, res);
};
app.get('/mcp', bySession);
app.delete('/mcp', bySession);

app.get('/stats', (req, res) => res.json({ maxAtOnce, atOnce: calls.size, starts, ends }));
app.post('/reset', (req, res) => {
  maxAtOnce = calls.size;
  starts = [];
  ends = [];
  res.json({ atOnce: calls.size });
});

const listener = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`counting-server listening on ${listener.address().port}`);
});
