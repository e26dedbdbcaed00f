import { z } from 'zod'
import { ISO_DATETIME } from './artifact.js'
import { isPlainObject } from './pyjson.js'

const dict = z
  .custom<Record<string, unknown>>((v) => v === null || v === undefined || isPlainObject(v), {
    message: 'expected a JSON object (a Python dict)',
  })
  .transform((v) => (v ?? {}) as Record<string, unknown>)

/**
 * The Artifact model as a zod schema, mirroring xpersist's pydantic model: key and serializer
 * required, the three dicts default to {}, created_at may be null or missing (unknown). Used where data crosses
 * the IPC boundary; the engine's own reads use parseArtifact (tested to agree with this).
 */
export const ArtifactSchema = z.looseObject({
  key: z.string(),
  serializer: z.string(),
  load_kwargs: dict.default({}),
  dump_kwargs: dict.default({}),
  additional_metadata: dict.default({}),
  created_at: z
    .union([z.string().regex(ISO_DATETIME, 'expected an ISO 8601 date-time'), z.number()])
    .nullable()
    .optional(),
})
