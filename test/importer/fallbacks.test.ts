import { describe, expect, it } from "vitest";
import { ConnectionResponse } from "../../src/api";
import { SecretSlot } from "../../src/importer/objects";
import { checkedConnection, checkProblems } from "../../src/importer/organization";
import { KINDS } from "../../src/kinds";
import { MASK } from "../../src/wire";

/**
 * What the importer does with objects it cannot express with their own class: a configuration key the typed
 * class does not know goes through the generic `Connection` (which passes unknown keys through); arguments even
 * that refuses are written commented out, with the reasons (see program.test.ts for the printing).
 */

const response = (type: string, configuration: Record<string, unknown>) =>
  ConnectionResponse.parse({ id: `id-${type}`, name: `My ${type}`, type: { id: type }, configuration });

describe("checkedConnection", () => {
  it("a configuration its typed class takes: the typed class", async () => {
    const object = await checkedConnection(response("gcs", { bucket: "b", service_account: MASK }), {}, {});
    expect(object).toMatchObject({ kind: "GcsConnection", notes: [], problems: [] });
  });

  it("a key the typed class does not know (a newer Polytomic): the generic Connection, with a note", async () => {
    const object = await checkedConnection(
      response("gcs", { bucket: "b", service_account: MASK, brand_new_option: "on" }),
      {},
      {},
    );
    expect(object.kind).toBe("Connection");
    expect(object.problems).toEqual([]);
    expect(object.args).toEqual({
      name: "My gcs",
      type: "gcs",
      configuration: { bucket: "b", service_account: new SecretSlot(), brand_new_option: "on" },
    });
    expect(object.notes.join(" ")).toMatch(
      /generic Connection class .*GcsConnection class cannot express it \(configuration\.brandNewOption is not a known property\)/,
    );
  });

  it("a value neither class takes: the typed class's arguments, with the problems (written commented out)", async () => {
    const object = await checkedConnection(response("gcs", { bucket: 42, service_account: MASK }), {}, {});
    expect(object.kind).toBe("GcsConnection");
    expect(object.problems).toEqual(["configuration.bucket must be a string, got number 42"]);
  });

  it("checkProblems reads each kind's own check, secrets as placeholders", async () => {
    const sync = KINDS.get("Sync");
    if (sync === undefined) throw new Error("Sync is a kind");
    expect(
      await checkProblems(
        sync,
        {
          name: "s",
          mode: "update",
          fields: [{ source: { modelId: "m", field: "f" }, target: "t" }],
          target: { connectionId: "c", object: "Contact" },
          schedule: { frequency: "manual" },
          encryptionPassphrase: new SecretSlot(),
        },
        {},
      ),
    ).toEqual(['identity is required when mode is "update" (it says how records are matched in the target)']);
  });
});
