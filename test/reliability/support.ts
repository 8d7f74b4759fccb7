/** Shared pieces of the reliability suites (test/reliability). */
import type { CreateConnectionRequest, ModelRequest, SyncRequest } from "../../src/api";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import { type Json, sampleFor } from "../kinds/samples";

/** A seeded PRNG (the emulator's own, mulberry32) for the client's retry jitter, so runs repeat. */
export { seededRandom } from "../../src/emulator/faults";
export { API_KEY, FAKE_SERVICE_ACCOUNT, type Json };

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

const webhook = sampleFor("WebhookConnection");
const gcs = sampleFor("GcsConnection");
const generic = sampleFor("Connection");
const model = sampleFor("Model");
const sync = sampleFor("Sync");

/**
 * Resource inputs as the providers receive them (after the engine's unwrapping), by kind: the samples of the
 * sample registry (test/kinds/samples.ts), with the parameters the suites vary.
 */
export const inputs = {
  webhook: (name: string, url?: string): Json => {
    const sample = webhook.inputs(name, {});
    return url === undefined ? sample : { ...sample, configuration: { ...sample.configuration, url } };
  },
  gcs: (name: string): Json => gcs.inputs(name, {}),
  generic: (name: string, password?: string): Json => {
    const sample = generic.inputs(name, {});
    if (password === undefined) return sample;
    const { configuration } = sample;
    return { ...sample, configuration: { ...configuration, basic: { ...configuration.basic, password } } };
  },
  model: (name: string, connectionId: string): Json => model.inputs(name, { GcsConnection: connectionId }),
  sync: (name: string, modelId: string, connectionId: string, extra: Json = {}): Json => ({
    ...sync.inputs(name, { Model: modelId, WebhookConnection: connectionId }),
    ...extra,
  }),
};

/** The same objects as the API spells its request bodies. */
export const bodies = {
  webhook: (name: string) => webhook.body(name, {}) as CreateConnectionRequest,
  gcs: (name: string) => gcs.body(name, {}) as CreateConnectionRequest,
  model: (name: string, connectionId: string) =>
    model.body(name, { GcsConnection: connectionId }) as ModelRequest,
  sync: (name: string, modelId: string, connectionId: string) =>
    sync.body(name, { Model: modelId, WebhookConnection: connectionId }) as SyncRequest,
};

/** Every string leaf of a value. */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
