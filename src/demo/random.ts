/**
 * A small, fast, seeded pseudo-random generator for the demo data: sfc32 (Chris Doty-Humphrey's Small
 * Fast Counting generator, 128-bit state) seeded from a string by the cyrb128 hash. The same seed always
 * gives the same sequence, on every platform: the demo city is a pure function of its seed.
 */

/** cyrb128: four 32-bit hashes of a string, used as a 128-bit seed. */
export function hash128(s: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** splitmix32 finaliser: spreads a 32-bit integer over all bits. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A list of alternatives with relative weights. */
export type WeightedList<T> = readonly (readonly [T, number])[];

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  /** Seeded from a string, or from an explicit 128-bit state. */
  constructor(seed: string | readonly [number, number, number, number]) {
    const [a, b, c, d] = typeof seed === "string" ? hash128(seed) : seed;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    if ((a | b | c | d) === 0) this.d = 1;
    // Discard the first outputs: sfc32 mixes its state in a few rounds.
    for (let i = 0; i < 12; i++) this.next();
  }

  /**
   * An independent generator for a sub-stream, e.g. one per subject: `derive(index)` gives the same
   * generator for the same seed and index whatever was drawn before, so output does not depend on chunking.
   */
  static derive(seed: readonly [number, number, number, number], ...keys: number[]): Random {
    let [a, b, c, d] = seed;
    for (const k of keys) {
      a = mix32(a ^ k);
      b = mix32(b + Math.imul(k, 0x27d4eb2d));
      c = mix32(c ^ mix32(k));
      d = mix32(d + a);
    }
    return new Random([a, b, c, d]);
  }

  /** A 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (both included). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element, uniformly. */
  one<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One alternative, by weight (a linear scan: for short lists; compile long ones with `weighted`). */
  pick<T>(list: WeightedList<T>): T {
    let total = 0;
    for (const [, w] of list) total += w;
    let x = this.float() * total;
    for (const [v, w] of list) {
      x -= w;
      if (x < 0) return v;
    }
    return list[list.length - 1]![0];
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.float() * 2 - 1;
      v = this.float() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Log-normal with the given median and log-scale spread. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Gamma(shape, 1) (Marsaglia–Tsang; boosted for shape < 1). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * this.float() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.float();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Poisson(λ): Knuth's product method for small λ, a rounded normal for large. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /**
   * A skewed count: negative binomial with the given mean and dispersion (gamma–Poisson mixture). Smaller
   * `dispersion` = heavier tail and more zeros; variance = mean + mean² / dispersion.
   */
  negBinomial(mean: number, dispersion: number): number {
    if (mean <= 0) return 0;
    return this.poisson((this.gamma(dispersion) * mean) / dispersion);
  }

  /** Zero with probability `zero`, else 1 + geometric with the given mean of the non-zero part. */
  zeroInflatedGeometric(zero: number, meanIfAny: number): number {
    if (this.chance(zero)) return 0;
    const p = 1 / Math.max(1, meanIfAny);
    if (p >= 1) return 1;
    return 1 + Math.floor(Math.log(1 - this.float()) / Math.log(1 - p));
  }
}

/** A weighted list compiled for repeated picks: binary search over cumulative weights. */
export class Weighted<T> {
  readonly values: T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(list: WeightedList<T>) {
    const entries = list.filter(([, w]) => w > 0);
    if (entries.length === 0) throw new Error("Weighted: no alternative has a positive weight");
    this.values = entries.map(([v]) => v);
    this.cumulative = new Float64Array(entries.length);
    let t = 0;
    entries.forEach(([, w], i) => {
      t += w;
      this.cumulative[i] = t;
    });
    this.total = t;
  }

  sample(rng: Random): T {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}
