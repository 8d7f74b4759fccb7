import { describe, expectTypeOf, it } from "vitest";
import type {
  BulkSyncArgs,
  BulkSyncSchemaSettings,
  PostgresqlBulkDestinationConfiguration,
  SyncSchedule,
} from "../../src";

/**
 * Type-level tests of BulkSync's arguments: `tsc --noEmit` (part of `npm test`) fails if a wrong value compiles,
 * because each `@ts-expect-error` below must meet an error on its own line.
 */
describe("BulkSync's argument types", () => {
  it("accept the Terraform provider's examples and the documented settings", () => {
    const tf: BulkSyncArgs = {
      name: "Terraform test sync",
      active: false,
      mode: "replicate",
      sourceConnectionId: "hubspot",
      destinationConnectionId: "postgresql",
      destinationConfiguration: { schema: "hubspot_tf" },
      schemas: [{ enabled: true, id: "Contact" }],
      defaultSchedule: { frequency: "manual" },
    };
    const full: BulkSyncArgs = {
      ...tf,
      mode: "snapshot",
      destinationConfiguration: { format: "parquet", subfolder: "raw" },
      sourceConfiguration: { replication_slot: "polytomic" },
      schemas: [
        "Account",
        {
          id: "Contact",
          fields: ["Id", { id: "Email", obfuscate: true, userOutputName: "email" }],
          filters: [
            { function: "StringOneOf", fieldId: "Stage", value: ["active", "pending"] },
            { function: "RelativeOnOrAfter", fieldId: "CreatedDate", value: "48 hours ago" },
          ],
          partitionKey: "Id",
          userOutputName: "people",
          dataCutoffTimestamp: "2024-01-01T00:00:00Z",
        },
      ],
      additionalSchedules: [
        { frequency: "weekly", dayOfWeek: "sunday", resyncMode: "rebuild", schemas: ["Account"] },
      ],
      automaticallyAddNewFields: "onlyIncremental",
      automaticallyAddNewObjects: "none",
      normalizeNames: "legacy",
      concurrencyLimit: 4,
      schemaTimeoutSeconds: 900,
    };
    // The schedule type is the one Sync uses: a Sync's schedule fits a bulk sync as it is.
    const daily: SyncSchedule = { frequency: "daily", hour: 5, minute: 0 };
    const shared: BulkSyncArgs = {
      ...tf,
      defaultSchedule: daily,
      additionalSchedules: [{ ...daily, resyncMode: "resync" }],
    };
    expectTypeOf(shared.name).toEqualTypeOf<BulkSyncArgs["name"]>();
    void shared;
    void full;
  });

  it("refuse wrong modes, frequencies, discovery settings, filter functions and schema settings", () => {
    const base = {
      name: "x",
      sourceConnectionId: "s",
      destinationConnectionId: "d",
      destinationConfiguration: {},
      defaultSchedule: { frequency: "manual" as const },
    };
    const badMode: BulkSyncArgs = {
      ...base,
      // @ts-expect-error: `replicate` or `snapshot`
      mode: "mirror",
    };
    const badFrequency: BulkSyncArgs = {
      ...base,
      mode: "replicate",
      // @ts-expect-error: not a schedule frequency
      defaultSchedule: { frequency: "sometimes" },
    };
    const badDiscover: BulkSyncArgs = {
      ...base,
      mode: "replicate",
      // @ts-expect-error: `all`, `onlyIncremental`, `onlyNonIncremental` or `none`
      automaticallyAddNewObjects: "some",
    };
    const badFilter: BulkSyncSchemaSettings = {
      id: "Account",
      // @ts-expect-error: not a filter function
      filters: [{ function: "Like", fieldId: "Name" }],
    };
    const badSetting: BulkSyncSchemaSettings = {
      id: "Account",
      // @ts-expect-error: the setting is `obfuscate`, on fields
      obfuscated: true,
    };
    const missingSchema: PostgresqlBulkDestinationConfiguration = {
      // @ts-expect-error: `schema` is required, `mirror_schemas` a boolean
      mirror_schemas: "yes",
    };
    void [badMode, badFrequency, badDiscover, badFilter, badSetting, missingSchema];
  });
});
