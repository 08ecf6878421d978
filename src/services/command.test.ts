import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../store/db.ts";
import { openTestStore, type TestStore } from "../store/testing.ts";
import { createUser } from "./auth/accounts.ts";
import { audited, type Caller, commandLineCaller } from "./command.ts";

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store.dispose());

const caller: Caller = {
  actor: { kind: "user", id: 1, name: "t-city", role: "city_admin", department: "XYB", subjectCode: null },
  ip: "127.0.0.1",
};
const allowlisted = (code: string) =>
  store.db.selectFrom("uscc_allowlist").select("code").where("code", "=", code).execute();
const audits = (object: string) =>
  store.db.selectFrom("audit_log").selectAll().where("object", "=", object).execute();
const allow = (code: string) => (tx: Store) =>
  tx.db
    .insertInto("uscc_allowlist")
    .values({ code, note: "test", added_by: "t-city", added_at: new Date().toISOString() })
    .execute();

describe("commands", () => {
  it("keep the write and its audit entry together", async () => {
    await audited(store, caller, "uscc.allowlist", allow("91350100M000000001"), () => "91350100M000000001");
    expect(await allowlisted("91350100M000000001")).toHaveLength(1);
    expect(await audits("91350100M000000001")).toMatchObject([
      { actor: "t-city", role: "city_admin", action: "uscc.allowlist", result: "ok", ip: "127.0.0.1" },
    ]);
  });

  it("lose the write when its audit entry cannot be recorded, and record nothing when the write fails", async () => {
    await expect(
      audited(store, caller, "uscc.allowlist", allow("91350100M000000002"), () => {
        throw new Error("no audit entry");
      }),
    ).rejects.toThrow("no audit entry");
    expect(await allowlisted("91350100M000000002")).toHaveLength(0);

    await expect(
      audited(
        store,
        caller,
        "uscc.allowlist",
        async () => {
          throw new Error("write refused");
        },
        () => "91350100M000000003",
      ),
    ).rejects.toThrow("write refused");
    expect(await audits("91350100M000000003")).toHaveLength(0);
  });

  it("name the command line's caller: the account --by names, or the operating-system user", async () => {
    const os_ = await commandLineCaller(store, undefined);
    expect(os_.actor).toMatchObject({
      name: `os:${os.userInfo().username}`,
      role: "operator",
      department: null,
    });
    await expect(commandLineCaller(store, "nobody")).rejects.toThrow("--by nobody");
    await createUser(store, {
      username: "ops-admin",
      displayName: "运维",
      role: "city_admin",
      department: "XYB",
      subjectCode: null,
      password: "Test@2026pw",
    });
    expect((await commandLineCaller(store, "ops-admin")).actor).toMatchObject({
      kind: "user",
      name: "ops-admin",
      role: "city_admin",
      department: "XYB",
    });
  });
});
