// A local webhook receiver on 127.0.0.1: records every request Polytomic (here, the emulator) delivers and
// answers it as told. Used by `npm run demo` and by the tests (typed by test/helpers/webhook-receiver.ts).
const http = require("node:http");

/**
 * Starts a receiver on an ephemeral loopback port. `respond(request, index)` decides each answer: a status
 * number, `{ status, body }`, `"hang"` (never answer), or undefined for 200. Every request is kept in `requests`, its JSON body
 * parsed.
 */
async function startWebhookReceiver(options = {}) {
  const requests = [];
  let respond = options.respond ?? (() => 200);
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const recorded = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      const answer = respond(recorded, requests.length - 1) ?? 200;
      if (answer === "hang") return;
      const status = typeof answer === "number" ? answer : answer.status;
      const reply =
        typeof answer === "object" && answer.body !== undefined
          ? answer.body
          : status >= 200 && status < 300
            ? { ok: true }
            : { error: `status ${status}` };
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Every record received, in order: `object.records[]` of each `sync.records` request. */
    records: () =>
      requests.flatMap((r) =>
        r.body && r.body.event === "sync.records" && Array.isArray(r.body.object?.records)
          ? r.body.object.records
          : [],
      ),
    setRespond(next) {
      respond = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

module.exports = { startWebhookReceiver };
