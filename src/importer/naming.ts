/**
 * Names in the generated program: a variable (a valid, readable TypeScript identifier) and a Pulumi resource
 * name for each object, derived from its display name, unique in the program. Pure; table-tested in
 * test/importer/naming.test.ts.
 */

/**
 * Words that cannot name a `const` in a strict-mode module (reserved words, `eval`, `arguments`), globals a
 * declaration would shadow confusingly, and the three names every generated program declares itself.
 */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await async of arguments eval " +
    "undefined NaN Infinity globalThis require module exports process console Object Array String Number Boolean " +
    "Symbol Promise Error JSON Math Date RegExp Map Set " +
    "pulumi polytomic config"
  ).split(" "),
);

const MAX_WORDS_LENGTH = 48;

/** `é` → `e`: a letter whose decomposition is ASCII once its marks are gone; others (`デ`) are kept whole. */
function withoutAccent(char: string): string {
  const base = char.normalize("NFKD").replace(/\p{M}+/gu, "");
  return /^[\x20-\x7e]+$/.test(base) ? base : char;
}

/**
 * The words of a display name, lower-cased: accents dropped from Latin letters (`Café` → `cafe`), split at every character that is
 * not a letter or digit (`HubSpot` stays one word; with `humps`, for property names, camelCase humps split too:
 * `serviceAccount` → `service account`). Letters of any script are kept.
 */
export function nameWords(name: string, options: { humps?: boolean } = {}): string[] {
  const plain = [...name.normalize("NFC")].map(withoutAccent).join("");
  const split = options.humps === true ? plain.replace(/(\p{Ll}|\p{Nd})(\p{Lu})/gu, "$1 $2") : plain;
  const words = split
    .split(/[^\p{L}\p{Nd}]+/u)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  const out: string[] = [];
  let length = 0;
  for (const word of words) {
    if (length + word.length > MAX_WORDS_LENGTH && out.length > 0) break;
    out.push(word.slice(0, MAX_WORDS_LENGTH));
    length += word.length;
  }
  return out;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** camelCase of words; an underscore keeps two numbers apart (`q3 2024` → `q3_2024`). */
export function camelCase(words: readonly string[]): string {
  let out = "";
  for (const [i, word] of words.entries()) {
    const piece = i === 0 ? word : capitalize(word);
    if (/\d$/.test(out) && /^\d/.test(piece)) out += "_";
    out += piece;
  }
  return out;
}

/** Whether `text` is a valid TypeScript identifier that the generated program may declare. */
export function isDeclarableIdentifier(text: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(text) && !RESERVED.has(text);
}

/** A variable and a resource name, from a display name and the kind's noun (`connection`, `model`, `sync`). */
export interface ObjectNames {
  /** The variable: `contactsBucket`. */
  readonly variable: string;
  /** The Pulumi resource name (the URN's last part): `contacts-bucket`. */
  readonly resourceName: string;
}

/**
 * Hands out unique names. A display name's words give the first choice (`Contacts bucket` → `contactsBucket`,
 * `contacts-bucket`); a name that starts with a digit, is reserved or has no words gets the kind's noun in
 * front (`2024 users` → `model2024Users`, `""` → `model`); a name already taken gets the noun after
 * (`usersModel`), then a number (`usersModel2`).
 */
export class NameAllocator {
  private readonly variables = new Set<string>();
  private readonly resourceNames = new Set<string>();

  /** Reserves names the generated program uses for itself. */
  reserve(variable: string): void {
    this.variables.add(variable);
  }

  allocate(displayName: string, noun: string): ObjectNames {
    const nounWords = nameWords(noun);
    let words = nameWords(displayName);
    if (words.length === 0 || !isDeclarableIdentifier(camelCase(words))) words = [...nounWords, ...words];
    if (!isDeclarableIdentifier(camelCase(words))) words = nounWords;
    const onlyNoun = words.join(" ") === nounWords.join(" ");
    const withNoun = onlyNoun ? words : [...words, ...nounWords];
    for (const candidate of onlyNoun ? [words] : [words, withNoun]) {
      if (this.take(candidate)) return this.names(candidate);
    }
    for (let n = 2; ; n++) {
      const candidate = [...withNoun, String(n)];
      if (this.take(candidate)) return this.names(candidate);
    }
  }

  private names(words: readonly string[]): ObjectNames {
    return { variable: camelCase(words), resourceName: words.join("-") };
  }

  private take(words: readonly string[]): boolean {
    const { variable, resourceName } = this.names(words);
    if (this.variables.has(variable) || this.resourceNames.has(resourceName)) return false;
    if (!isDeclarableIdentifier(variable)) return false;
    this.variables.add(variable);
    this.resourceNames.add(resourceName);
    return true;
  }
}

/** A secret's stack-config key: the object's variable and the property path (`contactsBucketServiceAccount`). */
export function secretConfigKey(variable: string, path: readonly (string | number)[]): string {
  const words = path
    .filter((p) => p !== "configuration")
    .flatMap((p) => (typeof p === "number" ? [String(p)] : nameWords(p, { humps: true })));
  return `${variable}${camelCase(["x", ...words]).slice(1)}`;
}
