import * as fs from "node:fs";

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF). Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  const endRow = () => {
    row.push(field);
    field = "";
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      endRow();
    } else if (c === "\r") {
      if (text[i + 1] === "\n") i++;
      endRow();
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export function readCsvFile(file: string): CsvTable {
  const [header = [], ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return { header: header.map((h) => h.trim()), rows };
}

export type InferredType = "string" | "number" | "boolean" | "datetime";

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Infers a column's type from sample values (empty values are ignored; no values → string). */
export function inferType(values: string[]): InferredType {
  const present = values.map((v) => v.trim()).filter((v) => v !== "");
  if (present.length === 0) return "string";
  if (present.every((v) => BOOLEAN.test(v))) return "boolean";
  if (present.every((v) => NUMBER.test(v))) return "number";
  if (present.every((v) => DATETIME.test(v) && !Number.isNaN(Date.parse(v)))) return "datetime";
  return "string";
}

/** A sample value converted to its inferred type (numbers and booleans as JSON values, others as text). */
export function typedExample(value: string | undefined, type: InferredType): unknown {
  if (value === undefined || value.trim() === "") return null;
  if (type === "number") return Number(value);
  if (type === "boolean") return value.trim().toLowerCase() === "true";
  return value;
}
