import type { RunningEmulator } from "../../src/emulator";

import { API_KEY, FAKE_SERVICE_ACCOUNT } from "./fixtures";

/** The fixtures' key (which an emulator started without `apiKeys` accepts) and service-account key. */
export { API_KEY, FAKE_SERVICE_ACCOUNT as SERVICE_ACCOUNT };

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (`undefined` for an empty body). */
  body: any;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Leave out the Authorization header. */
  noAuth?: boolean;
  /** Send this text as the body instead of JSON-encoding `body`. */
  rawBody?: string;
  signal?: AbortSignal;
}

/** A small fetch wrapper for contract tests (global fetch, not the project's client). */
export function apiClient(emulator: RunningEmulator, key = API_KEY) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.noAuth && headers.Authorization === undefined) headers.Authorization = `Bearer ${key}`;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: text === "" ? undefined : JSON.parse(text),
    };
  };
  return {
    call,
    get: (path: string, options?: CallOptions) => call("GET", path, undefined, options),
    post: (path: string, body?: unknown, options?: CallOptions) => call("POST", path, body, options),
    put: (path: string, body?: unknown, options?: CallOptions) => call("PUT", path, body, options),
    del: (path: string, options?: CallOptions) => call("DELETE", path, undefined, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export function gcsConnectionBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "GCS source",
    type: "gcs",
    configuration: { service_account: FAKE_SERVICE_ACCOUNT, bucket: "my-bucket" },
    validate: false,
    ...overrides,
  };
}

export function webhookConnectionBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "Webhook target",
    type: "webhook",
    configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
    ...overrides,
  };
}

/** Creates a GCS connection and makes its schema cache ready; returns its id. */
export async function readyGcsConnection(
  api: ApiClient,
  emulator: RunningEmulator,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await api.post("/api/connections", gcsConnectionBody(overrides));
  if (created.status !== 200) throw new Error(`create connection: ${created.status} ${created.text}`);
  const id = created.body.data.id as string;
  emulator.setSchemaReady(id);
  return id;
}

export function sampleModelBody(connectionId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "High paying users",
    connection_id: connectionId,
    configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
