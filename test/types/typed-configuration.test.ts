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
    // Each @ts-expect-error stands on the offending property's own line, where tsc reports the error.
    const wrongKey: PostgresqlConfiguration = {
      hostname: "x",
      username: "u",
      password: "p",
      database: "d",
      port: 1,
      // @ts-expect-error: `host` is not a key (it is `hostname`)
      host: "x",
    };
    const wrongType: PostgresqlConfiguration = {
      hostname: "x",
      username: "u",
      password: "p",
      database: "d",
      // @ts-expect-error: `port` is a number
      port: "5432",
    };
    const wrongEnum: GcsConfiguration = {
      bucket: "b",
      serviceAccount: "{}",
      // @ts-expect-error: not one of csv, json, parquet
      singleTableFileFormat: "xml",
    };
    const readOnly: GcsConfiguration = {
      bucket: "b",
      serviceAccount: "{}",
      // @ts-expect-error: projectId is read-only (Polytomic derives it), so it is not an argument
      projectId: "p",
    };
    const snake: GcsConfiguration = {
      bucket: "b",
      serviceAccount: "{}",
      // @ts-expect-error: `service_account` is the API's spelling; the typed classes take camelCase
      service_account: "{}",
    };
    void [wrongKey, wrongType, wrongEnum, readOnly, snake];
  });

  it("give every class the common arguments", () => {
    expectTypeOf<SnowflakeConnectionArgs["schemaTimeoutSeconds"]>().toEqualTypeOf<
      HubspotConnectionArgs["schemaTimeoutSeconds"]
    >();
    expectTypeOf<HubspotConnectionArgs>().toHaveProperty("forceDestroy");
  });
});
