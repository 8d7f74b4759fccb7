import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  commentText,
  Expression,
  numberLiteral,
  printValue,
  propertyKey,
  quotedName,
  stringLiteral,
} from "../../src/importer/literal";

/** Evaluates printed code as JavaScript (what TypeScript compiles it to). */
const evaluate = (code: string): unknown => new Function(`return (${code});`)();

/** TypeScript's syntax errors in `const x = <code>;`. */
const syntaxErrors = (code: string) => {
  const file = ts.createSourceFile(
    "x.ts",
    `const x = ${code};`,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
  return (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
};

describe("propertyKey", () => {
  it.each([
    ["bucket", "bucket"],
    ["serviceAccount", "serviceAccount"],
    ["_private", "_private"],
    ["$ref", "$ref"],
    ["default", "default"],
    ["new", "new"],
    ["a-b", '"a-b"'],
    ["1abc", '"1abc"'],
    ["", '""'],
    ["with space", '"with space"'],
    ['quote"d', '"quote\\"d"'],
    ["__proto__", '["__proto__"]'],
    ["ünïcode", '"ünïcode"'],
  ])("%j → %s", (key, expected) => {
    expect(propertyKey(key)).toBe(expected);
    // The key means itself once evaluated.
    expect(Object.keys(evaluate(`{ ${propertyKey(key)}: 1 }`) as object)).toEqual([key]);
  });
});

describe("stringLiteral", () => {
  it.each([
    ["plain", '"plain"'],
    ['a "quote"', '"a \\"quote\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["line\nbreak", '"line\\nbreak"'],
    ["tab\t", '"tab\\t"'],
    ["\u2028\u2029", '"\\u2028\\u2029"'],
    ["\u0024{template}", '"\u0024{template}"'],
    ["</script>", '"</script>"'],
    ["émoji 🚀", '"émoji 🚀"'],
    ["\u0000", '"\\u0000"'],
  ])("%j → %s, read back the same", (value, expected) => {
    expect(stringLiteral(value)).toBe(expected);
    expect(evaluate(stringLiteral(value))).toBe(value);
    expect(syntaxErrors(stringLiteral(value))).toBe(0);
  });
});

describe("numberLiteral", () => {
  it.each([
    [0, "0"],
    [-0, "-0"],
    [42, "42"],
    [-1.5, "-1.5"],
    [1e21, "1e+21"],
    [Number.NaN, "Number.NaN"],
    [Number.POSITIVE_INFINITY, "Number.POSITIVE_INFINITY"],
  ])("%s → %s", (value, expected) => {
    expect(numberLiteral(value)).toBe(expected);
    expect(Object.is(evaluate(expected), value)).toBe(true);
  });
});

describe("commentText and quotedName: always one line", () => {
  it.each([
    ["a\nb", "a b"],
    ["a\r\n\r\nb", "a b"],
    ["a\u2028b\u2029c", "a b c"],
    ["  padded  ", "padded"],
    ["*/ closes a block comment", "*/ closes a block comment"],
  ])("%j → %j", (value, expected) => {
    expect(commentText(value)).toBe(expected);
  });

  it("trims long text with an ellipsis", () => {
    expect(commentText("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("quotes names, escaping what would end the line", () => {
    expect(quotedName('Contacts "bucket"')).toBe('"Contacts \\"bucket\\""');
    expect(quotedName("a\u2028b")).toBe('"a\\u2028b"');
    expect(quotedName("a\nb")).toBe('"a\\nb"');
  });
});

describe("printValue", () => {
  it.each([
    [null, "null"],
    [true, "true"],
    ["x", '"x"'],
    [[], "[]"],
    [{}, "{}"],
    [[1, "a", null], '[1, "a", null]'],
    [{ a: 1, "b-c": [true] }, '{ a: 1, "b-c": [true] }'],
    [{ a: undefined, b: 2 }, "{ b: 2 }"],
    [{ id: new Expression("webhook.id") }, "{ id: webhook.id }"],
    [{ secret: new Expression('config.requireSecret("k")') }, '{ secret: config.requireSecret("k") }'],
  ])("%j → %s", (value, expected) => {
    expect(printValue(value)).toBe(expected);
  });

  it("breaks what does not fit over several lines, indented, with trailing commas", () => {
    const value = {
      name: "Contacts bucket",
      configuration: { bucket: "my-bucket", directoryGlobPattern: "x".repeat(80), skipLines: 2 },
      tags: ["a".repeat(60), "b".repeat(60)],
    };
    expect(printValue(value)).toBe(
      [
        "{",
        '  name: "Contacts bucket",',
        "  configuration: {",
        '    bucket: "my-bucket",',
        `    directoryGlobPattern: "${"x".repeat(80)}",`,
        "    skipLines: 2,",
        "  },",
        "  tags: [",
        `    "${"a".repeat(60)}",`,
        `    "${"b".repeat(60)}",`,
        "  ],",
        "}",
      ].join("\n"),
    );
  });

  it("prints JSON values that read back equal, whatever they hold", () => {
    const values: unknown[] = [
      { nested: { deep: [{ a: [1, [2, [3]]] }, { "": "", __proto__x: 1 }] } },
      ["\n", "\u2028", '"', "\\", "\u0024{x}", "`"],
      { ["__proto__"]: { polluted: true } },
      Array.from({ length: 30 }, (_, i) => ({ i, s: `v${i}` })),
    ];
    for (const value of values) {
      const code = printValue(value);
      expect(syntaxErrors(code)).toBe(0);
      expect(evaluate(code)).toEqual(value);
    }
    const proto = evaluate(printValue(JSON.parse('{"__proto__": {"polluted": true}}'))) as object;
    expect(Object.hasOwn(proto, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses what is not JSON", () => {
    expect(() => printValue(() => 1)).toThrow(/cannot print a function/);
  });
});
