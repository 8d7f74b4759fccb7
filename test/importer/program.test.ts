import { describe, expect, it } from "vitest";
import { Expression, printValue } from "../../src/importer/literal";
import { NameAllocator } from "../../src/importer/naming";
import { type ImportedObject, SecretSlot } from "../../src/importer/objects";
import {
  declarationSource,
  dependencyOrder,
  formatPath,
  groupHeading,
  planProgram,
  programSource,
  secretExpression,
  stringLeaves,
} from "../../src/importer/program";

const object = (over: Partial<ImportedObject> & Pick<ImportedObject, "id" | "name">): ImportedObject => ({
  kind: "WebhookConnection",
  group: "connections",
  noun: "connection",
  adoptable: true,
  args: { name: over.name, configuration: { url: "https://x" } },
  notes: [],
  problems: [],
  ...over,
});

describe("dependencyOrder", () => {
  it.each([
    ["independent: the given order", [[], [], []], [0, 1, 2]],
    ["a chain, given backwards", [[1], [2], []], [2, 1, 0]],
    ["two depend on the last", [[2], [2], []], [2, 0, 1]],
    ["a self-reference is no dependency", [[0], []], [0, 1]],
    ["a cycle: the first of it comes first", [[1], [0], []], [2, 0, 1]],
    ["a cycle behind a dependency: the cycle first", [[1], [2], [1]], [1, 0, 2]],
  ])("%s", (_, dependencies, order) => {
    expect(dependencyOrder(dependencies)).toEqual(order);
  });
});

describe("small pieces", () => {
  it.each([
    [["configuration", "serviceAccount"], "configuration.serviceAccount"],
    [["configuration", "query", 0, "value"], "configuration.query[0].value"],
    [["encryptionPassphrase"], "encryptionPassphrase"],
    [[], ""],
  ])("formatPath(%j) → %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  it.each([
    ["string", 'config.requireSecret("k")'],
    ["number", 'config.requireSecretNumber("k")'],
    ["boolean", 'config.requireSecretBoolean("k")'],
    ["object", 'config.requireSecretObject<any>("k")'],
  ] as const)("secretExpression for a %s", (valueType, code) => {
    expect(secretExpression("k", new SecretSlot(valueType))).toBe(code);
  });

  it("stringLeaves skips keys and slots", () => {
    expect(stringLeaves({ a: "x", b: ["y", { c: "z" }], d: 1, e: new SecretSlot() })).toEqual([
      "x",
      "y",
      "z",
    ]);
  });

  it.each([
    ["connections", "// ---- Connections ----"],
    ["model syncs", "// ---- Model syncs ----"],
  ])("groupHeading(%s)", (group, heading) => {
    expect(groupHeading(group)).toBe(heading);
  });
});

