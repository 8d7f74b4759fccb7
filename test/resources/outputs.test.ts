import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

/** Resource wiring under Pulumi's runtime mocks: every declared output exists, for get() and omitted args too. */

const registered: { type: string; name: string; id?: string }[] = [];
let polytomic: typeof import("../../src");

beforeAll(async () => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, id: args.id });
        return {
          id: args.id ?? `${args.name}-id`,
          state: { ...args.inputs, name: args.inputs.name ?? "read-name" },
        };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  polytomic = await import("../../src");
});

const outputsOf = (resource: object, names: string[]) =>
  names.filter((n) => !pulumi.Output.isInstance((resource as Record<string, unknown>)[n]));

describe("declared outputs", () => {
  it("exist on get() references, with the class's type token", async () => {
    const hook = polytomic.WebhookConnection.get("hook", "existing-hook");
    const model = polytomic.Model.get("model", "existing-model");
    const sync = polytomic.Sync.get("sync", "existing-sync");
    const generic = polytomic.Connection.get("generic", "existing-connection");
    expect(
      outputsOf(hook, ["name", "configuration", "status", "authUrl", "computedConfiguration", "type"]),
    ).toEqual([]);
    expect(outputsOf(generic, ["name", "configuration", "policies", "forceDestroy"])).toEqual([]);
    expect(outputsOf(model, ["name", "connectionId", "fields", "fieldNames", "identifier"])).toEqual([]);
    expect(outputsOf(sync, ["name", "mode", "target", "identity", "modelIds", "active"])).toEqual([]);
    expect(await new Promise((r) => hook.name.apply(r))).toBe("read-name");
    expect(registered.find((r) => r.name === "hook")).toMatchObject({
      type: "pulumi-nodejs:dynamic/polytomic:WebhookConnection",
      id: "existing-hook",
    });
  });

  it("exist when optional arguments are left out", () => {
    const sync = new polytomic.Sync("s", {
      name: "s",
      mode: "create",
      fields: [{ source: { modelId: "m", field: "f" }, target: "t" }],
      target: { connectionId: "c", object: "o" },
      schedule: { frequency: "manual" },
    });
    expect(outputsOf(sync, ["active", "identity", "encryptionPassphrase", "modelIds"])).toEqual([]);
    const gcs = new polytomic.GcsConnection("g", {
      name: "g",
      configuration: { bucket: "b", serviceAccount: "{}" },
    });
    expect(outputsOf(gcs, ["organizationId", "policies", "waitForSchema", "schemaTimeoutSeconds"])).toEqual(
      [],
    );
  });
});
