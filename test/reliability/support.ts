/** Shared pieces of the reliability suites (test/reliability). */
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/sa";

export { API_KEY, FAKE_SERVICE_ACCOUNT };

export type Json = Record<string, any>;

/** mulberry32: a seeded PRNG for the client's retry jitter, so runs repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `jobs` with at most `limit` in flight; every job runs, failures are collected, never thrown. */
export async function runLimited<T>(
  jobs: (() => Promise<T>)[],
  limit: number,
): Promise<{ results: (T | undefined)[]; errors: unknown[] }> {
  const results: (T | undefined)[] = new Array(jobs.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      try {
        results[i] = await (jobs[i] as () => Promise<T>)();
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return { results, errors };
}

/** Resource inputs as the providers receive them (after the engine's unwrapping), by kind. */
export const inputs = {
  webhook: (name: string, url = "https://example.com/hook"): Json => ({
    name,
    configuration: { url },
  }),
  gcs: (name: string): Json => ({
    name,
    configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
  }),
  generic: (name: string, password = "generic-basic-password-41"): Json => ({
    name,
    type: "webhook",
    configuration: {
      url: "https://example.com/generic",
      auth_method: "basic",
      basic: { username: "pulumi", password },
    },
  }),
  model: (name: string, connectionId: string): Json => ({
    name,
    connectionId,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  }),
  sync: (name: string, modelId: string, connectionId: string, extra: Json = {}): Json => ({
    name,
    active: true,
    mode: "updateOrCreate",
    fields: ["email_address", "first_name", "last_name"].map((field) => ({
      source: { modelId, field },
      target: "record",
    })),
    target: { connectionId, object: "http", configuration: { batch_size: 100, record_requests: true } },
    schedule: { frequency: "manual" },
    ...extra,
  }),
};

/** The same objects as the API spells its request bodies. */
export const bodies = {
  webhook: (name: string) => ({
    name,
    type: "webhook",
    configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
  }),
  gcs: (name: string) => ({
    name,
    type: "gcs",
    configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
    validate: false,
  }),
  model: (name: string, connectionId: string) => ({
    name,
    connection_id: connectionId,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  }),
  sync: (name: string, modelId: string, connectionId: string) => ({
    name,
    mode: "updateOrCreate",
    fields: ["email_address", "first_name"].map((field) => ({
      source: { model_id: modelId, field },
      target: "record",
    })),
    target: { connection_id: connectionId, object: "http" },
    schedule: { frequency: "manual" },
  }),
};

/** Every string leaf of a value. */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
