// The requirement model (SPEC 1.1) and the change record model (SPEC 1.3), as the engine sees them
// after parsing. Everything here is plain data.
import type { YamlPath } from "../core/diagnostic.js";

export const STATUSES = ["draft", "active", "retired"] as const;
export type Status = (typeof STATUSES)[number];

export const VERIFICATION_METHODS = ["test", "analysis", "inspection", "demonstration"] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** Where an item was defined: its file and its YAML path inside that file. */
export interface Origin {
  file: string;
  /** YAML path of the item's mapping, e.g. [] for a single-item file, ["requirements", 3] otherwise. */
  path: YamlPath;
}

export interface Requirement {
  id: string;
  title: string;
  text: string;
  status: Status;
  parents: string[];
  verification?: VerificationMethod;
  owner?: string;
  tags: string[];
  links: string[];
  supersededBy?: string;
  /** Free-form data; part of the normative content. Null-prototype object, keys as the user wrote them. */
  attributes: Record<string, unknown>;
  origin: Origin;
}

export interface ChangeRecord {
  id: string;
  title: string;
  rationale: string;
  affects: string[];
  origin: Origin;
}
