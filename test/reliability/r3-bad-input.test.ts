import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FILTER_FUNCTIONS,
  IDENTITY_FUNCTIONS,
  SCHEDULE_FREQUENCIES,
  SYNC_MODES,
} from "../../src/api/sync-enums";
import { providerFor } from "../../src/providers/entry";

/**
 * R3 Bad input: for every resource kind, fast-check builds at least 1000 invalid inputs (a random valid input,
 * then one to three mutations that each break one property in a known way). `check` must reject every one of
 * them, naming the property each mutation broke, with every failure's `reason` starting with its `property`
 * (never empty); and nothing may throw or leave an unhandled rejection.
 */

type Json = Record<string, unknown>;
type Path = (string | number)[];
interface Failure {
  property: string;
  reason: string;
}

/** One way of breaking an input: where, how, and which failure must name it. */
interface Mutation {
  /** Paths it touches: two mutations conflict when a path of one is a prefix of a path of the other. */
  readonly paths: Path[];
  apply(input: Json): void;
  /** The property a failure must name. */
  readonly property: string;
  readonly label: string;
}

const NUM_RUNS = 1000;
const SEED = 42;
const provider = (kind: string) =>
  providerFor(kind, { apiKey: "r3-key", deploymentUrl: "http://127.0.0.1:9" });

/** Like the provider's own formatPath: `["fields", 0, "source"]` → `fields[0].source`. */
function formatPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, unknown> {
  let v: unknown = root;
  for (const key of path.slice(0, -1)) {
    const obj = v as Record<string | number, unknown>;
    if (obj[key] === undefined || obj[key] === null || typeof obj[key] !== "object") obj[key] = {};
    v = obj[key];
  }
  return v as Record<string | number, unknown>;
}

function setAt(root: Json, path: Path, value: unknown): void {
  parentOf(root, path)[path[path.length - 1] as string] = value;
}

function removeAt(root: Json, path: Path): void {
  delete parentOf(root, path)[path[path.length - 1] as string];
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((k, i) => b[i] === k);
const conflicts = (a: Mutation, b: Mutation) =>
  a.paths.some((p) => b.paths.some((q) => isPrefix(p, q) || isPrefix(q, p)));

// ---- Invalid values -----------------------------------------------------------------------------------------

const small = fc.oneof(fc.constant({}), fc.array(fc.integer(), { maxLength: 2 }));
const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  small,
);
const notBoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), small);
const notInteger = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  small,
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
);
const notArray = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}));
const notObject = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const notIn = (values: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string().filter((s) => !values.includes(s)),
    notString,
  );
/** Keys no schema here knows (nor their camelCase or snake_case spelling). */
const strangeKey = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/)
  .map((k) => `zz${k}`)
  .filter((k) => k !== "__proto__");

const invalidOf: Record<string, fc.Arbitrary<unknown>> = {
  string: notString,
  boolean: notBoolean,
  integer: notInteger,
  array: notArray,
  object: notObject,
};

// ---- Mutation builders --------------------------------------------------------------------------------------

const p = (dotted: string): Path => dotted.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) as Path;

/** A property that must be present: removing it, or giving it a value of another type, is reported. */
function required(dotted: string, type: string, nonEmpty = false): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  return fc.oneof(
    fc.constant<Mutation>({
      paths: [path],
      apply: (i) => removeAt(i, path),
      property,
      label: `remove ${property}`,
    }),
    wrong(dotted, type, nonEmpty),
  );
}

/** A value of the wrong type (or an empty string where one is not allowed). */
function wrong(dotted: string, type: string, nonEmpty = false): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  const values = nonEmpty ? fc.oneof(invalidOf[type]!, fc.constant("")) : invalidOf[type]!;
  return values.map((v) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, v),
    property,
    label: `${property} = ${JSON.stringify(v)}`,
  }));
}

/** An enum outside its values. */
function badEnum(dotted: string, values: readonly string[]): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  return notIn(values).map((v) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, v),
    property,
    label: `${property} = ${JSON.stringify(v)}`,
  }));
}

/** An unknown key inside a strict object (or at the top level, `dotted` = ""): the key itself is named. */
function unknownKey(dotted: string): fc.Arbitrary<Mutation> {
  const path = dotted === "" ? [] : p(dotted);
  return fc.tuple(strangeKey, fc.string()).map(([key, v]) => ({
    paths: [[...path, key]],
    apply: (i: Json) => setAt(i, [...path, key], v),
    property: formatPath([...path, key]),
    label: `unknown ${formatPath([...path, key])}`,
  }));
}

