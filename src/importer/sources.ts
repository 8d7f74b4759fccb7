/**
 * Where the importer finds each kind of object: one line per object kind of the kinds table (src/kinds.ts), in
 * the order the summary lists them. Connections, whose class depends on their type, are read by
 * ./organization.ts itself. A kind added to the table needs one line here (test/importer/sources.test.ts fails
 * naming it until it has one, or a reason in {@link NOT_IMPORTED}); the read itself goes through the kind's spec.
 */

import { z } from "zod";
import type { PolytomicClient } from "../client";
import { KINDS } from "../kinds";
import type {
  BulkFieldSelection,
  BulkSchemaSelection,
  BulkSchemaSettings,
  HeldField,
  HeldSchema,
} from "../providers/bulk-schemas";
import { compact } from "../providers/plain";
import type { CompleteArgs } from "./objects";

/** How the importer lists one object kind, and what it adds to the spec's read. */
export interface ObjectSource {
  /** The kind (a key of `KINDS`). */
  readonly kind: string;
  /** The summary's group, plural. */
  readonly group: string;
  /** The ids of every object of the kind. */
  list(client: PolytomicClient): Promise<string[]>;
  /** Fills in what the spec's read leaves out without a previous state (see {@link completeModel}). */
  readonly complete?: CompleteArgs;
  /**
   * Reads what the object's arguments need besides the object itself (default: the spec's `afterRead`, as a
   * refresh does). Bulk syncs read each schema's fields this way.
   */
  readonly enrich?: (
    client: PolytomicClient,
    response: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
}

const Page = z.looseObject({
  data: z
    .array(z.looseObject({ id: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  pagination: z.looseObject({ next_page_token: z.string().nullish() }).nullish(),
});

/** Every id of a list endpoint, following `pagination.next_page_token` where the endpoint pages. */
export function listIds(path: string) {
  return async (client: PolytomicClient): Promise<string[]> => {
    const ids: string[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.transport.call("GET", path, {
        query: { page_token: token },
        schema: Page,
        bare: true,
      });
      ids.push(...page.data.map((item) => item.id));
      token = page.pagination?.next_page_token ?? undefined;
      if (token !== undefined && tokens.has(token)) break; // a server repeating itself: stop, not loop
      if (token !== undefined) tokens.add(token);
    } while (token !== undefined && token !== "");
    return [...new Set(ids)];
  };
}

interface AnswerField {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  example?: unknown;
  user_added?: unknown;
}

/**
 * A model's `fields` and `additionalFields` as Polytomic holds them. The spec's read keeps the program's own
 * choice (a refresh has it); an import has none, and leaving `fields` out would select every column of the source
 * on adoption, so the model's current columns are named, and the added fields keep their examples.
 */
export const completeModel: CompleteArgs = (args, response) => {
  const fields = (Array.isArray(response.fields) ? response.fields : []) as AnswerField[];
  const own = fields.filter((f) => f.user_added !== true && typeof f.name === "string").map((f) => f.name);
  const added = fields
    .filter((f) => f.user_added === true && typeof f.name === "string")
    .map((f) =>
      compact({
        name: f.name,
        label: typeof f.label === "string" && f.label !== "" ? f.label : f.name,
        type: typeof f.type === "string" && f.type !== "" ? f.type : "string",
        example: f.example === null ? undefined : f.example,
      }),
    );
  return {
    ...args,
    fields: own.length > 0 ? own : undefined,
    additionalFields: added.length > 0 ? added : undefined,
  };
};

/**
 * A bulk sync with every schema read one by one (the list leaves their fields out): the spec's `afterRead`, as
 * for a program that names every schema.
 */
export async function enrichBulkSync(
  client: PolytomicClient,
  response: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const spec = KINDS.get("BulkSync")?.spec;
  if (spec?.afterRead === undefined) return response;
  const schemas = await client.bulkSyncs.listSchemas(String(response.id));
  const previous = { schemas: schemas.map((schema) => ({ id: schema.id })) };
  return (await spec.afterRead(client, response as never, previous as never)) as Record<string, unknown>;
}

/**
 * A schema as a bulk sync's `schemas` item, from what Polytomic holds: its id alone when every field is synced
 * as is and nothing is set; otherwise its settings, every field listed when one is disabled or has settings.
 * A disabled schema is listed disabled, so adoption keeps it so.
 */
export function schemaSelection(held: HeldSchema): BulkSchemaSelection {
  if (held.enabled === false) return { id: held.id, enabled: false };
  const fields = held.fields ?? [];
  const plain = (f: HeldField) =>
    f.enabled !== false && f.obfuscate !== true && f.userOutputName === undefined;
  const settings = compact({
    id: held.id,
    fields: fields.every(plain)
      ? undefined
      : fields.map((f): BulkFieldSelection => {
          const field = compact({
            id: f.id,
            enabled: f.enabled === false ? false : undefined,
            obfuscate: f.obfuscate === true ? true : undefined,
            userOutputName: f.userOutputName,
          });
          return Object.keys(field).length === 1 ? f.id : field;
        }),
    filters: held.filters !== undefined && held.filters.length > 0 ? held.filters : undefined,
    partitionKey: held.partitionKey,
    trackingField: held.trackingField,
    userOutputName: held.userOutputName,
    dataCutoffTimestamp: held.dataCutoffTimestamp,
    disableDataCutoff: held.disableDataCutoff === true ? true : undefined,
  });
  return Object.keys(settings).length === 1 ? held.id : (settings as BulkSchemaSettings);
}

/** A bulk sync's `schemas` as Polytomic holds them (the spec's read gives them only for schemas a program names). */
export const completeBulkSync: CompleteArgs = (args, response) => {
  const held = (Array.isArray(response.heldSchemas) ? response.heldSchemas : []) as HeldSchema[];
  return { ...args, schemas: held.length > 0 ? held.map(schemaSelection) : undefined };
};

/** The object kinds the importer reads, in the order the summary lists them. */
export const OBJECT_SOURCES: readonly ObjectSource[] = [
  { kind: "Model", group: "models", list: listIds("/api/models"), complete: completeModel },
  { kind: "Sync", group: "model syncs", list: listIds("/api/syncs") },
  {
    kind: "BulkSync",
    group: "bulk syncs",
    list: listIds("/api/bulk/syncs"),
    enrich: enrichBulkSync,
    complete: completeBulkSync,
  },
];

/** Object kinds of the kinds table the importer leaves out, each with the reason (shown by `--help`). */
export const NOT_IMPORTED: Readonly<Record<string, string>> = {
  SyncExecution: "a run of a model sync is an event, not configuration",
  BulkSyncExecution: "a run of a bulk sync is an event, not configuration",
};
