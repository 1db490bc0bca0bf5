// Builders for domain tests: requirements and change records as plain data, no files.
import type { ChangeRecord, Requirement } from "../../src/domain/requirements/requirement.js";

export function req(id: string, over: Partial<Requirement> = {}): Requirement {
  return {
    id,
    title: `Title of ${id}`,
    text: `The system shall do what ${id} says.`,
    status: "active",
    parents: [],
    tags: [],
    links: [],
    attributes: Object.create(null) as Record<string, unknown>,
    origin: { file: `requirements/${id}.yml`, path: [] },
    ...over,
  };
}

export function record(id: string, affects: string[], over: Partial<ChangeRecord> = {}): ChangeRecord {
  return { id, title: `Change ${id}`, rationale: "Because.", affects, origin: { file: `requirements/changes/${id}.yml`, path: [] }, ...over };
}