/** A list whose item at `index` has the wrong type (or is empty, for id lists). */
function badItem(
  dotted: string,
  type: string,
  nonEmpty = false,
  goodItems: readonly unknown[] = ["a", "b1", "c-2"],
): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const values = nonEmpty ? fc.oneof(invalidOf[type]!, fc.constant("")) : invalidOf[type]!;
  return fc.tuple(fc.array(fc.constantFrom(...goodItems), { maxLength: 3 }), values).map(([good, bad]) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, [...good, bad]),
    property: formatPath([...path, good.length]),
    label: `${formatPath(path)} = ${JSON.stringify([...good, bad])}`,
  }));
}

/** A hand-written mutation (cross-field rules). */
function custom(label: string, paths: string[], property: string, apply: (i: Json) => void) {
  return fc.constant<Mutation>({ paths: paths.map(p), apply, property, label });
}

// ---- Valid inputs -------------------------------------------------------------------------------------------

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,20}$/);
const name = fc.string({ minLength: 1, maxLength: 30 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const compact = (o: Json): Json => JSON.parse(JSON.stringify(o));

const gcsConfiguration = fc
  .record({
    bucket: id,
    serviceAccount: fc.string({ minLength: 1 }),
    csvHasHeaders: maybe(fc.boolean()),
    skipLines: maybe(fc.integer({ min: 0, max: 10 })),
    singleTableFileFormat: maybe(fc.constantFrom("csv", "json", "parquet")),
  })
  .map(compact);
const common = {
  name,
  forceDestroy: maybe(fc.boolean()),
  schemaTimeoutSeconds: maybe(fc.integer({ min: 1, max: 86_400 })),
  policies: maybe(fc.array(id, { maxLength: 2 })),
  validate: maybe(fc.boolean()),
};
const commonMutations = [
  unknownKey(""),
  required("name", "string", true),
  wrong("forceDestroy", "boolean"),
  wrong("waitForSchema", "boolean"),
  wrong("validate", "boolean"),
  wrong("healthcheckInterval", "string"),
  wrong("organizationId", "string", true),
  wrong("importId", "string", true),
  wrong("schemaTimeoutSeconds", "integer"),
  fc.constantFrom(0, -5, 86_401, 1e9).map((v) => ({
    paths: [["schemaTimeoutSeconds"]],
    apply: (i: Json) => setAt(i, ["schemaTimeoutSeconds"], v),
    property: "schemaTimeoutSeconds",
    label: `schemaTimeoutSeconds = ${v}`,
  })),
  wrong("policies", "array"),
  badItem("policies", "string", true),
  required("configuration", "object"),
];

interface KindCase {
  kind: string;
  valid: fc.Arbitrary<Json>;
  /** The mutations that apply to a given valid input (the generic Connection's depend on its type). */
  mutations(base: Json): fc.Arbitrary<Mutation>[];
}

// The Sync enums as the API documents them (the mutations pick values outside these lists).
const WEBHOOK_AUTH = ["polytomic_secret", "basic", "header", "query", "oauth_client_credentials"];
const FILE_FORMATS = ["csv", "json", "parquet"];
const readOnly = (dotted: string) =>
  fc.string().map((v) => ({
    paths: [p(dotted)],
    apply: (i: Json) => setAt(i, p(dotted), v),
    property: dotted,
    label: `read-only ${dotted}`,
  }));

const gcsMutations = [
  ...commonMutations,
  required("configuration.bucket", "string"),
  required("configuration.serviceAccount", "string"),
  wrong("configuration.csvHasHeaders", "boolean"),
  wrong("configuration.isSingleTable", "boolean"),
  wrong("configuration.skipLines", "integer"),
  wrong("configuration.singleTableFileFormats", "array"),
  badEnum("configuration.singleTableFileFormat", FILE_FORMATS),
  badItem("configuration.singleTableFileFormats", "string", false, FILE_FORMATS),
  unknownKey("configuration"),
  readOnly("configuration.projectId"),
  readOnly("configuration.clientEmail"),
  custom(
    "directory snapshot without a glob",
    [
      "configuration.isDirectorySnapshot",
      "configuration.isSingleTable",
      "configuration.directoryGlobPattern",
    ],
    "configuration.directoryGlobPattern",
    (i) => {
      setAt(i, p("configuration.isDirectorySnapshot"), true);
      setAt(i, p("configuration.isSingleTable"), true);
      removeAt(i, p("configuration.directoryGlobPattern"));
    },
  ),
  custom(
    "directory snapshot without single table",
    [
      "configuration.isDirectorySnapshot",
      "configuration.isSingleTable",
      "configuration.directoryGlobPattern",
    ],
    "configuration.isDirectorySnapshot",
    (i) => {
      setAt(i, p("configuration.isDirectorySnapshot"), true);
      setAt(i, p("configuration.isSingleTable"), false);
      setAt(i, p("configuration.directoryGlobPattern"), "tables/*");
    },
  ),
];

const AUTH_OBJECTS = [
  "configuration.basic",
  "configuration.header",
  "configuration.query",
  "configuration.oauth",
];
const webhookMutations = [
  ...commonMutations,
  required("configuration.url", "string"),
  badEnum("configuration.authMethod", WEBHOOK_AUTH),
  wrong("configuration.headers", "array"),
  badItem("configuration.headers", "object", false, [{ name: "X-Team", value: "data" }]),
  wrong("configuration.basic", "object"),
  wrong("configuration.header", "object"),
  wrong("configuration.oauth.authStyle", "integer"),
  wrong("configuration.oauth.scopes", "array"),
  unknownKey("configuration"),
  unknownKey("configuration.basic"),
  ...(
    [
      ["basic", "configuration.basic.username"],
      ["basic", "configuration.basic.password"],
      ["header", "configuration.header.name"],
      ["header", "configuration.header.value"],
      ["query", "configuration.query"],
      ["oauth_client_credentials", "configuration.oauth.clientId"],
      ["oauth_client_credentials", "configuration.oauth.clientSecret"],
      ["oauth_client_credentials", "configuration.oauth.tokenEndpoint"],
    ] as const
  ).map(([method, property]) =>
    custom(
      `authMethod ${method} without ${property}`,
      ["configuration.authMethod", ...AUTH_OBJECTS],
      property,
      (i) => {
        setAt(i, p("configuration.authMethod"), method);
        for (const path of AUTH_OBJECTS) removeAt(i, p(path));
      },
    ),
  ),
];

/** The generic class: the type decides the configuration's schema, so removing or breaking it touches both. */
const typeMutations = [
  fc.oneof(fc.constant<unknown>(undefined), notString, fc.constant("")).map((v) => ({
    paths: [["type"], ["configuration"]],
    apply: (i: Json) => (v === undefined ? removeAt(i, ["type"]) : setAt(i, ["type"], v)),
    property: "type",
    label: `type = ${JSON.stringify(v)}`,
  })),
];
const genericMutations = (base: Json) => [
  ...commonMutations,
  ...typeMutations,
  // (Unknown top-level configuration keys are allowed on the generic class: it passes newer API keys through.)
  ...(base.type === "gcs"
    ? [
        required("configuration.bucket", "string"),
        required("configuration.service_account", "string"),
        wrong("configuration.csv_has_headers", "boolean"),
        wrong("configuration.skip_lines", "integer"),
        badEnum("configuration.single_table_file_format", FILE_FORMATS),
        readOnly("configuration.project_id"),
        readOnly("configuration.client_email"),
      ]
    : [
        required("configuration.url", "string"),
        badEnum("configuration.auth_method", WEBHOOK_AUTH),
        wrong("configuration.headers", "array"),
        readOnly("configuration.secret"),
        unknownKey("configuration.basic"),
        custom(
          "basic auth without a password",
          ["configuration.basic.password", "configuration.auth_method"],
          "configuration.basic.password",
          (i) => removeAt(i, p("configuration.basic.password")),
        ),
        custom(
          "basic auth without a username",
          ["configuration.basic.username", "configuration.auth_method"],
          "configuration.basic.username",
          (i) => removeAt(i, p("configuration.basic.username")),
        ),
      ]),
];

const modelMutations = [
  unknownKey(""),
  required("name", "string", true),
  required("connectionId", "string", true),
  required("configuration", "object"),
  wrong("fields", "array"),
  badItem("fields", "string", true),
  badItem("labels", "string", true),
  badItem("trackingColumns", "string", true),
  badItem("policies", "string", true),
  wrong("identifier", "string"),
  wrong("organizationId", "string", true),
  wrong("importId", "string", true),
  wrong("additionalFields", "array"),
  fc.constantFrom("name", "label", "type").map((key) => ({
    paths: [["additionalFields"]],
    apply: (i: Json) => {
      const item: Json = { name: "extra", label: "Extra", type: "string" };
      delete item[key];
      setAt(i, ["additionalFields"], [item]);
    },
    property: `additionalFields[0].${key}`,
    label: `additionalFields[0] without ${key}`,
  })),
  strangeKey.map((key) => ({
    paths: [["additionalFields"]],
    apply: (i: Json) => setAt(i, ["additionalFields"], [{ name: "x", label: "X", type: "string", [key]: 1 }]),
    property: `additionalFields[0].${key}`,
    label: `additionalFields[0] with ${key}`,
  })),
  fc
    .constantFrom<[Json, string]>(
      [{ from: "a" }, "relations[0].to"],
      [{ from: "a", to: { modelId: "", field: "f" } }, "relations[0].to.modelId"],
      [{ to: { modelId: "m", field: "f" } }, "relations[0].from"],
    )
    .map(([relation, property]) => ({
      paths: [["relations"]],
      apply: (i: Json) => setAt(i, ["relations"], [relation]),
      property,
      label: `relations = ${JSON.stringify([relation])}`,
    })),
];

const syncMutations = [
  unknownKey(""),
  required("name", "string", true),
  required("mode", "string"),
  badEnum("mode", SYNC_MODES),
  wrong("active", "boolean"),
  required("fields", "array"),
  custom("no fields", ["fields"], "fields", (i) => setAt(i, ["fields"], [])),
  required("fields.0.target", "string", true),
  wrong("fields.0.source.modelId", "string", true),
  wrong("fields.0.source.field", "string", true),
  custom("a field without source", ["fields.0.source", "fields.0.overrideValue"], "fields[0].source", (i) =>
    removeAt(i, p("fields.0.source")),
  ),
  unknownKey("fields.0"),
  required("target", "object"),
  required("target.connectionId", "string", true),
  wrong("target.configuration", "object"),
  unknownKey("target"),
  custom("target without object or create", ["target.object", "target.create"], "target.object", (i) =>
    removeAt(i, p("target.object")),
  ),
  custom("target with object and create", ["target.object", "target.create"], "target", (i) =>
    setAt(i, p("target.create"), { name: "new_table" }),
  ),
  required("schedule", "object"),
  badEnum("schedule.frequency", SCHEDULE_FREQUENCIES),
  fc.oneof(fc.integer({ max: -1 }), fc.boolean(), fc.constant(null), small).map((v) => ({
    paths: [["schedule", "hour"]],
    apply: (i: Json) => setAt(i, ["schedule", "hour"], v),
    property: "schedule.hour",
    label: `schedule.hour = ${JSON.stringify(v)}`,
  })),
  badItem("schedule.runAfter.syncIds", "string", true),
  unknownKey("schedule"),
  fc.constantFrom("update", "updateOrCreate", "remove").map((mode) => ({
    paths: [["mode"], ["identity"], ["target", "object"]],
    apply: (i: Json) => {
      setAt(i, ["mode"], mode);
      removeAt(i, ["identity"]);
    },
    property: "identity",
    label: `mode ${mode} without identity`,
  })),
  badEnum("identity.function", IDENTITY_FUNCTIONS),
  custom("filter without field", ["filters"], "filters[0].field", (i) =>
    setAt(i, ["filters"], [{ function: "IsNull" }]),
  ),
  notIn(FILTER_FUNCTIONS).map((fn) => ({
    paths: [["filters"]],
    apply: (i: Json) => setAt(i, ["filters"], [{ function: fn, field: { modelId: "m", field: "f" } }]),
    property: "filters[0].function",
    label: `filters[0].function = ${JSON.stringify(fn)}`,
  })),
  wrong("encryptionPassphrase", "string"),
  wrong("syncAllRecords", "boolean"),
  badItem("policies", "string", true),
];

const CASES: KindCase[] = [
  {
    kind: "GcsConnection",
    valid: fc.record({ ...common, configuration: gcsConfiguration }).map(compact),
    mutations: () => gcsMutations,
  },
  {
    kind: "WebhookConnection",
    valid: fc
      .record({
        ...common,
        configuration: fc
          .record({
            url: fc.webUrl(),
            authMethod: maybe(fc.constant("polytomic_secret")),
            headers: maybe(fc.array(fc.record({ name: id, value: fc.string() }), { maxLength: 2 })),
          })
          .map(compact),
      })
      .map(compact),
    mutations: () => webhookMutations,
  },
  {
    kind: "Connection",
    valid: fc.oneof(
      fc
        .record({
          ...common,
          type: fc.constant("webhook"),
          configuration: fc.record({
            url: fc.webUrl(),
            auth_method: fc.constant("basic"),
            basic: fc.record({ username: id, password: fc.string({ minLength: 1 }) }),
          }),
        })
        .map(compact),
      fc
        .record({
          ...common,
          type: fc.constant("gcs"),
          configuration: fc.record({ bucket: id, service_account: fc.string({ minLength: 1 }) }),
        })
        .map(compact),
    ),
    mutations: genericMutations,
  },
  {
    kind: "Model",
    valid: fc
      .record({
        name,
        connectionId: id,
        configuration: fc.oneof(
          fc.constant({ model_from: "single_file", key: "high_paying_users.csv" }),
          fc.record({ table: id }),
          fc.record({ query: fc.string() }),
        ),
        fields: maybe(fc.array(id, { maxLength: 3 })),
        labels: maybe(fc.array(id, { maxLength: 2 })),
        identifier: maybe(id),
      })
      .map(compact),
    mutations: () => modelMutations,
  },
  {
    kind: "Sync",
    valid: fc
      .record({
        name,
        active: maybe(fc.boolean()),
        mode: fc.constantFrom("create", "append", "replace", "snapshot"),
        fields: fc.array(fc.record({ source: fc.record({ modelId: id, field: id }), target: id }), {
          minLength: 1,
          maxLength: 3,
        }),
        target: fc.record({ connectionId: id, object: fc.constantFrom("contacts", "users", "Lead") }),
        schedule: fc.oneof(
          fc.constant({ frequency: "manual" }),
          fc.record({
            frequency: fc.constant("daily"),
            hour: fc.integer({ min: 0, max: 23 }),
            minute: fc.integer({ min: 0, max: 59 }),
          }),
        ),
        encryptionPassphrase: maybe(fc.string({ minLength: 1 })),
      })
      .map(compact),
    mutations: () => syncMutations,
  },
];

// ---- The property -------------------------------------------------------------------------------------------

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const tally: Record<string, { inputs: number; failures: number; mutations: number }> = {};

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  console.log(`[r3] ${JSON.stringify(tally)}`);
});

