import { z } from "zod";
import type { ModelField, ModelRequest, ModelResponse } from "../api";
import { MODEL_FIELDS } from "../resources/model";
import { toSnake } from "../wire";
import { mapKeysDeep } from "./keys";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";

/** A model field as the Model resource outputs it. */
export interface ModelFieldOutput {
  id: string;
  name: string;
  label?: string;
  type?: string;
  remoteType?: string;
  description?: string;
  example?: unknown;
  unique?: boolean;
  userAdded?: boolean;
}

/** The Model inputs after `check` (camelCase). */
export interface ModelInputs {
  name: string;
  connectionId: string;
  configuration: Record<string, unknown>;
  /** Names of the source fields to include; all when absent. */
  fields?: string[];
  additionalFields?: { name: string; label: string; type: string; example?: unknown }[];
  identifier?: string;
  trackingColumns?: string[];
  labels?: string[];
  policies?: string[];
  relations?: { from: string; to: { modelId: string; field: string } }[];
  organizationId?: string;
  importId?: string;
  __provider?: string;
}

/** The Model outputs: `fields` becomes the model's field objects. */
export interface ModelOutputs extends Omit<ModelInputs, "fields"> {
  fields: ModelFieldOutput[];
  fieldNames: string[];
  /** The source type Polytomic reports, e.g. `gcs`. */
  sourceType?: string;
  version?: number;
  /** The field names the program asked for, when it did. */
  selectedFields?: string[];
}

const ID = z.string().min(1, "must not be empty");

const ModelInputsValidator = z
  .object({
    name: ID,
    connectionId: ID,
    configuration: z.record(z.string(), z.unknown()),
    fields: z.array(ID).optional(),
    additionalFields: z
      .array(z.object({ name: ID, label: ID, type: ID, example: z.unknown().optional() }).strict())
      .optional(),
    identifier: z.string().optional(),
    trackingColumns: z.array(ID).optional(),
    labels: z.array(ID).optional(),
    policies: z.array(ID).optional(),
    relations: z
      .array(z.object({ from: ID, to: z.object({ modelId: ID, field: ID }).strict() }).strict())
      .optional(),
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** Subtrees holding the API's own keys or user data: copied without renaming. */
const OPAQUE = ["configuration", "additionalFields[].example"];

function fieldOutput(field: ModelField): ModelFieldOutput {
  return compact({
    id: field.id,
    name: field.name,
    label: field.label,
    type: field.type,
    remoteType: field.remote_type,
    description: field.description,
    example: field.example === null ? undefined : field.example,
    unique: field.unique,
    userAdded: field.user_added,
  }) as ModelFieldOutput;
}

function reported(response: ModelResponse) {
  const fields = response.fields.map(fieldOutput);
  return {
    fields,
    fieldNames: fields.map((f) => f.name),
    sourceType: response.type,
    version: response.version,
  };
}

const sameNames = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The Model resource's spec. */
export const MODEL_SPEC: ObjectSpec<ModelInputs, ModelOutputs, ModelRequest, ModelResponse> = {
  noun: "model",
  validator: ModelInputsValidator,
  request(inputs) {
    const { importId, __provider, ...rest } = inputs;
    return mapKeysDeep(compact(rest), toSnake, OPAQUE) as ModelRequest;
  },
  secrets: () => [],
  outputs(inputs, response) {
    const { fields, ...rest } = inputs;
    return compact({ ...rest, selectedFields: fields, ...reported(response) }) as never;
  },
  readOutputs(previous, response) {
    const userAdded = response.fields.filter((f) => f.user_added === true);
    const keepAdditional =
      previous?.additionalFields !== undefined &&
      sameNames(
        previous.additionalFields.map((f) => f.name),
        userAdded.map((f) => f.name),
      );
    const relations = response.relations?.map((r) => ({
      from: r.from,
      to: { modelId: r.to.model_id, field: r.to.field },
    }));
    const selected = response.fields.filter((f) => f.user_added !== true).map((f) => f.name);
    return compact({
      importId: previous?.importId,
      name: response.name,
      connectionId: response.connection_id,
      configuration: response.configuration,
      additionalFields: keepAdditional
        ? previous?.additionalFields
        : userAdded.length > 0
          ? userAdded.map((f) =>
              compact({ name: f.name, label: f.label ?? f.name, type: f.type ?? "string" }),
            )
          : undefined,
      identifier: response.identifier === "" ? undefined : response.identifier,
      trackingColumns: response.tracking_columns?.length ? response.tracking_columns : undefined,
      labels: response.labels?.length
        ? response.labels.map((l) =>
            typeof l === "object" && l !== null ? String((l as { id?: unknown }).id) : String(l),
          )
        : undefined,
      policies: response.policies?.length ? response.policies : undefined,
      relations: relations?.length ? relations : undefined,
      organizationId: response.organization_id,
      selectedFields: previous?.selectedFields === undefined ? undefined : selected,
      ...reported(response),
      __provider: previous?.__provider,
    }) as never;
  },
  inputsOf(outputs) {
    const { fields, fieldNames, sourceType, version, selectedFields, ...rest } = outputs as ModelOutputs;
    return compact({ ...rest, fields: selectedFields }) as ModelInputs;
  },
  fields: MODEL_FIELDS,
  // `fields` are names in the inputs and field objects in the outputs: compared by extraChanges.
  comparedSeparately: ["fields"],
  compare: { unordered: ["policies", "labels", "trackingColumns"], computedWhenAbsent: ["organizationId"] },
  extraChanges(olds, news) {
    if (news.fields === undefined) return [];
    const current = (olds as unknown as ModelOutputs).selectedFields ?? [];
    return sameNames(current, news.fields) ? [] : ["fields"];
  },
  api: (client) => client.models,
};
