/**
 * The zod schemas of rule sets (shared/rule-set.ts) for the IPC channels and the saved-rules
 * file: bounded shapes, and every value read with readRuleSet so a bad one is refused with the
 * same message the dialog shows beside its field.
 */
import { z } from 'zod'
import { readRuleSet, type RuleSet } from './rule-set.js'

/** Bounds on one rule set: a saved file or a request cannot grow without limit. */
export const RULE_SET_LIMITS = { textChars: 1000, listItems: 32 }

const Text = z.string().max(RULE_SET_LIMITS.textChars).default('')
const TextList = z
  .array(z.string().min(1).max(RULE_SET_LIMITS.textChars))
  .max(RULE_SET_LIMITS.listItems)
  .default([])

/** A rule set's shape, values unchecked (missing fields are rules not set). */
export const RuleSetShape = z.object({
  olderThan: Text,
  before: Text,
  where: z
    .array(
      z.object({
        field: z.string().max(RULE_SET_LIMITS.textChars),
        value: z.string().max(RULE_SET_LIMITS.textChars),
      }),
    )
    .max(RULE_SET_LIMITS.listItems)
    .default([]),
  serializers: TextList,
  prefixes: TextList,
  largerThan: Text,
  keepLast: Text,
  per: Text,
  maxTotal: Text,
}) satisfies z.ZodType<RuleSet, unknown>

/** A rule set for the wire: the shape, and every value read (one message per bad field). */
export const RuleSetSchema = RuleSetShape.superRefine((set, ctx) => {
  for (const issue of readRuleSet(set).issues)
    ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message })
})

/** A saved rule set's name: what the user calls it. */
export const RuleSetName = z
  .string()
  .trim()
  .min(1, 'Give the rule set a name.')
  .max(80, 'A rule set name is at most 80 characters.')

/** A rule set saved for one cache in the user's config. */
export const SavedRuleSetSchema = z.object({
  name: RuleSetName,
  rules: RuleSetShape,
  /** When it was saved, ISO 8601 UTC. */
  savedAt: z.string().max(40),
})
export type SavedRuleSet = z.output<typeof SavedRuleSetSchema>
