/**
 * The emulator's source catalog: what connections that are not buckets offer as sources (a Salesforce org's
 * objects, a database's tables). A JSON file lists, per connection type (`connectionTypes`) or per connection
 * name (`connections`, which wins), the schemas with their fields and types and optional sample rows:
 *
 * ```json
 * { "connectionTypes": { "salesforce": { "schemas": [
 *     { "id": "Account", "trackingField": "SystemModstamp",
 *       "fields": [{ "name": "Id", "type": "string", "remoteType": "id", "primaryKey": true }, ...],
 *       "rows": [{ "Id": "001...", ... }] } ] } } }
 * ```
 *
 * Bulk syncs read their source schemas from it, models over a `table` their fields. Schemas and fields can be
 * added to one connection at run time ({@link SourceCatalog.addSchema}, {@link SourceCatalog.addField}), as a
 * source grows: bulk syncs then discover them.
 */

import * as fs from "node:fs";
import { z } from "zod";
import { deepCopy } from "./config-paths";

/** A field's type (`UtilFieldType`). */
export const FIELD_TYPES = [
  "string",
  "number",
  "boolean",
  "datetime",
  "array",
  "object",
  "binary",
  "unknown",
] as const;

const CatalogFieldInput = z
  .object({
    name: z.string().min(1),
    id: z.string().min(1).optional(),
    type: z.enum(FIELD_TYPES).default("string"),
    remoteType: z.string().optional(),
    primaryKey: z.boolean().optional(),
  })
  .strict();

const CatalogSchemaInput = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1).optional(),
    trackingField: z.string().optional(),
    fields: z.array(CatalogFieldInput).min(1),
    rows: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict();

const CatalogEntry = z.object({ schemas: z.array(CatalogSchemaInput) }).strict();

const CatalogFile = z
  .object({
    $comment: z.string().optional(),
    connectionTypes: z.record(z.string(), CatalogEntry).default({}),
    connections: z.record(z.string(), CatalogEntry).default({}),
  })
  .strict();

/** The catalog as its JSON file spells it (see the module's comment). */
export type CatalogData = z.input<typeof CatalogFile>;
/** A field, as the catalog file gives it. */
export type CatalogFieldInput = z.input<typeof CatalogFieldInput>;
/** A schema, as the catalog file gives it. */
export type CatalogSchemaInput = z.input<typeof CatalogSchemaInput>;

/** A field of a source schema (`SchemaField`). */
export interface SourceField {
  id: string;
  name: string;
  type: (typeof FIELD_TYPES)[number];
  remote_type: string;
  is_primary_key: boolean;
}

/** A schema a source offers: its fields and sample rows. */
export interface SourceSchema {
  id: string;
  name: string;
  fields: SourceField[];
  /** The field Polytomic would track changes with; `""` when none. */
  tracking_field: string;
  rows: Record<string, unknown>[];
}

function sourceField(f: z.output<typeof CatalogFieldInput>): SourceField {
  return {
    id: f.id ?? f.name,
    name: f.name,
    type: f.type,
    remote_type: f.remoteType ?? f.type,
    is_primary_key: f.primaryKey === true,
  };
}

function sourceSchema(s: z.output<typeof CatalogSchemaInput>): SourceSchema {
  return {
    id: s.id,
    name: s.name ?? s.id,
    fields: s.fields.map(sourceField),
    tracking_field: s.trackingField ?? "",
    rows: s.rows,
  };
}

/** What a connection is to the catalog. */
export interface CatalogConnection {
  id: string;
  name: string;
  type: string;
}

/** Schemas and fields added to one connection at run time. */
interface Additions {
  schemas: SourceSchema[];
  fields: Map<string, SourceField[]>;
}

/** The catalog of a running emulator. */
export class SourceCatalog {
  private readonly byType: ReadonlyMap<string, SourceSchema[]>;
  private readonly byName: ReadonlyMap<string, SourceSchema[]>;
  private readonly additions = new Map<string, Additions>();

  constructor(data: CatalogData = {}) {
    const parsed = CatalogFile.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? "" : issue.path.join(".");
      throw new Error(
        `invalid source catalog: ${where === "" ? "" : `${where}: `}${issue?.message ?? "invalid"}`,
      );
    }
    const entries = (r: Record<string, z.output<typeof CatalogEntry>>) =>
      new Map(Object.entries(r).map(([k, v]) => [k, v.schemas.map(sourceSchema)]));
    this.byType = entries(parsed.data.connectionTypes);
    this.byName = entries(parsed.data.connections);
  }

  /** Reads a catalog file (JSON); the error names the file and what is wrong in it. */
  static fromFile(file: string): SourceCatalog {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`cannot read the source catalog ${file}: ${(e as Error).message}`);
    }
    try {
      return new SourceCatalog(data as CatalogData);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
  }

  /** Whether the catalog lists schemas for the connection (by its name, by its type, or added at run time). */
  has(connection: CatalogConnection): boolean {
    return (
      this.byName.has(connection.name) ||
      this.byType.has(connection.type) ||
      this.additions.has(connection.id)
    );
  }

  /**
   * The schemas the catalog gives the connection: those listed for its name, else for its type, followed by
   * those added at run time, each with the fields added at run time. Copies: callers may keep them.
   */
  schemasOf(connection: CatalogConnection): SourceSchema[] {
    const listed = this.byName.get(connection.name) ?? this.byType.get(connection.type) ?? [];
    return this.withAdditions(connection.id, listed);
  }

  /** `base` (e.g. a bucket's files) with the schemas and fields added to the connection at run time. */
  withAdditions(connectionId: string, base: readonly SourceSchema[]): SourceSchema[] {
    const added = this.additions.get(connectionId);
    const schemas = deepCopy([...base, ...(added?.schemas ?? [])]) as SourceSchema[];
    for (const schema of schemas) {
      const fields = added?.fields.get(schema.id) ?? [];
      for (const f of fields) if (!schema.fields.some((x) => x.id === f.id)) schema.fields.push(deepCopy(f));
    }
    return schemas;
  }

  /** Adds a schema to one connection's source (a new object, a new table). */
  addSchema(connectionId: string, schema: CatalogSchemaInput): void {
    const parsed = sourceSchema(CatalogSchemaInput.parse(schema));
    const added = this.additionsOf(connectionId);
    added.schemas = [...added.schemas.filter((s) => s.id !== parsed.id), parsed];
  }

  /** Adds a field to one schema of a connection's source (a new column). */
  addField(connectionId: string, schemaId: string, field: CatalogFieldInput): void {
    const parsed = sourceField(CatalogFieldInput.parse(field));
    const added = this.additionsOf(connectionId);
    const fields = added.fields.get(schemaId) ?? [];
    added.fields.set(schemaId, [...fields.filter((f) => f.id !== parsed.id), parsed]);
  }

  private additionsOf(connectionId: string): Additions {
    let added = this.additions.get(connectionId);
    if (added === undefined) {
      added = { schemas: [], fields: new Map() };
      this.additions.set(connectionId, added);
    }
    return added;
  }
}
