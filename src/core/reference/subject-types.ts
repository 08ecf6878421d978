/**
 * The subject vocabularies the API and the web app share (pure: no file, no server code — the web app imports
 * it). Types of market subject, and registration statuses as the registers write them.
 */
export const SUBJECT_TYPES = [
  "enterprise",
  "individual",
  "cooperative",
  "social_org",
  "institution",
  "natural_person",
] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** 存续 (active), 吊销 (licence revoked), 注销 (deregistered), 迁出 (moved out). */
export const SUBJECT_STATUSES = ["存续", "吊销", "注销", "迁出"] as const;
