/** Fixtures and helpers of the sampling tests. */
import { expect } from "vitest";
import { InputError } from "../problem.ts";

/** The problems of an InputError thrown by fn (fails the test when nothing or something else is thrown). */
export function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const ps = (e as InputError).problems;
    for (const p of ps) for (const t of [p.zh, p.en, p.fixZh, p.fixEn]) expect(t.length).toBeGreaterThan(0);
    return ps;
  }
  throw new Error("expected an InputError");
}

/*
 * Expected values below were computed outside this code, in the shell:
 *   printf '%s' '双随机2026:91350100M000100Y43' | sha256sum
 *   while IFS=, read code st; do printf '%s' "双随机2026:$code" | sha256sum; done < pool.txt
 *   sha256sum pool.txt
 * and written here as literals.
 */
export const SEED = "双随机2026";
export const POOL_TEXT = [
  "350502199001011234,B",
  "91110000600037341L,A",
  "91350100M000100Y43,A",
  "91350105MA31XQ5K2F,C",
  "91350200MA2Y9U4B1R,B",
  "91350500156071812G,E",
  "91350502MA33A0T77N,A",
  "91350503MA2XN4JB6Q,B",
  "91350582MA2Y3H8C9L,C",
  "92310115MA1LAG5R9M,A",
  "92350581MA2Y5YUJ7E,E",
  "9235058MA2Y5YUJ7E,B",
]
  .map((l) => `${l}\n`)
  .join("");
export const POOL = POOL_TEXT.trim()
  .split("\n")
  .map((l) => {
    const [code, stratum] = l.split(",") as [string, string];
    return { code, stratum };
  });
