import * as fs from "node:fs";
import * as path from "node:path";
import { PROGRAM_DIR } from "./packed-package";
import { serializedProvider } from "./serialize";

/**
 * The `__provider` texts of many kinds at once (the suites that iterate over the whole kinds table need all 230
 * or so). Serializing one takes 30-70 ms, so each text is written once per test run into the run's program folder
 * (which holds the installed package the texts come from) and read back by every other test file. Concurrent
 * test files share the work: each claims a kind before serializing it, and waits for a kind another file claimed.
 */
export async function serializedProviders(kinds: readonly string[]): Promise<Record<string, string>> {
  const dir = path.join(PROGRAM_DIR, ".serialized-providers");
  fs.mkdirSync(dir, { recursive: true });
  const file = (kind: string) => path.join(dir, `${kind}.js`);
  const texts: Record<string, string> = {};
  const claimedElsewhere: string[] = [];
  for (const kind of kinds) {
    if (fs.existsSync(file(kind))) {
      texts[kind] = fs.readFileSync(file(kind), "utf8");
      continue;
    }
    try {
      fs.closeSync(fs.openSync(`${file(kind)}.claim`, "wx"));
    } catch {
      claimedElsewhere.push(kind);
      continue;
    }
    const text = await serializedProvider(kind);
    fs.writeFileSync(`${file(kind)}.${process.pid}`, text);
    fs.renameSync(`${file(kind)}.${process.pid}`, file(kind));
    texts[kind] = text;
  }
  for (const kind of claimedElsewhere) {
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(file(kind)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    texts[kind] = fs.existsSync(file(kind))
      ? fs.readFileSync(file(kind), "utf8")
      : await serializedProvider(kind);
  }
  return texts;
}
