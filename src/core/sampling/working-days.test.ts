import { describe, expect, it } from "vitest";
import { addWorkingDays } from "./working-days.ts";

describe("addWorkingDays", () => {
  it("skips Saturdays and Sundays", () => {
    // 2026-12-04 is a Friday.
    expect(addWorkingDays("2026-12-04", 1)).toBe("2026-12-07");
    expect(addWorkingDays("2026-12-05", 1)).toBe("2026-12-07");
    expect(addWorkingDays("2026-12-07", 5)).toBe("2026-12-14");
    expect(addWorkingDays("2026-12-07", 0)).toBe("2026-12-07");
  });
  it("gives 20 working days as four calendar weeks", () => {
    expect(addWorkingDays("2026-12-07", 20)).toBe("2027-01-04");
    expect(addWorkingDays("1969-12-31", 2)).toBe("1970-01-02");
  });
});
