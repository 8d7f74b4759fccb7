import type { FaultRule } from "./types";

/** mulberry32: a small seeded PRNG returning floats in [0, 1), so fault runs repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polytomic's application answers 500 itself; the other statuses default to a proxy or gateway in front of it. */
const APPLICATION_STATUS_DEFAULT = 500;

/** The status a `status` fault answers. */
export function faultStatus(rule: FaultRule): number {
  return rule.status ?? 503;
}

/**
 * Whether a `status` fault is an outcome of Polytomic's application (answered where the handler runs and recorded
 * under an `Idempotency-Key`) rather than of something in front of it. See {@link FaultRule.reachesApplication}.
 */
export function reachesApplication(rule: FaultRule): boolean {
  if (rule.kind !== "status") return false;
  return rule.reachesApplication ?? faultStatus(rule) === APPLICATION_STATUS_DEFAULT;
}

/** What to do to one request. */
export interface FaultPlan {
  /** Total delay from matching `latency` rules, applied before the handler runs. */
  latencyMs: number;
  /** The first matching non-latency rule, if any. */
  terminal?: FaultRule;
  /** Kinds applied, for the request record. */
  kinds: string[];
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

function pathMatches(rule: FaultRule, path: string): boolean {
  if (rule.path === undefined) return true;
  if (typeof rule.path === "string") return rule.path === path;
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}

/**
 * Fault rules, evaluated in order for each request: every matching `latency` rule adds its delay; the first
 * matching other rule (status, drop-*, hang) is the request's terminal fault and later ones are not consulted.
 * A rule "matches" when method and path match, it has `times` left and its `probability` roll succeeds;
 * only then is one of its `times` used up.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private readonly random: () => number;

  constructor(rules: FaultRule[] = [], seed = 1) {
    this.random = seededRandom(seed);
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  plan(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, kinds: [] };
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (!pathMatches(rule, path)) continue;
      if (rule.kind !== "latency" && plan.terminal !== undefined) continue;
      if (rule.probability !== undefined && rule.probability < 1 && this.random() >= rule.probability)
        continue;
      active.remaining -= 1;
      if (rule.kind === "latency") {
        plan.latencyMs += Math.max(0, rule.latencyMs ?? 0);
      } else {
        plan.terminal = rule;
      }
      plan.kinds.push(rule.kind);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return plan;
  }
}