function invalidInputs(c: KindCase) {
  return c.valid
    .chain((valid) =>
      fc
        .uniqueArray(fc.oneof(...c.mutations(valid)), {
          minLength: 1,
          maxLength: 3,
          selector: (m) => m.label,
        })
        .map((ms) => ms.filter((m, i) => !ms.slice(0, i).some((earlier) => conflicts(earlier, m))))
        .map((mutations) => [valid, mutations] as const),
    )
    .map(([valid, mutations]) => {
      const input = structuredClone(valid);
      for (const m of mutations) m.apply(input);
      return { input, mutations };
    });
}

describe("R3: check rejects invalid inputs, naming each property", () => {
  it.each(CASES.map((c) => [c.kind, c] as const))(
    "%s: 1000 generated invalid inputs",
    async (kind, c) => {
      const impl = provider(kind);
      // The generators' valid inputs really are valid (otherwise a failure could come from the base).
      await fc.assert(
        fc.asyncProperty(c.valid, async (valid) => {
          const r = await impl.check({}, valid as never);
          expect(r.failures ?? [], JSON.stringify(valid)).toEqual([]);
        }),
        { seed: SEED, numRuns: 200 },
      );
      const counts = { inputs: 0, failures: 0, mutations: 0 };
      await fc.assert(
        fc.asyncProperty(invalidInputs(c), async ({ input, mutations }) => {
          counts.inputs++;
          counts.mutations += mutations.length;
          const result = await impl.check({}, input as never);
          const failures = (result.failures ?? []) as Failure[];
          counts.failures += failures.length;
          const context = `${mutations.map((m) => m.label).join("; ")} → ${JSON.stringify(failures)}`;
          expect(failures.length, context).toBeGreaterThan(0);
          for (const f of failures) {
            expect(f.property, context).not.toBe("");
            expect(f.reason.startsWith(`${f.property} `), context).toBe(true);
          }
          for (const m of mutations) {
            const named = failures.some(
              (f) => f.property === m.property || f.property.startsWith(`${m.property}.`),
            );
            expect(named, `${m.label} not named: ${context}`).toBe(true);
          }
        }),
        { seed: SEED, numRuns: NUM_RUNS },
      );
      tally[kind] = counts;
      expect(counts.inputs).toBeGreaterThanOrEqual(NUM_RUNS);
    },
    60_000,
  );

  it("no check threw, and no promise rejection went unhandled", async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });

  it("an unknown top-level property is named by its own key", async () => {
    for (const c of CASES) {
      const valid = fc.sample(c.valid, { seed: SEED, numRuns: 1 })[0] as Json;
      const { failures } = await provider(c.kind).check({}, { ...valid, bogusSetting: 1 } as never);
      expect(failures, c.kind).toEqual([
        { property: "bogusSetting", reason: "bogusSetting is not a known property" },
      ]);
    }
  });
});
