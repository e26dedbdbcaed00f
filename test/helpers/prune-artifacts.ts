/**
 * The generated cache the retention tests (engine, and the explorer's prune.plan channel)
 * share: every rule, --max-total and --keep-last --per have one known right answer on it.
 */
import type { GeneratedArtifact } from './generated-cache.js'

/** The clock the answers are worked out at. */
export const NOW = Date.parse('2026-01-01T00:00:00Z')
/** The size unit (100 kB), so a sidecar (~200 B) never tips a --max-total threshold. */
export const U = 100_000

/** The artifacts, sizes in U. */
export const ARTIFACTS: GeneratedArtifact[] = [
  { key: 'a/1', createdAt: '2024-01-10T00:00:00', payloadBytes: 1 * U, metadata: { exp: 'a' } },
  { key: 'a/2', createdAt: '2024-06-10T00:00:00', payloadBytes: 2 * U, metadata: { exp: 'a' } },
  {
    key: 'a/3',
    createdAt: '2025-03-10T00:00:00',
    payloadBytes: 3 * U,
    serializer: 'pandas.csv',
    metadata: { exp: 'a' },
  },
  {
    key: 'a/4',
    createdAt: '2025-12-20T00:00:00',
    payloadBytes: 4 * U,
    metadata: { exp: 'a', tags: ['keep', 'x'] },
  },
  {
    key: 'b/1',
    createdAt: '2024-02-01T00:00:00',
    payloadBytes: 5 * U,
    serializer: 'pandas.csv',
    metadata: { exp: 'b' },
  },
  { key: 'b/2', createdAt: '2025-11-01T00:00:00', payloadBytes: 6 * U, metadata: { exp: 'b' } },
  { key: 'c/1', createdAt: '2023-05-05T00:00:00', payloadBytes: 7 * U },
  // Exactly 365 days before NOW: not older than 365d, not before 2025-01-01.
  { key: 'c/2', createdAt: '2025-01-01T00:00:00', payloadBytes: 8 * U, metadata: { run: 3 } },
  { key: 'u/none', createdAt: null, payloadBytes: 9 * U, metadata: { exp: 'a' } },
  // Passes the sidecar check (ISO shape) but is no date.
  { key: 'u/bad', createdAt: '2025-13-01T00:00:00', payloadBytes: 1 * U, metadata: { exp: 'b' } },
  { key: 'z/broken', createdAt: null, payloadBytes: U / 2, sidecarText: '{"key": "z/broken",' },
]