describe("planProgram", () => {
  const hook = object({ id: "c-hook", name: "Hook" });
  const gcs = object({
    id: "c-gcs",
    name: "Bucket",
    kind: "GcsConnection",
    args: { name: "Bucket", configuration: { bucket: "b", serviceAccount: new SecretSlot() } },
  });
  const model = object({
    id: "m-1",
    name: "Users",
    kind: "Model",
    group: "models",
    noun: "model",
    args: { name: "Users", connectionId: "c-gcs", configuration: { key: "f.csv" } },
  });
  const sync = object({
    id: "s-1",
    name: "Users to hook",
    kind: "Sync",
    group: "model syncs",
    noun: "sync",
    args: {
      name: "Users to hook",
      fields: [{ source: { modelId: "m-1", field: "email" }, target: "record" }],
      target: { connectionId: "c-hook", object: "http" },
      encryptionPassphrase: new SecretSlot(),
    },
  });

  it("orders by dependency, names by display name, references declared objects and reads secrets", () => {
    const program = planProgram([sync, model, hook, gcs], ["connections", "models", "model syncs"]);
    expect(program.declarations.map((d) => d.names.variable)).toEqual([
      "bucket",
      "hook",
      "users",
      "usersToHook",
    ]);
    const [bucket, , users, usersToHook] = program.declarations;
    expect(bucket?.args).toEqual({
      name: "Bucket",
      importId: "c-gcs",
      configuration: {
        bucket: "b",
        serviceAccount: new Expression('config.requireSecret("bucketServiceAccount")'),
      },
    });
    expect(printValue(users?.args)).toContain("connectionId: bucket.id");
    expect(printValue(usersToHook?.args)).toContain("source: { modelId: users.id");
    expect(printValue(usersToHook?.args)).toContain("connectionId: hook.id");
    expect(program.secrets).toEqual([
      {
        key: "bucketServiceAccount",
        kind: "GcsConnection",
        name: "Bucket",
        id: "c-gcs",
        path: "configuration.serviceAccount",
      },
      {
        key: "usersToHookEncryptionPassphrase",
        kind: "Sync",
        name: "Users to hook",
        id: "s-1",
        path: "encryptionPassphrase",
      },
    ]);
  });

  it("objects referring to each other: the first declared holds the other's id as a string, with a note", () => {
    const a = object({ id: "a", name: "A", args: { name: "A", configuration: { other: "b" } } });
    const b = object({ id: "b", name: "B", args: { name: "B", configuration: { other: "a" } } });
    const program = planProgram([b, a]);
    const [first, second] = program.declarations;
    expect(first?.names.variable).toBe("a");
    expect(first?.args.configuration).toEqual({ other: "b" });
    expect(first?.notes).toEqual([
      'refers to WebhookConnection "B" by its id (a reference would make a cycle)',
    ]);
    expect(second?.args.configuration).toEqual({ other: new Expression("a.id") });
  });

  it("an object written commented out is never referenced: its dependents hold its id, with a note", () => {
    const broken = { ...model, problems: ["configuration.key must be a string"] };
    const program = planProgram([sync, broken, hook, gcs]);
    const syncDeclaration = program.declarations.find((d) => d.object.id === "s-1");
    expect(printValue(syncDeclaration?.args)).toContain('modelId: "m-1"');
    expect(syncDeclaration?.notes).toEqual([
      'refers to Model "Users" by its id (it is written commented out)',
    ]);
    expect(program.declarations.find((d) => d.object.id === "m-1")?.commentedOut).toBe(true);
  });

  it("secret keys stay unique when two objects' names and paths collide", () => {
    const one = object({
      id: "x1",
      name: "a b",
      args: { name: "a b", configuration: { cPassword: new SecretSlot() } },
    });
    const two = object({
      id: "x2",
      name: "a",
      args: { name: "a", configuration: { bCPassword: new SecretSlot() } },
    });
    const keys = planProgram([one, two]).secrets.map((s) => s.key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe("declarationSource and programSource", () => {
  const names = new NameAllocator().allocate("Contacts webhook", "connection");
  const declaration = {
    object: object({ id: "c-1", name: "Contacts\nwebhook", notes: ["a note"] }),
    names,
    args: { name: "Contacts\nwebhook", importId: "c-1", configuration: { url: "https://x" } },
    notes: ["a note"],
    commentedOut: false,
  };

  it("a declaration: a comment naming the object on one line, its notes, the resource with protect", () => {
    expect(declarationSource(declaration, { protect: true })).toBe(
      [
        '// WebhookConnection "Contacts\\nwebhook", id c-1',
        "// Note: a note",
        'const contactsWebhook = new polytomic.WebhookConnection("contacts-webhook", { name: "Contacts\\nwebhook", importId: "c-1", configuration: { url: "https://x" } }, { protect: true });',
      ].join("\n"),
    );
    expect(declarationSource(declaration, { protect: false })).not.toContain("protect");
  });

  it("a declaration its class cannot take: every line commented out, the reasons listed", () => {
    const text = declarationSource(
      {
        ...declaration,
        commentedOut: true,
        object: { ...declaration.object, problems: ["configuration.url is required"] },
      },
      { protect: true },
    );
    const lines = text.split("\n");
    expect(lines.every((l) => l.startsWith("//"))).toBe(true);
    expect(text).toContain("//   - configuration.url is required");
    expect(text).toContain("// const contactsWebhook = new polytomic.WebhookConnection(");
  });

  it("the program: header, imports, config, group headings; `config` used even without secrets", () => {
    const program = planProgram([object({ id: "c-1", name: "Hook" })]);
    const text = programSource(
      program,
      {
        deploymentUrl: "https://app.polytomic.com",
        organizationName: "Acme\u2028Corp",
        packageVersion: "1.2.3",
        counts: "1 connections",
      },
      { protect: true },
    );
    expect(text).toContain(
      '// Generated by polytomic-import (pulumi-polytomic 1.2.3) from https://app.polytomic.com (organization "Acme\\u2028Corp"):',
    );
    expect(text).toContain('import * as polytomic from "pulumi-polytomic";');
    expect(text).toContain("// ---- Connections ----");
    expect(text.trimEnd().endsWith("void config;")).toBe(true);
    expect(text).not.toMatch(/[\u2028\u2029]/);
  });
});
