import { describe, expect, it } from "vitest";
import {
  camelCase,
  isDeclarableIdentifier,
  NameAllocator,
  nameWords,
  secretConfigKey,
} from "../../src/importer/naming";

describe("nameWords", () => {
  it.each([
    ["Contacts bucket", ["contacts", "bucket"]],
    ["High paying users", ["high", "paying", "users"]],
    ["HubSpot", ["hubspot"]],
    ["S3 → Snowflake (prod)", ["s3", "snowflake", "prod"]],
    ["Café déjà vu", ["cafe", "deja", "vu"]],
    ["API keys", ["api", "keys"]],
    ["snake_case_name", ["snake", "case", "name"]],
    ["kebab-case-name", ["kebab", "case", "name"]],
    ["顧客 データ", ["顧客", "データ"]],
    ["   ", []],
    ["!!!", []],
    ["Q3 2024 revenue", ["q3", "2024", "revenue"]],
  ])("%j → %j", (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });

  it("keeps names short", () => {
    expect(nameWords("word ".repeat(40)).join("").length).toBeLessThanOrEqual(48);
  });
});

describe("camelCase", () => {
  it.each([
    [["contacts", "bucket"], "contactsBucket"],
    [["q3", "2024", "revenue"], "q3_2024Revenue"],
    [["model", "2024"], "model2024"],
    [["顧客", "データ"], "顧客データ"],
    [[], ""],
  ])("%j → %s", (words, expected) => {
    expect(camelCase(words)).toBe(expected);
  });
});

describe("isDeclarableIdentifier", () => {
  it.each([
    ["contactsBucket", true],
    ["顧客データ", true],
    ["_x", true],
    ["2024", false],
    ["", false],
    ["new", false],
    ["default", false],
    ["eval", false],
    ["arguments", false],
    ["config", false],
    ["pulumi", false],
    ["polytomic", false],
    ["a-b", false],
  ])("%j → %s", (text, ok) => {
    expect(isDeclarableIdentifier(text)).toBe(ok);
  });
});

describe("NameAllocator", () => {
  it.each([
    // [display names with their noun, in allocation order] → [variable, resource name] each
    [[["Contacts bucket", "connection"]], [["contactsBucket", "contacts-bucket"]]],
    [[["2024 users", "model"]], [["model2024Users", "model-2024-users"]]],
    [[["", "model"]], [["model", "model"]]],
    [[["!!!", "bulk sync"]], [["bulkSync", "bulk-sync"]]],
    [[["default", "connection"]], [["connectionDefault", "connection-default"]]],
    [[["Config", "connection"]], [["connectionConfig", "connection-config"]]],
    [
      [
        ["Users", "connection"],
        ["Users", "model"],
        ["Users", "model"],
        ["Users", "model"],
      ],
      [
        ["users", "users"],
        ["usersModel", "users-model"],
        ["usersModel2", "users-model-2"],
        ["usersModel3", "users-model-3"],
      ],
    ],
    [
      [
        ["", "sync"],
        ["", "sync"],
      ],
      [
        ["sync", "sync"],
        ["sync2", "sync-2"],
      ],
    ],
    [
      [
        ["Users", "model"],
        ["users", "model"],
        ["USERS", "model"],
      ],
      [
        ["users", "users"],
        ["usersModel", "users-model"],
        ["usersModel2", "users-model-2"],
      ],
    ],
  ])("%j → %j", (inputs, expected) => {
    const allocator = new NameAllocator();
    const got = inputs.map(([name, noun]) => allocator.allocate(name as string, noun as string));
    expect(got.map((n) => [n.variable, n.resourceName])).toEqual(expected);
  });

  it("gives 1000 objects of the same name unique, declarable names", () => {
    const allocator = new NameAllocator();
    const names = Array.from({ length: 1000 }, () => allocator.allocate("Same name", "sync"));
    expect(new Set(names.map((n) => n.variable)).size).toBe(1000);
    expect(new Set(names.map((n) => n.resourceName)).size).toBe(1000);
    expect(names.every((n) => isDeclarableIdentifier(n.variable))).toBe(true);
  });
});

describe("secretConfigKey", () => {
  it.each([
    ["contactsBucket", ["configuration", "serviceAccount"], "contactsBucketServiceAccount"],
    ["hook", ["configuration", "basic", "password"], "hookBasicPassword"],
    ["hook", ["configuration", "query", 0, "value"], "hookQuery0Value"],
    ["users", ["encryptionPassphrase"], "usersEncryptionPassphrase"],
    ["pg", ["configuration", "ssh_private_key"], "pgSshPrivateKey"],
    ["x", ["configuration", "oauthRefreshToken"], "xOauthRefreshToken"],
    ["x", ["configuration", "awsS3Bucket"], "xAwsS3Bucket"],
  ])("%s + %j → %s", (variable, path, key) => {
    expect(secretConfigKey(variable, path)).toBe(key);
  });
});
