import { describe, expect, it } from "vitest";
import { byTask, type TaskRow, taskItems } from "./tasks.ts";

/** A list that counts how many of its elements are read (by index or by iteration). */
function counted<T>(items: T[]) {
  const reads = { n: 0 };
  const list = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads.n++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { list, reads };
}

describe("byTask: joining tasks to their assignments and results", () => {
  it("groups rows by task id in the order given; ids as numbers, whatever the driver returns", () => {
    const rows = [
      { task_id: 2, rank: 1 },
      { task_id: "1", rank: 1 },
      { task_id: 2n, rank: 2 },
      { task_id: 1, rank: 2 },
    ];
    const m = byTask(rows);
    expect([...m.keys()]).toEqual([2, 1]);
    expect(m.get(2)?.map((r) => r.rank)).toEqual([1, 2]);
    expect(m.get(1)?.map((r) => r.rank)).toEqual([1, 2]);
    expect(m.get(3)).toBeUndefined();
  });

  it("reads each row once: a page of n tasks costs O(n), not the O(n²) of a find or filter per task", () => {
    const n = 20_000;
    const { list, reads } = counted(
      Array.from({ length: 2 * n }, (_, i) => ({ task_id: (i * 7919) % n, rank: i })),
    );
    const m = byTask(list);
    let found = 0;
    for (let id = 0; id < n; id++) found += m.get(id)?.length ?? 0;
    expect(found).toBe(2 * n);
    // A find per task would read about n²/2 = 200,000,000 elements.
    expect(reads.n).toBeLessThanOrEqual(2 * n);
  });
});

describe("taskItems: a page of tasks with inspectors and results", () => {
  const task = (i: number): TaskRow => ({
    id: i,
    plan_id: "P1",
    seq: i,
    subject_code: `S${i}`,
    stratum: "B",
    kind: "random",
    ticket: null,
    status: "assigned",
    note: null,
    title: "计划",
    department: "SCJG",
    settings: JSON.stringify({ items: ["食品安全日常监督检查"] }),
    name: null,
    region: null,
  });
  const result = (taskId: number) => ({
    task_id: taskId,
    outcome: "pass",
    problems: null,
    follow_up: null,
    inspected_on: "2026-12-07",
    record_doc_no: `P1-${taskId}`,
    entered_by: "x",
    entered_at: "2026-12-07T00:00:00Z",
    publish_by: "2026-12-31",
  });

  it("joins each task to its own inspectors (in rank order) and result", () => {
    const items = taskItems(
      [task(1), task(2), task(3)],
      [
        { task_id: 2, rank: 1, id: "I2", name: "乙" },
        { task_id: 1, rank: 1, id: "I1", name: "甲" },
        { task_id: 1, rank: 2, id: "I3", name: "丙" },
      ],
      [result(3), result(1)],
    );
    expect(items.map((t) => [t.id, t.inspectors.map((i) => i.id), t.result?.recordDocNo ?? null])).toEqual([
      [1, ["I1", "I3"], "P1-1"],
      [2, ["I2"], null],
      [3, [], "P1-3"],
    ]);
    expect(items[0]!.items).toEqual(["食品安全日常监督检查"]);
  });

  it("reads the assignments and results once each, however many tasks: O(n), not O(n²)", () => {
    const n = 5000;
    const tasks = Array.from({ length: n }, (_, i) => task(i + 1));
    const a = counted(
      tasks.flatMap((t) => [1, 2].map((rank) => ({ task_id: t.id, rank, id: `I${rank}`, name: "x" }))),
    );
    const r = counted(tasks.map((t) => result(Number(t.id))));
    const items = taskItems(tasks, a.list, r.list);
    expect(items.every((t) => t.inspectors.length === 2 && t.result !== null)).toBe(true);
    // A find or filter per task reads ~n²/2 (12,500,000) elements here.
    expect(a.reads.n).toBeLessThanOrEqual(2 * n);
    expect(r.reads.n).toBeLessThanOrEqual(n);
  });
});
