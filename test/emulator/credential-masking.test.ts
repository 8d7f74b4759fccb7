import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { type ApiClient, apiClient } from "../helpers/emulator";

/**
 * The HTTP-request types (`api`, `csv`, `httpenrichment`) carry credentials in `auth` that their schemas do not
 * mark `sensitive`: the emulator masks them on every read all the same, and keeps them on an update that sends
 * the mask back.
 */

let emu: RunningEmulator;
let api: ApiClient;

beforeAll(async () => {
  emu = await startEmulator({ schemaReadyDelayMs: 0 });
  api = apiClient(emu);
});
afterAll(() => emu.close());

const MASK = "********";

function credentials(type: string) {
  return {
    password: `${type}-basic-password-a81c`,
    header: `${type}-header-value-19fe`,
    query: [`${type}-query-value-1-5d0b`, `${type}-query-value-2-5d0b`],
    clientSecret: `${type}-client-secret-e3a7`,
  };
}

function body(type: string) {
  const c = credentials(type);
  return {
    name: `${type} with credentials`,
    type,
    validate: false,
    configuration: {
      url: "https://example.com/data",
      ...(type === "httpenrichment" ? { method: "GET" } : {}),
      headers: [{ name: "Accept", value: "application/json" }],
      auth: {
        basic: { username: "pulumi", password: c.password },
        header: { name: "X-Api-Key", value: c.header },
        query: c.query.map((value, i) => ({ name: `key${i}`, value })),
        oauth: {
          client_id: "client-id",
          client_secret: c.clientSecret,
          token_endpoint: "https://example.com/oauth/token",
        },
      },
    },
  };
}

/** The `auth` block as every read must show it. */
const maskedAuth = {
  basic: { username: "pulumi", password: MASK },
  header: { name: "X-Api-Key", value: MASK },
  query: [
    { name: "key0", value: MASK },
    { name: "key1", value: MASK },
  ],
  oauth: { client_id: "client-id", client_secret: MASK, token_endpoint: "https://example.com/oauth/token" },
};

describe.each(["api", "csv", "httpenrichment"])("%s connection", (type) => {
  const c = credentials(type);
  const all = [c.password, c.header, ...c.query, c.clientSecret];

  it("masks auth.basic.password, auth.header.value, auth.query[].value and auth.oauth.client_secret on read", async () => {
    const created = await api.post("/api/connections", body(type));
    expect(created.status).toBe(200);
    const id = created.body.data.id as string;
    const got = await api.get(`/api/connections/${id}`);
    const listed = await api.get("/api/connections");
    for (const reply of [created, got]) {
      expect(reply.body.data.configuration.auth).toEqual(maskedAuth);
      // What is not a credential stays readable.
      expect(reply.body.data.configuration.headers).toEqual([{ name: "Accept", value: "application/json" }]);
    }
    for (const reply of [created, got, listed]) {
      for (const secret of all) expect(reply.text).not.toContain(secret);
    }
    // Stored in full.
    expect(emu.state.connections.get(id)?.configuration.auth).toEqual(body(type).configuration.auth);
  });

  it("an update sending the masks back keeps the stored credentials", async () => {
    const created = await api.post("/api/connections", body(type));
    const id = created.body.data.id as string;
    const echoed = { ...body(type), name: "renamed", configuration: created.body.data.configuration };
    const updated = await api.put(`/api/connections/${id}`, echoed);
    expect(updated.status).toBe(200);
    expect(updated.body.data.configuration.auth).toEqual(maskedAuth);
    expect(emu.state.connections.get(id)?.configuration.auth).toEqual(body(type).configuration.auth);
  });
});
