import { describe, expect, it } from "vitest";
import {
  type ProjectInfo,
  packageJson,
  projectName,
  pulumiYaml,
  readme,
  secretCommands,
  tsconfigJson,
} from "../../src/importer/project";

const info: ProjectInfo = {
  project: "acme",
  deploymentUrl: "https://app.polytomic.com",
  organizationName: "Acme",
  counts: "2 connections, 1 models",
  secrets: [
    {
      key: "bucketServiceAccount",
      kind: "GcsConnection",
      name: "Bucket",
      id: "c-1",
      path: "configuration.serviceAccount",
    },
  ],
  attention: [],
  protect: true,
};

describe("projectName", () => {
  it.each([
    ["imported-org", "imported-org"],
    ["My Org", "my-org"],
    ["Café Org!", "cafe-org"],
    ["--x--", "x"],
    ["", "polytomic"],
    ["!!!", "polytomic"],
    ["a.b_c", "a.b_c"],
  ])("%j → %s", (folder, name) => {
    expect(projectName(folder)).toBe(name);
  });
});

describe("the project files", () => {
  it("Pulumi.yaml names the project and the nodejs runtime", () => {
    expect(pulumiYaml(info)).toBe(
      'name: acme\nruntime: nodejs\ndescription: "Polytomic organization Acme, imported by polytomic-import"\n',
    );
    expect(pulumiYaml({ ...info, organizationName: 'a "quoted"\nname' })).toContain(
      'description: "Polytomic organization a \\"quoted\\"\\nname, imported by polytomic-import"',
    );
  });

  it("package.json depends on this package and @pulumi/pulumi", () => {
    const manifest = JSON.parse(packageJson(info));
    expect(manifest).toMatchObject({ name: "acme", private: true, main: "index.ts" });
    expect(manifest.dependencies["pulumi-polytomic"]).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(manifest.dependencies["@pulumi/pulumi"]).toMatch(/^\^3\./);
    expect(
      JSON.parse(packageJson({ ...info, packageSpec: "file:../x" })).dependencies["pulumi-polytomic"],
    ).toBe("file:../x");
  });

  it("tsconfig.json is strict and takes index.ts", () => {
    expect(JSON.parse(tsconfigJson())).toMatchObject({
      compilerOptions: { strict: true },
      files: ["index.ts"],
    });
  });

  it("the secret commands name each object and property, and hold no value", () => {
    expect(secretCommands(info.secrets)).toEqual([
      '# GcsConnection "Bucket" (c-1): configuration.serviceAccount',
      "pulumi config set --secret bucketServiceAccount '<value>'",
    ]);
  });

  it("README: the steps, one command per secret, the deployment URL only when not the default", () => {
    const text = readme(info);
    expect(text).toContain("pulumi config set --secret polytomic:apiKey <your Polytomic API key>");
    expect(text).toContain("pulumi config set --secret bucketServiceAccount '<value>'");
    expect(text).not.toContain("polytomic:deploymentUrl");
    expect(text).not.toContain("## Needs attention");
    const other = readme({
      ...info,
      deploymentUrl: "https://polytomic.example.com",
      attention: ["x needs y"],
      protect: false,
    });
    expect(other).toContain("pulumi config set polytomic:deploymentUrl 'https://polytomic.example.com'");
    expect(other).toContain("## Needs attention\n\n- x needs y");
    expect(other).toContain("not protected");
    expect(readme({ ...info, secrets: [] })).not.toContain("pulumi config set --secret bucket");
  });
});
