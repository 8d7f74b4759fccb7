import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator";
import {
  apiClient,
  readyGcsConnection,
  SERVICE_ACCOUNT,
  sampleModelBody,
  webhookConnectionBody,
} from "../helpers/emulator";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-state-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("stateFile", () => {
  it("persists connections, models, syncs and idempotency records across a restart", async () => {
    const stateFile = path.join(dir, "nested", "state.json");
    const first = await startEmulator({ stateFile, schemaReadyDelayMs: 60_000 });
    const api = apiClient(first);
    const source = await readyGcsConnection(api, first);
    const model = (await api.post("/api/models", sampleModelBody(source))).body.data;
    const headers = { "Idempotency-Key": "persisted-key-1" };
    const hook = await api.post("/api/connections", webhookConnectionBody(), { headers });
    const sync = await api.post("/api/syncs", {
      name: "s",
      mode: "create",
      fields: [{ source: { model_id: model.id, field: "email_address" }, target: "record" }],
      schedule: { frequency: "manual" },
      target: { connection_id: hook.body.data.id, object: "http" },
    });
    expect(sync.status).toBe(200);
    await first.close();

    const saved = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(saved.version).toBe(1);
    expect(saved.connections).toHaveLength(2);

    const second = await startEmulator({ stateFile });
    try {
      const api2 = apiClient(second);
      const conn = await api2.get(`/api/connections/${source}`);
      expect(conn.status).toBe(200);
      expect(second.state.connections.get(source)?.configuration.service_account).toBe(SERVICE_ACCOUNT);
      expect((await api2.get(`/api/connections/${source}/schemas/status`)).body.data.cache_status).toBe(
        "fresh",
      );
      expect((await api2.get(`/api/models/${model.id}`)).body.data).toEqual(model);
      expect((await api2.get(`/api/syncs/${sync.body.data.id}`)).body.data).toEqual(sync.body.data);
      const replay = await api2.post("/api/connections", webhookConnectionBody(), { headers });
      expect(replay.text).toBe(hook.text);
      expect(second.state.connections.size).toBe(2);
      // deletes persist too
      await api2.del(`/api/syncs/${sync.body.data.id}`);
    } finally {
      await second.close();
    }
    const third = await startEmulator({ stateFile });
    try {
      expect(third.state.syncs.size).toBe(0);
      expect(third.state.models.size).toBe(1);
    } finally {
      await third.close();
    }
  });

  it("starts empty when the file does not exist yet, and creates it on the first change", async () => {
    const stateFile = path.join(dir, "fresh.json");
    const e = await startEmulator({ stateFile });
    try {
      expect(e.state.connections.size).toBe(0);
      expect(fs.existsSync(stateFile)).toBe(false);
      await apiClient(e).get("/api/me");
      expect(fs.existsSync(stateFile)).toBe(false);
      await apiClient(e).post("/api/connections", webhookConnectionBody());
      expect(fs.existsSync(stateFile)).toBe(true);
    } finally {
      await e.close();
    }
  });
});
