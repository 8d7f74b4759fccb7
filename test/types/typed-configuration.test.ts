import { describe, expectTypeOf, it } from "vitest";
import type {
  GcsConfiguration,
  HubspotConnectionArgs,
  PostgresqlConfiguration,
  SnowflakeConnectionArgs,
  WebhookConfiguration,
} from "../../src";

/**
 * Type-level tests: `tsc --noEmit` (part of `npm test`) fails if a wrong configuration key or value type
 * compiles, because each `@ts-expect-error` below must meet an error.
 */
describe("generated configuration types", () => {
  it("accept what the schemas allow, in camelCase", () => {
    const pg: PostgresqlConfiguration = {
      hostname: "db.example.com",
      username: "u",
      password: "p",
      database: "d",
      port: 5432,
      ssl: true,
    };
    const gcs: GcsConfiguration = { bucket: "b", serviceAccount: "{}", singleTableFileFormat: "parquet" };
    const hook: WebhookConfiguration = {
      url: "https://x",
      authMethod: "basic",
      basic: { username: "u", password: "p" },
    };
    expectTypeOf(pg.port).toEqualTypeOf<PostgresqlConfiguration["port"]>();
    expectTypeOf<GcsConfiguration["singleTableFileFormat"]>().not.toBeAny();
    void gcs;
    void hook;
  });

  it("refuse wrong keys, wrong value types, wrong enum values and read-only keys", () => {
    // @ts-expect-error: `host` is not a key (it is `hostname`)
    const wrongKey: PostgresqlConfiguration = {
      host: "x",
      username: "u",
      password: "p",
      database: "d",
      port: 1,
    };
    // @ts-expect-error: `port` is a number
    const wrongType: PostgresqlConfiguration = {
      hostname: "x",
      username: "u",
      password: "p",
      database: "d",
      port: "5432",
    };
    // @ts-expect-error: not one of csv, json, parquet
    const wrongEnum: GcsConfiguration = { bucket: "b", serviceAccount: "{}", singleTableFileFormat: "xml" };
    // @ts-expect-error: projectId is read-only (Polytomic derives it), so it is not an argument
    const readOnly: GcsConfiguration = { bucket: "b", serviceAccount: "{}", projectId: "p" };
    // @ts-expect-error: `service_account` is the API's spelling; the typed classes take camelCase
    const snake: GcsConfiguration = { bucket: "b", service_account: "{}" };
    void [wrongKey, wrongType, wrongEnum, readOnly, snake];
  });

  it("give every class the common arguments", () => {
    expectTypeOf<SnowflakeConnectionArgs["schemaTimeoutSeconds"]>().toEqualTypeOf<
      HubspotConnectionArgs["schemaTimeoutSeconds"]
    >();
    expectTypeOf<HubspotConnectionArgs>().toHaveProperty("forceDestroy");
  });
});
