import { describe, expect, it } from "vitest";
import { Gate } from "./gate.ts";

describe("Gate", () => {
  it("runs at most N at once, queues M, refuses the rest at once", async () => {
    const gate = new Gate(2, 1);
    let now = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<number>((resolve) => {
        now++;
        peak = Math.max(peak, now);
        releases.push(() => {
          now--;
          resolve(1);
        });
      });
    const runs = [gate.run(task), gate.run(task), gate.run(task), gate.run(task), gate.run(task)];
    expect(await runs[3]).toBeUndefined();
    expect(await runs[4]).toBeUndefined();
    expect(releases.length).toBe(2);
    releases.shift()!();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(releases.length).toBe(2); // the queued one started
    while (releases.length) releases.shift()!();
    expect(await runs[2]).toEqual({ value: 1 });
    expect(peak).toBe(2);
    // The gate is free again.
    expect(await gate.run(async () => 7)).toEqual({ value: 7 });
  });

  it("frees its place when a task throws", async () => {
    const gate = new Gate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await gate.run(async () => 1)).toEqual({ value: 1 });
  });
});
