import * as pulumi from "@pulumi/pulumi";
import type { ModelFieldOutput } from "../providers/model-spec";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** A field the model adds to what its source has (`additional_fields`). */
export interface ModelAdditionalField {
  name: pulumi.Input<string>;
  label: pulumi.Input<string>;
  /** The field's type, e.g. `"string"`, `"number"`. */
  type: pulumi.Input<string>;
  example?: pulumi.Input<unknown>;
}

/** A relation from a field of this model to a field of another model. */
export interface ModelRelation {
  /** The field of this model. */
  from: pulumi.Input<string>;
  to: pulumi.Input<{ modelId: pulumi.Input<string>; field: pulumi.Input<string> }>;
}

/** Arguments of {@link Model}. */
export interface ModelArgs {
  /** The model's display name in Polytomic. */
  name: pulumi.Input<string>;
  /** The source connection's ID. Changing it replaces the model. */
  connectionId: pulumi.Input<string>;
  /**
   * The source-specific configuration, spelled as the API spells it: for GCS
   * `{ model_from: "single_file", key: "path/file.csv" }`, for SQL sources `{ table: "public.users" }` or
   * `{ query: "select ..." }`.
   */
  configuration: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Names of the source fields to include; all of them when left out. */
  fields?: pulumi.Input<pulumi.Input<string>[]>;
  /** Fields to add to the source's own. */
  additionalFields?: pulumi.Input<pulumi.Input<ModelAdditionalField>[]>;
  /** The field that identifies a record. */
  identifier?: pulumi.Input<string>;
  /** Fields whose changes Polytomic tracks. */
  trackingColumns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Label IDs. */
  labels?: pulumi.Input<pulumi.Input<string>[]>;
  /** Permission policy IDs. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Relations to other models. */
  relations?: pulumi.Input<pulumi.Input<ModelRelation>[]>;
  /** The organization (partner keys). Changing it replaces the model. */
  organizationId?: pulumi.Input<string>;
  /** Adopt the existing model with this ID instead of creating one (see `Connection.importId`). */
  importId?: pulumi.Input<string>;
}

export type { ModelFieldOutput };

/** {@link Model}'s field lists: its outputs, secrets and the provider's diff keys derive from them. */
export const MODEL_FIELDS = defineFields<ModelArgs>()({
  remote: [
    "name",
    "connectionId",
    "configuration",
    "fields",
    "additionalFields",
    "identifier",
    "trackingColumns",
    "labels",
    "policies",
    "relations",
    "organizationId",
  ],
  local: ["importId"],
  reported: ["fieldNames", "selectedFields", "sourceType", "version"],
  replace: ["connectionId", "organizationId"],
  secret: [],
});

/**
 * A Polytomic model: a view over a source connection (a CSV file, a table, a query) with fields.
 * Type token: `pulumi-nodejs:dynamic/polytomic:Model`.
 */
export class Model extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly connectionId: pulumi.Output<string>;
  declare readonly configuration: pulumi.Output<Record<string, unknown>>;
  /** The model's fields as Polytomic reports them (`id`, `name`, `label`, `type`, ...). */
  declare readonly fields: pulumi.Output<ModelFieldOutput[]>;
  /** The names of {@link fields}, in order. */
  declare readonly fieldNames: pulumi.Output<string[]>;
  /** The field names the program selected with `fields`, when it did. */
  declare readonly selectedFields: pulumi.Output<string[] | undefined>;
  /** The source type Polytomic reports, e.g. `gcs`. */
  declare readonly sourceType: pulumi.Output<string | undefined>;
  /** Polytomic's version counter of the model. */
  declare readonly version: pulumi.Output<number | undefined>;
  declare readonly identifier: pulumi.Output<string | undefined>;
  declare readonly trackingColumns: pulumi.Output<string[] | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ModelArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwarderFor("Model"), name, resourceProps(MODEL_FIELDS, args), opts, TYPE_MODULE, "Model");
  }

  /** A read-only reference to an existing model, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Model {
    return new Model(name, undefined as unknown as ModelArgs, { ...opts, id });
  }
}
